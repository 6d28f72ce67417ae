import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { DEMO_PASSWORD, DEMO_PEOPLE, seedDemo } from '../../server/demo/seed'
import { expectNoSeriousViolations, launchBrowser, newContext, signIn } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

/** The widths the newcomer walked through (issue 15): a common laptop and a phone. */
const LAPTOP = { width: 1366, height: 768 } as const
const PHONE_390 = { width: 390, height: 844 } as const
const VIEWPORTS = [
  ['desktop', LAPTOP],
  ['phone', PHONE_390],
] as const

// Issue 15: what a newcomer hit on a first walk through the demo, in a real browser.
describe('a newcomer on the demo', () => {
  let server: TestServer
  let browser: Browser
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    expect(await seedDemo(server.db)).toBe(true)
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close().catch(() => undefined)
    }
    await browser?.close()
    await server?.close()
  })

  const secretariat = { email: DEMO_PEOPLE[0]!.email, password: DEMO_PASSWORD }

  async function pageAt(viewport: { width: number; height: number }): Promise<Page> {
    const context = await newContext(browser, { viewport })
    contexts.push(context)
    return context.newPage()
  }

  /** Console errors, including the browser's own "Failed to load resource" lines. */
  function consoleErrors(page: Page): string[] {
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text())
      }
    })
    page.on('pageerror', (error) => errors.push(error.message))
    return errors
  }

  /** The demo process and its English draft, as the secretariat sees them. */
  async function demoIds(page: Page): Promise<{ processId: string; documentId: string }> {
    return page.evaluate(async () => {
      const processes = (await (await fetch('/api/processes')).json()) as { id: string }[]
      const processId = processes[0]!.id
      const documents = (await (await fetch(`/api/processes/${processId}/documents`)).json()) as { id: string }[]
      return { processId, documentId: documents[0]!.id }
    })
  }

  for (const [name, viewport] of [...VIEWPORTS, ['narrowest phone', { width: 320, height: 640 }]] as const) {
    test(`every process tab is on screen and reachable (item 4, ${name})`, async () => {
      const page = await pageAt(viewport)
      await signIn(page, server.url, secretariat.email, secretariat.password)
      const { processId } = await demoIds(page)
      await page.goto(`${server.url}/processes/${processId}`)
      const tabs = page.locator('nav.tabs a')
      await tabs.first().waitFor()
      const count = await tabs.count()
      expect(count).toBeGreaterThanOrEqual(8)
      const layout = await page.locator('nav.tabs').evaluate((nav) => {
        const width = document.documentElement.clientWidth
        return {
          overflow: nav.scrollWidth - nav.clientWidth,
          tabs: [...nav.querySelectorAll('a')].map((a) => {
            // Vertically into view (a short phone may need the page scrolled), never sideways.
            a.scrollIntoView({ block: 'center', inline: 'nearest' })
            const box = a.getBoundingClientRect()
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
            return {
              name: a.textContent,
              inside: box.left >= 0 && box.right <= width && box.width > 0,
              onTop: hit !== null && a.contains(hit),
            }
          }),
        }
      })
      // No tab hides behind the edge of a scrolling bar: all are wholly on screen, uncovered.
      expect(layout.overflow).toBeLessThanOrEqual(0)
      expect(layout.tabs.filter((tab) => !tab.inside || !tab.onTop)).toEqual([])
      // And each is reachable with the keyboard, in order.
      await tabs.first().focus()
      for (let index = 1; index < count; index += 1) {
        await page.keyboard.press('Tab')
        expect(await tabs.nth(index).evaluate((a) => a === document.activeElement)).toBe(true)
      }
      await tabs.last().click()
      await page.locator('.tab-panel h2').waitFor()
      await page.locator('.tab-panel .loading').waitFor({ state: 'detached' })
      await expectNoSeriousViolations(page, `process tabs (${name})`)
    })
  }

  for (const [name, viewport] of VIEWPORTS) {
    test(`a signed-out visitor's page load logs no console error (item 12, ${name})`, async () => {
      const page = await pageAt(viewport)
      const errors = consoleErrors(page)
      const probe = page.waitForResponse((r) => r.url().endsWith('/api/auth/session'))
      await page.goto(`${server.url}/`)
      expect((await probe).status()).toBe(200)
      await page.waitForURL((url) => url.pathname.startsWith('/sign-in'))
      await page.locator('h1').waitFor()
      await page.reload()
      await page.locator('h1').waitFor()
      expect(errors).toEqual([])
    })

    test(`the public contents list numbers each section once (item 7, ${name})`, async () => {
      const page = await pageAt(viewport)
      await page.goto(`${server.url}/c/demo`)
      const items = page.locator('nav.toc li')
      expect(await items.count()).toBeGreaterThan(3)
      const entries = await items.evaluateAll((lis) =>
        lis.map((li) => ({
          marker: getComputedStyle(li).listStyleType,
          text: li.querySelector('a')?.textContent ?? '',
        })),
      )
      // The titles carry the document's own numbers ("1. Vision"); no list marker adds another.
      expect(entries.map((e) => e.marker)).toEqual(entries.map(() => 'none'))
      expect(entries.map((e) => e.text)).toEqual(expect.arrayContaining(['1. Vision']))
      await expectNoSeriousViolations(page, `public consultation contents (${name})`)
    })
  }
})
