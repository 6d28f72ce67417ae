import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // One strategy in several languages (issue 16, items 1 and 3). A document may be the
  // translation of another document of the same process (its source) into one of the
  // process's languages: a document of its own in the editor, whose sections are aligned with
  // the source's by section id. `language` is null for a document written in the process's
  // main language; a translation always names its language, and a source has at most one
  // live translation per language.
  await db.schema
    .alterTable('documents')
    .addColumn('language', 'text', (c) => c.check(sql`language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'`))
    .addColumn('source_document_id', 'uuid', (c) =>
      c.references('documents.id').onDelete('restrict'),
    )
    .execute()
  await db.schema
    .alterTable('documents')
    .addCheckConstraint(
      'documents_translation_language',
      sql`source_document_id IS NULL OR (language IS NOT NULL AND source_document_id <> id)`,
    )
    .execute()
  await sql`
    CREATE UNIQUE INDEX documents_one_translation_per_language
    ON documents (source_document_id, language)
    WHERE source_document_id IS NOT NULL AND deleted_at IS NULL`.execute(db)

  // Naming a version of a source freezes each translation with it (issue 16, item 5): the
  // translations' versions point to the source's, so a version is one text in every language.
  await db.schema
    .alterTable('document_versions')
    .addColumn('source_version_id', 'uuid', (c) => c.references('document_versions.id').onDelete('restrict'))
    .execute()

  // What each section of a translation was last brought up to date with: the source's section
  // as it stood then (ProseMirror JSON of its heading and blocks) and the source log's length.
  // When the source section differs from it now, the translated section is "source changed",
  // with the redline between the two, until a translator marks it up to date again.
  await db.schema
    .createTable('translation_sections')
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('documents.id').onDelete('cascade'),
    )
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('source_section', 'jsonb', (c) => c.notNull())
    .addColumn('source_seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('translation_sections_pkey', ['document_id', 'section_id'])
    .execute()
}
