import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { StageTimeline } from '../../shared/api/stages'
import type { Thread, ThreadPage } from '../../shared/api/threads'
import type {
  Commitment,
  CommitmentList,
  ReviewCycleResult,
  StrategyState,
} from '../../shared/api/strategy'
import type { Version } from '../../shared/api/versions'
import { STAGES, type Stage } from '../../shared/domain/lifecycle'
import { createTestApp, type Client } from '../support/app'
import { makeWorld, type World } from '../support/world'
import { sectionId } from '../support/threads'
import { publicCommitments, publicStrategy } from '../../server/adoption/public'

const t = await createTestApp()
const { db } = t

async function moveTo(client: Client, processId: string, stage: Stage) {
  let timeline = (await client.get(`/api/processes/${processId}/stages`)).json() as StageTimeline
  while (timeline.stage !== stage) {
    const next = STAGES[STAGES.indexOf(timeline.stage) + 1]!
    const response = await client.post(`/api/processes/${processId}/stage`, { stage: next })
    expect(response.statusCode, response.body).toBe(200)
    timeline = response.json() as StageTimeline
  }
}

async function freeze(w: World, name = 'Final text') {
  const response = await w.owner.post(`/api/documents/${w.documentId}/versions`, { name })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Version
}

async function adopt(w: World, versionId: string, extra: object = {}) {
  const response = await w.owner.post(`/api/processes/${w.process.id}/strategy/adoptions`, {
    versionId,
    adoptedOn: '2027-03-01',
    instrument: 'Decree 12/2027',
    ...extra,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as StrategyState
}

async function acceptedThread(w: World, sections: Section[]) {
  const created = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
    sectionId: sectionId(sections, 'Governance'),
    kind: 'comment',
    body: 'Name a lead agency for the council',
  })
  expect(created.statusCode, created.body).toBe(201)
  const thread = created.json() as Thread
  const answered = await w.owner.put(`/api/threads/${thread.id}/answer`, {
    disposition: 'accepted',
    answer: 'The council gets a lead agency.',
  })
  expect(answered.statusCode, answered.body).toBe(200)
  return thread
}

const count = async (table: 'strategy_adoptions' | 'commitments' | 'audit_log') =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

async function adoptedWorld() {
  const w = await makeWorld(t)
  const sections = (
    await w.owner.get(`/api/documents/${w.documentId}/sections`)
  ).json() as Section[]
  const thread = await acceptedThread(w, sections)
  const version = await freeze(w)
  await moveTo(w.owner, w.process.id, 'response')
  const state = await adopt(w, version.id)
  return { w, sections, thread, version, state }
}

describe('adoption', () => {
  it('adopts a version from the response stage: the strategy in force, the stage, the audit and the commitments', async () => {
    const { w, sections, thread, version, state } = await adoptedWorld()
    expect(state.stage).toBe('adopted')
    expect(state.current).toMatchObject({
      number: 1,
      adoptedOn: '2027-03-01',
      instrument: 'Decree 12/2027',
      state: 'in-force',
      supersedesId: null,
      withdrawal: null,
      adoptedBy: w.process.secretariat.name,
      texts: [
        {
          language: 'en',
          isSource: true,
          versionId: version.id,
          versionName: 'Final text',
          documentId: w.documentId,
        },
      ],
    })
    // Every member reads it; the timeline shows the move with the instrument.
    const read = (await w.people.observer.get(`/api/processes/${w.process.id}/strategy`)).json()
    expect(read).toEqual(state)
    const timeline = (
      await w.people.observer.get(`/api/processes/${w.process.id}/stages`)
    ).json() as StageTimeline
    expect(timeline.changes.at(-1)).toMatchObject({
      from: 'response',
      to: 'adopted',
      reason: 'Adopted: Decree 12/2027',
    })
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('process_id', '=', w.process.id)
      .where('action', '=', 'strategy.adopted')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.details).toMatchObject({
      number: 1,
      instrument: 'Decree 12/2027',
      commitments: 3,
    })
    // The nested sections (lines of action) and the accepted thread became commitments.
    const list = (
      await w.people.observer.get(`/api/processes/${w.process.id}/commitments`)
    ).json() as CommitmentList
    expect(list.items.map((c) => [c.source, c.sectionId, c.title])).toEqual([
      ['section', sectionId(sections, 'Governance'), 'Governance'],
      ['section', sectionId(sections, 'Critical infrastructure'), 'Critical infrastructure'],
      ['thread', sectionId(sections, 'Governance'), 'Name a lead agency for the council'],
    ])
    expect(list.items[2]).toMatchObject({
      threadId: thread.id,
      threadNumber: thread.number,
      status: 'planned',
    })
    expect(list.counts).toEqual({ planned: 3, 'in-progress': 0, done: 0, dropped: 0 })
    // The adopted version downloads as before.
    const docx = await w.people.observer.get(`/api/versions/${version.id}/export?format=docx`)
    expect(docx.statusCode).toBe(200)
  })

  it('refuses adoption outside the response and adopted stages, an unknown or foreign version and bad input, changing nothing', async () => {
    const w = await makeWorld(t)
    const version = await freeze(w)
    const before = { adoptions: await count('strategy_adoptions'), audit: await count('audit_log') }
    const url = `/api/processes/${w.process.id}/strategy/adoptions`
    const good = { versionId: version.id, adoptedOn: '2027-03-01', instrument: 'Decree 1' }
    const early = await w.owner.post(url, good)
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('conflict')
    await moveTo(w.owner, w.process.id, 'response')
    const other = await makeWorld(t)
    const foreign = await freeze(other)
    expect((await w.owner.post(url, { ...good, versionId: foreign.id })).statusCode).toBe(404)
    for (const bad of [
      { ...good, adoptedOn: '1 March' },
      { ...good, adoptedOn: '2027-02-30' },
      { ...good, instrument: '  ' },
      { ...good, instrument: 'x'.repeat(301) },
      { ...good, extra: true },
      { ...good, linesOfAction: ['no-such-section'] },
      { adoptedOn: '2027-03-01', instrument: 'Decree 1' },
    ]) {
      const response = await w.owner.post(url, bad)
      expect(response.statusCode, JSON.stringify(bad)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect(await count('strategy_adoptions')).toBe(before.adoptions)
    const strategy = (
      await w.owner.get(`/api/processes/${w.process.id}/strategy`)
    ).json() as StrategyState
    expect(strategy).toMatchObject({ stage: 'response', current: null, record: [] })
    expect(await count('audit_log')).toBeGreaterThanOrEqual(before.audit)
  })

  it('cannot be silently undone: a superseding adoption or a reasoned withdrawal, both on the record', async () => {
    const { w, version, state } = await adoptedWorld()
    // The rows themselves refuse change.
    await expect(
      db
        .updateTable('strategy_adoptions')
        .set({ instrument: 'Forged' })
        .where('id', '=', state.current!.id)
        .execute(),
    ).rejects.toThrow(/append-only/)
    await expect(
      db.deleteFrom('strategy_adoptions').where('id', '=', state.current!.id).execute(),
    ).rejects.toThrow(/append-only/)
    const second = await adopt(w, version.id, {
      instrument: 'Decree 13/2027 (corrected)',
      adoptedOn: '2027-03-05',
    })
    expect(second.stage).toBe('adopted')
    expect(second.current).toMatchObject({
      number: 2,
      supersedesId: state.current!.id,
      state: 'in-force',
    })
    expect(second.record.map((a) => [a.number, a.state])).toEqual([
      [2, 'in-force'],
      [1, 'superseded'],
    ])
    // No commitment twice for the same line of action or thread.
    expect(
      ((await w.owner.get(`/api/processes/${w.process.id}/commitments`)).json() as CommitmentList)
        .items,
    ).toHaveLength(3)

    const url = `/api/processes/${w.process.id}/strategy/withdrawal`
    for (const bad of [{ withdrawnOn: '2027-04-01' }, { withdrawnOn: '2027-04-01', reason: ' ' }]) {
      expect((await w.owner.post(url, bad)).statusCode).toBe(400)
    }
    const withdrawn = await w.owner.post(url, {
      withdrawnOn: '2027-04-01',
      reason: 'Annulled by the court',
    })
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    const after = withdrawn.json() as StrategyState
    expect(after.current).toBeNull()
    expect(after.stage).toBe('response')
    expect(after.record[0]).toMatchObject({
      number: 2,
      state: 'withdrawn',
      withdrawal: {
        withdrawnOn: '2027-04-01',
        reason: 'Annulled by the court',
        withdrawnBy: w.process.secretariat.name,
      },
    })
    expect(
      (await w.owner.post(url, { withdrawnOn: '2027-04-02', reason: 'Again' })).statusCode,
    ).toBe(409)
    expect(await publicStrategy(db, w.process.id)).toBeNull()
    expect(await publicCommitments(db, w.process.id)).toEqual([])
    const actions = (
      await db
        .selectFrom('audit_log')
        .select('action')
        .where('process_id', '=', w.process.id)
        .orderBy('created_at')
        .execute()
    ).map((r) => r.action)
    expect(actions.filter((a) => a.startsWith('strategy.'))).toEqual([
      'strategy.adopted',
      'strategy.adopted',
      'strategy.withdrawn',
    ])
  })

  it('publishes only the strategy in force and its commitments to the public record', async () => {
    const w = await makeWorld(t)
    expect(await publicStrategy(db, w.process.id)).toBeNull()
    expect(await publicCommitments(db, w.process.id)).toEqual([])
    const version = await freeze(w)
    await moveTo(w.owner, w.process.id, 'response')
    await adopt(w, version.id)
    const strategy = await publicStrategy(db, w.process.id)
    expect(strategy).toMatchObject({
      versionId: version.id,
      versionName: 'Final text',
      adoptedOn: '2027-03-01',
      instrument: 'Decree 12/2027',
      languages: ['en'],
      texts: [{ language: 'en', formats: ['docx', 'html', 'md', 'json'] }],
    })
    const commitments = await publicCommitments(db, w.process.id)
    expect(commitments.map((c) => c.title)).toEqual(['Governance', 'Critical infrastructure'])
    expect(commitments[0]).not.toHaveProperty('threadId')
  })
})

describe('commitments', () => {
  it('are kept by the secretariat: organisation, status, due date, indicators, measurements and progress updates', async () => {
    const { w, sections } = await adoptedWorld()
    const base = `/api/processes/${w.process.id}/commitments`
    const added = await w.owner.post(base, {
      sectionId: sectionId(sections, 'Critical infrastructure'),
      title: 'Register every operator of essential services',
      organisation: 'National CERT',
      dueOn: '2027-12-31',
    })
    expect(added.statusCode, added.body).toBe(201)
    const c = added.json() as Commitment
    expect(c).toMatchObject({
      number: 4,
      source: 'added',
      sectionTitle: 'Critical infrastructure',
      status: 'planned',
      dueOn: '2027-12-31',
    })

    const patched = await w.owner.patch(`${base}/${c.id}`, {
      status: 'in-progress',
      organisation: 'Ministry of ICT',
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json()).toMatchObject({ status: 'in-progress', organisation: 'Ministry of ICT' })

    const indicator = await w.owner.post(`${base}/${c.id}/indicators`, {
      name: 'Operators registered',
      unit: '%',
      baseline: 10,
      target: 100,
    })
    expect(indicator.statusCode, indicator.body).toBe(201)
    const indicatorId = (indicator.json() as Commitment).indicators[0]!.id
    for (const [value, measuredOn] of [
      [55, '2027-09-30'],
      [35, '2027-06-30'],
    ] as const) {
      const m = await w.owner.post(`${base}/${c.id}/indicators/${indicatorId}/measurements`, {
        value,
        measuredOn,
      })
      expect(m.statusCode, m.body).toBe(201)
    }
    const update = await w.owner.post(`${base}/${c.id}/updates`, {
      body: 'Half the operators are registered.',
    })
    expect(update.statusCode, update.body).toBe(201)
    const read = (
      (await w.people.observer.get(`${base}?status=in-progress`)).json() as CommitmentList
    ).items
    expect(read).toHaveLength(1)
    expect(read[0]!.indicators[0]).toMatchObject({
      name: 'Operators registered',
      unit: '%',
      baseline: 10,
      target: 100,
      latest: { value: 55, measuredOn: '2027-09-30' },
    })
    expect(read[0]!.indicators[0]!.measurements.map((m) => m.value)).toEqual([35, 55])
    expect(read[0]!.updates).toEqual([
      expect.objectContaining({
        body: 'Half the operators are registered.',
        status: 'in-progress',
        writtenBy: w.process.secretariat.name,
      }),
    ])

    // Dropping needs a reason; leaving "dropped" clears it.
    const refused = await w.owner.patch(`${base}/${c.id}`, { status: 'dropped' })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().code).toBe('validation_failed')
    const dropped = await w.owner.patch(`${base}/${c.id}`, {
      status: 'dropped',
      droppedReason: 'Merged into 4.2',
    })
    expect(dropped.json()).toMatchObject({ status: 'dropped', droppedReason: 'Merged into 4.2' })
    const done = await w.owner.patch(`${base}/${c.id}`, { status: 'done' })
    expect(done.json()).toMatchObject({ status: 'done', droppedReason: '' })
    const list = (await w.owner.get(base)).json() as CommitmentList
    expect(list.counts).toEqual({ planned: 3, 'in-progress': 0, done: 1, dropped: 0 })

    const actions = (
      await db
        .selectFrom('audit_log')
        .select('action')
        .where('process_id', '=', w.process.id)
        .where('action', 'like', 'commitment.%')
        .orderBy('created_at')
        .execute()
    ).map((r) => r.action)
    expect(actions).toEqual([
      'commitment.created',
      'commitment.updated',
      'commitment.indicator_added',
      'commitment.measured',
      'commitment.measured',
      'commitment.progress',
      'commitment.updated',
      'commitment.updated',
    ])
  })

  it('refuses bad input, foreign ids and commitments without a strategy in force, changing nothing', async () => {
    const { w, sections } = await adoptedWorld()
    const base = `/api/processes/${w.process.id}/commitments`
    const [first] = ((await w.owner.get(base)).json() as CommitmentList).items
    const mine = async () => ((await w.owner.get(base)).json() as CommitmentList).items
    const before = await mine()
    for (const bad of [
      { sectionId: 'nope', title: 'X' },
      { sectionId: sectionId(sections, 'Governance'), title: ' ' },
      { sectionId: sectionId(sections, 'Governance'), title: 'X', dueOn: 'soon' },
      { sectionId: sectionId(sections, 'Governance'), title: 'X', status: 'done' },
    ]) {
      const response = await w.owner.post(base, bad)
      expect(response.statusCode, JSON.stringify(bad)).toBe(400)
    }
    for (const bad of [
      {},
      { status: 'finished' },
      { droppedReason: 'x' },
      { title: 'x'.repeat(301) },
    ]) {
      expect(
        (await w.owner.patch(`${base}/${first!.id}`, bad)).statusCode,
        JSON.stringify(bad),
      ).toBe(400)
    }
    expect((await w.owner.post(`${base}/${first!.id}/indicators`, { name: 'N' })).statusCode).toBe(
      400,
    )
    expect(
      (await w.owner.post(`${base}/${first!.id}/indicators`, { name: 'N', target: 'ten' }))
        .statusCode,
    ).toBe(400)
    expect((await w.owner.post(`${base}/${first!.id}/updates`, { body: '' })).statusCode).toBe(400)
    const other = await adoptedWorld()
    const [foreign] = (
      (
        await other.w.owner.get(`/api/processes/${other.w.process.id}/commitments`)
      ).json() as CommitmentList
    ).items
    expect((await w.owner.patch(`${base}/${foreign!.id}`, { status: 'done' })).statusCode).toBe(404)
    expect(
      (
        await w.owner.post(`${base}/${first!.id}/indicators/${crypto.randomUUID()}/measurements`, {
          value: 1,
          measuredOn: '2027-01-01',
        })
      ).statusCode,
    ).toBe(404)
    expect(await mine()).toEqual(before)

    const none = await makeWorld(t)
    const ns = (
      await none.owner.get(`/api/documents/${none.documentId}/sections`)
    ).json() as Section[]
    const refused = await none.owner.post(`/api/processes/${none.process.id}/commitments`, {
      sectionId: sectionId(ns, 'Governance'),
      title: 'X',
    })
    expect(refused.statusCode).toBe(409)
  })
})

describe('review cycle', () => {
  it('opens a drafting stage on a copy of the adopted text that keeps section ids and lists earlier threads', async () => {
    const { w, sections, thread, version } = await adoptedWorld()
    // Not from drafting: only from the adopted (or implementation-review) stage.
    const url = `/api/processes/${w.process.id}/strategy/review-cycle`
    const opened = await w.owner.post(url, { reason: 'Two years on: the mid-term review' })
    expect(opened.statusCode, opened.body).toBe(201)
    const result = opened.json() as ReviewCycleResult
    expect(result.stage).toBe('drafting')
    expect(result.documents).toEqual([
      { id: expect.any(String), title: 'Strategy', predecessorId: w.documentId, language: 'en' },
    ])
    const next = result.documents[0]!.id
    const copied = (await w.owner.get(`/api/documents/${next}/sections`)).json() as Section[]
    expect(copied.map((s) => [s.id, s.title])).toEqual(sections.map((s) => [s.id, s.title]))
    expect(version.sections.map((s) => s.id)).toEqual(sections.map((s) => s.id))
    // The earlier cycle's thread on the same section is listed with the new document.
    const threads = (
      await w.people.observer.get(`/api/processes/${w.process.id}/threads?document=${next}`)
    ).json() as ThreadPage
    expect(threads.items.map((i) => i.id)).toEqual([thread.id])
    const bySection = (
      await w.people.observer.get(
        `/api/processes/${w.process.id}/threads?document=${next}&section=${sectionId(sections, 'Governance')}&sort=section`,
      )
    ).json() as ThreadPage
    expect(bySection.items.map((i) => i.id)).toEqual([thread.id])
    // The new document is open for drafting; the strategy stays in force until a new adoption.
    const timeline = (
      await w.owner.get(`/api/processes/${w.process.id}/stages`)
    ).json() as StageTimeline
    expect(timeline.changes.at(-1)).toMatchObject({
      from: 'adopted',
      to: 'drafting',
      reason: 'Two years on: the mid-term review',
      isBack: true,
    })
    const strategy = (
      await w.owner.get(`/api/processes/${w.process.id}/strategy`)
    ).json() as StrategyState
    expect(strategy.current?.number).toBe(1)
    // And a second cycle cannot open from drafting.
    expect((await w.owner.post(url, {})).statusCode).toBe(409)
  })

  it('needs a strategy in force', async () => {
    const w = await makeWorld(t)
    await moveTo(w.owner, w.process.id, 'adopted')
    const refused = await w.owner.post(`/api/processes/${w.process.id}/strategy/review-cycle`, {})
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('conflict')
  })
})
