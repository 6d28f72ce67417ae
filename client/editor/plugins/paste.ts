import { Plugin, PluginKey } from 'prosemirror-state'

export const pasteKey = new PluginKey('concord-paste')

/**
 * Pasting from Word and from web pages. ProseMirror parses pasted HTML with the shared
 * schema, which already keeps structure (headings, lists, tables, bold, italic, allowed links)
 * and drops everything else (fonts, colours, sizes, classes, images). What it cannot see on
 * its own is Word's lists: Word puts list items on the clipboard as paragraphs styled
 * `mso-list: l0 level2`, with the bullet or number as text. They are rebuilt here as real
 * nested lists before parsing.
 */
export function pastePlugin(): Plugin {
  return new Plugin({
    key: pasteKey,
    props: {
      transformPastedHTML: (html) => cleanPastedHtml(html),
    },
  })
}

const WORD_MARKERS = /class="?Mso|mso-list|urn:schemas-microsoft-com:office/i

/** Rewrites clipboard HTML from Word; other HTML passes through unchanged. */
export function cleanPastedHtml(html: string): string {
  if (!WORD_MARKERS.test(html)) {
    return html
  }
  const parsed = new DOMParser().parseFromString(html, 'text/html')
  const body = parsed.body
  rebuildWordLists(body)
  // Office-only elements and leftovers of conditional comments carry nothing of value.
  for (const element of Array.from(body.querySelectorAll('style, meta, link, xml, title'))) {
    element.remove()
  }
  removeComments(body)
  return body.innerHTML
}

interface WordListInfo {
  level: number
  ordered: boolean
}

const MSO_LIST = /mso-list:\s*(?:l\d+\s+)?level(\d+)/i

function wordListInfo(element: Element): WordListInfo | null {
  if (element.tagName !== 'P') {
    return null
  }
  const style = element.getAttribute('style') ?? ''
  const match = MSO_LIST.exec(style)
  if (!match || /mso-list:\s*ignore/i.test(style)) {
    return null
  }
  const marker = element.querySelector('span[style*="mso-list"]')
  const markerText = (marker?.textContent ?? '').replace(/\s+/g, ' ').trim()
  // "1.", "a)", "iv." are numbers; "·", "o", "§", "•", "–" are bullets (Symbol/Wingdings glyphs).
  const ordered = /^[(]?[0-9a-zA-Z]{1,6}[.)]/.test(markerText) && !/^[oO§]$/.test(markerText)
  return { level: Math.max(1, Number(match[1])), ordered }
}

function isBlank(node: ChildNode): boolean {
  return (
    node.nodeType === Node.COMMENT_NODE ||
    (node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() === '')
  )
}

/** Replaces runs of Word list paragraphs with nested `ul`/`ol` elements. */
function rebuildWordLists(root: Element): void {
  const parents = new Set<Element>()
  for (const p of Array.from(root.querySelectorAll('p'))) {
    if (wordListInfo(p) && p.parentElement) {
      parents.add(p.parentElement)
    }
  }
  for (const parent of parents) {
    let stack: { level: number; list: HTMLElement }[] = []
    for (const node of Array.from(parent.childNodes)) {
      const info = node.nodeType === Node.ELEMENT_NODE ? wordListInfo(node as Element) : null
      if (!info) {
        if (!isBlank(node)) {
          stack = [] // Anything else ends the list.
        }
        continue
      }
      const paragraph = node as HTMLElement
      while (stack.length > 0 && stack[stack.length - 1]!.level > info.level) {
        stack.pop()
      }
      let top = stack[stack.length - 1]
      if (!top || top.level < info.level) {
        const list = paragraph.ownerDocument.createElement(info.ordered ? 'ol' : 'ul')
        if (top) {
          const lastItem = top.list.lastElementChild ?? top.list
          lastItem.appendChild(list)
        } else {
          parent.insertBefore(list, paragraph)
        }
        top = { level: info.level, list }
        stack.push(top)
      }
      for (const marker of Array.from(paragraph.querySelectorAll('span[style*="mso-list"]'))) {
        if (/mso-list:\s*ignore/i.test(marker.getAttribute('style') ?? '')) {
          marker.remove()
        }
      }
      const item = paragraph.ownerDocument.createElement('li')
      const text = paragraph.ownerDocument.createElement('p')
      while (paragraph.firstChild) {
        text.appendChild(paragraph.firstChild)
      }
      item.appendChild(text)
      top.list.appendChild(item)
      paragraph.remove()
    }
  }
}

function removeComments(root: Node): void {
  const walker = root.ownerDocument!.createTreeWalker(root, NodeFilter.SHOW_COMMENT)
  const comments: Node[] = []
  while (walker.nextNode()) {
    comments.push(walker.currentNode)
  }
  for (const comment of comments) {
    comment.parentNode?.removeChild(comment)
  }
}
