import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The last sequence number handed out for a document's updates. Incrementing it takes the
  // document row's lock, so writers from several instances get distinct, gapless numbers.
  await db.schema
    .alterTable('documents')
    .addColumn('update_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()

  // The append-only log of Yjs updates, in the order peers saw them.
  await db.schema
    .createTable('doc_updates')
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('update', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('doc_updates_pk', ['document_id', 'seq'])
    .execute()

  // The merged state of every update up to and including `seq`.
  await db.schema
    .createTable('doc_snapshots')
    .addColumn('document_id', 'uuid', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}
