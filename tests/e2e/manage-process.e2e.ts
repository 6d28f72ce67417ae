import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, newContext, signIn, trackPageErrors } from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'

type User = Awaited<ReturnType<TestServer['factories']['createUser']>>

// The secretariat runs a process from its home: members, groups, documents, settings and the
// activity log; other roles see only what they may use.
describe('running a process', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let secretariat: User
  let stakeholder: User

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    stakeholder = await server.factories.createUser({ name: 'Martín Castillo' })
    const leaving = await server.factories.createUser({ name: 'Carla Mendes' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      members: [
        {
          user: stakeholder,
          role: 'stakeholder',
          group: 'academia',
          organisation: 'National University',
        },
        { user: leaving, role: 'observer', group: 'private-sector' },
      ],
    })
    processId = process.id
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const section = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Process sections' }).getByRole('link', { name }).click()

  test('the secretariat edits members, groups, documents and settings', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = trackPageErrors(page)
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.goto(`${server.url}/processes/${processId}/members`)

    // Change a member's role and organisation in place.
    await page.getByRole('button', { name: 'Edit Martín Castillo' }).click()
    await page.getByLabel('Role').selectOption('drafter')
    await page.getByLabel(/Organisation/).fill('Faculty of Engineering')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => page.getByText('Changes to Martín Castillo saved.').count()).toBe(1)
    const row = page.getByRole('row', { name: /Martín Castillo/ })
    await expect.poll(() => row.textContent()).toContain('Drafter')
    expect(await row.textContent()).toContain('Faculty of Engineering')

    // Remove a member, after confirming.
    await page.getByRole('button', { name: 'Remove Carla Mendes' }).click()
    await page.getByRole('button', { name: 'Yes, remove' }).click()
    await expect
      .poll(() => page.getByText('Carla Mendes was removed from the process.').count())
      .toBe(1)
    await expect.poll(() => page.getByRole('row', { name: /Carla Mendes/ }).count()).toBe(0)

    // The last member of the secretariat cannot leave; the reason is explained.
    await page.getByRole('button', { name: 'Remove Sofía Ramírez' }).click()
    await page.getByRole('button', { name: 'Yes, remove' }).click()
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: 'at least one member of the secretariat' })
          .count(),
      )
      .toBe(1)

    // Add a stakeholder group, then remove it.
    await section(page, 'Stakeholder groups')
    await page.getByLabel('Group name').fill('Technical community')
    await page.getByRole('button', { name: 'Add group' }).click()
    await expect
      .poll(() => page.locator('.group-name', { hasText: 'Technical community' }).count())
      .toBe(1)
    await page.getByRole('button', { name: 'Remove the group Technical community' }).click()
    await page.getByRole('button', { name: 'Yes, remove' }).click()
    await expect
      .poll(() => page.locator('.group-name', { hasText: 'Technical community' }).count())
      .toBe(0)

    // Create a document and open it.
    await section(page, 'Documents')
    // (The import form below has a title field too; the first is the new document's.)
    await page.getByLabel('Document title', { exact: true }).first().fill('Draft strategy')
    await page.getByRole('button', { name: 'Create document' }).click()
    await page.getByRole('link', { name: 'Draft strategy', exact: true }).click()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Draft strategy')
    await page.locator('.doc-text').waitFor()
    // A direct visit (no history state) finds the document too.
    await page.reload()
    await expect.poll(() => page.locator('h1').textContent()).toBe('Draft strategy')
    await page.locator('.doc-text').waitFor()
    await page.getByRole('link', { name: 'National Cybersecurity Strategy' }).click()

    // Edit the details, then archive: the process becomes read-only.
    await section(page, 'Settings')
    await page.getByLabel('Title').fill('National Cybersecurity Strategy 2026–2030')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe('National Cybersecurity Strategy 2026–2030')
    await page.getByRole('button', { name: 'Archive process' }).click()
    await page.getByRole('button', { name: 'Yes, archive' }).click()
    await expect
      .poll(() => page.getByText('This process is archived', { exact: true }).count())
      .toBe(1)
    await section(page, 'Documents')
    await page.getByRole('link', { name: 'Draft strategy' }).waitFor()
    expect(await page.getByRole('button', { name: 'Create document' }).count()).toBe(0)
    await section(page, 'Members')
    await page.getByRole('row', { name: /Martín Castillo/ }).waitFor()
    expect(await page.getByRole('button', { name: 'Add a member' }).count()).toBe(0)

    // The process list shows it under Archived; then bring it back.
    await page.goto(`${server.url}/`)
    await page.getByRole('heading', { name: 'Archived' }).waitFor()
    await page.goto(`${server.url}/processes/${processId}/settings`)
    await page.getByRole('button', { name: 'Unarchive process' }).click()
    await expect
      .poll(() => page.getByText('This process is archived', { exact: true }).count())
      .toBe(0)

    // Everything above is in the activity log, as sentences with links (issue 15, item 6).
    await section(page, 'Activity')
    await page
      .getByText(/removed .* from the process\./)
      .first()
      .waitFor()
    const log = (await page.locator('.timeline').textContent()) ?? ''
    for (const entry of [
      'changed the role of',
      'added the stakeholder group',
      'removed the stakeholder group',
      'created the document “Draft strategy”.',
      'archived the process.',
      'reactivated the process.',
    ]) {
      expect(log).toContain(entry)
    }
    expect(log).not.toMatch(/\b(member|process|group|document)\.[a-z_]+/)
    expect(log).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    await page.getByRole('link', { name: '“Draft strategy”' }).first().waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  test('a stakeholder sees the process without the secretariat’s controls', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await signIn(page, server.url, stakeholder.email, stakeholder.password)
    await page.getByRole('link', { name: /National Cybersecurity Strategy/ }).waitFor()
    expect(await page.getByRole('button', { name: 'New process' }).count()).toBe(0)

    await page.goto(`${server.url}/processes/${processId}/members`)
    await page.getByRole('row', { name: /Sofía Ramírez/ }).waitFor()
    const tabs = await page
      .getByRole('navigation', { name: 'Process sections' })
      .getByRole('link')
      .allTextContents()
    expect(tabs).toEqual([
      'Documents',
      'Threads',
      'Consultations',
      'Workshops',
      // Every member reads the strategy in force; only the secretariat adopts (issue 14).
      'Strategy',
      'Members',
      'Stakeholder groups',
    ])
    expect(await page.getByRole('button', { name: /^Edit / }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Add a member' }).count()).toBe(0)

    // A section their role does not include says so rather than failing.
    await page.goto(`${server.url}/processes/${processId}/settings`)
    await expect
      .poll(() => page.locator('.tab-panel h2').textContent())
      .toBe('You do not have permission to do this.')

    // Another process's address is simply not found.
    await page.goto(`${server.url}/processes/00000000-0000-4000-8000-000000000000`)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Page not found')
    await context.close()
  })

  test('signed-out visitors are sent to sign in and brought back afterwards', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/processes/${processId}/groups`)
    await page.waitForURL((url) => url.pathname === '/sign-in')
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/processes/${processId}/groups`)
    await page.getByLabel('E-mail address').fill(secretariat.email)
    await page.getByLabel('Password').fill(secretariat.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.pathname === `/processes/${processId}/groups`)
    await expect.poll(() => page.locator('.tab-panel h2').textContent()).toBe('Stakeholder groups')
    await context.close()
  })
})
