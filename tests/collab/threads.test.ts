import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Thread } from '../../shared/api/threads'
import type { Role } from '../../shared/domain/roles'
import { decodeAnchor, resolveAnchor, textBetween } from '../../server/comments/anchors'
import type { TestUser } from '../support/factories'
import { anchorIn, findText, sectionId, storedDoc, THREAD_DRAFT } from '../support/threads'
import { staysTrueFor, waitFor } from '../support/wait-for'
import { connectClient, listenToEvents, signInWithCsrf, startCollabServer } from './harness'

const server = await startCollabServer()
afterAll(() => server.close())

interface Person {
  user: TestUser
  cookie: string
  csrfToken: string
}

async function setUp(roles: Role[]) {
  const users = await Promise.all(roles.map(() => server.factories.createUser()))
  const process = await server.factories.createProcess({
    members: users.map((user, i) => ({
      user,
      role: roles[i]!,
      group: i % 2 === 0 ? 'academia' : 'civil-society',
    })),
  })
  const { id: documentId } = await server.factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const people: Person[] = []
  for (const user of [process.secretariat, ...users]) {
    people.push({ user, ...(await signInWithCsrf(server.app, user)) })
  }
  return { process, documentId, people }
}

async function api(person: Person, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      cookie: person.cookie,
      'x-csrf-token': person.csrfToken,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  return { status: response.status, json: (text ? JSON.parse(text) : undefined) as unknown }
}

describe('live thread events', () => {
  it('reach every open page of the process within a second; hidden threads only reach moderators', async () => {
    const { process, documentId, people } = await setUp(['stakeholder', 'facilitator'])
    const [secretariat, stakeholder, facilitator] = people as [Person, Person, Person]
    const sections = (await api(secretariat, 'GET', `/api/documents/${documentId}/sections`))
      .json as Section[]
    const member = listenToEvents(server, stakeholder.cookie, `?process=${process.id}`)
    const moderator = listenToEvents(server, facilitator.cookie, `?process=${process.id}`)
    const outsiderUser = await server.factories.createUser()
    const outsider = { user: outsiderUser, ...(await signInWithCsrf(server.app, outsiderUser)) }
    expect((await api(outsider, 'GET', `/api/events?process=${process.id}`)).status).toBe(404)

    await Promise.all([member.opened, moderator.opened])

    const started = Date.now()
    const created = await api(secretariat, 'POST', `/api/documents/${documentId}/threads`, {
      sectionId: sectionId(sections, 'Governance'),
      kind: 'comment',
      body: 'Live?',
    })
    expect(created.status).toBe(201)
    const thread = created.json as Thread
    await waitFor(
      () => member.events.some((e) => e.event === 'thread' && e.data.threadId === thread.id),
      { timeoutMs: 1_000 },
    )
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(member.events[0]!.data).toEqual({
      type: 'thread',
      processId: process.id,
      documentId,
      threadId: thread.id,
      sectionId: sectionId(sections, 'Governance'),
    })

    // A reply, an endorsement and a resolution each arrive too.
    const before = member.events.length
    await api(stakeholder, 'POST', `/api/threads/${thread.id}/replies`, { body: 'Yes' })
    await api(facilitator, 'POST', `/api/threads/${thread.id}/endorsement`, {})
    await api(secretariat, 'POST', `/api/threads/${thread.id}/resolve`, {})
    await waitFor(() => member.events.length >= before + 3, { timeoutMs: 1_000 })

    // Hiding reaches every page (the thread goes: fetched again, it is a 404 for the member);
    // later changes to the hidden thread reach moderators only.
    const beforeHide = member.events.length
    await api(facilitator, 'POST', `/api/comments/${thread.root.id}/hide`, { reason: 'Test' })
    await waitFor(() => member.events.length > beforeHide, { timeoutMs: 1_000 })
    expect((await api(stakeholder, 'GET', `/api/threads/${thread.id}`)).status).toBe(404)
    const memberCount = member.events.length
    const moderatorCount = moderator.events.length
    expect((await api(secretariat, 'POST', `/api/threads/${thread.id}/reopen`, {})).status).toBe(
      200,
    )
    expect(
      (await api(secretariat, 'POST', `/api/threads/${thread.id}/endorsement`, {})).status,
    ).toBe(200)
    await waitFor(() => moderator.events.length >= moderatorCount + 2, { timeoutMs: 1_000 })
    await staysTrueFor(() => member.events.length === memberCount, 300)

    // Removed from the process, the member's stream ends.
    await api(
      secretariat,
      'DELETE',
      `/api/processes/${process.id}/members/${process.membershipIds.get(stakeholder.user.email)}`,
    )
    await waitFor(() => member.ended, { timeoutMs: 2_000 })
    await moderator.close()
  })

  it('carries a person’s notifications on every stream', async () => {
    const { documentId, people } = await setUp(['stakeholder'])
    const [secretariat, stakeholder] = people as [Person, Person]
    const sections = (await api(secretariat, 'GET', `/api/documents/${documentId}/sections`))
      .json as Section[]
    const inbox = listenToEvents(server, stakeholder.cookie)
    await inbox.opened
    const created = await api(secretariat, 'POST', `/api/documents/${documentId}/threads`, {
      sectionId: sectionId(sections, 'Vision'),
      kind: 'question',
      body: `@[Them](${stakeholder.user.id}) what do you think?`,
    })
    expect(created.status).toBe(201)
    await waitFor(() => inbox.events.some((e) => e.event === 'notification'), { timeoutMs: 1_000 })
    expect(inbox.events.filter((e) => e.event === 'thread')).toEqual([])
    await inbox.close()
  })
})

describe('applying a proposed change', () => {
  it('reaches connected editors live through their room, and anchors follow concurrent edits', async () => {
    const { documentId, people } = await setUp(['drafter'])
    const [secretariat, drafter] = people as [Person, Person]
    const editor = connectClient(server, documentId, { cookie: drafter.cookie })
    const reader = connectClient(server, documentId, { cookie: secretariat.cookie })
    await Promise.all([editor.synced(), reader.synced()])
    const sections = (await api(secretariat, 'GET', `/api/documents/${documentId}/sections`))
      .json as Section[]

    // The anchor is made on the editor's own copy, as the browser does.
    const anchor = anchorIn(editor.doc, 'within 24 hours')
    const created = await api(secretariat, 'POST', `/api/documents/${documentId}/threads`, {
      sectionId: sectionId(sections, 'Critical infrastructure'),
      kind: 'proposal',
      body: 'Use the EU deadline',
      anchor,
      proposal: { scope: 'range', text: 'within 72 hours' },
    })
    expect(created.status).toBe(201)
    const thread = created.json as Thread

    // Text typed at both edges of the passage, and elsewhere in the paragraph, while it is open.
    const run = findText(editor.doc, 'within 24 hours')
    editor.doc.transact(() => {
      run.text.insert(run.index + 'within 24 hours'.length, ' sharp')
      run.text.insert(run.index, 'strictly ')
      run.text.insert(0, 'All ')
    })
    await waitFor(async () =>
      plain(await storedDoc(server.db, documentId)).includes('strictly within 24 hours sharp'),
    )
    const stored = await storedDoc(server.db, documentId)
    const range = resolveAnchor(stored, decodeAnchor(anchor)!)
    expect(range).not.toBe('gone')
    expect(typeof range === 'object' && textBetween(range.text, range.from, range.to)).toBe(
      'within 24 hours',
    )

    const applied = await api(drafter, 'POST', `/api/threads/${thread.id}/apply`, {})
    expect(applied.status, JSON.stringify(applied.json)).toBe(200)
    await waitFor(
      () =>
        plain(reader.doc).includes(
          'All Operators report incidents strictly within 72 hours sharp.',
        ),
      { timeoutMs: 2_000 },
    )
    await waitFor(() => plain(editor.doc).includes('strictly within 72 hours sharp'), {
      timeoutMs: 2_000,
    })
    editor.destroy()
    reader.destroy()
  })
})

function plainOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[])
    .map((op) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('')
}

function plain(doc: Y.Doc): string {
  const parts: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        parts.push(plainOf(child))
      } else if (child instanceof Y.XmlElement) {
        walk(child)
      }
    }
  }
  walk(doc.getXmlFragment('prosemirror'))
  return parts.join('\n')
}
