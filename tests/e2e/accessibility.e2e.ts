import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  DESKTOP,
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  newContext,
  signIn,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// Flow 3: axe-core finds no serious or critical violation on the main screens, on a desktop
// and on a 375px-wide phone, and the pages keep to the structural rules axe cannot see.
describe('accessibility', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let user: { email: string; password: string }

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    const admin = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    user = admin
    const stakeholder = await server.factories.createUser({ name: 'Martín Castillo' })
    const process = await server.factories.createProcess({
      title: 'Estrategia Nacional de Ciberseguridad',
      secretariat: admin,
      members: [
        {
          user: stakeholder,
          role: 'stakeholder',
          group: 'academia',
          organisation: 'Universidad Nacional',
        },
      ],
    })
    processId = process.id
    await server.factories.createDocument(processId, admin, 'Borrador de la estrategia')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function expectOneH1(page: Page) {
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.locator('header').count()).toBeGreaterThanOrEqual(1)
    expect(await page.locator('main').count()).toBe(1)
  }

  /** Nothing may make the page scroll sideways on a phone. */
  async function expectNoHorizontalScroll(page: Page) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
  }

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`sign-in, process list and process home pass axe (${name})`, async () => {
      const context = await newContext(browser, { viewport })
      const page = await context.newPage()

      await page.goto(`${server.url}/sign-in`)
      await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in')
      await expectOneH1(page)
      await expectNoSeriousViolations(page, `sign-in (${name})`)

      // A failed submission shows errors; those states must pass too.
      await page.locator('form button[type=submit]').click()
      await expect.poll(() => page.locator('[aria-invalid=true]').count()).toBeGreaterThan(0)
      await expectNoSeriousViolations(page, `sign-in with errors (${name})`)

      await signIn(page, server.url, user.email, user.password)
      await expect.poll(() => page.locator('h1').textContent()).toBe('Processes')
      await page.getByText('Estrategia Nacional de Ciberseguridad').waitFor()
      await expectOneH1(page)
      await expectNoSeriousViolations(page, `process list (${name})`)
      if (name === 'phone') {
        await expectNoHorizontalScroll(page)
      }

      await page.getByRole('button', { name: 'New process' }).click()
      await page.getByLabel('Title').waitFor()
      await expectNoSeriousViolations(page, `process list with the new-process form (${name})`)

      for (const section of ['', '/members', '/invitations', '/groups', '/settings', '/activity']) {
        await page.goto(`${server.url}/processes/${processId}${section}`)
        await expect
          .poll(() => page.locator('h1').textContent())
          .toBe('Estrategia Nacional de Ciberseguridad')
        await page.locator('.tab-panel h2').waitFor()
        await page.locator('.tab-panel .loading').waitFor({ state: 'detached' })
        await expectOneH1(page)
        await expectNoSeriousViolations(page, `process home${section || ' (documents)'} (${name})`)
        if (name === 'phone') {
          await expectNoHorizontalScroll(page)
        }
      }

      // The member editing row and the add-member form.
      await page.goto(`${server.url}/processes/${processId}/members`)
      await page.getByRole('button', { name: 'Add a member' }).click()
      await page.getByRole('button', { name: 'Edit Martín Castillo' }).click()
      await page.getByRole('button', { name: 'Save' }).waitFor()
      await expectNoSeriousViolations(page, `members while editing (${name})`)

      await context.close()
    })
  }

  test('keyboard users get a skip link, and focus moves to the new page heading', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await signIn(page, server.url, user.email, user.password)
    await page.getByText('Estrategia Nacional de Ciberseguridad').waitFor()
    await page.reload()
    await page.getByText('Estrategia Nacional de Ciberseguridad').waitFor()

    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to main content',
    )
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main')

    // Follow a link with the keyboard: focus lands on the new page's heading.
    await page.getByRole('link', { name: 'Estrategia Nacional de Ciberseguridad' }).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await page.title()).toContain('Estrategia Nacional de Ciberseguridad')
    await context.close()
  })
})
