import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, newContext, signIn } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// Flow 2: the interface language is the user's choice and survives a reload, both before
// sign-in (remembered by the browser) and after (saved to the account).
describe('choosing the interface language', () => {
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

  test('a signed-in user switches to Spanish and it persists across reloads and sessions', async () => {
    const user = await server.factories.createUser({ name: 'Jorge Pérez' })
    const context = await newContext(browser)
    const page = await context.newPage()
    await signIn(page, server.url, user.email, user.password)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Processes')
    expect(await page.getAttribute('html', 'lang')).toBe('en')

    await page.getByRole('button', { name: 'Español' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Procesos')
    expect(await page.getAttribute('html', 'lang')).toBe('es')
    expect(await page.title()).toBe('Procesos · Concord')
    expect(await page.getByRole('button', { name: 'Español' }).getAttribute('aria-pressed')).toBe(
      'true',
    )

    await page.reload()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Procesos')
    expect(await page.getAttribute('html', 'lang')).toBe('es')
    expect(await page.getByRole('button', { name: 'Cerrar sesión' }).count()).toBe(1)

    // The choice is saved to the account: a new browser (no local storage) gets Spanish
    // as soon as the user signs in.
    const elsewhere = await newContext(browser)
    const other = await elsewhere.newPage()
    await signIn(other, server.url, user.email, user.password)
    await expect.poll(() => other.locator('h1').textContent()).toBe('Procesos')

    await context.close()
    await elsewhere.close()
  })

  test('a visitor switches to Spanish on the sign-in page and it persists across a reload', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/sign-in`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Sign in')

    await page.getByRole('button', { name: 'Español' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Iniciar sesión')
    await page.reload()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Iniciar sesión')
    expect(await page.getAttribute('html', 'lang')).toBe('es')
    expect(await page.getByLabel('Correo electrónico').count()).toBe(1)

    // Signing in right after keeps the choice, and saves it to the account.
    const user = await server.factories.createUser()
    await page.getByLabel('Correo electrónico').fill(user.email)
    await page.getByLabel('Contraseña').fill(user.password)
    await page.getByRole('button', { name: 'Iniciar sesión' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Procesos')
    const elsewhere = await newContext(browser)
    const other = await elsewhere.newPage()
    await signIn(other, server.url, user.email, user.password)
    await expect.poll(() => other.locator('h1').textContent()).toBe('Procesos')

    await elsewhere.close()
    await context.close()
  })

  test('a first visit follows the browser language', async () => {
    const context = await newContext(browser, { locale: 'es-CO' })
    const page = await context.newPage()
    await page.goto(`${server.url}/sign-in`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Iniciar sesión')
    await context.close()
  })
})
