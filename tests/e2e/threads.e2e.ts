import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Thread } from '../../shared/api/threads'
import {
  DESKTOP,
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import { waitFor } from '../support/wait-for'
import {
  apiAs,
  cardIds,
  importDraft,
  postThread,
  sectionIdOf,
  type ApiSession,
} from './thread-helpers'

const DRAFT = `# Vision

A secure and resilient digital nation.

## Governance

The national council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

// The thread list, moderation and the inbox, as people use them: data is made through the
// API, and the browser is used for what each test is about.
describe('comment threads in the browser', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let documentId: string
  let secretariat: TestUser
  let ana: TestUser // academia
  let bruno: TestUser // private sector
  let fatima: TestUser // facilitator
  let api: Record<'secretariat' | 'ana' | 'bruno' | 'fatima', ApiSession>
  const threads: Record<string, Thread> = {}
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    ana = await server.factories.createUser({ name: 'Ana Souza' })
    bruno = await server.factories.createUser({ name: 'Bruno Díaz' })
    fatima = await server.factories.createUser({ name: 'Fátima Haddad' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      members: [
        { user: ana, role: 'stakeholder', group: 'academia', organisation: 'National University' },
        { user: bruno, role: 'stakeholder', group: 'private-sector', organisation: 'Chamber' },
        { user: fatima, role: 'facilitator', group: 'civil-society', organisation: 'Table' },
      ],
    })
    processId = process.id
    api = {
      secretariat: await apiAs(server.url, secretariat),
      ana: await apiAs(server.url, ana),
      bruno: await apiAs(server.url, bruno),
      fatima: await apiAs(server.url, fatima),
    }
    const draft = await importDraft(api.secretariat, processId, 'Strategy draft', DRAFT)
    documentId = draft.id
    threads.vision = await postThread(api.ana, documentId, {
      sectionId: sectionIdOf(draft, 'Vision'),
      kind: 'comment',
      body: 'Resilience needs **funding**.',
    })
    threads.governance = await postThread(api.bruno, documentId, {
      sectionId: sectionIdOf(draft, 'Governance'),
      kind: 'question',
      body: 'Who chairs the council?',
    })
    threads.infrastructure = await postThread(api.bruno, documentId, {
      sectionId: sectionIdOf(draft, 'Critical infrastructure'),
      kind: 'proposal',
      body: 'A shorter deadline.',
      proposal: { scope: 'section', text: 'Operators report incidents within 12 hours.' },
    })
    // The governance question is the most endorsed.
    await api.ana.post(`/api/threads/${threads.governance!.id}/endorsement`)
    await api.secretariat.post(`/api/threads/${threads.governance!.id}/endorsement`)
    await api.fatima.post(`/api/threads/${threads.infrastructure!.id}/endorsement`)
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  const listUrl = () => `${server.url}/processes/${processId}/threads`
  const ids = (...names: string[]) => names.map((n) => threads[n]!.id)

  async function expectCards(page: Page, expected: string[], ordered = false) {
    await waitFor(
      async () => {
        const got = await cardIds(page)
        const a = ordered ? got : [...got].sort()
        const b = ordered ? expected : [...expected].sort()
        return JSON.stringify(a) === JSON.stringify(b) || undefined
      },
      { timeoutMs: 5_000, message: `cards ${expected.join(',')}` },
    )
  }

  test('a person filters and sorts the thread list, and the view lives in the URL', async () => {
    const page = await pages.pageFor(ana)
    const errors = trackPageErrors(page)
    await page.goto(listUrl())
    await expectCards(page, ids('vision', 'governance', 'infrastructure'))

    // By stakeholder group, then kind: each filter narrows the list and goes into the URL.
    await page.getByLabel('Stakeholder group', { exact: true }).selectOption('private-sector')
    await expectCards(page, ids('governance', 'infrastructure'))
    expect(new URL(page.url()).searchParams.get('group')).toBe('private-sector')
    await page.getByLabel('Kind', { exact: true }).selectOption('question')
    await expectCards(page, ids('governance'))

    // The view can be bookmarked: a reload shows the same filters and results.
    await page.reload()
    await expectCards(page, ids('governance'))
    expect(await page.getByLabel('Kind', { exact: true }).inputValue()).toBe('question')

    await page.getByRole('link', { name: 'Clear filters' }).click()
    await expectCards(page, ids('vision', 'governance', 'infrastructure'))

    // By author, and by words in the text.
    await page.getByLabel('Author', { exact: true }).selectOption({ label: 'Ana Souza' })
    await expectCards(page, ids('vision'))
    await page.getByLabel('Author', { exact: true }).selectOption({ label: 'Any' })
    await page.getByLabel('Words in the text', { exact: true }).fill('council')
    await page.getByRole('button', { name: 'Search' }).click()
    await expectCards(page, ids('governance'))
    expect(new URL(page.url()).searchParams.get('q')).toBe('council')
    await page.getByRole('link', { name: 'Clear filters' }).click()

    // By document and section.
    await page.getByLabel('Document', { exact: true }).selectOption({ label: 'Strategy draft' })
    await page
      .getByLabel('Section', { exact: true })
      .selectOption({ label: '– Critical infrastructure' })
    await expectCards(page, ids('infrastructure'))
    await page.getByRole('link', { name: 'Clear filters' }).click()

    // Sorting: most endorsed first, then in the order of the sections.
    await page.getByLabel('Sort by', { exact: true }).selectOption('endorsements')
    await expectCards(page, ids('governance', 'infrastructure', 'vision'), true)
    await page.getByLabel('Sort by', { exact: true }).selectOption('section')
    await expectCards(page, ids('vision', 'governance', 'infrastructure'), true)

    // Endorsement counts per group are shown in words, not colour alone.
    const governance = page.locator(`article[data-thread-id="${threads.governance!.id}"]`)
    expect(
      await governance
        .getByRole('list', { name: 'Endorsements by stakeholder group' })
        .textContent(),
    ).toContain('Academia: 1')

    // A new thread from someone else appears without a reload.
    const fresh = await postThread(api.bruno, documentId, {
      sectionId: threads.vision!.sectionId,
      kind: 'comment',
      body: 'Live arrival.',
    })
    await waitFor(async () => (await cardIds(page)).includes(fresh.id) || undefined, {
      timeoutMs: 5_000,
      message: 'the new thread appears live',
    })
    expect(errors).toEqual([])
  })

  test('a flagged reply is hidden by a facilitator, and the other member sees only the placeholder', async () => {
    const reply = await api.bruno.post<{ id: string }>(
      `/api/threads/${threads.vision!.id}/replies`,
      {
        body: 'Offensive words here',
      },
    )

    // Ana flags the reply from the thread.
    const anaPage = await pages.pageFor(ana)
    const errors = trackPageErrors(anaPage)
    await anaPage.goto(`${listUrl()}?author=${ana.id}`)
    const card = anaPage.locator(`article[data-thread-id="${threads.vision!.id}"]`)
    await card.getByRole('button', { name: /Show 1 reply/ }).click()
    const replyBox = card.locator(`[data-comment-id="${reply.id}"]`)
    await replyBox.getByRole('button', { name: 'Flag (reply)' }).click()
    await replyBox.getByLabel('Why should the moderators look at this?').fill('A personal attack')
    await replyBox.getByRole('button', { name: 'Send flag' }).click()
    await waitFor(() => replyBox.getByText('You flagged this for the moderators.').isVisible(), {
      timeoutMs: 5_000,
    })

    // The facilitator sees it in the queue with the reason, and hides it with a reason.
    const fatimaPage = await pages.pageFor(fatima)
    await fatimaPage.goto(`${server.url}/processes/${processId}/moderation`)
    const item = fatimaPage.locator(`article.moderation-item[data-comment-id="${reply.id}"]`)
    await waitFor(() => item.isVisible(), { timeoutMs: 5_000, message: 'queue item' })
    expect(await item.textContent()).toContain('A personal attack')
    await item.getByRole('button', { name: 'Hide' }).click()
    await item
      .getByLabel('Reason for hiding (shown in its place)')
      .fill('Breaks the code of conduct')
    await item.getByRole('button', { name: 'Hide it' }).click()
    await waitFor(() => fatimaPage.getByText('Nothing is waiting for a decision.').isVisible(), {
      timeoutMs: 5_000,
    })

    // Ana sees the placeholder in its place, and never the text. (Hiding reaches open pages
    // of moderators only, so Ana's page shows it on its next load.)
    await anaPage.reload()
    await card.locator('.thread-replies-toggle button').click()
    await waitFor(
      () => card.getByText('Hidden by a moderator: Breaks the code of conduct').isVisible(),
      { timeoutMs: 5_000, message: 'placeholder' },
    )
    expect(await card.textContent()).not.toContain('Offensive words here')
    expect(await anaPage.content()).not.toContain('Offensive words here')

    // The secretariat reads the decision in the moderation log.
    const secretariatPage = await pages.pageFor(secretariat)
    await secretariatPage.goto(`${server.url}/processes/${processId}/moderation?view=log`)
    const row = secretariatPage.getByRole('row', { name: /Breaks the code of conduct/ })
    await waitFor(() => row.isVisible(), { timeoutMs: 5_000, message: 'log row' })
    expect(await row.textContent()).toContain('Fátima Haddad')
    expect(errors).toEqual([])
  })

  test('a mention typed with the composer reaches the inbox live', async () => {
    const anaPage = await pages.pageFor(ana)
    await anaPage.goto(`${server.url}/inbox`)
    const inboxLink = anaPage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: /^Inbox/ })
    await waitFor(() => inboxLink.isVisible(), { timeoutMs: 5_000 })
    const before = Number(await inboxLink.getAttribute('data-unread'))

    // Bruno mentions Ana with the keyboard: "@An", arrow to the suggestion, Enter.
    const brunoPage = await pages.pageFor(bruno)
    await brunoPage.goto(`${listUrl()}?kind=question`)
    const card = brunoPage.locator(`article[data-thread-id="${threads.governance!.id}"]`)
    await card
      .getByRole('button', { name: /Reply|Show/ })
      .first()
      .click()
    const box = card.getByLabel(`Your reply to #${threads.governance!.number}`)
    await box.click()
    await box.pressSequentially('Thanks @An')
    const option = brunoPage.getByRole('listbox').getByRole('option', { name: /Ana Souza/ })
    await waitFor(() => option.isVisible(), { timeoutMs: 5_000, message: 'mention suggestion' })
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'))
    await box.press('Enter')
    expect(await box.inputValue()).toBe(`Thanks @[Ana Souza](${ana.id}) `)
    await box.pressSequentially('what do you think?')
    await card.getByRole('button', { name: 'Send reply' }).click()
    await waitFor(() => card.locator('.reply-list .mention').first().isVisible(), {
      timeoutMs: 5_000,
    })
    expect(await card.locator('.reply-list .mention').first().textContent()).toBe('@Ana Souza')

    // Ana's header count and inbox change without a reload.
    await waitFor(
      async () => Number(await inboxLink.getAttribute('data-unread')) > before || undefined,
      {
        timeoutMs: 5_000,
        message: 'unread count grows live',
      },
    )
    expect(await inboxLink.evaluate((a) => a.textContent)).toMatch(/^Inbox\d+, \d+ unread$/)
    const entry = anaPage.getByRole('link', {
      name: `Bruno Díaz mentioned you in #${threads.governance!.number} · Governance`,
    })
    await waitFor(() => entry.isVisible(), { timeoutMs: 5_000, message: 'inbox entry live' })
    expect(await entry.getAttribute('href')).toBe(
      `/documents/${documentId}?thread=${threads.governance!.id}`,
    )

    await anaPage.getByRole('button', { name: 'Mark all as read' }).click()
    await waitFor(async () => (await inboxLink.getAttribute('data-unread')) === '0' || undefined, {
      timeoutMs: 5_000,
    })
  })

  test('axe finds no serious violations on the new pages, in English and Spanish, desktop and phone', async () => {
    // Something for every view: a flagged item, a hidden one, a log entry, a notification.
    const reply = await api.ana.post<{ id: string }>(
      `/api/threads/${threads.infrastructure!.id}/replies`,
      {
        body: `Please look, @[Sofía Ramírez](${secretariat.id})`,
      },
    )
    await api.bruno.post(`/api/comments/${reply.id}/flags`, { reason: 'Check this' })

    for (const viewport of [DESKTOP, PHONE]) {
      const page = await pages.pageFor(secretariat, { viewport })
      for (const language of ['English', 'Español']) {
        await page.goto(`${listUrl()}`)
        await page.getByRole('button', { name: language }).click()
        const where = `${viewport.width}px, ${language}`
        await waitFor(() => page.locator('article.thread-card').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await page.locator('.thread-replies-toggle button').first().click()
        await waitFor(() => page.locator('.reply-form textarea').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await expectNoSeriousViolations(page, `thread list (${where})`)
        await expectNoSideScroll(page)

        for (const view of ['', '?view=hidden', '?view=log']) {
          await page.goto(`${server.url}/processes/${processId}/moderation${view}`)
          await waitFor(
            () => page.locator('.moderation-item, .data-table, .empty').first().isVisible(),
            { timeoutMs: 5_000 },
          )
          await expectNoSeriousViolations(page, `moderation ${view || 'queue'} (${where})`)
          await expectNoSideScroll(page)
        }

        await page.goto(`${server.url}/inbox`)
        await waitFor(() => page.locator('.inbox-item, .empty').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await expectNoSeriousViolations(page, `inbox (${where})`)
        await expectNoSideScroll(page)
      }
      // Back to English for the next viewport's first round.
      await page.getByRole('button', { name: 'English' }).click()
    }
  })

  async function expectNoSideScroll(page: Page) {
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    expect(overflow).toBeLessThanOrEqual(0)
  }
})
