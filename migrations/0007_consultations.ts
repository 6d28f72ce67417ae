import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A public consultation on a frozen version of a document (issue 6). It is a draft, visible to
  // members only, until the secretariat publishes it; the window is `opens_at` to `closes_at`,
  // shown in `time_zone`. Closing early and extending move `closes_at` and leave a row in
  // consultation_changes.
  await db.schema
    .createTable('consultations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('documents.id').onDelete('cascade'),
    )
    .addColumn('version_id', 'uuid', (c) =>
      c.notNull().references('document_versions.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    // Per language of the process: { "en": "…", "es": "…" }.
    .addColumn('title', 'jsonb', (c) => c.notNull())
    .addColumn('introduction', 'jsonb', (c) => c.notNull())
    .addColumn('opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('moderation', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('show_member_threads', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('published_at', 'timestamptz')
    .addColumn('submission_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('consultations_window', sql`closes_at > opens_at`)
    .execute()
  await db.schema
    .createIndex('consultations_process')
    .on('consultations')
    .columns(['process_id', 'created_at'])
    .execute()

  // Publishing, closing early and extending, shown on the public page. Append-only.
  await db.schema
    .createTable('consultation_changes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('closes_before', 'timestamptz')
    .addColumn('closes_after', 'timestamptz')
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`
    CREATE FUNCTION consultation_changes_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'consultation_changes is append-only';
    END
    $$ LANGUAGE plpgsql`.execute(db)
  await sql`
    CREATE TRIGGER consultation_changes_no_change BEFORE UPDATE OR DELETE ON consultation_changes
    FOR EACH ROW EXECUTE FUNCTION consultation_changes_append_only()`.execute(db)

  // Every public submission, with its receipt reference. An accepted submission belongs to a
  // thread; identical texts on one section share the thread of the first (a campaign). With
  // verified e-mail required, a submission waits here (no thread) until its link is opened.
  // The address is kept only as a keyed hash, for rate limits.
  await db.schema
    .createTable('consultation_submissions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('consultation_id', 'uuid', (c) =>
      c.notNull().references('consultations.id').onDelete('cascade'),
    )
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'uuid', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text')
    .addColumn('stakeholder_group', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text')
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('verify_token_hash', 'text')
    .addColumn('verify_expires_at', 'timestamptz')
    .addColumn('consent', 'boolean', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('quote', 'text')
    .addColumn('text_hash', 'text', (c) => c.notNull())
    .addColumn('address_hash', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('consultation_submissions_campaign')
    .on('consultation_submissions')
    .columns(['consultation_id', 'section_id', 'text_hash'])
    .execute()
  await db.schema
    .createIndex('consultation_submissions_address')
    .on('consultation_submissions')
    .columns(['address_hash', 'created_at'])
    .execute()
  await db.schema
    .createIndex('consultation_submissions_email')
    .on('consultation_submissions')
    .columns(['email', 'created_at'])
    .execute()
  await db.schema
    .createIndex('consultation_submissions_thread')
    .on('consultation_submissions')
    .columns(['thread_id'])
    .execute()
  await sql`CREATE UNIQUE INDEX consultation_submissions_token ON consultation_submissions (verify_token_hash) WHERE verify_token_hash IS NOT NULL`.execute(
    db,
  )

  // Threads from a consultation, campaigns, and the secretariat's disposition and public answer.
  await db.schema
    .alterTable('threads')
    .addColumn('consultation_id', 'uuid', (c) =>
      c.references('consultations.id').onDelete('set null'),
    )
    .addColumn('submission_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disposition', 'text')
    .addColumn('answer', 'text')
    .addColumn('answer_version_id', 'uuid', (c) =>
      c.references('document_versions.id').onDelete('set null'),
    )
    .addColumn('answer_section_id', 'text')
    .addColumn('answer_section_title', 'text')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_by_name', 'text')
    .execute()
  await db.schema
    .createIndex('threads_consultation')
    .on('threads')
    .columns(['consultation_id'])
    .execute()

  // A public comment's group is what its author declared; one awaiting moderation before
  // publication is hidden (hidden_at set) and marked pending, so every existing view keeps it
  // from everyone but the moderators until it is approved.
  await db.schema
    .alterTable('comments')
    .addColumn('self_declared', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('pending', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
}
