import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The public home of a process (issue 14, item 7): off until the secretariat turns it on,
  // at /p/<public_slug>. The slug is kept when the home is turned off, so turning it back on
  // brings the same address back.
  await db.schema
    .alterTable('processes')
    .addColumn('public_home', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('public_slug', 'text', (c) =>
      c
        .unique()
        .check(
          sql`public_slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(public_slug) BETWEEN 2 AND 60`,
        ),
    )
    .execute()
  await db.schema
    .alterTable('processes')
    .addCheckConstraint('processes_public_home_slug', sql`NOT public_home OR public_slug IS NOT NULL`)
    .execute()
}
