import * as Y from 'yjs'
import type { Db, Executor } from '../db/database'
import { inTransaction } from '../db/transaction'
import * as queries from './state-queries'

/** A document's stored Yjs state: everything up to `seq`, merged into one update. */
export interface StoredState {
  /** A Yjs update holding the whole document, or null when nothing was ever written. */
  update: Uint8Array | null
  /** The sequence number of the last update included. */
  seq: number
}

/**
 * Appends updates to a document's log, atomically, and returns their sequence numbers. When
 * this resolves the updates are committed: DESIGN's rule that acknowledged data is never lost
 * rests on callers relaying only after it. Returns undefined when the document does not exist
 * (it may have been deleted meanwhile). One statement, one round trip (state-queries.ts).
 */
export async function appendUpdates(db: Db, documentId: string, updates: Uint8Array[]): Promise<number[] | undefined> {
  if (updates.length === 0) {
    return []
  }
  const last = await queries.insertUpdatesAtHead(db, documentId, updates)
  if (last === undefined) {
    return undefined
  }
  const first = last - updates.length + 1
  return updates.map((_, i) => first + i)
}

/** Loads a document's state: the snapshot plus every update after it, merged. */
export async function loadState(db: Executor, documentId: string): Promise<StoredState> {
  const { parts, seq } = await readStateParts(db, documentId)
  return { update: parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts), seq }
}

// The snapshot (if any) and every update after it, in order, unmerged.
async function readStateParts(db: Executor, documentId: string) {
  const snapshot = await queries.findSnapshot(db, documentId)
  const baseSeq = snapshot ? Number(snapshot.seq) : 0
  const tail = await queries.listUpdatesAfter(db, documentId, baseSeq)
  const parts = [...(snapshot ? [toBytes(snapshot.state)] : []), ...tail.map((r) => toBytes(r.update))]
  const lastTail = tail[tail.length - 1]
  return { parts, seq: lastTail ? Number(lastTail.seq) : baseSeq, tailLength: tail.length }
}

/** The stored updates after `afterSeq` (up to `upToSeq`), in order: how an instance fills a gap. */
export async function updatesAfter(db: Executor, documentId: string, afterSeq: number, upToSeq?: number) {
  const rows = await queries.listUpdatesAfter(db, documentId, afterSeq, upToSeq)
  return rows.map((r) => ({ seq: Number(r.seq), update: toBytes(r.update) }))
}

/**
 * Writes a new document's initial content as its first update, inside the transaction that
 * creates the document. DESIGN: initial content is written once, on the server, never by
 * the first client to connect.
 */
export async function writeInitialState(trx: Executor, documentId: string, update: Uint8Array): Promise<void> {
  const seq = await queries.insertUpdatesAtHead(trx, documentId, [update])
  if (seq === undefined) {
    throw new Error(`Document ${documentId} does not exist`)
  }
}

/** Merges Yjs updates into one. Compaction can be given one that runs off the main thread. */
export type MergeUpdates = (updates: Uint8Array[]) => Promise<Uint8Array>

const mergeHere: MergeUpdates = (updates) => Promise.resolve(Y.mergeUpdates(updates))

/**
 * Merges a document's log into its snapshot and deletes the merged updates, in one
 * transaction under a per-document advisory lock, so two instances never compact the same
 * log at once. Returns false when another compaction holds the lock. `merge` does the merging
 * (the collaboration server passes a worker's, so a long log does not stall its rooms).
 */
export async function compact(db: Db, documentId: string, merge: MergeUpdates = mergeHere): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    if (!(await queries.tryCompactionLock(trx, documentId))) {
      return false
    }
    const { parts, seq, tailLength } = await readStateParts(trx, documentId)
    if (tailLength === 0) {
      return true // Nothing after the snapshot (or nothing at all): nothing to merge.
    }
    const state = parts.length === 1 ? parts[0]! : await merge(parts)
    await queries.upsertSnapshot(trx, documentId, state, seq)
    await queries.deleteUpdatesUpTo(trx, documentId, seq)
    return true
  })
}

export const countStoredUpdates = queries.countUpdates

// pg returns bytea as a Buffer and PGlite as a Uint8Array; Yjs wants a plain Uint8Array.
function toBytes(value: Uint8Array): Uint8Array {
  return value instanceof Uint8Array && value.constructor === Uint8Array ? value : new Uint8Array(value)
}
