import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError, readUint } from './protocol'

// Answering a sync step 1 encodes the part of the document the client lacks: for a reader who
// opens the page, all of it. An observer who sent 1,000 four-byte sync step 1 frames made the
// server encode a 640 KB document 1,000 times and held every bystander's edits for seconds
// (issue 12, item 2). The answers are therefore encoded once per document state and shared:
// the same bytes go to every client that asks with an equivalent state vector, until the
// document changes. The whole document, what every newly opened page asks for, is not even
// encoded again after each change: the last encoding is sent with the changes since, merged,
// until those grow to a quarter of it (a busy document changes every few milliseconds, and
// encoding 640 KB takes tens of them).

/** Each entry of a state vector takes at least two bytes (client id, clock). */
const MIN_ENTRY_BYTES = 2

/** How many distinct answers are kept for one state, besides the whole document's. */
const MAX_ENTRIES = 4

/** The whole document is encoded again once this many changes were made since its encoding. */
const MAX_TAIL_UPDATES = 1_000

/**
 * The encoded answers to sync step 1 for one room's document, and its own sync step 1, kept
 * until the document changes. Only ever asked while the document holds committed state (the
 * room answers sync step 1 after every commit ahead of it), so a cached answer never carries
 * anything uncommitted; any change clears the cache, committed or not.
 */
export class SyncAnswers {
  readonly #doc: Y.Doc
  readonly #maxUnknownClients: number
  readonly #answers = new Map<string, Uint8Array[]>()
  #stepOne: Uint8Array | undefined
  /** `[Sync, SyncStep2, …]` of the whole document as it was at some point. */
  #whole: Uint8Array | undefined
  /** The changes since `#whole` was encoded, and their merged `[Sync, Update, …]` once asked for. */
  #tail: Uint8Array[] = []
  #tailBytes = 0
  #tailFrame: Uint8Array | undefined
  /** How many answers were encoded and how many were served from the cache, for tests and the benchmark. */
  readonly counts = { encoded: 0, cached: 0 }

  constructor(doc: Y.Doc, maxUnknownClients: number) {
    this.#doc = doc
    this.#maxUnknownClients = maxUnknownClients
    doc.on('update', (update: Uint8Array) => {
      this.#answers.clear()
      this.#stepOne = undefined
      this.#tailFrame = undefined
      if (this.#whole) {
        this.#tail.push(update)
        this.#tailBytes += update.byteLength
        if (this.#tail.length > MAX_TAIL_UPDATES || this.#tailBytes > this.#whole.byteLength / 4) {
          this.#whole = undefined
          this.#tail = []
          this.#tailBytes = 0
        }
      }
    })
  }

  /**
   * Takes `update`, which must hold exactly the document's current state (what the room just
   * loaded and applied), as the whole document's answer, so not even the first is encoded.
   */
  seedWhole(update: Uint8Array): void {
    this.#whole = encodeSyncStep2(update)
    this.#tail = []
    this.#tailBytes = 0
    this.#tailFrame = undefined
  }

  /** `[Sync, SyncStep1, stateVector]` of the document, as sent to every joining connection. */
  stepOne(): Uint8Array {
    this.#stepOne ??= encodeSyncStep1(Y.encodeStateVector(this.#doc))
    return this.#stepOne
  }

  /**
   * The frames answering a client's state vector: `[Sync, SyncStep2, update]`, and for a client
   * that has nothing yet possibly `[Sync, Update, changes since]` after it. Two state vectors
   * that ask for the same structs get the same bytes. Throws `ProtocolError` for a malformed
   * state vector or one naming more unknown client ids than an update may carry.
   */
  answer(stateVector: Uint8Array): Uint8Array[] {
    const key = this.#key(stateVector)
    const store = this.#doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown }
    if (store.pendingStructs !== null || store.pendingDs !== null) {
      // Parts waiting for a dependency are answered per state vector (Yjs diffs them against
      // the client's own clocks), so they are not shared.
      this.counts.encoded++
      return [encodeSyncStep2(Y.encodeStateAsUpdate(this.#doc, stateVector))]
    }
    if (key === '') {
      return this.#wholeDocument()
    }
    const cached = this.#answers.get(key)
    if (cached) {
      this.counts.cached++
      return cached
    }
    this.counts.encoded++
    const answer = [encodeSyncStep2(Y.encodeStateAsUpdate(this.#doc, stateVector))]
    if (this.#answers.size >= MAX_ENTRIES) {
      this.#answers.delete(this.#answers.keys().next().value!)
    }
    this.#answers.set(key, answer)
    return answer
  }

  #wholeDocument(): Uint8Array[] {
    if (!this.#whole) {
      this.counts.encoded++
      this.#whole = encodeSyncStep2(Y.encodeStateAsUpdate(this.#doc))
      return [this.#whole]
    }
    this.counts.cached++
    if (this.#tail.length === 0) {
      return [this.#whole]
    }
    this.#tailFrame ??= encodeUpdate(
      this.#tail.length === 1 ? this.#tail[0]! : Y.mergeUpdates(this.#tail),
    )
    return [this.#whole, this.#tailFrame]
  }

  // What the answer depends on: for each client of the document, the clock the client has of
  // it, capped at the document's (Yjs sends the structs from there on, and the whole delete set).
  #key(stateVector: Uint8Array): string {
    const decoder = decoding.createDecoder(stateVector)
    const count = readUint(decoder)
    if (count > (stateVector.byteLength - decoder.pos) / MIN_ENTRY_BYTES) {
      throw new ProtocolError(`state vector claims ${count} entries`)
    }
    const clients = this.#doc.store.clients
    const theirs = new Map<number, number>()
    let unknown = 0
    for (let i = 0; i < count; i++) {
      const client = readUint(decoder)
      const clock = readUint(decoder)
      if (!clients.has(client) && ++unknown > this.#maxUnknownClients) {
        throw new ProtocolError('state vector with too many unknown client ids')
      }
      theirs.set(client, clock)
    }
    if (decoding.hasContent(decoder)) {
      throw new ProtocolError('trailing bytes after the state vector')
    }
    if (theirs.size === 0 || [...theirs.keys()].every((client) => !clients.has(client))) {
      return '' // Nothing of this document: the whole of it.
    }
    const parts: number[] = []
    for (const client of clients.keys()) {
      parts.push(Math.min(theirs.get(client) ?? 0, Y.getState(this.#doc.store, client)))
    }
    return parts.join(',')
  }
}
