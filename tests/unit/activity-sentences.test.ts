import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import i18next, { type i18n } from 'i18next'
import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../shared/api/processes'
import en from '../../shared/i18n/en.json'
import es from '../../shared/i18n/es.json'
import {
  activitySentence,
  sentenceKey,
  sentenceText,
  type SentenceContext,
} from '../../client/pages/process/activity-sentence'

// Issue 15, item 6: every activity-log entry reads as a sentence in the reader's language.
// The first test finds every action the server audits (each `recordAudit` call's `action`) and
// fails, naming the key to add, when one has no sentence in en or es: a branch that adds an
// audited action adds its sentence too.

const ROOT = join(__dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** The text of a call from its opening parenthesis to the matching closing one. */
function callText(source: string, open: number): string {
  let depth = 0
  for (let i = open; i < source.length; i += 1) {
    const c = source[i]
    if (c === '(') {
      depth += 1
    } else if (c === ')') {
      depth -= 1
      if (depth === 0) {
        return source.slice(open, i + 1)
      }
    }
  }
  return source.slice(open)
}

/** Every audited action with where it is recorded, from `recordAudit(…, { action: … })` calls. */
function auditedActions(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of sourceFiles(join(ROOT, 'server'))) {
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/recordAudit\s*\(/g)) {
      if (source.slice(Math.max(0, match.index - 9), match.index).includes('function')) {
        continue
      }
      const call = callText(source, match.index + match[0].length - 1)
      // `action: 'a.b'` or `action: cond ? 'a.b' : 'a.c'`, up to the end of the property.
      for (const property of call.matchAll(/\baction:\s*([^,\n}]+)/g)) {
        for (const literal of property[1]!.matchAll(/'([a-z_]+\.[a-z_-]+)'/g)) {
          const line = source.slice(0, match.index).split('\n').length
          found.set(literal[1]!, `${relative(ROOT, file)}:${line}`)
        }
      }
    }
  }
  return found
}

type Tree = { [key: string]: string | Tree }

function lookup(tree: Tree, path: string[]): unknown {
  let node: unknown = tree
  for (const part of path) {
    node = node !== null && typeof node === 'object' ? (node as Tree)[part] : undefined
  }
  return node
}

const CATALOGUES = { en: en as unknown as Tree, es: es as unknown as Tree }

function translator(lng: 'en' | 'es'): i18n {
  const instance = i18next.createInstance()
  void instance.init({
    lng,
    fallbackLng: false,
    resources: { en: { translation: en }, es: { translation: es } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  })
  return instance
}

function context(lng: 'en' | 'es'): SentenceContext {
  const i = translator(lng)
  return {
    t: (key, options) => i.t(key, options ?? {}),
    has: (key) => i.exists(key) && typeof i.t(key, { returnObjects: true }) === 'string',
    processId: 'process-1',
    group: (key) =>
      key === 'civil-society' ? (lng === 'en' ? 'Civil society' : 'Sociedad civil') : key,
    language: lng,
    formatDateTime: (iso) => new Date(iso).toISOString().slice(0, 16).replace('T', ' '),
  }
}

const THREAD = '11111111-1111-4111-8111-111111111111'
const DOCUMENT = '22222222-2222-4222-8222-222222222222'
const VERSION = '33333333-3333-4333-8333-333333333333'
const CONSULTATION = '44444444-4444-4444-8444-444444444444'
const USER = '55555555-5555-4555-8555-555555555555'

/** An entry as the server sends it, with details and subjects like the real ones. */
function entry(action: string, withSubjects = true): AuditEntry {
  const [area] = action.split('.')
  const targetType =
    area === 'member' || area === 'auth' || area === 'account' ? 'user' : (area ?? null)
  const targetId =
    targetType === 'thread'
      ? THREAD
      : targetType === 'document'
        ? DOCUMENT
        : targetType === 'version'
          ? VERSION
          : targetType === 'consultation'
            ? CONSULTATION
            : targetType === 'group'
              ? 'civil-society'
              : USER
  return {
    id: 1,
    action,
    actorName: 'Ana Pérez',
    targetType,
    targetId,
    details: {
      title: action === 'document.renamed' ? { from: 'Old title', to: 'New title' } : 'Strategy',
      email: 'bruno@example.org',
      role:
        action === 'member.role_changed' ? { from: 'stakeholder', to: 'drafter' } : 'stakeholder',
      stakeholderGroup: 'civil-society',
      organisation: action === 'member.updated' ? { from: '', to: 'Kárisma' } : 'Kárisma',
      label: 'Technical community',
      fields: action.startsWith('consultation') ? ['closesAt', 'visibility'] : ['title'],
      number: 12,
      documentId: DOCUMENT,
      versionId: VERSION,
      disposition: 'partially-accepted',
      reason: 'Enough comments came',
      closesAt: '2026-04-01T05:00:00.000Z',
      published: true,
      name: 'Draft for consultation',
    },
    subjects: withSubjects
      ? {
          thread: { id: THREAD, number: 12, documentId: DOCUMENT, sectionTitle: 'Governance' },
          document: { id: DOCUMENT, title: 'Strategy', deleted: action === 'document.deleted' },
          version: { id: VERSION, number: 2, name: 'Draft for consultation', documentId: DOCUMENT },
          consultation: {
            id: CONSULTATION,
            slug: 'demo',
            title: { en: 'Public consultation', es: 'Consulta pública' },
          },
        }
      : {},
    createdAt: '2026-03-01T12:00:00.000Z',
  }
}

const actions = auditedActions()

describe('every audited action has a sentence', () => {
  it('finds the audited actions in the server, ternaries included', () => {
    for (const known of [
      'process.archived',
      'process.unarchived',
      'thread.resolved',
      'thread.reopened',
      'thread.answered',
      'member.role_changed',
      'member.updated',
      'consultation.closed-early',
      'version.created',
      'document.write_refused',
    ]) {
      expect(actions.has(known), known).toBe(true)
    }
  })

  it('in English and Spanish (the message names the key to add)', () => {
    const missing: string[] = []
    for (const [action, where] of actions) {
      for (const lang of ['en', 'es'] as const) {
        const path = sentenceKey(action).split('.')
        if (typeof lookup(CATALOGUES[lang], path) !== 'string') {
          missing.push(
            `"${action}" (recorded at ${where}) has no sentence in ${lang}: add the key ${path
              .map((p) => `"${p}"`)
              .join(' → ')} to shared/i18n/${lang}.json, e.g. "{{actor}} … {{thread}}."`,
          )
        }
      }
    }
    expect(missing, missing.join('\n')).toEqual([])
  })
})

describe('each sentence', () => {
  for (const lang of ['en', 'es'] as const) {
    it(`reads as words with links in ${lang}: no key, no id, no placeholder, with or without subjects`, () => {
      const ctx = context(lang)
      for (const action of actions.keys()) {
        for (const withSubjects of [true, false]) {
          const parts = activitySentence(entry(action, withSubjects), ctx)
          const sentence = sentenceText(parts)
          const label = `${lang} ${action} (subjects: ${withSubjects}): ${sentence}`
          expect(sentence.startsWith('Ana Pérez '), label).toBe(true)
          expect(sentence, label).toMatch(/[.»”]$/)
          expect(sentence, label).not.toContain('{{')
          expect(sentence, label).not.toContain(action)
          expect(sentence, label).not.toContain('activity.')
          expect(sentence, label).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
          expect(sentence, label).not.toContain('\u0001')
          for (const part of parts) {
            if (typeof part !== 'string') {
              expect(part.href, label).toMatch(/^\/(documents|api\/versions|processes)\//)
            }
          }
        }
      }
    })
  }

  it('says which thread an answer is about, links it, and the version it was changed in', () => {
    const parts = activitySentence(entry('thread.answered'), context('en'))
    expect(sentenceText(parts)).toBe(
      'Ana Pérez answered thread #12 on “Governance”: Partially accepted, changed in version 2, “Draft for consultation”.',
    )
    expect(parts).toContainEqual({
      href: `/documents/${DOCUMENT}?thread=${THREAD}`,
      text: '#12 on “Governance”',
    })
    expect(parts).toContainEqual({
      href: `/api/versions/${VERSION}/export?format=html`,
      text: 'version 2, “Draft for consultation”',
    })
    expect(sentenceText(activitySentence(entry('thread.answered'), context('es')))).toBe(
      'Ana Pérez respondió el hilo n.º 12 sobre «Governance»: Aceptado en parte, con el cambio en la versión 2, «Draft for consultation».',
    )
  })

  it('links a consultation to its page in the workspace, with its title in the reader’s language', () => {
    const parts = activitySentence(entry('consultation.opened'), context('es'))
    expect(sentenceText(parts)).toBe(
      'Ana Pérez preparó y publicó la consulta «Consulta pública» sobre la versión 2, «Draft for consultation».',
    )
    expect(parts).toContainEqual({
      href: `/processes/process-1/consultations/${CONSULTATION}`,
      text: '«Consulta pública»',
    })
  })

  it('names a deleted document without a link, and translates roles and changed fields', () => {
    const deleted = activitySentence(entry('document.deleted'), context('en'))
    expect(deleted.every((part) => typeof part === 'string')).toBe(true)
    expect(sentenceText(deleted)).toBe('Ana Pérez deleted the document “Strategy”.')
    expect(sentenceText(activitySentence(entry('member.role_changed'), context('en')))).toBe(
      'Ana Pérez changed the role of bruno@example.org from Stakeholder to Drafter.',
    )
    expect(sentenceText(activitySentence(entry('consultation.updated'), context('en')))).toBe(
      'Ana Pérez changed these settings of the consultation “Public consultation”: closing time, when comments are shown.',
    )
  })

  it('reads an action it does not know as a change, never as its key', () => {
    const parts = activitySentence({ ...entry('workshop.started'), actorName: null }, context('en'))
    expect(sentenceText(parts)).toBe(
      'The system made a change that this version of Concord cannot describe yet.',
    )
  })
})
