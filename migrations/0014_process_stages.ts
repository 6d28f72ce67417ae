import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A process's stage is one of the life cycle's six (shared/domain/lifecycle.ts, copied here
  // because migrations are frozen in time).
  await db.schema
    .alterTable('processes')
    .addCheckConstraint(
      'processes_stage_known',
      sql`stage IN ('drafting', 'stakeholder-review', 'public-consultation', 'response', 'adopted', 'implementation-review')`,
    )
    .execute()

  // Every move from one stage to another, with the reason given (issue 14, item 4): the
  // timeline members see. Append-only like the audit log, which records the same move.
  await db.schema
    .createTable('process_stage_changes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('process_id', 'uuid', (c) =>
      c.notNull().references('processes.id').onDelete('cascade'),
    )
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) =>
      c
        .notNull()
        .defaultTo('')
        .check(sql`char_length(reason) <= 2000`),
    )
    .addColumn('actor_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    // The name as it was when the move was made, as versions keep their authors' names.
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('process_stage_changes_moves', sql`from_stage <> to_stage`)
    .execute()
  await db.schema
    .createIndex('process_stage_changes_by_process')
    .on('process_stage_changes')
    .columns(['process_id', 'created_at'])
    .execute()

  await sql`
    CREATE FUNCTION process_stage_changes_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
        RETURN OLD; -- a cascade from deleting the process
      END IF;
      RAISE EXCEPTION 'process_stage_changes is append-only';
    END
    $$ LANGUAGE plpgsql`.execute(db)
  await sql`
    CREATE TRIGGER process_stage_changes_no_change BEFORE UPDATE OR DELETE ON process_stage_changes
    FOR EACH ROW EXECUTE FUNCTION process_stage_changes_append_only()`.execute(db)
}
