import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A notice that a moderator hid someone's comment carries the moderator's reason (issue 15,
  // item 2); mentions and replies have none.
  await db.schema.alterTable('notifications').addColumn('reason', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('reason').execute()
}
