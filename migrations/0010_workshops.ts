import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A live session on a draft (issue 13): its settings, its state (draft → scheduled → running →
  // closed → published, or cancelled) and, while it runs, the live state every page shows. The
  // live state is rows here, never only memory, so it survives restarts and crosses instances;
  // `revision` grows with every facilitator action, so two facilitators cannot both win.
  await db.schema
    .createTable('workshops')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('document_id', 'uuid', (c) => c.references('documents.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('meeting_url', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('languages', 'jsonb', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    // Attendance by group below this many people raises a warning on the console.
    .addColumn('group_threshold', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('current_item_id', 'uuid')
    // The countdown of the current item: time run before the last pause, and when it resumed
    // (null while paused).
    .addColumn('clock_elapsed_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('clock_resumed_at', 'timestamptz')
    // The thread or passage everyone's attention is drawn to: { threadId } or { sectionId, quote }.
    .addColumn('spotlight', 'jsonb')
    .addColumn('started_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancel_reason', 'text')
    // The minutes drafted when the workshop closes (a frozen record), the facilitator's summary,
    // and their publication to members and optionally the public.
    .addColumn('minutes', 'jsonb')
    .addColumn('minutes_summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('minutes_published_at', 'timestamptz')
    .addColumn('minutes_public', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('workshops_window', sql`ends_at > starts_at`)
    .addCheckConstraint('workshops_capacity', sql`capacity IS NULL OR capacity > 0`)
    .execute()
  await db.schema
    .createIndex('workshops_process')
    .on('workshops')
    .columns(['process_id', 'starts_at'])
    .execute()

  // The agenda: ordered items, each a section of the workshop's document (by its stable id) or a
  // free topic, with a time box; `started_at`/`ended_at` are the actual times, for the minutes.
  await db.schema
    .createTable('workshop_agenda_items')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('section_id', 'text')
    .addColumn('topic', 'text')
    // The section's title when the agenda was saved, shown once the section is gone.
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('extra_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lead', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addCheckConstraint(
      'workshop_agenda_item_kind',
      sql`(section_id IS NULL) <> (topic IS NULL)`,
    )
    .execute()
  await db.schema
    .createIndex('workshop_agenda_items_order')
    .on('workshop_agenda_items')
    .columns(['workshop_id', 'position'])
    .execute()

  // Who registered: members (user_id) and people without an account, each with a check-in code.
  await db.schema
    .createTable('workshop_registrations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stakeholder_group', 'text', (c) => c.notNull())
    .addColumn('consent_public', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('workshop_registrations_code', ['workshop_id', 'code'])
    .execute()
  await sql`CREATE UNIQUE INDEX workshop_registrations_member ON workshop_registrations (workshop_id, user_id) WHERE user_id IS NOT NULL`.execute(
    db,
  )

  // Attendance: the group and organisation are frozen at check-in (issue 13, item 3).
  await db.schema
    .createTable('workshop_attendees')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('registration_id', 'uuid', (c) =>
      c.references('workshop_registrations.id').onDelete('set null'),
    )
    .addColumn('user_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('stakeholder_group', 'text', (c) => c.notNull())
    .addColumn('consent_public', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('checked_in_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`CREATE UNIQUE INDEX workshop_attendees_registration ON workshop_attendees (workshop_id, registration_id) WHERE registration_id IS NOT NULL`.execute(
    db,
  )
  await sql`CREATE UNIQUE INDEX workshop_attendees_member ON workshop_attendees (workshop_id, user_id) WHERE user_id IS NOT NULL`.execute(
    db,
  )

  // Wrong check-in codes, counted per workshop and address in PostgreSQL (every instance sees
  // the same count), so codes cannot be guessed.
  await db.schema
    .createTable('workshop_checkin_failures')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('workshop_id', 'uuid', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createIndex('workshop_checkin_failures_address')
    .on('workshop_checkin_failures')
    .columns(['address', 'created_at'])
    .execute()

  // The speaking queue: raised hands, ordered by the facilitator, called or removed.
  await db.schema
    .createTable('workshop_queue')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('attendee_id', 'uuid', (c) =>
      c.notNull().references('workshop_attendees.id').onDelete('cascade'),
    )
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('called_at', 'timestamptz')
    .addColumn('removed_at', 'timestamptz')
    .execute()
  await sql`CREATE UNIQUE INDEX workshop_queue_one_hand ON workshop_queue (workshop_id, attendee_id) WHERE called_at IS NULL AND removed_at IS NULL`.execute(
    db,
  )

  // What was said and decided: comments, questions and proposals (each also an ordinary thread
  // of its section), decisions and action items. `recorded_by_name` is set when the
  // facilitator recorded it on someone's behalf.
  await db.schema
    .createTable('workshop_contributions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('agenda_item_id', 'uuid', (c) =>
      c.references('workshop_agenda_items.id').onDelete('set null'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'uuid', (c) => c.references('threads.id').onDelete('set null'))
    .addColumn('section_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('attendee_id', 'uuid', (c) =>
      c.references('workshop_attendees.id').onDelete('set null'),
    )
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('author_group', 'text', (c) => c.notNull())
    .addColumn('author_organisation', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('recorded_by_name', 'text')
    .addColumn('owner', 'text')
    .addColumn('due_date', 'date')
    .addColumn('status', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('status_at', 'timestamptz')
    .execute()
  await db.schema
    .createIndex('workshop_contributions_workshop')
    .on('workshop_contributions')
    .columns(['workshop_id', 'created_at'])
    .execute()

  // Straw polls and their votes: the primary key makes one answer per attendee, also under
  // parallel votes.
  await db.schema
    .createTable('workshop_polls')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('workshop_id', 'uuid', (c) =>
      c.notNull().references('workshops.id').onDelete('cascade'),
    )
    .addColumn('agenda_item_id', 'uuid', (c) =>
      c.references('workshop_agenda_items.id').onDelete('set null'),
    )
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('options', 'jsonb', (c) => c.notNull())
    .addColumn('multiple', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('opened_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('workshop_votes')
    .addColumn('poll_id', 'uuid', (c) => c.notNull().references('workshop_polls.id').onDelete('cascade'))
    .addColumn('attendee_id', 'uuid', (c) =>
      c.notNull().references('workshop_attendees.id').onDelete('cascade'),
    )
    .addColumn('choices', 'jsonb', (c) => c.notNull())
    .addColumn('stakeholder_group', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('workshop_votes_pk', ['poll_id', 'attendee_id'])
    .execute()

  // Threads that came from a workshop (origin "workshop" in thread lists).
  await db.schema
    .alterTable('threads')
    .addColumn('workshop_id', 'uuid', (c) => c.references('workshops.id').onDelete('set null'))
    .execute()

  // A closed workshop's record is append-only: what was said, who attended and the agenda's
  // times cannot be changed or removed once it closed; only an action item's status moves on.
  // Cascades (a deleted process) run as nested triggers and pass.
  await sql`
    CREATE FUNCTION workshop_record_append_only() RETURNS trigger AS $$
    DECLARE
      closed boolean;
    BEGIN
      IF pg_trigger_depth() > 1 THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END IF;
      SELECT state IN ('closed', 'published') INTO closed FROM workshops
        WHERE id = OLD.workshop_id;
      IF closed THEN
        IF TG_TABLE_NAME = 'workshop_contributions' AND TG_OP = 'UPDATE'
           AND (to_jsonb(NEW) - 'status' - 'status_at') = (to_jsonb(OLD) - 'status' - 'status_at') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'the record of a closed workshop is append-only';
      END IF;
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END
    $$ LANGUAGE plpgsql`.execute(db)
  for (const table of ['workshop_contributions', 'workshop_attendees', 'workshop_agenda_items']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_closed_record`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION workshop_record_append_only()`.execute(db)
  }
}
