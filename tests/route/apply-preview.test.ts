import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { ApplyPreview, Thread } from '../../shared/api/threads'
import { loadContent, prepareServerEdit } from '../../server/documents/service'
import { toMarkdown } from '../../server/render/markdown'
import { createTestApp, type Client } from '../support/app'
import { anchorFor, findText, sectionId } from '../support/threads'
import { makeWorld, type World } from '../support/world'

// Issue 15, item 3: applying a proposed change is no longer one click with no safeguard. The
// workspace first asks what the change would replace (GET …/apply-preview), shows the
// before/after and applies only once confirmed. The preview writes nothing.

const t = await createTestApp()
const { db } = t

const updates = async (documentId: string) =>
  (
    await db
      .selectFrom('doc_updates')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('document_id', '=', documentId)
      .executeTakeFirstOrThrow()
  ).n

async function propose(w: World, body: Record<string, unknown>): Promise<Thread> {
  const sections = (
    await w.owner.get(`/api/documents/${w.documentId}/sections`)
  ).json() as Section[]
  const response = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
    sectionId: sectionId(sections, 'Governance'),
    kind: 'proposal',
    body: 'A better wording.',
    ...body,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Thread
}

const preview = (client: Client, threadId: string) =>
  client.get(`/api/threads/${threadId}/apply-preview`)

describe('the preview of a proposed change', () => {
  it('shows a passage’s current text and its replacement, and changes nothing', async () => {
    const w = await makeWorld(t)
    const thread = await propose(w, {
      anchor: await anchorFor(db, w.documentId, 'coordinates every ministry'),
      proposal: { scope: 'range', text: 'oversees every agency' },
    })
    const before = await updates(w.documentId)
    const response = await preview(w.people.drafter, thread.id)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({
      scope: 'range',
      before: 'coordinates every ministry',
      after: 'oversees every agency',
      passageChanged: false,
    } satisfies ApplyPreview)
    expect(await updates(w.documentId)).toBe(before)
    expect(toMarkdown(await loadContent(db, w.documentId))).toContain(
      'The national cybersecurity council coordinates every ministry.',
    )
    const again = (await w.people.drafter.get(`/api/threads/${thread.id}`)).json() as Thread
    expect(again.status).toBe('open')
    expect(again.applied).toBeNull()
  })

  it('shows the current text of a passage edited since, marked as changed', async () => {
    const w = await makeWorld(t)
    const thread = await propose(w, {
      anchor: await anchorFor(db, w.documentId, 'coordinates every ministry'),
      proposal: { scope: 'range', text: 'oversees every agency' },
    })
    const edit = await prepareServerEdit(db, w.documentId, (doc) => {
      const found = findText(doc, 'every ministry')
      found.text.insert(found.index + 'every '.length, 'single ')
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const response = await preview(w.owner, thread.id)
    expect(response.json()).toEqual({
      scope: 'range',
      before: 'coordinates every single ministry',
      after: 'oversees every agency',
      passageChanged: true,
    })
  })

  it('shows a section’s whole text and the paragraphs that would replace it', async () => {
    const w = await makeWorld(t)
    const thread = await propose(w, {
      proposal: { scope: 'section', text: 'A council chaired by the President.\n\nIt meets.' },
    })
    const before = await updates(w.documentId)
    const response = await preview(w.owner, thread.id)
    expect(response.json()).toEqual({
      scope: 'section',
      before: 'The national cybersecurity council coordinates every ministry.',
      after: 'A council chaired by the President.\n\nIt meets.',
      passageChanged: false,
    })
    expect(await updates(w.documentId)).toBe(before)
  })

  it('refuses as applying does: wrong role 403, outsiders 404, no proposal or applied already 409', async () => {
    const w = await makeWorld(t)
    const thread = await propose(w, {
      proposal: { scope: 'section', text: 'Replacement.' },
    })
    expect((await preview(w.people.stakeholder, thread.id)).statusCode).toBe(403)
    expect((await preview(w.people.observer, thread.id)).statusCode).toBe(403)
    const outsider = await makeWorld(t)
    expect((await preview(outsider.owner, thread.id)).statusCode).toBe(404)
    expect((await preview(w.owner, 'not-a-uuid')).statusCode).toBe(400)
    const sections = (
      await w.owner.get(`/api/documents/${w.documentId}/sections`)
    ).json() as Section[]
    const comment = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: sectionId(sections, 'Vision'),
      kind: 'comment',
      body: 'Just a remark.',
    })
    expect((await preview(w.owner, (comment.json() as Thread).id)).statusCode).toBe(409)
    expect((await w.owner.post(`/api/threads/${thread.id}/apply`, {})).statusCode).toBe(200)
    const applied = await preview(w.owner, thread.id)
    expect(applied.statusCode).toBe(409)
    expect(applied.json().code).toBe('conflict')
  })
})
