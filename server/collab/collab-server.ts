import type { FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { CloseCodes, type CloseCode } from '../../shared/collab/close-codes'
import { COLLAB_LIMITS, type CollabLimits } from '../../shared/collab/limits'
import { presenceColor } from '../../shared/collab/presence'
import { canInStage } from '../../shared/domain/lifecycle'
import { can } from '../../shared/domain/permissions'
import { isSchemaCompatible } from '../../shared/schema/version'
import type { Actor } from '../auth/actor'
import { recordAudit } from '../audit/record'
import type { Ctx } from '../context'
import { credentialIsLive } from '../auth/sessions'
import { mustEnrolTwoFactor } from '../auth/service'
import { authorizeDocument } from '../documents/service'
import { AppError } from '../errors'
import { isDatabaseUnavailable } from '../db/unavailable'
import { authenticate } from '../plugins/auth'
import { Compactor } from './compaction'
import { Connection, type ConnectionAccess } from './connection'
import type { Fanout } from './fanout'
import { FlowBudgets, limitFrames, type RawSocket } from './flow'
import { listDocumentHeads } from './persistence'
import { Room, type HoldLimits } from './room'
import { UpdateChecker } from './update-check'

/** Timings and limits of the collaboration server; tests and the benchmark change some. */
export interface CollabOptions {
  limits: CollabLimits
  /** A room with no connection for this long is unloaded (after everything is stored) and compacted. */
  idleUnloadMs: number
  /** Presence changes are relayed in one message per room this often. */
  awarenessFlushMs: number
  /** A background compaction is asked for once this many updates were stored since the last. */
  compactAfterUpdates: number
  /**
   * Every connection's access is checked again this often, as a safety net: membership changes
   * already act at once through the event bus, but an event from another instance can be lost.
   */
  accessRecheckMs: number
  /**
   * Every loaded room compares its sequence number with the stored head this often, and reads
   * what it lacks: a lost pub/sub message, or an update another writer appended (issue 3, item 7).
   */
  headPollMs: number
  /** The time bound of decoding one untrusted update (yjs#687). */
  updateCheckTimeoutMs: number
  /** The heap bound of the decoding worker, in MB. */
  updateCheckMemoryMb: number
  /** How rooms hold edits while the database cannot be reached (issue 12, item 4). */
  hold: HoldLimits
}

/** Changes to the default options; limits can be changed one by one. */
export type CollabSettings = Partial<Omit<CollabOptions, 'limits' | 'hold'>> & {
  limits?: Partial<CollabLimits>
  hold?: Partial<HoldLimits>
}

/** The options a server runs with unless told otherwise. */
export const DEFAULT_COLLAB_OPTIONS: CollabOptions = {
  limits: { ...COLLAB_LIMITS },
  idleUnloadMs: 30_000,
  awarenessFlushMs: 25,
  compactAfterUpdates: 1000,
  accessRecheckMs: 10_000,
  headPollMs: 2_000,
  updateCheckTimeoutMs: 2_000,
  updateCheckMemoryMb: 128,
  // A restart of PostgreSQL takes seconds; a room holds what is typed meanwhile for up to ten
  // minutes and 64 MiB, and commits it within about half a second of the database being back.
  hold: { maxBytes: 64 * 1024 * 1024, maxMs: 10 * 60_000, retryMaxMs: 500 },
}

type AccessResult = ConnectionAccess | { code: CloseCode; reason: string }

/** What the upgrade decided: admit with an access, or close at once with a code. */
export type Admission =
  { ok: true; access: ConnectionAccess } | { ok: false; code: CloseCode; reason: string }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The collaboration server of one instance: its rooms, its connection counts, and the checks
 * that keep every socket authorised. It decides who may connect before the upgrade completes,
 * closes sockets whose access changes within moments of the change (issue 3, item 4), unloads
 * idle rooms, and on shutdown stores everything it received before it closes any socket.
 */
export class CollabServer {
  readonly rooms = new Map<string, Room>()
  readonly options: CollabOptions
  readonly compactor: Compactor
  readonly #ctx: Ctx
  readonly #checker: UpdateChecker
  readonly #fanout: Fanout | undefined
  readonly #perUser = new Map<string, number>()
  readonly #perAddress = new Map<string, number>()
  /** Frames and bytes a second per connection, user and address (issue 12, item 2). */
  readonly flow: FlowBudgets
  readonly #idleTimers = new Map<Room, NodeJS.Timeout>()
  readonly #timers: NodeJS.Timeout[] = []
  #stopping: Promise<void> | undefined
  #closing: Promise<void> | undefined

  readonly #onMembershipChanged = ({
    processId,
    userId,
  }: {
    processId: string
    userId: string
  }) => {
    void this.#recheck(
      (connection) => connection.processId === processId && connection.actor.userId === userId,
    )
  }
  readonly #onCredentialsEnded = ({ userId }: { userId: string }) => {
    void this.#recheck((connection) => connection.actor.userId === userId)
  }
  readonly #onDocumentDeleted = ({ documentId }: { documentId: string }) => {
    this.rooms.get(documentId)?.close(CloseCodes.DocumentNotFound, 'document deleted')
  }
  // The server itself changed a document (an applied proposal): its room reads the log and relays.
  readonly #onDocumentAppended = ({ documentId, seq }: { documentId: string; seq: number }) => {
    this.rooms.get(documentId)?.catchUpTo(seq)
  }

  constructor(ctx: Ctx, options: CollabSettings = {}, fanout?: Fanout) {
    this.#ctx = ctx
    this.options = {
      ...DEFAULT_COLLAB_OPTIONS,
      ...options,
      limits: { ...DEFAULT_COLLAB_OPTIONS.limits, ...options.limits },
      hold: { ...DEFAULT_COLLAB_OPTIONS.hold, ...options.hold },
    }
    this.#fanout = fanout
    this.flow = new FlowBudgets(this.options.limits)
    const log = ctx.log.child({ module: 'collab' })
    this.compactor = new Compactor(ctx.db, log)
    this.#checker = new UpdateChecker({
      maxStructs: this.options.limits.maxStructsPerUpdate,
      maxClients: this.options.limits.maxClientIdsPerUpdate,
      maxDeleteSetClients: this.options.limits.maxDeleteSetClientIdsPerUpdate,
      timeoutMs: this.options.updateCheckTimeoutMs,
      memoryMb: this.options.updateCheckMemoryMb,
      log,
    })
    this.#checker.warm()
    ctx.events.on('membership.changed', this.#onMembershipChanged)
    ctx.events.on('credentials.ended', this.#onCredentialsEnded)
    ctx.events.on('document.deleted', this.#onDocumentDeleted)
    ctx.events.on('document.appended', this.#onDocumentAppended)
    const every = (ms: number, task: () => Promise<void>) => {
      let busy = false
      const timer = setInterval(() => {
        if (busy) {
          return
        }
        busy = true
        task()
          .catch((error: unknown) =>
            isDatabaseUnavailable(error)
              ? log.warn({ err: error }, 'collaboration background task: database unavailable')
              : log.error({ err: error }, 'collaboration background task failed'),
          )
          .finally(() => {
            busy = false
          })
      }, ms)
      timer.unref()
      this.#timers.push(timer)
    }
    every(this.options.accessRecheckMs, () => this.#recheck(() => true))
    every(this.options.headPollMs, () => this.#pollHeads())
  }

  /**
   * Decides, before the WebSocket upgrade completes, whether a request may connect and with
   * which access. Credentials are the session cookie or `?token=`; a missing or invalid one is
   * `Unauthenticated`, an unknown document and a document of another process are the same
   * `DocumentNotFound`. Write access follows the permissions table (`documents.edit`), and an
   * archived process is read-only for everyone.
   */
  async admit(request: FastifyRequest): Promise<Admission> {
    if (this.#stopping) {
      return refuse(CloseCodes.ShuttingDown, 'server shutting down')
    }
    const { documentId } = request.params as { documentId?: string }
    const query = (request.query ?? {}) as Record<string, unknown>
    if (
      query.schemaVersion !== undefined &&
      (typeof query.schemaVersion !== 'string' || !isSchemaCompatible(query.schemaVersion))
    ) {
      return refuse(CloseCodes.SchemaOutdated, 'schema version outdated; reload the page')
    }
    let actor: Actor | undefined
    try {
      actor = await authenticate(this.#ctx, request, true)
    } catch (error) {
      if (!(error instanceof AppError)) {
        // A failed read of the session is no answer about the session (issue 12, item 4): the
        // final "sign in first" here once stopped every editor for good during a database restart.
        return this.#retryLater(error)
      }
      actor = undefined
    }
    if (!actor || (actor.via === 'session' && !isSameOrigin(request, this.#ctx.config.publicUrl))) {
      // A cookie sent by a page of another origin is no credential here (cross-site WebSocket hijacking).
      return refuse(CloseCodes.Unauthenticated, 'sign in first')
    }
    if (typeof documentId !== 'string' || !UUID.test(documentId)) {
      return refuse(CloseCodes.DocumentNotFound, 'document not found')
    }
    let access: AccessResult
    try {
      if (await mustEnrolTwoFactor(this.#ctx, actor)) {
        // Staff without a second factor get nothing but setting one up (issue 12, item 8).
        return refuse(CloseCodes.Forbidden, 'set up a second factor first')
      }
      access = await this.#access(actor, documentId, request.ip)
    } catch (error) {
      return this.#retryLater(error)
    }
    return 'code' in access ? refuse(access.code, access.reason) : { ok: true, access }
  }

  // The database failed while deciding about a connection: the client is told to come back
  // (non-final, so providers retry with backoff and keep their edits).
  #retryLater(error: unknown): Admission {
    if (isDatabaseUnavailable(error)) {
      this.#ctx.log.warn(
        { module: 'collab', err: error },
        'database unavailable; a connection is told to retry',
      )
    } else {
      this.#ctx.log.error({ module: 'collab', err: error }, 'could not authorise a connection')
    }
    return refuse(CloseCodes.TryAgainLater, 'database unavailable; try again later')
  }

  /**
   * Takes an upgraded socket. A refused admission is closed at once with its code, before any
   * message is read. An admitted one is counted against the limits, joins its room and from
   * then on every frame goes to the room. `raw` is the TCP socket under `socket`, whose frames
   * are counted before ws reads them.
   */
  accept(socket: WebSocket, admission: Admission, raw?: RawSocket): void {
    if (!admission.ok) {
      socket.close(admission.code, admission.reason)
      return
    }
    const { access } = admission
    const limits = this.options.limits
    if (this.#stopping) {
      socket.close(CloseCodes.ShuttingDown, 'server shutting down')
      return
    }
    const room = this.#roomFor(access.documentId, access.processId)
    if (
      room.size >= limits.maxConnectionsPerDocument ||
      (this.#perUser.get(access.actor.userId) ?? 0) >= limits.maxConnectionsPerUser ||
      (this.#perAddress.get(access.ip) ?? 0) >= limits.maxConnectionsPerAddress
    ) {
      socket.close(CloseCodes.TooManyConnections, 'too many connections')
      if (room.size === 0) {
        this.#scheduleUnload(room)
      }
      return
    }
    const connection = new Connection(socket, access, limits.maxBufferedBytes)
    count(this.#perUser, access.actor.userId, 1)
    count(this.#perAddress, access.ip, 1)
    const flow = this.flow.open(access.actor.userId, access.ip)
    connection.flow = flow
    connection.onClose(() => {
      count(this.#perUser, access.actor.userId, -1)
      count(this.#perAddress, access.ip, -1)
      flow.release()
    })
    this.#cancelUnload(room)
    room.join(connection)
    // Every frame off the wire, fragments and pings included, is counted before ws parses it.
    if (raw) {
      connection.input = limitFrames(raw, flow.takeWireFrames, () => {
        this.#ctx.log.warn(
          { connectionId: connection.id, userId: access.actor.userId, budget: 'frames' },
          'closed a connection that sent more WebSocket frames than its budget',
        )
        connection.close(CloseCodes.SlowDown, 'slow down')
      })
    }
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      try {
        if (!isBinary) {
          connection.close(CloseCodes.BadMessage, 'binary messages only')
          return
        }
        // Budgets before anything is decoded (issue 12, item 2).
        const exceeded = connection.closedByServer ? undefined : flow.takeFrame(data.byteLength)
        if (exceeded) {
          this.#ctx.log.warn(
            { connectionId: connection.id, userId: access.actor.userId, budget: exceeded },
            'closed a connection that sent more than its budget',
          )
          connection.close(CloseCodes.SlowDown, 'slow down')
          return
        }
        // A plain Uint8Array over the frame: Buffer#slice would share `ws`'s pooled memory.
        room.receive(connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      } catch (error) {
        // The server never crashes on client input (issue 3, item 6).
        this.#ctx.log.error(
          { err: error, connectionId: connection.id },
          'unexpected error on a collaboration message',
        )
        connection.close(CloseCodes.BadMessage, 'malformed message')
      }
    })
  }

  /** A summary for tests, health checks and the benchmark. */
  stats(): { rooms: number; connections: number } {
    let connections = 0
    for (const room of this.rooms.values()) {
      connections += room.size
    }
    return { rooms: this.rooms.size, connections }
  }

  /**
   * Graceful shutdown, first half: refuses new connections, stores and relays everything every
   * room already received, then closes each socket with `ShuttingDown`. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const timer of this.#idleTimers.values()) {
        clearTimeout(timer)
      }
      this.#idleTimers.clear()
      await Promise.all(
        [...this.rooms.values()].map((room) =>
          room.stop(CloseCodes.ShuttingDown, 'server shutting down'),
        ),
      )
    })()
    return this.#stopping
  }

  /** Graceful shutdown, second half: stops timers, the compactor, the decoding worker and the fan-out. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.stop()
      for (const timer of this.#timers) {
        clearInterval(timer)
      }
      this.#ctx.events.off('membership.changed', this.#onMembershipChanged)
      this.#ctx.events.off('credentials.ended', this.#onCredentialsEnded)
      this.#ctx.events.off('document.deleted', this.#onDocumentDeleted)
      this.#ctx.events.off('document.appended', this.#onDocumentAppended)
      await this.compactor.close()
      await this.#checker.close()
      await this.#fanout?.close()
    })()
    return this.#closing
  }

  /** The room of a document, loading it if this instance does not hold it (or holds one that is stopping). */
  #roomFor(documentId: string, processId: string): Room {
    const existing = this.rooms.get(documentId)
    if (existing && (existing.status === 'loading' || existing.status === 'open')) {
      return existing
    }
    const log = this.#ctx.log.child({ module: 'collab', documentId })
    const room: Room = new Room({
      db: this.#ctx.db,
      documentId,
      processId,
      log,
      checker: this.#checker,
      limits: this.options.limits,
      awarenessFlushMs: this.options.awarenessFlushMs,
      compactAfterUpdates: this.options.compactAfterUpdates,
      fanout: this.#fanout,
      onWriteRefused: (connection) => this.#recordRefusedWrite(connection),
      onEmpty: (emptied) => this.#scheduleUnload(emptied),
      onClosed: (closed) => {
        this.#cancelUnload(closed)
        if (this.rooms.get(closed.documentId) === closed) {
          this.rooms.delete(closed.documentId)
          this.#fanout?.unwatch(closed.documentId)
        }
      },
      requestCompaction: (id) => this.compactor.request(id),
      hold: this.options.hold,
    })
    this.rooms.set(documentId, room)
    this.#fanout?.watch(documentId, room)
    return room
  }

  async #access(actor: Actor, documentId: string, ip: string): Promise<AccessResult> {
    try {
      const { document, membership } = await authorizeDocument(
        this.#ctx.db,
        actor,
        documentId,
        'documents.read',
      )
      return {
        actor,
        ip,
        documentId,
        processId: document.process_id,
        role: membership.role,
        // An archived process stays readable but changes nothing (permissions.ts ALLOWED_WHEN_ARCHIVED),
        // and an adopted one takes no drafting edits (lifecycle.ts STAGE_FORBIDS).
        readOnly:
          !can(membership.role, 'documents.edit') ||
          membership.archived ||
          !canInStage(membership.stage, 'documents.edit'),
        identity: {
          name: actor.name,
          color: presenceColor(actor.userId),
          stakeholderGroup: membership.stakeholderGroup,
        },
      }
    } catch (error) {
      if (error instanceof AppError && error.statusCode === 404) {
        return { code: CloseCodes.DocumentNotFound, reason: 'document not found' }
      }
      if (error instanceof AppError && error.statusCode === 403) {
        return { code: CloseCodes.Forbidden, reason: 'no access to this document' }
      }
      throw error
    }
  }

  // Authorises again every connection that `matches`, once per user and document, and applies
  // the outcome: no access closes, a change of write access closes with `PermissionsChanged`
  // (the provider reconnects with the new role; writes are refused from this moment), a new
  // stakeholder group changes the identity shown in presence.
  async #recheck(matches: (connection: Connection) => boolean): Promise<void> {
    const groups = new Map<string, { room: Room; connections: Connection[] }>()
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) {
        if (!matches(connection) || connection.closedByServer) {
          continue
        }
        const key = `${room.documentId}:${connection.actor.userId}`
        const group = groups.get(key) ?? { room, connections: [] }
        group.connections.push(connection)
        groups.set(key, group)
      }
    }
    const credentials = new Map<string, Promise<boolean>>()
    for (const { room, connections: all } of groups.values()) {
      // A connection whose session ended or whose token was revoked is closed so that the
      // client reconnects and authenticates again: with the browser's current session if it
      // has one, or it meets 4401 at the door.
      const connections: Connection[] = []
      for (const connection of all) {
        const key = `${connection.actor.sessionIdHash ?? ''}:${connection.actor.tokenHash ?? ''}`
        let live = credentials.get(key)
        if (live === undefined) {
          live = credentialIsLive(this.#ctx.db, connection.actor).catch((error: unknown) => {
            this.#ctx.log.error({ err: error }, 'could not check a connection’s credentials')
            return true
          })
          credentials.set(key, live)
        }
        if (await live) {
          connections.push(connection)
        } else {
          connection.readOnly = true
          connection.close(CloseCodes.PermissionsChanged, 'signed out')
        }
      }
      const first = connections[0]
      if (first === undefined) {
        continue
      }
      let access: AccessResult
      try {
        access = await this.#access(first.actor, room.documentId, first.ip)
      } catch (error) {
        this.#ctx.log.error(
          { err: error, documentId: room.documentId },
          'could not check a connection again',
        )
        continue
      }
      for (const connection of connections) {
        if ('code' in access) {
          connection.readOnly = true
          connection.close(access.code, access.reason)
        } else if (access.readOnly !== connection.readOnly) {
          connection.readOnly = true
          connection.close(CloseCodes.PermissionsChanged, 'permissions changed')
        } else {
          room.updateAccess(connection, {
            role: access.role,
            readOnly: access.readOnly,
            identity: access.identity,
          })
        }
      }
    }
  }

  async #pollHeads(): Promise<void> {
    const rooms = [...this.rooms.values()].filter((room) => room.status === 'open')
    if (rooms.length === 0) {
      return
    }
    const heads = await listDocumentHeads(
      this.#ctx.db,
      rooms.map((room) => room.documentId),
    )
    for (const room of rooms) {
      const head = heads.get(room.documentId)
      if (head === undefined) {
        room.close(CloseCodes.DocumentNotFound, 'document deleted')
      } else {
        room.catchUpTo(head)
      }
    }
  }

  #recordRefusedWrite(connection: Connection): void {
    if (connection.refusedWrites !== 1 && connection.refusedWrites % 1000 !== 0) {
      return
    }
    this.#ctx.log.warn(
      {
        module: 'collab',
        documentId: connection.documentId,
        userId: connection.actor.userId,
        role: connection.role,
        attempts: connection.refusedWrites,
      },
      'ignored a change from a read-only connection',
    )
    if (connection.refusedWrites === 1) {
      // One audit entry per connection: enough to see who tried, not a way to flood the log.
      recordAudit(
        this.#ctx.db,
        { userId: connection.actor.userId, name: connection.actor.name, ip: connection.ip },
        {
          processId: connection.processId,
          action: 'document.write_refused',
          targetType: 'document',
          targetId: connection.documentId,
          details: { role: connection.role },
        },
      ).catch((error: unknown) =>
        this.#ctx.log.error({ err: error }, 'could not record a refused write'),
      )
    }
  }

  #scheduleUnload(room: Room): void {
    this.#cancelUnload(room)
    if (this.#stopping) {
      return
    }
    const timer = setTimeout(() => {
      this.#idleTimers.delete(room)
      room
        .unloadIfIdle()
        .then(({ unloaded, storedSinceCompaction }) => {
          if (unloaded && storedSinceCompaction > 0) {
            this.compactor.request(room.documentId)
          }
        })
        .catch((error: unknown) => this.#ctx.log.error({ err: error }, 'could not unload a room'))
    }, this.options.idleUnloadMs)
    timer.unref()
    this.#idleTimers.set(room, timer)
  }

  #cancelUnload(room: Room): void {
    clearTimeout(this.#idleTimers.get(room))
    this.#idleTimers.delete(room)
  }
}

function refuse(code: CloseCode, reason: string): Admission {
  return { ok: false, code, reason }
}

function count(counts: Map<string, number>, key: string, delta: number): void {
  const next = (counts.get(key) ?? 0) + delta
  if (next <= 0) {
    counts.delete(key)
  } else {
    counts.set(key, next)
  }
}

// Browsers always send Origin on WebSocket handshakes; other clients (y-websocket in Node,
// scripts with a token) usually do not, and carry no ambient cookie to abuse.
function isSameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin
  if (origin === undefined) {
    return true
  }
  try {
    const url = new URL(origin)
    return url.host === request.headers.host || url.origin === new URL(publicUrl).origin
  } catch {
    return false
  }
}
