import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEMO_PASSWORD, seedDemo } from '../../server/demo/seed'
import {
  DESKTOP,
  expectNoSeriousViolations,
  launchBrowser,
  newContext,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// Who takes part (issue 17) in a real browser, over the demo: the secretariat's balance view
// on a desktop and on a 390 px phone (axe, the table alternative, no sideways page scroll),
// and the public "who took part" page on a phone.
const PHONE_390 = { width: 390, height: 844 } as const

describe('participation', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    await seedDemo(server.db)
    browser = await launchBrowser()
    const process = await server.db
      .selectFrom('processes')
      .select('id')
      .where('public_slug', '=', 'demo')
      .executeTakeFirstOrThrow()
    processId = process.id
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  const overflow = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

  async function openBalance(viewport: { width: number; height: number }, where: string) {
    const page = await pages.pageFor(
      { email: 'secretariat@example.org', password: DEMO_PASSWORD },
      { viewport },
    )
    const errors = trackPageErrors(page)
    await page.goto(`${server.url}/processes/${processId}/participation`)
    await page.getByRole('heading', { name: 'Participation', level: 2 }).waitFor()
    // The table alternative, with its caption and headers.
    const matrix = page.getByRole('table', { name: /Comments by section \(rows\)/ })
    await matrix.waitFor()
    expect(await matrix.locator('thead th[scope="col"]').count()).toBeGreaterThan(3)
    expect(await matrix.locator('tbody th[scope="row"]').count()).toBeGreaterThan(3)
    await page.getByRole('table', { name: /per week \(rows\)/ }).waitFor()
    // The charts are drawn as SVG with a name.
    await page.locator('.participation-chart svg[role="img"]').first().waitFor()
    expect(await page.locator('.participation-chart svg[role="img"]').count()).toBe(2)
    // Filters are labelled form controls; changing one asks the server again.
    await page.getByLabel('Origin').selectOption('workshop')
    await page.getByText(/^Counted: \d+ comments/).waitFor()
    await page.getByLabel('Shown in the heat map').selectOption('attendance')
    await page.getByRole('table', { name: /Workshop attendance by section/ }).waitFor()
    await expectNoSeriousViolations(page, `participation balance (${where})`)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
    return page
  }

  test('the secretariat reads the balance on a desktop, axe clean', async () => {
    await openBalance(DESKTOP, 'desktop')
  })

  test('the secretariat reads the balance on a 390 px phone, axe clean, without sideways scroll', async () => {
    await openBalance(PHONE_390, 'phone')
  })

  test('the public page reads on a phone, axe clean, without sideways scroll and without script', async () => {
    const context = await newContext(browser, { viewport: PHONE_390 })
    try {
      const page = await context.newPage()
      await page.goto(`${server.url}/p/demo`)
      await page.getByRole('link', { name: /^Who took part/ }).click()
      await page.waitForURL(/\/p\/demo\/participation/)
      expect(await page.locator('h1').textContent()).toBe('Who took part')
      await page
        .getByRole('table', { name: 'Contributions and attendance by stakeholder group' })
        .waitFor()
      expect(await page.locator('script').count()).toBe(0)
      await expectNoSeriousViolations(page, 'public participation page (phone)')
      expect(await overflow(page)).toBeLessThanOrEqual(0)
    } finally {
      await context.close()
    }
  })
})
