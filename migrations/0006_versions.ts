import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A named, immutable version of a document: its state frozen by the secretariat so that a
  // consultation can show exactly that text while drafting goes on (issue 6, item 1). The Yjs
  // state is kept so that later features can map anchors and compare; the ProseMirror JSON and
  // the section list are what the version is read and rendered from.
  await db.schema
    .createTable('document_versions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('documents.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    // The document's title when the version was made: a later rename does not change the version.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) BETWEEN 1 AND 200`))
    .addColumn('state', 'bytea', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('sections', 'jsonb', (c) => c.notNull())
    .addColumn('words', 'integer', (c) => c.notNull().check(sql`words >= 0`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id'))
    // The name as it was when the version was made, as threads keep their authors' names.
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('document_versions_number_unique', ['document_id', 'number'])
    .execute()

  // Immutable in the database itself, like the audit log: no code path (nor a mistaken query)
  // can rewrite a frozen version. Only a cascade gets through: hard-deleting the whole
  // document or process takes its versions with it.
  await sql`
    CREATE FUNCTION document_versions_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD; -- a cascade from deleting the document or the process
      END IF;
      RAISE EXCEPTION 'document_versions is append-only';
    END
    $$ LANGUAGE plpgsql`.execute(db)
  await sql`
    CREATE TRIGGER document_versions_no_change BEFORE UPDATE OR DELETE ON document_versions
    FOR EACH ROW EXECUTE FUNCTION document_versions_append_only()`.execute(db)
}
