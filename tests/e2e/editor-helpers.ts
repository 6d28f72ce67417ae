import type { Node } from 'prosemirror-model'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { insertDocument, loadContent } from '../../server/documents/service'
import { parseMarkdown } from '../../server/render/markdown'
import { assignSectionIds } from '../../shared/schema'
import type { TestUser } from '../support/factories'
import type { TestServer } from '../support/server'

/**
 * Steps the editor's browser tests share: documents with content written the way the server
 * writes them (once, on the server), the editor opened and connected, and the stored state
 * read straight from the database to check what the page claims.
 */

/** Creates a document whose content is `markdown`, stored as its first update. */
export async function createDocumentWithContent(
  server: TestServer,
  processId: string,
  by: TestUser,
  title: string,
  markdown: string,
): Promise<string> {
  const content = assignSectionIds(parseMarkdown(markdown))
  const { id } = await insertDocument(server.db, processId, title, { userId: by.id, name: by.name, ip: 'test' }, { content })
  return id
}

/** The document as the database holds it now. */
export function storedDocument(server: TestServer, documentId: string): Promise<Node> {
  return loadContent(server.db, documentId)
}

/** The stored text of a document, blocks separated by new lines. */
export async function storedText(server: TestServer, documentId: string): Promise<string> {
  const doc = await storedDocument(server, documentId)
  return doc.textBetween(0, doc.content.size, '\n', '\n')
}

/** Opens a document and waits until its text is on screen and the connection is up. */
export async function openEditor(page: Page, url: string, documentId: string): Promise<void> {
  await page.goto(`${url}/documents/${documentId}`)
  await page.locator('.doc-text').waitFor()
  await expect.poll(() => connectionStatus(page)).toBe('Connected')
}

export function connectionStatus(page: Page): Promise<string> {
  return page.locator('.conn').innerText()
}

export function saveStatus(page: Page): Promise<string> {
  return page.locator('.save-state').innerText()
}

/** The text on screen, without collaborators' cursor labels. */
export function editorText(page: Page): Promise<string> {
  return page.locator('.doc-text').evaluate((root) => {
    const copy = root.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.remote-cursor').forEach((cursor) => cursor.remove())
    // Blocks have `content-visibility: auto` (long documents), and off screen a skipped block
    // has no innerText: render every block of the copy.
    copy.querySelectorAll<HTMLElement>(':scope > *').forEach((block) => {
      block.classList.remove('doc-far')
      block.style.contentVisibility = 'visible'
    })
    // innerText needs layout: measure the copy in place, then take it out again.
    copy.style.position = 'absolute'
    copy.style.left = '-100000px'
    root.parentElement!.appendChild(copy)
    const text = copy.innerText
    copy.remove()
    return text
  })
}

/** Puts the cursor right after the first occurrence of `text` in the editor. */
export async function placeCursorAfter(page: Page, text: string): Promise<void> {
  await page.locator('.doc-text').focus()
  const placed = await page.locator('.doc-text').evaluate(async (root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) =>
        node.parentElement?.closest('.remote-cursor') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    })
    while (walker.nextNode()) {
      const node = walker.currentNode as Text
      const at = node.data.indexOf(wanted)
      if (at >= 0) {
        // ProseMirror reads the DOM selection in its own selectionchange listener, which was
        // added before this one and so has run when this promise settles.
        const seen = new Promise((resolve) =>
          document.addEventListener('selectionchange', resolve, { once: true }),
        )
        window.getSelection()!.collapse(node, at + wanted.length)
        await seen
        return true
      }
    }
    return false
  }, text)
  if (!placed) {
    throw new Error(`"${text}" is not in the editor`)
  }
}

/** The section ids of the headings on screen, in order. */
export function headingIds(page: Page): Promise<(string | null)[]> {
  return page
    .locator('.doc-text .doc-heading')
    .evaluateAll((headings) => headings.map((h) => (h as HTMLElement).dataset.sectionId ?? null))
}
