/**
 * The light format of comment text (shared/api/threads.ts, `Body`), parsed into a small tree
 * that `rich-text.tsx` turns into Preact elements. Nothing here produces HTML: every piece of
 * text stays text, and the only attribute that ever comes from a user is a link's `href`,
 * which must parse as an http:, https: or mailto: URL (OWASP XSS cheat sheet: never let a
 * user choose the scheme of a link).
 *
 * The format: blank lines separate paragraphs, single newlines are line breaks, `*emphasis*`,
 * `**strong**`, `[text](https://…)`, bare `https://…` links, and mentions `@[Name](user-id)`.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'em'; children: Inline[] }
  | { type: 'strong'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'mention'; name: string; userId: string }

export type Paragraph = Inline[]

const SAFE_PROTOCOLS = new Set(['https:', 'http:', 'mailto:'])

/**
 * The normalised URL when `raw` is a link people may follow (http, https, mailto), else null.
 * Control characters and spaces are refused outright, because browsers strip them before
 * reading the scheme (`java\tscript:`).
 */
export function safeHref(raw: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (!raw || /[\u0000-\u0020\u007f-\u009f<>"'`\\]/.test(raw)) {
    return null
  }
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return null
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) {
    return null
  }
  if (url.protocol !== 'mailto:' && !url.hostname) {
    return null
  }
  return url.href
}

const MENTION = /^@\[([^\]\n]{1,200})\]\(([0-9A-Za-z-]{1,64})\)/
const LINK = /^\[([^\]\n]{1,500})\]\(([^()\s]{1,2000})\)/
const BARE_URL = /^https?:\/\/[^\s<>"'`]+/
// The deepest nesting of emphasis inside strong (and so on) we follow; deeper stays literal.
const MAX_DEPTH = 4

/** Drops punctuation that ends a sentence rather than a bare URL ("see https://x.org."). */
function trimUrl(url: string): string {
  let end = url.length
  while (end > 0) {
    const ch = url[end - 1] as string
    if ('.,;:!?*'.includes(ch)) {
      end--
      continue
    }
    if (ch === ')') {
      const opens = url.slice(0, end).split('(').length - 1
      const closes = url.slice(0, end).split(')').length - 1
      if (closes > opens) {
        end--
        continue
      }
    }
    break
  }
  return url.slice(0, end)
}

function pushText(out: Inline[], text: string): void {
  if (!text) {
    return
  }
  const last = out[out.length - 1]
  if (last?.type === 'text') {
    last.text += text
  } else {
    out.push({ type: 'text', text })
  }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch)
}

/** Finds the closing delimiter of `*…*` or `**…**` starting the search at `from`, or -1. */
function findClose(text: string, delimiter: '*' | '**', from: number): number {
  let at = text.indexOf(delimiter, from)
  while (at !== -1) {
    const before = text[at - 1]
    const after = text[at + delimiter.length]
    const isDouble = delimiter === '*' && (after === '*' || before === '*')
    if (at > from && before !== undefined && !/\s/.test(before) && !isDouble) {
      return at
    }
    at = text.indexOf(delimiter, at + delimiter.length)
  }
  return -1
}

function parseInline(text: string, depth: number, inLink: boolean): Inline[] {
  const out: Inline[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i] as string
    const rest = text.slice(i)

    if (ch === '\n') {
      out.push({ type: 'break' })
      i++
      continue
    }

    if (ch === '@' && !inLink) {
      const m = MENTION.exec(rest)
      if (m) {
        out.push({ type: 'mention', name: (m[1] as string).trim(), userId: m[2] as string })
        i += m[0].length
        continue
      }
    }

    if (ch === '[' && !inLink) {
      const m = LINK.exec(rest)
      if (m) {
        const href = safeHref(m[2] as string)
        if (href) {
          out.push({ type: 'link', href, children: parseInline(m[1] as string, depth + 1, true) })
        } else {
          // A link we will not follow stays exactly as typed, so readers see what it was.
          pushText(out, m[0])
        }
        i += m[0].length
        continue
      }
    }

    if ((ch === 'h' || ch === 'H') && !inLink && !isWordChar(text[i - 1])) {
      const m = BARE_URL.exec(rest)
      if (m) {
        const url = trimUrl(m[0])
        const href = safeHref(url)
        if (href && url.length > 'https://'.length) {
          out.push({ type: 'link', href, children: [{ type: 'text', text: url }] })
          i += url.length
          continue
        }
      }
    }

    if (ch === '*' && depth < MAX_DEPTH) {
      const strong = rest.startsWith('**')
      const delimiter = strong ? '**' : '*'
      const start = i + delimiter.length
      const next = text[start]
      if (next !== undefined && !/\s/.test(next) && !(strong === false && next === '*')) {
        const close = findClose(text, delimiter, start)
        // Emphasis does not run across a line break: an unclosed star stays a star.
        if (close !== -1 && !text.slice(start, close).includes('\n')) {
          const children = parseInline(text.slice(start, close), depth + 1, inLink)
          out.push({ type: strong ? 'strong' : 'em', children })
          i = close + delimiter.length
          continue
        }
      }
      pushText(out, delimiter)
      i += delimiter.length
      continue
    }

    // Copy plain text up to the next character that might start something.
    let j = i + 1
    while (j < text.length && !'\n@[hH*'.includes(text[j] as string)) {
      j++
    }
    pushText(out, text.slice(i, j))
    i = j
  }
  return out
}

/** Parses comment text into paragraphs of inline pieces. Never throws; any input is text. */
export function parseBody(body: string): Paragraph[] {
  const text = body.replace(/\r\n?/g, '\n')
  return text
    .split(/\n[ \t]*\n+/)
    .map((block) => block.replace(/^\n+|\n+$/g, ''))
    .filter((block) => block.trim().length > 0)
    .map((block) => parseInline(block, 0, false))
}

/** The text of a body as a reader sees it, without formatting: for excerpts and labels. */
export function plainText(body: string): string {
  const walk = (nodes: Inline[]): string =>
    nodes
      .map((node) => {
        switch (node.type) {
          case 'text':
            return node.text
          case 'break':
            return ' '
          case 'mention':
            return `@${node.name}`
          case 'em':
          case 'strong':
          case 'link':
            return walk(node.children)
        }
      })
      .join('')
  return parseBody(body).map(walk).join(' ')
}

/**
 * Writes a mention in the body format. Brackets and line breaks in a name would end the
 * mention early, so they are left out.
 */
export function mentionText(name: string, userId: string): string {
  const clean = name.replace(/[[\]\n\r]/g, '').trim() || '?'
  return `@[${clean}](${userId})`
}
