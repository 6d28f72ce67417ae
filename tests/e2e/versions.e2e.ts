import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { prepareServerEdit } from '../../server/documents/service'
import {
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  newContext,
  signIn,
  trackPageErrors,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'
import { THREAD_DRAFT, findText } from '../support/threads'

type User = Awaited<ReturnType<TestServer['factories']['createUser']>>

// A secretariat names two versions of a draft and compares them, on a desktop and a phone.
describe('versions', () => {
  let server: TestServer
  let browser: Browser
  let secretariat: User
  let documentId: string

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    const process = await server.factories.createProcess({ title: 'Strategy', secretariat })
    documentId = (
      await server.factories.createDocument(process.id, secretariat, 'Draft strategy', THREAD_DRAFT)
    ).id
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('the secretariat names two versions and compares them inline and side by side', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = trackPageErrors(page)
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.goto(`${server.url}/documents/${documentId}`)
    await page.getByRole('link', { name: 'Versions' }).click()
    await expect
      .poll(() => page.getByRole('heading', { name: 'Versions of Draft strategy' }).count())
      .toBe(1)

    // An empty name is refused in the form, with nothing sent.
    await page.getByRole('button', { name: 'Name this version' }).click()
    await expect.poll(() => page.getByText('No versions yet.').count()).toBe(1)

    await page.getByLabel('Version name').fill('First draft')
    await page.getByRole('button', { name: 'Name this version' }).click()
    await expect.poll(() => page.getByText('Version 1 “First draft” is saved.').count()).toBe(1)
    expect(await page.getByText(/Sofía Ramírez · .* · 25 words · about 1 pages/).count()).toBe(1)

    // Drafting goes on (as a collaborator's edit would), then a second version is named.
    const edit = await prepareServerEdit(server.db, documentId, (doc) => {
      const passage = findText(doc, 'every ministry')
      passage.text.insert(passage.index + 'every '.length, 'single ')
    })
    await server.db.transaction().execute((trx) => edit.commit(trx))
    await page.getByLabel('Version name').fill('Second draft')
    await page.getByRole('button', { name: 'Name this version' }).click()
    await expect.poll(() => page.getByText('Version 2 “Second draft” is saved.').count()).toBe(1)

    // Open the first one read-only.
    await page
      .getByRole('listitem')
      .filter({ hasText: 'First draft' })
      .getByRole('button', { name: 'Open' })
      .click()
    const reader = page.getByRole('region', { name: 'Version 1: First draft' })
    await expect.poll(() => reader.getByText('coordinates every ministry.').count()).toBe(1)

    // Compare version 1 with version 2 (the default pair).
    expect(await page.getByLabel('Older text').inputValue()).not.toBe(
      await page.getByLabel('Newer text').inputValue(),
    )
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect
      .poll(() => page.locator('#compare-summary').textContent())
      .toBe('1 changed, 0 added, 0 removed, 0 moved, 0 renamed, 2 unchanged')
    const governance = page.locator('article').filter({ hasText: 'Governance' })
    expect(await governance.locator('ins').allTextContents()).toEqual(['single '])
    expect(
      await page.getByRole('link', { name: 'Download the comparison (Word)' }).getAttribute('href'),
    ).toMatch(/\/compare\/export\?to=.+&format=docx$/)

    await page.getByRole('button', { name: 'Side by side' }).click()
    await expect
      .poll(() => governance.getByRole('group', { name: 'After' }).locator('ins').count())
      .toBe(1)
    expect(await governance.getByRole('group', { name: 'Before' }).textContent()).toContain(
      'coordinates every ministry.',
    )
    await expectNoSeriousViolations(page, 'versions page with a comparison')

    // And against the live draft, which now holds the second version's text.
    await page.getByLabel('Newer text').selectOption({ label: 'Live draft' })
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await expect
      .poll(() => page.locator('#compare-summary').textContent())
      .toBe('1 changed, 0 added, 0 removed, 0 moved, 0 renamed, 2 unchanged')
    expect(errors).toEqual([])
    await context.close()
  })

  test('the comparison reads on a phone, the two sides one above the other', async () => {
    const context = await newContext(browser, { viewport: PHONE })
    const page = await context.newPage()
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.goto(`${server.url}/documents/${documentId}/versions`)
    await page.getByRole('button', { name: 'Compare', exact: true }).click()
    await page.getByRole('button', { name: 'Side by side' }).click()
    const governance = page.locator('article').filter({ hasText: 'Governance' })
    const before = await governance.getByRole('group', { name: 'Before' }).boundingBox()
    const after = await governance.getByRole('group', { name: 'After' }).boundingBox()
    expect(before && after && after.y >= before.y + before.height).toBe(true)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(PHONE.width)
    await expectNoSeriousViolations(page, 'versions page on a phone')
    await context.close()
  })
})
