import { computed, signal, type ReadonlySignal } from '@preact/signals'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebsocketProvider, messageAwareness, messageSync } from 'y-websocket'
import * as awarenessProtocol from 'y-protocols/awareness'
import { messageYjsSyncStep1, messageYjsUpdate } from 'y-protocols/sync'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import type { PresenceUser } from '../../shared/collab/presence'
import { MAX_CHECKPOINT_ID, MessageType, encodeSaveCheckpoint } from '../../shared/collab/messages'
import { SCHEMA_VERSION } from '../../shared/schema/version'

/**
 * The client side of the collaboration socket: a y-websocket `WebsocketProvider` for one
 * document, with what the stock provider lacks wired around it. Reconnection backs off with
 * random jitter (DESIGN: a server restart must not bring every client back in the same
 * millisecond); close codes become UI states; a save checkpoint after local edits makes the
 * "saved" indicator truthful (the server answers only once the edits are committed); presence
 * updates are throttled and carry only this client's own state.
 */

/**
 * How the socket is doing, as the editor shows it. `server-unavailable`: the server said it
 * cannot store anything at the moment (`TryAgainLater`, its database is away); the session
 * keeps the edits and reconnects, so the person keeps writing (issue 12, item 4).
 */
export type ConnectionStatus =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'server-unavailable'
  | 'offline'

/**
 * Whether this client's edits are stored: `saved` when the server confirmed every one,
 * `saving` while a confirmation is on its way, `unsaved` while there is no connection to send
 * them on (they are kept in memory and merged on reconnect).
 */
export type SaveStatus = 'saved' | 'saving' | 'unsaved'

/**
 * Why the connection stopped for good (until the person acts): the server's close code,
 * translated. `null` while the connection is alive or retrying.
 */
export type StopReason =
  | 'signed-out'
  | 'forbidden'
  | 'not-found'
  | 'schema-outdated'
  | 'too-large'
  | 'too-many-connections'
  | 'bad-message'
  | 'schema-violation'

export interface CollabOptions {
  /** Read-only members never send changes or checkpoints. */
  readOnly: boolean
  /** The server ended the session (4401): the app sends the person to sign in. */
  onSignedOut?: () => void
  /** The member's role or access changed (4205): the page loads the process again. */
  onPermissionsChanged?: () => void
  /**
   * Who we are, as far as we know. The server overwrites it with the identity of the session
   * (DESIGN: presence comes from the session); setting it also gives our awareness state a
   * clock above 0, without which peers ignore it until our cursor first moves.
   */
  presence?: PresenceUser
  /** Where the socket lives; defaults to this page's origin. For tests and the benchmark. */
  serverUrl?: string
}

/** Reconnect delays: the first retry comes within a second, later ones up to half a minute. */
const BACKOFF_BASE_MS = 500
const BACKOFF_MAX_MS = 30_000
/**
 * "Saved" shows only once edits have been confirmed and none followed for this long, so the
 * indicator does not flicker (and the page does not repaint) with every key press. It errs on
 * the side of "saving": never "saved" before the server confirmed.
 */
const SAVED_SETTLE_MS = 600
/**
 * Collaborators' changes that arrive within this window are applied together. Each applied
 * change makes the editor rebuild its view of the document's top level, so a dozen people
 * typing at once would otherwise cost dozens of rebuilds a second on a 300-page draft; 60 ms
 * later is not something anyone can see.
 */
const REMOTE_BATCH_MS = 60
/** Presence (cursor) changes are sent at most this often. DESIGN: presence is rate-limited. */
const AWARENESS_THROTTLE_MS = 120

/**
 * A delay for reconnection attempt `attempt` (0-based): exponential, capped, and "equal
 * jitter" (half fixed, half random), so clients spread out but none retries at once.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16))
  return ceiling / 2 + random() * (ceiling / 2)
}

function stopReasonFor(code: number): StopReason | null {
  switch (code) {
    case CloseCodes.Unauthenticated:
      return 'signed-out'
    case CloseCodes.Forbidden:
      return 'forbidden'
    case CloseCodes.DocumentNotFound:
      return 'not-found'
    case CloseCodes.SchemaOutdated:
      return 'schema-outdated'
    case CloseCodes.TooLarge:
      // Reconnecting would send the same oversized change again.
      return 'too-large'
    case CloseCodes.TooManyConnections:
      return 'too-many-connections'
    case CloseCodes.BadMessage:
      return 'bad-message'
    case CloseCodes.SchemaViolation:
      // Reconnecting would resend the same change; the page must reload the stored document.
      return 'schema-violation'
    default:
      return null
  }
}

function defaultServerUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${window.location.host}/collab`
}

/** One open document: its Y.Doc, presence, and the state of its connection. */
export class CollabSession {
  readonly doc = new Y.Doc()
  /** The ProseMirror content (DESIGN: the XML fragment named `prosemirror`). */
  readonly fragment = this.doc.getXmlFragment('prosemirror')
  readonly awareness: awarenessProtocol.Awareness
  readonly provider: WebsocketProvider

  readonly #stop = signal<StopReason | null>(null)
  readonly #online = signal(typeof navigator === 'undefined' ? true : navigator.onLine)
  readonly #synced = signal(false)
  readonly #everSynced = signal(false)
  readonly #readOnly = signal(false)
  readonly #localVersion = signal(0)
  readonly #savedVersion = signal(0)
  readonly #handshakeDone = signal(false)
  readonly #settled = signal(true)
  /** The server's last close was `TryAgainLater`, and no sync has happened since. */
  readonly #serverUnavailable = signal(false)

  /** Why the connection stopped, or null. */
  readonly stop: ReadonlySignal<StopReason | null> = this.#stop
  readonly status: ReadonlySignal<ConnectionStatus>
  readonly save: ReadonlySignal<SaveStatus>
  /** Resolves at the first complete sync with the server (the document is loaded). */
  readonly synced: Promise<void>

  #options: CollabOptions
  #attempt = 0
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #checkpointSeq = 0
  #inFlight: { id: number; version: number } | null = null
  #flushQueued = false
  #awarenessTimer: ReturnType<typeof setTimeout> | undefined
  #settleTimer: ReturnType<typeof setTimeout> | undefined
  #remoteUpdates: Uint8Array[] = []
  #remoteTimer: ReturnType<typeof setTimeout> | undefined
  #awarenessLastSent = 0
  #destroyed = false
  #resolveSynced!: () => void

  constructor(documentId: string, options: CollabOptions) {
    this.#options = options
    this.#readOnly.value = options.readOnly
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalStateField('user', options.presence ?? null)
    this.synced = new Promise((resolve) => {
      this.#resolveSynced = resolve
    })

    this.status = computed(() => {
      if (!this.#online.value) {
        return 'offline'
      }
      if (this.#synced.value) {
        return 'connected'
      }
      if (this.#serverUnavailable.value) {
        return 'server-unavailable'
      }
      return this.#everSynced.value ? 'reconnecting' : 'connecting'
    })
    this.save = computed(() => {
      if (this.#readOnly.value) {
        return 'saved'
      }
      if (this.#localVersion.value <= this.#savedVersion.value) {
        return this.#settled.value ? 'saved' : 'saving'
      }
      return this.#handshakeDone.value && this.#online.value ? 'saving' : 'unsaved'
    })

    this.provider = new WebsocketProvider(options.serverUrl ?? defaultServerUrl(), documentId, this.doc, {
      awareness: this.awareness,
      params: { schemaVersion: SCHEMA_VERSION },
      // Every tab talks to the server: the server is the only judge of what is saved, and a
      // read-only tab must not receive a writer's unsaved state through BroadcastChannel.
      disableBc: true,
      // The provider's own backoff has no jitter. It gives every server close to us instead
      // (returning false stops it), and we decide: show a message, or retry with jitter.
      shouldReconnect: () => false,
      connect: false,
    })
    this.#wireMessages()
    this.#wireAwareness()
    this.provider.on('sync', (isSynced: boolean) => {
      this.#synced.value = isSynced
      if (isSynced) {
        this.#attempt = 0
        this.#serverUnavailable.value = false
        this.#everSynced.value = true
        this.#resolveSynced()
      }
    })
    this.provider.on('connection-close', () => {
      this.#synced.value = false
      this.#handshakeDone.value = false
      this.#inFlight = null
    })
    this.provider.on('closed', ({ code }: { code: number }) => this.#onServerClose(code))
    this.doc.on('update', this.#onDocUpdate)
    window.addEventListener('online', this.#onOnline)
    window.addEventListener('offline', this.#onOffline)
    window.addEventListener('beforeunload', this.#onBeforeUnload)
    if (this.#online.value) {
      this.provider.connect()
    }
  }

  /** Whether this session may send changes. */
  get readOnly(): boolean {
    return this.#readOnly.value
  }

  /**
   * Switches between reading and editing after the member's role changed. A read-only session
   * sends no document changes at all, so the server's refusal is never what a reader meets.
   */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this.#readOnly.value) {
      return
    }
    this.#readOnly.value = readOnly
    if (readOnly) {
      this.doc.off('update', this.provider._updateHandler)
    } else {
      this.doc.on('update', this.provider._updateHandler)
      // Anything typed meanwhile reaches the server with the next sync.
      this.#queueFlush()
    }
  }

  /** Tries again after a stop that a retry can fix (too many connections, too large). */
  retry(): void {
    this.#stop.value = null
    this.#attempt = 0
    clearTimeout(this.#retryTimer)
    this.provider.connect()
  }

  /** Closes the connection and frees the document. */
  destroy(): void {
    this.#destroyed = true
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#awarenessTimer)
    clearTimeout(this.#settleTimer)
    clearTimeout(this.#remoteTimer)
    window.removeEventListener('online', this.#onOnline)
    window.removeEventListener('offline', this.#onOffline)
    window.removeEventListener('beforeunload', this.#onBeforeUnload)
    this.doc.off('update', this.#onDocUpdate)
    this.awareness.off('update', this.#onAwarenessUpdate)
    // Tell the others at once that we left, rather than letting our cursor time out.
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'left')
    this.#sendAwarenessNow()
    this.provider.destroy()
    this.awareness.destroy()
    this.doc.destroy()
  }

  #wireMessages(): void {
    const handlers = this.provider.messageHandlers
    const sync = handlers[messageSync]!
    // After answering the server's sync step 1 (which carries everything it lacks, edits made
    // offline included), ask for a checkpoint: its answer proves those edits are committed.
    handlers[messageSync] = (encoder, decoder, provider, emitSynced, messageType) => {
      const syncType = decoding.readVarUint(decoding.clone(decoder))
      if (syncType === messageYjsUpdate) {
        // A collaborator's change: queue it and apply the queue in one go (REMOTE_BATCH_MS).
        decoding.readVarUint(decoder)
        this.#queueRemoteUpdate(decoding.readVarUint8Array(decoder))
        return
      }
      // Anything else (a sync step) sees the document with every queued change applied.
      this.#applyRemoteUpdates()
      sync(encoder, decoder, provider, emitSynced, messageType)
      if (syncType === messageYjsSyncStep1) {
        // The reply in `encoder` is sent right after this handler returns, before any microtask.
        queueMicrotask(() => {
          if (this.provider.wsconnected) {
            this.#handshakeDone.value = true
            this.#flushCheckpoint()
          }
        })
      }
    }
    handlers[MessageType.SaveCheckpoint] = (_encoder, decoder) => {
      this.#onCheckpointAnswer(decoding.readVarUint(decoder))
    }
    if (this.#readOnly.value) {
      this.doc.off('update', this.provider._updateHandler)
    }
  }

  #queueRemoteUpdate(update: Uint8Array): void {
    this.#remoteUpdates.push(update)
    this.#remoteTimer ??= setTimeout(() => this.#applyRemoteUpdates(), REMOTE_BATCH_MS)
  }

  #applyRemoteUpdates(): void {
    clearTimeout(this.#remoteTimer)
    this.#remoteTimer = undefined
    const updates = this.#remoteUpdates
    if (updates.length === 0 || this.#destroyed) {
      return
    }
    this.#remoteUpdates = []
    // Origin: the provider, as y-websocket applies them, so they are never sent back or undone.
    Y.applyUpdate(this.doc, updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates), this.provider)
  }

  #wireAwareness(): void {
    // The stock provider sends every awareness change it sees, other people's included, which
    // the server drops; ours sends only this client's state, at most every AWARENESS_THROTTLE_MS.
    this.awareness.off('update', this.provider._awarenessUpdateHandler)
    this.awareness.on('update', this.#onAwarenessUpdate)
  }

  #onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin === this.provider) {
      return
    }
    const own = this.doc.clientID
    const mine = [...changes.added, ...changes.updated, ...changes.removed].includes(own)
    if (!mine) {
      return
    }
    if (changes.removed.includes(own)) {
      this.#sendAwarenessNow()
      return
    }
    const wait = this.#awarenessLastSent + AWARENESS_THROTTLE_MS - Date.now()
    if (wait <= 0) {
      this.#sendAwarenessNow()
    } else if (this.#awarenessTimer === undefined) {
      this.#awarenessTimer = setTimeout(() => this.#sendAwarenessNow(), wait)
    }
  }

  #sendAwarenessNow(): void {
    clearTimeout(this.#awarenessTimer)
    this.#awarenessTimer = undefined
    this.#awarenessLastSent = Date.now()
    const ws = this.provider.ws
    if (!this.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) {
      return // The provider sends our state itself when it connects.
    }
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, messageAwareness)
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]),
    )
    ws.send(encoding.toUint8Array(encoder))
  }

  #onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider || this.#readOnly.value) {
      return
    }
    this.#localVersion.value++
    clearTimeout(this.#settleTimer)
    this.#settleTimer = undefined
    this.#settled.value = false
    this.#queueFlush()
  }

  // Several updates in one task (a paste, an undo) need one checkpoint, sent after the
  // provider has sent the updates themselves.
  #queueFlush(): void {
    if (this.#flushQueued) {
      return
    }
    this.#flushQueued = true
    queueMicrotask(() => {
      this.#flushQueued = false
      this.#flushCheckpoint()
    })
  }

  // At most one checkpoint is in flight: while typing, one per round trip, for any number of
  // keystrokes.
  #flushCheckpoint(): void {
    if (
      this.#readOnly.value ||
      this.#destroyed ||
      !this.#handshakeDone.value ||
      this.#inFlight !== null ||
      this.#localVersion.value <= this.#savedVersion.value
    ) {
      return
    }
    const ws = this.provider.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return
    }
    this.#checkpointSeq = this.#checkpointSeq >= MAX_CHECKPOINT_ID ? 1 : this.#checkpointSeq + 1
    this.#inFlight = { id: this.#checkpointSeq, version: this.#localVersion.value }
    ws.send(encodeSaveCheckpoint(this.#checkpointSeq))
  }

  #onCheckpointAnswer(id: number): void {
    const inFlight = this.#inFlight
    if (!inFlight || inFlight.id !== id) {
      return
    }
    this.#inFlight = null
    this.#savedVersion.value = Math.max(this.#savedVersion.value, inFlight.version)
    if (this.#savedVersion.value >= this.#localVersion.value) {
      clearTimeout(this.#settleTimer)
      this.#settleTimer = setTimeout(() => {
        this.#settleTimer = undefined
        this.#settled.value = true
      }, SAVED_SETTLE_MS)
    }
    this.#flushCheckpoint()
  }

  #onServerClose(code: number): void {
    if (this.#destroyed) {
      return
    }
    // Never a reason to stop or to sign in: the edits stay here and go out once the server is back.
    this.#serverUnavailable.value = code === CloseCodes.TryAgainLater
    const reason = stopReasonFor(code)
    if (reason) {
      this.#stop.value = reason
      if (reason === 'signed-out') {
        this.#options.onSignedOut?.()
      }
      return
    }
    if (code === CloseCodes.PermissionsChanged) {
      this.#options.onPermissionsChanged?.()
    }
    this.#scheduleReconnect()
  }

  #scheduleReconnect(): void {
    clearTimeout(this.#retryTimer)
    if (!this.#online.value || this.#destroyed) {
      return // The `online` event reconnects.
    }
    const delay = reconnectDelay(this.#attempt++)
    this.#retryTimer = setTimeout(() => {
      if (!this.#destroyed && this.#stop.value === null && this.#online.value) {
        this.provider.connect()
      }
    }, delay)
  }

  #onOnline = (): void => {
    this.#online.value = true
    if (this.#stop.value === null) {
      // Every client of a network that comes back would otherwise retry in the same instant.
      clearTimeout(this.#retryTimer)
      this.#retryTimer = setTimeout(() => {
        if (!this.#destroyed && this.#online.value && this.#stop.value === null) {
          this.provider.connect()
        }
      }, Math.random() * 750)
    }
  }

  #onOffline = (): void => {
    this.#online.value = false
    clearTimeout(this.#retryTimer)
    // A socket can linger for a long time after the network went away; close it now so the
    // status is honest, and keep editing into the local document.
    this.provider.disconnect()
  }

  #onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (this.save.value !== 'saved') {
      event.preventDefault()
    }
  }
}

/** Opens the collaboration session of a document. */
export function connectDocument(documentId: string, options: CollabOptions): CollabSession {
  return new CollabSession(documentId, options)
}
