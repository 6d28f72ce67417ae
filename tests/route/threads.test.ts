import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type {
  Comment,
  NotificationList,
  SectionThreadCount,
  Thread,
  ThreadPage,
} from '../../shared/api/threads'
import type { Role } from '../../shared/domain/roles'
import { LIMITS } from '../../shared/limits'
import { loadContent, prepareServerEdit } from '../../server/documents/service'
import { toMarkdown } from '../../server/render/markdown'
import * as Y from 'yjs'
import { createTestApp, type Client } from '../support/app'
import { waitFor } from '../support/wait-for'
import type { TestProcess, TestUser } from '../support/factories'
import { anchorFor, findText, sectionId, storedDoc, THREAD_DRAFT } from '../support/threads'

const t = await createTestApp()
const { db, factories } = t

const count = async (
  table:
    | 'threads'
    | 'comments'
    | 'endorsements'
    | 'flags'
    | 'moderation_log'
    | 'notifications'
    | 'doc_updates',
) =>
  (
    await db
      .selectFrom(table)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
  ).n

interface World {
  process: TestProcess
  documentId: string
  sections: Section[]
  people: Record<Role | 'academic', { user: TestUser; client: Client }>
}

/** A process with one member of every role (stakeholders in two groups) and a three-section draft. */
async function world(): Promise<World> {
  const users = {
    drafter: await factories.createUser({ name: 'Dana Drafter' }),
    stakeholder: await factories.createUser({ name: 'Sol Stakeholder' }),
    academic: await factories.createUser({ name: 'Ada Academic' }),
    facilitator: await factories.createUser({ name: 'Fay Facilitator' }),
    observer: await factories.createUser({ name: 'Otto Observer' }),
  }
  const process = await factories.createProcess({
    members: [
      {
        user: users.drafter,
        role: 'drafter',
        group: 'government',
        organisation: 'Ministry of ICT',
      },
      {
        user: users.stakeholder,
        role: 'stakeholder',
        group: 'civil-society',
        organisation: 'Digital Rights NGO',
      },
      {
        user: users.academic,
        role: 'stakeholder',
        group: 'academia',
        organisation: 'National University',
      },
      { user: users.facilitator, role: 'facilitator', group: 'government' },
      { user: users.observer, role: 'observer', group: 'private-sector' },
    ],
  })
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const owner = await t.as(process.secretariat)
  const sections = (await owner.get(`/api/documents/${documentId}/sections`)).json() as Section[]
  const people = {
    secretariat: { user: process.secretariat, client: owner },
    drafter: { user: users.drafter, client: await t.as(users.drafter) },
    stakeholder: { user: users.stakeholder, client: await t.as(users.stakeholder) },
    academic: { user: users.academic, client: await t.as(users.academic) },
    facilitator: { user: users.facilitator, client: await t.as(users.facilitator) },
    observer: { user: users.observer, client: await t.as(users.observer) },
  }
  return { process, documentId, sections, people }
}

async function startThread(w: World, who: keyof World['people'], body: Record<string, unknown>) {
  const response = await w.people[who].client.post(`/api/documents/${w.documentId}/threads`, {
    sectionId: sectionId(w.sections, 'Governance'),
    kind: 'comment',
    body: 'A comment',
    ...body,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Thread
}

describe('starting threads', () => {
  it('records the author as they are, anchored to a passage, and lists the thread', async () => {
    const w = await world()
    const anchor = await anchorFor(db, w.documentId, 'national cybersecurity council')
    const thread = await startThread(w, 'stakeholder', {
      kind: 'question',
      body: 'Who sits on the council?',
      anchor,
    })
    expect(thread).toMatchObject({
      number: 1,
      kind: 'question',
      status: 'open',
      sectionTitle: 'Governance',
      sectionRemoved: false,
      anchor,
      root: {
        body: 'Who sits on the council?',
        author: {
          name: 'Sol Stakeholder',
          stakeholderGroup: 'civil-society',
          organisation: 'Digital Rights NGO',
          role: 'stakeholder',
        },
        canEdit: true,
      },
      replies: [],
      endorsements: { total: 0, byGroup: {}, mine: false },
    })
    // Read back by another member through another route.
    const page = (
      await w.people.observer.client.get(`/api/processes/${w.process.id}/threads`)
    ).json() as ThreadPage
    expect(page.total).toBe(1)
    expect(page.items[0]).toMatchObject({
      id: thread.id,
      root: { canEdit: false, body: 'Who sits on the council?' },
    })
    const second = await startThread(w, 'academic', {})
    expect(second.number).toBe(2)
  })

  it('keeps the author’s group and organisation as they were when a later role change comes', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {})
    const membershipId = w.process.membershipIds.get(w.people.stakeholder.user.email)!
    const changed = await w.people.secretariat.client.patch(
      `/api/processes/${w.process.id}/members/${membershipId}`,
      {
        role: 'observer',
        stakeholderGroup: 'private-sector',
        organisation: 'A company',
      },
    )
    expect(changed.statusCode, changed.body).toBe(200)
    const again = (await w.people.drafter.client.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(again.root.author).toMatchObject({
      stakeholderGroup: 'civil-society',
      organisation: 'Digital Rights NGO',
      role: 'stakeholder',
    })
  })

  it('refuses without credentials (401), outside the process (404), for observers (403) and bad bodies (400), changing nothing', async () => {
    const w = await world()
    const outsider = await t.as(await factories.createUser())
    const url = `/api/documents/${w.documentId}/threads`
    const good = { sectionId: sectionId(w.sections, 'Vision'), kind: 'comment', body: 'Hello' }
    const before = await count('threads')
    expect((await t.anonymous.post(url, good)).statusCode).toBe(401)
    expect((await outsider.post(url, good)).statusCode).toBe(404)
    const observer = await w.people.observer.client.post(url, good)
    expect(observer.statusCode).toBe(403)
    expect(observer.json().code).toBe('forbidden')
    const stakeholder = w.people.stakeholder.client
    const bad = [
      { ...good, extra: true },
      { ...good, body: '' },
      { ...good, body: '   ' },
      { ...good, body: 'x'.repeat(LIMITS.commentBodyMax + 1) },
      { ...good, kind: 'rant' },
      { ...good, sectionId: 'not a section id!' },
      { ...good, kind: 'proposal' },
      { ...good, proposal: { scope: 'section', text: 'New' } },
      { ...good, kind: 'proposal', proposal: { scope: 'range', text: 'New' } },
      { ...good, anchor: { start: 'CQkJ', end: 'CQkJ', quote: 'x' } },
      { ...good, anchor: { start: '!!!', end: 'AAAA', quote: 'x' } },
    ]
    for (const body of bad) {
      const response = await stakeholder.post(url, body)
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
    const unknownSection = await stakeholder.post(url, { ...good, sectionId: 'abcdefghij' })
    expect(unknownSection.statusCode).toBe(409)
    expect(await count('threads')).toBe(before)
  })

  it('refuses a proposed change to a passage that spans paragraphs', async () => {
    const w = await world()
    const doc = await storedDoc(db, w.documentId)
    const first = findText(doc, 'national cybersecurity')
    const second = findText(doc, 'Operators report')
    const b64 = (p: Y.RelativePosition) =>
      Buffer.from(Y.encodeRelativePosition(p)).toString('base64')
    const anchor = {
      start: b64(Y.createRelativePositionFromTypeIndex(first.text, first.index, 0)),
      end: b64(Y.createRelativePositionFromTypeIndex(second.text, second.index + 9, -1)),
      quote: 'national … Operators',
    }
    const response = await w.people.stakeholder.client.post(
      `/api/documents/${w.documentId}/threads`,
      {
        sectionId: sectionId(w.sections, 'Governance'),
        kind: 'proposal',
        body: 'Rewrite',
        anchor,
        proposal: { scope: 'range', text: 'x' },
      },
    )
    expect(response.statusCode, response.body).toBe(400)
  })
})

describe('replies, edits and withdrawals', () => {
  it('replies nest one level; authors edit within the window (recorded) and withdraw, leaving a placeholder', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', { body: 'First text' })
    const reply = await w.people.academic.client.post(`/api/threads/${thread.id}/replies`, {
      body: 'I agree',
    })
    expect(reply.statusCode, reply.body).toBe(201)
    const replyId = (reply.json() as Comment).id

    // Only the author edits.
    expect(
      (
        await w.people.academic.client.patch(`/api/comments/${thread.root.id}`, {
          body: 'Hijacked',
        })
      ).statusCode,
    ).toBe(403)
    const edited = await w.people.stakeholder.client.patch(`/api/comments/${thread.root.id}`, {
      body: 'Second text',
    })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ body: 'Second text' })
    expect(edited.json().editedAt).not.toBeNull()
    const revisions = await db
      .selectFrom('comment_revisions')
      .select('body')
      .where('comment_id', '=', thread.root.id)
      .execute()
    expect(revisions.map((r) => r.body)).toEqual(['First text'])

    // After the edit window, no more edits.
    await db
      .updateTable('comments')
      .set({ created_at: new Date(Date.now() - (LIMITS.commentEditWindowMinutes + 1) * 60_000) })
      .where('id', '=', thread.root.id)
      .execute()
    const late = await w.people.stakeholder.client.patch(`/api/comments/${thread.root.id}`, {
      body: 'Third text',
    })
    expect(late.statusCode).toBe(409)

    const withdrawn = await w.people.academic.client.post(`/api/comments/${replyId}/withdraw`, {})
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    const read = (await w.people.observer.client.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(read.root.body).toBe('Second text')
    expect(read.replies).toHaveLength(1)
    expect(read.replies[0]).toMatchObject({
      id: replyId,
      withdrawn: true,
      body: null,
      author: { name: 'Ada Academic' },
    })
    expect(
      (await w.people.observer.client.post(`/api/threads/${thread.id}/replies`, { body: 'Me too' }))
        .statusCode,
    ).toBe(403)
  })
})

describe('endorsements', () => {
  it('count once per member under parallel requests, per stakeholder group, and can be withdrawn', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {})
    const url = `/api/threads/${thread.id}/endorsement`
    const parallel = await Promise.all(
      Array.from({ length: 8 }, () => w.people.academic.client.post(url, {})),
    )
    expect(parallel.every((r) => r.statusCode === 200)).toBe(true)
    await w.people.stakeholder.client.post(url, {})
    await w.people.drafter.client.post(url, {})
    expect((await w.people.observer.client.post(url, {})).statusCode).toBe(403)
    const read = (await w.people.academic.client.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(read.endorsements).toEqual({
      total: 3,
      byGroup: { academia: 1, 'civil-society': 1, government: 1 },
      mine: true,
    })
    const withdrawn = await w.people.academic.client.delete(url)
    expect(withdrawn.json()).toEqual({
      total: 2,
      byGroup: { 'civil-society': 1, government: 1 },
      mine: false,
    })
    expect(
      await db
        .selectFrom('endorsements')
        .select('user_id')
        .where('thread_id', '=', thread.id)
        .execute(),
    ).toHaveLength(2)
  })
})

describe('resolving and applying proposed changes', () => {
  it('lets drafters resolve and reopen, and nobody without the role', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {})
    expect(
      (await w.people.stakeholder.client.post(`/api/threads/${thread.id}/resolve`, {})).statusCode,
    ).toBe(403)
    const resolved = await w.people.drafter.client.post(`/api/threads/${thread.id}/resolve`, {})
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolved: { by: 'Dana Drafter' } })
    expect(
      (await w.people.drafter.client.post(`/api/threads/${thread.id}/resolve`, {})).statusCode,
    ).toBe(409)
    const reopened = await w.people.secretariat.client.post(`/api/threads/${thread.id}/reopen`, {})
    expect(reopened.json()).toMatchObject({ status: 'open', resolved: null })
  })

  it('applies a passage proposal to the document, records it and marks the thread accepted', async () => {
    const w = await world()
    const anchor = await anchorFor(db, w.documentId, 'within 24 hours')
    const thread = await startThread(w, 'academic', {
      sectionId: sectionId(w.sections, 'Critical infrastructure'),
      kind: 'proposal',
      body: 'Align with the EU NIS2 deadline.',
      anchor,
      proposal: { scope: 'range', text: 'within 72 hours' },
    })
    expect(
      (await w.people.stakeholder.client.post(`/api/threads/${thread.id}/apply`, {})).statusCode,
    ).toBe(403)
    const applied = await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})
    expect(applied.statusCode, applied.body).toBe(200)
    expect(applied.json()).toMatchObject({
      status: 'accepted',
      applied: {
        by: 'Dana Drafter',
        scope: 'range',
        before: 'within 24 hours',
        after: 'within 72 hours',
      },
    })
    const markdown = toMarkdown(await loadContent(db, w.documentId))
    expect(markdown).toContain('Operators report incidents within 72 hours.')
    expect(markdown).not.toContain('24 hours')
    expect(
      (await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})).statusCode,
    ).toBe(409)
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', thread.id)
      .execute()
    expect(audit.map((a) => a.action)).toContain('thread.applied')
  })

  it('refuses a passage proposal whose text changed, until asked to apply anyway', async () => {
    const w = await world()
    const anchor = await anchorFor(db, w.documentId, 'coordinates every ministry')
    const thread = await startThread(w, 'stakeholder', {
      kind: 'proposal',
      anchor,
      proposal: { scope: 'range', text: 'oversees every agency' },
    })
    // Someone edits inside the passage meanwhile.
    const edit = await prepareServerEdit(db, w.documentId, (doc) => {
      const text = findText(doc, 'every ministry')
      text.text.insert(text.index + 'every '.length, 'single ')
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const updatesBefore = await count('doc_updates')
    const refused = await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})
    expect(refused.statusCode).toBe(409)
    expect(refused.json().details).toEqual({ passageChanged: true })
    expect(await count('doc_updates')).toBe(updatesBefore)
    const forced = await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {
      force: true,
    })
    expect(forced.statusCode, forced.body).toBe(200)
    expect(forced.json().applied.before).toBe('coordinates every single ministry')
    expect(toMarkdown(await loadContent(db, w.documentId))).toContain(
      'The national cybersecurity council oversees every agency.',
    )
  })

  it('applies a section proposal: the text under the heading is replaced, the heading and other sections stay', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {
      kind: 'proposal',
      proposal: {
        scope: 'section',
        text: 'A council chaired by the President.\n\nIt meets every quarter.',
      },
    })
    const applied = await w.people.secretariat.client.post(`/api/threads/${thread.id}/apply`, {})
    expect(applied.statusCode, applied.body).toBe(200)
    expect(applied.json().applied.before).toBe(
      'The national cybersecurity council coordinates every ministry.',
    )
    const markdown = toMarkdown(await loadContent(db, w.documentId))
    expect(markdown).toContain(
      '## Governance\n\nA council chaired by the President.\n\nIt meets every quarter.\n\n## Critical infrastructure',
    )
    const sections = (
      await w.people.secretariat.client.get(`/api/documents/${w.documentId}/sections`)
    ).json() as Section[]
    expect(sections.map((s) => s.id)).toEqual(w.sections.map((s) => s.id))
  })
})

describe('lists and counts', () => {
  it('filters by section, group, kind, status, author and text; sorts; paginates; marks removed sections', async () => {
    const w = await world()
    const vision = sectionId(w.sections, 'Vision')
    const infra = sectionId(w.sections, 'Critical infrastructure')
    const a = await startThread(w, 'stakeholder', {
      sectionId: infra,
      body: 'Hospitals are critical too',
    })
    const b = await startThread(w, 'academic', {
      sectionId: vision,
      kind: 'question',
      body: 'What does resilient mean?',
    })
    const c = await startThread(w, 'drafter', { body: 'Name the ministries' })
    await w.people.academic.client.post(`/api/threads/${c.id}/replies`, {
      body: 'Including the ministry of health',
    })
    await w.people.drafter.client.post(`/api/threads/${a.id}/resolve`, {})
    await w.people.academic.client.post(`/api/threads/${a.id}/endorsement`, {})
    await w.people.drafter.client.post(`/api/threads/${a.id}/endorsement`, {})
    await w.people.stakeholder.client.post(`/api/threads/${b.id}/endorsement`, {})
    const list = async (query: string) => {
      const response = await w.people.observer.client.get(
        `/api/processes/${w.process.id}/threads?${query}`,
      )
      expect(response.statusCode, response.body).toBe(200)
      return response.json() as ThreadPage
    }
    const ids = (page: ThreadPage) => page.items.map((i) => i.id)
    expect(ids(await list(`section=${infra}`))).toEqual([a.id])
    expect(ids(await list('group=academia'))).toEqual([b.id])
    expect(ids(await list('kind=question'))).toEqual([b.id])
    expect(ids(await list('status=resolved'))).toEqual([a.id])
    expect(ids(await list(`author=${w.people.drafter.user.id}`))).toEqual([c.id])
    expect(ids(await list('q=HOSPITALS'))).toEqual([a.id])
    expect(ids(await list('q=ministry%20of%20health'))).toEqual([c.id])
    expect(ids(await list('q=100%25'))).toEqual([])
    expect(ids(await list('sort=endorsements'))).toEqual([a.id, b.id, c.id])
    expect(ids(await list('sort=section'))).toEqual([b.id, c.id, a.id])
    const first = await list('sort=section&limit=2')
    expect(first.total).toBe(3)
    expect(ids(first)).toEqual([b.id, c.id])
    expect(ids(await list('sort=section&limit=2&offset=2'))).toEqual([a.id])
    expect(ids(await list('limit=1&offset=1'))).toHaveLength(1)
    expect(
      (await w.people.observer.client.get(`/api/processes/${w.process.id}/threads?sort=nonsense`))
        .statusCode,
    ).toBe(400)

    const counts = (
      await w.people.observer.client.get(`/api/documents/${w.documentId}/thread-counts`)
    ).json() as SectionThreadCount[]
    expect(counts.sort((x, y) => x.sectionId.localeCompare(y.sectionId))).toEqual(
      [
        { sectionId: vision, open: 1, byGroup: { academia: 1 } },
        { sectionId: sectionId(w.sections, 'Governance'), open: 1, byGroup: { government: 1 } },
      ].sort((x, y) => x.sectionId.localeCompare(y.sectionId)),
    )

    // The section goes: its thread stays, marked, with its last known title.
    const edit = await prepareServerEdit(db, w.documentId, (_doc, fragment) => {
      const index = fragment
        .toArray()
        .findIndex((n) => n instanceof Y.XmlElement && n.getAttribute('sectionId') === infra)
      fragment.delete(index, 2)
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const after = (await w.people.observer.client.get(`/api/threads/${a.id}`)).json() as Thread
    expect(after).toMatchObject({ sectionRemoved: true, sectionTitle: 'Critical infrastructure' })
  })
})

describe('moderation', () => {
  it('flags go to a queue; a hidden item reaches nobody who may not see it; every decision is logged', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', { body: 'A fine comment' })
    const reply = (
      await w.people.academic.client.post(`/api/threads/${thread.id}/replies`, {
        body: 'Offensive words here',
      })
    ).json() as Comment
    const flagUrl = `/api/comments/${reply.id}/flags`
    expect((await w.people.observer.client.post(flagUrl, { reason: 'Insulting' })).statusCode).toBe(
      201,
    )
    expect((await w.people.observer.client.post(flagUrl, { reason: 'Again' })).statusCode).toBe(409)
    expect((await w.people.observer.client.post(flagUrl, { reason: '' })).statusCode).toBe(400)
    await w.people.drafter.client.post(flagUrl, { reason: 'Off topic' })

    expect(
      (await w.people.stakeholder.client.get(`/api/processes/${w.process.id}/moderation/queue`))
        .statusCode,
    ).toBe(403)
    const queue = await w.people.facilitator.client.get(
      `/api/processes/${w.process.id}/moderation/queue`,
    )
    expect(queue.statusCode).toBe(200)
    expect(queue.json()).toHaveLength(1)
    expect(queue.json()[0]).toMatchObject({
      comment: { id: reply.id, flagCount: 2 },
      isThreadRoot: false,
      thread: { number: 1 },
    })
    expect(queue.json()[0].flags.map((f: { reason: string }) => f.reason)).toEqual([
      'Insulting',
      'Off topic',
    ])

    expect(
      (await w.people.stakeholder.client.post(`/api/comments/${reply.id}/hide`, { reason: 'x' }))
        .statusCode,
    ).toBe(403)
    const hidden = await w.people.facilitator.client.post(`/api/comments/${reply.id}/hide`, {
      reason: 'Personal attack',
    })
    expect(hidden.statusCode, hidden.body).toBe(200)
    const seenByMember = (
      await w.people.stakeholder.client.get(`/api/threads/${thread.id}`)
    ).json() as Thread
    expect(seenByMember.replies[0]).toMatchObject({
      body: null,
      author: null,
      hidden: { reason: 'Personal attack', by: null },
    })
    expect(JSON.stringify(seenByMember)).not.toContain('Offensive')
    const seenByModerator = (
      await w.people.secretariat.client.get(`/api/threads/${thread.id}`)
    ).json() as Thread
    expect(seenByModerator.replies[0]).toMatchObject({
      body: 'Offensive words here',
      hidden: { by: 'Fay Facilitator' },
    })
    expect(
      (
        await w.people.stakeholder.client.get(`/api/processes/${w.process.id}/threads?q=Offensive`)
      ).json().total,
    ).toBe(0)
    expect(
      (await w.people.stakeholder.client.get(`/api/processes/${w.process.id}/threads`)).json()
        .items[0].replyCount,
    ).toBe(0)
    expect(
      (
        await w.people.facilitator.client.get(`/api/processes/${w.process.id}/moderation/queue`)
      ).json(),
    ).toHaveLength(0)
    expect(
      (
        await w.people.facilitator.client.get(
          `/api/processes/${w.process.id}/moderation/queue?state=hidden`,
        )
      ).json(),
    ).toHaveLength(1)
    // A hidden reply is as private as a missing one for members who do not moderate.
    expect((await w.people.observer.client.post(flagUrl, { reason: 'More' })).statusCode).toBe(404)

    // Hiding the opening comment hides the whole thread: lists, counts, search and reads.
    const hideRoot = await w.people.secretariat.client.post(
      `/api/comments/${thread.root.id}/hide`,
      { reason: 'Spam' },
    )
    expect(hideRoot.statusCode).toBe(200)
    // Members who do not moderate no longer find it; its author (the stakeholder) still reads
    // it, marked hidden (issue 15, item 2; tests/route/hidden-notice.test.ts).
    expect((await w.people.observer.client.get(`/api/threads/${thread.id}`)).statusCode).toBe(404)
    expect((await w.people.stakeholder.client.get(`/api/threads/${thread.id}`)).statusCode).toBe(
      200,
    )
    expect(
      (await w.people.observer.client.get(`/api/processes/${w.process.id}/threads`)).json().total,
    ).toBe(0)
    expect(
      (
        await w.people.stakeholder.client.get(
          `/api/processes/${w.process.id}/threads?hidden=include`,
        )
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await w.people.stakeholder.client.get(`/api/documents/${w.documentId}/thread-counts`)
      ).json(),
    ).toEqual([])
    expect(
      (
        await w.people.facilitator.client.get(`/api/processes/${w.process.id}/threads?hidden=only`)
      ).json().total,
    ).toBe(1)

    const restored = await w.people.facilitator.client.post(
      `/api/comments/${thread.root.id}/restore`,
      { reason: 'Not spam after all' },
    )
    expect(restored.statusCode).toBe(200)
    expect((await w.people.stakeholder.client.get(`/api/threads/${thread.id}`)).statusCode).toBe(
      200,
    )

    expect(
      (await w.people.facilitator.client.get(`/api/processes/${w.process.id}/moderation/log`))
        .statusCode,
    ).toBe(403)
    const log = await w.people.secretariat.client.get(
      `/api/processes/${w.process.id}/moderation/log`,
    )
    expect(
      log
        .json()
        .map((e: { action: string; reason: string; moderator: string }) => [
          e.action,
          e.reason,
          e.moderator,
        ]),
    ).toEqual([
      ['restore', 'Not spam after all', 'Fay Facilitator'],
      ['hide', 'Spam', w.people.secretariat.user.name],
      ['hide', 'Personal attack', 'Fay Facilitator'],
    ])
    // The log is append-only in the database itself.
    await expect(sql`UPDATE moderation_log SET reason = 'rewritten'`.execute(db)).rejects.toThrow(
      /append-only/,
    )
  })

  it('dismisses flags without hiding', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {})
    await w.people.observer.client.post(`/api/comments/${thread.root.id}/flags`, { reason: 'Hmm' })
    const dismissed = await w.people.facilitator.client.post(
      `/api/comments/${thread.root.id}/flags/dismiss`,
      { reason: 'Fair comment' },
    )
    expect(dismissed.statusCode, dismissed.body).toBe(200)
    expect(dismissed.json().hidden).toBeNull()
    expect(
      (
        await w.people.facilitator.client.post(`/api/comments/${thread.root.id}/flags/dismiss`, {
          reason: 'x',
        })
      ).statusCode,
    ).toBe(409)
  })
})

describe('notifications', () => {
  it('mentions and replies land in the inbox; hidden items leave it; e-mails name no text', async () => {
    const smtp = await createTestApp({ config: { SMTP_URL: 'smtp://mail.test:25' } })
    const author = await smtp.factories.createUser({ name: 'Ana Author' })
    const mentioned = await smtp.factories.createUser({ name: 'Mo Mentioned' })
    const replier = await smtp.factories.createUser({ name: 'Rae Replier' })
    const outsider = await smtp.factories.createUser({ name: 'Out Sider' })
    const process = await smtp.factories.createProcess({
      members: [
        { user: author, role: 'stakeholder' },
        { user: mentioned, role: 'observer' },
        { user: replier, role: 'drafter' },
      ],
    })
    const { id: documentId } = await smtp.factories.createDocument(
      process.id,
      process.secretariat,
      'Strategy',
      THREAD_DRAFT,
    )
    const authorClient = await smtp.as(author)
    const sections = (
      await authorClient.get(`/api/documents/${documentId}/sections`)
    ).json() as Section[]
    const created = await authorClient.post(`/api/documents/${documentId}/threads`, {
      sectionId: sectionId(sections, 'Vision'),
      kind: 'comment',
      body: `Secret wording. What do you think, @[Mo Mentioned](${mentioned.id})? And @[Out Sider](${outsider.id})?`,
    })
    expect(created.statusCode, created.body).toBe(201)
    const thread = created.json() as Thread
    const replierClient = await smtp.as(replier)
    const reply = (
      await replierClient.post(`/api/threads/${thread.id}/replies`, { body: 'A reply' })
    ).json() as Comment

    const mentionedInbox = (
      await (await smtp.as(mentioned)).get('/api/notifications')
    ).json() as NotificationList
    expect(mentionedInbox).toMatchObject({
      unread: 1,
      items: [{ kind: 'mention', actorName: 'Ana Author', threadId: thread.id, threadNumber: 1 }],
    })
    expect(mentionedInbox.items[0]!.excerpt).toContain('@Mo Mentioned')
    const authorInbox = (await authorClient.get('/api/notifications')).json() as NotificationList
    expect(authorInbox).toMatchObject({
      unread: 1,
      items: [{ kind: 'reply', actorName: 'Rae Replier', commentId: reply.id }],
    })
    expect(
      ((await (await smtp.as(outsider)).get('/api/notifications')).json() as NotificationList)
        .items,
    ).toEqual([])
    expect(
      ((await replierClient.get('/api/notifications')).json() as NotificationList).items,
    ).toEqual([])

    // E-mails go out after the answer.
    const mails = await waitFor(() => {
      const sent = smtp.mail.messages.filter(
        (m) => m.to === mentioned.email || m.to === author.email,
      )
      return sent.length === 2 ? sent : undefined
    })
    for (const mail of mails) {
      expect(mail.text).toContain(`/documents/${documentId}?thread=${thread.id}`)
      expect(mail.text).not.toContain('Secret wording')
      expect(mail.text).not.toContain('A reply')
    }

    const read = await authorClient.post('/api/notifications/read', { all: true })
    expect(read.statusCode).toBe(200)
    expect(
      ((await authorClient.get('/api/notifications?unread=true')).json() as NotificationList).items,
    ).toEqual([])
    expect((await authorClient.post('/api/notifications/read', {})).statusCode).toBe(400)

    // A hidden comment leaves every inbox.
    await (
      await smtp.as(process.secretariat)
    ).post(`/api/comments/${thread.root.id}/hide`, { reason: 'Leak' })
    expect(
      ((await (await smtp.as(mentioned)).get('/api/notifications')).json() as NotificationList)
        .items,
    ).toEqual([])
    expect((await smtp.anonymous.get('/api/notifications')).statusCode).toBe(401)
  })
})

describe('posting limits', () => {
  it(`allows ${LIMITS.commentsPerMinute} posts a minute per person, then 429, storing nothing more`, async () => {
    const w = await world()
    const thread = await startThread(w, 'drafter', {})
    for (let i = 1; i < LIMITS.commentsPerMinute; i++) {
      const response = await w.people.stakeholder.client.post(`/api/threads/${thread.id}/replies`, {
        body: `Reply ${i}`,
      })
      expect(response.statusCode, response.body).toBe(201)
    }
    // The thread itself was one post by someone else; this person has posted one fewer than the limit.
    expect(
      (
        await w.people.stakeholder.client.post(`/api/threads/${thread.id}/replies`, {
          body: 'One more',
        })
      ).statusCode,
    ).toBe(201)
    const before = await count('comments')
    const limited = await w.people.stakeholder.client.post(`/api/threads/${thread.id}/replies`, {
      body: 'Too many',
    })
    expect(limited.statusCode).toBe(429)
    expect(limited.json().code).toBe('rate_limited')
    const limitedThread = await w.people.stakeholder.client.post(
      `/api/documents/${w.documentId}/threads`,
      {
        sectionId: sectionId(w.sections, 'Vision'),
        kind: 'comment',
        body: 'Too many',
      },
    )
    expect(limitedThread.statusCode).toBe(429)
    expect(await count('comments')).toBe(before)
    // Others are not affected.
    expect(
      (await w.people.academic.client.post(`/api/threads/${thread.id}/replies`, { body: 'Fine' }))
        .statusCode,
    ).toBe(201)
  })
})

describe('text is stored and returned as typed', () => {
  it('keeps markup as plain text: rendering makes it inert (tested in the browser)', async () => {
    const w = await world()
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const thread = await startThread(w, 'stakeholder', { body: payload })
    expect(
      ((await w.people.observer.client.get(`/api/threads/${thread.id}`)).json() as Thread).root
        .body,
    ).toBe(payload)
  })
})

describe('the demo', () => {
  it('has threads from every stakeholder group on several sections, a proposed change, a hidden reply and a queue', async () => {
    const demo = await createTestApp()
    const { seedDemo } = await import('../../server/demo/seed')
    expect(await seedDemo(demo.db)).toBe(true)
    const signIn = (email: string) =>
      demo.as({ id: '', email, password: 'concord-demo', name: '', isAdmin: false })
    const citizen = await signIn('citizen@example.org')
    const [process] = (await citizen.get('/api/processes')).json() as { id: string }[]
    const page = (
      await citizen.get(`/api/processes/${process!.id}/threads?limit=200`)
    ).json() as ThreadPage
    const groups = new Set(page.items.map((i) => i.root.author?.stakeholderGroup))
    expect([...groups].sort()).toEqual([
      'academia',
      'civil-society',
      'government',
      'individual',
      'private-sector',
      // the demo's workshop on critical infrastructure adds a contribution from this group
      'technical-community',
    ])
    expect(new Set(page.items.map((i) => i.sectionId)).size).toBeGreaterThanOrEqual(4)
    expect(
      page.items.some((i) => i.kind === 'proposal' && i.proposal?.scope === 'range' && i.anchor),
    ).toBe(true)
    expect(page.items.every((i) => !i.sectionRemoved)).toBe(true)
    // Members' threads only: the demo's workshop also records threads on section 4.1.
    const members = (
      await citizen.get(`/api/processes/${process!.id}/threads?limit=200&origin=members`)
    ).json() as ThreadPage
    const withHidden = members.items.find((i) => i.sectionTitle.startsWith('4.1'))!
    // The hidden reply is the citizen's own: they read it, marked; others see the reason only.
    const read = (await citizen.get(`/api/threads/${withHidden.id}`)).json() as Thread
    expect(read.replies.some((r) => r.hidden !== null && r.body !== null)).toBe(true)
    const observer = await signIn('observer@example.org')
    const seen = (await observer.get(`/api/threads/${withHidden.id}`)).json() as Thread
    expect(seen.replies.some((r) => r.hidden !== null && r.body === null)).toBe(true)
    const facilitator = await signIn('facilitator@example.org')
    const queue = (
      await facilitator.get(`/api/processes/${process!.id}/moderation/queue`)
    ).json() as unknown[]
    expect(queue).toHaveLength(1)
    const inbox = (await facilitator.get('/api/notifications')).json() as NotificationList
    expect(inbox.items.map((n) => n.kind)).toEqual(['mention'])
    const secretariat = await signIn('secretariat@example.org')
    expect(
      ((await secretariat.get(`/api/processes/${process!.id}/moderation/log`)).json() as unknown[])
        .length,
    ).toBe(2) // the hidden reply, and the public comment hidden in the demo consultation
    // The anchored passages are found in the stored drafts.
    const proposal = page.items.find((i) => i.kind === 'proposal' && i.anchor)!
    const doc = await storedDoc(demo.db, proposal.documentId)
    expect(findText(doc, proposal.anchor!.quote)).toBeTruthy()
  })
})

describe('races and integrity (review findings)', () => {
  it('applies only one of several competing proposals on one passage, even in parallel', async () => {
    const w = await world()
    const anchor = await anchorFor(db, w.documentId, 'within 24 hours')
    const threads: Thread[] = []
    for (let i = 0; i < 6; i++) {
      threads.push(
        await startThread(w, i % 2 === 0 ? 'stakeholder' : 'academic', {
          sectionId: sectionId(w.sections, 'Critical infrastructure'),
          kind: 'proposal',
          anchor,
          proposal: { scope: 'range', text: `within T${i} hours` },
        }),
      )
    }
    const results = await Promise.all(
      threads.map((th) => w.people.drafter.client.post(`/api/threads/${th.id}/apply`, {})),
    )
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409])
    const markdown = toMarkdown(await loadContent(db, w.documentId))
    expect(markdown).toMatch(/Operators report incidents within T\d hours\./)
  })

  it('does not apply a reopened accepted proposal again', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {
      kind: 'proposal',
      proposal: { scope: 'section', text: 'First.' },
    })
    expect(
      (await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})).statusCode,
    ).toBe(200)
    expect(
      (await w.people.drafter.client.post(`/api/threads/${thread.id}/reopen`, {})).statusCode,
    ).toBe(200)
    const again = await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})
    expect(again.statusCode).toBe(409)
  })

  it('keeps an anchor only inside its section and with the quote the document holds', async () => {
    const w = await world()
    const elsewhere = await anchorFor(db, w.documentId, 'within 24 hours')
    const url = `/api/documents/${w.documentId}/threads`
    const post = (anchor: object) =>
      w.people.stakeholder.client.post(url, {
        sectionId: sectionId(w.sections, 'Governance'),
        kind: 'comment',
        body: 'x',
        anchor,
      })
    expect((await post(elsewhere)).statusCode).toBe(400)
    expect((await post({ start: 'AAAA', end: 'AAAA', quote: 'x' })).statusCode).toBe(409)
    const own = await anchorFor(db, w.documentId, 'coordinates every ministry')
    const created = await post({ ...own, quote: 'something the draft never said' })
    expect(created.statusCode, created.body).toBe(201)
    expect((created.json() as Thread).anchor?.quote).toBe('coordinates every ministry')
  })

  it('takes a withdrawn proposal’s text out of reads and search, and withdrawn threads out of counts', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {
      kind: 'proposal',
      proposal: { scope: 'section', text: 'zebrasecret' },
    })
    expect(
      (await w.people.stakeholder.client.post(`/api/comments/${thread.root.id}/withdraw`, {}))
        .statusCode,
    ).toBe(200)
    const read = (await w.people.observer.client.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(read.proposal).toBeNull()
    expect(JSON.stringify(read)).not.toContain('zebrasecret')
    expect(
      (
        await w.people.observer.client.get(`/api/processes/${w.process.id}/threads?q=zebrasecret`)
      ).json().total,
    ).toBe(0)
    expect(
      (await w.people.observer.client.get(`/api/documents/${w.documentId}/thread-counts`)).json(),
    ).toEqual([])
    expect(
      (await w.people.drafter.client.post(`/api/threads/${thread.id}/apply`, {})).statusCode,
    ).toBe(409)
  })

  it('holds the posting limit under parallel requests', async () => {
    const w = await world()
    const thread = await startThread(w, 'drafter', {})
    const results = await Promise.all(
      Array.from({ length: LIMITS.commentsPerMinute + 8 }, (_, i) =>
        w.people.stakeholder.client.post(`/api/threads/${thread.id}/replies`, {
          body: `Parallel ${i}`,
        }),
      ),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(LIMITS.commentsPerMinute)
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(8)
  })

  it('lets nobody withdraw someone else’s comment, and refuses thread writes in an archived process', async () => {
    const w = await world()
    const thread = await startThread(w, 'stakeholder', {})
    expect(
      (await w.people.academic.client.post(`/api/comments/${thread.root.id}/withdraw`, {}))
        .statusCode,
    ).toBe(403)
    expect(
      (
        await w.people.secretariat.client.post(`/api/processes/${w.process.id}/archive`, {
          archived: true,
        })
      ).statusCode,
    ).toBe(200)
    expect(
      (await w.people.stakeholder.client.post(`/api/threads/${thread.id}/replies`, { body: 'x' }))
        .statusCode,
    ).toBe(409)
    expect(
      (await w.people.academic.client.post(`/api/threads/${thread.id}/endorsement`, {})).statusCode,
    ).toBe(409)
    expect((await w.people.observer.client.get(`/api/threads/${thread.id}`)).statusCode).toBe(200)
  })
})
