import { sql, type Kysely } from 'kysely'

// Migrations are frozen in time: they take Kysely<any> and import nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Counters of sign-in attempts (issue 12, item 5). One row per scope and key: the account
  // ('account', e-mail in lower case), the address ('address', IP) and the pair ('pair',
  // e-mail + IP). An attempt reserves its place in every counter in one transaction before the
  // password is checked, so parallel attempts cannot all pass one count.
  await db.schema
    .createTable('sign_in_throttles')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_failed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('blocked_until', 'timestamptz')
    .addPrimaryKeyConstraint('sign_in_throttles_pk', ['scope', 'key'])
    .execute()
  await db.schema.createIndex('sign_in_throttles_last_failed').on('sign_in_throttles').column('last_failed_at').execute()

  // A second factor (issue 12, item 8): a TOTP secret, encrypted with a key derived from the
  // server secret, confirmed once (totp_enabled_at) and never accepted twice for the same step.
  await db.schema
    .alterTable('users')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('recovery_codes_user').on('recovery_codes').column('user_id').execute()

  // The second step of a sign-in: the password was right, the code is still to come.
  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_challenges').execute()
  await db.schema.dropTable('recovery_codes').execute()
  await db.schema.alterTable('users').dropColumn('totp_secret').dropColumn('totp_enabled_at').dropColumn('totp_last_step').execute()
  await db.schema.dropTable('sign_in_throttles').execute()
}
