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
      const processes = (await (await fetch('/api/processes')).json()) as { id: string; title: string }[]
      const processId = processes.find((p) => p.title.endsWith('demo'))!.id
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

  test('creating a process: nothing pre-ticked, the main language is chosen explicitly (item 9)', async () => {
    const page = await pageAt(LAPTOP)
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.getByRole('button', { name: 'New process' }).click()
    await page.getByLabel('Title').fill('Estrategia regional')
    const boxes = page.locator('#process-languages input[type=checkbox]')
    expect(await boxes.count()).toBeGreaterThan(1)
    expect(await boxes.evaluateAll((inputs) => inputs.filter((i) => (i as HTMLInputElement).checked).length)).toBe(0)
    await page.getByRole('checkbox', { name: 'English' }).check()
    await page.getByRole('checkbox', { name: 'Spanish' }).check()
    const main = page.getByLabel('Main language', { exact: true })
    expect(await main.inputValue()).toBe('')
    const before = await page.evaluate(async () => ((await (await fetch('/api/processes')).json()) as unknown[]).length)
    await page.getByRole('button', { name: 'Create process' }).click()
    await expect.poll(() => main.getAttribute('aria-invalid')).toBe('true')
    expect(await page.evaluate(async () => ((await (await fetch('/api/processes')).json()) as unknown[]).length)).toBe(before)
    await expectNoSeriousViolations(page, 'new process form with its main-language error')
    await main.selectOption('es')
    await page.getByRole('button', { name: 'Create process' }).click()
    await page.waitForURL(/\/processes\/[0-9a-f-]{36}$/)
    const id = new URL(page.url()).pathname.split('/').pop()!
    const detail = await page.evaluate(async (processId) => (await (await fetch(`/api/processes/${processId}`)).json()) as { languages: string[] }, id)
    expect(detail.languages).toEqual(['es', 'en'])
  })

  test("opening a consultation: the time zone starts at the browser's and is searchable (item 9)", async () => {
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-GB', timezoneId: 'America/Bogota' })
    contexts.push(context)
    const page = await context.newPage()
    await signIn(page, server.url, secretariat.email, secretariat.password)
    const { processId } = await demoIds(page)
    await page.goto(`${server.url}/processes/${processId}/consultations/new`)
    const zone = page.getByLabel('Time zone', { exact: true })
    await zone.waitFor()
    expect(await zone.inputValue()).toBe('America/Bogota')
    const suggestions = await zone.evaluate((input) => {
      const list = (input as HTMLInputElement).list
      return list ? [...list.options].map((o) => o.value) : []
    })
    expect(suggestions.length).toBeGreaterThan(300)
    expect(suggestions.filter((z) => z.toLowerCase().includes('bogo'))).toEqual(['America/Bogota'])
    await zone.fill('Nowhere/Atlantis')
    await page.locator('form button[type=submit]').last().click()
    await expect.poll(() => zone.getAttribute('aria-invalid')).toBe('true')
    await expectNoSeriousViolations(page, 'consultation form with an unknown time zone')
  })

  /** How many pixels of text show on the first screen, above the comments dock if any. */
  function textRoom(page: Page, height: number): Promise<number> {
    return page.evaluate((screen) => {
      const block = document.querySelector('.doc-paper .ProseMirror > *')
      const dock = document.querySelector('.comments-dock:not([hidden])')
      const box = dock?.getBoundingClientRect()
      const shown = dock && box && box.height > 0 && getComputedStyle(dock).position === 'fixed'
      const dockTop = shown ? box.top : screen
      return block ? dockTop - (block.getBoundingClientRect().top + window.scrollY) : -1
    }, height)
  }

  test('a reader on a phone sees the text on the first screen too, the notice a toggle (item 5)', async () => {
    const page = await pageAt(PHONE_390)
    await signIn(page, server.url, DEMO_PEOPLE.find((p) => p.role === 'observer')!.email, DEMO_PASSWORD)
    const { documentId } = await demoIds(page)
    await page.goto(`${server.url}/documents/${documentId}`)
    await page.locator('.doc-paper .ProseMirror > *').first().waitFor()
    await expect.poll(() => textRoom(page, PHONE_390.height)).toBeGreaterThan(150)
    const note = page.locator('#read-only-note details')
    expect(await note.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    await note.locator('summary').click()
    await expect.poll(() => page.locator('#read-only-note').innerText()).toContain('As Observer')
    expect(await page.getByRole('button', { name: 'Keyboard shortcuts' }).count()).toBe(0)
    await expectNoSeriousViolations(page, 'workspace of a reader (phone)')
  })

  for (const [name, viewport] of VIEWPORTS) {
    test(`the workspace: text on the first screen, no shortcuts on touch, the sheet counts as its button (item 5, ${name})`, async () => {
      const page = await pageAt(viewport)
      await signIn(page, server.url, secretariat.email, secretariat.password)
      const { documentId } = await demoIds(page)
      await page.goto(`${server.url}/documents/${documentId}`)
      const paper = page.locator('.doc-paper .ProseMirror')
      await paper.waitFor()
      await page.locator('.doc-paper h1, .doc-paper h2, .doc-paper p').first().waitFor()
      // The text starts on the first screen, with room to read before the comments dock
      // (fixed at the bottom of a phone); it started about 700 px down (issue 15).
      await expect.poll(() => textRoom(page, viewport.height)).toBeGreaterThan(150)
      const shortcuts = page.getByRole('button', { name: 'Keyboard shortcuts' })
      expect(await shortcuts.count()).toBe(name === 'phone' ? 0 : 1)
      await expectNoSeriousViolations(page, `workspace (${name})`)

      if (name === 'phone') {
        const toggle = page.locator('.comments-dock button[aria-expanded]')
        const label = (await toggle.textContent()) ?? ''
        const open = Number(/(\d+)/.exec(label)?.[1])
        expect(open).toBeGreaterThan(0)
        await toggle.click()
        const cards = page.locator('.comments-margin.is-open [data-card-for]')
        await expect.poll(() => cards.count()).toBe(open)
        await expectNoSeriousViolations(page, 'workspace comments sheet (phone)')
      }
    })
  }
})
