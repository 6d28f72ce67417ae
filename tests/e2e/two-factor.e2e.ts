import { generate } from 'otplib'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectNoSeriousViolations, launchBrowser, newContext, PHONE, signIn, trackPageErrors } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

const codeAt = (secret: string, steps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 })

// The second factor in the browser (issue 12, item 8): set it up on the account page, then
// sign in with the code, with the keyboard only.
describe('second factor', () => {
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

  test('set up an authenticator app, keep the recovery codes, and sign in with a code', async () => {
    const user = await server.factories.createUser({ name: 'Tomás Ruiz' })
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = trackPageErrors(page)
    await signIn(page, server.url, user.email, user.password)
    await page.goto(`${server.url}/account`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your account')

    await page.getByRole('button', { name: 'Set up an authenticator app' }).focus()
    await page.keyboard.press('Enter')
    const secret = (await page.locator('#two-factor-secret').textContent({ timeout: 10_000 }))!.trim()
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(await page.getByRole('img', { name: 'QR code for your authenticator app' }).count()).toBe(1)
    // The code field has the focus: type the code and press Enter.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('two-factor-confirm-code')
    await page.keyboard.type(await codeAt(secret, -1))
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByText('Your recovery codes').count()).toBe(1)
    expect(await page.locator('.recovery-codes li').count()).toBe(10)
    await expectNoSeriousViolations(page, 'account page with recovery codes')
    await page.getByRole('button', { name: 'I have kept them' }).click()
    await expect.poll(() => page.getByText('The second factor is on.').count()).toBe(1)

    // Signing in again asks for the code after the password.
    await page.getByRole('button', { name: /sign out/i }).click()
    await page.goto(`${server.url}/sign-in`)
    await page.getByLabel(/e-mail/i).fill(user.email)
    await page.getByLabel(/^password$/i).fill(user.password)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Enter your code')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('two-factor-code')
    await page.keyboard.type('000000' === (await codeAt(secret)) ? '111111' : '000000')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#two-factor-error').textContent()).toContain('not correct')
    // The error summary has the focus; Tab leads back to the code field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('two-factor-error')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('two-factor-code')
    await page.keyboard.type(await codeAt(secret))
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    const session = await page.evaluate(async () => (await fetch('/api/auth/session')).status)
    expect(session).toBe(200)
    expect(errors).toEqual([])
    await context.close()
  }, 60_000)
})

// Where the instance requires it of staff, an administrator without a second factor sees only
// the set-up page, at every address, until it is on; then the app takes them where they went.
describe('second factor required of staff', () => {
  let server: TestServer
  let browser: Browser

  beforeAll(async () => {
    server = await startTestServer({ config: { STAFF_TWO_FACTOR: 'required' } })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const [device, viewport] of [['desktop', undefined], ['phone', PHONE]] as const) {
    test(`an administrator sets it up before anything else (${device})`, async () => {
      const admin = await server.factories.createUser({ isAdmin: true, name: 'Lucía Paredes' })
      const process = await server.factories.createProcess({ secretariat: admin, title: 'Estrategia Nacional' })
      const context = await newContext(browser, viewport ? { viewport } : {})
      const page = await context.newPage()
      const errors = trackPageErrors(page)
      await signIn(page, server.url, admin.email, admin.password)
      await expect.poll(() => page.locator('h1').textContent()).toBe('Set up your second factor')
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0)
      await expectNoSeriousViolations(page, `set-up page (${device})`)
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)

      // Any other address shows the same page.
      await page.goto(`${server.url}/processes/${process.id}`)
      await expect.poll(() => page.locator('h1').textContent()).toBe('Set up your second factor')
      await page.getByRole('button', { name: 'Set up an authenticator app' }).click()
      const secret = (await page.locator('#two-factor-secret').textContent({ timeout: 10_000 }))!.trim()
      await page.getByLabel('Code', { exact: true }).fill(await codeAt(secret))
      await page.getByRole('button', { name: 'Turn on' }).click()
      await expect.poll(() => page.locator('.recovery-codes li').count()).toBe(10)
      await page.getByRole('button', { name: 'I have kept them' }).click()

      // Then the page they asked for, with the navigation back.
      await expect.poll(() => page.locator('h1').textContent()).toBe('Estrategia Nacional')
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(1)
      expect(errors).toEqual([])
      await context.close()
    }, 60_000)
  }
})
