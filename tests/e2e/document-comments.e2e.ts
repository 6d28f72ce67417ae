import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
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
  createDocumentWithContent,
  editorText,
  openEditor,
  placeCursorAfter,
  storedText,
} from './editor-helpers'

const DRAFT = `## 1. Vision

A secure and open digital environment for everyone.

## 2. Guiding principles

Human rights come first. Security serves people.
`

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

/**
 * The text of every highlighted span, in document order. One passage may take several spans
 * (a collaborator's cursor inside it splits it), so tests with one thread join them.
 */
function highlights(page: Page): Promise<string[]> {
  return page
    .locator('.doc-text .comment-anchor')
    .evaluateAll((spans) => spans.map((s) => s.textContent ?? ''))
}

async function highlighted(page: Page): Promise<string> {
  return (await highlights(page)).join('')
}

function margin(page: Page) {
  return page.locator('.comments-margin')
}

/** Starts a thread on the current selection from the margin and posts it. */
async function comment(page: Page, body: string, proposal?: { text: string }): Promise<void> {
  await margin(page).getByRole('button', { name: 'Comment', exact: true }).click()
  const form = page.locator('.comment-composer')
  await form.waitFor()
  if (proposal) {
    await form.getByLabel('Proposed change').check()
    await form.getByLabel('Proposed text').fill(proposal.text)
    await form.getByLabel('Why this change?').fill(body)
  } else {
    await form.getByLabel('Your comment').fill(body)
  }
  await form.getByRole('button', { name: 'Post thread' }).click()
  await waitFor(async () => (await form.count()) === 0, { message: 'composer closed' })
}

// Issue 5 on the document page: a passage commented by a stakeholder reaches a drafter's page
// live; the highlight follows edits without widening; a proposed change applied by a drafter
// reaches both editors through Yjs; and the margin passes axe.
describe('comments in the document', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let sofia: TestUser // secretariat
  let daniel: TestUser // drafter
  let lucia: TestUser // stakeholder, civil society
  const pages = signedInPages(
    () => browser,
    () => server.url,
  )

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    sofia = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    daniel = await server.factories.createUser({ name: 'Daniel Ortega' })
    lucia = await server.factories.createUser({ name: 'Lucía Fernández' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat: sofia,
      members: [
        { user: daniel, role: 'drafter', group: 'government', organisation: 'National CERT' },
        {
          user: lucia,
          role: 'stakeholder',
          group: 'civil-society',
          organisation: 'Digital Rights Foundation',
        },
      ],
    })
    processId = process.id
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })

  test('a stakeholder comments on a passage; the drafter sees it live, and the highlight follows edits without widening', async () => {
    const documentId = await createDocumentWithContent(server, processId, sofia, 'Draft', DRAFT)
    const reader = await pages.pageFor(lucia)
    const drafter = await pages.pageFor(daniel)
    const errors = [...trackPageErrors(reader), ...trackPageErrors(drafter)]
    await openEditor(reader, server.url, documentId)
    await openEditor(drafter, server.url, documentId)
    await placeCursorAfter(drafter, 'for everyone.')

    // The stakeholder reads only, yet selects a passage and comments on it.
    await selectText(reader, 'open digital environment')
    await comment(reader, 'Say who guarantees the openness.')
    await waitFor(async () => (await highlighted(reader)) === 'open digital environment', {
      message: 'highlight on the author’s page',
    })
    const card = margin(reader).locator('article.thread-card')
    await waitFor(() => card.isVisible())
    expect(await card.innerText()).toContain('Say who guarantees the openness.')
    expect(await card.innerText()).toContain('Civil society')

    // The drafter's page, without a reload: the margin, the highlight, the heading count and
    // the outline's bar with its text alternative.
    const drafterCard = margin(drafter).locator('article.thread-card', {
      hasText: 'Say who guarantees the openness.',
    })
    await waitFor(() => drafterCard.isVisible(), { timeoutMs: 3_000, message: 'thread live' })
    await waitFor(async () => (await highlighted(drafter)) === 'open digital environment', {
      timeoutMs: 3_000,
    })
    const badge = drafter.locator('.doc-text .heading-threads-btn')
    await waitFor(
      async () => (await badge.getAttribute('aria-label').catch(() => null)) === '1 open thread',
      {
        timeoutMs: 3_000,
      },
    )
    const bar = drafter.locator('.outline .threads-bar')
    await waitFor(() => bar.isVisible(), { timeoutMs: 3_000 })
    expect(await bar.textContent()).toContain('Civil society 1')

    // Typed at both edges, the passage stays the same on both pages; typed inside, it grows.
    await placeCursorAfter(drafter, 'open digital environment')
    await drafter.keyboard.type(' AFTER')
    await placeCursorAfter(drafter, 'A secure and ')
    await drafter.keyboard.type('BEFORE ')
    await placeCursorAfter(drafter, 'open digital')
    await drafter.keyboard.type(' INSIDE')
    const grown = 'open digital INSIDE environment'
    await waitFor(async () => (await editorText(reader)).includes(`BEFORE ${grown} AFTER`), {
      message: 'edits reach the reader',
    })
    for (const page of [drafter, reader]) {
      await waitFor(async () => (await highlighted(page)) === grown, {
        message: 'highlight neither widened nor lost',
      })
    }

    // Deleting the passage: the thread falls back to its section, on both pages.
    await selectText(drafter, grown)
    await drafter.keyboard.press('Backspace')
    for (const page of [drafter, reader]) {
      await waitFor(async () => (await highlights(page)).length === 0, {
        message: 'highlight gone',
      })
      await waitFor(() => margin(page).locator('.passage-removed').isVisible(), {
        message: 'passage removed note',
      })
    }
    expect(await drafter.locator('.doc-text .heading-threads-btn').count()).toBe(1)
    expect(errors).toEqual([])
  })

  test('a proposed change applied by a drafter reaches both editors live', async () => {
    const documentId = await createDocumentWithContent(server, processId, sofia, 'Proposal', DRAFT)
    const reader = await pages.pageFor(lucia)
    const drafter = await pages.pageFor(daniel)
    const errors = [...trackPageErrors(reader), ...trackPageErrors(drafter)]
    await openEditor(reader, server.url, documentId)
    await openEditor(drafter, server.url, documentId)
    await placeCursorAfter(drafter, 'Security serves people.')

    await selectText(reader, 'Human rights come first.')
    await comment(reader, 'Name the rule of law too.', {
      text: 'Human rights and the rule of law come first.',
    })
    const proposal = margin(drafter).locator('article.thread-card', {
      hasText: 'Name the rule of law too.',
    })
    await waitFor(() => proposal.isVisible(), { timeoutMs: 3_000, message: 'proposal live' })
    // Stakeholders cannot apply; drafters can.
    expect(
      await margin(reader).getByRole('button', { name: 'Apply proposed change' }).count(),
    ).toBe(0)
    await proposal.getByRole('button', { name: 'Apply proposed change' }).click()
    // Issue 15, item 3: the change shows before and after, and applies only once confirmed.
    const confirm = proposal.locator('.apply-confirm')
    await confirm.waitFor()
    expect(await confirm.locator('.apply-before').textContent()).toContain(
      'Human rights come first.',
    )
    expect(await confirm.locator('.apply-after').textContent()).toContain(
      'Human rights and the rule of law come first.',
    )
    expect(await storedText(server, documentId)).not.toContain('the rule of law')
    await expectNoSeriousViolations(drafter, 'the change before it is applied')
    await confirm.getByRole('button', { name: 'Apply this change' }).click()

    const after = 'Human rights and the rule of law come first. Security serves people.'
    for (const page of [drafter, reader]) {
      await waitFor(async () => (await editorText(page)).includes(after), {
        message: 'applied text on screen',
      })
    }
    await waitFor(async () => (await storedText(server, documentId)).includes(after))
    // Accepted: no longer open, so no highlight and no count.
    for (const page of [drafter, reader]) {
      await waitFor(
        async () => (await page.locator('.doc-text .heading-threads-btn').count()) === 0,
        {
          message: 'count gone once accepted',
        },
      )
    }
    expect(errors).toEqual([])
  })

  // One test per device, each with its own document: axe on a full page takes a while.
  for (const [device, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`axe finds no serious violations with the margin open, ${device}, English and Spanish`, async () => {
      const documentId = await createDocumentWithContent(
        server,
        processId,
        sofia,
        `Axe ${device}`,
        DRAFT,
      )
      const author = await pages.pageFor(lucia)
      await openEditor(author, server.url, documentId)
      await selectText(author, 'open digital environment')
      await comment(author, 'A comment for the accessibility check.')

      const page = await pages.pageFor(lucia, { viewport })
      for (const language of ['English', 'Español']) {
        await page.goto(`${server.url}/documents/${documentId}`)
        await page.locator('.doc-text').waitFor()
        // In any language: the connection is up.
        await waitFor(() => page.locator('.conn-connected').isVisible(), { timeoutMs: 10_000 })
        await page.getByRole('button', { name: language }).click()
        const where = `${viewport.width}px, ${language}`
        if (viewport === PHONE) {
          await page.locator('.comments-dock .btn-primary').click()
        } else {
          await page.locator('.doc-text .heading-threads-btn').first().click()
        }
        await waitFor(() => margin(page).locator('article.thread-card').first().isVisible(), {
          timeoutMs: 5_000,
          message: `margin open (${where})`,
        })
        // The composer too.
        await selectText(page, language === 'English' ? 'Human rights' : 'Security serves')
        await page.keyboard.press('Control+Alt+KeyM')
        await waitFor(() => page.locator('.comment-composer').isVisible(), { timeoutMs: 5_000 })
        await expectNoSeriousViolations(page, `document with comments (${where})`)
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        expect(width, where).toBeLessThanOrEqual(viewport.width)
      }
      // The choice is saved to the account: back to English for the next test.
      await page.getByRole('button', { name: 'English' }).click()
      await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en')
    })
  }
})
