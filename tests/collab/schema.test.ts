import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCodes } from '../../shared/collab/close-codes'
import { countStoredUpdates } from '../../server/documents/state'
import { waitFor } from '../support/wait-for'
import {
  connectClient,
  setUpDocument,
  signIn,
  startCollabServer,
  storedDoc,
  type TestClient,
} from './harness'

// Issue 12, item 3: the server enforces the document schema on what it stores. A writer's
// unmodified y-websocket provider that sends what the schema does not allow is closed with
// SchemaViolation, and nothing of it is stored or reaches anyone else.

const server = await startCollabServer()
afterAll(() => server.close())

/** Two drafters in sync on a fresh document: the one who misbehaves and a bystander. */
async function twoDrafters(): Promise<{
  documentId: string
  writer: TestClient
  bystander: TestClient
}> {
  const { documentId, people } = await setUpDocument(server, ['drafter', 'drafter'])
  const writer = connectClient(server, documentId, {
    cookie: await signIn(server.app, people[1]!.user),
  })
  const bystander = connectClient(server, documentId, {
    cookie: await signIn(server.app, people[2]!.user),
  })
  await Promise.all([writer.synced(), bystander.synced()])
  return { documentId, writer, bystander }
}

function fragment(client: TestClient): Y.XmlFragment {
  return client.doc.getXmlFragment('prosemirror')
}

/** Appends a paragraph holding `text`, formatted with `attributes` (a link, say). */
function appendParagraph(
  client: TestClient,
  text: string,
  attributes: Record<string, unknown> = {},
): void {
  client.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph')
    const into = fragment(client)
    into.insert(into.length, [paragraph])
    const content = new Y.XmlText()
    paragraph.insert(0, [content])
    content.insert(0, text, attributes)
  })
}

/** Every text of a document's `prosemirror` fragment, in order (iterative: it may be deep). */
function texts(doc: Y.Doc): string[] {
  const found: string[] = []
  const pending: Y.XmlElement[] = [
    ...doc.getXmlFragment('prosemirror').toArray(),
  ].reverse() as Y.XmlElement[]
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node instanceof Y.XmlText) {
      found.push((node.toDelta() as { insert: string }[]).map((op) => op.insert).join(''))
    } else {
      pending.push(...([...node.toArray()].reverse() as Y.XmlElement[]))
    }
  }
  return found
}

async function storedTexts(documentId: string): Promise<string[]> {
  return texts(await storedDoc(server.db, documentId))
}

/** Expects the writer closed with SchemaViolation, and the document stored and seen as `expected`. */
async function expectRefused(
  documentId: string,
  writer: TestClient,
  bystander: TestClient,
  storedBefore: number,
  expected: string[],
): Promise<void> {
  await waitFor(() => writer.closes.length > 0, { message: 'the writer was not closed' })
  expect(writer.closes[0]!.code).toBe(CloseCodes.SchemaViolation)
  // A final code: the stock provider does not come back to try again.
  expect(writer.provider.shouldConnect).toBe(false)
  expect(await countStoredUpdates(server.db, documentId)).toBe(storedBefore)
  // The bystander goes on editing; its later edit arrives, the refused one never did.
  appendParagraph(bystander, 'after')
  await waitFor(async () => (await storedTexts(documentId)).includes('after'))
  expect(await storedTexts(documentId)).toEqual([...expected, 'after'])
  expect(texts(bystander.doc)).toEqual([...expected, 'after'])
}

describe('the schema on the server', () => {
  it('stores and relays normal edits and an https link', async () => {
    const { documentId, writer, bystander } = await twoDrafters()
    appendParagraph(writer, 'Objetivo 1: ')
    appendParagraph(writer, 'the strategy', {
      link: { href: 'https://www.gob.example/estrategia', title: null },
    })
    ;((fragment(writer).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(12, 'resiliencia')
    await waitFor(async () => (await storedTexts(documentId)).length === 2)
    await waitFor(() => texts(bystander.doc).join('|') === 'Objetivo 1: resiliencia|the strategy')
    const stored = await storedDoc(server.db, documentId)
    const link = (stored.getXmlFragment('prosemirror').get(1) as Y.XmlElement).get(0) as Y.XmlText
    expect(link.toDelta()).toEqual([
      {
        insert: 'the strategy',
        attributes: { link: { href: 'https://www.gob.example/estrategia', title: null } },
      },
    ])
    expect(writer.closes).toEqual([])
    writer.destroy()
    bystander.destroy()
  })

  it('closes a provider that sends 1,000 nested blockquotes with 4422 and stores nothing', async () => {
    const { documentId, writer, bystander } = await twoDrafters()
    appendParagraph(writer, 'kept')
    await waitFor(async () => (await storedTexts(documentId)).length === 1)
    const storedBefore = await countStoredUpdates(server.db, documentId)
    writer.doc.transact(() => {
      // One level at a time: Yjs integrates a prepared tree recursively.
      let into: Y.XmlFragment = fragment(writer)
      for (let i = 0; i < 1000; i++) {
        const quote = new Y.XmlElement('blockquote')
        into.insert(into === fragment(writer) ? into.length : 0, [quote])
        into = quote
      }
      const paragraph = new Y.XmlElement('paragraph')
      into.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('deep')])
    })
    await expectRefused(documentId, writer, bystander, storedBefore, ['kept'])
    writer.destroy()
    bystander.destroy()
  })

  it.each([
    'javascript:alert(document.cookie)',
    ' JavaScript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    '//evil.example/phish',
  ])('refuses a link to %j: 4422, nothing stored, the text it covered intact', async (href) => {
    const { documentId, writer, bystander } = await twoDrafters()
    appendParagraph(writer, 'Texto que no se pierde')
    await waitFor(async () => (await storedTexts(documentId)).length === 1)
    const storedBefore = await countStoredUpdates(server.db, documentId)
    const existing = (fragment(writer).get(0) as Y.XmlElement).get(0) as Y.XmlText
    existing.format(0, 5, { link: { href, title: null } })
    await expectRefused(documentId, writer, bystander, storedBefore, ['Texto que no se pierde'])
    const stored = await storedDoc(server.db, documentId)
    const text = (stored.getXmlFragment('prosemirror').get(0) as Y.XmlElement).get(0) as Y.XmlText
    expect(text.toDelta()).toEqual([{ insert: 'Texto que no se pierde' }])
    writer.destroy()
    bystander.destroy()
  })

  it('refuses an unknown node type the same way', async () => {
    const { documentId, writer, bystander } = await twoDrafters()
    const storedBefore = await countStoredUpdates(server.db, documentId)
    fragment(writer).insert(0, [new Y.XmlElement('iframe')])
    await expectRefused(documentId, writer, bystander, storedBefore, [])
    writer.destroy()
    bystander.destroy()
  })
})
