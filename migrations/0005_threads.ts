import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The last thread number handed out in a process, for short references such as #12.
  await db.schema
    .alterTable('processes')
    .addColumn('thread_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  // A discussion about one section of a document (its stable section id), optionally about a
  // passage in it. The opening text is the thread's root comment.
  await db.schema
    .createTable('threads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('documents.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('section_id', 'text', (c) => c.notNull())
    // The section's title when last seen, shown once the section is gone.
    .addColumn('section_title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('anchor_start', 'text')
    .addColumn('anchor_end', 'text')
    .addColumn('quote', 'text')
    .addColumn('proposal_scope', 'text')
    .addColumn('proposal_text', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_activity_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status_by_name', 'text')
    .addColumn('status_at', 'timestamptz')
    // What applying the proposed change did: { by, at, scope, before, after }.
    .addColumn('applied', 'jsonb')
    .addUniqueConstraint('threads_number_unique', ['process_id', 'number'])
    .execute()
  await db.schema
    .createIndex('threads_process_activity')
    .on('threads')
    .columns(['process_id', 'last_activity_at'])
    .execute()
  await db.schema
    .createIndex('threads_document_section')
    .on('threads')
    .columns(['document_id', 'section_id'])
    .execute()

  // The root comment and the replies of threads. The author's name, group, organisation and
  // role are copied as they were when the comment was written (issue 5, item 2).
  await db.schema
    .createTable('comments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('is_root', 'boolean', (c) => c.notNull())
    .addColumn('author_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_group', 'text', (c) => c.notNull())
    .addColumn('author_organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('author_role', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('withdrawn_at', 'timestamptz')
    .addColumn('hidden_at', 'timestamptz')
    .addColumn('hidden_by_name', 'text')
    .addColumn('hidden_reason', 'text')
    .execute()
  await db.schema
    .createIndex('comments_thread')
    .on('comments')
    .columns(['thread_id', 'created_at'])
    .execute()
  await db.schema
    .createIndex('comments_author_recent')
    .on('comments')
    .columns(['author_id', 'created_at'])
    .execute()
  // Exactly one root per thread.
  await sql`CREATE UNIQUE INDEX comments_one_root ON comments (thread_id) WHERE is_root`.execute(db)

  // Earlier texts of edited comments: edits are recorded, not silent.
  await db.schema
    .createTable('comment_revisions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // One endorsement per member and thread: the primary key makes parallel requests count once.
  await db.schema
    .createTable('endorsements')
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('stakeholder_group', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('endorsements_pk', ['thread_id', 'user_id'])
    .execute()

  // Members' flags on comments, open until a moderator hides the item or dismisses them.
  await db.schema
    .createTable('flags')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('closed_at', 'timestamptz')
    .execute()
  await sql`CREATE UNIQUE INDEX flags_one_open_per_user ON flags (comment_id, user_id) WHERE closed_at IS NULL`.execute(
    db,
  )
  await db.schema
    .createIndex('flags_process_open')
    .on('flags')
    .columns(['process_id', 'closed_at'])
    .execute()

  // Every moderation decision, append-only like the audit log.
  await db.schema
    .createTable('moderation_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('moderator_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('moderator_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('moderation_log_process')
    .on('moderation_log')
    .columns(['process_id', 'id'])
    .execute()
  await sql`
    CREATE FUNCTION moderation_log_append_only() RETURNS trigger AS $$
    BEGIN
      -- Cascades from a deleted process (DELETE) or user (SET NULL on moderator_id) run as
      -- nested triggers; a statement of our own never does.
      IF pg_trigger_depth() > 1 THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      RAISE EXCEPTION 'moderation_log is append-only';
    END
    $$ LANGUAGE plpgsql`.execute(db)
  await sql`
    CREATE TRIGGER moderation_log_no_change BEFORE UPDATE OR DELETE ON moderation_log
    FOR EACH ROW EXECUTE FUNCTION moderation_log_append_only()`.execute(db)

  // The in-app inbox: mentions and replies to one's threads.
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('threads.id').onDelete('cascade'))
    .addColumn('comment_id', 'uuid', (c) =>
      c.notNull().references('comments.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    .addUniqueConstraint('notifications_once', ['user_id', 'comment_id'])
    .execute()
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute()
}
