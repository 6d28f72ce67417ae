import type { DOMOutputSpec, Mark, Node } from 'prosemirror-model'
import { isAllowedHref } from '../../shared/schema'

/**
 * HTML from a ProseMirror document, without a DOM: the schema's `toDOM` array specs are
 * turned into strings. STYLE 2.10: every text node and attribute value is escaped, every URL
 * is checked against the allowlist (a link to anything else is rendered as its plain text),
 * and anything that is not an array spec is refused, because `toDOM` itself sanitizes nothing.
 */

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
])
const TAG_NAME = /^[a-z][a-z0-9]*$/
const ATTRIBUTE_NAME = /^[a-z][a-z0-9_.:-]*$/i
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'cite',
])

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\u0000': '\uFFFD',
}
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;', "'": '&#39;' }

/** Escapes text for use between tags. */
export function escapeText(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is not allowed in HTML; it becomes U+FFFD
  return text.replace(/[&<>\u0000]/g, (c) => TEXT_ESCAPES[c]!)
}

/** Escapes text for use inside a quoted attribute value. */
export function escapeAttribute(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL is not allowed in HTML; it becomes U+FFFD
  return text.replace(/[&<>"'\u0000]/g, (c) => ATTRIBUTE_ESCAPES[c]!)
}

interface Parts {
  open: string
  close: string
}

/**
 * Renders an array spec into the markup before and after its hole (`0`), wherever the hole
 * is nested. Without a hole, the element is `open` followed by `close`.
 */
function specParts(spec: DOMOutputSpec): Parts & { hasHole: boolean } {
  if (typeof spec === 'string') {
    return { open: escapeText(spec), close: '', hasHole: false }
  }
  if (!Array.isArray(spec)) {
    throw new Error('toDOM must return an array spec for server rendering (STYLE 2.10)')
  }
  const [tag, ...rest] = spec as readonly unknown[]
  if (typeof tag !== 'string' || !TAG_NAME.test(tag)) {
    throw new Error(`Refusing to render the tag ${JSON.stringify(tag)}`)
  }
  let children = rest
  let attributes = ''
  const first = rest[0]
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    attributes = renderAttributes(first as Record<string, unknown>)
    children = rest.slice(1)
  }
  if (VOID_ELEMENTS.has(tag)) {
    if (children.length > 0) {
      throw new Error(`The void element <${tag}> cannot have content`)
    }
    return { open: `<${tag}${attributes}>`, close: '', hasHole: false }
  }
  let open = `<${tag}${attributes}>`
  let close = ''
  let hasHole = false
  for (const child of children) {
    if (child === 0) {
      if (hasHole) {
        throw new Error('A spec may have only one hole')
      }
      hasHole = true
      continue
    }
    const inner = specParts(child as DOMOutputSpec)
    if (hasHole) {
      if (inner.hasHole) {
        throw new Error('A spec may have only one hole')
      }
      close += inner.open + inner.close
    } else if (inner.hasHole) {
      open += inner.open
      close = inner.close
      hasHole = true
    } else {
      open += inner.open + inner.close
    }
  }
  return { open, close: `${close}</${tag}>`, hasHole }
}

function renderAttributes(attrs: Record<string, unknown>): string {
  let out = ''
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined) {
      continue
    }
    // Our specs never set event handlers; refusing them guards against a future mistake.
    if (!ATTRIBUTE_NAME.test(name) || /^on/i.test(name)) {
      throw new Error(`Refusing to render the attribute ${JSON.stringify(name)}`)
    }
    const text = String(value)
    if (URL_ATTRIBUTES.has(name.toLowerCase()) && !isAllowedHref(text)) {
      continue
    }
    out += ` ${name}="${escapeAttribute(text)}"`
  }
  return out
}

/** Whether a mark renders at all: a link to a target outside the allowlist renders as its text. */
function rendersMark(mark: Mark): boolean {
  return mark.type.name !== 'link' || isAllowedHref(String(mark.attrs.href))
}

function markParts(mark: Mark): Parts {
  const toDOM = mark.type.spec.toDOM
  if (!toDOM) {
    return { open: '', close: '' }
  }
  return specParts(toDOM(mark, true))
}

class HtmlRenderer {
  // HTML ids must be unique; a duplicated section id stays on its first heading only.
  private readonly usedIds = new Set<string>()

  blocks(parent: Node, separator: string): string {
    const parts: string[] = []
    parent.forEach((child) => parts.push(this.node(child)))
    return parts.join(separator)
  }

  inline(parent: Node): string {
    let out = ''
    const active: { mark: Mark; close: string }[] = []
    parent.forEach((child) => {
      const marks = child.marks.filter(rendersMark)
      let keep = 0
      while (keep < active.length && keep < marks.length && marks[keep]!.eq(active[keep]!.mark)) {
        keep++
      }
      while (active.length > keep) {
        out += active.pop()!.close
      }
      for (const mark of marks.slice(keep)) {
        const parts = markParts(mark)
        out += parts.open
        active.push({ mark, close: parts.close })
      }
      out += this.node(child)
    })
    while (active.length > 0) {
      out += active.pop()!.close
    }
    return out
  }

  node(node: Node): string {
    if (node.isText) {
      return escapeText(node.text ?? '')
    }
    const toDOM = node.type.spec.toDOM
    if (!toDOM) {
      // A node without a rendering (none in our schema) still shows its text.
      return node.isLeaf ? '' : node.isTextblock ? this.inline(node) : this.blocks(node, '')
    }
    let spec = toDOM(node)
    if (node.type.name === 'heading') {
      spec = this.withHeadingId(node, spec)
    }
    const parts = specParts(spec)
    if (!parts.hasHole) {
      return parts.open + parts.close
    }
    const content = node.isTextblock ? this.inline(node) : this.blocks(node, '')
    return parts.open + content + parts.close
  }

  /** Headings get an `id` (their section id), so `#sectionId` links to the section. */
  private withHeadingId(node: Node, spec: DOMOutputSpec): DOMOutputSpec {
    const id = node.attrs.sectionId
    if (typeof id !== 'string' || this.usedIds.has(id) || !Array.isArray(spec)) {
      return spec
    }
    this.usedIds.add(id)
    const [tag, attrs, ...rest] = spec as readonly unknown[]
    const hasAttrs = attrs !== null && typeof attrs === 'object' && !Array.isArray(attrs)
    return (hasAttrs
      ? [tag, { id, ...(attrs as object) }, ...rest]
      : [tag, { id }, attrs, ...rest]) as unknown as DOMOutputSpec
  }
}

/**
 * Renders a document's content as an HTML fragment, one top-level block per line. Every
 * heading with a section id carries it as `id` (first occurrence only) and as
 * `data-section-id`. The output contains no script, no event handler and no URL outside the
 * allowlist, whatever the document holds.
 */
export function renderHtml(doc: Node): string {
  return new HtmlRenderer().blocks(doc, '\n')
}

const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i

const STYLES = `
body { font: 1rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; margin: 0; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3 { line-height: 1.25; margin: 2rem 0 0.75rem; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 4px solid #ccc; color: #444; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
td > p:first-child, th > p:first-child, li > p:first-child { margin-top: 0; }
td > p:last-child, th > p:last-child, li > p:last-child { margin-bottom: 0; }
a { color: #0645ad; }
@media print { main { max-width: none; padding: 0; } a { color: inherit; } h1, h2, h3 { break-after: avoid; } tr { break-inside: avoid; } }
`

/**
 * Renders a document as a complete, inert HTML page: a `lang`, a title, a small inline
 * style sheet that also reads well in print, and the content of `renderHtml`. It loads
 * nothing and runs nothing, so it can be served or saved as it is.
 */
export function renderHtmlDocument(doc: Node, options: { title: string; lang: string }): string {
  const lang = LANGUAGE_TAG.test(options.lang) ? options.lang : 'en'
  return [
    '<!doctype html>',
    `<html lang="${escapeAttribute(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeText(options.title)}</title>`,
    `<style>${STYLES}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHtml(doc),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
