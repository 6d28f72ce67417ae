import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { StageTimeline } from '../../shared/api/stages'
import type { ProcessDetail } from '../../shared/api/processes'
import { STAGES, type Stage } from '../../shared/domain/lifecycle'
import { createTestApp, type Client } from '../support/app'
import { makeWorld } from '../support/world'
import { sectionId } from '../support/threads'
import type { Section } from '../../shared/api/documents'

const t = await createTestApp()
const { db, factories } = t

const count = async (table: 'process_stage_changes' | 'audit_log') =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

const stageOf = async (processId: string) =>
  (
    await db
      .selectFrom('processes')
      .select('stage')
      .where('id', '=', processId)
      .executeTakeFirstOrThrow()
  ).stage

async function move(client: Client, processId: string, stage: Stage, reason?: string) {
  const response = await client.post(`/api/processes/${processId}/stage`, {
    stage,
    ...(reason === undefined ? {} : { reason }),
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as StageTimeline
}

/** Moves a process forward, one stage at a time, up to `stage`. */
async function moveTo(client: Client, processId: string, stage: Stage) {
  let timeline = (await client.get(`/api/processes/${processId}/stages`)).json() as StageTimeline
  while (timeline.stage !== stage) {
    timeline = await move(client, processId, STAGES[STAGES.indexOf(timeline.stage) + 1]!)
  }
  return timeline
}

describe('stages', () => {
  it('starts at drafting, moves forward one stage, and shows each move on the timeline', async () => {
    const w = await makeWorld(t)
    const start = (await w.people.observer.get(`/api/processes/${w.process.id}/stages`)).json()
    expect(start).toEqual({
      stage: 'drafting',
      since: expect.any(String),
      forbids: [],
      changes: [],
    })

    const timeline = await move(
      w.owner,
      w.process.id,
      'stakeholder-review',
      'Draft ready for the groups',
    )
    expect(timeline).toMatchObject({ stage: 'stakeholder-review', forbids: [] })
    expect(timeline.changes).toEqual([
      {
        id: expect.any(String),
        from: 'drafting',
        to: 'stakeholder-review',
        isBack: false,
        reason: 'Draft ready for the groups',
        changedBy: w.process.secretariat.name,
        changedAt: timeline.since,
      },
    ])
    // Read back by another member, through the process too.
    expect(
      (await w.people.stakeholder.get(`/api/processes/${w.process.id}/stages`)).json(),
    ).toEqual(timeline)
    const detail = (
      await w.people.observer.get(`/api/processes/${w.process.id}`)
    ).json() as ProcessDetail
    expect(detail.stage).toBe('stakeholder-review')
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('process_id', '=', w.process.id)
      .where('action', '=', 'process.stage_changed')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actor_id: w.process.secretariat.id,
      target_type: 'process',
      target_id: w.process.id,
      details: {
        from: 'drafting',
        to: 'stakeholder-review',
        reason: 'Draft ready for the groups',
        isBack: false,
      },
    })
  })

  it('moves back to any earlier stage only with a reason, which stays on the record', async () => {
    const w = await makeWorld(t)
    await moveTo(w.owner, w.process.id, 'public-consultation')
    const before = {
      changes: await count('process_stage_changes'),
      audit: await count('audit_log'),
    }
    for (const reason of [undefined, '', '   ']) {
      const refused = await w.owner.post(`/api/processes/${w.process.id}/stage`, {
        stage: 'drafting',
        ...(reason === undefined ? {} : { reason }),
      })
      expect(refused.statusCode, String(reason)).toBe(400)
      expect(refused.json().code).toBe('validation_failed')
    }
    expect(await stageOf(w.process.id)).toBe('public-consultation')
    expect(await count('process_stage_changes')).toBe(before.changes)
    expect(await count('audit_log')).toBe(before.audit)

    const back = await move(
      w.owner,
      w.process.id,
      'drafting',
      '  The groups asked for a new chapter  ',
    )
    expect(back.stage).toBe('drafting')
    expect(back.changes.map((c) => [c.from, c.to, c.isBack])).toEqual([
      ['drafting', 'stakeholder-review', false],
      ['stakeholder-review', 'public-consultation', false],
      ['public-consultation', 'drafting', true],
    ])
    expect(back.changes[2]!.reason).toBe('The groups asked for a new chapter')
  })

  it('refuses to skip a stage or stay put with 409, changing nothing', async () => {
    const w = await makeWorld(t)
    const before = {
      changes: await count('process_stage_changes'),
      audit: await count('audit_log'),
    }
    for (const stage of ['public-consultation', 'adopted', 'drafting']) {
      const refused = await w.owner.post(`/api/processes/${w.process.id}/stage`, { stage })
      expect(refused.statusCode, stage).toBe(409)
      expect(refused.json().code).toBe('conflict')
    }
    expect(await stageOf(w.process.id)).toBe('drafting')
    expect(await count('process_stage_changes')).toBe(before.changes)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('answers 401, 404, 403 and 400 as other process routes do, and changes nothing', async () => {
    const w = await makeWorld(t)
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    const before = {
      changes: await count('process_stage_changes'),
      audit: await count('audit_log'),
    }
    const url = `/api/processes/${w.process.id}/stage`
    expect((await t.anonymous.get(`/api/processes/${w.process.id}/stages`)).statusCode).toBe(401)
    expect((await t.anonymous.post(url, { stage: 'stakeholder-review' })).statusCode).toBe(401)
    expect((await outsider.get(`/api/processes/${w.process.id}/stages`)).statusCode).toBe(404)
    expect((await outsider.post(url, { stage: 'stakeholder-review' })).statusCode).toBe(404)
    for (const [role, client] of Object.entries(w.people)) {
      const refused = await client.post(url, { stage: 'stakeholder-review' })
      expect(refused.statusCode, role).toBe(403)
      expect((await client.get(`/api/processes/${w.process.id}/stages`)).statusCode, role).toBe(200)
    }
    for (const body of [
      {},
      { stage: 'review' },
      { stage: 'stakeholder-review', reason: 'x'.repeat(2001) },
      { stage: 'stakeholder-review', reason: 7 },
      { stage: 'stakeholder-review', when: 'now' },
    ]) {
      const response = await w.owner.post(url, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    expect(await stageOf(w.process.id)).toBe('drafting')
    expect(await count('process_stage_changes')).toBe(before.changes)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('keeps an archived process where it is', async () => {
    const w = await makeWorld(t)
    expect(
      (await w.owner.post(`/api/processes/${w.process.id}/archive`, { archived: true })).statusCode,
    ).toBe(200)
    const refused = await w.owner.post(`/api/processes/${w.process.id}/stage`, {
      stage: 'stakeholder-review',
    })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('archived')
    expect((await w.people.observer.get(`/api/processes/${w.process.id}/stages`)).statusCode).toBe(
      200,
    )
  })

  it('refuses drafting changes once adopted (409 stage_forbidden), and allows them again in a new cycle', async () => {
    const w = await makeWorld(t)
    const adopted = await moveTo(w.owner, w.process.id, 'adopted')
    expect(adopted.forbids.sort()).toEqual(
      ['documents.create', 'documents.edit', 'documents.manage', 'threads.apply'].sort(),
    )
    const detail = (await w.owner.get(`/api/processes/${w.process.id}`)).json() as ProcessDetail
    expect(detail.myActions).not.toContain('documents.edit')
    expect(detail.myActions).toContain('versions.create')
    const drafter = (
      await w.people.drafter.get(`/api/processes/${w.process.id}`)
    ).json() as ProcessDetail
    expect(drafter.myActions).not.toContain('documents.edit')

    const refusals = [
      await w.owner.patch(`/api/documents/${w.documentId}`, { title: 'Rewritten' }),
      await w.owner.post(`/api/processes/${w.process.id}/documents`, { title: 'Annex' }),
      await w.owner.delete(`/api/documents/${w.documentId}`),
    ]
    for (const refused of refusals) {
      expect(refused.statusCode).toBe(409)
      expect(refused.json().code).toBe('stage_forbidden')
    }
    const title = await db
      .selectFrom('documents')
      .select(['title', 'deleted_at'])
      .where('id', '=', w.documentId)
      .executeTakeFirstOrThrow()
    expect(title).toEqual({ title: 'Strategy', deleted_at: null })

    // What the stage allows still works: naming a version, reading, commenting.
    const version = await w.owner.post(`/api/documents/${w.documentId}/versions`, {
      name: 'Adopted strategy',
    })
    expect(version.statusCode).toBe(201)
    const sections = (
      await w.owner.get(`/api/documents/${w.documentId}/sections`)
    ).json() as Section[]
    const thread = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: sectionId(sections, 'Vision'),
      kind: 'comment',
      body: 'For the implementation review.',
    })
    expect(thread.statusCode, thread.body).toBe(201)

    // The same rules hold during the implementation review; a new cycle opens the draft again.
    await move(w.owner, w.process.id, 'implementation-review')
    expect(
      (await w.owner.patch(`/api/documents/${w.documentId}`, { title: 'Rewritten' })).json().code,
    ).toBe('stage_forbidden')
    await move(w.owner, w.process.id, 'drafting', 'Second cycle after the review')
    const renamed = await w.owner.patch(`/api/documents/${w.documentId}`, { title: 'Strategy 2' })
    expect(renamed.statusCode, renamed.body).toBe(200)
  })
})

describe('the demo', () => {
  it('has named versions with a comparison worth reading, and a timeline of stages', async () => {
    const demo = await createTestApp()
    const { seedDemo } = await import('../../server/demo/seed')
    expect(await seedDemo(demo.db)).toBe(true)
    const owner = await demo.as({
      id: '',
      email: 'secretariat@example.org',
      password: 'concord-demo',
      name: '',
      isAdmin: false,
    })
    const [process] = (await owner.get('/api/processes')).json() as { id: string }[]
    const timeline = (
      await owner.get(`/api/processes/${process!.id}/stages`)
    ).json() as StageTimeline
    expect(timeline.stage).toBe('public-consultation')
    // The earlier cycle (adopted, reviewed, and the review cycle back to drafting), then this one.
    expect(timeline.changes.map((c) => [c.from, c.to])).toEqual([
      ['drafting', 'stakeholder-review'],
      ['stakeholder-review', 'public-consultation'],
      ['public-consultation', 'response'],
      ['response', 'adopted'],
      ['adopted', 'implementation-review'],
      ['implementation-review', 'drafting'],
      ['drafting', 'stakeholder-review'],
      ['stakeholder-review', 'public-consultation'],
    ])

    const documents = (await owner.get(`/api/processes/${process!.id}/documents`)).json() as {
      id: string
      title: string
    }[]
    const english = documents.find((d) => d.title.startsWith('National Cybersecurity Strategy 2027'))!
    const versions = (await owner.get(`/api/documents/${english.id}/versions`)).json() as {
      id: string
      name: string
    }[]
    expect(versions.map((v) => v.name)).toEqual([
      'Zero draft',
      'Draft for stakeholder review',
      'Draft for public consultation',
    ])
    const comparison = (
      await owner.get(`/api/versions/${versions[0]!.id}/compare?to=${versions[2]!.id}`)
    ).json()
    expect(comparison.summary).toMatchObject({ changed: 2, added: 1, removed: 0, renamed: 1 })
    const added = comparison.sections.find((s: { status: string }) => s.status === 'added')
    expect(added.toTitle).toBe('4.7 Protecting children and young people online')
    const renamed = comparison.sections.find((s: { isRenamed: boolean }) => s.isRenamed)
    expect(renamed.toTitle).toBe('5. Governance, implementation and review')
  })
})
