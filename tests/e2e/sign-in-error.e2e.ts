import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, newContext } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// Flow 4: a wrong password gets a translated, announced error, and nothing else changes.
describe('signing in with a wrong password', () => {
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

  test('shows the translated error in an alert, in English and in Spanish', async () => {
    const user = await server.factories.createUser()
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/sign-in`)

    await page.getByLabel('E-mail address').fill(user.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()

    const alert = page.getByRole('alert').filter({ hasText: /\S/ })
    await expect
      .poll(() => alert.textContent())
      .toContain('The e-mail address or password is not correct.')
    // Still on the sign-in page, signed out, with the e-mail kept and the password cleared.
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    expect(await page.getByLabel('E-mail address').inputValue()).toBe(user.email)
    expect(await page.getByLabel('Password').inputValue()).toBe('')
    // The message takes focus, so keyboard and screen reader users meet it at once.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert')

    // The same answer for an unknown account, in Spanish this time.
    await page.getByRole('button', { name: 'Español' }).click()
    await page.getByLabel('Correo electrónico').fill('nobody-here@example.org')
    await page.getByLabel('Contraseña').fill('whatever-it-is')
    await page.getByRole('button', { name: 'Iniciar sesión' }).click()
    await expect
      .poll(() => alert.textContent())
      .toContain('El correo electrónico o la contraseña no son correctos.')

    await context.close()
  })

  test('checks the fields before sending and links each message to its field', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/sign-in`)
    await page.getByLabel('E-mail address').fill('not-an-address')
    await page.getByRole('button', { name: 'Sign in' }).click()

    const email = page.getByLabel('E-mail address')
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true')
    const describedBy = (await email.getAttribute('aria-describedby')) ?? ''
    expect(await page.locator(`#${describedBy.split(' ').pop()}`).textContent()).toContain(
      'Enter an e-mail address',
    )
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true')
    // Focus goes to the first field with a problem.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('email')
    await context.close()
  })
})
