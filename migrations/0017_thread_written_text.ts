import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The text a thread was written on (issue 14, item 3): its section as it stood when the
  // thread was opened (ProseMirror JSON of a small document: the section's heading and the
  // blocks below it), and the version of the document it was written against (a
  // consultation's frozen version, or the newest version when a member wrote on the live
  // draft). The passage of a passage thread is its quote, kept since migration 0005.
  await db.schema
    .alterTable('threads')
    .addColumn('written_section', 'jsonb')
    .addColumn('written_version_id', 'uuid', (c) =>
      c.references('document_versions.id').onDelete('set null'),
    )
    .execute()

  // Older threads did not record their section's text. The best evidence of what their
  // authors read is a version: the consultation's for public comments, else the newest version
  // made before the thread was opened. A thread older than every version keeps no record and
  // shows no "changed since" rather than a guess.
  await sql`
    UPDATE threads t SET written_version_id = cn.version_id
    FROM consultations cn
    WHERE cn.id = t.consultation_id`.execute(db)
  await sql`
    UPDATE threads t SET written_version_id = (
      SELECT v.id FROM document_versions v
      WHERE v.document_id = t.document_id AND v.created_at <= t.created_at
      ORDER BY v.number DESC LIMIT 1)
    WHERE t.written_version_id IS NULL`.execute(db)
}
