import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Consultation } from '../../shared/api/consultations'
import { DICTIONARIES } from '../../shared/i18n/dictionaries'
import { LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../shared/i18n/languages'
import {
  DESKTOP,
  expectNoSeriousViolations,
  launchBrowser,
  trackPageErrors,
} from '../support/browser'
import { consultationBody } from '../support/consultations'
import { startTestServer, type TestServer } from '../support/server'
import { apiAs, importDraft } from './thread-helpers'

// Issue 16, item 6: every interface language passes axe on a desktop and on a 390 px phone,
// on the sign-in page, the processes, a document and a public consultation page; the language
// switch changes the interface and the choice follows the person into the app.
const PHONE_390 = { width: 390, height: 844 } as const

describe('the interface in four languages', () => {
  let server: TestServer
  let browser: Browser
  let documentId: string
  let consultation: Consultation
  let users: Record<UiLanguage, { email: string; password: string }>
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    const admin = await server.factories.createUser({ isAdmin: true, name: 'Ana Souza' })
    const members = await Promise.all(
      UI_LANGUAGES.map(() => server.factories.createUser({ name: 'Claire Martin' })),
    )
    users = Object.fromEntries(
      UI_LANGUAGES.map((lang, i) => [lang, members[i]!]),
    ) as unknown as typeof users
    const process = await server.factories.createProcess({
      title: 'Estratégia Nacional de Cibersegurança',
      secretariat: admin,
      languages: ['pt', 'fr', 'en', 'es'],
      members: members.map((user) => ({
        user,
        role: 'stakeholder' as const,
        group: 'academia',
        organisation: 'Universidade',
      })),
    })
    const api = await apiAs(server.url, admin)
    const imported = await importDraft(
      api,
      process.id,
      'Minuta',
      '# Visão\n\nUm país digital seguro.\n\n## Governança\n\nO conselho coordena.\n',
    )
    documentId = imported.id
    consultation = await api.post<Consultation>(
      `/api/processes/${process.id}/consultations`,
      consultationBody(imported.id, {
        title: {
          pt: 'Consulta pública',
          fr: 'Consultation publique',
          en: 'Public consultation',
          es: 'Consulta pública',
        },
        introduction: {
          pt: 'Diga o que pensa.',
          fr: 'Dites-nous ce que vous en pensez.',
          en: 'Tell us.',
          es: 'Díganos.',
        },
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

  async function pageAt(
    viewport: { width: number; height: number },
    locale = 'en-GB',
  ): Promise<Page> {
    const phone = viewport.width < 600
    const context = await browser.newContext({ viewport, locale, isMobile: phone, hasTouch: phone })
    contexts.push(context)
    return context.newPage()
  }

  async function expectNoHorizontalScroll(page: Page, where: string) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow, where).toBeLessThanOrEqual(0)
  }

  for (const lang of UI_LANGUAGES) {
    const strings = DICTIONARIES[lang]
    for (const [device, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE_390],
    ] as const) {
      test(`${LANGUAGE_NAMES[lang]} on a ${device}: switch, sign in, processes, a document, a public page`, async () => {
        const page = await pageAt(viewport)
        const errors = trackPageErrors(page)
        await page.goto(`${server.url}/sign-in`)
        await expect.poll(() => page.locator('h1').textContent()).toBe(DICTIONARIES.en.signIn.title)

        // The switch offers every language by its own name (on a phone it shows the codes, the
        // names staying the buttons' accessible names), and changes the page at once.
        const buttons = page.locator('.lang-switch button')
        expect(await buttons.count()).toBe(UI_LANGUAGES.length)
        for (const code of UI_LANGUAGES) {
          expect(
            await page.getByRole('button', { name: LANGUAGE_NAMES[code], exact: true }).count(),
          ).toBe(1)
        }
        const shown = await buttons.evaluateAll((all) =>
          all.map((button) =>
            [...button.querySelectorAll('span')]
              .filter((span) => span.getBoundingClientRect().width > 1)
              .map((span) => span.textContent)
              .join(''),
          ),
        )
        expect(shown).toEqual(
          UI_LANGUAGES.map((code) =>
            device === 'phone' ? code.toUpperCase() : LANGUAGE_NAMES[code],
          ),
        )
        await page.getByRole('button', { name: LANGUAGE_NAMES[lang], exact: true }).click()
        await expect.poll(() => page.locator('h1').textContent()).toBe(strings.signIn.title)
        expect(await page.getAttribute('html', 'lang')).toBe(lang)
        await expectNoSeriousViolations(page, `sign-in (${lang}, ${device})`)
        await expectNoHorizontalScroll(page, `sign-in (${lang}, ${device})`)

        await page.getByLabel(strings.fields.email).fill(users[lang].email)
        await page.getByLabel(strings.fields.password, { exact: true }).fill(users[lang].password)
        await page.locator('form button[type=submit]').click()
        await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
        await expect.poll(() => page.locator('h1').textContent()).toBe(strings.processes.title)
        expect(await page.getAttribute('html', 'lang')).toBe(lang)
        await expectNoSeriousViolations(page, `processes (${lang}, ${device})`)
        await expectNoHorizontalScroll(page, `processes (${lang}, ${device})`)

        await page.goto(`${server.url}/documents/${documentId}`)
        await page.locator('.ProseMirror').waitFor()
        expect(await page.getAttribute('html', 'lang')).toBe(lang)
        const label = strings.editor.label.replace('{{title}}', 'Minuta')
        await expect.poll(() => page.locator(`[aria-label="${label}"]`).count()).toBeGreaterThan(0)
        await expectNoSeriousViolations(page, `document (${lang}, ${device})`)

        // The public page in the same language: interface and text alike.
        await page.goto(`${server.url}/c/${consultation.slug}?lang=${lang}`)
        expect(await page.getAttribute('html', 'lang')).toBe(lang)
        expect(await page.locator('body').textContent()).toContain(
          strings.publicConsultation.windowHeading,
        )
        await expectNoSeriousViolations(page, `public page (${lang}, ${device})`)
        await expectNoHorizontalScroll(page, `public page (${lang}, ${device})`)
        expect(errors).toEqual([])
      })
    }
  }

  test('the choice is saved to the account and a browser in French or Portuguese starts in it', async () => {
    // Saved by the desktop run above: a fresh browser signs in and gets Portuguese back.
    const page = await pageAt(DESKTOP)
    await page.goto(`${server.url}/sign-in`)
    await page.locator('input[type=email]').fill(users.pt.email)
    await page.locator('input[type=password]').fill(users.pt.password)
    await page.locator('form button[type=submit]').click()
    await expect.poll(() => page.locator('h1').textContent()).toBe(DICTIONARIES.pt.processes.title)

    const french = await pageAt(DESKTOP, 'fr-CA')
    await french.goto(`${server.url}/sign-in`)
    await expect.poll(() => french.locator('h1').textContent()).toBe(DICTIONARIES.fr.signIn.title)
    expect(
      await french.getByRole('button', { name: 'Français' }).getAttribute('aria-pressed'),
    ).toBe('true')
  })
})
