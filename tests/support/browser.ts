import axe from 'axe-core'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/**
 * Browser helpers for the end-to-end suite: a Debian Chromium driven by playwright-core (no
 * downloaded browser builds), an axe-core check, and the steps most flows share.
 */

/** Launches the system Chromium (`CHROMIUM_PATH`, else Debian's /usr/bin/chromium). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

export const DESKTOP = { width: 1280, height: 900 } as const
export const PHONE = { width: 375, height: 812 } as const

/**
 * A fresh, signed-out browser context. The browser language is English unless told
 * otherwise, so tests do not depend on the machine's locale.
 */
export function newContext(
  browser: Browser,
  options: { viewport?: { width: number; height: number }; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    locale: options.locale ?? 'en-GB',
    // Narrow viewports behave like a phone: touch, mobile meta viewport.
    isMobile: (options.viewport?.width ?? DESKTOP.width) < 600,
    hasTouch: (options.viewport?.width ?? DESKTOP.width) < 600,
  })
}

/**
 * Collects uncaught page errors, so a test can assert the app did not crash while it
 * looked fine.
 */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

/**
 * Signed-in pages, each in a browser context of its own, for a test file that plays several
 * people; `closeAll` in its `afterAll`. The browser and address are read when a page is made,
 * so this can be set up before `beforeAll` starts them.
 */
export function signedInPages(browser: () => Browser, baseUrl: () => string) {
  const contexts: BrowserContext[] = []
  return {
    async pageFor(
      user: { email: string; password: string },
      options: { viewport?: { width: number; height: number } } = {},
    ): Promise<Page> {
      const context = await newContext(browser(), options)
      contexts.push(context)
      const page = await context.newPage()
      await signIn(page, baseUrl(), user.email, user.password)
      return page
    },
    async closeAll(): Promise<void> {
      for (const context of contexts.splice(0)) {
        await context.close().catch(() => undefined)
      }
    },
  }
}

/** Signs in through the form and waits until the app has left the sign-in page. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel(/e-mail|correo/i).fill(email)
  await page.getByLabel(/^(password|contraseña)$/i).fill(password)
  await page.locator('form button[type=submit]').click()
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

export interface AxeViolation {
  id: string
  impact: string | null | undefined
  help: string
  nodes: string[]
}

/**
 * Runs axe-core in the page (WCAG 2.0–2.2 A and AA rules plus best practices) and returns
 * the violations whose impact is serious or critical.
 */
export async function findSeriousViolations(page: Page): Promise<AxeViolation[]> {
  const alreadyLoaded = await page.evaluate(() => 'axe' in window)
  if (!alreadyLoaded) {
    // Evaluated through the DevTools protocol rather than a <script> tag, so the app's
    // Content-Security-Policy (no inline scripts) stays on during the check.
    await page.evaluate(axe.source)
  }
  const results = await page.evaluate(async () => {
    const runner = (window as unknown as { axe: typeof axe }).axe
    // Measure colours at rest, not halfway through a hover or state transition. Endless
    // animations (spinners) are left alone.
    await Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)),
    )
    const result = await runner.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
    }))
  })
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/**
 * Fails with a readable list when axe finds a serious or critical violation. `where` names
 * the page and viewport in the message.
 */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const violations = await findSeriousViolations(page)
  if (violations.length > 0) {
    const report = violations
      .map(
        (v) => `- [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n}`).join('\n')}`,
      )
      .join('\n')
    throw new Error(
      `axe found ${violations.length} serious/critical violation(s) on ${where}:\n${report}`,
    )
  }
}

/** Finds the first link to `<base>/invitations/<token>` in an e-mail body. */
export function invitationLink(text: string): string | undefined {
  return /https?:\/\/[^\s]+\/invitations\/[A-Za-z0-9_\-.~%]+/.exec(text)?.[0]
}
