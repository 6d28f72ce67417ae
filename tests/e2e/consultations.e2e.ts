import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Consultation, CreateConsultationBody } from '../../shared/api/consultations'
import type { ImportResult } from '../../shared/api/documents'
import type { ThreadPage } from '../../shared/api/threads'
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
import { apiAs, importDraft, postThread, sectionIdOf, type ApiSession } from './thread-helpers'

const DRAFT = `# Vision

A secure and resilient digital nation.

## Governance

The national council coordinates every ministry.

## Critical infrastructure

Operators report incidents within 24 hours.
`

// 899 paragraphs of 100 words and a one-word heading: 89,901 words, 300 pages of 300 words.
const LONG = `# Annex\n\n${Array.from({ length: 899 }, () =>
  Array.from({ length: 100 }, (_, i) => `word${i}`).join(' '),
).join('\n\n')}\n`

const DAY = 86_400_000

// The secretariat's side of a public consultation, in a real browser: opening one from the
// form, publishing, closing early and extending, the progress of the answers, answering a
// thread, and approving a public comment that waits for a moderator.
describe('consultations in the workspace', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let draft: ImportResult
  let secretariat: TestUser
  let ana: TestUser // stakeholder
  let fatima: TestUser // facilitator
  let api: Record<'secretariat' | 'ana', ApiSession>
  let serial = 0
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer({ clientDir: process.env.E2E_CLIENT_DIR })
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    ana = await server.factories.createUser({ name: 'Ana Souza' })
    fatima = await server.factories.createUser({ name: 'Fátima Haddad' })
    const made = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      languages: ['en', 'es'],
      members: [
        { user: ana, role: 'stakeholder', group: 'academia', organisation: 'National University' },
        { user: fatima, role: 'facilitator', group: 'civil-society', organisation: 'Table' },
      ],
    })
    processId = made.id
    api = {
      secretariat: await apiAs(server.url, secretariat),
      ana: await apiAs(server.url, ana),
    }
    draft = await importDraft(api.secretariat, processId, 'Strategy draft', DRAFT)
    await importDraft(api.secretariat, processId, 'Long annex', LONG)
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  const listUrl = () => `${server.url}/processes/${processId}/consultations`
  const detailUrl = (id: string) => `${listUrl()}/${id}`

  /** Opens a consultation through the API, open now for thirty days unless told otherwise. */
  function openThroughApi(overrides: Partial<CreateConsultationBody> = {}) {
    serial += 1
    return api.secretariat.post<Consultation>(`/api/processes/${processId}/consultations`, {
      documentId: draft.id,
      versionName: `Consultation draft ${serial}`,
      slug: `e2e-${Date.now().toString(36)}-${serial}`,
      title: { en: `Public consultation ${serial}`, es: `Consulta pública ${serial}` },
      introduction: { en: 'Tell us what you think.', es: 'Cuéntenos qué piensa.' },
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 30 * DAY).toISOString(),
      timeZone: 'America/Bogota',
      access: 'anonymous',
      moderation: 'after',
      visibility: 'immediately',
      publish: true,
      ...overrides,
    })
  }

  /** A comment from the public through the consultation's public form route. */
  async function publicComment(
    slug: string,
    body: {
      sectionId: string
      body: string
      name?: string
      stakeholderGroup?: string
      quote?: string
    },
  ) {
    const response = await fetch(`${server.url}/c/${slug}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ stakeholderGroup: 'individual', consent: 'yes', ...body }),
      redirect: 'manual',
    })
    expect(response.status, await response.clone().text()).toBeLessThan(400)
  }

  async function threadsOf(consultation: Consultation, hidden = false) {
    const page = await api.secretariat.get<ThreadPage>(
      `/api/processes/${processId}/threads?document=${consultation.documentId}&limit=100${hidden ? '&hidden=include' : ''}`,
    )
    return page.items.filter((t) => t.origin?.consultationId === consultation.id)
  }

  async function setWindow(page: Page, opens: Date, closes: Date) {
    // datetime-local values on the chosen zone's wall clock (UTC here, to keep it simple).
    await page.getByLabel('Time zone', { exact: true }).fill('UTC')
    await page.getByLabel('Opens at', { exact: true }).fill(opens.toISOString().slice(0, 16))
    await page.getByLabel('Closes at', { exact: true }).fill(closes.toISOString().slice(0, 16))
  }

  test('the secretariat opens a consultation from the form, warned when the window is short for the text', async () => {
    const page = await pages.pageFor(secretariat)
    const errors = trackPageErrors(page)
    await page.goto(`${server.url}/processes/${processId}`)
    await page.getByRole('link', { name: 'Consultations', exact: true }).click()
    await page.getByRole('link', { name: 'Open a consultation' }).click()
    await page.getByLabel('Document', { exact: true }).selectOption({ label: 'Long annex' })

    // Ten days for 300 pages is flagged, with the days it should have.
    const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)
    await setWindow(page, start, new Date(start.getTime() + 10 * DAY))
    const adequacy = page.locator('#consultation-adequacy')
    await waitFor(
      async () => (await adequacy.textContent())?.includes('The window is short') || undefined,
      { timeoutMs: 5_000, message: 'the adequacy warning' },
    )
    const warning = (await adequacy.textContent()) ?? ''
    expect(warning).toContain('300 pages')
    expect(warning).toContain('10 days')
    expect(warning).toContain('at least 30 days')

    // Thirty-one days are enough: the warning goes.
    await page
      .getByLabel('Closes at', { exact: true })
      .fill(new Date(start.getTime() + 31 * DAY).toISOString().slice(0, 16))
    await waitFor(
      async () => (await adequacy.textContent())?.includes('Enough time') || undefined,
      { timeoutMs: 5_000, message: 'the warning goes' },
    )

    // Validation next to the fields: nothing typed yet.
    await page.getByRole('button', { name: 'Save as a draft' }).click()
    await waitFor(() => page.locator('#consultation-slug-error').isVisible(), {
      timeoutMs: 3_000,
    })
    expect(await page.locator('#consultation-version-name-error').textContent()).toContain(
      'Fill in this field',
    )
    expect(await page.locator('#consultation-title-en-error').isVisible()).toBe(true)
    // The first field with a problem has focus.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('consultation-version-name')

    // The short draft, a window ending before it opens: refused before any request.
    await page.getByLabel('Document', { exact: true }).selectOption({ label: 'Strategy draft' })
    await page.getByLabel('Name of the new version').fill('Draft for public consultation')
    await page.getByLabel('Public address').fill('Cyber-2026')
    expect(await page.getByLabel('Public address').inputValue()).toBe('cyber-2026')
    await page.getByLabel('Title (English)').fill('Cybersecurity strategy: have your say')
    await page.getByLabel('Title (Spanish)').fill('Estrategia de ciberseguridad: opine')
    await page.getByLabel('Introduction (English)').fill('Comment section by section.')
    await setWindow(page, start, new Date(start.getTime() - DAY))
    await page.getByRole('button', { name: 'Save as a draft' }).click()
    expect(await page.locator('#consultation-closes-error').textContent()).toContain(
      'must be after the opening time',
    )

    await setWindow(page, start, new Date(start.getTime() + 30 * DAY))
    await page.getByLabel('Anyone with a name and a confirmed e-mail address').check()
    await page.getByLabel('Before publication').check()
    await page.getByLabel('Public comments are shown once the window closes').check()
    await page.getByRole('button', { name: 'Save as a draft' }).click()

    // The detail view: a draft, not public yet, with its settings.
    await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/)
    const detail = page.locator('.consultation-detail')
    await waitFor(
      async () => (await detail.textContent())?.includes('saved as a draft') || undefined,
      { timeoutMs: 5_000, message: 'the detail view' },
    )
    const text = (await detail.textContent()) ?? ''
    expect(text).toContain('Cybersecurity strategy: have your say')
    expect(text).toContain('Draft')
    expect(text).toContain('v1 · Draft for public consultation')
    expect(text).toContain('Anyone with a name and a confirmed e-mail address')
    expect(text).toContain('(UTC)')
    const id = page.url().split('/').pop()!

    // The public page is not there for a draft.
    expect((await fetch(`${server.url}/c/cyber-2026`)).status).toBe(404)

    // A second consultation cannot take the same address: the server says so by the field.
    await page.goto(`${listUrl()}/new`)
    await page.getByLabel('Name of the new version').fill('Another')
    await page.getByLabel('Public address').fill('cyber-2026')
    await page.getByLabel('Title (English)').fill('Another one')
    await page.getByLabel('Title (Spanish)').fill('Otra')
    await page.getByRole('button', { name: 'Save as a draft' }).click()
    await waitFor(
      async () =>
        (await page.locator('#consultation-slug-error').textContent())?.includes(
          'already uses this address',
        ) || undefined,
      { timeoutMs: 5_000, message: 'the slug conflict' },
    )

    // The list shows it, with its version, phase and window.
    await page.goto(listUrl())
    const item = page.locator(`article[data-consultation-id="${id}"]`)
    await waitFor(() => item.isVisible(), { timeoutMs: 5_000 })
    const listed = (await item.textContent()) ?? ''
    expect(listed).toContain('Draft')
    expect(listed).toContain('0 submissions')
    expect(listed).toContain('/c/cyber-2026')
    expect(errors).toEqual([])
  })

  test('the secretariat publishes, closes early and extends; each change is logged', async () => {
    const draftOne = await openThroughApi({ publish: false })
    const page = await pages.pageFor(secretariat)
    const errors = trackPageErrors(page)
    await page.goto(detailUrl(draftOne.id))
    const phase = page.locator('.consultation-detail-head .phase')
    await waitFor(async () => (await phase.textContent())?.includes('Draft') || undefined, {
      timeoutMs: 5_000,
    })

    // A draft's settings can still change; its title is the page's heading.
    await page.getByRole('button', { name: 'Edit the draft' }).click()
    expect(await page.getByLabel('Public address').inputValue()).toBe(draftOne.slug)
    await page.getByLabel('Title (English)').fill('Renamed consultation')
    await page.getByRole('button', { name: 'Save the draft' }).click()
    await waitFor(
      async () =>
        (await page.locator('#section-heading').textContent()) === 'Renamed consultation' ||
        undefined,
      { timeoutMs: 5_000, message: 'the edited title' },
    )

    await page.getByRole('button', { name: 'Publish now' }).click()
    await waitFor(async () => (await phase.textContent())?.includes('Open') || undefined, {
      timeoutMs: 5_000,
      message: 'published and open',
    })
    expect((await fetch(draftOne.publicUrl)).status).toBe(200)

    // Closing early asks for a reason, which the log shows.
    await page.getByRole('button', { name: 'Close early' }).click()
    await page.getByRole('button', { name: 'Close it now' }).click()
    await waitFor(() => page.locator('.reason-form .field-error').isVisible(), {
      timeoutMs: 3_000,
    })
    await page.getByLabel('Why it closes early (shown publicly)').fill('The law was adopted')
    await page.getByRole('button', { name: 'Close it now' }).click()
    await waitFor(async () => (await phase.textContent())?.includes('Closed') || undefined, {
      timeoutMs: 5_000,
      message: 'closed',
    })
    const changes = page.locator('.change-list')
    await waitFor(
      async () => (await changes.textContent())?.includes('The law was adopted') || undefined,
      { timeoutMs: 5_000 },
    )

    // Reopening (an extension of a closed one) needs a later closing time and a reason.
    await page.getByRole('button', { name: 'Reopen with a new closing time' }).click()
    const later = new Date(Date.now() + 14 * DAY)
    const field = page.getByLabel(/^New closing time/)
    // On the consultation's wall clock (America/Bogota, five hours behind UTC all year).
    await field.fill(new Date(later.getTime() - 5 * 3_600_000).toISOString().slice(0, 16))
    await page.getByLabel('Why (shown publicly)').fill('More time for the regions')
    await page.getByRole('button', { name: 'Extend it' }).click()
    await waitFor(async () => (await phase.textContent())?.includes('Open') || undefined, {
      timeoutMs: 5_000,
      message: 'open again',
    })
    const logged = (await changes.locator('li').allTextContents()).join('\n')
    expect(logged).toContain('Published by Sofía Ramírez')
    expect(logged).toContain('Closed early by Sofía Ramírez')
    expect(logged).toContain('Extended by Sofía Ramírez')
    expect(logged).toContain('More time for the regions')
    const fresh = await api.secretariat.get<Consultation>(`/api/consultations/${draftOne.id}`)
    expect(Math.abs(Date.parse(fresh.closesAt) - later.getTime())).toBeLessThan(60_000)
    expect(fresh.changes.map((c) => c.kind)).toEqual(['published', 'closed-early', 'extended'])
    expect(errors).toEqual([])
  })

  test('answering a thread shows the answer on its card, and the progress goes down', async () => {
    const consultation = await openThroughApi()
    const vision = sectionIdOf(draft, 'Vision')
    const governance = sectionIdOf(draft, 'Governance')
    // A campaign of two identical comments, and one from a named person.
    await publicComment(consultation.slug, { sectionId: vision, body: 'Fund resilience now.' })
    await publicComment(consultation.slug, { sectionId: vision, body: 'Fund  resilience NOW.' })
    await publicComment(consultation.slug, {
      sectionId: governance,
      body: 'Who chairs the council?',
      name: 'Marta Gómez',
      stakeholderGroup: 'academia',
      quote: 'coordinates every ministry',
    })
    const made = await threadsOf(consultation)
    expect(made).toHaveLength(2)
    const campaign = made.find((t) => t.sectionId === vision)!

    const page = await pages.pageFor(secretariat)
    const errors = trackPageErrors(page)
    await page.goto(detailUrl(consultation.id))
    const summary = page.locator('.progress-summary')
    await waitFor(
      async () => (await summary.textContent())?.includes('2 of 2 threads') || undefined,
      { timeoutMs: 5_000, message: 'two unanswered' },
    )
    const bySection = page.locator('table[data-progress="sections"]')
    expect(await bySection.locator('tbody tr').allTextContents()).toEqual(
      expect.arrayContaining(['Vision11', 'Governance11']),
    )
    expect(await bySection.locator('tfoot tr').textContent()).toBe('All sections22')
    const byGroup = page.locator('table[data-progress="groups"]')
    expect(await byGroup.locator('tbody tr').allTextContents()).toEqual(
      expect.arrayContaining(['Individual / citizen11', 'Academia11']),
    )

    // The thread list, filtered to the document, from the detail view.
    await page.getByRole('link', { name: "See this document's threads" }).click()
    await page.waitForURL(/\/threads\?document=/)
    const card = page.locator(`article[data-thread-id="${campaign.id}"]`)
    await waitFor(() => card.isVisible(), { timeoutMs: 5_000, message: 'the campaign card' })
    const cardText = (await card.textContent()) ?? ''
    expect(cardText).toContain('Anonymous')
    expect(cardText).toContain('(self-declared)')
    expect(cardText).toContain('2 identical submissions')
    expect(cardText).toContain(`From the public consultation ${consultation.title.en}`)
    const named = page.locator(`article[data-thread-id="${made.find((t) => t !== campaign)!.id}"]`)
    expect(await named.textContent()).toContain('Marta Gómez')
    // The passage a public comment quotes, without an anchor in the live text.
    expect(await named.locator('.thread-quote blockquote').textContent()).toBe(
      'coordinates every ministry',
    )

    // Public comments and members' threads can be told apart by a filter.
    await page.getByLabel('Origin', { exact: true }).selectOption({ label: "Members' threads" })
    await waitFor(async () => (await card.count()) === 0 || undefined, {
      timeoutMs: 5_000,
      message: 'public comments filtered out',
    })
    await page.getByLabel('Origin', { exact: true }).selectOption({ label: 'Public comments' })
    await waitFor(() => card.isVisible(), { timeoutMs: 5_000, message: 'public comments back' })

    // The answer form: a disposition is needed, then the answer shows on the card.
    await card.getByRole('button', { name: /^Answer/ }).click()
    const form = card.locator('form.answer-form')
    // The form focuses its first field in an effect, after the frame that shows it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT')
    await form.getByRole('button', { name: 'Save the answer' }).click()
    await waitFor(() => form.locator('.field-error').first().isVisible(), { timeoutMs: 3_000 })
    await form.getByLabel('Disposition').selectOption({ label: 'Partially accepted' })
    await form.getByLabel('Public answer').fill('We add a funding line in the next version.')
    await form
      .getByLabel(/^Changed in version/)
      .selectOption({ label: `v${consultation.versionNumber} · ${consultation.versionName}` })
    await form.getByLabel(/^Section of that version/).selectOption({ label: 'Vision' })
    await form.getByRole('button', { name: 'Save the answer' }).click()
    const answer = card.locator('.thread-answer')
    await waitFor(() => answer.isVisible(), { timeoutMs: 5_000, message: 'the answer on the card' })
    const answerText = (await answer.textContent()) ?? ''
    expect(answerText).toContain('Partially accepted')
    expect(answerText).toContain('We add a funding line in the next version.')
    expect(answerText).toContain(consultation.versionName)
    expect(answerText).toContain('Vision')

    // Editable later: the form comes back with the answer in it.
    await card.getByRole('button', { name: /^Change the answer/ }).click()
    expect(await form.getByLabel('Public answer').inputValue()).toBe(
      'We add a funding line in the next version.',
    )
    await form.getByLabel('Disposition').selectOption({ label: 'Accepted' })
    await form.getByRole('button', { name: 'Save the changes' }).click()
    await waitFor(async () => (await answer.textContent())?.includes('Accepted') || undefined, {
      timeoutMs: 5_000,
    })

    // A member sees the answer too, but no answer form.
    const anaPage = await pages.pageFor(ana)
    await anaPage.goto(`${server.url}/processes/${processId}/threads?document=${draft.id}`)
    const anaCard = anaPage.locator(`article[data-thread-id="${campaign.id}"]`)
    await waitFor(() => anaCard.locator('.thread-answer').isVisible(), { timeoutMs: 5_000 })
    expect(await anaCard.locator('form.answer-form, .thread-answer-actions').count()).toBe(0)

    // Back on the consultation: one thread still without an answer.
    await page.goto(detailUrl(consultation.id))
    await waitFor(
      async () => (await summary.textContent())?.includes('1 of 2 threads') || undefined,
      { timeoutMs: 5_000, message: 'one unanswered' },
    )
    expect(await bySection.locator('tfoot tr').textContent()).toBe('All sections21')
    expect(errors).toEqual([])
  })

  test('a facilitator approves a public comment that awaited approval', async () => {
    const consultation = await openThroughApi({ moderation: 'before' })
    await publicComment(consultation.slug, {
      sectionId: sectionIdOf(draft, 'Critical infrastructure'),
      body: 'Twelve hours is enough.',
    })
    const [thread] = await threadsOf(consultation, true)
    expect(thread?.root.hidden?.pending).toBe(true)

    // Members do not see it yet.
    const anaThreads = await api.ana.get<ThreadPage>(
      `/api/processes/${processId}/threads?document=${draft.id}&limit=100`,
    )
    expect(anaThreads.items.some((t) => t.id === thread!.id)).toBe(false)

    const page = await pages.pageFor(fatima)
    const errors = trackPageErrors(page)
    await page.goto(`${server.url}/processes/${processId}/moderation`)
    await page.getByRole('link', { name: 'Awaiting approval' }).click()
    const item = page.locator(`article.moderation-item[data-comment-id="${thread!.root.id}"]`)
    await waitFor(() => item.isVisible(), { timeoutMs: 5_000, message: 'the pending item' })
    expect(await item.textContent()).toContain('Twelve hours is enough.')
    expect(await item.getByRole('button', { name: 'Hide' }).isVisible()).toBe(true)
    await item.getByRole('button', { name: 'Approve' }).click()
    await item.getByLabel('Note for the log').fill('Fine to publish')
    await item.getByRole('button', { name: 'Approve and publish' }).click()
    await waitFor(async () => (await item.count()) === 0 || undefined, {
      timeoutMs: 5_000,
      message: 'the item leaves the queue',
    })
    expect(await page.locator('.notice-success').textContent()).toContain('Approved')

    // Now members see it.
    const after = await api.ana.get<ThreadPage>(
      `/api/processes/${processId}/threads?document=${draft.id}&limit=100`,
    )
    expect(after.items.some((t) => t.id === thread!.id)).toBe(true)
    expect(errors).toEqual([])
  })

  test('axe finds no serious violations on the consultation pages, in English and Spanish, desktop and phone', async () => {
    const consultation = await openThroughApi({ moderation: 'before' })
    await publicComment(consultation.slug, {
      sectionId: sectionIdOf(draft, 'Vision'),
      body: 'Awaiting a moderator.',
    })
    // A member's thread with an answer (public submissions are few: five an address in ten minutes).
    const answered = await postThread(api.ana, draft.id, {
      sectionId: sectionIdOf(draft, 'Governance'),
      kind: 'comment',
      body: 'The council needs a budget.',
    })
    await putAs(secretariat, `/api/threads/${answered.id}/answer`, {
      disposition: 'noted',
      answer: 'The budget is set by the finance law.',
    })

    for (const viewport of [DESKTOP, PHONE]) {
      const page = await pages.pageFor(secretariat, { viewport })
      for (const language of ['English', 'Español']) {
        await page.goto(listUrl())
        await page.getByRole('button', { name: language }).click()
        const where = `${viewport.width}px, ${language}`
        await waitFor(() => page.locator('article.consultation-item').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await expectNoSeriousViolations(page, `consultation list (${where})`)
        await expectNoSideScroll(page)

        await page.goto(`${listUrl()}/new`)
        await waitFor(() => page.locator('#consultation-document').isVisible(), {
          timeoutMs: 5_000,
        })
        await page.locator('#consultation-document').selectOption({ label: 'Long annex' })
        const start = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)
        await page.locator('#consultation-opens').fill(start.toISOString().slice(0, 16))
        await page
          .locator('#consultation-closes')
          .fill(new Date(start.getTime() + 10 * DAY).toISOString().slice(0, 16))
        await waitFor(() => page.locator('#consultation-adequacy .notice-warning').isVisible(), {
          timeoutMs: 5_000,
        })
        await page.locator('form.consultation-form button[type=submit]').click()
        await waitFor(() => page.locator('.field-error').first().isVisible(), { timeoutMs: 3_000 })
        await expectNoSeriousViolations(page, `opening form (${where})`)
        await expectNoSideScroll(page)

        await page.goto(detailUrl(consultation.id))
        await waitFor(() => page.locator('.progress-table').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await page.locator('.consultation-detail .form-actions button').nth(1).click()
        await expectNoSeriousViolations(page, `consultation detail (${where})`)
        await expectNoSideScroll(page)

        await page.goto(`${server.url}/processes/${processId}/threads?document=${draft.id}`)
        const card = page.locator(`article[data-thread-id="${answered.id}"]`)
        await waitFor(() => card.locator('.thread-answer').isVisible(), { timeoutMs: 5_000 })
        await card.locator('.thread-answer-actions button').click()
        await expectNoSeriousViolations(page, `thread list with answers (${where})`)
        await expectNoSideScroll(page)

        await page.goto(`${server.url}/processes/${processId}/moderation?view=pending`)
        await waitFor(() => page.locator('.moderation-item').first().isVisible(), {
          timeoutMs: 5_000,
        })
        await expectNoSeriousViolations(page, `moderation, awaiting approval (${where})`)
        await expectNoSideScroll(page)
      }
      await page.getByRole('button', { name: 'English' }).click()
    }
  })

  /** A PUT as `user`, signed in for it (the shared API session speaks GET and POST). */
  async function putAs(user: TestUser, url: string, body: unknown) {
    const signIn = await fetch(`${server.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    })
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const { csrfToken } = (await signIn.json()) as { csrfToken: string }
    const response = await fetch(`${server.url}${url}`, {
      method: 'PUT',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status, await response.clone().text()).toBe(200)
  }

  /** No sideways scrolling; on failure, names the elements that stick out. */
  async function expectNoSideScroll(page: Page) {
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth
      if (document.documentElement.scrollWidth <= width) {
        return []
      }
      return [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 1)
        .slice(0, 8)
        .map(
          (e) => `${e.tagName.toLowerCase()}.${e.className} (${e.getBoundingClientRect().right}px)`,
        )
    })
    expect(wide).toEqual([])
  }
})
