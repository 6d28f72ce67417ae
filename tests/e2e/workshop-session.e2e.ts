import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ImportResult } from '../../shared/api/documents'
import type { ThreadPage } from '../../shared/api/threads'
import type { Workshop } from '../../shared/api/workshops'
import {
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

/** The phone of the issue: 390 CSS pixels wide. */
const PHONE_390 = { width: 390, height: 844 } as const

/** Whether the page scrolls sideways (it must not, on a phone). */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth)

/** Selects the first occurrence of `text` in the editor, as a mouse would, and waits until the editor saw it. */
async function selectText(page: Page, text: string): Promise<void> {
  const found = await page.locator('.doc-text').evaluate(async (root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    while (walker.nextNode()) {
      const node = walker.currentNode as Text
      const at = node.data.indexOf(wanted)
      if (at >= 0) {
        const seen = new Promise((resolve) =>
          document.addEventListener('selectionchange', resolve, { once: true }),
        )
        const range = document.createRange()
        range.setStart(node, at)
        range.setEnd(node, at + wanted.length)
        const selection = window.getSelection()!
        selection.removeAllRanges()
        selection.addRange(range)
        await seen
        return true
      }
    }
    return false
  }, text)
  if (!found) {
    throw new Error(`"${text}" is not in the editor`)
  }
}

// The whole workshop of issue 13 in real browsers, with what the console gained since the first
// browser test: the edit form, invitations, a person without an account recorded "on behalf",
// the spotlight, a passage chosen in the document, a multiple-choice poll and an action item's
// status. A facilitator on a desktop and three participants, two of them on 390 px phones; one
// follows the facilitator, one raises a hand; axe finds nothing serious on desktop or phone.
describe('a whole workshop, from preparation to minutes', () => {
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
        {
          user: people[0]!,
          role: 'stakeholder',
          group: 'academia',
          organisation: 'National University',
        },
        { user: people[1]!, role: 'stakeholder', group: 'private-sector', organisation: 'Chamber' },
        { user: people[2]!, role: 'stakeholder', group: 'government', organisation: 'Ministry' },
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

  test('prepare, invite, run with spotlight, passages, polls and action items, close', async () => {
    const created = await api.post<Workshop>(`/api/processes/${processId}/workshops`, {
      title: 'Round table',
      startsAt: '2027-03-01T14:00:00Z',
      endsAt: '2027-03-01T16:00:00Z',
      timeZone: 'America/Bogota',
      format: 'hybrid',
      languages: ['en'],
      documentId: draft.id,
      agenda: [
        { sectionId: sectionIdOf(draft, 'Critical infrastructure'), minutes: 20 },
        { sectionId: sectionIdOf(draft, 'Governance'), minutes: 20 },
      ],
    })
    const url = `${server.url}/processes/${processId}/workshops/${created.id}`
    const host = await pages.pageFor(facilitator)
    host.setDefaultTimeout(10_000)
    const errors = trackPageErrors(host)
    await host.goto(url)

    // Edit the draft: a new title, Governance first, one more agenda item.
    await host.getByRole('button', { name: 'Edit', exact: true }).click()
    const form = host.locator('.workshop-edit')
    await form.getByLabel('Title').fill('Round table on governance')
    await form.getByRole('button', { name: 'Move down' }).first().click()
    await form.getByRole('button', { name: 'Add an agenda item' }).click()
    await form.getByLabel('Topic').last().fill('Next steps')
    await form.getByRole('button', { name: 'Save the changes' }).click()
    await host.getByRole('heading', { name: 'Round table on governance' }).waitFor()
    const saved = await api.get<Workshop>(`/api/workshops/${created.id}`)
    expect(saved.agenda.map((item) => item.title)).toEqual([
      'Governance',
      'Critical infrastructure',
      'Next steps',
    ])
    await host.getByRole('button', { name: /^Schedule/ }).click()

    // Invitations: Ana by name, the private sector as a group, and Marta, who has no account.
    await host.getByLabel('Invite a member').selectOption({ label: 'Ana Souza (Academia)' })
    await host.getByRole('button', { name: 'Invite', exact: true }).click()
    await host.getByText('Ana Souza is registered and has a check-in code.').waitFor()
    await host
      .getByLabel('Invite a whole stakeholder group')
      .selectOption({ label: 'Private sector' })
    await host.getByRole('button', { name: 'Invite the group' }).click()
    await host.getByText('Private sector: 1 registered, 0 already were.').waitFor()
    await host.getByLabel('Name of a person without an account').fill('Marta Ruiz')
    await host
      .getByLabel('Stakeholder group', { exact: true })
      .selectOption({ label: 'Civil society' })
    await host.getByLabel('Agrees to be named in the published minutes').check()
    await host.getByRole('button', { name: 'Register this person' }).click()
    const marta = host.locator('table.registrations tr', { hasText: 'Marta Ruiz' })
    await marta.getByRole('button', { name: 'Check in' }).click()
    await marta.getByText('Present').waitFor()

    await host.getByRole('button', { name: 'Start' }).click()
    await host.getByText('Now discussing').waitFor()
    const phones: Page[] = [
      await pages.pageFor(people[0]!, { viewport: PHONE_390 }),
      await pages.pageFor(people[1]!, { viewport: PHONE_390 }),
    ]
    const desk = await pages.pageFor(people[2]!)
    for (const page of [...phones, desk]) {
      page.setDefaultTimeout(10_000)
      await page.goto(url)
      await page.getByRole('button', { name: 'Join the workshop' }).click()
      await page.getByText('Now discussing').waitFor()
    }
    await host.getByText('4 attendees').waitFor()
    const [ana, bruno] = phones as [Page, Page]
    await expect.poll(() => ana.getByLabel(/Follow the facilitator/).isChecked()).toBe(true)
    await bruno.getByLabel(/Follow the facilitator/).uncheck()

    // Bruno raises a hand on his phone; the facilitator calls him.
    await bruno.getByRole('button', { name: 'Raise my hand' }).click()
    const hand = host.locator('ol.queue li', { hasText: 'Bruno Lima' })
    await hand.waitFor({ timeout: 5_000 })
    await hand.getByRole('button', { name: 'Call' }).click()
    await bruno.getByRole('button', { name: 'Raise my hand' }).waitFor({ timeout: 5_000 })

    // The facilitator records Marta's remark on her behalf, then puts it in the spotlight.
    await host.getByLabel('On behalf of').selectOption({ label: 'Marta Ruiz (Civil society)' })
    await host.getByLabel('Text', { exact: true }).fill('Name the council in law.')
    await host.getByRole('button', { name: 'Record', exact: true }).click()
    const recorded = host.locator('.contribution', { hasText: 'Name the council in law.' })
    await recorded.getByText('recorded by Elena Torres').waitFor()
    await recorded.getByRole('button', { name: 'Spotlight' }).click()
    for (const page of [ana, bruno, desk]) {
      await page
        .locator('.workshop-spotlight', { hasText: 'Name the council in law.' })
        .waitFor({ timeout: 1_500 })
    }
    expect(
      await recorded.getByRole('button', { name: 'Spotlight' }).getAttribute('aria-pressed'),
    ).toBe('true')
    await expectNoSeriousViolations(ana, 'the participant view with a spotlight (phone)')
    expect(await scrollsSideways(ana)).toBe(false)

    // A passage instead: every page shows its words; then the spotlight is cleared.
    await host.getByLabel('The passage (its words)').fill('every ministry')
    await host.getByRole('button', { name: 'Put the passage in the spotlight' }).click()
    await bruno
      .locator('.workshop-spotlight', { hasText: 'every ministry' })
      .waitFor({ timeout: 1_500 })
    await host
      .locator('.workshop-actions')
      .getByRole('button', { name: 'Clear the spotlight' })
      .click()
    await bruno.locator('.workshop-spotlight').waitFor({ state: 'detached', timeout: 1_500 })

    // A straw poll with several answers: Ana ticks two on her phone, Chen one.
    await host.getByLabel('Question', { exact: true }).fill('Which sectors first?')
    await host.getByLabel('Options').fill('Energy\nWater\nHealth')
    await host.getByLabel('Several answers allowed').check()
    await host.getByRole('button', { name: 'Prepare the poll' }).click()
    await host.getByRole('button', { name: 'Open the poll' }).click()
    const ballot = ana.locator('.poll-ballot')
    await ballot.waitFor({ timeout: 5_000 })
    await ballot.getByLabel('Energy').check()
    await ballot.getByLabel('Health').check()
    await ballot.getByRole('button', { name: 'Vote' }).click()
    await ana
      .locator('.poll-results li', { hasText: 'Health: 1' })
      .getByText('your answer')
      .waitFor()
    await desk.locator('.poll-ballot').getByLabel('Energy').check()
    await desk.locator('.poll-ballot').getByRole('button', { name: 'Vote' }).click()
    await host.locator('.poll-results li', { hasText: 'Energy: 2' }).waitFor({ timeout: 5_000 })
    await host.getByText('Academia: 1 / 0 / 1').waitFor()

    // An action item (still on Marta's behalf), moved to "in progress" on the console.
    await host.getByLabel('Kind').selectOption({ label: 'Action item' })
    await host.getByLabel('Text', { exact: true }).fill('Draft the reporting rule')
    await host.getByLabel('Owner').fill('Ministry of ICT')
    await host.getByRole('button', { name: 'Record', exact: true }).click()
    await host
      .getByLabel('Status of “Draft the reporting rule”')
      .selectOption({ label: 'In progress' })
    await desk
      .locator('.contribution', { hasText: 'Draft the reporting rule' })
      .getByText('In progress')
      .waitFor({ timeout: 5_000 })

    // Chen selects a passage in the document in follow mode and records a proposed change on it.
    await desk.getByRole('link', { name: 'Open the section being discussed' }).click()
    await desk.getByText('Following the workshop: Governance.').waitFor()
    await selectText(desk, 'every ministry')
    await desk
      .locator('.comments-margin')
      .getByRole('button', { name: 'Comment', exact: true })
      .click()
    const composer = desk.locator('.comment-composer')
    await composer.getByLabel(/Record it in the workshop/).waitFor()
    expect(await composer.getByLabel(/Record it in the workshop/).isChecked()).toBe(true)
    await composer.getByLabel('Your comment').fill('Which ministries exactly?')
    await composer.getByRole('button', { name: 'Post thread' }).click()
    await composer.waitFor({ state: 'detached' })
    const card = desk.locator('article.thread-card', { hasText: 'Which ministries exactly?' })
    await card.waitFor()
    await card.getByRole('link', { name: 'Round table on governance' }).waitFor()
    await host
      .locator('.contribution', { hasText: 'Which ministries exactly?' })
      .waitFor({ timeout: 5_000 })
    await expectNoSeriousViolations(host, 'the facilitator’s console (desktop)')

    await host.getByRole('button', { name: 'Close the workshop' }).click()
    await host.getByRole('heading', { name: 'Minutes' }).waitFor()
    await bruno.getByText('The minutes are not published yet.').waitFor({ timeout: 5_000 })
    await expectNoSeriousViolations(bruno, 'the closed workshop (phone)')
    expect(await scrollsSideways(bruno)).toBe(false)
    const threads = await api.get<ThreadPage>(`/api/processes/${processId}/threads?origin=workshop`)

    // Marta's thread, opened in the document: "recorded by" the facilitator, and a link to the workshop.
    const onBehalf = threads.items.find((th) => th.root.body === 'Name the council in law.')!
    await ana.goto(`${server.url}/documents/${draft.id}?thread=${onBehalf.id}`)
    const martaCard = ana
      .locator('article.thread-card', { hasText: 'Name the council in law.' })
      .first()
    await martaCard.getByText('recorded by Elena Torres').waitFor()
    await martaCard.getByRole('link', { name: 'Round table on governance' }).click()
    await ana.getByRole('heading', { name: 'Round table on governance' }).waitFor()
    const passage = threads.items.find((th) => th.root.body === 'Which ministries exactly?')
    expect(passage).toMatchObject({ quote: 'every ministry', workshop: { recordedBy: null } })
    expect(passage?.anchor).not.toBeNull()
    expect(threads.total).toBe(2)
    expect(errors).toEqual([])
  })
})
