import { sql } from 'kysely'
import type { Executor } from '../db/database'

// doc_updates is append-only but for compaction, which deletes only what a snapshot it
// wrote in the same transaction already covers (STYLE 2.6).

/** Reserves `count` sequence numbers for a document; returns the last, or undefined if no document. */
export async function reserveSeq(db: Executor, documentId: string, count: number) {
  const row = await db
    .updateTable('documents')
    .set({ update_seq: sql`update_seq + ${count}` })
    .where('id', '=', documentId)
    .returning('update_seq')
    .executeTakeFirst()
  return row === undefined ? undefined : Number(row.update_seq)
}

export function insertUpdates(db: Executor, rows: { documentId: string; seq: number; update: Uint8Array }[]) {
  return db
    .insertInto('doc_updates')
    .values(rows.map((r) => ({ document_id: r.documentId, seq: r.seq, update: r.update })))
    .execute()
}

export function findSnapshot(db: Executor, documentId: string) {
  return db.selectFrom('doc_snapshots').select(['state', 'seq']).where('document_id', '=', documentId).executeTakeFirst()
}

export function listUpdatesAfter(db: Executor, documentId: string, afterSeq: number, upToSeq?: number) {
  let query = db
    .selectFrom('doc_updates')
    .select(['seq', 'update'])
    .where('document_id', '=', documentId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
  if (upToSeq !== undefined) {
    query = query.where('seq', '<=', upToSeq)
  }
  return query.execute()
}

export function upsertSnapshot(db: Executor, documentId: string, state: Uint8Array, seq: number) {
  return db
    .insertInto('doc_snapshots')
    .values({ document_id: documentId, state, seq })
    .onConflict((oc) => oc.column('document_id').doUpdateSet({ state, seq, updated_at: sql`now()` }))
    .execute()
}

export function deleteUpdatesUpTo(db: Executor, documentId: string, seq: number) {
  return db.deleteFrom('doc_updates').where('document_id', '=', documentId).where('seq', '<=', seq).execute()
}

/** Takes the per-document compaction lock for the rest of the transaction; false if another holds it. */
export async function tryCompactionLock(db: Executor, documentId: string) {
  const { rows } = await sql<{ locked: boolean }>`
    SELECT pg_try_advisory_xact_lock(hashtext('concord-compaction'), hashtext(${documentId})) AS locked`.execute(db)
  return rows[0]?.locked === true
}

export async function countUpdates(db: Executor, documentId: string) {
  const row = await db
    .selectFrom('doc_updates')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('document_id', '=', documentId)
    .executeTakeFirstOrThrow()
  return row.n
}
