import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { prepareServerEdit } from '../../server/documents/service'
import {
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { findText } from '../support/threads'
import { waitFor } from '../support/wait-for'
import { createDocumentWithContent } from './editor-helpers'
import { apiAs, postThread } from './thread-helpers'
import type { Section } from '../../shared/api/documents'

const DRAFT = `## Governance

The national cybersecurity council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

// Issue 14, item 3 in the browser: a commenter comes back to a thread whose section a drafter
// has edited since, and sees "Text changed since this comment" with the redline of just that
// section, in the threads list and in the document's margin, on a desktop and on a phone.
describe('threads across versions', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let documentId: string
  let sofia: TestUser // secretariat
  let lucia: TestUser // stakeholder
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    sofia = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    lucia = await server.factories.createUser({ name: 'Lucía Fernández' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat: sofia,
      members: [{ user: lucia, role: 'stakeholder', group: 'civil-society' }],
    })
    processId = process.id
    documentId = await createDocumentWithContent(server, processId, sofia, 'Draft', DRAFT)
    const api = await apiAs(server.url, lucia)
    const sections = await api.get<Section[]>(`/api/documents/${documentId}/sections`)
    for (const section of sections) {
      await postThread(api, documentId, {
        sectionId: section.id!,
        kind: 'comment',
        body: `Please be precise about ${section.title.toLowerCase()}.`,
      })
    }
    // A drafter edits Governance afterwards; Critical infrastructure stays as it was.
    const edit = await prepareServerEdit(server.db, documentId, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    await server.db.transaction().execute((trx) => edit.commit(trx))
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  async function expectChangedSince(page: Page) {
    const changed = page.locator('article.thread-card', {
      hasText: 'Please be precise about governance.',
    })
    await changed.waitFor()
    const note = changed.locator('details.thread-changed')
    expect(await note.locator('summary').innerText()).toBe('Text changed since this comment')
    // The section that did not change says nothing of the kind.
    const unchanged = page.locator('article.thread-card', {
      hasText: 'Please be precise about critical infrastructure.',
    })
    expect(await unchanged.locator('details.thread-changed').count()).toBe(0)
    // Opened (by keyboard), it shows the section's redline: the insertion marked, the rest kept.
    await note.locator('summary').focus()
    await page.keyboard.press('Enter')
    const redline = note.getByRole('group', { name: 'The section’s text then and now' })
    await redline.waitFor()
    expect(await redline.locator('ins').allInnerTexts()).toEqual(['single '])
    expect((await redline.innerText()).replace(/\s+/g, ' ').trim()).toBe(
      'The national cybersecurity council coordinates every single ministry.',
    )
  }

  test('a commenter sees "changed since" with its redline in the threads list, and axe finds nothing', async () => {
    const page = await pages.pageFor(lucia)
    const errors = trackPageErrors(page)
    await page.goto(`${server.url}/processes/${processId}/threads`)
    await expectChangedSince(page)
    await expectNoSeriousViolations(page, 'threads list with a changed-since note')
    expect(errors).toEqual([])
  })

  test('the same in the document’s margin', async () => {
    const page = await pages.pageFor(lucia)
    const errors = trackPageErrors(page)
    await page.goto(`${server.url}/documents/${documentId}`)
    await page.locator('.doc-text').waitFor()
    await expectChangedSince(page)
    await expectNoSeriousViolations(page, 'document margin with a changed-since note')
    expect(errors).toEqual([])
  })

  test('on a 375 px phone, the note and its redline fit the screen', async () => {
    const page = await pages.pageFor(lucia, { viewport: PHONE })
    await page.goto(`${server.url}/processes/${processId}/threads`)
    await expectChangedSince(page)
    await waitFor(
      async () => {
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        return width <= PHONE.width
      },
      { message: 'no sideways scrolling' },
    )
    await expectNoSeriousViolations(page, 'threads list on a phone')
  })
})
