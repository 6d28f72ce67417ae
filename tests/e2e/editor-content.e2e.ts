import type { Node } from 'prosemirror-model'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, signedInPages, trackPageErrors } from '../support/browser'
import { buildDocx } from '../support/docx'
import type { TestUser } from '../support/factories'
import { startTestServer, type TestServer } from '../support/server'
import {
  createDocumentWithContent,
  editorText,
  headingIds,
  openEditor,
  placeCursorAfter,
  saveStatus,
  storedDocument,
} from './editor-helpers'

/** Every heading of a stored document: level, text and section id. */
function storedHeadings(doc: Node): { level: number; text: string; id: string | null }[] {
  const headings: { level: number; text: string; id: string | null }[] = []
  doc.descendants((node) => {
    if (node.type.name === 'heading') {
      headings.push({
        level: node.attrs.level as number,
        text: node.textContent,
        id: node.attrs.sectionId as string | null,
      })
    }
    return !node.isTextblock
  })
  return headings
}

/** Pastes `html` (and a plain-text fallback) into the editor as a browser paste would. */
async function pasteHtml(page: Page, html: string): Promise<void> {
  await page.locator('.doc-text').evaluate((element, markup) => {
    const data = new DataTransfer()
    data.setData('text/html', markup)
    data.setData('text/plain', markup.replace(/<[^>]+>/g, ''))
    element.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
    )
  }, html)
}

// Issue 4, items 2 and 4: creating, importing, renaming and deleting documents; tables, lists
// and headings as writers expect; pasting from Word and the web.
describe('writing in the editor', () => {
  let server: TestServer
  let browser: Browser
  let processId: string
  let secretariat: TestUser
  let drafter: TestUser
  const pages = signedInPages(() => browser, () => server.url)
  const pageFor = pages.pageFor

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    secretariat = await server.factories.createUser({ isAdmin: true, name: 'Sofía Ramírez' })
    drafter = await server.factories.createUser({ name: 'Diego Herrera' })
    const process = await server.factories.createProcess({
      title: 'National Cybersecurity Strategy',
      secretariat,
      languages: ['en', 'es'],
      members: [{ user: drafter, role: 'drafter', group: 'private-sector' }],
    })
    processId = process.id
  })

  afterAll(async () => {
    await pages.closeAll()
    await browser?.close()
    await server?.close()
  })


  test('headings, lists and tables behave as writers expect, from the keyboard', async () => {
    const documentId = await createDocumentWithContent(
      server,
      processId,
      secretariat,
      'Objectives',
      `## Objectives

Intro.

- First item
- Second item

| Objective | Indicator |
| --- | --- |
| Resilience | Incidents |
`,
    )
    const page = await pageFor(drafter)
    const errors = trackPageErrors(page)
    await openEditor(page, server.url, documentId)
    // At a typist's pace: a burst of synthetic keys right after Enter or a Markdown shortcut can
    // land its first character behind the cursor on a machine under heavy load (closing note).
    const type = (text: string) => page.keyboard.type(text, { delay: 15 })

    // Enter at the end of a heading starts a normal paragraph.
    await placeCursorAfter(page, 'Objectives')
    await page.keyboard.press('Enter')
    await type('Under the heading.')
    await expect
      .poll(() => page.locator('.doc-text p', { hasText: 'Under the heading.' }).count())
      .toBe(1)
    expect(await page.locator('.doc-text .doc-heading').allInnerTexts()).toEqual(['Objectives'])

    // Tab indents a list item under the previous one; Shift-Tab brings it back.
    await placeCursorAfter(page, 'Second item')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.locator('.doc-text li li').innerText()).toBe('Second item')
    await page.keyboard.press('Shift+Tab')
    await expect.poll(() => page.locator('.doc-text li li').count()).toBe(0)
    // Enter in a list makes a new item; Enter on an empty item leaves the list.
    await page.keyboard.press('End')
    await page.keyboard.press('Enter')
    await type('Third item')
    await expect.poll(() => page.locator('.doc-text ul > li').count()).toBe(3)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Enter')
    await type('After the list.')
    await expect
      .poll(() => page.locator('.doc-text > p', { hasText: 'After the list.' }).count())
      .toBe(1)
    expect(await page.locator('.doc-text ul > li').count()).toBe(3)

    // Tab moves through table cells, and past the last cell adds a row.
    await placeCursorAfter(page, 'Resilience')
    await page.keyboard.press('Tab')
    await type('Major incidents per year')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.locator('.doc-text tr').count()).toBe(3)
    await type('Awareness')
    await page.keyboard.press('Tab')
    await type('Campaign reach')
    await expect
      .poll(() => page.locator('.doc-text tr').last().innerText())
      .toMatch(/Awareness\s+Campaign reach/)

    // Markdown-like shortcuts: "## " makes a heading, which gets its own section id.
    await placeCursorAfter(page, 'After the list.')
    await page.keyboard.press('Enter')
    await type('## ')
    await expect.poll(() => page.locator('.doc-text .doc-heading').count()).toBe(2)
    await type('Governance')
    await expect.poll(() => page.locator('.doc-text .doc-heading').allInnerTexts()).toEqual([
      'Objectives',
      'Governance',
    ])
    const ids = await headingIds(page)
    expect(ids.every((id) => id && /^[A-Za-z0-9_-]{10}$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(2)

    // Splitting a heading in the middle: both halves are headings, only one keeps the id.
    await placeCursorAfter(page, 'Gover')
    await page.keyboard.press('Enter')
    await expect.poll(() => headingIds(page).then((found) => found.length)).toBe(3)
    const split = await headingIds(page)
    expect(new Set(split).size).toBe(3)
    expect(split[1]).toBe(ids[1])
    expect(await page.locator('.doc-text .doc-heading').allInnerTexts()).toEqual([
      'Objectives',
      'Gover',
      'nance',
    ])

    // The toolbar: Alt-F10 reaches it, arrows move along it, Escape returns to the text.
    await placeCursorAfter(page, 'Under the heading.')
    await page.keyboard.press('Alt+F10')
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')
    expect(await focused()).toBe('Undo')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    expect(await focused()).toBe('Normal text')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Enter') // Heading 1, applied to the paragraph with the cursor.
    await expect
      .poll(() => page.locator('.doc-text h2.doc-heading', { hasText: 'Under the heading.' }).count())
      .toBe(1)
    await page.keyboard.press('Escape')
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('doc-text')),
    ).toBe(true)

    await expect.poll(() => saveStatus(page)).toBe('All changes saved')
    const stored = await storedDocument(server, documentId)
    const headings = storedHeadings(stored)
    expect(headings.map((h) => `${h.level} ${h.text}`)).toEqual([
      '2 Objectives',
      '1 Under the heading.',
      '2 Gover',
      '2 nance',
    ])
    expect(new Set(headings.map((h) => h.id)).size).toBe(4)
    let rows = 0
    stored.descendants((node) => {
      rows += node.type.name === 'table_row' ? 1 : 0
      return true
    })
    expect(rows).toBe(3)
    expect(errors).toEqual([])
  })

  test('pasting from the web and from Word keeps structure, drops styling and renews duplicate section ids', async () => {
    const documentId = await createDocumentWithContent(
      server,
      processId,
      secretariat,
      'Paste test',
      '## Action lines\n\nThe first paragraph.\n',
    )
    const page = await pageFor(drafter)
    await openEditor(page, server.url, documentId)
    const [original] = await headingIds(page)
    expect(original).toBeTruthy()

    // A web page's HTML with a copy of the existing heading (same id), styling and a table.
    await placeCursorAfter(page, 'The first paragraph.')
    await page.keyboard.press('Enter')
    await pasteHtml(
      page,
      `<h2 data-section-id="${original}" style="color: red; font-family: Comic Sans MS">Action lines</h2>
       <p class="fancy" style="color:#f00;font-size:30px;background:yellow">Pasted <b>bold</b>, <span style="font-weight:700">also bold</span> and <i>italic</i> with <a href="https://example.org/plan" style="color:green">a link</a> and <a href="javascript:alert(1)">no script</a>.</p>
       <ol><li>One</li><li>Two</li></ol>
       <table style="border:5px solid red"><tr><th>Line</th><th>Lead</th></tr><tr><td>CSIRT</td><td>Ministry</td></tr></table>
       <img src="https://example.org/x.png" alt="chart">`,
    )
    await expect.poll(() => page.locator('.doc-text table').count()).toBe(1)
    await expect.poll(() => page.locator('.doc-text .doc-heading').count()).toBe(2)
    const ids = await headingIds(page)
    expect(ids[0]).toBe(original) // The heading that was there keeps its id…
    expect(ids[1]).toMatch(/^[A-Za-z0-9_-]{10}$/) // …and the pasted copy gets a fresh one.
    expect(ids[1]).not.toBe(original)

    const pasted = page.locator('.doc-text p', { hasText: 'Pasted' })
    expect(await pasted.locator('strong').allInnerTexts()).toEqual(['bold', 'also bold'])
    expect(await pasted.locator('em').allInnerTexts()).toEqual(['italic'])
    expect(await pasted.locator('a').count()).toBe(1)
    expect(await pasted.locator('a').getAttribute('href')).toBe('https://example.org/plan')
    // Foreign styling is gone: no inline styles, classes or images inside the text.
    const foreign = await page
      .locator('.doc-text')
      .evaluate(
        (root) =>
          root.querySelectorAll('[style]:not(.remote-cursor):not(.remote-cursor-label), img, .fancy, font')
            .length,
      )
    expect(foreign).toBe(0)
    expect(await page.locator('.doc-text ol > li').allInnerTexts()).toEqual(['One', 'Two'])
    expect(await page.locator('.doc-text th').allInnerTexts()).toEqual(['Line', 'Lead'])

    // Word: list paragraphs with mso-list styles and typed bullets become real nested lists.
    await placeCursorAfter(page, 'no script.')
    await page.keyboard.press('Enter')
    await pasteHtml(
      page,
      `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>
       <p class=MsoNormal style='color:#1F3864'>From Word<o:p></o:p></p>
       <p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Protect <b>critical</b> infrastructure<o:p></o:p></p>
       <p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Energy and water<o:p></o:p></p>
       <p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp; </span></span></span><![endif]>Train responders<o:p></o:p></p>
       </body></html>`,
    )
    await expect.poll(() => page.locator('.doc-text > ul > li').count()).toBe(2)
    expect(await page.locator('.doc-text > ul > li').first().locator('p').first().innerText()).toBe(
      'Protect critical infrastructure',
    )
    expect(await page.locator('.doc-text ul ul > li').innerText()).toBe('Energy and water')
    expect(await editorText(page)).not.toContain('·')

    await expect.poll(() => saveStatus(page)).toBe('All changes saved')
    const headings = storedHeadings(await storedDocument(server, documentId))
    expect(headings.map((h) => h.id)).toEqual(ids)
  })

  test('a .docx with headings, lists and a table imports with progress and opens in the editor', async () => {
    const docx = await buildDocx([
      { heading: 1, text: 'Estrategia Nacional de Ciberseguridad' },
      { paragraph: ['Una visión ', { text: 'compartida', bold: true, color: 'FF0000' }, '.'] },
      { heading: 2, text: 'Principios' },
      { bullet: 'Derechos humanos' },
      { bullet: 'Cooperación', level: 1 },
      { numbered: 'Primer objetivo' },
      { numbered: 'Segundo objetivo' },
      { heading: 2, text: 'Indicadores' },
      {
        table: [
          ['Objetivo', 'Indicador'],
          ['Resiliencia', 'Incidentes graves'],
        ],
      },
    ])
    const page = await pageFor(secretariat)
    await page.goto(`${server.url}/processes/${processId}`)
    await page.getByRole('heading', { name: 'Import a document' }).waitFor()
    // Record every progress message the form shows.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { progressSeen: string[] }).progressSeen = seen
      const target = document.querySelector('.import-progress')!
      new MutationObserver(() => {
        const text = target.textContent ?? ''
        if (text && seen[seen.length - 1] !== text) {
          seen.push(text)
        }
      }).observe(target, { childList: true, subtree: true, characterData: true })
    })
    await page.getByLabel('File to import').setInputFiles({
      name: 'Estrategia 2026.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: Buffer.from(docx),
    })
    expect(await page.getByLabel('Document title', { exact: true }).last().inputValue()).toBe(
      'Estrategia 2026',
    )
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.waitForURL((url) => url.pathname.startsWith('/documents/'))
    const progress = await page.evaluate(
      () => (window as unknown as { progressSeen: string[] }).progressSeen,
    )
    expect(progress[0]).toBe('Reading the file…')
    expect(progress.some((p) => p.startsWith('Uploading…'))).toBe(true)

    await page.locator('.doc-text').waitFor()
    await expect.poll(() => page.locator('h1').innerText()).toBe('Estrategia 2026')
    expect(await page.locator('.doc-text .doc-heading').allInnerTexts()).toEqual([
      'Estrategia Nacional de Ciberseguridad',
      'Principios',
      'Indicadores',
    ])
    expect(await page.locator('.doc-text ul > li > p').first().innerText()).toBe('Derechos humanos')
    expect(await page.locator('.doc-text ul ul li').innerText()).toBe('Cooperación')
    expect(await page.locator('.doc-text ol > li').allInnerTexts()).toEqual([
      'Primer objetivo',
      'Segundo objetivo',
    ])
    expect(await page.locator('.doc-text tr').count()).toBe(2)
    expect(await page.locator('.doc-text strong').innerText()).toBe('compartida')
    expect(await page.locator('.doc-text [style]:not(.remote-cursor)').count()).toBe(0)
    // The outline lists the imported sections.
    expect(await page.locator('.outline-list a').allInnerTexts()).toEqual([
      'Estrategia Nacional de Ciberseguridad',
      'Principios',
      'Indicadores',
    ])

    // A file that is not a document is refused before anything is sent.
    await page.goto(`${server.url}/processes/${processId}`)
    await page.getByLabel('File to import').setInputFiles({
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from([137, 80, 78, 71]),
    })
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await page.getByText('Choose a Word document (.docx) or a Markdown file (.md).').waitFor()
  })

  test('the secretariat creates from the strategy template, renames and deletes a document', async () => {
    const page = await pageFor(secretariat)
    await page.goto(`${server.url}/processes/${processId}`)
    await page.getByLabel('National strategy outline').check()
    await page.getByLabel('Document title', { exact: true }).first().fill('Draft strategy 2026')
    await page.getByRole('button', { name: 'Create document' }).click()
    await page.getByRole('link', { name: 'Open “Draft strategy 2026”' }).click()
    await page.locator('.doc-text').waitFor()
    const outline = await page.locator('.outline-list a').allInnerTexts()
    for (const part of ['Vision', 'Guiding principles', 'Strategic objectives', 'Action lines', 'Governance', 'Indicators']) {
      expect(outline.some((title) => title.includes(part))).toBe(true)
    }
    // Navigating by the outline moves the cursor to the section.
    await page.locator('.outline-list a', { hasText: 'Indicators' }).click()
    await expect
      .poll(() => page.locator('.outline-list a[aria-current]').innerText())
      .toContain('Indicators')

    // Rename.
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('Document title').fill('National strategy, first draft')
    await page.getByRole('button', { name: 'Save title' }).click()
    await expect.poll(() => page.locator('h1').innerText()).toBe('National strategy, first draft')
    await page.reload()
    await expect.poll(() => page.locator('h1').innerText()).toBe('National strategy, first draft')

    // Delete, after confirming: back on the process home, with the document gone.
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByRole('button', { name: 'Yes, delete' }).click()
    await page.waitForURL((url) => url.pathname === `/processes/${processId}`)
    await page.getByText('Document “National strategy, first draft” was deleted.').waitFor()
    expect(
      await page.getByRole('link', { name: 'National strategy, first draft' }).count(),
    ).toBe(0)

    // The process speaks English and Spanish: the outline can be seeded in either.
    expect(await page.getByLabel('Language of the outline').count()).toBe(0)
    await page.getByLabel('National strategy outline').check()
    await page.getByLabel('Language of the outline').selectOption('es')
    await page.getByLabel('Document title', { exact: true }).first().fill('Estrategia 2027')
    await page.getByRole('button', { name: 'Create document' }).click()
    await page.getByRole('link', { name: 'Open “Estrategia 2027”' }).click()
    await page.locator('.doc-text').waitFor()
    const esquema = await page.locator('.outline-list a').allInnerTexts()
    for (const part of ['Visión', 'Principios rectores', 'Líneas de acción', 'Indicadores']) {
      expect(esquema.some((title) => title.includes(part)), part).toBe(true)
    }
  })
})
