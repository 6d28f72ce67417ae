import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Thread, ThreadPage } from '../../shared/api/threads'
import type { Version } from '../../shared/api/versions'
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../server/demo/seed'
import { prepareServerEdit } from '../../server/documents/service'
import { createTestApp, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import { anchorFor, findText, sectionId } from '../support/threads'
import { makeWorld, type World } from '../support/world'

// Threads across versions (issue 14, item 3): every thread remembers the text it was written
// on, shows what changed in its section and passage since, links to the change that answered
// it, and stays with its section through renames, moves and later versions.

const t = await createTestApp()
const { db, factories } = t

async function sectionsOf(w: World): Promise<Section[]> {
  return (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as Section[]
}

async function open(w: World, sectionTitle: string, extra: Record<string, unknown> = {}) {
  const section = sectionId(await sectionsOf(w), sectionTitle)
  const response = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
    sectionId: section,
    kind: 'comment',
    body: 'This needs a second look',
    ...extra,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Thread
}

async function read(client: Client, threadId: string): Promise<Thread> {
  const response = await client.get(`/api/threads/${threadId}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as Thread
}

async function edit(w: World, change: (doc: Y.Doc, fragment: Y.XmlFragment) => void) {
  const prepared = await prepareServerEdit(db, w.documentId, change)
  await db.transaction().execute((trx) => prepared.commit(trx))
}

async function freeze(w: World, name: string): Promise<Version> {
  const response = await w.owner.post(`/api/documents/${w.documentId}/versions`, { name })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Version
}

const indexOfSection = (fragment: Y.XmlFragment, id: string) =>
  fragment
    .toArray()
    .findIndex((n) => n instanceof Y.XmlElement && n.getAttribute('sectionId') === id)

const inserted = (thread: Thread) =>
  thread.textChange!.section.redline.filter((p) => p.op === 'insert').map((p) => p.text)

describe('the text a thread was written on', () => {
  it('is recorded when the thread is opened, with the version it was written against', async () => {
    const w = await makeWorld(t)
    const before = await open(w, 'Governance')
    expect(before.textChange).toEqual({
      isChanged: false,
      basis: 'recorded',
      writtenOn: null,
      section: {
        status: 'unchanged',
        titleThen: 'Governance',
        titleNow: 'Governance',
        redline: [],
      },
      passage: null,
    })
    const version = await freeze(w, 'Stakeholder draft')
    const after = await open(w, 'Governance')
    expect(after.textChange?.writtenOn).toEqual({
      versionId: version.id,
      number: 1,
      name: 'Stakeholder draft',
    })
    const row = await db
      .selectFrom('threads')
      .select(['written_section', 'written_version_id'])
      .where('id', '=', after.id)
      .executeTakeFirstOrThrow()
    expect(row.written_version_id).toBe(version.id)
    expect(JSON.stringify(row.written_section)).toContain('every ministry')
    expect(JSON.stringify(row.written_section)).not.toContain('Operators report')
  })

  it('shows "changed since" with the word-level redline of just its section, in the thread and the list', async () => {
    const w = await makeWorld(t)
    const governance = await open(w, 'Governance')
    const vision = await open(w, 'Vision')
    await edit(w, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    const changed = await read(w.people.observer, governance.id)
    expect(changed.textChange).toMatchObject({
      isChanged: true,
      section: { status: 'changed', titleThen: 'Governance', titleNow: 'Governance' },
    })
    expect(inserted(changed)).toEqual(['single '])
    expect(changed.textChange!.section.redline.map((p) => p.text).join('')).toBe(
      'The national cybersecurity council coordinates every single ministry.',
    )
    // Another section's thread is untouched.
    expect((await read(w.people.observer, vision.id)).textChange).toMatchObject({
      isChanged: false,
      section: { status: 'unchanged', redline: [] },
    })
    // The threads list carries the same.
    const page = (
      await w.people.observer.get(`/api/processes/${w.process.id}/threads?document=${w.documentId}`)
    ).json() as ThreadPage
    const listed = page.items.find((i) => i.id === governance.id)!
    expect(listed.textChange).toEqual(changed.textChange)
    expect(page.items.find((i) => i.id === vision.id)!.textChange?.isChanged).toBe(false)
  })

  it('stays with its section through a rename and a move, into a later version', async () => {
    const w = await makeWorld(t)
    const thread = await open(w, 'Critical infrastructure')
    const id = thread.sectionId
    const governanceId = sectionId(await sectionsOf(w), 'Governance')
    // Renamed, then moved before Governance (as an editor moves blocks: new copies, old ones deleted).
    await edit(w, (doc, fragment) => {
      findText(doc, 'Critical infrastructure').text.insert(0, 'Essential and ')
      const from = indexOfSection(fragment, id)
      const blocks = fragment.slice(from, from + 2).map((n) => (n as Y.XmlElement).clone())
      fragment.delete(from, 2)
      fragment.insert(indexOfSection(fragment, governanceId), blocks)
    })
    const version = await freeze(w, 'After the move')
    expect(version.sections.map((s) => s.title)).toEqual([
      'Vision',
      'Essential and Critical infrastructure',
      'Governance',
    ])
    expect(version.sections[1]!.id).toBe(id)
    const moved = await read(w.people.observer, thread.id)
    expect(moved).toMatchObject({
      sectionId: id,
      sectionTitle: 'Essential and Critical infrastructure',
      sectionRemoved: false,
    })
    expect(moved.textChange).toMatchObject({
      isChanged: true,
      section: {
        status: 'renamed',
        titleThen: 'Critical infrastructure',
        titleNow: 'Essential and Critical infrastructure',
        redline: [],
      },
    })
    // Listed under its section in the new order.
    const page = (
      await w.people.observer.get(`/api/processes/${w.process.id}/threads?section=${id}`)
    ).json() as ThreadPage
    expect(page.items.map((i) => i.id)).toEqual([thread.id])
  })

  it('says when its section was deleted, with the section’s text struck through', async () => {
    const w = await makeWorld(t)
    const thread = await open(w, 'Critical infrastructure')
    await edit(w, (_doc, fragment) => {
      fragment.delete(indexOfSection(fragment, thread.sectionId), 2)
    })
    const gone = await read(w.people.observer, thread.id)
    expect(gone.sectionRemoved).toBe(true)
    expect(gone.textChange).toMatchObject({
      isChanged: true,
      section: { status: 'removed', titleThen: 'Critical infrastructure', titleNow: null },
    })
    expect(gone.textChange!.section.redline).toEqual([
      { op: 'delete', text: 'Operators report incidents within 24 hours.' },
    ])
  })

  it('compares a passage thread’s passage with what it quoted: changed, then deleted', async () => {
    const w = await makeWorld(t)
    const anchor = await anchorFor(db, w.documentId, 'coordinates every ministry')
    const thread = await open(w, 'Governance', { anchor })
    expect(thread.textChange?.passage).toEqual({
      status: 'unchanged',
      then: 'coordinates every ministry',
      now: 'coordinates every ministry',
      redline: [],
    })
    // A word inside the passage is replaced (its edges stay: typed at an edge, text stays out).
    await edit(w, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.delete(passage.index, 'every'.length)
      passage.text.insert(passage.index, 'each')
    })
    const changed = await read(w.people.observer, thread.id)
    expect(changed.textChange?.isChanged).toBe(true)
    expect(changed.textChange?.passage).toMatchObject({
      status: 'changed',
      then: 'coordinates every ministry',
      now: 'coordinates each ministry',
    })
    expect(changed.textChange!.passage!.redline).toEqual([
      { op: 'equal', text: 'coordinates ' },
      { op: 'delete', text: 'every' },
      { op: 'insert', text: 'each' },
      { op: 'equal', text: ' ministry' },
    ])
    await edit(w, (doc) => {
      const passage = findText(doc, 'coordinates each ministry')
      passage.text.delete(passage.index, 'coordinates each ministry'.length)
    })
    const deleted = await read(w.people.observer, thread.id)
    expect(deleted.textChange?.passage).toMatchObject({ status: 'removed', now: null })
  })

  it('falls back to the version an older thread was written against, and to nothing without one', async () => {
    const w = await makeWorld(t)
    const version = await freeze(w, 'First')
    const thread = await open(w, 'Governance')
    await edit(w, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    // As a thread from before migration 0017 is: no recorded section, the backfilled version.
    await db
      .updateTable('threads')
      .set({ written_section: null })
      .where('id', '=', thread.id)
      .execute()
    const older = await read(w.people.observer, thread.id)
    expect(older.textChange).toMatchObject({
      basis: 'version',
      writtenOn: { versionId: version.id, number: 1 },
      section: { status: 'changed' },
    })
    expect(inserted(older)).toEqual(['single '])
    await db
      .updateTable('threads')
      .set({ written_version_id: null })
      .where('id', '=', thread.id)
      .execute()
    expect((await read(w.people.observer, thread.id)).textChange).toBeNull()
  })
})

describe('a public comment', () => {
  it('is written on the consultation’s frozen version, and shows what the live draft changed since', async () => {
    const w = await makeWorld(t)
    const consultation = await openConsultation(w.owner, w.process.id, w.documentId)
    // Drafting goes on in the live draft while the consultation shows the frozen text.
    await edit(w, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    const governance = sectionId(await sectionsOf(w), 'Governance')
    const sent = await t.app.inject({
      method: 'POST',
      url: `/c/${consultation.slug}/comments`,
      payload: JSON.stringify({
        sectionId: governance,
        stakeholderGroup: 'civil-society',
        consent: 'yes',
        body: 'Name the ministries, please.',
      }),
      headers: { 'content-type': 'application/json' },
      remoteAddress: '10.14.3.7',
    })
    expect(sent.statusCode, sent.body).toBe(201)
    const page = (
      await w.owner.get(`/api/processes/${w.process.id}/threads?consultation=${consultation.id}`)
    ).json() as ThreadPage
    expect(page.items).toHaveLength(1)
    const thread = page.items[0]!
    expect(thread.textChange).toMatchObject({
      isChanged: true,
      basis: 'recorded',
      writtenOn: { versionId: consultation.versionId },
      section: { status: 'changed' },
    })
    expect(thread.textChange!.section.redline.filter((p) => p.op === 'insert')).toEqual([
      { op: 'insert', text: 'single ' },
    ])
  })
})

describe('the change that answered a thread', () => {
  it('links a resolved thread to the first version after the answer in which its section changed', async () => {
    const w = await makeWorld(t)
    const first = await freeze(w, 'First')
    const thread = await open(w, 'Governance')
    const resolved = await w.people.drafter.post(`/api/threads/${thread.id}/resolve`, {})
    expect(resolved.statusCode, resolved.body).toBe(200)
    expect((resolved.json() as Thread).answeredIn).toBeNull()
    // A version where only another section changed does not answer it.
    await edit(w, (doc) => findText(doc, 'Operators report').text.insert(0, 'All '))
    await freeze(w, 'Second')
    await edit(w, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    const third = await freeze(w, 'Third')
    const answered = await read(w.people.observer, thread.id)
    expect(answered.answeredIn).toMatchObject({
      how: 'version',
      version: { versionId: third.id, number: 3, name: 'Third' },
    })
    expect(answered.answeredIn!.previousVersionId).not.toBe(first.id)
    expect(answered.answeredIn!.previousVersionId).not.toBeNull()
    expect(answered.answeredIn!.redline.filter((p) => p.op === 'insert')).toEqual([
      { op: 'insert', text: 'single ' },
    ])
  })

  it('links an applied proposal to its change, and to the version that first holds it', async () => {
    const w = await makeWorld(t)
    const anchor = await anchorFor(db, w.documentId, 'coordinates every ministry')
    const proposal = await open(w, 'Governance', {
      kind: 'proposal',
      anchor,
      proposal: { scope: 'range', text: 'oversees every agency' },
    })
    const applied = await w.people.drafter.post(`/api/threads/${proposal.id}/apply`, {})
    expect(applied.statusCode, applied.body).toBe(200)
    const now = applied.json() as Thread
    expect(now.answeredIn).toMatchObject({ how: 'applied', version: null, previousVersionId: null })
    expect(now.answeredIn!.redline.map((p) => [p.op, p.text])).toEqual([
      ['delete', 'coordinates'],
      ['insert', 'oversees'],
      ['equal', ' every '],
      ['delete', 'ministry'],
      ['insert', 'agency'],
    ])
    const version = await freeze(w, 'With the change')
    const later = await read(w.people.observer, proposal.id)
    expect(later.answeredIn).toMatchObject({
      how: 'applied',
      version: { versionId: version.id, number: 1, name: 'With the change' },
      previousVersionId: null,
    })
    expect(later.answeredIn!.redline.filter((p) => p.op === 'insert').map((p) => p.text)).toEqual([
      'oversees',
      'agency',
    ])
    // Applying rewrites only the words that differ (" every " stays), so the passage it quoted
    // is still anchored and reads as the proposal now; its section reads otherwise too.
    expect(later.textChange).toMatchObject({
      isChanged: true,
      section: { status: 'changed' },
      passage: { status: 'changed', now: 'oversees every agency' },
    })
  })
})

describe('access', () => {
  it('is the thread’s own: 401 signed out, 404 to outsiders, and everyone in the process reads it', async () => {
    const w = await makeWorld(t)
    const thread = await open(w, 'Governance')
    expect((await t.anonymous.get(`/api/threads/${thread.id}`)).statusCode).toBe(401)
    const outsider = await t.as(await factories.createUser())
    const refused = await outsider.get(`/api/threads/${thread.id}`)
    expect(refused.statusCode).toBe(404)
    expect(refused.body).not.toContain('every ministry')
    expect((await t.anonymous.get(`/api/threads/not-a-uuid`)).statusCode).toBe(401)
    expect((await w.people.observer.get(`/api/threads/not-a-uuid`)).statusCode).toBe(400)
    for (const client of Object.values(w.people)) {
      expect((await read(client, thread.id)).textChange?.basis).toBe('recorded')
    }
  })
})

describe('the demo', () => {
  it('has a question on the zero draft whose passage changed since, answered in a later version', async () => {
    expect(await seedDemo(db)).toBe(true)
    const secretariat = DEMO_PEOPLE[0]!
    const client = await t.as({
      id: '',
      email: secretariat.email,
      password: DEMO_PASSWORD,
      name: '',
      isAdmin: true,
    })
    const processes = (await client.get('/api/processes')).json() as { id: string }[]
    const found: Thread[] = []
    for (const process of processes) {
      const page = (
        await client.get(`/api/processes/${process.id}/threads?limit=100`)
      ).json() as ThreadPage
      found.push(...(page.items as Thread[]))
    }
    const question = found.find((item) => item.root.body?.includes('two regional hospitals'))!
    expect(question.textChange).toMatchObject({
      isChanged: true,
      section: { status: 'changed', titleThen: 'Introduction' },
      passage: {
        status: 'changed',
        then: 'ransomware has stopped the services of two regional hospitals',
        now: 'ransomware has stopped the services of three regional hospitals',
      },
    })
    expect(question.answeredIn).toMatchObject({
      how: 'version',
      version: { number: 2, name: 'Draft for stakeholder review' },
    })
    expect(question.answeredIn!.redline.filter((p) => p.op !== 'equal').map((p) => p.text)).toEqual(
      ['two', 'three'],
    )
  })
})
