import i18next from 'i18next'
import { describe, expect, it } from 'vitest'
import { DICTIONARIES } from '../../shared/i18n/dictionaries'
import { UI_LANGUAGES } from '../../shared/i18n/languages'
import { withManyForms } from '../../shared/i18n/plural-forms'
import { translator } from '../../server/consultation/public-i18n'

// Issue 15, item 8: "1 days", "1 submissions in 1 threads", "reason..", a garbled short-window
// warning. Every counted string goes through the plural rules of i18next (the app) and of the
// server's translator (public pages, mail, exports), and renders well at 0, 1 and 2.

type Tree = { [key: string]: string | Tree }
// Issue 16, item 6: every interface language, French and Portuguese included.
const LANGUAGES = DICTIONARIES as unknown as Record<(typeof UI_LANGUAGES)[number], Tree>
const PLURAL = /_(zero|one|two|few|many|other)$/

function flatten(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`),
  )
}

const placeholders = (template: string) => [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!)

/** The plural families of a language: base key → the variables its forms use. */
function families(lang: keyof typeof LANGUAGES): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  for (const [key, template] of flatten(LANGUAGES[lang])) {
    if (PLURAL.test(key)) {
      const base = key.replace(PLURAL, '')
      const vars = out.get(base) ?? new Set<string>()
      placeholders(template).forEach((v) => vars.add(v))
      out.set(base, vars)
    }
  }
  return out
}

const app = i18next.createInstance()
await app.init({
  lng: 'en',
  fallbackLng: false,
  // As the client loads them: `_many` (round millions in fr, pt, es) answers with `_other`.
  resources: Object.fromEntries(UI_LANGUAGES.map((code) => [code, { translation: withManyForms(DICTIONARIES[code]) }])),
  interpolation: { escapeValue: false },
  initAsync: false,
})

/** Fills every variable: the numbers with the count, everything else with a word. */
function values(vars: Set<string>, count: number): Record<string, string | number> {
  const out: Record<string, string | number> = { count }
  for (const name of vars) {
    if (name !== 'count') {
      out[name] = ['formatted', 'words', 'pages', 'days', 'unanswered', 'total'].includes(name) ? String(count) : 'Ana'
    }
  }
  return out
}

/** "1 days", "1 comentarios": a one followed by a word in its plural form. */
const ONE_WITH_PLURAL: Record<keyof typeof LANGUAGES, RegExp> = {
  en: /(?<![\d.,])1 (?!(?:is|was|has|does)\b)[a-z]+s\b/,
  es: /(?<![\d.,])1 (?!(?:más|mis|sus|dos|tres|seis)\b)[a-záéíóúñ]+s\b/,
  fr: /(?<![\d.,])1 (?!(?:fois|plus|sous|sans|dans|mois)(?!\p{L}))\p{L}+s(?!\p{L})/u,
  pt: /(?<![\d.,])1 (?!(?:mais|dos|das)(?!\p{L}))\p{L}+s(?!\p{L})/u,
}

describe('counted strings', () => {
  it('come in the same plural families in every language, each with a singular and a general form', () => {
    const english = families('en')
    for (const lang of UI_LANGUAGES) {
      expect([...families(lang).keys()].sort(), lang).toEqual([...english.keys()].sort())
    }
    for (const [lang, tree] of Object.entries(LANGUAGES)) {
      const keys = new Set(flatten(tree).map(([key]) => key))
      for (const base of english.keys()) {
        expect(keys.has(`${base}_one`) && keys.has(`${base}_other`), `${lang} ${base}`).toBe(true)
      }
    }
    expect(english.size).toBeGreaterThan(40)
  })

  for (const lang of UI_LANGUAGES) {
    it(`render at 0, 1 and 2 with the right form in ${lang}, in the app and on the server`, () => {
      const server = translator(lang)
      const problems: string[] = []
      for (const [base, vars] of families(lang)) {
        // 1,000,000 is "many" in French, Portuguese and Spanish: still their own words, not English.
        for (const count of [0, 1, 2, 1_000_000]) {
          for (const [where, text] of [
            ['app', app.t(base, { ...values(vars, count), lng: lang })],
            ['server', server(base, values(vars, count))],
          ] as const) {
            if (text.includes('{{') || text === base) {
              problems.push(`${where} ${base} at ${count}: ${text}`)
            }
            // The app agrees with the server, which falls back from "many" to the language's "other".
            // (the server groups the digits of a count, i18next does not: numbers are compared as #).
            const words = (rendered: string) => rendered.replace(/\d[\d.,\u00a0\u202f ]*\d|\d/g, '#')
            if (where === 'app' && words(text) !== words(server(base, values(vars, count)))) {
              problems.push(`app and server differ on ${base} at ${count}: ${text}`)
            }
            if (count === 1 && ONE_WITH_PLURAL[lang].test(text)) {
              problems.push(`${where} ${base} at 1: ${text}`)
            }
          }
        }
      }
      expect(problems).toEqual([])
    })
  }

  it('never count outside a plural family', () => {
    const problems: string[] = []
    for (const [lang, tree] of Object.entries(LANGUAGES)) {
      for (const [key, template] of flatten(tree)) {
        if (PLURAL.test(key)) {
          continue
        }
        const counted = placeholders(template).filter((v) => ['count', 'hours', 'days', 'max', 'minimum', 'recommended'].includes(v))
        // "{{group}} {{count}}" is a label and its number, with no noun to agree.
        if (counted.length > 0 && key !== 'comments.groupCount') {
          problems.push(`${lang} ${key}: ${template}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('never put a period after a reason someone typed, which may end with its own ("reason..")', () => {
    for (const [lang, tree] of Object.entries(LANGUAGES)) {
      for (const [key, template] of flatten(tree)) {
        expect(/\{\{\s*reason\s*\}\}\s*\./.test(template), `${lang} ${key}: ${template}`).toBe(false)
      }
    }
  })
})

describe('sentences made of counted parts', () => {
  it('the public report summary agrees with each number', () => {
    for (const [lang, expected] of [
      ['en', ['0 submissions in 0 threads; 0 threads answered.', '1 submission in 1 thread; 1 thread answered.', '2 submissions in 2 threads; 2 threads answered.']],
      ['es', ['0 envíos en 0 hilos; 0 hilos respondidos.', '1 envío en 1 hilo; 1 hilo respondido.', '2 envíos en 2 hilos; 2 hilos respondidos.']],
      // French and Brazilian Portuguese put 0 with the singular (CLDR "one" is 0 and 1).
      ['fr', ['0 contribution dans 0 fil\u00a0; 0 fil avec réponse.', '1 contribution dans 1 fil\u00a0; 1 fil avec réponse.', '2 contributions dans 2 fils\u00a0; 2 fils avec réponse.']],
      ['pt', ['0 contribuição em 0 discussão; 0 discussão respondida.', '1 contribuição em 1 discussão; 1 discussão respondida.', '2 contribuições em 2 discussões; 2 discussões respondidas.']],
    ] as const) {
      const t = translator(lang)
      const rendered = [0, 1, 2].map((count) =>
        t('publicConsultation.report.summary', {
          submissions: t('newcomer.report.submissions', { count }),
          threads: t('newcomer.report.threads', { count }),
          answered: t('newcomer.report.answered', { count }),
        }),
      )
      expect(rendered).toEqual(expected)
    }
  })

  it('the short-window warning reads as a sentence (as the opening form composes it)', () => {
    const t = (key: string, options: Record<string, unknown>) => app.t(key, { ...options, lng: 'en' })
    const days = (count: number) => t('consultations.adequacy.days', { count, days: String(count) })
    const text = t('consultations.adequacy.tooShortBody', {
      window: days(1),
      length: t('consultations.adequacy.pages', { count: 30, pages: '30' }),
      least: days(3),
      rule: t('newcomer.adequacyRule', { count: 10 }),
    })
    expect(text).toBe('1 day is short for about 30 pages. Give people at least 3 days: one day for every 10 pages.')
  })
})
