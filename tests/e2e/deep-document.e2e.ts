import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { appendUpdates, loadState } from '../../server/documents/state'
import { launchBrowser, signedInPages, trackPageErrors } from '../support/browser'
import type { TestProcess, TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { createDocumentWithContent, editorText } from './editor-helpers'

// Issue 12, item 3: a document stored 1,200 levels deep (before the server enforced the
// schema; written here straight to the database) opens in the editor, flattened, read-only
// and with a notice, instead of the editor throwing and showing nothing.
describe('a document nested deeper than the editor allows', () => {
  let server: TestServer
  let browser: Browser
  let process: TestProcess
  let secretariat: TestUser
  let documentId: string
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    process = await server.factories.createProcess({ title: 'Deep strategy', secretariat })
    documentId = await createDocumentWithContent(
      server,
      process.id,
      secretariat,
      'Deep draft',
      '## 1. Vision\n\nA secure digital environment.\n',
    )
    const state = await loadState(server.db, documentId)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state.update!)
    const before = Y.encodeStateVector(doc)
    doc.transact(() => {
      const fragment = doc.getXmlFragment('prosemirror')
      let into: Y.XmlFragment = fragment
      for (let i = 0; i < 1200; i++) {
        const quote = new Y.XmlElement('blockquote')
        into.insert(into === fragment ? into.length : 0, [quote])
        into = quote
      }
      const paragraph = new Y.XmlElement('paragraph')
      into.insert(0, [paragraph])
      paragraph.insert(0, [new Y.XmlText('The deepest words')])
    })
    await appendUpdates(server.db, documentId, [Y.encodeStateAsUpdate(doc, before)])
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  test('opens flattened and read-only, with a notice, and changes nothing stored', async () => {
    const page = await pages.pageFor(secretariat)
    const errors = trackPageErrors(page)
    const storedBefore = (await loadState(server.db, documentId)).update
    await page.goto(`${server.url}/documents/${documentId}`)
    await page.locator('.doc-text').waitFor()
    await expect.poll(() => editorText(page)).toContain('The deepest words')
    expect(await editorText(page)).toContain('A secure digital environment.')
    expect(
      await page.getByRole('status').filter({ hasText: 'shown flattened and read-only' }).count(),
    ).toBe(1)
    expect(await page.locator('.doc-text').getAttribute('contenteditable')).toBe('false')
    expect(await page.locator('.doc-text blockquote').count()).toBeLessThan(64)
    expect(errors).toEqual([])
    // Opening it wrote nothing back.
    const storedAfter = (await loadState(server.db, documentId)).update
    expect(Buffer.from(storedAfter!).equals(Buffer.from(storedBefore!))).toBe(true)
  })
})
