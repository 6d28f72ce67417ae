/** @jsxRuntime automatic */
/** @jsxImportSource preact */
import type { ComponentChildren, VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { RedlinePart } from '../../shared/api/comparison'
import type { Translate } from './i18n'

// The building blocks of the public pages (issue 14, item 8): typed Preact components rendered
// to a string on the server, with no script sent. Preact escapes every text node and attribute,
// so user text (titles, names, comments, reasons) is inert without a call to remember. The one
// exception is `TrustedHtml`, for markup render/html.ts produced from a stored document (it
// escapes every text itself).

/** The address of the style sheet, with a version so it can be cached for good. */
export interface PageAssets {
  stylesheet: string
}

/** A page as the browser receives it: the doctype and the rendered tree. */
export function renderDocument(page: VNode<any>): string {
  return `<!doctype html>\n${renderToString(page)}\n`
}

const LANGUAGE_TAG = /^[a-z]{2,3}$/

/** `path` with `?lang=` (or `&lang=`) added. */
export function withLang(path: string, lang: string): string {
  const [base, hash] = path.split('#', 2)
  const joined = `${base}${base!.includes('?') ? '&' : '?'}lang=${encodeURIComponent(lang)}`
  return hash === undefined ? joined : `${joined}#${hash}`
}

/** A language named in itself, so a reader finds theirs whatever the page is in. */
export function languageLabel(t: Translate, code: string): string {
  try {
    const native = new Intl.DisplayNames([code], { type: 'language' }).of(code)
    if (native && native !== code) {
      return native.charAt(0).toLocaleUpperCase(code) + native.slice(1)
    }
  } catch {
    // An engine without the names: the translated name below.
  }
  return t(`languages.${code}`)
}

/** A value in the page's language, else in the first language of the process that has one. */
export function localised(
  values: Record<string, string>,
  lang: string,
  languages: string[],
): string {
  if (values[lang]) {
    return values[lang]
  }
  for (const other of languages) {
    if (values[other]) {
      return values[other]
    }
  }
  return Object.values(values).find((v) => v !== '') ?? ''
}

/** Spelled out with the zone's short name ("December 31, 2026, 8:15 PM GMT-5"). */
export function formatDateTime(lang: string, at: Date | string, timeZone = 'UTC'): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(new Date(at))
  } catch {
    // A zone this engine does not know: UTC, named as such.
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(new Date(at))
  }
}

/** A day ("December 31, 2026"), in UTC unless a zone is given. */
export function formatDay(lang: string, at: Date | string, timeZone = 'UTC'): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone }).format(new Date(at))
  } catch {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(at),
    )
  }
}

/** A moment as a `<time>` element, written out in the page's language. */
export function Time(props: { at: Date | string; lang: string; timeZone?: string; day?: boolean }) {
  const iso = new Date(props.at).toISOString()
  return (
    <time dateTime={iso}>
      {props.day
        ? formatDay(props.lang, props.at, props.timeZone)
        : formatDateTime(props.lang, props.at, props.timeZone)}
    </time>
  )
}

/** Plain text as paragraphs: blank lines separate them, single line breaks stay. */
export function Paragraphs({ value }: { value: string }) {
  const paragraphs = value
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  return (
    <>
      {paragraphs.map((p) => (
        <p>
          {p.split('\n').map((line, i) => (
            <>
              {i > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </>
  )
}

/**
 * Markup that render/html.ts made from a stored document, which escapes every text itself.
 * Nothing typed by a person goes here directly.
 */
export function TrustedHtml({ html, className }: { html: string; className?: string }) {
  return <div class={className} dangerouslySetInnerHTML={{ __html: html }} />
}

const SAFE_HREF = /^(https:|mailto:)/i

/**
 * A word-level redline from the comparison (render/compare.ts): insertions in `<ins>`,
 * deletions in `<del>`, each run with its emphasis, bold and link; blocks are separated by line
 * breaks in the text, kept by the style sheet. Every run is text, so nothing in it is markup.
 */
export function Redline(props: { parts: RedlinePart[]; t: Translate; label: string }) {
  const { t } = props
  return (
    <div class="redline" role="group" aria-label={props.label}>
      {props.parts.map((part) => {
        let out: ComponentChildren = part.text
        if (part.strong) {
          out = <strong>{out}</strong>
        }
        if (part.em) {
          out = <em>{out}</em>
        }
        if (part.href !== undefined && SAFE_HREF.test(part.href)) {
          out = (
            <a href={part.href} rel="noopener noreferrer nofollow">
              {out}
            </a>
          )
        }
        if (part.op === 'insert') {
          return <ins title={t('versions.compare.inserted')}>{out}</ins>
        }
        if (part.op === 'delete') {
          return <del title={t('versions.compare.deleted')}>{out}</del>
        }
        return out
      })}
    </div>
  )
}

/** A link in the header's language switch. */
export interface LanguageChoice {
  code: string
  href: string
}

export interface LayoutProps {
  lang: string
  t: Translate
  title: string
  assets: PageAssets
  /** The name at the top, linking to the home of what this page belongs to. */
  site: { name: string; href?: string }
  /** The languages the reader may switch to (shown when there are two or more). */
  languages?: LanguageChoice[]
  footer: string
  children?: ComponentChildren
  /**
   * The body as markup already escaped, for the consultation pages still written as strings
   * (server/consultation/pages.ts) while they move over to components.
   */
  bodyHtml?: string
}

/** The page frame: skip link, header with the language switch, main landmark, footer. */
export function Layout(props: LayoutProps) {
  const { t } = props
  const lang = LANGUAGE_TAG.test(props.lang) ? props.lang : 'en'
  const languages = props.languages ?? []
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{props.title}</title>
        <link rel="stylesheet" href={props.assets.stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('publicConsultation.skipToContent')}
        </a>
        <header class="site-header">
          <p class="site-name">
            {props.site.href ? <a href={props.site.href}>{props.site.name}</a> : props.site.name}
          </p>
          {languages.length > 1 ? (
            <nav class="languages" aria-label={t('publicConsultation.languageSwitch')}>
              <ul>
                {languages.map((choice) => (
                  <li>
                    <a
                      href={choice.href}
                      lang={choice.code}
                      hreflang={choice.code}
                      aria-current={choice.code === props.lang ? 'page' : undefined}
                    >
                      {languageLabel(t, choice.code)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
        </header>
        {props.bodyHtml !== undefined ? (
          <main id="main" tabIndex={-1} dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
        ) : (
          <main id="main" tabIndex={-1}>
            {props.children}
          </main>
        )}
        <footer class="site-footer">
          <p>{props.footer}</p>
        </footer>
      </body>
    </html>
  )
}

/** The one 404 of the public side: unknown addresses, drafts and unpublished records alike. */
export function NotFoundPage(props: { t: Translate; lang: string; assets: PageAssets }) {
  const { t } = props
  return (
    <html lang={LANGUAGE_TAG.test(props.lang) ? props.lang : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('publicConsultation.notFound.title')}</title>
        <link rel="stylesheet" href={props.assets.stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t('publicConsultation.skipToContent')}
        </a>
        <header class="site-header">
          <p class="site-name">Concord</p>
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{t('publicConsultation.notFound.title')}</h1>
          <p>{t('publicConsultation.notFound.body')}</p>
        </main>
      </body>
    </html>
  )
}
