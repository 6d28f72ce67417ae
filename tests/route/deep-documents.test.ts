import { Node } from 'prosemirror-model'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Section } from '../../shared/api/documents'
import type { Version } from '../../shared/api/versions'
import { NESTING_DEPTH_MAX, schema } from '../../shared/schema'
import { appendUpdates, loadState } from '../../server/documents/state'
import { createTestApp } from '../support/app'
import { openConsultation } from '../support/consultations'
import { makeWorld } from '../support/world'

// Issue 12, item 3: a document that nests far deeper than the schema allows, stored before the
// server enforced it (written here straight to the database, past the collaboration guard),
// still exports, lists its sections, freezes into a version and opens for consultation; what
// is too deep is flattened.

const t = await createTestApp()

const DEPTH = 1200

/** Appends, behind the document's stored state, `depth` nested blockquotes around a paragraph. */
async function storeDeepQuotes(documentId: string, depth: number, words: string): Promise<void> {
  const state = await loadState(t.db, documentId)
  const doc = new Y.Doc()
  if (state.update) {
    Y.applyUpdate(doc, state.update)
  }
  const before = Y.encodeStateVector(doc)
  doc.transact(() => {
    const fragment = doc.getXmlFragment('prosemirror')
    // One level at a time: Yjs integrates a prepared tree recursively.
    let into: Y.XmlFragment = fragment
    for (let i = 0; i < depth; i++) {
      const quote = new Y.XmlElement('blockquote')
      into.insert(into === fragment ? into.length : 0, [quote])
      into = quote
    }
    const paragraph = new Y.XmlElement('paragraph')
    into.insert(0, [paragraph])
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    text.insert(0, words, { strong: {} })
  })
  expect(await appendUpdates(t.db, documentId, [Y.encodeStateAsUpdate(doc, before)])).toHaveLength(
    1,
  )
}

/** The depth of a ProseMirror document given as JSON (text nodes count), walked iteratively. */
function depthOf(json: unknown): number {
  let deepest = 0
  const pending: [{ content?: unknown[] }, number][] = [[json as { content?: unknown[] }, 0]]
  for (let entry = pending.pop(); entry; entry = pending.pop()) {
    const [node, depth] = entry
    deepest = Math.max(deepest, depth)
    for (const child of node.content ?? []) {
      pending.push([child as { content?: unknown[] }, depth + 1])
    }
  }
  return deepest
}

async function deepWorld(depth = DEPTH) {
  const w = await makeWorld(t, '# Introducción\n\nEl texto de siempre.\n\n# Objetivos\n\nProteger.')
  await storeDeepQuotes(w.documentId, depth, 'Lo más profundo')
  return w
}

describe(`a stored document ${DEPTH} levels deep`, () => {
  it('exports as HTML, Markdown and JSON, flattened within the nesting limit', async () => {
    const w = await deepWorld()
    const html = await w.owner.get(`/api/documents/${w.documentId}/export?format=html`)
    expect(html.statusCode, html.body).toBe(200)
    expect(html.body).toContain('El texto de siempre.')
    expect(html.body).toContain('<strong>Lo más profundo</strong>')
    expect(html.body.split('<blockquote>').length - 1).toBeLessThan(NESTING_DEPTH_MAX)

    const md = await w.owner.get(`/api/documents/${w.documentId}/export?format=md`)
    expect(md.statusCode, md.body).toBe(200)
    expect(md.body).toContain('**Lo más profundo**')

    const json = await w.owner.get(`/api/documents/${w.documentId}/export?format=json`)
    expect(json.statusCode, json.body).toBe(200)
    const parsed = json.json() as unknown
    expect(depthOf(parsed)).toBeLessThanOrEqual(NESTING_DEPTH_MAX)
    // What was flattened is still a valid document of the schema.
    const doc = Node.fromJSON(schema, parsed)
    expect(() => doc.check()).not.toThrow()
    expect(doc.textContent).toContain('Lo más profundo')
  })

  it('lists its sections', async () => {
    const w = await deepWorld()
    const response = await w.owner.get(`/api/documents/${w.documentId}/sections`)
    expect(response.statusCode, response.body).toBe(200)
    expect((response.json() as Section[]).map((s) => s.title)).toEqual([
      'Introducción',
      'Objetivos',
    ])
  })

  it('freezes into a version that exports', async () => {
    const w = await deepWorld()
    const created = await w.owner.post(`/api/documents/${w.documentId}/versions`, {
      name: 'Borrador profundo',
    })
    expect(created.statusCode, created.body).toBe(201)
    const version = created.json() as Version
    expect((await w.owner.get(`/api/documents/${w.documentId}/versions`)).json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: version.id })]),
    )
    for (const format of ['html', 'md', 'json']) {
      const exported = await w.owner.get(`/api/versions/${version.id}/export?format=${format}`)
      expect(exported.statusCode, `${format}: ${exported.body.slice(0, 200)}`).toBe(200)
      expect(exported.body).toContain('Lo más profundo')
    }
  })

  it('opens for public consultation, and the public page shows it', async () => {
    const w = await deepWorld()
    const consultation = await openConsultation(w.owner, w.process.id, w.documentId)
    const page = await t.anonymous.get(`/c/${consultation.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Lo más profundo')
    expect(page.body).toContain('Introducción')
  })

  it('still answers when it is 20,000 levels deep: sections, a version, a consultation', async () => {
    const w = await deepWorld(20_000)
    const sections = await w.owner.get(`/api/documents/${w.documentId}/sections`)
    expect(sections.statusCode, sections.body).toBe(200)
    expect((sections.json() as Section[]).map((s) => s.title)).toEqual([
      'Introducción',
      'Objetivos',
    ])
    const consultation = await openConsultation(w.owner, w.process.id, w.documentId)
    const page = await t.anonymous.get(`/c/${consultation.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Lo más profundo')
  })
})
