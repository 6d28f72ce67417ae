import { sql, type Kysely } from 'kysely'

// Adoption of a strategy, its implementation follow-up and review cycles (issue 14, items 5
// and 6). Statuses and sources are copied here because migrations are frozen in time.

async function appendOnly(db: Kysely<any>, table: string): Promise<void> {
  await sql
    .raw(
      `CREATE FUNCTION ${table}_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD; -- a cascade from deleting the process
      END IF;
      RAISE EXCEPTION '${table} is append-only';
    END
    $$ LANGUAGE plpgsql`,
    )
    .execute(db)
  await sql
    .raw(
      `CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION ${table}_append_only()`,
    )
    .execute(db)
}

export async function up(db: Kysely<any>): Promise<void> {
  // One adoption of a version as the process's strategy: the date and the instrument (a
  // decree number). Append-only: a later adoption supersedes it, a withdrawal (its own table)
  // ends it; neither rewrites it.
  await db.schema
    .createTable('strategy_adoptions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('adopted_on', 'date', (c) => c.notNull())
    .addColumn('instrument', 'text', (c) =>
      c.notNull().check(sql`char_length(instrument) BETWEEN 1 AND 300`),
    )
    .addColumn('note', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(note) <= 2000`),
    )
    .addColumn('supersedes_id', 'uuid', (c) => c.references('strategy_adoptions.id'))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('strategy_adoptions_number_unique', ['process_id', 'number'])
    .execute()
  await appendOnly(db, 'strategy_adoptions')

  // The adopted text in each language: one frozen version per language. The source language
  // is written at adoption; a translation frozen with it (a later feature) adds its row.
  await db.schema
    .createTable('strategy_adoption_texts')
    .addColumn('adoption_id', 'uuid', (c) =>
      c.notNull().references('strategy_adoptions.id').onDelete('cascade'),
    )
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('documents.id').onDelete('cascade'),
    )
    .addColumn('version_id', 'uuid', (c) =>
      c.notNull().references('document_versions.id').onDelete('cascade'),
    )
    .addColumn('is_source', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('strategy_adoption_texts_pk', ['adoption_id', 'language'])
    .execute()
  await appendOnly(db, 'strategy_adoption_texts')

  // A recorded, reasoned withdrawal of an adoption: the only way one ends without a successor.
  await db.schema
    .createTable('strategy_withdrawals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('adoption_id', 'uuid', (c) =>
      c.notNull().unique().references('strategy_adoptions.id').onDelete('cascade'),
    )
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('withdrawn_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`char_length(btrim(reason)) BETWEEN 1 AND 2000`),
    )
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await appendOnly(db, 'strategy_withdrawals')

  // What the process committed to: a line of action (a section of the adopted text), an
  // accepted thread, or one the secretariat added to a section.
  await db.schema
    .createTable('commitments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number >= 1`))
    .addColumn('adoption_id', 'uuid', (c) => c.notNull().references('strategy_adoptions.id'))
    .addColumn('source', 'text', (c) =>
      c.notNull().check(sql`source IN ('section', 'thread', 'added')`),
    )
    .addColumn('section_id', 'text', (c) => c.notNull())
    .addColumn('section_title', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'uuid', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull().check(sql`char_length(title) BETWEEN 1 AND 300`))
    .addColumn('description', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(description) <= 4000`),
    )
    .addColumn('organisation', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(organisation) <= 200`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('planned')
        .check(sql`status IN ('planned', 'in-progress', 'done', 'dropped')`),
    )
    .addColumn('dropped_reason', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(dropped_reason) <= 2000`),
    )
    .addColumn('due_on', 'date')
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('commitments_number_unique', ['process_id', 'number'])
    .addCheckConstraint(
      'commitments_dropped_has_reason',
      sql`status <> 'dropped' OR char_length(btrim(dropped_reason)) > 0`,
    )
    .execute()
  await sql`CREATE UNIQUE INDEX commitments_one_per_line ON commitments (process_id, section_id) WHERE source = 'section'`.execute(
    db,
  )
  await sql`CREATE UNIQUE INDEX commitments_one_per_thread ON commitments (process_id, thread_id) WHERE source = 'thread'`.execute(
    db,
  )

  await db.schema
    .createTable('commitment_indicators')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('commitment_id', 'uuid', (c) =>
      c.notNull().references('commitments.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull().check(sql`char_length(name) BETWEEN 1 AND 200`))
    .addColumn('unit', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(unit) <= 50`),
    )
    .addColumn('baseline', 'double precision')
    .addColumn('target', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('commitment_indicators_by_commitment')
    .on('commitment_indicators')
    .column('commitment_id')
    .execute()

  // Measured values with their dates: the record of progress, append-only.
  await db.schema
    .createTable('indicator_measurements')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('indicator_id', 'uuid', (c) =>
      c.notNull().references('commitment_indicators.id').onDelete('cascade'),
    )
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('measured_on', 'date', (c) => c.notNull())
    .addColumn('note', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(note) <= 500`),
    )
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('indicator_measurements_by_indicator')
    .on('indicator_measurements')
    .columns(['indicator_id', 'measured_on'])
    .execute()
  await appendOnly(db, 'indicator_measurements')

  // Dated progress updates, with the status the commitment had once the update was written.
  await db.schema
    .createTable('commitment_updates')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('commitment_id', 'uuid', (c) =>
      c.notNull().references('commitments.id').onDelete('cascade'),
    )
    .addColumn('body', 'text', (c) => c.notNull().check(sql`char_length(body) BETWEEN 1 AND 4000`))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('commitment_updates_by_commitment')
    .on('commitment_updates')
    .columns(['commitment_id', 'created_at'])
    .execute()
  await appendOnly(db, 'commitment_updates')

  // A review cycle's working document points to the document it continues, so the threads of
  // earlier cycles (anchored by section id) are listed with it.
  await db.schema
    .alterTable('documents')
    .addColumn('predecessor_id', 'uuid', (c) => c.references('documents.id').onDelete('set null'))
    .execute()
}
