import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { seedDemo } from '../../server/demo/seed'
import { DESKTOP, PHONE, expectNoSeriousViolations, launchBrowser } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// The demo's public record (/p/demo, issue 14, item 7) in a real browser: desktop and phone
// with axe, and with JavaScript off; from the home to a consultation and to workshop minutes.
describe('public record of the demo', () => {
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startTestServer({ clientDir: '/nonexistent' })
    await seedDemo(server.db)
    browser = await launchBrowser()
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close().catch(() => undefined)
    }
    await browser?.close()
    await server?.close()
  })

  async function pageWith(
    javaScript: boolean,
    viewport: { width: number; height: number },
  ): Promise<Page> {
    const phone = viewport.width < 600
    const context = await browser.newContext({
      javaScriptEnabled: javaScript,
      viewport,
      locale: 'en-GB',
      isMobile: phone,
      hasTouch: phone,
    })
    contexts.push(context)
    return context.newPage()
  }

  async function walk(page: Page, where: string, axe: boolean) {
    const check = (what: string) =>
      axe ? expectNoSeriousViolations(page, `${what} (${where})`) : Promise.resolve()
    await page.goto(`${server.url}/p/demo`)
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.locator('main').count()).toBe(1)
    await page.getByText('Current stage: Public consultation').waitFor()
    await check('public home')
    if (axe) {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
    }
    await page.locator('nav.languages').getByRole('link', { name: 'Español' }).click()
    await page.waitForURL(/lang=es/)
    expect(await page.locator('html').getAttribute('lang')).toBe('es')
    await page.getByText('Etapa actual: Consulta pública').waitFor()
    await check('public home in Spanish')
    await page.locator('nav.languages').getByRole('link', { name: 'English' }).click()
    await page.waitForURL(/lang=en/)

    await page
      .getByRole('link', { name: /^Minutes: / })
      .first()
      .click()
    await page.waitForURL(/\/p\/demo\/workshops\//)
    expect(await page.locator('h1').textContent()).toMatch(/^Minutes: /)
    await page.getByRole('heading', { name: 'Decisions' }).waitFor()
    await check('workshop minutes')
    await page.getByRole('link', { name: 'Back to the public record' }).click()
    await page.waitForURL(/\/p\/demo\?lang=en$/)

    await page.getByRole('link', { name: 'What changed after the consultation' }).click()
    await page.waitForURL(/\/p\/demo\/changes\?lang=en$/)
    expect(await page.locator('h1').textContent()).toBe('What changed after the consultation')
    expect(await page.locator('.redline ins').count()).toBeGreaterThan(0)
    expect(await page.locator('.redline del').count()).toBeGreaterThan(0)
    await check('what changed after the consultation')
    if (axe) {
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
    }
    await page.getByRole('link', { name: 'Back to the public record' }).click()
    await page.waitForURL(/\/p\/demo\?lang=en$/)

    await page.locator('section[aria-labelledby="consultations-heading"] a').first().click()
    await page.waitForURL(/\/c\/demo/)
    expect(await page.locator('nav.toc').count()).toBe(1)
  }

  test('on a desktop, axe clean', async () => {
    await walk(await pageWith(true, DESKTOP), 'desktop', true)
  })

  test('on a phone, axe clean and without sideways scrolling', async () => {
    await walk(await pageWith(true, PHONE), 'phone', true)
  })

  test('with JavaScript off', async () => {
    await walk(await pageWith(false, DESKTOP), 'no script', false)
  })
})
