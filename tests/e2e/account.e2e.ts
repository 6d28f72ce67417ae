import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, newContext, signIn, trackPageErrors } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// The account page and the password-reset link: what people do for themselves.
describe('your account', () => {
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

  test('change the name, manage API tokens and change the password', async () => {
    const user = await server.factories.createUser({ name: 'Elena Torres' })
    const context = await newContext(browser)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    const page = await context.newPage()
    const errors = trackPageErrors(page)
    await signIn(page, server.url, user.email, user.password)
    await page.getByRole('link', { name: 'Account' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Your account')

    await page.getByLabel('Full name').fill('Elena Torres Vega')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1)

    // A token's secret is shown once, with a copy button.
    await page.getByLabel('Token name').fill('Monthly report script')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = await page.getByLabel('Token', { exact: true }).inputValue()
    expect(secret.length).toBeGreaterThan(20)
    await page.getByRole('button', { name: 'Copy' }).click()
    await expect.poll(() => page.getByText('Copied to the clipboard.').count()).toBe(1)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    // The secret works against the API.
    const me = await fetch(`${server.url}/api/processes`, {
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(me.status).toBe(200)
    await page.getByRole('button', { name: 'I have copied it' }).click()
    expect(await page.getByLabel('Token', { exact: true }).count()).toBe(0)

    await page.getByRole('button', { name: 'Revoke the token Monthly report script' }).click()
    await page.getByRole('button', { name: 'Yes, revoke' }).click()
    await expect.poll(() => page.getByText('You have no API tokens.').count()).toBe(1)
    const revoked = await fetch(`${server.url}/api/processes`, {
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(revoked.status).toBe(401)

    // A wrong current password is reported on its field.
    await page.getByLabel('Current password').fill('not my password')
    await page.getByLabel('New password').fill('a brand new passphrase')
    await page.getByLabel('Repeat the password').fill('a brand new passphrase')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => page.getByText('This is not your current password.').count()).toBe(1)

    await page.getByLabel('Current password').fill(user.password)
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => page.getByText('Your password has been changed.').count()).toBe(1)

    // The session goes on with the rotated CSRF token: a write still works.
    await page.getByLabel('Full name').fill('Elena Torres')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1)

    // And the new password is the one that signs in.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await signIn(page, server.url, user.email, 'a brand new passphrase')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Processes')
    expect(errors).toEqual([])
    await context.close()
  })

  test('reset a forgotten password with the e-mailed link, which works only once', async () => {
    const user = await server.factories.createUser()
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/sign-in`)
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Reset your password')
    await page.getByLabel('E-mail address').fill(user.email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    await expect.poll(() => page.getByText('Check your e-mail').count()).toBe(1)

    await expect.poll(() => server.mail.messages.filter((m) => m.to === user.email).length).toBe(1)
    const mail = server.mail.messages.find((m) => m.to === user.email)!
    const link = /https?:\/\/\S+\/reset-password\?token=[^\s]+/.exec(mail.text)?.[0]
    expect(link, 'the e-mail carries a reset link').toBeDefined()

    await page.goto(link!)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Choose a new password')
    await page.getByLabel('New password').fill('short')
    await page.getByLabel('Repeat the password').fill('short')
    await page.getByRole('button', { name: 'Save the new password' }).click()
    await expect
      .poll(() => page.getByText('The password needs at least 10 characters.').count())
      .toBe(1)

    await page.getByLabel('New password').fill('my new reset passphrase')
    await page.getByLabel('Repeat the password').fill('my new reset passphrase')
    await page.getByRole('button', { name: 'Save the new password' }).click()
    await page.waitForURL((url) => url.pathname === '/sign-in')
    await expect.poll(() => page.getByText('Your password has been changed.').count()).toBe(1)
    await signIn(page, server.url, user.email, 'my new reset passphrase')
    await expect.poll(() => page.locator('h1').textContent()).toBe('Processes')

    // The same link a second time is refused, with a way to ask for a new one.
    const again = await (await newContext(browser)).newPage()
    await again.goto(link!)
    await again.getByLabel('New password').fill('yet another passphrase')
    await again.getByLabel('Repeat the password').fill('yet another passphrase')
    await again.getByRole('button', { name: 'Save the new password' }).click()
    await expect
      .poll(() =>
        again
          .getByRole('alert')
          .filter({ hasText: 'This link has expired or has already been used.' })
          .count(),
      )
      .toBe(1)
    expect(await again.getByRole('link', { name: 'Request a new link' }).count()).toBe(1)
    await again.context().close()
    await context.close()
  })
})
