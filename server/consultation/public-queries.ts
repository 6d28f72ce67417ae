import { sql, type Insertable } from 'kysely'
import type { ConsultationSubmissionsTable, Executor } from '../db/database'

// Queries of the public side of a consultation (issue 6, items 3–6). They return rows or
// undefined and never throw HTTP errors (STYLE 2.2).

/** The process a consultation belongs to: its title and languages. */
export function findProcessOf(db: Executor, processId: string) {
  return db
    .selectFrom('processes')
    .select(['id', 'title', 'languages', 'archived_at'])
    .where('id', '=', processId)
    .executeTakeFirst()
}

/** The process's stakeholder groups in their order, with the labels of added groups. */
export function listGroups(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups')
    .select(['key', 'label'])
    .where('process_id', '=', processId)
    .orderBy('position')
    .execute()
}

/** The frozen content of a version as ProseMirror JSON. */
export function findVersionContent(db: Executor, versionId: string) {
  return db
    .selectFrom('document_versions')
    .select('content')
    .where('id', '=', versionId)
    .executeTakeFirst()
}

/**
 * Accepted submissions per section of a consultation (campaigns count every submission), but
 * not those whose thread still awaits a moderator's approval: the public learns nothing of a
 * comment before it is approved (the report counts them the same way).
 */
export async function countAcceptedBySection(
  db: Executor,
  consultationId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('consultation_submissions as s')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 's.thread_id').on('r.is_root', '=', true),
    )
    .select(['s.section_id', sql<number>`count(*)::int`.as('n')])
    .where('s.consultation_id', '=', consultationId)
    .where('s.status', '=', 'accepted')
    .where('r.pending', '=', false)
    .groupBy('s.section_id')
    .execute()
  return new Map(rows.map((r) => [r.section_id, Number(r.n)]))
}

/** A thread as the public page may show it, with its root comment and its answer. */
export interface PublicThreadRow {
  id: string
  number: number
  section_id: string
  consultation_id: string | null
  submission_count: number
  quote: string | null
  created_at: Date
  disposition: string | null
  answer: string | null
  answered_at: Date | null
  answered_by_name: string | null
  answer_section_title: string | null
  answer_version_name: string | null
  author_name: string
  author_group: string
  author_organisation: string
  self_declared: boolean
  body: string
  hidden_at: Date | null
  hidden_reason: string | null
  /** The workshop a member thread was recorded in, if any. */
  workshop_id: string | null
  /** Whether that workshop's attendee agreed to be named in public (null outside workshops). */
  workshop_consent: boolean | null
}

/**
 * The threads the public page may list: those the consultation made (published or hidden by a
 * moderator, never those awaiting approval, never withdrawn ones) and, when `memberThreads`,
 * members' own threads on the document that are neither hidden nor withdrawn. Oldest first.
 */
export async function listPublicThreads(
  db: Executor,
  consultation: { id: string; document_id: string },
  options: { consultationThreads: boolean; memberThreads: boolean; sectionId?: string },
): Promise<PublicThreadRow[]> {
  if (!options.consultationThreads && !options.memberThreads) {
    return []
  }
  let query = db
    .selectFrom('threads as t')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .leftJoin('document_versions as av', 'av.id', 't.answer_version_id')
    .select([
      't.id',
      't.number',
      't.section_id',
      't.consultation_id',
      't.submission_count',
      't.quote',
      't.created_at',
      't.disposition',
      't.answer',
      't.answered_at',
      't.answered_by_name',
      't.answer_section_title',
      'av.name as answer_version_name',
      'r.author_name',
      'r.author_group',
      'r.author_organisation',
      'r.self_declared',
      'r.body',
      'r.hidden_at',
      'r.hidden_reason',
      't.workshop_id',
      (eb) =>
        eb
          .selectFrom('workshop_contributions as wc')
          .innerJoin('workshop_attendees as wa', 'wa.id', 'wc.attendee_id')
          .select('wa.consent_public')
          .whereRef('wc.thread_id', '=', 't.id')
          .limit(1)
          .as('workshop_consent'),
    ])
    .where('t.document_id', '=', consultation.document_id)
    .where('r.withdrawn_at', 'is', null)
    .where('r.pending', '=', false)
    .where((eb) => {
      const branches = []
      if (options.consultationThreads) {
        branches.push(eb('t.consultation_id', '=', consultation.id))
      }
      if (options.memberThreads) {
        branches.push(eb.and([eb('t.consultation_id', 'is', null), eb('r.hidden_at', 'is', null)]))
      }
      return eb.or(branches)
    })
  if (options.sectionId !== undefined) {
    query = query.where('t.section_id', '=', options.sectionId)
  }
  const rows = await query.orderBy('t.created_at').orderBy('t.number').execute()
  return rows as PublicThreadRow[]
}

/**
 * Takes transaction-scoped advisory locks on one address's and (when given) one e-mail
 * address's submissions, always in that order, so parallel requests are counted one after
 * the other and cannot all pass the limit before any of them is stored.
 */
export async function lockSubmitter(
  trx: Executor,
  addressHash: string,
  email: string | null,
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('concord-public-address'), hashtext(${addressHash}))`.execute(
    trx,
  )
  if (email !== null) {
    await sql`SELECT pg_advisory_xact_lock(hashtext('concord-public-email'), hashtext(${emailKeyOf(email)}))`.execute(
      trx,
    )
  }
}

/** Submissions (any status, any consultation) from one address since `since`. */
export async function countByAddress(
  db: Executor,
  addressHash: string,
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('consultation_submissions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('address_hash', '=', addressHash)
    .where('created_at', '>', since)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/** Submissions (any status, any consultation) to the mailbox of an e-mail address since `since`. */
export async function countByEmail(db: Executor, email: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('consultation_submissions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('email_key', '=', emailKeyOf(email))
    .where('created_at', '>', since)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * Hands out the consultation's next submission number and returns its window as it stands
 * now. The update takes the consultation row's lock until commit, so closing early or
 * extending (which lock the row too) and submissions take turns, and every submission of one
 * consultation is stored in turn (campaign grouping cannot race).
 */
export function nextSubmissionNumber(trx: Executor, consultationId: string) {
  return trx
    .updateTable('consultations')
    .set((eb) => ({ submission_seq: eb('submission_seq', '+', 1) }))
    .where('id', '=', consultationId)
    .returning(['submission_seq', 'opens_at', 'closes_at', 'published_at'])
    .executeTakeFirst()
}

/**
 * The thread of the first accepted submission with the same text on the same section. A thread
 * its member author withdrew shows nothing, so the same text starts a thread anew.
 */
export function findCampaignThread(
  trx: Executor,
  consultationId: string,
  sectionId: string,
  textHash: string,
) {
  return trx
    .selectFrom('consultation_submissions as s')
    .innerJoin('threads as t', 't.id', 's.thread_id')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .selectAll('t')
    .where('s.consultation_id', '=', consultationId)
    .where('s.section_id', '=', sectionId)
    .where('s.text_hash', '=', textHash)
    .where('s.status', '=', 'accepted')
    .where('r.withdrawn_at', 'is', null)
    .orderBy('s.created_at')
    .limit(1)
    .executeTakeFirst()
}

/** Counts one more identical submission on a campaign's thread. */
export function incrementSubmissionCount(trx: Executor, threadId: string) {
  return trx
    .updateTable('threads')
    .set((eb) => ({
      submission_count: eb('submission_count', '+', 1),
      last_activity_at: sql`now()` as unknown as string,
    }))
    .where('id', '=', threadId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The root comment of a thread. */
export function findRoot(db: Executor, threadId: string) {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('thread_id', '=', threadId)
    .where('is_root', '=', true)
    .executeTakeFirst()
}

/**
 * The mailbox an e-mail address reaches, as the per-e-mail limit counts it: lower case, and
 * without a `+tag`, which most providers deliver to the same mailbox. The same expression as
 * migration 0008's.
 */
export function emailKeyOf(email: string): string {
  return email.replace(/\+[^@]*@/, '@').toLowerCase()
}

export function insertSubmission(
  trx: Executor,
  values: Omit<Insertable<ConsultationSubmissionsTable>, 'email_key'>,
) {
  return trx
    .insertInto('consultation_submissions')
    .values({ ...values, email_key: values.email ? emailKeyOf(values.email) : null })
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A submission of a consultation by its receipt reference. */
export function findSubmissionByReference(db: Executor, consultationId: string, reference: string) {
  return db
    .selectFrom('consultation_submissions')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .where('reference', '=', reference)
    .executeTakeFirst()
}

/** The submission a confirmation token's keyed hash names; locked for update when asked. */
export function findSubmissionByToken(
  db: Executor,
  tokenHash: string,
  options: { lock?: boolean } = {},
) {
  const query = db
    .selectFrom('consultation_submissions')
    .selectAll()
    .where('verify_token_hash', '=', tokenHash)
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

/** Marks a waiting submission confirmed and accepted into a thread. */
export function markAccepted(trx: Executor, submissionId: string, threadId: string) {
  return trx
    .updateTable('consultation_submissions')
    .set({
      status: 'accepted',
      thread_id: threadId,
      email_verified_at: sql`now()` as unknown as string,
    })
    .where('id', '=', submissionId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Deletes submissions still waiting for a confirmation whose link expired before `before`. */
export async function deleteUnconfirmedBefore(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('consultation_submissions')
    .where('status', '=', 'unverified')
    .where('verify_expires_at', '<', before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
