import { sql, type Insertable, type Updateable } from 'kysely'
import type {
  ConsultationChangesTable,
  ConsultationRow,
  ConsultationsTable,
  Executor,
} from '../db/database'

/** A consultation with its version's name, number, length and sections. */
export interface ConsultationWithVersion extends ConsultationRow {
  version_name: string
  version_number: number
  version_words: number
  version_sections: { id: string | null; level: number; title: string }[]
}

function withVersion(db: Executor) {
  return db
    .selectFrom('consultations as c')
    .innerJoin('document_versions as v', 'v.id', 'c.version_id')
    .innerJoin('documents as d', 'd.id', 'c.document_id')
    .selectAll('c')
    .select([
      'v.name as version_name',
      'v.number as version_number',
      'v.words as version_words',
      'v.sections as version_sections',
    ])
    .where('d.deleted_at', 'is', null)
}

/** One consultation of a live document, or undefined. */
export async function findConsultation(
  db: Executor,
  consultationId: string,
): Promise<ConsultationWithVersion | undefined> {
  return (await withVersion(db).where('c.id', '=', consultationId).executeTakeFirst()) as
    | ConsultationWithVersion
    | undefined
}

/**
 * A consultation by its public address, in any state: callers that serve the public check
 * `published_at` themselves (a draft is the same 404 as an unknown slug).
 */
export async function findConsultationBySlug(
  db: Executor,
  slug: string,
): Promise<ConsultationWithVersion | undefined> {
  return (await withVersion(db).where('c.slug', '=', slug).executeTakeFirst()) as
    | ConsultationWithVersion
    | undefined
}

/** A process's consultations, newest first. */
export async function listConsultations(
  db: Executor,
  processId: string,
): Promise<ConsultationWithVersion[]> {
  return (await withVersion(db)
    .where('c.process_id', '=', processId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute()) as ConsultationWithVersion[]
}

/** Locks a consultation's row for a change of its window or settings. */
export function lockConsultation(trx: Executor, consultationId: string) {
  return trx
    .selectFrom('consultations')
    .selectAll()
    .where('id', '=', consultationId)
    .forUpdate()
    .executeTakeFirst()
}

export function insertConsultation(trx: Executor, values: Insertable<ConsultationsTable>) {
  return trx.insertInto('consultations').values(values).returning('id').executeTakeFirstOrThrow()
}

export function updateConsultation(
  trx: Executor,
  consultationId: string,
  values: Updateable<ConsultationsTable>,
) {
  return trx
    .updateTable('consultations')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', consultationId)
    .execute()
}

export function slugTaken(db: Executor, slug: string, exceptId?: string) {
  let query = db.selectFrom('consultations').select('id').where('slug', '=', slug)
  if (exceptId) {
    query = query.where('id', '!=', exceptId)
  }
  return query.executeTakeFirst()
}

export function insertChange(trx: Executor, values: Insertable<ConsultationChangesTable>) {
  return trx.insertInto('consultation_changes').values(values).execute()
}

/** The logged changes of some consultations, oldest first. */
export function listChanges(db: Executor, consultationIds: string[]) {
  if (consultationIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('consultation_changes')
    .selectAll()
    .where('consultation_id', 'in', consultationIds)
    .orderBy('id')
    .execute()
}

/** Accepted submissions and the threads they made, per consultation. */
export async function countSubmissions(db: Executor, consultationIds: string[]) {
  const counts = new Map<string, { submissions: number; threads: number }>()
  if (consultationIds.length === 0) {
    return counts
  }
  const rows = await db
    .selectFrom('consultation_submissions')
    .select([
      'consultation_id',
      sql<number>`count(*)::int`.as('submissions'),
      sql<number>`count(DISTINCT thread_id)::int`.as('threads'),
    ])
    .where('consultation_id', 'in', consultationIds)
    .where('status', '=', 'accepted')
    .groupBy('consultation_id')
    .execute()
  for (const row of rows) {
    counts.set(row.consultation_id, { submissions: row.submissions, threads: row.threads })
  }
  return counts
}

/**
 * The threads a consultation's progress counts: those it made, with their section, declared
 * group and whether they have an answer. Pending (awaiting approval) ones count too: they
 * still need an answer once approved; hidden ones do not.
 */
export function listProgressThreads(db: Executor, consultationId: string) {
  return db
    .selectFrom('threads as t')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .select([
      't.section_id',
      't.section_title',
      'r.author_group',
      't.disposition',
      't.answer',
      'r.hidden_at',
      'r.pending',
    ])
    .where('t.consultation_id', '=', consultationId)
    .where('r.withdrawn_at', 'is', null)
    .where((eb) => eb.or([eb('r.hidden_at', 'is', null), eb('r.pending', '=', true)]))
    .execute()
}

/** A live (not deleted) document. */
export function findLiveDocument(db: Executor, documentId: string) {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/** A version of a live document: what opening a consultation on it needs. */
export function findVersionSummary(db: Executor, versionId: string) {
  return db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.process_id', 'v.document_id', 'v.words'])
    .where('v.id', '=', versionId)
    .where('d.deleted_at', 'is', null)
    .executeTakeFirst()
}

/** Locks a thread's row, so answers recorded at once take turns. */
export function lockThread(trx: Executor, threadId: string) {
  return trx.selectFrom('threads').select('id').where('id', '=', threadId).forUpdate().executeTakeFirst()
}

/** Records a thread's disposition and answer. */
export function updateAnswer(
  trx: Executor,
  threadId: string,
  values: {
    disposition: string
    answer: string
    answer_version_id: string | null
    answer_section_id: string | null
    answer_section_title: string | null
    answered_by_name: string
  },
) {
  return trx
    .updateTable('threads')
    .set({ ...values, answered_at: sql`now()`, last_activity_at: sql`now()` })
    .where('id', '=', threadId)
    .execute()
}

/** A version's process, document and sections, for checking where an answer points. */
export function findVersionSections(db: Executor, versionId: string) {
  return db
    .selectFrom('document_versions')
    .select(['id', 'process_id', 'document_id', 'name', 'sections'])
    .where('id', '=', versionId)
    .executeTakeFirst()
}
