import { sql } from 'kysely'
import type { Executor } from '../db/database'

// doc_updates is append-only but for compaction, which deletes only what a snapshot it
// wrote in the same transaction already covers (STYLE 2.6).

/**
 * Appends updates to a document's log in one statement: it takes the next sequence numbers
 * from `documents.update_seq` under the row's lock and inserts the rows with them. Outside a
 * transaction the statement commits on its own, so a commit costs one round trip instead of
 * four (BEGIN, UPDATE, INSERT, COMMIT). Returns the last sequence number, or undefined (and
 * inserts nothing) when the document does not exist.
 */
export async function insertUpdatesAtHead(db: Executor, documentId: string, updates: Uint8Array[]) {
  const count = updates.length
  // Data-modifying CTEs run once and to completion whether or not the outer query reads them.
  // The leading comment makes it a prepared statement on PostgreSQL (db/connect.ts
  // PREPARE_MARKER): it runs at every commit of every room, and its text depends only on the
  // number of updates.
  const { rows } = await sql<{ update_seq: number | string }>`/* prepare */
    WITH reserved AS (
      UPDATE documents SET update_seq = update_seq + ${sql.lit(count)}
      WHERE id = ${documentId}
      RETURNING update_seq
    ), inserted AS (
      INSERT INTO doc_updates (document_id, seq, update)
      SELECT ${documentId}::uuid, reserved.update_seq - ${sql.lit(count)} + v.n, v.u
      FROM reserved, (VALUES ${sql.join(updates.map((update, i) => sql`(${sql.lit(i + 1)}, ${update}::bytea)`))}) AS v (n, u)
    )
    SELECT update_seq FROM reserved`.execute(db)
  const row = rows[0]
  return row === undefined ? undefined : Number(row.update_seq)
}

export function findSnapshot(db: Executor, documentId: string) {
  return db
    .selectFrom('doc_snapshots')
    .select(['state', 'seq'])
    .where('document_id', '=', documentId)
    .executeTakeFirst()
}

export function listUpdatesAfter(
  db: Executor,
  documentId: string,
  afterSeq: number,
  upToSeq?: number,
) {
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
    .onConflict((oc) =>
      oc.column('document_id').doUpdateSet({ state, seq, updated_at: sql`now()` }),
    )
    .execute()
}

export function deleteUpdatesUpTo(db: Executor, documentId: string, seq: number) {
  return db
    .deleteFrom('doc_updates')
    .where('document_id', '=', documentId)
    .where('seq', '<=', seq)
    .execute()
}

/** Takes the per-document compaction lock for the rest of the transaction; false if another holds it. */
export async function tryCompactionLock(db: Executor, documentId: string) {
  const { rows } = await sql<{ locked: boolean }>`
    SELECT pg_try_advisory_xact_lock(hashtext('concord-compaction'), hashtext(${documentId})) AS locked`.execute(
    db,
  )
  return rows[0]?.locked === true
}

/**
 * Waits for the per-document compaction lock and holds it for the rest of the transaction:
 * a server-side edit reads the log without a compaction deleting from under it, and two
 * server-side edits of one document take turns.
 */
export async function waitForCompactionLock(db: Executor, documentId: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext('concord-compaction'), hashtext(${documentId}))`.execute(
    db,
  )
}

export async function countUpdates(db: Executor, documentId: string) {
  const row = await db
    .selectFrom('doc_updates')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('document_id', '=', documentId)
    .executeTakeFirstOrThrow()
  return row.n
}
