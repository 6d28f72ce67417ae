import type { AuditEntry } from '../../../shared/api/processes'

// The activity log reads as sentences (issue 15, item 6): every audited action has a sentence
// under `activity.sentence.<action>` in each language, with the actor, what the action was about
// as a link (a thread, a version, a consultation, a document) and the details in words. No event
// key and no id is shown. This module is pure (no DOM, no i18n set-up), so a unit test renders
// every action in every language with the real catalogues.

/** A piece of a sentence: plain text, or a link with its text. */
export type SentencePart = string | { href: string; text: string }

/** What the sentence needs from the interface: translation and the process's names. */
export interface SentenceContext {
  t: (key: string, options?: Record<string, unknown>) => string
  /** Whether a key holds a message (not a branch), as i18next's `exists` with a string check. */
  has: (key: string) => boolean
  processId: string
  /** The label of a stakeholder group key in the process. */
  group: (key: string) => string
  /** The language of the interface, for a consultation's title and dates. */
  language: string
  formatDateTime: (iso: string) => string
}

/** The key of an action's sentence. */
export function sentenceKey(action: string): string {
  return `activity.sentence.${action}`
}

// Marks a link's place in the translated text; no catalogue string holds this character.
const MARK = '\u0001'

/** Field names the server lists in `process.updated` and `consultation.updated` details. */
const FIELD_KEYS: Record<string, string> = {
  title: 'fields.processTitle',
  description: 'fields.description',
  languages: 'fields.languages',
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : ''
}

function fieldList(ctx: SentenceContext, raw: unknown, area: 'process' | 'consultation'): string {
  if (!Array.isArray(raw) || raw.length === 0) {
    return ctx.t('activity.someDetails')
  }
  return raw
    .map((field) => {
      const name = text(field)
      const own = `activity.fields.${area}.${name}`
      if (ctx.has(own)) {
        return ctx.t(own)
      }
      const shared = FIELD_KEYS[name]
      return shared ? ctx.t(shared).toLowerCase() : ctx.t('activity.someDetails')
    })
    .filter((name, i, all) => all.indexOf(name) === i)
    .join(', ')
}

function role(ctx: SentenceContext, value: unknown): string {
  const key = `roles.${text(value)}`
  return ctx.has(key) ? ctx.t(key) : ctx.t('activity.someRole')
}

function change(
  ctx: SentenceContext,
  raw: unknown,
  format: (value: unknown) => string,
): { from: string; to: string } | null {
  if (raw === null || typeof raw !== 'object' || !('to' in raw)) {
    return null
  }
  const { from, to } = raw as { from?: unknown; to?: unknown }
  const word = (value: unknown) =>
    value === null || value === undefined || value === ''
      ? ctx.t('activity.nothing')
      : format(value)
  return { from: word(from), to: word(to) }
}

function localTitle(titles: Record<string, string>, language: string): string {
  return titles[language] ?? Object.values(titles)[0] ?? ''
}

/**
 * The entry as a sentence in parts. Links point to the thread (opened in its document), the
 * version's frozen text, the consultation's page in the workspace and the document; something
 * deleted since is named without a link. An action with no sentence yet (added by a newer
 * server) reads as a plain "made a change", never as its key.
 */
export function activitySentence(entry: AuditEntry, ctx: SentenceContext): SentencePart[] {
  const d = entry.details
  const s = entry.subjects
  const links: SentencePart[] = []
  const link = (href: string | null, label: string): string => {
    links.push(href === null ? label : { href, text: label })
    return `${MARK}${links.length - 1}${MARK}`
  }

  const vars: Record<string, unknown> = {
    actor: entry.actorName || ctx.t('activity.system'),
    email: text(d.email) || ctx.t('activity.someone'),
    title: text(d.title) || text(d.label),
    label: text(d.label),
    reason: text(d.reason),
    role: role(ctx, d.role),
    group: text(d.stakeholderGroup)
      ? ctx.group(text(d.stakeholderGroup))
      : entry.targetType === 'group' && entry.targetId
        ? ctx.group(entry.targetId)
        : '',
  }

  const thread = s.thread
  vars.thread = thread
    ? link(
        `/documents/${encodeURIComponent(thread.documentId)}?thread=${encodeURIComponent(thread.id)}`,
        ctx.t('activity.threadLink', { number: thread.number, section: thread.sectionTitle }),
      )
    : link(
        null,
        typeof d.number === 'number'
          ? ctx.t('activity.threadNumber', { number: d.number })
          : ctx.t('activity.aThread'),
      )
  const document = s.document
  const documentTitle = document?.title ?? (typeof d.title === 'object' ? '' : text(d.title)) ?? ''
  vars.document = document
    ? link(
        document.deleted ? null : `/documents/${encodeURIComponent(document.id)}`,
        ctx.t('activity.quoted', { text: document.title }),
      )
    : link(
        null,
        documentTitle
          ? ctx.t('activity.quoted', { text: documentTitle })
          : ctx.t('activity.aDocument'),
      )
  vars.version = s.version
    ? link(
        `/api/versions/${encodeURIComponent(s.version.id)}/export?format=html`,
        ctx.t('activity.versionLink', { number: s.version.number, name: s.version.name }),
      )
    : link(
        null,
        text(d.name)
          ? ctx.t('activity.versionLink', { number: text(d.number), name: text(d.name) })
          : ctx.t('activity.aVersion'),
      )
  vars.consultation = s.consultation
    ? link(
        `/processes/${encodeURIComponent(ctx.processId)}/consultations/${encodeURIComponent(s.consultation.id)}`,
        ctx.t('activity.quoted', { text: localTitle(s.consultation.title, ctx.language) }),
      )
    : link(null, ctx.t('activity.aConsultation'))

  const key = sentenceKey(entry.action)
  let variant = key
  switch (entry.action) {
    case 'process.updated':
      vars.fields = fieldList(ctx, d.fields, 'process')
      break
    case 'consultation.updated':
      vars.fields = fieldList(ctx, d.fields, 'consultation')
      break
    case 'consultation.opened':
      variant = d.published === true ? `${key}_published` : `${key}_draft`
      break
    case 'consultation.extended':
      vars.closesAt = text(d.closesAt) ? ctx.formatDateTime(text(d.closesAt)) : ''
      break
    case 'thread.answered': {
      const disposition = `consultations.dispositions.${text(d.disposition)}`
      vars.disposition = ctx.has(disposition) ? ctx.t(disposition) : ctx.t('activity.answer')
      variant = s.version ? `${key}_inVersion` : key
      break
    }
    case 'document.renamed': {
      const renamed = change(ctx, d.title, text)
      vars.from = renamed?.from ?? ''
      vars.to = renamed?.to ?? ''
      break
    }
    case 'member.role_changed': {
      const roles = change(ctx, d.role, (value) => role(ctx, value))
      vars.from = roles?.from ?? ''
      vars.to = roles?.to ?? ''
      break
    }
    case 'process.stage_changed': {
      const stage = (value: unknown) =>
        ctx.has(`stages.${text(value)}`) ? ctx.t(`stages.${text(value)}`) : text(value)
      vars.from = stage(d.from)
      vars.to = stage(d.to)
      variant = d.isBack === true && text(d.reason) ? `${key}_back` : key
      break
    }
    case 'strategy.adopted':
    case 'strategy.withdrawn':
    case 'strategy.review_opened':
      vars.instrument = text(d.instrument) || ctx.t('activity.someDetails')
      vars.adoptedOn = text(d.adoptedOn)
      variant = entry.action === 'strategy.adopted' && d.supersedes ? `${key}_supersedes` : key
      break
    case 'commitment.created':
    case 'commitment.updated':
    case 'commitment.indicator_added':
    case 'commitment.measured':
    case 'commitment.progress': {
      vars.number = text(d.number)
      vars.indicator = text(d.name)
      vars.value = text(d.value)
      vars.measuredOn = text(d.measuredOn)
      const status = (value: unknown) =>
        ctx.has(`strategy.statuses.${text(value)}`)
          ? ctx.t(`strategy.statuses.${text(value)}`)
          : text(value)
      if (entry.action === 'commitment.updated' && text(d.to)) {
        vars.to = status(d.to)
        variant = d.to === 'dropped' && text(d.reason) ? `${key}_dropped` : `${key}_status`
      }
      break
    }
    case 'member.updated': {
      const changed = [
        d.stakeholderGroup ? ctx.t('activity.memberFields.stakeholderGroup') : null,
        d.organisation ? ctx.t('activity.memberFields.organisation') : null,
      ].filter((x): x is string => x !== null)
      vars.fields = changed.length > 0 ? changed.join(', ') : ctx.t('activity.someDetails')
      break
    }
    default:
      break
  }
  if (!ctx.has(variant)) {
    variant = ctx.has(key) ? key : 'activity.unknown'
  }
  const sentence = ctx.t(variant, vars)
  const parts: SentencePart[] = []
  sentence.split(MARK).forEach((piece, i) => {
    if (i % 2 === 0) {
      if (piece) {
        parts.push(piece)
      }
    } else {
      const found = links[Number(piece)]
      if (found !== undefined) {
        parts.push(found)
      }
    }
  })
  return parts
}

/** The sentence as plain text (for tests and screen-reader summaries). */
export function sentenceText(parts: SentencePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p.text)).join('')
}
