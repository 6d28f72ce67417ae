import type {
  AdoptBody,
  Commitment,
  CommitmentList,
  CreateCommitmentBody,
  CreateIndicatorBody,
  MeasurementBody,
  ReviewCycleResult,
  StrategyState,
  UpdateCommitmentBody,
  WithdrawBody,
} from '../../shared/api/strategy'
import { COMMITMENT_STATUSES, INDICATORS_MAX } from '../../shared/api/strategy'
import { isStage, type Stage } from '../../shared/domain/lifecycle'
import type { Language } from '../../shared/limits'
import type { Ctx, Origin } from '../context'
import type { Executor, StoredSection } from '../db/database'
import type { MembershipContext } from '../auth/guard'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { badRequest, conflict, notFound } from '../errors'
import { recordStageMove } from '../stages/service'
import { insertDocument } from '../documents/service'
import { loadVersionContent } from '../versions/service'
import * as queries from './queries'
import { toAdoption, toCommitment } from './present'

// Adoption (issue 14, item 5): the secretariat adopts one named version as the process's
// strategy, with the date and the instrument. The strategy in force is the newest adoption,
// unless it was withdrawn: a later adoption supersedes an earlier one, a withdrawal (with its
// date and reason) ends one; nothing is rewritten or deleted, so the record shows every step.

/** The stages an adoption may be made in: from the response (the normal path) or, to supersede, while adopted. */
export const ADOPTABLE_FROM: readonly Stage[] = ['response', 'adopted']
/** The stages a review cycle opens from. */
export const REVIEWABLE_FROM: readonly Stage[] = ['adopted', 'implementation-review']

/** The process's adoptions, newest first, and which is in force. */
export async function getStrategy(db: Executor, processId: string): Promise<StrategyState> {
  const process = await db
    .selectFrom('processes')
    .select('stage')
    .where('id', '=', processId)
    .executeTakeFirst()
  if (!process || !isStage(process.stage)) {
    throw notFound('Process')
  }
  const rows = await queries.listAdoptions(db, processId)
  const texts = await queries.listAdoptionTexts(
    db,
    rows.map((r) => r.id),
  )
  const newest = rows[0]
  const inForceId = newest && newest.withdrawn_at === null ? newest.id : null
  const record = rows.map((row) => toAdoption(row, texts, inForceId))
  return {
    stage: process.stage,
    current: record.find((a) => a.state === 'in-force') ?? null,
    record,
  }
}

/**
 * The sections that become commitments when none are named: the sections of the deepest
 * heading level, which is where a strategy spells out its lines of action (4.1, 4.2, … under
 * "4. Lines of action"); a text with one level of headings gives every section.
 */
export function defaultLinesOfAction(sections: StoredSection[]): string[] {
  const withIds = sections.filter((s): s is StoredSection & { id: string } => s.id !== null)
  if (withIds.length === 0) {
    return []
  }
  const deepest = Math.max(...withIds.map((s) => s.level))
  return withIds.filter((s) => s.level === deepest).map((s) => s.id)
}

/**
 * Adopts a version as the strategy. From the response stage the process moves on to adopted
 * (the stage rules of server/stages, with the move on the timeline); while adopted, a new
 * adoption supersedes the one in force. The lines of action named (or, by default, the
 * sections of the deepest heading level) and every accepted or partially accepted thread become commitments, once
 * each. All of it, with the audit record, commits together.
 */
export async function adopt(
  ctx: Ctx,
  membership: MembershipContext,
  body: AdoptBody,
  origin: Origin,
  at?: Date,
): Promise<StrategyState> {
  return inTransaction(ctx.db, (trx) => adoptIn(trx, membership.processId, body, origin, at))
}

/** `adopt` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function adoptIn(
  trx: Executor,
  processId: string,
  body: AdoptBody,
  origin: Origin,
  at?: Date,
): Promise<StrategyState> {
  const process = await queries.lockProcess(trx, processId)
  if (!process || !isStage(process.stage)) {
    throw notFound('Process')
  }
  if (!ADOPTABLE_FROM.includes(process.stage)) {
    throw conflict(
      `A version is adopted once the consultation has been answered: the process is at the ${process.stage} stage, not response (or adopted, to supersede)`,
    )
  }
  const version = await queries.findProcessVersion(trx, processId, body.versionId)
  if (!version) {
    throw notFound('Version')
  }
  const lines = body.linesOfAction ?? defaultLinesOfAction(version.sections)
  const byId = new Map(version.sections.filter((s) => s.id !== null).map((s) => [s.id!, s.title]))
  const unknown = lines.filter((id) => !byId.has(id))
  if (unknown.length > 0) {
    throw badRequest('Every line of action must be a section of the adopted version', [
      {
        path: 'body/linesOfAction',
        message: `not a section of the version: ${unknown.join(', ')}`,
      },
    ])
  }
  const before = await getStrategy(trx, processId)
  const adoption = await queries.insertAdoption(trx, {
    processId,
    adoptedOn: body.adoptedOn,
    instrument: body.instrument.trim(),
    note: (body.note ?? '').trim(),
    supersedesId: before.current?.id ?? null,
    createdBy: origin.userId,
    createdByName: origin.name,
  })
  // The source text, in the process's first language. A translation frozen with this
  // version (translations link documents by section id) adds a row per language here.
  const language = (process.languages[0] ?? 'en') as Language
  await queries.insertAdoptionText(trx, {
    adoptionId: adoption.id,
    language,
    documentId: version.document_id,
    versionId: version.id,
    isSource: true,
  })
  const existing = await queries.existingCommitmentKeys(trx, processId)
  let created = 0
  for (const sectionId of lines) {
    if (existing.sections.has(sectionId)) {
      continue
    }
    existing.sections.add(sectionId)
    const title = byId.get(sectionId)!
    await queries.insertCommitment(trx, {
      processId,
      adoptionId: adoption.id,
      source: 'section',
      sectionId,
      sectionTitle: title,
      threadId: null,
      title,
      description: '',
      organisation: '',
      dueOn: null,
      createdByName: origin.name,
    })
    created += 1
  }
  for (const thread of await queries.listAcceptedThreads(trx, processId)) {
    if (existing.threads.has(thread.id)) {
      continue
    }
    await queries.insertCommitment(trx, {
      processId,
      adoptionId: adoption.id,
      source: 'thread',
      sectionId: thread.section_id,
      sectionTitle: thread.section_title,
      threadId: thread.id,
      title: clip(thread.body, 300),
      description: thread.answer ?? '',
      organisation: '',
      dueOn: null,
      createdByName: origin.name,
    })
    created += 1
  }
  if (process.stage === 'response') {
    await recordStageMove(
      trx,
      processId,
      'response',
      'adopted',
      `Adopted: ${body.instrument.trim()}`.slice(0, 2000),
      origin,
      at,
    )
  }
  await recordAudit(trx, origin, {
    processId,
    action: 'strategy.adopted',
    targetType: 'version',
    targetId: version.id,
    details: {
      adoptionId: adoption.id,
      adoptionNumber: adoption.number,
      number: version.number,
      name: version.name,
      instrument: body.instrument.trim(),
      adoptedOn: body.adoptedOn,
      supersedes: before.current?.number ?? null,
      commitments: created,
    },
  })
  return getStrategy(trx, processId)
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat || '—' : `${flat.slice(0, max - 1)}…`
}

/**
 * Withdraws the strategy in force, with its date and reason, which stay on the record. A
 * process at the adopted or implementation-review stage goes back to response, with the
 * reason on its timeline; in a later cycle the stage stays where it is.
 */
export async function withdraw(
  ctx: Ctx,
  membership: MembershipContext,
  body: WithdrawBody,
  origin: Origin,
): Promise<StrategyState> {
  return inTransaction(ctx.db, async (trx) => {
    const processId = membership.processId
    const process = await queries.lockProcess(trx, processId)
    if (!process || !isStage(process.stage)) {
      throw notFound('Process')
    }
    const { current } = await getStrategy(trx, processId)
    if (!current) {
      throw conflict('No strategy is in force: there is nothing to withdraw')
    }
    const reason = body.reason.trim()
    await queries.insertWithdrawal(trx, {
      adoptionId: current.id,
      processId,
      withdrawnOn: body.withdrawnOn,
      reason,
      userId: origin.userId,
      name: origin.name,
    })
    if (REVIEWABLE_FROM.includes(process.stage)) {
      await recordStageMove(
        trx,
        processId,
        process.stage,
        'response',
        `Withdrawn: ${reason}`.slice(0, 2000),
        origin,
      )
    }
    await recordAudit(trx, origin, {
      processId,
      action: 'strategy.withdrawn',
      targetType: 'adoption',
      targetId: current.id,
      details: {
        number: current.number,
        instrument: current.instrument,
        withdrawnOn: body.withdrawnOn,
        reason,
      },
    })
    return getStrategy(trx, processId)
  })
}

/**
 * Opens a review cycle from the strategy in force: the process goes back to drafting (the
 * move and its reason on the timeline), and each adopted text becomes a new working document
 * with the adopted content, so its headings keep their section ids. Each new document points
 * to the document it continues (`predecessor_id`), and thread lists of a document include the
 * threads of its predecessors, which anchor by the same section ids: the history stays with
 * the section.
 */
export async function openReviewCycle(
  ctx: Ctx,
  membership: MembershipContext,
  reason: string | undefined,
  origin: Origin,
): Promise<ReviewCycleResult> {
  return inTransaction(ctx.db, async (trx) => {
    const processId = membership.processId
    const process = await queries.lockProcess(trx, processId)
    if (!process || !isStage(process.stage)) {
      throw notFound('Process')
    }
    const { current } = await getStrategy(trx, processId)
    if (!current) {
      throw conflict('A review cycle opens from an adopted strategy, and none is in force')
    }
    if (!REVIEWABLE_FROM.includes(process.stage)) {
      throw conflict(
        `A review cycle opens from the adopted or implementation-review stage; the process is at ${process.stage}`,
      )
    }
    const why = (reason ?? '').trim() || `Review cycle of ${current.instrument}`
    await recordStageMove(trx, processId, process.stage, 'drafting', why.slice(0, 2000), origin)
    const documents: ReviewCycleResult['documents'] = []
    for (const text of current.texts) {
      const content = await loadVersionContent(trx, text.versionId)
      const { id } = await insertDocument(trx, processId, text.title, origin, {
        content,
        source: 'review-cycle',
      })
      await queries.setPredecessor(trx, id, text.documentId)
      documents.push({
        id,
        title: text.title,
        predecessorId: text.documentId,
        language: text.language,
      })
    }
    await recordAudit(trx, origin, {
      processId,
      action: 'strategy.review_opened',
      targetType: 'adoption',
      targetId: current.id,
      details: {
        number: current.number,
        instrument: current.instrument,
        documentIds: documents.map((d) => d.id),
        reason: why,
      },
    })
    return { stage: 'drafting', documents }
  })
}

// Commitments (issue 14, item 6).

/** Commitments with their indicators, measurements and updates, in one query each. */
export async function loadCommitments(
  db: Executor,
  processId: string,
  status?: string,
): Promise<Commitment[]> {
  const rows = await queries.listCommitments(db, processId, status)
  const ids = rows.map((r) => r.id)
  const indicators = await queries.listIndicators(db, ids)
  const measurements = await queries.listMeasurements(
    db,
    indicators.map((i) => i.id),
  )
  const updates = await queries.listUpdates(db, ids)
  return rows.map((row) => toCommitment(row, indicators, measurements, updates))
}

export async function listCommitments(
  db: Executor,
  processId: string,
  status?: string,
): Promise<CommitmentList> {
  const items = await loadCommitments(db, processId, status)
  const counts = { planned: 0, 'in-progress': 0, done: 0, dropped: 0 }
  for (const row of await queries.countCommitments(db, processId)) {
    if ((COMMITMENT_STATUSES as readonly string[]).includes(row.status)) {
      counts[row.status as keyof typeof counts] = Number(row.n)
    }
  }
  return { items, counts }
}

async function getCommitment(
  db: Executor,
  processId: string,
  commitmentId: string,
): Promise<Commitment> {
  const row = await queries.findCommitment(db, commitmentId)
  if (!row || row.process_id !== processId) {
    throw notFound('Commitment')
  }
  const indicators = await queries.listIndicators(db, [row.id])
  const measurements = await queries.listMeasurements(
    db,
    indicators.map((i) => i.id),
  )
  return toCommitment(row, indicators, measurements, await queries.listUpdates(db, [row.id]))
}

async function lockOwnCommitment(trx: Executor, processId: string, commitmentId: string) {
  const found = await queries.findCommitment(trx, commitmentId)
  if (!found || found.process_id !== processId) {
    throw notFound('Commitment')
  }
  const locked = await queries.lockCommitment(trx, commitmentId)
  if (!locked) {
    throw notFound('Commitment')
  }
  return { ...found, status: locked.status, dropped_reason: locked.dropped_reason }
}

/** Adds a commitment to a section of the strategy in force. */
export async function createCommitment(
  ctx: Ctx,
  membership: MembershipContext,
  body: CreateCommitmentBody,
  origin: Origin,
): Promise<Commitment> {
  return inTransaction(ctx.db, (trx) => createCommitmentIn(trx, membership.processId, body, origin))
}

/** `createCommitment` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function createCommitmentIn(
  trx: Executor,
  processId: string,
  body: CreateCommitmentBody,
  origin: Origin,
): Promise<Commitment> {
  await queries.lockProcess(trx, processId)
  const { current } = await getStrategy(trx, processId)
  if (!current) {
    throw conflict('Commitments belong to an adopted strategy, and none is in force')
  }
  const source = current.texts.find((t) => t.isSource) ?? current.texts[0]
  const version = source
    ? await queries.findProcessVersion(trx, processId, source.versionId)
    : undefined
  const section = version?.sections.find((s) => s.id === body.sectionId)
  if (!section) {
    throw badRequest('The section must be a section of the adopted strategy', [
      { path: 'body/sectionId', message: 'not a section of the adopted version' },
    ])
  }
  const row = await queries.insertCommitment(trx, {
    processId,
    adoptionId: current.id,
    source: 'added',
    sectionId: body.sectionId,
    sectionTitle: section.title,
    threadId: null,
    title: body.title.trim(),
    description: (body.description ?? '').trim(),
    organisation: (body.organisation ?? '').trim(),
    dueOn: body.dueOn ?? null,
    createdByName: origin.name,
  })
  await recordAudit(trx, origin, {
    processId,
    action: 'commitment.created',
    targetType: 'commitment',
    targetId: row.id,
    details: { number: row.number, title: body.title.trim(), sectionTitle: section.title },
  })
  return getCommitment(trx, processId, row.id)
}

/**
 * Changes a commitment. Dropping one needs a reason (kept with it, and the database checks
 * it too); leaving the dropped status clears the reason.
 */
export async function updateCommitment(
  ctx: Ctx,
  membership: MembershipContext,
  commitmentId: string,
  body: UpdateCommitmentBody,
  origin: Origin,
): Promise<Commitment> {
  return inTransaction(ctx.db, (trx) =>
    updateCommitmentIn(trx, membership.processId, commitmentId, body, origin),
  )
}

/** `updateCommitment` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function updateCommitmentIn(
  trx: Executor,
  processId: string,
  commitmentId: string,
  body: UpdateCommitmentBody,
  origin: Origin,
): Promise<Commitment> {
  const before = await lockOwnCommitment(trx, processId, commitmentId)
  const status = body.status ?? before.status
  let droppedReason = body.droppedReason?.trim() ?? before.dropped_reason
  if (status === 'dropped' && droppedReason === '') {
    throw badRequest('Dropping a commitment needs a reason', [
      { path: 'body/droppedReason', message: 'required when the status is dropped' },
    ])
  }
  if (status !== 'dropped') {
    if (body.droppedReason !== undefined && body.droppedReason.trim() !== '') {
      throw badRequest('Only a dropped commitment has a reason for dropping', [
        { path: 'body/droppedReason', message: 'only with the status dropped' },
      ])
    }
    droppedReason = ''
  }
  const values: Parameters<typeof queries.updateCommitment>[2] = {
    status,
    dropped_reason: droppedReason,
  }
  if (body.title !== undefined) {
    values.title = body.title.trim()
  }
  if (body.description !== undefined) {
    values.description = body.description.trim()
  }
  if (body.organisation !== undefined) {
    values.organisation = body.organisation.trim()
  }
  if (body.dueOn !== undefined) {
    values.due_on = body.dueOn
  }
  await queries.updateCommitment(trx, commitmentId, values)
  await recordAudit(trx, origin, {
    processId,
    action: 'commitment.updated',
    targetType: 'commitment',
    targetId: commitmentId,
    details: {
      number: before.number,
      title: values.title ?? before.title,
      fields: Object.keys(body),
      ...(status !== before.status ? { from: before.status, to: status } : {}),
      ...(status === 'dropped' && before.status !== 'dropped' ? { reason: droppedReason } : {}),
    },
  })
  return getCommitment(trx, processId, commitmentId)
}

/** Adds an indicator (name, unit, baseline and target) to a commitment. */
export async function addIndicator(
  ctx: Ctx,
  membership: MembershipContext,
  commitmentId: string,
  body: CreateIndicatorBody,
  origin: Origin,
): Promise<Commitment> {
  return inTransaction(ctx.db, (trx) =>
    addIndicatorIn(trx, membership.processId, commitmentId, body, origin),
  )
}

/** `addIndicator` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function addIndicatorIn(
  trx: Executor,
  processId: string,
  commitmentId: string,
  body: CreateIndicatorBody,
  origin: Origin,
): Promise<Commitment> {
  const commitment = await lockOwnCommitment(trx, processId, commitmentId)
  if ((await queries.countIndicators(trx, commitmentId)).n >= INDICATORS_MAX) {
    throw conflict(`A commitment has at most ${INDICATORS_MAX} indicators`)
  }
  const row = await queries.insertIndicator(trx, {
    commitmentId,
    name: body.name.trim(),
    unit: (body.unit ?? '').trim(),
    baseline: body.baseline ?? null,
    target: body.target,
  })
  await queries.touchCommitment(trx, commitmentId)
  await recordAudit(trx, origin, {
    processId,
    action: 'commitment.indicator_added',
    targetType: 'commitment',
    targetId: commitmentId,
    details: {
      number: commitment.number,
      title: commitment.title,
      indicatorId: row.id,
      name: body.name.trim(),
    },
  })
  return getCommitment(trx, processId, commitmentId)
}

/** Records a measured value of an indicator on a date. */
export async function addMeasurement(
  ctx: Ctx,
  membership: MembershipContext,
  commitmentId: string,
  indicatorId: string,
  body: MeasurementBody,
  origin: Origin,
): Promise<Commitment> {
  return inTransaction(ctx.db, (trx) =>
    addMeasurementIn(trx, membership.processId, commitmentId, indicatorId, body, origin),
  )
}

/** `addMeasurement` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function addMeasurementIn(
  trx: Executor,
  processId: string,
  commitmentId: string,
  indicatorId: string,
  body: MeasurementBody,
  origin: Origin,
): Promise<Commitment> {
  const commitment = await lockOwnCommitment(trx, processId, commitmentId)
  if (!(await queries.findIndicator(trx, commitmentId, indicatorId))) {
    throw notFound('Indicator')
  }
  await queries.insertMeasurement(trx, {
    indicatorId,
    value: body.value,
    measuredOn: body.measuredOn,
    note: (body.note ?? '').trim(),
    name: origin.name,
  })
  await queries.touchCommitment(trx, commitmentId)
  await recordAudit(trx, origin, {
    processId,
    action: 'commitment.measured',
    targetType: 'commitment',
    targetId: commitmentId,
    details: {
      number: commitment.number,
      title: commitment.title,
      indicatorId,
      value: body.value,
      measuredOn: body.measuredOn,
    },
  })
  return getCommitment(trx, processId, commitmentId)
}

/** Adds a dated progress update, with the commitment's status as it is now. */
export async function addProgressUpdate(
  ctx: Ctx,
  membership: MembershipContext,
  commitmentId: string,
  body: string,
  origin: Origin,
  at?: Date,
): Promise<Commitment> {
  return inTransaction(ctx.db, (trx) =>
    addProgressUpdateIn(trx, membership.processId, commitmentId, body, origin, at),
  )
}

/** `addProgressUpdate` inside a transaction of the caller's (the demo seed writes a history with it). */
export async function addProgressUpdateIn(
  trx: Executor,
  processId: string,
  commitmentId: string,
  body: string,
  origin: Origin,
  at?: Date,
): Promise<Commitment> {
  const commitment = await lockOwnCommitment(trx, processId, commitmentId)
  await queries.insertUpdate(trx, {
    commitmentId,
    body: body.trim(),
    status: commitment.status,
    name: origin.name,
    ...(at ? { at } : {}),
  })
  await queries.touchCommitment(trx, commitmentId)
  await recordAudit(trx, origin, {
    processId,
    action: 'commitment.progress',
    targetType: 'commitment',
    targetId: commitmentId,
    details: { number: commitment.number, title: commitment.title, status: commitment.status },
  })
  return getCommitment(trx, processId, commitmentId)
}
