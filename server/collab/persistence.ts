import type { Db } from '../db/database'
import { appendUpdates, countStoredUpdates, loadState, updatesAfter } from '../documents/state'

// The collaboration module's access to stored Yjs state. The log itself (sequence numbers,
// snapshots, the compaction lock) belongs to documents/state.ts; this file adds what a live
// room needs on top: a consistent load while another instance may compact, gap reads that
// notice when compaction got there first, and one cheap query for every loaded room's head.

/** A document's stored state as a room loads it. */
export interface LoadedDocument {
  /** The snapshot and every update after it, merged; null for a document never written. */
  update: Uint8Array | null
  /** The sequence number of the last update included. */
  seq: number
  /** How many updates are in the log, not yet compacted into the snapshot. */
  storedUpdates: number
}

/**
 * Loads a document's snapshot and log tail as one consistent picture. The reads run in one
 * REPEATABLE READ transaction: at READ COMMITTED a compaction committing between reading the
 * snapshot and reading the tail would delete updates the old snapshot does not hold, and the
 * room would start without them.
 */
export async function loadDocument(db: Db, documentId: string): Promise<LoadedDocument> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const state = await loadState(trx, documentId)
      const storedUpdates = await countStoredUpdates(trx, documentId)
      return { update: state.update, seq: state.seq, storedUpdates }
    })
}

/**
 * Commits updates to the log in one transaction and returns their sequence numbers, or
 * undefined when the document no longer exists. When this resolves the updates are durable.
 */
export function storeUpdates(
  db: Db,
  documentId: string,
  updates: Uint8Array[],
): Promise<number[] | undefined> {
  return appendUpdates(db, documentId, updates)
}

/**
 * The stored updates with sequence numbers in `(afterSeq, upToSeq]`, in order, or undefined
 * when some of them are no longer in the log because a compaction merged them into the
 * snapshot meanwhile; the caller then loads the whole state instead.
 */
export async function readUpdateRange(
  db: Db,
  documentId: string,
  afterSeq: number,
  upToSeq: number,
): Promise<{ seq: number; update: Uint8Array }[] | undefined> {
  const rows = await updatesAfter(db, documentId, afterSeq, upToSeq)
  const contiguous =
    rows.length === upToSeq - afterSeq && rows.every((row, i) => row.seq === afterSeq + 1 + i)
  return contiguous ? rows : undefined
}

/**
 * The last sequence number of each document that still exists and is not deleted; a
 * document missing from the map was deleted. One query for every room an instance holds.
 */
export async function listDocumentHeads(
  db: Db,
  documentIds: string[],
): Promise<Map<string, number>> {
  if (documentIds.length === 0) {
    return new Map()
  }
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'update_seq'])
    .where('id', 'in', documentIds)
    .where('deleted_at', 'is', null)
    .execute()
  return new Map(rows.map((row) => [row.id, Number(row.update_seq)]))
}
