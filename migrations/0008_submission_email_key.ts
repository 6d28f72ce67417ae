import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // The per-e-mail limit of public comments counts one mailbox once: the address in lower case
  // and without a `+tag` (ana+1@… and Ana+2@… are ana@…). server/consultation/public-queries.ts
  // emailKeyOf computes it for new rows; existing rows get the same here.
  await db.schema.alterTable('consultation_submissions').addColumn('email_key', 'text').execute()
  await sql`
    UPDATE consultation_submissions
    SET email_key = lower(regexp_replace(email, '\\+[^@]*@', '@'))
    WHERE email IS NOT NULL`.execute(db)
  await db.schema.dropIndex('consultation_submissions_email').execute()
  await db.schema
    .createIndex('consultation_submissions_email_key')
    .on('consultation_submissions')
    .columns(['email_key', 'created_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('consultation_submissions_email_key').execute()
  await db.schema
    .createIndex('consultation_submissions_email')
    .on('consultation_submissions')
    .columns(['email', 'created_at'])
    .execute()
  await db.schema.alterTable('consultation_submissions').dropColumn('email_key').execute()
}
