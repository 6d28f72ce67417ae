import type { WebSocket } from 'ws'
import type { PresenceUser } from '../../shared/collab/presence'
import type { Role } from '../../shared/domain/roles'
import type { Actor } from '../auth/actor'

let nextConnectionId = 1

/** What the upgrade decided about a connection before any message was read. */
export interface ConnectionAccess {
  actor: Actor
  ip: string
  documentId: string
  processId: string
  role: Role
  /** Decided from the permissions table at the upgrade and again on every membership change. */
  readOnly: boolean
  identity: PresenceUser
}

/**
 * One collaboration socket: who is behind it, whether it may write, the awareness client ids
 * it owns, and send and close helpers. Sending never throws and never lets the server hold more
 * than `maxBufferedBytes` for a client that does not read: such a client is disconnected.
 */
export class Connection {
  readonly id = nextConnectionId++
  readonly actor: Actor
  readonly ip: string
  readonly documentId: string
  readonly processId: string
  role: Role
  /** Checked on every write message (Hocuspocus: a per-message check, not only at connect). */
  readOnly: boolean
  identity: PresenceUser
  /** The Yjs client ids whose presence this connection may set and remove. */
  readonly clientIds = new Set<number>()
  /** Frames received from the client, counted before any check. */
  framesReceived = 0
  /** Bytes received and not yet processed by the room. */
  queuedBytes = 0
  /** Write messages refused because the connection is read-only. */
  refusedWrites = 0
  /** Set once the server decided to close it: its queued messages are then dropped. */
  closedByServer = false
  closed = false
  #onClose: (() => void)[] = []

  constructor(
    readonly socket: WebSocket,
    access: ConnectionAccess,
    private readonly maxBufferedBytes: number,
  ) {
    this.actor = access.actor
    this.ip = access.ip
    this.documentId = access.documentId
    this.processId = access.processId
    this.role = access.role
    this.readOnly = access.readOnly
    this.identity = access.identity
    socket.once('close', () => {
      this.closed = true
      for (const listener of this.#onClose.splice(0)) {
        listener()
      }
    })
  }

  /** Runs `listener` once when the socket has closed, whoever closed it. */
  onClose(listener: () => void): void {
    if (this.closed) {
      listener()
    } else {
      this.#onClose.push(listener)
    }
  }

  /**
   * Sends one message. Returns false when the socket is closing or closed. A client whose
   * unsent bytes pass `maxBufferedBytes` is terminated at once (no close frame could get
   * through its full buffer anyway), and reconnects to a fresh sync.
   */
  send(message: Uint8Array): boolean {
    if (this.closedByServer || this.socket.readyState !== this.socket.OPEN) {
      return false
    }
    this.socket.send(message)
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.closedByServer = true
      this.socket.terminate()
      return false
    }
    return true
  }

  /** Closes the socket with a code from `CloseCodes`; nothing it sent afterwards is processed. */
  close(code: number, reason = ''): void {
    if (this.closedByServer) {
      return
    }
    this.closedByServer = true
    if (
      this.socket.readyState === this.socket.OPEN ||
      this.socket.readyState === this.socket.CONNECTING
    ) {
      // Close reasons are limited to 123 bytes by RFC 6455.
      this.socket.close(code, reason.slice(0, 120))
    }
  }
}
