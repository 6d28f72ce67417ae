import type { MarkSpec } from 'prosemirror-model'

/** The longest link target a document may hold. */
export const LINK_HREF_MAX = 2048
/** The longest link title a document may hold. */
export const LINK_TITLE_MAX = 500

// https with a host and no user-info part ("https://gov.example@evil.example" is a classic
// disguise), or mailto. No whitespace or control characters anywhere: browsers strip them,
// which is how "java\tscript:" slips past naive checks.
const HTTPS_HREF = /^https:\/\/[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*(?::\d{1,5})?(?:[/?#]\S*)?$/iu
const MAILTO_HREF = /^mailto:\S+$/i
// eslint-disable-next-line no-control-regex -- control characters are exactly what this must find
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029]/

/**
 * Tells whether a link target may appear in a document: only `https:` URLs with a host and
 * `mailto:` addresses, at most LINK_HREF_MAX characters, without whitespace or control
 * characters. STYLE 2.10: every boundary (schema validation, paste, import, HTML rendering)
 * checks links against this one allowlist.
 */
export function isAllowedHref(href: string): boolean {
  if (href.length === 0 || href.length > LINK_HREF_MAX || CONTROL_OR_SPACE.test(href)) {
    return false
  }
  return HTTPS_HREF.test(href) || MAILTO_HREF.test(href)
}

function validateHref(value: unknown): void {
  // The empty default stands for "no target yet"; it renders as plain text.
  if (value === '') {
    return
  }
  if (typeof value !== 'string' || !isAllowedHref(value)) {
    throw new RangeError('A link must point to an https: URL or a mailto: address')
  }
}

function validateTitle(value: unknown): void {
  if (value !== null && (typeof value !== 'string' || value.length > LINK_TITLE_MAX)) {
    throw new RangeError(
      `A link title must be null or a string of at most ${LINK_TITLE_MAX} characters`,
    )
  }
}

/** Reads a `style` attribute's declarations without a DOM (shared/ has none). */
function styleOf(dom: { getAttribute(name: string): string | null }): string {
  return (dom.getAttribute('style') ?? '').toLowerCase()
}

/**
 * The mark specs of the document schema. Their order is their nesting order when rendered:
 * a link wraps emphasis, which wraps strong text.
 */
export const marks = {
  /** A hyperlink; its target is always an allowed href (see isAllowedHref). */
  link: {
    attrs: {
      href: { default: '', validate: validateHref },
      title: { default: null, validate: validateTitle },
    },
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        // A link to anything else is kept as its text: the mark is simply not applied.
        getAttrs: (dom: { getAttribute(name: string): string | null }) => {
          const href = dom.getAttribute('href') ?? ''
          if (!isAllowedHref(href)) {
            return false
          }
          const title = dom.getAttribute('title')
          return {
            href,
            title: title === null || title === '' ? null : title.slice(0, LINK_TITLE_MAX),
          }
        },
      },
    ],
    toDOM: (mark) => {
      const href = String(mark.attrs.href)
      return [
        'a',
        {
          // Defence in depth: the schema already refuses other targets.
          href: isAllowedHref(href) ? href : null,
          title: mark.attrs.title,
          rel: 'noopener noreferrer nofollow',
        },
        0,
      ]
    },
  },
  /** Italic text. */
  em: {
    parseDOM: [
      { tag: 'i' },
      { tag: 'em' },
      { style: 'font-style=italic' },
      { style: 'font-style=normal', clearMark: (mark) => mark.type.name === 'em' },
    ],
    toDOM: () => ['em', 0],
  },
  /** Bold text. */
  strong: {
    parseDOM: [
      { tag: 'strong' },
      // Google Docs wraps whole pastes in <b style="font-weight: normal">, which is not bold.
      {
        tag: 'b',
        getAttrs: (dom: { getAttribute(name: string): string | null }) =>
          /font-weight\s*:\s*(normal|[1-4]00)\b/.test(styleOf(dom)) ? false : null,
      },
      { style: 'font-weight=400', clearMark: (mark) => mark.type.name === 'strong' },
      {
        style: 'font-weight',
        getAttrs: (value: string) => /^(bold(er)?|[5-9]\d{2,})$/.test(value) && null,
      },
    ],
    toDOM: () => ['strong', 0],
  },
} satisfies Record<string, MarkSpec>
