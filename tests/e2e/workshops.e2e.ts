import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ImportResult } from '../../shared/api/documents'
import type { ThreadPage } from '../../shared/api/threads'
import type { Workshop } from '../../shared/api/workshops'
import {
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { apiAs, importDraft, sectionIdOf, type ApiSession } from './thread-helpers'

const DRAFT = `# Vision

A secure and resilient digital nation.

## Governance

The national council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

// A whole workshop in real browsers (issue 13): a facilitator on a desktop and three
// participants, two of them on phones; one follows the facilitator, one raises a hand; every
// step reaches the other pages live.
describe('a workshop, live', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let draft: ImportResult
  let facilitator: TestUser
  let people: TestUser[]
  let api: ApiSession
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer({ clientDir: process.env.E2E_CLIENT_DIR })
    browser = await launchBrowser()
    const secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    facilitator = await server.factories.createUser({ name: 'Elena Torres' })
    people = [
      await server.factories.createUser({ name: 'Ana Souza' }),
      await server.factories.createUser({ name: 'Bruno Lima' }),
      await server.factories.createUser({ name: 'Chen Wei' }),
    ]
    const made = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      members: [
        { user: facilitator, role: 'facilitator', group: 'civil-society' },
        { user: people[0]!, role: 'stakeholder', group: 'academia', organisation: 'National University' },
        { user: people[1]!, role: 'stakeholder', group: 'private-sector', organisation: 'Chamber' },
        { user: people[2]!, role: 'observer', group: 'government' },
      ],
    })
    processId = made.id
    api = await apiAs(server.url, facilitator)
    draft = await importDraft(await apiAs(server.url, secretariat), processId, 'Strategy', DRAFT)
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  test('a facilitator runs it; participants join, follow, raise a hand and contribute', async () => {
    const workshop = await api.post<Workshop>(`/api/processes/${processId}/workshops`, {
      title: 'Round table on the draft',
      startsAt: '2027-03-01T14:00:00Z',
      endsAt: '2027-03-01T16:00:00Z',
      timeZone: 'America/Bogota',
      format: 'hybrid',
      languages: ['en'],
      documentId: draft.id,
      agenda: [
        { sectionId: sectionIdOf(draft, 'Governance'), minutes: 20 },
        { sectionId: sectionIdOf(draft, 'Critical infrastructure'), minutes: 20 },
      ],
    })
    await api.post(`/api/workshops/${workshop.id}/schedule`, {})
    const url = `${server.url}/processes/${processId}/workshops/${workshop.id}`

    const host = await pages.pageFor(facilitator)
    const errors = trackPageErrors(host)
    await host.goto(url)
    await host.getByRole('button', { name: 'Start' }).click()
    await host.getByText('Now discussing').waitFor()

    const phones: Page[] = [
      await pages.pageFor(people[0]!, { viewport: PHONE }),
      await pages.pageFor(people[1]!, { viewport: PHONE }),
    ]
    const desk = await pages.pageFor(people[2]!)
    for (const page of [...phones, desk]) {
      await page.goto(url)
      await page.getByRole('button', { name: 'Join the workshop' }).click()
      await page.getByText('Now discussing').waitFor()
    }
    await host.getByText('3 attendees').waitFor()

    // Ana follows the facilitator; Bruno does not.
    const follower = phones[0]!
    await expect.poll(() => follower.getByLabel(/Follow the facilitator/).isChecked()).toBe(true)
    await phones[1]!.getByLabel(/Follow the facilitator/).uncheck()
    await follower.getByRole('link', { name: 'Open the section being discussed' }).waitFor()

    // Bruno raises a hand on his phone; the facilitator sees it live and calls him.
    await phones[1]!.getByRole('button', { name: 'Raise my hand' }).click()
    const hand = host.locator('ol.queue li', { hasText: 'Bruno Lima' })
    await hand.waitFor({ timeout: 5_000 })
    await hand.getByRole('button', { name: 'Call' }).click()
    await phones[1]!.getByRole('button', { name: 'Raise my hand' }).waitFor({ timeout: 5_000 })

    // Ana records a comment from her phone; it becomes a thread of the section.
    await follower.getByLabel('Text', { exact: true }).fill('Name the council in law.')
    await follower.getByRole('button', { name: 'Record', exact: true }).click()
    await follower.getByText('Recorded.').waitFor()

    await expectNoSeriousViolations(follower, 'the participant view (phone)')
    // Ana opens the draft in follow mode: her editor shows the section being discussed.
    await follower.getByRole('link', { name: 'Open the section being discussed' }).click()
    await follower.getByText('Following the workshop: Governance.').waitFor()
    await follower.locator('.doc-heading.section-followed', { hasText: 'Governance' }).waitFor()

    // The facilitator moves on: every page shows the next section, and Ana's editor follows.
    await host.getByRole('button', { name: 'Next agenda item' }).click()
    for (const page of [phones[1]!, desk]) {
      await page.locator('.current-item', { hasText: 'Critical infrastructure' }).waitFor({ timeout: 5_000 })
    }
    await follower.getByText('Following the workshop: Critical infrastructure.').waitFor({ timeout: 5_000 })
    await follower.locator('.doc-heading.section-followed', { hasText: 'Critical infrastructure' }).waitFor()
    await expectNoSeriousViolations(host, 'the facilitator’s console (desktop)')

    await host.getByRole('button', { name: 'Close the workshop' }).click()
    await host.getByRole('heading', { name: 'Minutes' }).waitFor()
    const threads = await api.get<ThreadPage>(`/api/processes/${processId}/threads?origin=workshop`)
    expect(threads.total).toBe(1)
    expect(errors).toEqual([])
  })
})
