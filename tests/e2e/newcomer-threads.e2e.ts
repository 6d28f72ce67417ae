import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Thread } from '../../shared/api/threads'
import { prepareServerEdit } from '../../server/documents/service'
import { findInRuns } from '../../server/comments/anchors'
import { toMarkdown } from '../../server/render/markdown'
import { PROSEMIRROR_FRAGMENT } from '../../server/render/to-prosemirror'
import {
  expectNoSeriousViolations,
  launchBrowser,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { waitFor } from '../support/wait-for'
import { storedDocument } from './editor-helpers'
import { apiAs, importDraft, postThread, sectionIdOf, type ApiSession } from './thread-helpers'

/** The widths the newcomer walked through (issue 15): a common laptop and a phone. */
const VIEWPORTS = [
  ['desktop', { width: 1366, height: 768 }],
  ['phone', { width: 390, height: 844 }],
] as const

const DRAFT = `# Vision

A secure and resilient digital nation.

## Governance

The national council **coordinates** every [ministry](https://example.org/ministries).

- quarterly reports
- yearly review

## Critical infrastructure

Operators report incidents within 24 hours.
`

const GOVERNANCE = DRAFT.slice(DRAFT.indexOf('## Governance'), DRAFT.indexOf('## Critical'))

// Issue 15, items 2 and 3, in the browser on a laptop and a 390 px phone, with axe: a hidden
// comment no longer vanishes silently, and an applied change keeps its formatting and can be
// undone from its thread.
describe('a newcomer’s threads: hidden comments and applied changes', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let ana: TestUser // stakeholder, academia
  let fatima: TestUser // facilitator (moderates)
  let daniel: TestUser // drafter (applies changes)
  let api: Record<'secretariat' | 'ana', ApiSession>
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    const secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    ana = await server.factories.createUser({ name: 'Ana Souza' })
    fatima = await server.factories.createUser({ name: 'Fátima Haddad' })
    daniel = await server.factories.createUser({ name: 'Daniel Okafor' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      members: [
        { user: ana, role: 'stakeholder', group: 'academia', organisation: 'National University' },
        { user: fatima, role: 'facilitator', group: 'civil-society', organisation: 'Table' },
        { user: daniel, role: 'drafter', group: 'government', organisation: 'Ministry' },
      ],
    })
    processId = process.id
    api = {
      secretariat: await apiAs(server.url, secretariat),
      ana: await apiAs(server.url, ana),
    }
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  const listUrl = (query = '') => `${server.url}/processes/${processId}/threads${query}`
  const cardOf = (page: Page, thread: Thread) =>
    page.locator(`article.thread-card[data-thread-id="${thread.id}"]`)

  async function newDraft(title: string): Promise<{ documentId: string; governance: string }> {
    const draft = await importDraft(api.secretariat, processId, title, DRAFT)
    return { documentId: draft.id, governance: sectionIdOf(draft, 'Governance') }
  }

  for (const [name, viewport] of VIEWPORTS) {
    test(`a hidden comment: the author is told and sees it marked, moderators filter hidden threads (item 2, ${name})`, async () => {
      const { documentId, governance } = await newDraft(`Hidden ${name}`)
      const thread = await postThread(api.ana, documentId, {
        sectionId: governance,
        kind: 'comment',
        body: `Words a moderator will hide (${name}).`,
      })
      const reason = `Off topic for this section (${name})`

      // The facilitator hides the comment from the Threads list, with a reason.
      const moderator = await pages.pageFor(fatima, { viewport })
      const errors = trackPageErrors(moderator)
      await moderator.goto(listUrl())
      const card = cardOf(moderator, thread)
      await card.waitFor()
      const root = card.locator(`[data-comment-id="${thread.root.id}"]`)
      await root.getByRole('button', { name: /^Hide/ }).click()
      await root.getByLabel('Reason for hiding (shown in its place)').fill(reason)
      await root.getByRole('button', { name: 'Hide it' }).click()
      await waitFor(async () => (await card.count()) === 0 || undefined, {
        timeoutMs: 5_000,
        message: 'the hidden thread leaves the default list',
      })

      // Moderators list hidden threads where they list the others, with the filter.
      await moderator.getByLabel('Hidden by a moderator').selectOption('only')
      await waitFor(() => moderator.url().includes('hidden=only') || undefined, {
        message: 'the filter is in the address',
      })
      await card.waitFor({ timeout: 5_000 })
      expect(await card.locator('.comment-moderation-note').innerText()).toContain(reason)
      expect(await card.innerText()).toContain(`Words a moderator will hide (${name}).`)
      await expectNoSeriousViolations(moderator, `hidden threads filter (${name})`)
      expect(errors).toEqual([])

      // The author finds a notice in the inbox, with the reason.
      const author = await pages.pageFor(ana, { viewport })
      const authorErrors = trackPageErrors(author)
      await author.goto(`${server.url}/inbox`)
      const notice = author.locator('.inbox-item', {
        hasText: `A moderator hid your comment in #${thread.number} · Governance`,
      })
      await notice.waitFor({ timeout: 5_000 })
      expect(await notice.locator('.inbox-reason').innerText()).toBe(`Reason given: “${reason}”`)
      expect(await notice.innerText()).not.toContain('Fátima')
      await expectNoSeriousViolations(author, `inbox with a hidden notice (${name})`)

      // …and reads their own item, marked hidden with the reason; nobody else does.
      await author.goto(listUrl(`?author=${ana.id}`))
      const own = cardOf(author, thread)
      await own.waitFor({ timeout: 5_000 })
      expect(await own.locator('.comment-moderation-note').innerText()).toBe(
        `A moderator hid your comment (“${reason}”). Only you and the moderators still see it.`,
      )
      expect(await own.innerText()).toContain(`Words a moderator will hide (${name}).`)
      await expectNoSeriousViolations(author, `the author's own hidden thread (${name})`)
      const drafter = await pages.pageFor(daniel, { viewport })
      await drafter.goto(listUrl())
      await drafter.locator('article.thread-card, .empty').first().waitFor()
      expect(await cardOf(drafter, thread).count()).toBe(0)
      expect(await drafter.content()).not.toContain(`Words a moderator will hide (${name}).`)
      expect(authorErrors).toEqual([])
    })

    test(`an applied change keeps the section's formatting and is undone from its thread (item 3, ${name})`, async () => {
      const { documentId, governance } = await newDraft(`Apply ${name}`)
      // The proposer copies the section as the preview shows it and adds a paragraph.
      const thread = await postThread(api.ana, documentId, {
        sectionId: governance,
        kind: 'proposal',
        body: 'Say how often the council meets.',
        proposal: {
          scope: 'section',
          text: 'The national council coordinates every ministry.\n\nquarterly reports\nyearly review\n\nIt meets every *month*.',
        },
      })
      const markdown = async () => toMarkdown(await storedDocument(server, documentId))

      const page = await pages.pageFor(daniel, { viewport })
      const errors = trackPageErrors(page)
      await page.goto(listUrl())
      const card = cardOf(page, thread)
      await card.waitFor()
      await card.getByRole('button', { name: /^Apply proposed change/ }).click()
      const confirm = card.locator('.apply-confirm')
      await confirm.waitFor()
      expect(await confirm.locator('.apply-after').innerText()).toContain('It meets every *month*.')
      await confirm.getByRole('button', { name: 'Apply this change' }).click()

      // Applied: the blocks it leaves as they were keep their bold, link and list.
      const undo = card.getByRole('button', { name: /^Undo this change/ })
      await undo.waitFor({ timeout: 5_000 })
      expect(await card.locator('.thread-applied-title').innerText()).toContain(
        'Applied to the document by Daniel Okafor',
      )
      expect(await markdown()).toContain(
        '## Governance\n\nThe national council **coordinates** every [ministry](https://example.org/ministries).\n\n' +
          '- quarterly reports\n- yearly review\n\nIt meets every *month*.\n\n## Critical',
      )
      await expectNoSeriousViolations(page, `an applied change with its undo button (${name})`)

      // Undone: the section is back as it was, and the change can be applied again.
      await undo.click()
      await card.getByRole('button', { name: /^Apply proposed change/ }).waitFor({ timeout: 5_000 })
      expect(await undo.count()).toBe(0)
      await waitFor(
        () =>
          page
            .getByText('The change is undone: the previous text is back in the document.')
            .count()
            .then((n) => n > 0 || undefined),
        {
          message: 'the undo is announced',
        },
      )
      expect(await markdown()).toContain(GOVERNANCE)
      expect(await markdown()).not.toContain('It meets every')

      // Applied again and then edited by someone: undoing would lose that edit, so it is refused.
      await card.getByRole('button', { name: /^Apply proposed change/ }).click()
      await card.getByRole('button', { name: 'Apply this change' }).click()
      await undo.waitFor({ timeout: 5_000 })
      const edit = await prepareServerEdit(server.db, documentId, (doc) => {
        const found = findInRuns(doc.getXmlFragment(PROSEMIRROR_FRAGMENT), 'every month')!
        found.text.insert(found.index, 'nearly ')
      })
      await server.db.transaction().execute((trx) => edit.commit(trx))
      const edited = await markdown()
      await undo.click()
      const refusal = card.locator('.form-error')
      await refusal.waitFor({ timeout: 5_000 })
      expect(await refusal.innerText()).toContain(
        'The text was edited since the change was applied, so undoing it would lose that work.',
      )
      expect(await markdown()).toBe(edited)
      await expectNoSeriousViolations(page, `an undo refused (${name})`)
      expect(errors).toEqual([])
    })
  }
})
