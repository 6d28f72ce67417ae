import type { Executor, StoredSection } from '../db/database'

/** The frozen section list of a version. */
export async function findVersionSections(
  db: Executor,
  versionId: string,
): Promise<StoredSection[]> {
  const row = await db
    .selectFrom('document_versions')
    .select('sections')
    .where('id', '=', versionId)
    .executeTakeFirst()
  return row?.sections ?? []
}

/** A process's stakeholder groups in their order. */
export function listProcessGroups(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups')
    .select(['key', 'label'])
    .where('process_id', '=', processId)
    .orderBy('position')
    .orderBy('key')
    .execute()
}

/**
 * Every thread made from a consultation with its root comment and the name of the version its
 * answer points to. Pending ones are included: the caller decides what to leave out.
 */
export function listReportThreads(db: Executor, consultationId: string) {
  return db
    .selectFrom('threads as t')
    .innerJoin('comments as c', (join) =>
      join.onRef('c.thread_id', '=', 't.id').on('c.is_root', '=', true),
    )
    .leftJoin('document_versions as av', 'av.id', 't.answer_version_id')
    .select([
      't.id',
      't.number',
      't.section_id',
      't.section_title',
      't.kind',
      't.quote',
      't.proposal_text',
      't.submission_count',
      't.created_at',
      't.disposition',
      't.answer',
      't.answered_at',
      't.answer_section_title',
      'av.name as answer_version_name',
      'c.author_name',
      'c.author_group',
      'c.author_organisation',
      'c.self_declared',
      'c.body',
      'c.hidden_at',
      'c.hidden_reason',
      'c.withdrawn_at',
      'c.pending',
    ])
    .where('t.consultation_id', '=', consultationId)
    .orderBy('t.number')
    .execute()
}

export type ReportThreadRow = Awaited<ReturnType<typeof listReportThreads>>[number]

/**
 * The accepted submissions of a consultation that are in one of its threads, oldest first, each
 * with its thread, its receipt reference and whether that thread's root comment still waits for
 * a moderator.
 */
export function listAcceptedSubmissions(db: Executor, consultationId: string) {
  return db
    .selectFrom('consultation_submissions as s')
    .innerJoin('threads as t', 't.id', 's.thread_id')
    .innerJoin('comments as c', (join) =>
      join.onRef('c.thread_id', '=', 't.id').on('c.is_root', '=', true),
    )
    .select([
      's.thread_id',
      's.reference',
      's.section_id',
      's.stakeholder_group',
      's.created_at',
      'c.pending',
    ])
    .where('s.consultation_id', '=', consultationId)
    .where('s.status', '=', 'accepted')
    .where('t.consultation_id', '=', consultationId)
    .orderBy('s.created_at')
    .orderBy('s.reference')
    .execute()
}
