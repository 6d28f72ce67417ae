import type { WebSocket } from 'ws'
import { CloseCodes } from '../../shared/collab/close-codes'
import type { PresenceUser } from '../../shared/collab/presence'
import type { Role } from '../../shared/domain/roles'
import type { Actor } from '../auth/actor'
import type { ConnectionFlow, InputStop } from './flow'

/** Closes for input the server will not read further: a budget spent, a malformed or oversized frame. */
const STOP_READING_CODES: ReadonlySet<number> = new Set([
  CloseCodes.SlowDown,
  CloseCodes.BadMessage,
  CloseCodes.TooLarge,
])
/** How long a socket closed for its input has to take its close frame before it is ended. */
const CLOSE_GRACE_MS = 1_000

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
  /** The frame and byte budgets this connection spends from, set when it is accepted. */
  flow: ConnectionFlow | undefined
  /** Stops reading what the client sends, and drops what is unread (see `limitFrames`). */
  input: InputStop | undefined
  #onClose: (() => void)[] = []
  // Issue 12, item 2: at most one answer to sync step 1 per connection is queued in the room or
  // being written out; a sync step 1 that arrives meanwhile replaces any other waiting and is
  // answered after it, so a flood of them costs one answer per round trip, not one per frame.
  #sync: 'idle' | 'queued' | 'sending' = 'idle'
  #waitingStateVector: Uint8Array | undefined
  #syncAnswers = 0

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

  /**
   * Takes a sync step 1 the client sent. Returns true when the room should queue it; false when
   * an answer is already queued or being written out, in which case this one waits (replacing
   * any other waiting one) and `sendSyncAnswer`'s `next` hands it back once that answer is out.
   */
  requestSync(stateVector: Uint8Array): boolean {
    if (this.#sync === 'idle') {
      this.#sync = 'queued'
      return true
    }
    this.#waitingStateVector = stateVector
    return false
  }

  /**
   * Sends the answer to the queued sync step 1. The first answer is free; the bytes of every
   * later one are spent from the connection's byte budget, and when it cannot pay nothing is
   * sent and false is returned (the caller closes with `SlowDown`). Once the answer is written
   * out to the operating system, `next` gets the state vector that arrived meanwhile, if any.
   */
  sendSyncAnswer(answer: Uint8Array[], next: (stateVector: Uint8Array) => void): boolean {
    this.#syncAnswers++
    const bytes = answer.reduce((sum, frame) => sum + frame.byteLength, 0)
    if (this.#syncAnswers > 1 && this.flow && !this.flow.takeAnswer(bytes)) {
      this.#sync = 'idle'
      return false
    }
    if (this.closedByServer || this.socket.readyState !== this.socket.OPEN) {
      this.#sync = 'idle'
      return true
    }
    this.#sync = 'sending'
    for (const frame of answer.slice(0, -1)) {
      this.socket.send(frame)
    }
    this.socket.send(answer.at(-1)!, () => {
      const waiting = this.#waitingStateVector
      this.#waitingStateVector = undefined
      if (waiting && !this.closedByServer && !this.closed) {
        this.#sync = 'queued'
        next(waiting)
      } else {
        this.#sync = 'idle'
      }
    })
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.closedByServer = true
      this.socket.terminate()
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
      if (STOP_READING_CODES.has(code)) {
        // ws keeps parsing what the peer sends until its close frame comes back, for up to 30 s:
        // a flood written ahead would still be read, frame by frame, after the close (issue 12,
        // item 2). Stop handing it to ws; the close frame still goes out, and the socket is
        // ended once it had time to.
        if (this.input) {
          this.input.stop()
        } else {
          this.socket.pause()
        }
        setTimeout(() => {
          this.input?.drop()
          this.socket.terminate()
        }, CLOSE_GRACE_MS).unref()
      }
    }
  }
}
