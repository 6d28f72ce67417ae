import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadState } from '../../server/documents/state'
import { freezeState, insertFrozenVersion } from '../../server/versions/service'
import {
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  newContext,
  signIn,
  trackPageErrors,
} from '../support/browser'
import { startTestServer, type TestServer } from '../support/server'
import { THREAD_DRAFT } from '../support/threads'

type User = Awaited<ReturnType<TestServer['factories']['createUser']>>

// A secretariat adopts a version as the strategy and keeps a commitment up to date (issue 14).
describe('strategy', () => {
  let server: TestServer
  let browser: Browser
  let secretariat: User
  let processId: string
  let versionId: string

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    const process = await server.factories.createProcess({ title: 'Strategy', secretariat })
    processId = process.id
    const { id } = await server.factories.createDocument(
      process.id,
      secretariat,
      'Draft strategy',
      THREAD_DRAFT,
    )
    versionId = await server.db.transaction().execute(async (trx) => {
      const version = await insertFrozenVersion(
        trx,
        { id, process_id: process.id, title: 'Draft strategy' },
        freezeState(await loadState(trx, id)),
        'Final text',
        { userId: secretariat.id, name: secretariat.name, ip: 'test' },
      )
      return version.id
    })
    // The consultation has been answered: the process is at the response stage.
    await server.db
      .updateTable('processes')
      .set({ stage: 'response' })
      .where('id', '=', process.id)
      .execute()
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  test('the secretariat adopts a version and updates a commitment', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const errors = trackPageErrors(page)
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.goto(`${server.url}/processes/${processId}/strategy`)
    await expect
      .poll(() => page.getByText('No version has been adopted as the strategy yet.').count())
      .toBe(1)

    // The instrument is required; nothing is sent without it.
    await page.getByRole('button', { name: 'Adopt this version' }).click()
    await expect.poll(() => page.locator('#adopt-instrument[aria-invalid=true]').count()).toBe(1)
    await page.getByLabel('Date of adoption').fill('2027-03-01')
    await page.getByLabel('Instrument', { exact: true }).fill('Decree 12 of 2027')
    await page.getByRole('button', { name: 'Adopt this version' }).click()
    const current = page.locator('.current-strategy')
    await expect.poll(() => current.getByText('Decree 12 of 2027').count()).toBe(1)
    expect(await current.getByText('1 Mar 2027').count()).toBe(1)
    expect(
      await current
        .getByRole('link', { name: 'Download “Draft strategy” as DOCX' })
        .getAttribute('href'),
    ).toBe(`/api/versions/${versionId}/export?format=docx`)
    expect(await page.locator('.stage').textContent()).toBe('Adopted')

    // The lines of action became commitments; the first one is updated.
    const governance = page.getByRole('article', { name: '#1 Governance' })
    await expect.poll(() => governance.count()).toBe(1)
    expect(await page.getByRole('article', { name: '#2 Critical infrastructure' }).count()).toBe(1)
    await governance.getByText('Update commitment #1').click()
    await governance.getByLabel('Responsible organisation').fill('National Cybersecurity Agency')
    await governance.getByLabel('Status').selectOption('in-progress')
    await governance.getByLabel('Due date').fill('2027-12-31')
    await governance.getByRole('button', { name: 'Save' }).click()
    await expect.poll(() => governance.locator('.badge.status').textContent()).toBe('In progress')
    expect(
      await governance.getByText('Responsible organisation: National Cybersecurity Agency').count(),
    ).toBe(1)

    await governance
      .getByLabel('Indicator', { exact: true })
      .fill('Ministries with a security officer')
    await governance.getByLabel('Baseline').fill('3')
    await governance.getByLabel('Target').fill('20')
    await governance.getByRole('button', { name: 'Add the indicator' }).click()
    const table = governance.getByRole('table', { name: 'Indicators' })
    await expect.poll(() => table.getByText('Not measured yet').count()).toBe(1)
    await governance.getByLabel('Measured value').fill('11.5')
    await governance.getByLabel('Measured on').fill('2027-06-30')
    await governance.getByRole('button', { name: 'Record the value' }).click()
    await expect.poll(() => table.getByText('11.5').count()).toBe(1)
    expect(await table.getByRole('meter').getAttribute('aria-label')).toBe(
      '50 % of the way to the target',
    )

    await governance.getByLabel('Progress update').fill('Eleven ministries named an officer.')
    await governance.getByRole('button', { name: 'Add the update' }).click()
    await expect
      .poll(() => governance.getByText('Eleven ministries named an officer.').count())
      .toBe(1)

    // The status filter shows one in progress, and none done.
    await page.getByLabel('In progress (1)').check()
    await expect.poll(() => page.getByRole('article').count()).toBe(1)
    await page.getByLabel('Done (0)').check()
    await expect.poll(() => page.getByText('No commitment has this status.').count()).toBe(1)
    await page.getByLabel('All (2)').check()
    await expect.poll(() => page.getByRole('article').count()).toBe(2)
    await expectNoSeriousViolations(page, 'strategy tab with a commitment')

    // On the record, for the audit.
    const actions = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('process_id', '=', processId)
      .where('action', 'like', 'commitment.%')
      .execute()
    expect(actions.map((a) => a.action).sort()).toEqual([
      'commitment.indicator_added',
      'commitment.measured',
      'commitment.progress',
      'commitment.updated',
    ])
    expect(errors).toEqual([])
    await context.close()
  })

  test('the strategy tab reads on a phone without sideways scrolling', async () => {
    const context = await newContext(browser, { viewport: PHONE })
    const page = await context.newPage()
    await signIn(page, server.url, secretariat.email, secretariat.password)
    await page.goto(`${server.url}/processes/${processId}/strategy`)
    await expect.poll(() => page.getByRole('article', { name: '#1 Governance' }).count()).toBe(1)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
    await expectNoSeriousViolations(page, 'strategy tab on a phone')
    await context.close()
  })
})
