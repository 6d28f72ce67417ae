import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, mkdirSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DICTIONARIES } from '../../shared/i18n/dictionaries'
import { INTL_LOCALES, UI_LANGUAGES, uiLanguageOf } from '../../shared/i18n/languages'
import { UiLanguageSchema } from '../../shared/api/auth'
import { Value } from 'typebox/value'
import { invitationMail, mailLanguages, notificationMail, passwordResetMail } from '../../server/mail/templates'
import { translator } from '../../server/consultation/public-i18n'

// Issue 16, item 6: the interface in English, Spanish, French and Portuguese. Every language
// has exactly English's keys with the same placeholders, so a key added in one branch and not
// translated fails here (scripts/i18n-missing.mjs lists them).

type Tree = { [key: string]: string | Tree }
const PLURAL = /_(zero|one|two|few|many|other)$/

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') {
      out.set(`${prefix}${key}`, value)
    } else {
      flatten(value, `${prefix}${key}.`).forEach((v, k) => out.set(k, v))
    }
  }
  return out
}

const dictionary = (lang: (typeof UI_LANGUAGES)[number]) => flatten(DICTIONARIES[lang] as unknown as Tree)
const placeholders = (template: string) =>
  [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort()
/** A key's placeholders; a plural form answers for its whole family ("Flagged once" has no count). */
function placeholdersOf(messages: Map<string, string>, key: string): string[] {
  if (!PLURAL.test(key)) {
    return placeholders(messages.get(key)!)
  }
  const base = key.replace(PLURAL, '')
  const all = new Set<string>()
  for (const [other, text] of messages) {
    if (other.replace(PLURAL, '') === base && PLURAL.test(other)) {
      placeholders(text).forEach((p) => all.add(p))
    }
  }
  return [...all].sort()
}

/**
 * The texts that are the same word in English and in the language (cognates, names and
 * formats). Anything else identical to English is an untranslated string.
 */
const SAME_AS_ENGLISH: Record<'fr' | 'pt', string[]> = {
  fr: ['Concord', 'Actions', 'Organisation', 'Description', 'Documents', 'Consultations', 'Invitations', '{{count}} document', '{{count}} documents', 'Question', 'Document', 'Section', '{{name}}, {{at}}', 'Action', 'E-mail', '{{count}} section', '{{count}} sections', '{{group}} {{count}}', 'Total', 'Version', 'v{{number}} · {{name}}', '{{opens}} – {{closes}} ({{zone}})', 'v{{number}} · {{name}} ({{date}})', 'Introduction', 'Introduction ({{language}})', 'Consultation', 'version {{number}} ({{name}})', 'Versions', 'Version {{number}}', 'Word', 'HTML', 'Markdown', 'JSON', 'Code', '{{count}} minute', '{{count}} minutes', 'Options', 'Format', 'Minutes', 'Participation', 'Organisations'],
  pt: ['Concord', 'Token', '{{name}}, {{at}}', 'Academia', 'E-mail', 'Link', '{{group}} {{count}}', 'Total', 'v{{number}} · {{name}}', '{{opens}} – {{closes}} ({{zone}})', 'v{{number}} · {{name}} ({{date}})', '“{{text}}”', 'Word', 'HTML', 'Markdown', 'JSON'],
}

describe('interface dictionaries', () => {
  const english = dictionary('en')

  it('cover English, Spanish, French and Portuguese, from one list', () => {
    expect([...UI_LANGUAGES]).toEqual(['en', 'es', 'fr', 'pt'])
    expect(Object.keys(DICTIONARIES).sort()).toEqual([...UI_LANGUAGES].sort())
    expect(english.size).toBeGreaterThan(1000)
  })

  for (const lang of UI_LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang} has every key of English, no other, with the same placeholders and no empty text`, () => {
      const messages = dictionary(lang)
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories as string[]
      const missing = [...english.keys()].filter((key) => !messages.has(key))
      // A plural form of the language's own rules ("_many" in Spanish) is not an extra key.
      const extra = [...messages.keys()].filter((key) => {
        if (english.has(key)) {
          return false
        }
        const form = PLURAL.exec(key)?.[1]
        return !(form && categories.includes(form) && english.has(key.replace(PLURAL, '_other')))
      })
      const differing = [...english.keys()]
        .filter((key) => messages.has(key))
        .filter((key) => placeholdersOf(english, key).join() !== placeholdersOf(messages, key).join())
      const empty = [...messages].filter(([, text]) => text.trim() === '').map(([key]) => key)
      expect({ missing, extra, differing, empty }).toEqual({ missing: [], extra: [], differing: [], empty: [] })
    })
  }

  for (const lang of ['fr', 'pt'] as const) {
    it(`${lang} leaves no English text except the cognates listed here`, () => {
      const messages = dictionary(lang)
      const same = [...english].filter(([key, text]) => messages.get(key) === text && !SAME_AS_ENGLISH[lang].includes(text))
      expect(same).toEqual([])
    })
  }

  it('French follows French typography: a no-break space before : ; ? ! and inside « »', () => {
    const loose = [...dictionary('fr')].filter(([, text]) => / [:;?!»]|« /.test(text)).map(([key]) => key)
    expect(loose).toEqual([])
  })

  it('Portuguese is Brazilian throughout (no European spellings or words)', () => {
    const european = /\b(ficheiro|utilizador|ecrã|registo|secção|contacto|equipa|telemóvel|facto)\b/i
    const found = [...dictionary('pt')].filter(([, text]) => european.test(text)).map(([key]) => key)
    expect(found).toEqual([])
    expect(INTL_LOCALES.pt).toBe('pt-BR')
  })
})

describe('the list of interface languages', () => {
  it('is what the account setting accepts, and any other language reads English', () => {
    for (const lang of UI_LANGUAGES) {
      expect(Value.Check(UiLanguageSchema, lang)).toBe(true)
    }
    expect(Value.Check(UiLanguageSchema, 'de')).toBe(false)
    expect(uiLanguageOf('pt-BR')).toBe('pt')
    expect(uiLanguageOf('fr')).toBe('fr')
    expect(uiLanguageOf('de')).toBe('en')
    expect(uiLanguageOf(null)).toBe('en')
  })

  it('gives dates and numbers in each language through Intl', () => {
    const at = new Date('2026-03-12T14:05:00Z')
    const date = (lang: (typeof UI_LANGUAGES)[number]) =>
      new Intl.DateTimeFormat(INTL_LOCALES[lang], { dateStyle: 'long', timeZone: 'UTC' }).format(at)
    expect(date('fr')).toBe('12 mars 2026')
    expect(date('pt')).toBe('12 de março de 2026')
    expect(new Intl.NumberFormat(INTL_LOCALES.fr).format(1234.5)).toBe('1\u202f234,5')
    expect(new Intl.NumberFormat(INTL_LOCALES.pt).format(1234.5)).toBe('1.234,5')
  })

  it('public pages translate in French and Portuguese, and a language without a dictionary in English', () => {
    expect(translator('fr')('publicConsultation.report.heading')).toBe('Ce que nous avons entendu')
    expect(translator('pt')('publicConsultation.report.heading')).toBe('O que ouvimos')
    expect(translator('de')('publicConsultation.report.heading')).toBe('What we heard')
  })
})

describe('e-mails', () => {
  it('are written in the recipient’s language, with its plural rules', () => {
    const fr = passwordResetMail('a@example.org', 'https://concord.test/r', 1, 'fr')
    expect(fr.subject).toBe('Concord\u00a0: réinitialiser votre mot de passe')
    expect(fr.text).toContain('dans un délai de 1 heure')
    expect(fr.text).not.toMatch(/password|contraseña/)
    const pt = notificationMail('a@example.org', 'https://concord.test/t', {
      kind: 'reply',
      actorName: 'Ana',
      processTitle: 'Estratégia',
      threadNumber: 4,
      sectionTitle: 'Governança',
    }, 'pt')
    expect(pt.subject).toBe('Concord: Ana respondeu')
    expect(pt.text).toBe('Ana respondeu à sua discussão em “Estratégia” (#4 · Governança).\nhttps://concord.test/t')
  })

  it('an invitation is in each of the process’s languages, main one first, once each', () => {
    const languages = mailLanguages(['pt', 'fr', 'pt-BR', 'de'])
    expect(languages).toEqual(['pt', 'fr', 'en'])
    const mail = invitationMail('b@example.org', 'https://concord.test/i', { processTitle: 'ENC', invitedBy: 'Ana', validDays: 14 }, languages)
    expect(mail.subject).toBe('Concord: convite para “ENC”')
    const blocks = mail.text.split('\n\n')
    expect(blocks).toHaveLength(3)
    expect(blocks[0]).toContain('dentro de 14 dias')
    expect(blocks[1]).toContain('dans un délai de 14 jours')
    expect(blocks[2]).toContain('within 14 days')
    expect(mailLanguages([])).toEqual(['en'])
  })
})

describe('scripts/i18n-missing.mjs', () => {
  it('lists a key English has and another language lacks, and exits with 1', () => {
    const root = mkdtempSync(join(tmpdir(), 'i18n-missing-'))
    mkdirSync(join(root, 'scripts'))
    mkdirSync(join(root, 'shared', 'i18n'), { recursive: true })
    cpSync(resolve(import.meta.dirname, '../../scripts/i18n-missing.mjs'), join(root, 'scripts', 'i18n-missing.mjs'))
    const write = (lang: string, tree: object) => writeFileSync(join(root, 'shared', 'i18n', `${lang}.json`), JSON.stringify(tree))
    write('en', { a: { title: 'Title', count_one: '{{count}} item', count_other: '{{count}} items' }, b: 'New' })
    write('fr', { a: { title: 'Titre', count_one: '{{count}} élément', count_other: '{{count}} éléments', count_many: '{{count}} d’éléments' } })
    let out = ''
    let status = 0
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'i18n-missing.mjs')], { encoding: 'utf8', stdio: 'pipe' })
    } catch (error) {
      const failure = error as { stdout: string; status: number }
      out = failure.stdout
      status = failure.status
    }
    expect(status).toBe(1)
    expect(out.trim().split('\n')).toEqual(['fr\tmissing\tb\tNew'])
  })

  it('finds no gap in the dictionaries as they are', () => {
    const out = execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/i18n-missing.mjs')], { encoding: 'utf8' })
    expect(out).toBe('')
  })
})
