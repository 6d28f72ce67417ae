import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  DESKTOP,
  PHONE,
  expectNoSeriousViolations,
  launchBrowser,
  signedInPages,
  trackPageErrors,
} from '../support/browser'
import type { TestProcess, TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import {
  createDocumentWithContent,
  editorText,
  openEditor,
  placeCursorAfter,
  saveStatus,
  storedText,
} from './editor-helpers'

const DRAFT = `## 1. Vision

A secure and open digital environment for everyone.

## 2. Guiding principles

- Human rights come first.
- Shared responsibility.

## 3. Indicators

| Objective | Indicator |
| --- | --- |
| Resilience | Incidents |
`

// Issue 4, items 3 and 5: readers follow the live draft without editing controls and never
// meet the server's refusal; keyboard, screen reader, phone and Spanish.
describe('reading, accessibility and languages', () => {
  let server: TestServer
  let browser: Browser
  let process: TestProcess
  let secretariat: TestUser
  let observer: TestUser
  let stakeholder: TestUser
  let documentId: string
  const pages = signedInPages(() => browser, () => server.url)
  const pageFor = pages.pageFor

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    observer = await server.factories.createUser({ name: 'Olga Paredes' })
    stakeholder = await server.factories.createUser({ name: 'Martín Castillo' })
    process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      members: [
        { user: observer, role: 'observer', group: 'civil-society' },
        { user: stakeholder, role: 'stakeholder', group: 'academia' },
      ],
    })
    documentId = await createDocumentWithContent(server, process.id, secretariat, 'Draft strategy', DRAFT)
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })


  async function refusedWrites(): Promise<number> {
    const rows = await server.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'document.write_refused')
      .execute()
    return rows.length
  }

  test('a read-only member follows the live draft without editing controls and cannot change it', async () => {
    const writer = await pageFor(secretariat)
    const reader = await pageFor(observer)
    const errors = trackPageErrors(reader)
    // Every sync message the reader sends: a change would be an update (0, 2).
    const sentUpdates: number[] = []
    reader.on('websocket', (socket) =>
      socket.on('framesent', (frame) => {
        const bytes = Buffer.from(frame.payload as Buffer)
        if (bytes[0] === 0 && bytes[1] === 2) {
          sentUpdates.push(bytes.length)
        }
      }),
    )
    await openEditor(writer, server.url, documentId)
    await openEditor(reader, server.url, documentId)

    // No editing controls: no toolbar, no save state, a read-only text box, and a note saying why.
    expect(await reader.getByRole('toolbar').count()).toBe(0)
    expect(await reader.locator('.save-state').count()).toBe(0)
    const text = reader.getByRole('textbox', { name: 'Text of “Draft strategy”' })
    expect(await text.getAttribute('aria-readonly')).toBe('true')
    expect(await text.getAttribute('contenteditable')).toBe('false')
    expect(await reader.locator('#read-only-note').innerText()).toContain('As Observer')
    expect(await reader.getByText('Read only', { exact: true }).count()).toBe(1)

    // It sees the writer's typing live, with the writer's cursor, and both see each other.
    await placeCursorAfter(writer, 'for everyone.')
    await writer.keyboard.type(' Live from the secretariat.')
    await expect.poll(() => editorText(reader)).toContain('everyone. Live from the secretariat.')
    await expect
      .poll(() => reader.locator('.remote-cursor-label', { hasText: 'Sofía Ramírez' }).count())
      .toBe(1)
    await expect.poll(() => writer.locator('.people-list').innerText()).toContain('Olga Paredes')
    expect(await writer.locator('.people-list').innerText()).toContain('Civil society')

    // Typing, deleting and pasting change nothing, here or on the server.
    await text.click()
    await reader.keyboard.type('Should not appear')
    await reader.keyboard.press('Backspace')
    await reader.keyboard.press('Control+b')
    await reader.locator('.doc-text').evaluate((element) => {
      const data = new DataTransfer()
      data.setData('text/html', '<p>Pasted by a reader</p>')
      element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    })
    await writer.keyboard.type(' Still writing.')
    await expect.poll(() => editorText(reader)).toContain('Still writing.')
    expect(await editorText(reader)).not.toContain('Should not appear')
    expect(await editorText(reader)).not.toContain('Pasted by a reader')
    await expect.poll(() => saveStatus(writer)).toBe('All changes saved')
    const stored = await storedText(server, documentId)
    expect(stored).not.toContain('Should not appear')
    expect(stored).toContain('Live from the secretariat. Still writing.')
    // The reader never sent a change, so the server never had to refuse one.
    expect(sentUpdates).toEqual([])
    expect(await refusedWrites()).toBe(0)

    // The outline works for readers too: it moves focus to the section's heading.
    await reader.locator('.outline-list a', { hasText: '3. Indicators' }).click()
    expect(await reader.evaluate(() => document.activeElement?.textContent)).toBe('3. Indicators')
    expect(errors).toEqual([])
  })

  test('when a reader becomes a drafter while connected, the editor switches without a reload', async () => {
    const page = await pageFor(stakeholder)
    await openEditor(page, server.url, documentId)
    expect(await page.getByRole('toolbar').count()).toBe(0)

    const admin = await pageFor(secretariat)
    const memberId = process.membershipIds.get(stakeholder.email)!
    const changeRole = (role: string) =>
      admin.evaluate(
        async ({ processId, memberId, role }) => {
          const session = (await (await fetch('/api/auth/session')).json()) as { csrfToken: string }
          const response = await fetch(`/api/processes/${processId}/members/${memberId}`, {
            method: 'PATCH',
            headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
            body: JSON.stringify({ role }),
          })
          return response.status
        },
        { processId: process.id, memberId, role },
      )
    expect(await changeRole('drafter')).toBe(200)

    await page.getByRole('toolbar', { name: 'Formatting' }).waitFor({ timeout: 15_000 })
    await expect.poll(() => page.locator('.conn').innerText()).toBe('Connected')
    await placeCursorAfter(page, 'Shared responsibility.')
    await page.keyboard.type(' Now a drafter.')
    await expect.poll(() => saveStatus(page)).toBe('All changes saved')
    expect(await storedText(server, documentId)).toContain('Shared responsibility. Now a drafter.')

    expect(await changeRole('stakeholder')).toBe(200)
    await expect.poll(() => page.getByRole('toolbar').count(), { timeout: 15_000 }).toBe(0)
    await expect.poll(() => page.locator('.doc-text').getAttribute('contenteditable')).toBe('false')
  })

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`the editor page passes axe and works by keyboard and touch (${name})`, async () => {
      const page = await pageFor(secretariat, { viewport })
      await openEditor(page, server.url, documentId)
      expect(await page.locator('h1').count()).toBe(1)
      // Document headings sit one level below the page's own title: "## 1. Vision" is an h3.
      expect(await page.locator('.doc-text h1').count()).toBe(0)
      expect(await page.locator('.doc-text h3').first().innerText()).toBe('1. Vision')
      await expectNoSeriousViolations(page, `editor (${name})`)

      // Nothing makes the page scroll sideways; the toolbar scrolls inside itself if it must.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)

      // The toolbar is one Tab stop right before the text; every button is named.
      await page.getByRole('button', { name: 'Rename' }).focus()
      await page.keyboard.press('Tab')
      await page.keyboard.press('Tab')
      const toolbarButton = await page.evaluate(() => ({
        inToolbar: Boolean(document.activeElement?.closest('[role=toolbar]')),
        name: document.activeElement?.getAttribute('aria-label'),
      }))
      expect(toolbarButton).toEqual({ inToolbar: true, name: 'Undo' })
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.classList.contains('doc-text'))).toBe(
        true,
      )
      const unnamed = await page
        .getByRole('toolbar')
        .locator('button')
        .evaluateAll((buttons) =>
          buttons.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim())).length,
        )
      expect(unnamed).toBe(0)

      // Touch: a tap on a toolbar button formats the text and keeps focus (and the phone's
      // keyboard) in the text.
      await placeCursorAfter(page, 'Resilience')
      if (name === 'phone') {
        await page.getByRole('button', { name: 'Bold' }).tap()
      } else {
        await page.getByRole('button', { name: 'Bold' }).click()
      }
      await expect
        .poll(() => page.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'))
        .toBe('true')
      expect(await page.evaluate(() => document.activeElement?.classList.contains('doc-text'))).toBe(
        true,
      )
      await page.getByRole('button', { name: 'Bold' }).click()

      // The link form and the shortcuts dialog pass too.
      await placeCursorAfter(page, 'A secure')
      await page.keyboard.press('Shift+Home')
      // The toolbar offers a link once the selection reaches the editor.
      await expect
        .poll(() => page.getByRole('button', { name: 'Link' }).getAttribute('aria-disabled'))
        .toBe(null)
      await page.keyboard.press('Control+k')
      await page.getByLabel('Link address').waitFor()
      await expectNoSeriousViolations(page, `editor with the link form (${name})`)
      await page.getByLabel('Link address').fill('gob.example/estrategia')
      await page.getByRole('button', { name: 'Apply' }).click()
      await expect
        .poll(() => page.locator('.doc-text a').getAttribute('href'))
        .toBe('https://gob.example/estrategia')

      await page.keyboard.press('Control+/')
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor()
      expect(await page.getByRole('dialog').innerText()).toContain('Bold')
      await expectNoSeriousViolations(page, `shortcuts dialog (${name})`)
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    })
  }

  test('a reader’s page passes axe, and the interface is in Spanish on a phone', async () => {
    const page = await pageFor(observer, { viewport: PHONE })
    await openEditor(page, server.url, documentId)
    await expectNoSeriousViolations(page, 'editor, read only (phone)')

    await page.getByRole('button', { name: 'Español' }).click()
    await expect.poll(() => page.locator('.conn').innerText()).toBe('Conectado')
    expect(await page.getByText('Solo lectura', { exact: true }).count()).toBe(1)
    expect(await page.getByRole('textbox').getAttribute('aria-label')).toBe('Texto de «Draft strategy»')
    expect(await page.locator('.outline summary').innerText()).toContain('ESQUEMA')
    await expectNoSeriousViolations(page, 'editor in Spanish (phone)')

    const writer = await pageFor(secretariat)
    await page.getByRole('button', { name: 'Español' }).waitFor()
    await openEditor(writer, server.url, documentId)
    await writer.getByRole('button', { name: 'Español' }).click()
    expect(await writer.getByRole('toolbar').getAttribute('aria-label')).toBe('Formato')
    expect(await writer.getByRole('button', { name: 'Negrita' }).count()).toBe(1)
    await expect.poll(() => saveStatus(writer)).toBe('Todos los cambios guardados')
    await writer.getByRole('button', { name: 'English' }).click()
  })
})
