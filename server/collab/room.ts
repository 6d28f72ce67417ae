import type { FastifyBaseLogger } from 'fastify'
import * as Y from 'yjs'
import {
  Awareness,
  encodeAwarenessUpdate,
  removeAwarenessStates,
  applyAwarenessUpdate,
} from 'y-protocols/awareness'
import * as decoding from 'lib0/decoding'
import { CloseCodes } from '../../shared/collab/close-codes'
import type { CollabLimits } from '../../shared/collab/limits'
import type { Db } from '../db/database'
import { isDatabaseUnavailable } from '../db/unavailable'
import type { Connection } from './connection'
import { loadDocument, readUpdateRange, storeUpdates } from './persistence'
import { checkSchema } from './schema-guard'
import { rewriteAwarenessUpdate, restampPresence, type ClientIdOwner } from './presence'
import {
  decodeClientMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSaveCheckpointAck,
  encodeSyncStep2,
  encodeUpdate,
  isWrite,
  ProtocolError,
  readBytes,
  readUint,
  updateClientCount,
  type ClientMessage,
  type WriteMessage,
} from './protocol'
import { SyncAnswers } from './sync-answers'
import type { UpdateCheck, UpdateChecker } from './update-check'

/** Where a change to the room's document came from (Hocuspocus tags origins the same way). */
export type ChangeOrigin = Connection | 'remote' | 'log'

/** How a room tells other server instances about its stored updates and presence. */
export interface RoomFanout {
  /** Announces updates that are committed, each with its sequence number. */
  publishUpdates(documentId: string, updates: { seq: number; update: Uint8Array }[]): void
  publishAwareness(documentId: string, update: Uint8Array): void
}

/** What a room needs from the server around it. */
export interface RoomDeps {
  db: Db
  documentId: string
  processId: string
  log: FastifyBaseLogger
  checker: UpdateChecker
  limits: CollabLimits
  /** Presence changes are sent out in batches this often, so a busy room relays one message, not hundreds. */
  awarenessFlushMs: number
  /** Asks for a background compaction once this many updates were stored since the last. */
  compactAfterUpdates: number
  fanout: RoomFanout | undefined
  /** Called when a read-only connection sent a change: the attempt is recorded. */
  onWriteRefused: (connection: Connection) => void
  /** Called after the last connection left. */
  onEmpty: (room: Room) => void
  /** Called when the room stopped for good (unloaded, failed, document deleted). */
  onClosed: (room: Room) => void
  requestCompaction: (documentId: string) => void
  /** How the room holds edits while the database cannot be reached (issue 12, item 4). */
  hold: HoldLimits
}

/**
 * While the database cannot be reached, a room keeps taking edits: it applies them, holds them
 * in memory and retries their commit, and relays and acknowledges them once committed.
 */
export interface HoldLimits {
  /**
   * The most bytes of received messages applied but not yet committed. Beyond it the room
   * closes its writers with `TryAgainLater` (their clients keep what they type) and keeps what
   * it holds.
   */
  maxBytes: number
  /**
   * How long the room retries its commit. After that it closes every connection with
   * `TryAgainLater` and lets go of what it held: none of it was acknowledged, the clients still
   * have it and send it again when they reconnect.
   */
  maxMs: number
  /** The longest wait between two commit attempts (the backoff grows up to this). */
  retryMaxMs: number
}

type Item =
  | {
      kind: 'message'
      connection: Connection
      message: ClientMessage
      bytes: number
      check: Promise<UpdateCheck> | undefined
    }
  | { kind: 'join'; connection: Connection }
  | { kind: 'remote-update'; seq: number; update: Uint8Array }
  | { kind: 'remote-awareness'; update: Uint8Array }
  | { kind: 'head'; seq: number }
  | { kind: 'barrier'; resolve: () => void }

/** A batch of connections' messages that was applied ahead of its commit (see #drain). */
interface AppliedBatch {
  effects: Effect[]
  /** Messages handled once the batch is committed: presence, save checkpoints. */
  later: Item[]
  /** The bytes of the messages in the batch, counted in what the room holds. */
  bytes: number
}

interface Effect {
  update: Uint8Array
  origin: ChangeOrigin
  /** Changes from connections are stored; what came from the log or another instance is not (Hocuspocus `shouldSkipStoreHooks`). */
  store: boolean
  relay: boolean
}

// A batch is what arrived while the previous commit was in flight; the cap keeps one
// transaction and one burst of sends reasonable.
const MAX_BATCH = 512

/** The document of a room failed in a way that may have left the in-memory state damaged. */
class RoomBroken extends Error {}

/** The database stayed unreachable for longer than the room may hold edits. */
class HoldExpired extends Error {}

// The first retry of a commit comes soon (a restarting PostgreSQL is back within a second or
// two), later ones at most `retryMaxMs` apart, with jitter so that rooms do not retry together.
const FIRST_RETRY_MS = 50

// More relayed changes than this in one commit only come from a backlog (see #relayMerged).
const MERGED_RELAY_ABOVE = 64

function countRelayed(group: AppliedBatch[]): number {
  let count = 0
  for (const batch of group) {
    for (const effect of batch.effects) {
      if (effect.relay) {
        count++
      }
    }
  }
  return count
}

/**
 * One loaded document: a `Y.Doc`, its `Awareness`, the connections editing it, and the queue
 * through which every message passes.
 *
 * The rule that must never break (DESIGN, STYLE 2.9): acknowledged data is never lost. No
 * change reaches another client, another instance or a save checkpoint before it is committed
 * to PostgreSQL. Messages of a room are handled strictly in order, in batches: everything that
 * arrives while a commit is in flight goes into the next commit (group commit), so a commit
 * costs one statement however many people type. A batch of changes is applied while the
 * previous one is still committing (see #drain); commits and relays keep the order.
 *
 * Within a batch each change is first applied to the room's `Y.Doc`, which proves that it
 * integrates (an update can decode cleanly and still throw against the real document; stored,
 * it would break every later load), and Yjs reports what it actually changed. Only that
 * effect is stored, then relayed. Nobody can observe the document between the apply and the
 * commit: sync answers, relays and checkpoints of the batch all wait for the commit, and every
 * other reader (render, export, compaction) reads PostgreSQL, not this `Y.Doc`. If the commit
 * fails, the room closes every connection without relaying anything, and the clients, which
 * still hold their edits, resend them to a freshly loaded room.
 */
export class Room {
  readonly documentId: string
  readonly processId: string
  readonly doc = new Y.Doc()
  readonly awareness: Awareness
  readonly connections = new Set<Connection>()
  /** The sequence number of the last stored update this room's document includes; all before it are included too. */
  seq = 0
  lastActivityAt = Date.now()
  status: 'loading' | 'open' | 'stopping' | 'closed' = 'loading'
  readonly ready: Promise<void>

  readonly #deps: RoomDeps
  readonly #log: FastifyBaseLogger
  readonly #owners = new Map<number, ClientIdOwner>()
  readonly #remoteOwner: ClientIdOwner = { remote: true }
  /** Sync answers encoded once per document state (issue 12, item 2). */
  readonly answers: SyncAnswers
  #queue: Item[] = []
  #draining = false
  /** Batches applied ahead, not yet committed, in order. */
  #applied: AppliedBatch[] = []
  /** The commit loop of batches applied ahead, while it runs. */
  #committing: Promise<void> | undefined
  #capture: Effect[] | undefined
  #storedSinceCompaction = 0
  #dirtyLocal = new Set<number>()
  #dirtyRemote = new Set<number>()
  #awarenessTimer: NodeJS.Timeout | undefined
  /** Bytes of messages applied ahead and not yet committed (see HoldLimits). */
  #heldBytes = 0
  /** Since when the database has been unreachable for this room's commits, if it is. */
  #holdingSince: number | undefined

  constructor(deps: RoomDeps) {
    this.#deps = deps
    this.documentId = deps.documentId
    this.processId = deps.processId
    this.#log = deps.log
    this.awareness = new Awareness(this.doc)
    this.answers = new SyncAnswers(this.doc, deps.limits.maxClientIdsPerUpdate)
    // The server has no presence of its own (as y-websocket's server), and nobody may take its id.
    this.awareness.setLocalState(null)
    this.#owners.set(this.doc.clientID, this)
    this.doc.on('update', (update: Uint8Array, origin: unknown) =>
      this.#captureUpdate(update, origin),
    )
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>,
        origin: unknown,
      ) => {
        for (const clientId of removed) {
          // A state timed out or removed: an id that lived on another instance is free again.
          if (this.#owners.get(clientId) === this.#remoteOwner) {
            this.#owners.delete(clientId)
          }
        }
        for (const clientId of [...added, ...updated, ...removed]) {
          this.#dirtyLocal.add(clientId)
          if (origin !== 'remote') {
            this.#dirtyRemote.add(clientId)
          }
        }
        this.#scheduleAwarenessFlush()
      },
    )
    this.ready = this.#load()
  }

  /** The number of connections in the room. */
  get size(): number {
    return this.connections.size
  }

  /** Bytes of received messages the room has applied and not yet committed (see HoldLimits). */
  get heldBytes(): number {
    return this.#heldBytes
  }

  /**
   * Adds a connection. It receives relays from now on; the server's sync step 1 and the
   * presence of others follow in queue order, after any commit in flight. Returns false when
   * the room is stopping or closed; the caller then uses a new room.
   */
  join(connection: Connection): boolean {
    if (this.status === 'closed' || this.status === 'stopping') {
      return false
    }
    this.connections.add(connection)
    this.lastActivityAt = Date.now()
    connection.onClose(() => this.#leave(connection))
    this.#enqueue({ kind: 'join', connection })
    return true
  }

  /**
   * Takes one frame from a connection. Malformed frames close that connection only; everything
   * else is queued in arrival order. Updates start their bounded decode (yjs#687) right away,
   * so the worker's time overlaps the queue's.
   */
  receive(connection: Connection, frame: Uint8Array): void {
    connection.framesReceived++
    if (this.status === 'closed' || this.status === 'stopping' || connection.closedByServer) {
      return
    }
    this.lastActivityAt = Date.now()
    let message: ClientMessage
    try {
      message = decodeClientMessage(frame)
    } catch (error) {
      this.#refuseMessage(connection, error)
      return
    }
    let check: Promise<UpdateCheck> | undefined
    if (message.kind === 'sync-step-1' && !connection.requestSync(message.stateVector)) {
      return // Answered after the answer queued or in flight (issue 12, item 2).
    }
    if (isWrite(message)) {
      if (isEmptyUpdate(message.update)) {
        return // What a client with nothing new answers to sync step 1; nothing to store or refuse.
      }
      let clients: number
      try {
        clients = updateClientCount(message.update)
      } catch (error) {
        this.#refuseMessage(connection, error)
        return
      }
      if (
        message.update.byteLength > this.#deps.limits.maxMessageBytes ||
        clients > this.#deps.limits.maxClientIdsPerUpdate
      ) {
        // Refused before it is decoded (issue 12, item 2).
        connection.close(CloseCodes.TooLarge, 'update too large')
        return
      }
      // Readers' updates are decoded too: whether one would change anything decides whether
      // it is recorded as an attempt, and that needs a decode (yjs#687 applies to them as well).
      check = this.#deps.checker.check(message.update)
    }
    if (this.#heldBytes > this.#deps.hold.maxBytes) {
      this.#closeForHold(connection)
      return
    }
    connection.queuedBytes += frame.byteLength
    if (connection.queuedBytes > this.#deps.limits.maxQueuedBytesPerConnection) {
      if (this.#holdingSince !== undefined) {
        // The queue waits for the database, not for a client that sends too fast.
        this.#closeForHold(connection)
        return
      }
      this.#log.warn(
        { connectionId: connection.id, userId: connection.actor.userId },
        'closed a connection that sent faster than it could be stored',
      )
      connection.close(CloseCodes.TooManyConnections, 'sending too fast')
      return
    }
    this.#enqueue({ kind: 'message', connection, message, bytes: frame.byteLength, check })
  }

  /** Takes an update another instance committed with sequence number `seq`. */
  receiveRemoteUpdate(seq: number, update: Uint8Array): void {
    this.#enqueue({ kind: 'remote-update', seq, update })
  }

  /** Takes presence from another instance. */
  /** The presence states of this instance's connections, for another instance that asks. */
  localAwareness(): Uint8Array | null {
    const states = this.awareness.getStates()
    const clients = [...this.connections].flatMap((connection) =>
      [...connection.clientIds].filter((clientId) => states.has(clientId)),
    )
    return clients.length > 0 ? encodeAwarenessUpdate(this.awareness, clients) : null
  }

  receiveRemoteAwareness(update: Uint8Array): void {
    this.#enqueue({ kind: 'remote-awareness', update })
  }

  /**
   * Tells the room that the stored log reaches `seq`. If the room is behind (a pub/sub message
   * was lost, or another writer appended), it reads what it missed from the log.
   */
  catchUpTo(seq: number): void {
    if (seq > this.seq) {
      this.#enqueue({ kind: 'head', seq })
    }
  }

  /** Resolves once everything queued before this call is processed (stored, applied, relayed). */
  flush(): Promise<void> {
    if (this.status === 'closed') {
      return Promise.resolve()
    }
    return new Promise((resolve) => this.#enqueue({ kind: 'barrier', resolve }))
  }

  /** Gives write access back or takes it away, and updates the identity shown in presence. */
  updateAccess(
    connection: Connection,
    change: { role: Connection['role']; readOnly: boolean; identity: Connection['identity'] },
  ): void {
    connection.role = change.role
    connection.readOnly = change.readOnly
    const identityChanged = JSON.stringify(connection.identity) !== JSON.stringify(change.identity)
    connection.identity = change.identity
    if (identityChanged) {
      restampPresence(this.awareness, connection.clientIds, change.identity, connection)
    }
  }

  /**
   * Stops taking messages, processes everything already received, then closes every
   * connection with `code`. Used for graceful shutdown: nothing received is lost.
   */
  async stop(code: number, reason: string): Promise<void> {
    if (this.status === 'closed') {
      return
    }
    await this.ready.catch(() => undefined)
    const drained = this.flush()
    this.#stopIntake()
    await drained
    this.#close(code, reason)
  }

  /**
   * Unloads the room if nobody has joined since it became empty. Everything queued is stored
   * first. Returns whether it unloaded and how many updates are in the log since the last
   * compaction, so the caller can compact.
   */
  async unloadIfIdle(): Promise<{ unloaded: boolean; storedSinceCompaction: number }> {
    if (this.status !== 'open' || this.connections.size > 0) {
      return { unloaded: false, storedSinceCompaction: 0 }
    }
    await this.flush()
    if (this.status !== 'open' || this.connections.size > 0) {
      return { unloaded: false, storedSinceCompaction: 0 }
    }
    this.#close(CloseCodes.ShuttingDown, 'unloaded')
    return { unloaded: true, storedSinceCompaction: this.#storedSinceCompaction }
  }

  /** Closes every connection with `code` and stops the room at once, dropping what is queued. */
  close(code: number, reason: string): void {
    this.#close(code, reason)
  }

  async #load(): Promise<void> {
    try {
      const stored = await loadDocument(this.#deps.db, this.documentId)
      if (this.status === 'closed') {
        return
      }
      if (stored.update) {
        this.#answerFreshClients(stored.update)
        this.#capture = []
        Y.applyUpdate(this.doc, stored.update, 'log')
        this.#capture = undefined
        this.answers.seedWhole(stored.update)
      }
      this.seq = stored.seq
      this.#storedSinceCompaction = stored.storedUpdates
      if (this.status === 'loading') {
        this.status = 'open'
      }
      this.#log.info({ seq: stored.seq, storedUpdates: stored.storedUpdates }, 'room loaded')
      if (stored.storedUpdates >= this.#deps.compactAfterUpdates) {
        this.#requestCompaction()
      }
    } catch (error) {
      this.#capture = undefined
      if (isDatabaseUnavailable(error)) {
        this.#log.warn({ err: error }, 'could not load the document: database unavailable')
        this.#close(CloseCodes.TryAgainLater, 'database unavailable; try again later')
      } else {
        this.#log.error({ err: error }, 'could not load the document')
        this.#close(CloseCodes.InternalError, 'could not load the document')
      }
    }
  }

  // A client that connects with an empty document (a page just opened) asks for everything, and
  // everything is exactly the stored state just read: it is answered from those bytes before the
  // room spends its time applying them, so a large document reaches the reader sooner. Nothing
  // else was processed yet, so the answer is what the queue order would have given.
  #answerFreshClients(stored: Uint8Array): void {
    this.#queue = this.#queue.filter((item) => {
      const fresh =
        item.kind === 'message' &&
        item.message.kind === 'sync-step-1' &&
        item.message.stateVector.byteLength === 1 &&
        item.message.stateVector[0] === 0 &&
        !item.connection.closedByServer
      if (fresh) {
        item.connection.queuedBytes -= item.bytes
        this.#sendSyncAnswer(item.connection, [encodeSyncStep2(stored)])
      }
      return !fresh
    })
  }

  #enqueue(item: Item): void {
    if (this.status === 'closed') {
      if (item.kind === 'barrier') {
        item.resolve()
      }
      return
    }
    this.#queue.push(item)
    if (!this.#draining) {
      void this.#drain()
    }
  }

  // Batches of changes and the presence and checkpoints that come with them are applied as
  // soon as their checks are done and go to the commit loop, so applying the next batch
  // overlaps the commit of the previous one; the commit loop commits in order and relays each
  // batch only after its own commit. Nothing of such a batch reads the document for anyone.
  // Any other batch (a join or a sync step 1 answers from the document, a barrier, an update
  // from another instance) first waits until everything applied ahead is committed and
  // relayed, so what it reads and what it sends out is committed.
  async #drain(): Promise<void> {
    this.#draining = true
    try {
      await this.ready
      while (this.#queue.length > 0 && this.status !== 'closed') {
        const batch = this.#queue.splice(0, MAX_BATCH)
        if (batch.every(canApplyAhead)) {
          await this.#applyAhead(batch)
        } else {
          await this.#committing
          if (this.#isClosed()) {
            this.#releaseBarriers(batch)
            break
          }
          await this.#process(batch)
        }
      }
    } catch (error) {
      // Nothing of the failed batch was relayed or acknowledged; the clients resend it.
      this.#fail(error)
    } finally {
      this.#draining = false
    }
  }

  async #applyAhead(batch: Item[]): Promise<void> {
    const checks = await Promise.all(
      batch.map((item) => (item.kind === 'message' ? item.check : undefined)),
    )
    if (this.status === 'closed') {
      return
    }
    const applied: AppliedBatch = { effects: [], later: [], bytes: 0 }
    // Synchronous from here on: nothing else runs while the capture is this batch's.
    this.#captureInto(applied.effects, () => {
      batch.forEach((item, i) => {
        if (item.kind !== 'message') {
          return // canApplyAhead lets only messages through.
        }
        item.connection.queuedBytes -= item.bytes
        applied.bytes += item.bytes
        if (isWrite(item.message)) {
          this.#applyWrite(item.connection, item.message, checks[i]!)
        } else {
          applied.later.push(item)
        }
      })
    })
    this.#applied.push(applied)
    this.#heldBytes += applied.bytes
    if (this.#heldBytes > this.#deps.hold.maxBytes) {
      this.#closeWritersForHold()
    }
    this.#committing ??= this.#commitApplied()
  }

  // Commits what was applied ahead, in order, all that is waiting in one statement, and relays
  // each batch after its commit. The next commit starts before the relays of the previous one,
  // so PostgreSQL works while this thread sends.
  async #commitApplied(): Promise<void> {
    try {
      let group = this.#takeApplied()
      let storing = this.#storeEffects(
        group.flatMap((batch) => batch.effects),
        group.at(-1)!.effects,
      )
      while (group.length > 0) {
        if (!(await storing) || this.status === 'closed') {
          return
        }
        const next = this.#takeApplied()
        if (next.length > 0) {
          storing = this.#storeEffects(
            next.flatMap((batch) => batch.effects),
            next.at(-1)!.effects,
          )
        }
        if (countRelayed(group) > MERGED_RELAY_ABOVE) {
          this.#relayMerged(group)
        } else {
          for (const batch of group) {
            this.#heldBytes -= batch.bytes
            this.#relay(batch.effects, batch.later)
          }
        }
        group = next
      }
    } catch (error) {
      // Nothing of the failed commit was relayed or acknowledged; the clients resend it.
      this.#fail(error)
    } finally {
      this.#committing = undefined
    }
  }

  // The oldest applied batches, as many as keep one commit within MAX_BATCH updates (one at least).
  #takeApplied(): AppliedBatch[] {
    let count = 0
    let taken = 0
    for (const batch of this.#applied) {
      if (taken > 0 && count + batch.effects.length > MAX_BATCH) {
        break
      }
      count += batch.effects.length
      taken++
    }
    return this.#applied.splice(0, taken)
  }

  async #process(batch: Item[]): Promise<void> {
    await Promise.all(batch.map((item) => (item.kind === 'message' ? item.check : undefined)))
    const effects: Effect[] = []
    const later: Item[] = []
    this.#capture = effects
    try {
      for (const item of batch) {
        switch (item.kind) {
          case 'message':
            item.connection.queuedBytes -= item.bytes
            if (isWrite(item.message)) {
              this.#applyWrite(item.connection, item.message, await item.check!)
            } else {
              later.push(item)
            }
            break
          case 'remote-update':
            await this.#applyRemote(item.seq, item.update, effects)
            break
          case 'head':
            await this.#readLogUpTo(item.seq, effects)
            break
          case 'join':
          case 'remote-awareness':
          case 'barrier':
            later.push(item)
            break
        }
      }
      if (!(await this.#storeEffects(effects, effects))) {
        this.#releaseBarriers(later)
        return
      }
    } finally {
      this.#capture = undefined
    }
    this.#relay(effects, later)
  }

  /**
   * Commits the effects to be stored and takes the sequence numbers. Returns false when the
   * room closed (the document was deleted meanwhile); nothing may be relayed then. What other
   * writers stored in between is read from the log and relayed with `relayTail` at the latest.
   */
  async #storeEffects(effects: Effect[], relayTail: Effect[]): Promise<boolean> {
    const toStore = effects.filter((effect) => effect.store)
    if (toStore.length === 0) {
      return this.status !== 'closed'
    }
    // DESIGN: acknowledged data is never lost. Commit, then relay and acknowledge.
    const seqs = await this.#commit(toStore.map((effect) => effect.update))
    if (this.status === 'closed') {
      return false
    }
    if (seqs === undefined) {
      this.#log.info('document deleted while it was being edited')
      this.#close(CloseCodes.DocumentNotFound, 'document deleted')
      return false
    }
    // Sequence numbers are handed out under the document row's lock, so every number below
    // ours is committed: if ours do not follow on, another writer's updates are in between.
    if (seqs[0]! > this.seq + 1) {
      // Batches applied ahead and not committed yet may be in what Yjs reports for these
      // (their parts that waited for a missing dependency): the last applied batch relays it,
      // after its own commit.
      const relayAfter = this.#applied.at(-1)?.effects ?? relayTail
      await this.#readLogUpTo(seqs[0]! - 1, relayAfter)
      if (this.#isClosed()) {
        return false
      }
    }
    this.seq = seqs[seqs.length - 1]!
    this.#deps.fanout?.publishUpdates(
      this.documentId,
      toStore.map((effect, i) => ({ seq: seqs[i]!, update: effect.update })),
    )
    this.#storedSinceCompaction += seqs.length
    if (this.#storedSinceCompaction >= this.#deps.compactAfterUpdates) {
      this.#requestCompaction()
    }
    return true
  }

  // Commits updates to the log. While the database cannot be reached the commit is tried again
  // with backoff, for at most `hold.maxMs`; the room meanwhile keeps applying what arrives and
  // holds it (see #applyAhead), and nothing of it is relayed or acknowledged before it is
  // committed. A commit whose answer was lost may have been stored already: trying again then
  // stores the same updates twice, which Yjs applies once, and the gap it leaves in the sequence
  // numbers is read back from the log like another writer's updates.
  async #commit(updates: Uint8Array[]): Promise<number[] | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        const seqs = await storeUpdates(this.#deps.db, this.documentId, updates)
        if (this.#holdingSince !== undefined) {
          this.#log.info(
            { heldMs: Date.now() - this.#holdingSince, heldBytes: this.#heldBytes },
            'database back; the edits held meanwhile are committed',
          )
          this.#holdingSince = undefined
        }
        return seqs
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.status === 'closed') {
          throw error
        }
        if (this.#holdingSince === undefined) {
          this.#holdingSince = Date.now()
          this.#log.warn(
            { err: error },
            'database unavailable; holding edits and retrying the commit',
          )
        }
        if (Date.now() - this.#holdingSince >= this.#deps.hold.maxMs) {
          throw new HoldExpired(`the database was unavailable for ${this.#deps.hold.maxMs} ms`, {
            cause: error,
          })
        }
        const ceiling = Math.min(
          this.#deps.hold.retryMaxMs,
          FIRST_RETRY_MS * 2 ** Math.min(attempt, 16),
        )
        await new Promise((resolve) =>
          setTimeout(resolve, ceiling / 2 + (Math.random() * ceiling) / 2),
        )
        if (this.#isClosed()) {
          return undefined
        }
      }
    }
  }

  // Closes a connection that sent something while the room holds as much as it may.
  #closeForHold(connection: Connection): void {
    connection.close(CloseCodes.TryAgainLater, 'database unavailable; your edits are kept')
  }

  // The room holds as much as it may: its writers are told to come back later; what it holds
  // stays and is committed once the database is back.
  #closeWritersForHold(): void {
    let closed = 0
    for (const connection of this.connections) {
      if (!connection.readOnly && !connection.closedByServer) {
        this.#closeForHold(connection)
        closed++
      }
    }
    if (closed > 0) {
      this.#log.warn(
        { heldBytes: this.#heldBytes, closed },
        'holding the most edits a room may hold; closed its writers until the database is back',
      )
    }
  }

  // The room cannot go on. When the database is only away, the clients are told to try again
  // later rather than that something broke; either way they reconnect and resend.
  #fail(error: unknown): void {
    if (error instanceof HoldExpired || isDatabaseUnavailable(error)) {
      this.#log.warn({ err: error }, 'room closed: database unavailable')
      this.#close(CloseCodes.TryAgainLater, 'database unavailable; try again later')
      return
    }
    this.#log.error({ err: error }, 'room failed; closing its connections')
    this.#close(CloseCodes.InternalError, 'internal error')
  }

  // A backlog committed at once (what was held while the database was away) goes out as one
  // merged update per commit instead of hundreds of messages to every connection, which each
  // client would apply one by one. Everyone gets it, its authors too: Yjs ignores what a
  // document already has. The other messages of the batches follow, in order.
  #relayMerged(group: AppliedBatch[]): void {
    const later = group.flatMap((batch) => batch.later)
    for (const batch of group) {
      this.#heldBytes -= batch.bytes
    }
    if (this.status === 'closed') {
      this.#releaseBarriers(later)
      return
    }
    const updates = group.flatMap((batch) =>
      batch.effects.filter((effect) => effect.relay).map((effect) => effect.update),
    )
    this.#broadcast(encodeUpdate(Y.mergeUpdates(updates)))
    for (const item of later) {
      this.#handleAfterCommit(item)
    }
  }

  // Sends what a committed batch changed to everyone else, then handles its other messages.
  #relay(effects: Effect[], later: Item[]): void {
    if (this.status === 'closed') {
      this.#releaseBarriers(later)
      return
    }
    for (const effect of effects) {
      if (effect.relay) {
        this.#broadcast(encodeUpdate(effect.update), effect.origin)
      }
    }
    for (const item of later) {
      this.#handleAfterCommit(item)
    }
  }

  #releaseBarriers(items: Item[]): void {
    for (const item of items) {
      if (item.kind === 'barrier') {
        item.resolve()
      }
    }
  }

  #applyWrite(connection: Connection, message: WriteMessage, check: UpdateCheck): void {
    if (connection.closedByServer) {
      return
    }
    if (!check.ok) {
      this.#log.warn(
        { connectionId: connection.id, userId: connection.actor.userId, reason: check.reason },
        'refused an update',
      )
      connection.close(
        check.tooLarge ? CloseCodes.TooLarge : CloseCodes.BadMessage,
        check.tooLarge ? 'update too large' : 'malformed update',
      )
      return
    }
    if (connection.readOnly) {
      // Issue 3: a reader's change is ignored and the attempt recorded. A reader's sync step 2
      // repeats what the server has (a delete set is always sent whole); that is no attempt.
      if (changesDocument(this.doc, message.update)) {
        this.#refuseWrite(connection)
      }
      return
    }
    // Issue 12, item 3: what the schema does not allow is never stored, so no editor deletes it.
    const schemaCheck = checkSchema(this.doc, message.update)
    if (!schemaCheck.ok) {
      this.#log.warn(
        {
          connectionId: connection.id,
          userId: connection.actor.userId,
          reason: schemaCheck.reason,
        },
        'refused an update that breaks the document schema',
      )
      connection.close(CloseCodes.SchemaViolation, 'update breaks the document schema')
      return
    }
    try {
      Y.applyUpdate(this.doc, message.update, connection)
    } catch (error) {
      // The update decoded on its own but not against this document. The transaction may have
      // changed the document halfway, so the room cannot go on: nothing of it is stored.
      connection.close(CloseCodes.BadMessage, 'update does not apply to the document')
      throw new RoomBroken(
        `an update from connection ${connection.id} failed to apply: ${(error as Error).message}`,
      )
    }
    const store = this.doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // Parts that wait for missing dependencies are not in Yjs's reported change yet; store
      // the update as sent too, so a checkpoint acknowledges nothing that only lives in memory.
      this.#capture?.push({ update: message.update, origin: connection, store: true, relay: false })
    }
  }

  async #applyRemote(seq: number, update: Uint8Array, into: Effect[]): Promise<void> {
    if (seq <= this.seq) {
      return // This instance's own update, or one it already read from the log.
    }
    if (seq > this.seq + 1) {
      // Pub/sub lost something: PostgreSQL is the source of truth.
      await this.#readLogUpTo(seq, into)
      return
    }
    this.#captureInto(into, () => Y.applyUpdate(this.doc, update, 'remote'))
    this.seq = seq
  }

  // Applies the stored updates after `this.seq` up to `upToSeq`. When a compaction (here or on
  // another instance) merged them into the snapshot first, the whole stored state is applied:
  // Yjs ignores what the document already has.
  // What changes is captured into `into`.
  async #readLogUpTo(upToSeq: number, into: Effect[]): Promise<void> {
    if (upToSeq <= this.seq) {
      return
    }
    const rows = await readUpdateRange(this.#deps.db, this.documentId, this.seq, upToSeq)
    if (this.status === 'closed') {
      return
    }
    if (rows) {
      this.#captureInto(into, () => {
        for (const row of rows) {
          Y.applyUpdate(this.doc, row.update, 'log')
        }
      })
      this.seq = upToSeq
      return
    }
    const stored = await loadDocument(this.#deps.db, this.documentId)
    if (this.#isClosed()) {
      return
    }
    if (stored.update) {
      const update = stored.update
      this.#captureInto(into, () => Y.applyUpdate(this.doc, update, 'log'))
    }
    this.seq = Math.max(this.seq, stored.seq)
  }

  // A method, not a comparison of `status`, because TypeScript keeps a narrowed `status` across
  // an await that may have closed the room.
  #isClosed(): boolean {
    return this.status === 'closed'
  }

  // Runs `change` with the document's changes captured into `into`, then restores the capture.
  #captureInto(into: Effect[], change: () => void): void {
    const previous = this.#capture
    this.#capture = into
    try {
      change()
    } finally {
      this.#capture = previous
    }
  }

  #handleAfterCommit(item: Item): void {
    switch (item.kind) {
      case 'join': {
        const { connection } = item
        connection.send(this.answers.stepOne())
        const clients = [...this.awareness.getStates().keys()]
        if (clients.length > 0) {
          connection.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, clients)))
        }
        break
      }
      case 'message':
        this.#handleMessage(item.connection, item.message)
        break
      case 'remote-awareness':
        this.#applyRemoteAwareness(item.update)
        break
      case 'barrier':
        item.resolve()
        break
      case 'remote-update':
      case 'head':
        break
    }
  }

  #handleMessage(connection: Connection, message: ClientMessage): void {
    if (connection.closedByServer || connection.closed) {
      return // A presence update processed after the leave would bring back a ghost.
    }
    switch (message.kind) {
      case 'sync-step-1': {
        let answer: Uint8Array[]
        try {
          answer = this.answers.answer(message.stateVector)
        } catch (error) {
          this.#refuseMessage(connection, error)
          return
        }
        this.#sendSyncAnswer(connection, answer)
        break
      }
      case 'awareness': {
        try {
          const rewritten = rewriteAwarenessUpdate(message.update, {
            identity: connection.identity,
            clientIds: connection.clientIds,
            owners: this.#owners,
            owner: connection,
            clockOf: (clientId) => this.awareness.meta.get(clientId)?.clock,
            maxClientIds: this.#deps.limits.maxClientIdsPerConnection,
            maxStateBytes: this.#deps.limits.maxAwarenessStateBytes,
          })
          // Echoes are what stock providers do (issue 12, item 1); only attempts are logged.
          if (rewritten.refused > rewritten.echoed) {
            this.#log.warn(
              {
                connectionId: connection.id,
                userId: connection.actor.userId,
                refused: rewritten.refused - rewritten.echoed,
              },
              'dropped presence for client ids the connection does not own',
            )
          }
          if (rewritten.update) {
            applyAwarenessUpdate(this.awareness, rewritten.update, connection)
          }
        } catch (error) {
          this.#refuseMessage(connection, error)
        }
        break
      }
      case 'query-awareness': {
        const clients = [...this.awareness.getStates().keys()]
        connection.send(encodeAwareness(encodeAwarenessUpdate(this.awareness, clients)))
        break
      }
      case 'save-checkpoint':
        // Everything this connection sent before the checkpoint is in a batch already committed.
        if (!connection.readOnly) {
          connection.send(encodeSaveCheckpointAck(message.id))
        }
        break
      case 'auth':
        break
      case 'sync-step-2':
      case 'update':
        break
    }
  }

  // One answer per connection at a time; a sync step 1 that came meanwhile is queued after it.
  #sendSyncAnswer(connection: Connection, answer: Uint8Array[]): void {
    const sent = connection.sendSyncAnswer(answer, (stateVector) =>
      this.#enqueue({
        kind: 'message',
        connection,
        message: { kind: 'sync-step-1', stateVector },
        bytes: 0,
        check: undefined,
      }),
    )
    if (!sent) {
      this.#log.warn(
        { connectionId: connection.id, userId: connection.actor.userId },
        'closed a connection that asked for the document again and again',
      )
      connection.close(CloseCodes.SlowDown, 'slow down')
    }
  }

  #applyRemoteAwareness(update: Uint8Array): void {
    try {
      // Record which client ids live on other instances, so no local connection can claim them.
      const decoder = decoding.createDecoder(update)
      const count = readUint(decoder)
      for (let i = 0; i < count; i++) {
        const clientId = readUint(decoder)
        readUint(decoder)
        const isRemoval = new TextDecoder().decode(readBytes(decoder)) === 'null'
        const owner = this.#owners.get(clientId)
        if (isRemoval && owner === this.#remoteOwner) {
          this.#owners.delete(clientId)
        } else if (!isRemoval && owner === undefined) {
          this.#owners.set(clientId, this.#remoteOwner)
        }
      }
      applyAwarenessUpdate(this.awareness, update, 'remote')
    } catch (error) {
      this.#log.warn({ err: error }, 'ignored a malformed presence update from another instance')
    }
  }

  #captureUpdate(update: Uint8Array, origin: unknown): void {
    if (!this.#capture) {
      // Every change goes through the queue; one outside it would bypass storage.
      this.#log.error({ origin: String(origin) }, 'a document changed outside the room queue')
      return
    }
    if (origin === 'log' || origin === 'remote') {
      this.#capture.push({ update, origin, store: false, relay: true })
    } else {
      this.#capture.push({ update, origin: origin as Connection, store: true, relay: true })
    }
  }

  #broadcast(message: Uint8Array, except?: ChangeOrigin): void {
    for (const connection of this.connections) {
      if (connection !== except) {
        connection.send(message)
      }
    }
  }

  #scheduleAwarenessFlush(): void {
    if (this.#awarenessTimer || this.status === 'closed') {
      return
    }
    this.#awarenessTimer = setTimeout(() => {
      this.#awarenessTimer = undefined
      this.#flushAwareness()
    }, this.#deps.awarenessFlushMs)
  }

  #flushAwareness(): void {
    const local = [...this.#dirtyLocal].filter((clientId) => this.awareness.meta.has(clientId))
    const remote = [...this.#dirtyRemote].filter((clientId) => this.awareness.meta.has(clientId))
    this.#dirtyLocal.clear()
    this.#dirtyRemote.clear()
    if (local.length > 0) {
      this.#broadcast(encodeAwareness(encodeAwarenessUpdate(this.awareness, local)))
    }
    if (remote.length > 0) {
      this.#deps.fanout?.publishAwareness(
        this.documentId,
        encodeAwarenessUpdate(this.awareness, remote),
      )
    }
  }

  #leave(connection: Connection): void {
    if (!this.connections.delete(connection)) {
      return
    }
    this.lastActivityAt = Date.now()
    for (const clientId of connection.clientIds) {
      if (this.#owners.get(clientId) === connection) {
        this.#owners.delete(clientId)
      }
    }
    if (this.status !== 'closed') {
      removeAwarenessStates(this.awareness, [...connection.clientIds], connection)
    }
    if (this.connections.size === 0 && this.status !== 'closed') {
      this.#deps.onEmpty(this)
    }
  }

  #refuseWrite(connection: Connection): void {
    connection.refusedWrites++
    if (connection.refusedWrites === 1) {
      // Tell the client once, in y-websocket's own terms; an unmodified provider logs it.
      connection.send(encodePermissionDenied('read-only'))
    }
    this.#deps.onWriteRefused(connection)
  }

  #refuseMessage(connection: Connection, error: unknown): void {
    const reason = error instanceof ProtocolError ? error.message : 'malformed message'
    this.#log.warn(
      { connectionId: connection.id, userId: connection.actor.userId, reason },
      'closed a connection that sent a malformed message',
    )
    connection.close(CloseCodes.BadMessage, 'malformed message')
  }

  // Messages that arrive from now on are dropped (the clients resend them to the next room);
  // what is queued is still processed.
  #stopIntake(): void {
    if (this.status !== 'closed') {
      this.status = 'stopping'
    }
  }

  #requestCompaction(): void {
    this.#storedSinceCompaction = 0
    this.#deps.requestCompaction(this.documentId)
  }

  #close(code: number, reason: string): void {
    if (this.status === 'closed') {
      return
    }
    this.status = 'closed'
    clearTimeout(this.#awarenessTimer)
    this.#applied = []
    this.#heldBytes = 0
    for (const item of this.#queue.splice(0)) {
      if (item.kind === 'barrier') {
        item.resolve()
      }
    }
    for (const connection of [...this.connections]) {
      connection.close(code, reason)
    }
    this.connections.clear()
    this.awareness.destroy()
    this.doc.destroy()
    this.#deps.onClosed(this)
  }
}

// A message that reads nothing of the document for anyone can be applied before the batches
// ahead of it are committed (see Room#drain). A sync step 1 answers from the document.
function canApplyAhead(item: Item): boolean {
  return item.kind === 'message' && item.message.kind !== 'sync-step-1'
}

/** Tells whether an update is the empty update (no structs, no deletions) in Yjs's v1 encoding. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0
}

/**
 * Tells whether applying `update` would change `doc`: it has structs the document lacks, or
 * deletes something the document has not deleted. Only called on updates that passed the
 * bounded decode.
 */
function changesDocument(doc: Y.Doc, update: Uint8Array): boolean {
  const diff = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVector(doc)))
  if (diff.structs.some((struct) => !(struct instanceof Y.Skip))) {
    return true
  }
  if (diff.ds.clients.size === 0) {
    return false
  }
  const deleted = Y.createDeleteSetFromStructStore(doc.store)
  for (const [client, ranges] of diff.ds.clients) {
    const have = deleted.clients.get(client) ?? []
    for (const range of ranges) {
      // The document's ranges are sorted and maximal, so a covered range lies inside one of them.
      let low = 0
      let high = have.length - 1
      let covered = false
      while (low <= high) {
        const mid = (low + high) >> 1
        const item = have[mid]!
        if (range.clock < item.clock) {
          high = mid - 1
        } else if (range.clock >= item.clock + item.len) {
          low = mid + 1
        } else {
          covered = range.clock + range.len <= item.clock + item.len
          break
        }
      }
      if (!covered) {
        return true
      }
    }
  }
  return false
}
