import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Consultation } from '../../shared/api/consultations'
import {
  DESKTOP,
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  trackPageErrors,
} from '../support/browser'
import { consultationBody } from '../support/consultations'
import { startTestServer, type TestServer } from '../support/server'
import { apiAs, importDraft, sectionIdOf } from './thread-helpers'

const DRAFT = `# Vision

A secure and resilient digital nation for everyone.

## Governance

The national cybersecurity council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

// The public side of a consultation in a real browser (issue 6, tests): read, switch the
// language, comment and get the receipt, with JavaScript off and on; axe on every page, on a
// desktop and on a phone.
describe('public consultation', () => {
  let server: TestServer
  let browser: Browser
  let consultation: Consultation
  let governance: string
  let processId: string
  let documentId: string
  let api: Awaited<ReturnType<typeof apiAs>>
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startTestServer({ clientDir: '/nonexistent' })
    browser = await launchBrowser()
    const admin = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    const process = await server.factories.createProcess({
      title: 'Estrategia Nacional de Ciberseguridad',
      secretariat: admin,
      languages: ['en', 'es'],
    })
    api = await apiAs(server.url, admin)
    const imported = await importDraft(api, process.id, 'Strategy', DRAFT)
    governance = sectionIdOf(imported, 'Governance')
    processId = process.id
    documentId = imported.id
    consultation = await api.post<Consultation>(
      `/api/processes/${process.id}/consultations`,
      consultationBody(imported.id, {
        title: {
          en: 'National cybersecurity strategy',
          es: 'Estrategia nacional de ciberseguridad',
        },
        introduction: { en: 'Tell us what you think.', es: 'Díganos qué piensa.' },
      }),
    )
  })

  afterAll(async () => {
    for (const context of contexts) {
      await context.close().catch(() => undefined)
    }
    await browser?.close()
    await server?.close()
  })

  async function pageWith(options: {
    javaScript: boolean
    viewport: { width: number; height: number }
  }): Promise<Page> {
    const phone = options.viewport.width < 600
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScript,
      viewport: options.viewport,
      locale: 'en-GB',
      isMobile: phone,
      hasTouch: phone,
    })
    contexts.push(context)
    return context.newPage()
  }

  async function expectNoHorizontalScroll(page: Page) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
  }

  // axe runs in the page, so it needs JavaScript: the no-JavaScript flow checks the same pages
  // the JavaScript flows check with axe.
  async function commentFlow(page: Page, text: string, where: string, options: { axe: boolean }) {
    const check = (what: string) =>
      options.axe ? expectNoSeriousViolations(page, what) : Promise.resolve()
    await page.goto(`${server.url}/c/${consultation.slug}`)
    expect(await page.locator('h1').textContent()).toBe('National cybersecurity strategy')
    expect(await page.locator('main').count()).toBe(1)
    expect(await page.locator('nav.toc a').count()).toBe(3)
    await check(`consultation page (${where})`)

    // The language switch keeps the reader on the same page.
    await page.getByRole('link', { name: 'Español' }).click()
    await page.waitForURL(/lang=es/)
    expect(await page.locator('h1').textContent()).toBe('Estrategia nacional de ciberseguridad')
    expect(await page.locator('html').getAttribute('lang')).toBe('es')
    await check(`consultation page in Spanish (${where})`)
    await page.getByRole('link', { name: 'English' }).click()
    await page.waitForURL(/lang=en/)

    await page.getByRole('link', { name: /^Comment on this section\W+Governance$/ }).click()
    await page.waitForURL(new RegExp(`/sections/${governance}`))
    expect(await page.locator('h1').textContent()).toBe('Comment on “Governance”')
    await check(`section page (${where})`)

    // A first try without consent comes back with the problem beside the field, text kept.
    await page.getByLabel(/^Stakeholder group/).selectOption('academia')
    await page.getByRole('textbox', { name: /^Your comment/ }).fill(text)
    await page.getByRole('button', { name: 'Send the comment' }).click()
    await page.locator('.error-summary').waitFor()
    expect(await page.getByRole('textbox', { name: /^Your comment/ }).inputValue()).toBe(text)
    expect(await page.locator('#consent').getAttribute('aria-invalid')).toBe('true')
    await check(`section page with errors (${where})`)

    await page.getByLabel(/I agree that my comment/).check()
    await page.getByRole('button', { name: 'Send the comment' }).click()
    await page.waitForURL(/\/receipts\//)
    const reference = await page.locator('.reference').textContent()
    expect(reference).toMatch(new RegExp(`^${consultation.slug.toUpperCase()}-\\d{4}$`))
    expect(await page.locator('h1').textContent()).toBe('Thank you: your comment was received')
    await check(`receipt (${where})`)
    if (where.includes('phone')) {
      await expectNoHorizontalScroll(page)
    }

    // Back on the page, the comment stands beside its section.
    await page.getByRole('link', { name: 'Back to the consultation' }).click()
    await page.locator('.comment-body', { hasText: text }).waitFor()
    if (where.includes('phone')) {
      await expectNoHorizontalScroll(page)
    }
    await check(`consultation page with comments (${where})`)
    return reference
  }

  test('with JavaScript disabled, on a desktop: read, switch language, comment, get the receipt', async () => {
    const page = await pageWith({ javaScript: false, viewport: DESKTOP })
    const reference = await commentFlow(
      page,
      'Name the council’s members in the law.',
      'no JavaScript, desktop',
      { axe: false },
    )
    const stored = await server.db
      .selectFrom('consultation_submissions')
      .select(['status', 'stakeholder_group'])
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'accepted', stakeholder_group: 'academia' })

    // In print, the forms and links to comment are left out and the text stays.
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.comment-link').first().isVisible()).toBe(false)
    expect(await page.locator('.languages').isVisible()).toBe(false)
    expect(await page.getByText('Operators report incidents within 24 hours.').isVisible()).toBe(
      true,
    )
  })

  test('with JavaScript enabled, on a phone: the same flow, no horizontal scroll, no page errors', async () => {
    const page = await pageWith({ javaScript: true, viewport: PHONE })
    const errors = trackPageErrors(page)
    await commentFlow(page, 'Publish incident statistics every year.', 'JavaScript, phone', {
      axe: true,
    })
    expect(errors).toEqual([])
  })

  test('with JavaScript enabled, on a desktop: the same flow passes axe', async () => {
    const page = await pageWith({ javaScript: true, viewport: DESKTOP })
    await commentFlow(page, 'Fund the national CERT for ten years.', 'JavaScript, desktop', {
      axe: true,
    })
  })

  test("'verified' access on a phone: the e-mail's link opens a page whose button, pressed by keyboard, confirms", async () => {
    const verified = await api.post<Consultation>(
      `/api/processes/${processId}/consultations`,
      consultationBody(documentId, {
        access: 'verified',
        title: { en: 'Verified consultation' },
        introduction: { en: 'Confirm your address.' },
      }),
    )
    const page = await pageWith({ javaScript: true, viewport: PHONE })
    const email = `e2e-${Date.now()}@example.org`
    await page.goto(`${server.url}/c/${verified.slug}/sections/${governance}`)
    await page.getByLabel(/^Your name/).fill('Ana Torres')
    await page.getByLabel(/^Your e-mail address/).fill(email)
    await page.getByLabel(/^Stakeholder group/).selectOption('civil-society')
    await page.getByRole('textbox', { name: /^Your comment/ }).fill('Add a duty to report.')
    await page.getByLabel(/I agree that my comment/).check()
    await page.getByRole('button', { name: 'Send the comment' }).click()
    await page.waitForURL(/\/receipts\//)
    expect(await page.locator('h1').textContent()).toBe('Check your e-mail')

    const mail = server.mail.messages.find((m) => m.to === email)
    const link = /https?:\/\/\S+\/verify\?token=\S+/.exec(mail?.text ?? '')?.[0]
    expect(link, mail?.text).toBeDefined()
    await page.goto(link!)
    expect(await page.locator('h1').textContent()).toBe('Confirm your comment')
    expect(await page.locator('blockquote').textContent()).toContain('Add a duty to report.')
    await expectNoSeriousViolations(page, 'confirmation page (phone)')
    await expectNoHorizontalScroll(page)
    const status = () =>
      server.db
        .selectFrom('consultation_submissions')
        .select('status')
        .where('consultation_id', '=', verified.id)
        .executeTakeFirstOrThrow()
    expect(await status()).toEqual({ status: 'unverified' })

    await page.getByRole('button', { name: 'Confirm my comment' }).focus()
    await page.keyboard.press('Enter')
    await page
      .getByRole('heading', { name: 'Thank you: your e-mail address is confirmed' })
      .waitFor()
    await expectNoSeriousViolations(page, 'confirmed receipt (phone)')
    expect(await status()).toEqual({ status: 'accepted' })
  })

  test('the report before and after the close, the closed page and the 404 page pass axe on a phone and a desktop', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await pageWith({ javaScript: true, viewport })
      await page.goto(`${server.url}/c/${consultation.slug}/report`)
      expect(await page.locator('h1').textContent()).toBe('What we heard')
      await expectNoSeriousViolations(page, `report before the close (${name})`)
      const missing = await page.goto(`${server.url}/c/no-such-consultation`)
      expect(missing?.status()).toBe(404)
      await expectNoSeriousViolations(page, `404 (${name})`)
    }
    // Once closed, the report holds the comments made above, with their totals.
    await api.post(`/api/consultations/${consultation.id}/close`, {
      reason: 'The window ends today.',
    })
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await pageWith({ javaScript: true, viewport })
      await page.goto(`${server.url}/c/${consultation.slug}/report`)
      await page.getByText('Publish incident statistics every year.').waitFor()
      expect(await page.locator('table.matrix tbody tr').count()).toBe(3)
      await expectNoSeriousViolations(page, `report after the close (${name})`)
      await page.goto(`${server.url}/c/${consultation.slug}`)
      await page.getByText('Closed early on').waitFor()
      await expectNoSeriousViolations(page, `closed consultation (${name})`)
      if (name === 'phone') {
        await expectNoHorizontalScroll(page)
      }
    }
  })
})
