import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { prepareServerEdit } from '../../server/documents/service'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'
import {
  expectNoSeriousViolations,
  launchBrowser,
  newContext,
  PHONE,
  signIn,
  trackPageErrors,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'
import { findText } from '../support/threads'
import { apiAs, importDraft } from './thread-helpers'

// Issue 16, items 1 and 3 in the browser: the secretariat translates a document, the source
// changes, the translation's section says "Source changed" with the source's redline, and a
// drafter marks it up to date; a section added to the source is brought over. Axe-clean on a
// desktop and a phone.
describe('translations', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function sourceEdit(
    documentId: string,
    change: (doc: Y.Doc, fragment: Y.XmlFragment) => void,
  ) {
    const prepared = await prepareServerEdit(server.db, documentId, (doc) =>
      change(doc, doc.getXmlFragment(PROSEMIRROR_FRAGMENT)),
    )
    await server.db.transaction().execute((trx) => prepared.commit(trx))
  }

  for (const [device, viewport] of [
    ['desktop', undefined],
    ['phone', PHONE],
  ] as const) {
    test(`translate, see the source change, bring a section over and mark it up to date (${device})`, async () => {
      const secretariat = await server.factories.createUser({ name: 'Ana Souza' })
      const drafter = await server.factories.createUser({ name: 'Daniel Ortega' })
      const process = await server.factories.createProcess({
        secretariat,
        languages: ['en', 'es'],
        members: [{ user: drafter, role: 'drafter', group: 'government' }],
      })
      const api = await apiAs(server.url, secretariat)
      const imported = await importDraft(
        api,
        process.id,
        'Strategy',
        '# Vision\n\nA secure digital nation.\n\n## Governance\n\nThe council coordinates every ministry.\n',
      )
      const context = await newContext(browser, viewport ? { viewport } : {})
      const page = await context.newPage()
      const errors = trackPageErrors(page)
      await signIn(page, server.url, secretariat.email, secretariat.password)
      await page.goto(`${server.url}/documents/${imported.id}`)
      await page.getByRole('link', { name: 'Languages' }).click()
      await expect.poll(() => page.locator('h1').textContent()).toBe('Languages of “Strategy”')
      await page.getByLabel('Into').selectOption('es')
      await page.getByLabel('Title of the translation').fill('Estrategia')
      await page.getByRole('button', { name: 'Create the translation' }).click()
      await expect.poll(() => page.locator('h1').textContent()).toBe('Languages of “Estrategia”')
      await expect
        .poll(() => page.locator('.alignment-summary').textContent())
        .toContain('2 up to date')
      const translationId = new URL(page.url()).pathname.split('/')[2]!

      // The source changes a sentence and gains a section.
      await sourceEdit(imported.id, (doc, fragment) => {
        const found = findText(doc, 'every ministry')
        found.text.insert(found.index + 'every '.length, 'single ')
        const heading = new Y.XmlElement('heading')
        heading.setAttribute('level', 2 as unknown as string)
        heading.setAttribute('sectionId', 'skillsXXXX')
        heading.insert(0, [new Y.XmlText('Skills')])
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText('Train ten thousand people.')])
        fragment.push([heading, paragraph])
      })

      // The drafter sees it on the translation's page.
      const drafterContext = await newContext(browser, viewport ? { viewport } : {})
      const drafterPage = await drafterContext.newPage()
      const drafterErrors = trackPageErrors(drafterPage)
      await signIn(drafterPage, server.url, drafter.email, drafter.password)
      await drafterPage.goto(`${server.url}/documents/${translationId}/languages`)
      const governance = drafterPage.locator('.alignment-item', { hasText: 'Governance' })
      await expect.poll(() => governance.locator('.badge').textContent()).toBe('Source changed')
      expect(await governance.locator('ins').allTextContents()).toEqual(['single '])
      const skills = drafterPage.locator('.alignment-item', { hasText: 'Skills' })
      expect(await skills.locator('.badge').textContent()).toBe('Missing here')
      await expectNoSeriousViolations(
        drafterPage,
        `alignment with a stale and a missing section (${device})`,
      )
      const overflow = await drafterPage.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)

      await skills.getByRole('button', { name: 'Bring “Skills” over' }).click()
      await expect.poll(() => skills.locator('.badge').textContent()).toBe('Up to date')
      await governance.getByRole('button', { name: 'Mark “Governance” as up to date' }).click()
      await expect.poll(() => governance.locator('.badge').textContent()).toBe('Up to date')
      await expect
        .poll(() => drafterPage.locator('.alignment-summary').textContent())
        .toContain('3 up to date, 0 with changes')
      await expect.poll(() => governance.textContent()).toContain('by Daniel Ortega')

      // The source's page lists the translation as up to date.
      await page.goto(`${server.url}/documents/${imported.id}/languages`)
      await expect
        .poll(() => page.locator('.version-item', { hasText: 'Español' }).textContent())
        .toContain('Up to date with the source.')
      await expectNoSeriousViolations(page, `languages of a source (${device})`)
      expect(errors).toEqual([])
      expect(drafterErrors).toEqual([])
      await drafterContext.close()
      await context.close()
    }, 60_000)
  }
})
