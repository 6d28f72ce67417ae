import { sql } from 'kysely'
import type { Executor, StoredSection } from '../db/database'

// strategy_adoptions, strategy_adoption_texts, strategy_withdrawals, indicator_measurements and
// commitment_updates are append-only: no UPDATE or DELETE of them here (STYLE 2.6), and
// triggers in the database refuse both.

/** The process row locked for the rest of the transaction: adoption and cycles are serialised per process. */
export function lockProcess(trx: Executor, processId: string) {
  return trx
    .selectFrom('processes')
    .select(['id', 'stage', 'languages'])
    .where('id', '=', processId)
    .forUpdate()
    .executeTakeFirst()
}

/** A version of a live document of the process, with the sections it froze. */
export function findProcessVersion(db: Executor, processId: string, versionId: string) {
  return db
    .selectFrom('document_versions as v')
    .innerJoin('documents as d', 'd.id', 'v.document_id')
    .select(['v.id', 'v.document_id', 'v.name', 'v.number', 'v.sections', 'v.title'])
    .where('v.id', '=', versionId)
    .where('v.process_id', '=', processId)
    .where('d.deleted_at', 'is', null)
    .executeTakeFirst()
}

/** Every adoption of a process with its withdrawal, newest first. */
export function listAdoptions(db: Executor, processId: string) {
  return db
    .selectFrom('strategy_adoptions as a')
    .leftJoin('strategy_withdrawals as w', 'w.adoption_id', 'a.id')
    .select([
      'a.id',
      'a.number',
      'a.adopted_on',
      'a.instrument',
      'a.note',
      'a.supersedes_id',
      'a.created_by_name',
      'a.created_at',
      'w.withdrawn_on',
      'w.reason as withdrawal_reason',
      'w.created_by_name as withdrawn_by_name',
      'w.created_at as withdrawn_at',
    ])
    .where('a.process_id', '=', processId)
    .orderBy('a.number', 'desc')
    .execute()
}
export type AdoptionListRow = Awaited<ReturnType<typeof listAdoptions>>[number]

/** The texts of some adoptions, with their versions' names and numbers. */
export function listAdoptionTexts(db: Executor, adoptionIds: string[]) {
  if (adoptionIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('strategy_adoption_texts as t')
    .innerJoin('document_versions as v', 'v.id', 't.version_id')
    .select([
      't.adoption_id',
      't.language',
      't.is_source',
      't.document_id',
      't.version_id',
      'v.name',
      'v.number',
      'v.title',
      'v.words',
    ])
    .where('t.adoption_id', 'in', adoptionIds)
    .orderBy('t.is_source', 'desc')
    .orderBy('t.language')
    .execute()
}
export type AdoptionTextRow = Awaited<ReturnType<typeof listAdoptionTexts>>[number]

export interface NewAdoption {
  processId: string
  adoptedOn: string
  instrument: string
  note: string
  supersedesId: string | null
  createdBy: string
  createdByName: string
}

export function insertAdoption(trx: Executor, adoption: NewAdoption) {
  return trx
    .insertInto('strategy_adoptions')
    .values({
      process_id: adoption.processId,
      number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM strategy_adoptions WHERE process_id = ${adoption.processId})`,
      adopted_on: adoption.adoptedOn,
      instrument: adoption.instrument,
      note: adoption.note,
      supersedes_id: adoption.supersedesId,
      created_by: adoption.createdBy,
      created_by_name: adoption.createdByName,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow()
}

export function insertAdoptionText(
  trx: Executor,
  text: {
    adoptionId: string
    language: string
    documentId: string
    versionId: string
    isSource: boolean
  },
) {
  return trx
    .insertInto('strategy_adoption_texts')
    .values({
      adoption_id: text.adoptionId,
      language: text.language,
      document_id: text.documentId,
      version_id: text.versionId,
      is_source: text.isSource,
    })
    .execute()
}

export function insertWithdrawal(
  trx: Executor,
  w: {
    adoptionId: string
    processId: string
    withdrawnOn: string
    reason: string
    userId: string
    name: string
  },
) {
  return trx
    .insertInto('strategy_withdrawals')
    .values({
      adoption_id: w.adoptionId,
      process_id: w.processId,
      withdrawn_on: w.withdrawnOn,
      reason: w.reason,
      created_by: w.userId,
      created_by_name: w.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Threads of the process whose disposition accepted them, wholly or in part. */
export function listAcceptedThreads(db: Executor, processId: string) {
  return db
    .selectFrom('threads as t')
    .innerJoin('documents as d', 'd.id', 't.document_id')
    .innerJoin('comments as r', (join) =>
      join.onRef('r.thread_id', '=', 't.id').on('r.is_root', '=', true),
    )
    .select(['t.id', 't.number', 't.section_id', 't.section_title', 'r.body', 't.answer'])
    .where('t.process_id', '=', processId)
    .where('t.disposition', 'in', ['accepted', 'partially-accepted'])
    .where('d.deleted_at', 'is', null)
    .orderBy('t.number')
    .execute()
}

/** Which sections and threads already have their commitment. */
export async function existingCommitmentKeys(db: Executor, processId: string) {
  const rows = await db
    .selectFrom('commitments')
    .select(['source', 'section_id', 'thread_id'])
    .where('process_id', '=', processId)
    .execute()
  return {
    sections: new Set(rows.filter((r) => r.source === 'section').map((r) => r.section_id)),
    threads: new Set(rows.filter((r) => r.source === 'thread').map((r) => r.thread_id)),
  }
}

export interface NewCommitment {
  processId: string
  adoptionId: string
  source: 'section' | 'thread' | 'added'
  sectionId: string
  sectionTitle: string
  threadId: string | null
  title: string
  description: string
  organisation: string
  dueOn: string | null
  createdByName: string
}

/** Inserts a commitment with the next number of its process (the process row is locked). */
export function insertCommitment(trx: Executor, c: NewCommitment) {
  return trx
    .insertInto('commitments')
    .values({
      process_id: c.processId,
      number: sql<number>`(SELECT coalesce(max(number), 0) + 1 FROM commitments WHERE process_id = ${c.processId})`,
      adoption_id: c.adoptionId,
      source: c.source,
      section_id: c.sectionId,
      section_title: c.sectionTitle,
      thread_id: c.threadId,
      title: c.title,
      description: c.description,
      organisation: c.organisation,
      due_on: c.dueOn,
      created_by_name: c.createdByName,
    })
    .returning(['id', 'number'])
    .executeTakeFirstOrThrow()
}

const COMMITMENT_COLUMNS = [
  'c.id',
  'c.process_id',
  'c.number',
  'c.source',
  'c.section_id',
  'c.section_title',
  'c.thread_id',
  'c.title',
  'c.description',
  'c.organisation',
  'c.status',
  'c.dropped_reason',
  'c.due_on',
  'c.updated_at',
  't.number as thread_number',
] as const

/** A process's commitments by number, optionally of one status. */
export function listCommitments(db: Executor, processId: string, status?: string) {
  let q = db
    .selectFrom('commitments as c')
    .leftJoin('threads as t', 't.id', 'c.thread_id')
    .select(COMMITMENT_COLUMNS)
    .where('c.process_id', '=', processId)
  if (status) {
    q = q.where('c.status', '=', status)
  }
  return q.orderBy('c.number').execute()
}
export type CommitmentListRow = Awaited<ReturnType<typeof listCommitments>>[number]

/** How many commitments a process has in each status. */
export function countCommitments(db: Executor, processId: string) {
  return db
    .selectFrom('commitments')
    .select(['status', sql<number>`count(*)::int`.as('n')])
    .where('process_id', '=', processId)
    .groupBy('status')
    .execute()
}

export function findCommitment(db: Executor, commitmentId: string) {
  return db
    .selectFrom('commitments as c')
    .leftJoin('threads as t', 't.id', 'c.thread_id')
    .select(COMMITMENT_COLUMNS)
    .where('c.id', '=', commitmentId)
    .executeTakeFirst()
}

export function lockCommitment(trx: Executor, commitmentId: string) {
  return trx
    .selectFrom('commitments')
    .select(['id', 'status', 'dropped_reason'])
    .where('id', '=', commitmentId)
    .forUpdate()
    .executeTakeFirst()
}

export function updateCommitment(
  trx: Executor,
  commitmentId: string,
  values: Partial<{
    title: string
    description: string
    organisation: string
    status: string
    dropped_reason: string
    due_on: string | null
  }>,
) {
  return trx
    .updateTable('commitments')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', commitmentId)
    .execute()
}

export function touchCommitment(trx: Executor, commitmentId: string) {
  return trx
    .updateTable('commitments')
    .set({ updated_at: new Date() })
    .where('id', '=', commitmentId)
    .execute()
}

export function listIndicators(db: Executor, commitmentIds: string[]) {
  if (commitmentIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('commitment_indicators')
    .selectAll()
    .where('commitment_id', 'in', commitmentIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function countIndicators(db: Executor, commitmentId: string) {
  return db
    .selectFrom('commitment_indicators')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('commitment_id', '=', commitmentId)
    .executeTakeFirstOrThrow()
}

export function findIndicator(db: Executor, commitmentId: string, indicatorId: string) {
  return db
    .selectFrom('commitment_indicators')
    .select('id')
    .where('id', '=', indicatorId)
    .where('commitment_id', '=', commitmentId)
    .executeTakeFirst()
}

export function insertIndicator(
  trx: Executor,
  i: { commitmentId: string; name: string; unit: string; baseline: number | null; target: number },
) {
  return trx
    .insertInto('commitment_indicators')
    .values({
      commitment_id: i.commitmentId,
      name: i.name,
      unit: i.unit,
      baseline: i.baseline,
      target: i.target,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function listMeasurements(db: Executor, indicatorIds: string[]) {
  if (indicatorIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('indicator_measurements')
    .selectAll()
    .where('indicator_id', 'in', indicatorIds)
    .orderBy('measured_on')
    .orderBy('created_at')
    .execute()
}

export function insertMeasurement(
  trx: Executor,
  m: { indicatorId: string; value: number; measuredOn: string; note: string; name: string },
) {
  return trx
    .insertInto('indicator_measurements')
    .values({
      indicator_id: m.indicatorId,
      value: m.value,
      measured_on: m.measuredOn,
      note: m.note,
      created_by_name: m.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function listUpdates(db: Executor, commitmentIds: string[]) {
  if (commitmentIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('commitment_updates')
    .selectAll()
    .where('commitment_id', 'in', commitmentIds)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

export function insertUpdate(
  trx: Executor,
  u: { commitmentId: string; body: string; status: string; name: string; at?: Date },
) {
  return trx
    .insertInto('commitment_updates')
    .values({
      commitment_id: u.commitmentId,
      body: u.body,
      status: u.status,
      created_by_name: u.name,
      ...(u.at ? { created_at: u.at } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** Sets the document a review cycle's working document continues. */
export function setPredecessor(trx: Executor, documentId: string, predecessorId: string) {
  return trx
    .updateTable('documents')
    .set({ predecessor_id: predecessorId })
    .where('id', '=', documentId)
    .execute()
}

export type { StoredSection }
