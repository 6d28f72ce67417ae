import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  invitationLink,
  launchBrowser,
  newContext,
  signIn,
  trackPageErrors,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

// Flow 1: an administrator starts a process and invites someone by e-mail; the invitee opens
// the link from the captured e-mail, creates an account and lands in the process.
describe('inviting a new member', () => {
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

  test('an admin creates a process and invites someone who joins through the e-mailed link', async () => {
    const admin = await server.factories.createUser({ isAdmin: true, name: 'Ana Secretaria' })
    const inviteeEmail = `invitee-${Date.now()}@example.org`
    const title = 'National Cybersecurity Strategy 2026–2030'

    // The administrator signs in and creates the process.
    const adminContext = await newContext(browser)
    const page = await adminContext.newPage()
    const adminErrors = trackPageErrors(page)
    await signIn(page, server.url, admin.email, admin.password)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Processes')

    await page.getByRole('button', { name: 'New process' }).click()
    await page.getByLabel('Title').fill(title)
    await page
      .getByLabel(/Description/)
      .fill('Co-drafted with civil society, academia and the private sector.')
    await page.getByRole('checkbox', { name: 'English' }).check()
    await page.getByRole('checkbox', { name: 'Spanish' }).check()
    await page.getByLabel('Main language', { exact: true }).selectOption('en')
    await page.getByRole('button', { name: 'Create process' }).click()
    await page.waitForURL(/\/processes\/[0-9a-f-]{36}$/)
    const processUrl = new URL(page.url()).pathname
    await expect.poll(() => page.locator('h1').textContent()).toBe(title)

    // Invite a person who has no account yet.
    await page
      .getByRole('navigation', { name: 'Process sections' })
      .getByRole('link', { name: 'Members' })
      .click()
    await page.getByRole('button', { name: 'Add a member' }).click()
    await page.getByLabel('E-mail address').fill(inviteeEmail)
    await page.getByLabel('Role').selectOption('stakeholder')
    await page.getByLabel('Stakeholder group').selectOption('civil-society')
    await page.getByLabel(/Organisation/).fill('Digital Rights Foundation')
    await page.getByRole('button', { name: 'Add or invite' }).click()
    await expect.poll(() => page.getByText(`Invitation sent to ${inviteeEmail}.`).count()).toBe(1)

    // The invitation is in the pending list.
    await page
      .getByRole('navigation', { name: 'Process sections' })
      .getByRole('link', { name: 'Invitations' })
      .click()
    const row = page.getByRole('row', { name: new RegExp(inviteeEmail.replace(/[.]/g, '\\.')) })
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.textContent()).toContain('Civil society')
    expect(adminErrors).toEqual([])

    // The invitee gets an e-mail with a link.
    const mail = server.mail.messages.find((m) => m.to === inviteeEmail)
    expect(mail, 'an invitation e-mail was sent').toBeDefined()
    const link = invitationLink(mail!.text)
    expect(link, 'the e-mail carries an invitation link').toBeDefined()

    // The invitee opens it in their own (signed-out) browser and creates an account.
    const inviteeContext = await newContext(browser)
    const invitee = await inviteeContext.newPage()
    const inviteeErrors = trackPageErrors(invitee)
    await invitee.goto(link!)
    await invitee.getByRole('heading', { name: 'Create your account' }).waitFor()
    expect(await invitee.locator('h1').textContent()).toBe('You are invited')
    expect(await invitee.locator('main').textContent()).toContain(title)
    await invitee.getByLabel('Full name').fill('Lucía Fernández')
    await invitee.getByLabel('Choose a password').fill('a long enough passphrase')
    await invitee.getByLabel('Repeat the password').fill('a long enough passphrase')
    await invitee.getByRole('button', { name: 'Create account and join' }).click()

    // They land in the process, signed in, with their role.
    await invitee.waitForURL((url) => url.pathname === processUrl)
    await expect.poll(() => invitee.locator('h1').textContent()).toBe(title)
    expect(await invitee.locator('.process-facts').textContent()).toContain('Stakeholder')
    await expect.poll(() => invitee.getByRole('button', { name: 'Sign out' }).count()).toBe(1)

    // The invitation is no longer pending for the secretariat.
    await page.reload()
    await expect.poll(() => page.getByText('There are no pending invitations.').count()).toBe(1)
    expect(inviteeErrors).toEqual([])

    await adminContext.close()
    await inviteeContext.close()
  })
})
