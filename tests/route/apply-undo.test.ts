import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { Thread } from '../../shared/api/threads'
import { loadContent, prepareServerEdit } from '../../server/documents/service'
import { toMarkdown } from '../../server/render/markdown'
import { createTestApp } from '../support/app'
import { anchorFor, findText, sectionId } from '../support/threads'
import { makeWorld, type World } from '../support/world'

// Issue 15, item 3: an applied proposal keeps the formatting of what it does not change and
// takes the formatting the proposal writes (Markdown: lists, emphasis, links), and it can be
// undone — a second Yjs change made on the server, logged, refused with 409 when the text the
// change wrote was edited since.

const t = await createTestApp()
const { db } = t

/** A draft whose Governance section has marks, a link and a list. */
const FORMATTED = `# Vision

A secure and resilient digital nation for everyone.

## Governance

The national cybersecurity council **coordinates** every [ministry](https://example.org/ministries).

- quarterly reports
- yearly review

## Critical infrastructure

Operators report incidents within *24 hours* to the agency.
`

const GOVERNANCE = FORMATTED.slice(
  FORMATTED.indexOf('## Governance'),
  FORMATTED.indexOf('## Critical infrastructure'),
)

const updates = async (documentId: string) =>
  (
    await db
      .selectFrom('doc_updates')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('document_id', '=', documentId)
      .executeTakeFirstOrThrow()
  ).n

const markdownOf = async (w: World) => toMarkdown(await loadContent(db, w.documentId))

async function propose(
  w: World,
  proposal: { scope: 'range' | 'section'; text: string },
  quote?: string,
  section = 'Governance',
): Promise<Thread> {
  const sections = (
    await w.owner.get(`/api/documents/${w.documentId}/sections`)
  ).json() as Section[]
  const response = await w.people.stakeholder.post(`/api/documents/${w.documentId}/threads`, {
    sectionId: sectionId(sections, section),
    kind: 'proposal',
    body: 'A better wording.',
    proposal,
    ...(quote ? { anchor: await anchorFor(db, w.documentId, quote) } : {}),
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as Thread
}

async function apply(w: World, thread: Thread): Promise<Thread> {
  const response = await w.people.drafter.post(`/api/threads/${thread.id}/apply`, {})
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as Thread
}

const undo = (w: World, thread: Thread, who: 'owner' | 'drafter' = 'drafter') =>
  (who === 'owner' ? w.owner : w.people.drafter).post(`/api/threads/${thread.id}/undo-apply`, {})

describe('applying a proposal keeps formatting', () => {
  it('a section proposal keeps the blocks it does not change, marks, link and list included', async () => {
    const w = await makeWorld(t, FORMATTED)
    // The proposer starts from the section's text as the preview shows it, and adds a paragraph.
    const thread = await propose(w, {
      scope: 'section',
      text: 'The national cybersecurity council coordinates every ministry.\n\nquarterly reports\nyearly review\n\nIt meets every quarter.',
    })
    await apply(w, thread)
    expect(await markdownOf(w)).toContain(
      '## Governance\n\nThe national cybersecurity council **coordinates** every [ministry](https://example.org/ministries).\n\n' +
        '- quarterly reports\n- yearly review\n\nIt meets every quarter.\n\n## Critical infrastructure',
    )
  })

  it('a section proposal written in Markdown is applied with its list, emphasis and link', async () => {
    const w = await makeWorld(t, FORMATTED)
    const thread = await propose(w, {
      scope: 'section',
      text: 'A council *chaired* by the **President**, see [the decree](https://example.org/decree).\n\n- meets monthly\n- reports yearly\n\n# Not a new section',
    })
    const applied = await apply(w, thread)
    expect(applied.applied).toMatchObject({ scope: 'section', undoable: true })
    const markdown = await markdownOf(w)
    expect(markdown).toContain(
      '## Governance\n\nA council *chaired* by the **President**, see [the decree](https://example.org/decree).\n\n' +
        '- meets monthly\n- reports yearly\n\nNot a new section\n\n## Critical infrastructure',
    )
    const sections = (
      await w.owner.get(`/api/documents/${w.documentId}/sections`)
    ).json() as Section[]
    expect(sections.map((s) => s.title)).toEqual([
      'Vision',
      'Governance',
      'Critical infrastructure',
    ])
  })

  it('a passage proposal keeps the formatting of the words it leaves as they are', async () => {
    const w = await makeWorld(t, FORMATTED)
    // The replacement shares "council " and " every ministry" with the passage: those keep
    // their bold and link, and the new word takes the bold of the word it replaces.
    const plain = await propose(
      w,
      { scope: 'range', text: 'council oversees every ministry' },
      'council coordinates every ministry',
    )
    await apply(w, plain)
    const markdown = await markdownOf(w)
    expect(markdown).toContain(
      'The national cybersecurity council **oversees** every [ministry](https://example.org/ministries).',
    )
  })
})

describe('undoing an applied change', () => {
  it('restores a section exactly, with a second change, logged; the proposal can be applied again', async () => {
    const w = await makeWorld(t, FORMATTED)
    const thread = await propose(w, {
      scope: 'section',
      text: 'A council chaired by the President.',
    })
    await apply(w, thread)
    expect(await markdownOf(w)).not.toContain('quarterly reports')
    const before = await updates(w.documentId)
    const response = await undo(w, thread)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ status: 'open', applied: null })
    expect(await updates(w.documentId)).toBe(before + 1)
    expect(await markdownOf(w)).toContain(GOVERNANCE)
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', thread.id)
      .orderBy('id')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['thread.applied', 'thread.undone'])
    expect(audit[1]!.details).toMatchObject({ number: thread.number, documentId: w.documentId })
    // Undone once is undone: a second undo has nothing to undo.
    const again = await undo(w, thread)
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('conflict')
    await apply(w, thread)
    expect(await markdownOf(w)).toContain(
      '## Governance\n\nA council chaired by the President.\n\n##',
    )
  })

  it('restores a passage with its formatting', async () => {
    const w = await makeWorld(t, FORMATTED)
    const thread = await propose(
      w,
      { scope: 'range', text: 'oversees all agencies' },
      'coordinates every ministry',
    )
    await apply(w, thread)
    expect(await markdownOf(w)).toContain('council **oversees all agencies**.')
    const response = await undo(w, thread, 'owner')
    expect(response.statusCode, response.body).toBe(200)
    expect(await markdownOf(w)).toContain(GOVERNANCE)
  })

  it('is refused with 409, changing nothing, when the written text was edited since', async () => {
    const w = await makeWorld(t, FORMATTED)
    const passage = await propose(
      w,
      { scope: 'range', text: 'within 72 hours to the agency' },
      'within 24 hours to the agency',
      'Critical infrastructure',
    )
    const section = await propose(w, {
      scope: 'section',
      text: 'A council chaired by the President.',
    })
    await apply(w, passage)
    await apply(w, section)
    const edit = await prepareServerEdit(db, w.documentId, (doc) => {
      const hours = findText(doc, '72 hours')
      hours.text.insert(hours.index, 'about ')
      const council = findText(doc, 'chaired by')
      council.text.insert(council.index, 'newly ')
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const before = await updates(w.documentId)
    const markdown = await markdownOf(w)
    for (const thread of [passage, section]) {
      const refused = await undo(w, thread)
      expect(refused.statusCode, refused.body).toBe(409)
      expect(refused.json()).toMatchObject({ code: 'conflict' })
      expect(refused.json().message).toMatch(/edited since/)
      const stored = (await w.people.drafter.get(`/api/threads/${thread.id}`)).json() as Thread
      expect(stored.status).toBe('accepted')
      expect(stored.applied).not.toBeNull()
    }
    expect(await updates(w.documentId)).toBe(before)
    expect(await markdownOf(w)).toBe(markdown)
  })

  it('is allowed to those who may apply: others 403, outsiders 404, a bad id 400, nothing applied 409', async () => {
    const w = await makeWorld(t, FORMATTED)
    const thread = await propose(w, { scope: 'section', text: 'Replacement.' })
    expect((await undo(w, thread)).statusCode).toBe(409)
    await apply(w, thread)
    for (const client of [w.people.stakeholder, w.people.observer, w.people.facilitator]) {
      const response = await client.post(`/api/threads/${thread.id}/undo-apply`, {})
      expect(response.statusCode).toBe(403)
      expect(response.json().code).toBe('forbidden')
    }
    const outsider = await makeWorld(t)
    expect((await outsider.owner.post(`/api/threads/${thread.id}/undo-apply`, {})).statusCode).toBe(
      404,
    )
    expect((await w.owner.post('/api/threads/not-a-uuid/undo-apply', {})).statusCode).toBe(400)
    expect(await markdownOf(w)).toContain('## Governance\n\nReplacement.\n\n##')
  })
})
