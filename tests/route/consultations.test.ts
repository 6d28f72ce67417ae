import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Consultation, ConsultationList } from '../../shared/api/consultations'
import type { Section } from '../../shared/api/documents'
import type { Thread } from '../../shared/api/threads'
import type { Version } from '../../shared/api/versions'
import { findConsultation } from '../../server/consultation/queries'
import { recordSubmission } from '../../server/consultation/public-service'
import { createTestApp } from '../support/app'
import { makeWorld, type World } from '../support/world'
import { consultationBody, openConsultation, testSlug } from '../support/consultations'
import { sectionId, THREAD_DRAFT } from '../support/threads'

const t = await createTestApp()
const { db, factories } = t
const DAY = 86_400_000

const count = async (
  table: 'consultations' | 'document_versions' | 'consultation_changes' | 'audit_log',
) =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

const world = (markdown?: string) => makeWorld(t, markdown)

describe('opening a consultation', () => {
  it('freezes the document and opens a published consultation on it, logged', async () => {
    const w = await world()
    const c = await openConsultation(w.owner, w.process.id, w.documentId)
    expect(c).toMatchObject({
      processId: w.process.id,
      documentId: w.documentId,
      versionName: 'Draft for public consultation',
      versionNumber: 1,
      phase: 'open',
      access: 'anonymous',
      submissions: 0,
    })
    expect(c.publicUrl).toMatch(new RegExp(`/c/${c.slug}$`))
    expect(c.changes.map((change) => change.kind)).toEqual(['published'])
    const versions = (await w.owner.get(`/api/documents/${w.documentId}/versions`)).json() as Version[]
    expect(versions.map((v) => v.id)).toEqual([c.versionId])
    const list = (await w.people.observer.get(`/api/processes/${w.process.id}/consultations`)).json() as ConsultationList
    expect(list.items.map((item) => item.id)).toEqual([c.id])
    expect(list.minimumDaysPerPage).toBe(0.1)
  })

  it('opens one on an existing version, as a draft, and more than one per process', async () => {
    const w = await world()
    const version = (await w.owner.post(`/api/documents/${w.documentId}/versions`, { name: 'V1' })).json() as Version
    const versionsBefore = await count('document_versions')
    const draft = await openConsultation(w.owner, w.process.id, w.documentId, {
      versionId: version.id,
      publish: false,
    })
    expect(draft).toMatchObject({ phase: 'draft', versionId: version.id, publishedAt: null, changes: [] })
    expect(await count('document_versions')).toBe(versionsBefore)
    const second = await openConsultation(w.owner, w.process.id, w.documentId)
    const list = (await w.owner.get(`/api/processes/${w.process.id}/consultations`)).json() as ConsultationList
    expect(list.items.map((item) => item.id).sort()).toEqual([draft.id, second.id].sort())
  })

  it('lets only the secretariat open one; outsiders get 404; nothing is stored when refused', async () => {
    const w = await world()
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    const before = {
      consultations: await count('consultations'),
      versions: await count('document_versions'),
    }
    for (const [role, client] of Object.entries(w.people)) {
      const refused = await client.post(
        `/api/processes/${w.process.id}/consultations`,
        consultationBody(w.documentId),
      )
      expect(refused.statusCode, role).toBe(403)
    }
    expect(
      (await outsider.post(`/api/processes/${w.process.id}/consultations`, consultationBody(w.documentId))).statusCode,
    ).toBe(404)
    expect((await outsider.get(`/api/processes/${w.process.id}/consultations`)).statusCode).toBe(404)
    expect(
      (await t.anonymous.post(`/api/processes/${w.process.id}/consultations`, consultationBody(w.documentId))).statusCode,
    ).toBe(401)
    expect(await count('consultations')).toBe(before.consultations)
    expect(await count('document_versions')).toBe(before.versions)
  })

  it('refuses bad settings with 400 or 409 and stores nothing, not even the version', async () => {
    const w = await world()
    const taken = await openConsultation(w.owner, w.process.id, w.documentId)
    const before = {
      consultations: await count('consultations'),
      versions: await count('document_versions'),
      audit: await count('audit_log'),
    }
    const now = Date.now()
    const bad: [Record<string, unknown>, number][] = [
      [{ slug: 'Not A Slug' }, 400],
      [{ slug: taken.slug }, 409],
      [{ timeZone: 'Mars/Olympus_Mons' }, 400],
      [{ closesAt: new Date(now - 2 * DAY).toISOString() }, 400],
      [{ opensAt: new Date(now).toISOString(), closesAt: new Date(now + 400 * DAY).toISOString() }, 400],
      [{ title: { fr: 'Consultation' } }, 400],
      [{ title: { en: '   ' } }, 400],
      [{ access: 'everyone' }, 400],
      [{ moderation: 'sometimes' }, 400],
      [{ visibility: 'later' }, 400],
      [{ versionName: undefined }, 400],
      [{ documentId: '00000000-0000-4000-8000-000000000000' }, 404],
      [{ unknownField: true }, 400],
    ]
    for (const [override, status] of bad) {
      const body: Record<string, unknown> = { ...consultationBody(w.documentId), ...override }
      for (const key of Object.keys(override)) {
        if (override[key] === undefined) {delete body[key]}
      }
      const response = await w.owner.post(`/api/processes/${w.process.id}/consultations`, body)
      expect(response.statusCode, JSON.stringify(override)).toBe(status)
    }
    expect(await count('consultations')).toBe(before.consultations)
    expect(await count('document_versions')).toBe(before.versions)
    expect(await count('audit_log')).toBe(before.audit)
  })

  it('refuses a version of another process as not found', async () => {
    const w = await world()
    const other = await world()
    const version = (await other.owner.post(`/api/documents/${other.documentId}/versions`, { name: 'Theirs' })).json() as Version
    const body = consultationBody(w.documentId, { versionId: version.id })
    delete body.documentId
    delete body.versionName
    expect((await w.owner.post(`/api/processes/${w.process.id}/consultations`, body)).statusCode).toBe(404)
  })
})

describe('adequate time', () => {
  it('warns about ten days for three hundred pages, not about thirty', async () => {
    // 90,000 words, the heading's included: 300 pages of 300 words.
    const paragraphs = Array.from({ length: 300 }, (_, i) => 'word '.repeat(i === 0 ? 299 : 300))
    const w = await world(`# Long\n\n${paragraphs.join('\n\n')}`)
    const opensAt = new Date('2027-01-01T00:00:00Z')
    const query = (days: number) =>
      `/api/processes/${w.process.id}/consultations/adequacy?documentId=${w.documentId}&opensAt=${opensAt.toISOString()}&closesAt=${new Date(opensAt.getTime() + days * DAY).toISOString()}`
    const short = (await w.owner.get(query(10))).json()
    expect(short).toMatchObject({ words: 90_000, estimatedPages: 300, days: 10, tooShort: true, recommendedDays: 30 })
    expect((await w.owner.get(query(30))).json()).toMatchObject({ tooShort: false })
    expect((await w.people.drafter.get(query(10))).statusCode).toBe(403)
    const c = await openConsultation(w.owner, w.process.id, w.documentId, {
      opensAt: new Date(Date.now() - 1000).toISOString(),
      closesAt: new Date(Date.now() + 10 * DAY).toISOString(),
    })
    expect(c.adequacy).toMatchObject({ estimatedPages: 300, tooShort: true })
  })

  it('follows the configured minimum', async () => {
    const strict = await createTestApp({ config: { CONSULTATION_MIN_DAYS_PER_PAGE: '1' } })
    const process = await strict.factories.createProcess()
    const owner = await strict.as(process.secretariat)
    const { id } = await strict.factories.createDocument(process.id, process.secretariat, 'Short', THREAD_DRAFT)
    const response = await owner.get(
      `/api/processes/${process.id}/consultations/adequacy?documentId=${id}&opensAt=2027-01-01T00:00:00Z&closesAt=2027-01-01T12:00:00Z`,
    )
    expect(response.json()).toMatchObject({ estimatedPages: 1, minimumDaysPerPage: 1, tooShort: true })
    await strict.close()
  })
})

describe('the window', () => {
  it('changes a draft, publishes it once, and then refuses changes', async () => {
    const w = await world()
    const draft = await openConsultation(w.owner, w.process.id, w.documentId, { publish: false })
    const slug = testSlug('renamed')
    const changed = await w.owner.patch(`/api/consultations/${draft.id}`, { slug, moderation: 'before' })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toMatchObject({ slug, moderation: 'before', phase: 'draft' })
    expect((await w.people.drafter.post(`/api/consultations/${draft.id}/publish`)).statusCode).toBe(403)
    const published = await w.owner.post(`/api/consultations/${draft.id}/publish`)
    expect(published.json()).toMatchObject({ phase: 'open' })
    expect((await w.owner.post(`/api/consultations/${draft.id}/publish`)).statusCode).toBe(409)
    expect((await w.owner.patch(`/api/consultations/${draft.id}`, { slug: testSlug() })).statusCode).toBe(409)
    expect((await w.owner.get(`/api/consultations/${draft.id}`)).json().slug).toBe(slug)
  })

  it('closes early and extends, each logged with its reason; a closed one can be extended again', async () => {
    const w = await world()
    const c = await openConsultation(w.owner, w.process.id, w.documentId)
    expect((await w.people.stakeholder.post(`/api/consultations/${c.id}/close`, { reason: 'x' })).statusCode).toBe(403)
    const closed = (await w.owner.post(`/api/consultations/${c.id}/close`, { reason: 'Enough input' })).json() as Consultation
    expect(closed.phase).toBe('closed')
    expect((await w.owner.post(`/api/consultations/${c.id}/close`, { reason: 'Again' })).statusCode).toBe(409)
    const later = new Date(Date.now() + 5 * DAY).toISOString()
    const extended = (await w.owner.post(`/api/consultations/${c.id}/extend`, { closesAt: later, reason: 'Requests from NGOs' })).json() as Consultation
    expect(extended).toMatchObject({ phase: 'open', closesAt: later })
    expect(extended.changes.map((change) => [change.kind, change.reason])).toEqual([
      ['published', ''],
      ['closed-early', 'Enough input'],
      ['extended', 'Requests from NGOs'],
    ])
    const changes = await count('consultation_changes')
    const earlier = new Date(Date.now() + 2 * DAY).toISOString()
    expect((await w.owner.post(`/api/consultations/${c.id}/extend`, { closesAt: earlier, reason: 'Shorter' })).statusCode).toBe(400)
    expect((await w.owner.post(`/api/consultations/${c.id}/extend`, { closesAt: later })).statusCode).toBe(400)
    expect(await count('consultation_changes')).toBe(changes)
    await expect(sql`UPDATE consultation_changes SET reason = 'rewritten'`.execute(db)).rejects.toThrow(/append-only/)
  })

  it('does not close a scheduled or draft one early, nor extend a draft', async () => {
    const w = await world()
    const scheduled = await openConsultation(w.owner, w.process.id, w.documentId, {
      opensAt: new Date(Date.now() + DAY).toISOString(),
      closesAt: new Date(Date.now() + 40 * DAY).toISOString(),
    })
    expect(scheduled.phase).toBe('scheduled')
    expect((await w.owner.post(`/api/consultations/${scheduled.id}/close`, { reason: 'No' })).statusCode).toBe(409)
    const draft = await openConsultation(w.owner, w.process.id, w.documentId, { publish: false })
    expect(
      (await w.owner.post(`/api/consultations/${draft.id}/extend`, { closesAt: new Date(Date.now() + 50 * DAY).toISOString(), reason: 'x' })).statusCode,
    ).toBe(409)
  })
})

describe('answering threads', () => {
  async function memberThread(w: World) {
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as Section[]
    const response = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: sectionId(sections, 'Governance'),
      kind: 'comment',
      body: 'The council needs a budget line.',
    })
    expect(response.statusCode, response.body).toBe(201)
    return { thread: response.json() as Thread, sections }
  }

  it('records a disposition and a public answer pointing to a version and section; revisable', async () => {
    const w = await world()
    const { thread, sections } = await memberThread(w)
    const version = (await w.owner.post(`/api/documents/${w.documentId}/versions`, { name: 'Revised' })).json() as Version
    const governance = sectionId(sections, 'Governance')
    const response = await w.owner.put(`/api/threads/${thread.id}/answer`, {
      disposition: 'partially-accepted',
      answer: '  A budget line is added for the first two years.  ',
      versionId: version.id,
      sectionId: governance,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect((response.json() as Thread).answer).toMatchObject({
      disposition: 'partially-accepted',
      answer: 'A budget line is added for the first two years.',
      versionId: version.id,
      versionName: 'Revised',
      sectionId: governance,
      sectionTitle: 'Governance',
      by: w.process.secretariat.name,
    })
    const seen = (await w.people.observer.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(seen.answer?.disposition).toBe('partially-accepted')
    const list = (await w.people.drafter.get(`/api/processes/${w.process.id}/threads`)).json()
    expect(list.items[0].answer.answer).toBe('A budget line is added for the first two years.')
    const revised = await w.owner.put(`/api/threads/${thread.id}/answer`, { disposition: 'noted', answer: 'Noted.' })
    expect((revised.json() as Thread).answer).toMatchObject({ disposition: 'noted', versionId: null, sectionId: null })
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', thread.id)
      .where('action', '=', 'thread.answered')
      .execute()
    expect(audit).toHaveLength(2)
  })

  it('lets only the secretariat answer, and refuses bad answers without changing anything', async () => {
    const w = await world()
    const { thread } = await memberThread(w)
    const other = await world()
    const theirs = (await other.owner.post(`/api/documents/${other.documentId}/versions`, { name: 'Theirs' })).json() as Version
    const mine = (await w.owner.post(`/api/documents/${w.documentId}/versions`, { name: 'Mine' })).json() as Version
    for (const [role, client] of Object.entries(w.people)) {
      const refused = await client.put(`/api/threads/${thread.id}/answer`, { disposition: 'noted', answer: 'x' })
      expect(refused.statusCode, role).toBe(403)
    }
    const outsider = await t.as(await factories.createUser())
    expect((await outsider.put(`/api/threads/${thread.id}/answer`, { disposition: 'noted', answer: 'x' })).statusCode).toBe(404)
    const bad: [object, number][] = [
      [{ disposition: 'maybe', answer: 'x' }, 400],
      [{ disposition: 'noted', answer: '   ' }, 400],
      [{ disposition: 'noted' }, 400],
      [{ disposition: 'noted', answer: 'x'.repeat(10_001) }, 400],
      [{ disposition: 'noted', answer: 'x', sectionId: 'abc' }, 400],
      [{ disposition: 'noted', answer: 'x', versionId: theirs.id }, 404],
      [{ disposition: 'noted', answer: 'x', versionId: mine.id, sectionId: 'no-such-section' }, 400],
    ]
    for (const [body, status] of bad) {
      expect((await w.owner.put(`/api/threads/${thread.id}/answer`, body)).statusCode, JSON.stringify(body)).toBe(status)
    }
    const row = await db.selectFrom('threads').select(['disposition', 'answer']).where('id', '=', thread.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ disposition: null, answer: null })
  })
})

describe('the demo', () => {
  it('has an open consultation at /c/demo with public comments from several groups, a campaign, a hidden one and answers', async () => {
    const demo = await createTestApp()
    const { seedDemo } = await import('../../server/demo/seed')
    expect(await seedDemo(demo.db)).toBe(true)
    const owner = await demo.as({ id: '', email: 'secretariat@example.org', password: 'concord-demo', name: '', isAdmin: false })
    const [process] = (await owner.get('/api/processes')).json() as { id: string }[]
    const { items } = (await owner.get(`/api/processes/${process!.id}/consultations`)).json() as ConsultationList
    // This cycle's open consultation, and the earlier cycle's at /c/demo-2022 (closed, answered).
    expect(items.map((item) => [item.slug, item.phase]).sort()).toEqual([
      ['demo', 'open'],
      ['demo-2022', 'closed'],
    ])
    const c = items.find((item) => item.slug === 'demo')!
    expect(c).toMatchObject({ slug: 'demo', phase: 'open', access: 'anonymous', moderation: 'after', visibility: 'immediately', submissions: 9, threads: 6 })
    expect(Object.keys(c.title).sort()).toEqual(['en', 'es'])
    const list = async (query: string) =>
      ((await owner.get(`/api/processes/${process!.id}/threads?limit=200&${query}`)).json().items as Thread[])
    const everyPublic = await list('origin=public&hidden=include')
    expect(everyPublic).toHaveLength(12)
    const publicThreads = everyPublic.filter((thread) => thread.origin?.consultationId === c.id)
    expect(publicThreads).toHaveLength(6)
    expect((await list(`consultation=${c.id}`)).map((thread) => thread.id).sort()).toEqual(
      publicThreads.filter((thread) => thread.root.hidden === null).map((thread) => thread.id).sort(),
    )
    const members = await list('origin=members&hidden=include')
    expect(members.length).toBeGreaterThan(5)
    expect(members.every((thread) => thread.origin === null && !thread.root.author?.selfDeclared)).toBe(true)
    expect(publicThreads.every((thread) => thread.root.author?.selfDeclared)).toBe(true)
    expect(new Set(publicThreads.map((thread) => thread.root.author?.stakeholderGroup))).toEqual(
      new Set(['individual', 'private-sector', 'academia', 'civil-society']),
    )
    expect(publicThreads.map((thread) => thread.origin!.submissions).sort()).toEqual([1, 1, 1, 1, 1, 4])
    expect(publicThreads.filter((thread) => thread.answer !== null)).toHaveLength(3)
    expect(publicThreads.filter((thread) => thread.root.hidden !== null)).toHaveLength(1)
    expect(publicThreads.some((thread) => thread.quote === 'within 24 hours')).toBe(true)
    const progress = (await owner.get(`/api/consultations/${c.id}/progress`)).json()
    expect(progress).toMatchObject({ total: 5, answered: 3, unanswered: 2 })
    await demo.close()
  })
})

describe('public comments in members’ views', () => {
  // Records a public submission the way the public form does, after its checks.
  async function submit(c: Consultation, sectionId: string, body: string, group = 'individual') {
    const consultation = (await findConsultation(db, c.id))!
    const recorded = await db.transaction().execute((trx) =>
      recordSubmission(
        trx,
        consultation,
        { sectionId, name: null, stakeholderGroup: group, organisation: '', email: null, consent: true, body, quote: null, language: 'en' },
        { addressHash: `test-${Math.random()}`, checkLimits: false },
      ),
    )
    return recorded.thread!
  }

  it('keeps a comment awaiting approval from everyone but moderators until approved', async () => {
    const w = await world()
    const c = await openConsultation(w.owner, w.process.id, w.documentId, { moderation: 'before' })
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as Section[]
    const thread = await submit(c, sectionId(sections, 'Vision'), 'Please define resilience.')
    const root = await db.selectFrom('comments').select('id').where('thread_id', '=', thread.id).executeTakeFirstOrThrow()
    expect((await w.people.stakeholder.get(`/api/threads/${thread.id}`)).statusCode).toBe(404)
    expect((await w.people.drafter.get(`/api/processes/${w.process.id}/threads?origin=public`)).json().total).toBe(0)
    const counts = (await w.people.drafter.get(`/api/documents/${w.documentId}/thread-counts`)).json() as { open: number }[]
    expect(counts.reduce((sum, s) => sum + s.open, 0)).toBe(0)
    const queue = (await w.people.facilitator.get(`/api/processes/${w.process.id}/moderation/queue?state=pending`)).json()
    expect(queue.map((item: { comment: { id: string; hidden: { pending: boolean } } }) => [item.comment.id, item.comment.hidden.pending])).toEqual([[root.id, true]])
    expect((await w.people.facilitator.get(`/api/processes/${w.process.id}/moderation/queue?state=hidden`)).json()).toEqual([])
    expect((await w.people.stakeholder.post(`/api/comments/${root.id}/approve`, { reason: 'Fine' })).statusCode).toBe(404)
    expect((await w.people.facilitator.post(`/api/comments/${root.id}/restore`, { reason: 'Fine' })).statusCode).toBe(409)
    const progress = (await w.owner.get(`/api/consultations/${c.id}/progress`)).json()
    expect(progress).toMatchObject({ total: 1, unanswered: 1 })
    const approved = await w.people.facilitator.post(`/api/comments/${root.id}/approve`, { reason: 'On topic' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect(approved.json().hidden).toBeNull()
    expect((await w.people.facilitator.post(`/api/comments/${root.id}/approve`, { reason: 'Again' })).statusCode).toBe(409)
    const seen = (await w.people.stakeholder.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(seen.root.author).toMatchObject({ selfDeclared: true, stakeholderGroup: 'individual', userId: null })
    expect(seen.origin).toEqual({ consultationId: c.id, consultationSlug: c.slug, consultationTitle: c.title, submissions: 1 })
    const log = (await w.owner.get(`/api/processes/${w.process.id}/moderation/log`)).json()
    expect(log[0]).toMatchObject({ action: 'approve', reason: 'On topic' })
  })

  it('lets a moderator hide a pending comment, which then shows its reason', async () => {
    const w = await world()
    const c = await openConsultation(w.owner, w.process.id, w.documentId, { moderation: 'before' })
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as Section[]
    const thread = await submit(c, sectionId(sections, 'Vision'), 'Spam spam spam')
    const root = await db.selectFrom('comments').select('id').where('thread_id', '=', thread.id).executeTakeFirstOrThrow()
    const hidden = await w.people.facilitator.post(`/api/comments/${root.id}/hide`, { reason: 'Advertising' })
    expect(hidden.statusCode, hidden.body).toBe(200)
    expect(hidden.json().hidden).toMatchObject({ reason: 'Advertising', pending: false })
    expect((await w.people.facilitator.get(`/api/processes/${w.process.id}/moderation/queue?state=pending`)).json()).toEqual([])
    expect((await w.owner.get(`/api/consultations/${c.id}/progress`)).json()).toMatchObject({ total: 0 })
  })

  it('counts progress per section and group, and answering takes a thread off the list', async () => {
    const w = await world()
    const c = await openConsultation(w.owner, w.process.id, w.documentId)
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as Section[]
    const vision = sectionId(sections, 'Vision')
    const governance = sectionId(sections, 'Governance')
    const first = await submit(c, governance, 'More budget.', 'civil-society')
    await submit(c, governance, '  more   BUDGET. ', 'individual')
    await submit(c, vision, 'Shorter, please.', 'academia')
    const member = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: vision,
      kind: 'comment',
      body: 'A member’s own thread is not part of the consultation’s progress.',
    })
    expect(member.statusCode).toBe(201)
    const progress = async () => (await w.people.observer.get(`/api/consultations/${c.id}/progress`)).json()
    expect(await progress()).toEqual({
      total: 2,
      answered: 0,
      unanswered: 2,
      bySection: [
        { sectionId: vision, sectionTitle: 'Vision', total: 1, unanswered: 1 },
        { sectionId: governance, sectionTitle: 'Governance', total: 1, unanswered: 1 },
      ],
      byGroup: [
        { group: 'academia', total: 1, unanswered: 1 },
        { group: 'civil-society', total: 1, unanswered: 1 },
      ],
    })
    const answered = await w.owner.put(`/api/threads/${first.id}/answer`, { disposition: 'accepted', answer: 'Added to 4.1.' })
    expect((answered.json() as Thread).origin?.submissions).toBe(2)
    expect(await progress()).toMatchObject({ total: 2, answered: 1, unanswered: 1 })
    const listed = (await w.owner.get(`/api/consultations/${c.id}`)).json() as Consultation
    expect(listed).toMatchObject({ submissions: 3, threads: 2 })
  })
})
