import { isIPv6 } from 'node:net'
import { createHash } from 'node:crypto'
import { Node } from 'prosemirror-model'
import {
  CONSULTATION_LIMITS,
  INDIVIDUAL_GROUP,
  type ConsultationPhase,
  type SubmissionBody,
} from '../../shared/api/consultations'
import { can } from '../../shared/domain/permissions'
import { LIMITS } from '../../shared/limits'
import { findSections, schema } from '../../shared/schema'
import type { Actor } from '../auth/actor'
import { findMembership, type MembershipContext } from '../auth/guard'
import { hashSecret, newSecret } from '../auth/tokens'
import type { Ctx } from '../context'
import type { ConsultationChangeRow, Executor, SubmissionRow, ThreadRow, Trx } from '../db/database'
import { inTransaction } from '../db/transaction'
import { AppError } from '../errors'
import { insertThreadWithRoot } from '../comments/service'
import type { Mail } from '../mail/mailer'
import { phaseOfRow } from './present'
import * as publicQueries from './public-queries'
import type { PublicThreadRow } from './public-queries'
import { translator } from './public-i18n'
import * as queries from './queries'
import type { ConsultationWithVersion } from './queries'

/** A published consultation with what its public pages need: process, groups, changes. */
export interface PublicConsultation {
  consultation: ConsultationWithVersion
  process: { id: string; title: string; languages: string[] }
  groups: { key: string; label: string | null }[]
  changes: ConsultationChangeRow[]
  phase: ConsultationPhase
}

/**
 * A consultation the public may see: published, of a live document. A draft and an unknown
 * slug are both undefined, so a draft's existence never shows (issue 6: a draft is never
 * visible to the public).
 */
export async function findPublicConsultation(
  db: Executor,
  slug: string,
  now: Date = new Date(),
): Promise<PublicConsultation | undefined> {
  const consultation = await queries.findConsultationBySlug(db, slug)
  if (!consultation || consultation.published_at === null) {
    return undefined
  }
  const process = await publicQueries.findProcessOf(db, consultation.process_id)
  if (!process) {
    return undefined
  }
  const [groups, changes] = await Promise.all([
    publicQueries.listGroups(db, consultation.process_id),
    queries.listChanges(db, [consultation.id]),
  ])
  return {
    consultation,
    process: { id: process.id, title: process.title, languages: process.languages },
    groups,
    changes,
    // An archived process is read-only (and its secretariat can no longer close the window):
    // its consultations read as closed and take no more comments.
    phase: process.archived_at !== null ? 'closed' : phaseOfRow(consultation, now),
  }
}

/** The language to show a page in: the one asked for if the process has it, else its first. */
export function pageLanguage(pc: PublicConsultation, asked: unknown): string {
  if (typeof asked === 'string' && pc.process.languages.includes(asked)) {
    return asked
  }
  return pc.process.languages[0] ?? 'en'
}

/** The frozen version's content, checked against the schema (STYLE 2.10: stored JSON is checked at the boundary). */
export async function loadVersionDoc(db: Executor, versionId: string): Promise<Node> {
  const found = await publicQueries.findVersionContent(db, versionId)
  const doc = Node.fromJSON(schema, found?.content ?? { type: 'doc', content: [] })
  doc.check()
  return doc
}

/**
 * Whether the public sees the comments now: at once, once the window has closed, or never,
 * as the consultation says (issue 6, item 1).
 */
export function commentsVisible(pc: PublicConsultation): boolean {
  switch (pc.consultation.visibility) {
    case 'immediately':
      return true
    case 'after-close':
      // The window itself, not an archived process's early end: comments come out once it closes.
      return phaseOfRow(pc.consultation) === 'closed'
    default:
      return false
  }
}

/** What the public page lists: threads it may show, and the count of submissions per section. */
export async function loadPublicThreads(
  db: Executor,
  pc: PublicConsultation,
  sectionId?: string,
): Promise<{ threads: PublicThreadRow[]; counts: Map<string, number> }> {
  const [threads, counts] = await Promise.all([
    publicQueries.listPublicThreads(db, pc.consultation, {
      consultationThreads: commentsVisible(pc),
      memberThreads: pc.consultation.show_member_threads,
      sectionId,
    }),
    publicQueries.countAcceptedBySection(db, pc.consultation.id),
  ])
  for (const th of threads) {
    // A thread recorded in a workshop names its attendee in public only with their consent
    // (issue 13, items 5 and 7), as the public minutes do; who recorded it is never shown.
    if (th.workshop_id !== null && th.workshop_consent !== true) {
      th.author_name = ''
      th.author_organisation = ''
    }
  }
  if (threads.some((th) => th.consultation_id === null && th.quote !== null)) {
    // A member's thread quotes the live draft, which may hold text not yet published: its
    // quote is shown only when the frozen version has the same words in that section.
    const doc = await loadVersionDoc(db, pc.consultation.version_id)
    for (const th of threads) {
      if (
        th.consultation_id === null &&
        th.quote !== null &&
        !sectionText(doc, th.section_id).includes(collapse(th.quote))
      ) {
        th.quote = null
      }
    }
  }
  return { threads, counts }
}

// ---------------------------------------------------------------------------------------
// Submitting

/** A problem with one field of the form, with the key of its translated message. */
export interface FieldProblem {
  field: keyof SubmissionBody | 'csrf' | 'form'
  key: string
  message: string
}

function fieldError(problems: FieldProblem[]): AppError {
  return new AppError(
    400,
    'validation_failed',
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems.map((p) => ({
      path: p.field === 'form' ? 'body' : `body/${p.field}`,
      message: p.message,
      key: p.key,
    })),
  )
}

/** The field problems an error carries, for forms that show them beside their fields. */
export function problemsOf(error: AppError): FieldProblem[] {
  if (!Array.isArray(error.details)) {
    return []
  }
  return (error.details as { path?: unknown; message?: unknown; key?: unknown }[]).flatMap((d) => {
    if (typeof d.key !== 'string' || typeof d.path !== 'string') {
      return []
    }
    const field = d.path === 'body' ? 'form' : d.path.replace(/^body\//, '')
    return [{ field: field as FieldProblem['field'], key: d.key, message: String(d.message ?? '') }]
  })
}

// One plain address: no list separators, brackets or quotes, which a mailer would read as a
// second recipient or a display name (`a,victim@example.org`, `x<victim@example.org>`).
const EMAIL = /^[^\s@,;:<>()[\]"\\]+@[^\s@,;:<>()[\]"\\]+\.[^\s@,;:<>()[\]"\\]+$/
const CONSENT_VALUES = new Set(['on', 'yes', 'true', '1'])
const GROUP_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Checks a submitted form field by field, the way the route's schema does, so the no-JS form
 * can show each problem beside its field (the schema stops at the first one). Values that are
 * not text are problems of their field.
 */
export function checkFields(raw: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = []
  const text = (name: keyof SubmissionBody | 'csrf', max: number, required: boolean) => {
    const value = raw[name]
    if (value === undefined) {
      if (required) {
        problems.push({ field: name, key: 'required', message: 'is required' })
      }
      return
    }
    if (typeof value !== 'string') {
      problems.push({ field: name, key: 'invalid', message: 'must be text' })
    } else if (value.length > max) {
      problems.push({ field: name, key: 'tooLong', message: `must be at most ${max} characters` })
    }
  }
  text('sectionId', 64, true)
  text('name', LIMITS.nameMax, false)
  text('stakeholderGroup', 40, true)
  text('organisation', LIMITS.organisationMax, false)
  text('email', LIMITS.emailMax, false)
  text('consent', 10, false)
  text('body', LIMITS.commentBodyMax, true)
  text('quote', LIMITS.quoteMax, false)
  text('lang', 5, false)
  text('website', 500, false)
  text('csrf', 200, false)
  if (
    typeof raw.stakeholderGroup === 'string' &&
    !problems.some((p) => p.field === 'stakeholderGroup')
  ) {
    if (raw.stakeholderGroup === '') {
      problems.push({ field: 'stakeholderGroup', key: 'groupRequired', message: 'is required' })
    } else if (!GROUP_KEY.test(raw.stakeholderGroup)) {
      problems.push({
        field: 'stakeholderGroup',
        key: 'groupUnknown',
        message: 'is not a group of this process',
      })
    }
  }
  if (
    typeof raw.body === 'string' &&
    raw.body.trim() === '' &&
    !problems.some((p) => p.field === 'body')
  ) {
    problems.push({ field: 'body', key: 'bodyRequired', message: 'is required' })
  }
  return problems
}

/** One submission as stored: trimmed, with empty optional fields as null. */
export interface SubmissionInput {
  sectionId: string
  /** The name given, or null for anonymous. */
  name: string | null
  stakeholderGroup: string
  organisation: string
  /** Lowercased; null when none was given. */
  email: string | null
  consent: boolean
  body: string
  quote: string | null
  language: string
}

/** Who submitted, when it was a signed-in member (access 'members'). */
export interface MemberAuthor {
  userId: string
  name: string
  email: string
  role: string
  stakeholderGroup: string
  organisation: string
}

export interface RecordOptions {
  /** The keyed hash of the submitter's address (see `addressHashOf`), for rate limits. */
  addressHash: string
  /** 'accepted' (the default) makes or joins a thread now; 'unverified' waits for the link. */
  status?: 'accepted' | 'unverified'
  /** For 'unverified': the stored hash of the confirmation link's token, and its expiry. */
  verifyTokenHash?: string
  verifyExpiresAt?: Date
  /** A member submitting in a 'members' consultation: the author is them, not self-declared. */
  member?: MemberAuthor
  /** Check the per-address and per-e-mail limits (default true; the demo seed turns it off). */
  checkLimits?: boolean
  /** The moment of the submission (default now): the window is checked against it. */
  now?: Date
}

/** What recording a submission did. */
export interface RecordedSubmission {
  submission: SubmissionRow
  /** The thread it made or joined; null while it waits for its confirmation link. */
  thread: ThreadRow | null
  /** It joined the thread of an identical earlier submission (a campaign). */
  joined: boolean
  /** The thread's root is hidden (awaiting approval, or hidden by a moderator). */
  hidden: boolean
}

/** The keyed hash of an address: rate limits count it; the address itself is never stored. */
export function addressHashOf(secret: string, ip: string): string {
  return hashSecret(secret, `consultation-address:${rateLimitedNetwork(ip)}`)
}

/**
 * What the per-address limit counts: an IPv4 address as it is, an IPv6 one by its /64 network
 * (one subscriber usually holds a whole /64, so counting single IPv6 addresses would be no
 * limit at all); an IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function rateLimitedNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)
  if (mapped) {
    return mapped[1]!
  }
  if (!isIPv6(ip)) {
    return ip
  }
  const [head = '', tail = ''] = ip.toLowerCase().split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/**
 * The text a campaign is recognised by: the same words whatever their case, spacing and
 * Unicode form, hashed so the index stays small.
 */
export function textHashOf(body: string): string {
  const normalised = body.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()
  return createHash('sha256').update(normalised).digest('hex')
}

/**
 * The key a receipt's link carries: references are numbered in turn, so without it anyone could
 * read the next receipt and learn of comments not yet published (awaiting approval, or their
 * e-mail link). A keyed hash of the reference, so nothing more is stored.
 */
export function receiptKeyOf(secret: string, reference: string): string {
  return hashSecret(secret, `consultation-receipt:${reference}`).slice(0, 22)
}

/** The path of a submission's receipt, with its key and the page's language. */
export function receiptPathOf(
  secret: string,
  slug: string,
  reference: string,
  language?: string,
): string {
  const lang = language === undefined ? '' : `lang=${encodeURIComponent(language)}&`
  return `/c/${slug}/receipts/${encodeURIComponent(reference)}?${lang}key=${receiptKeyOf(secret, reference)}`
}

/** The receipt reference of a submission: the slug in capitals and the number, e.g. DEMO-0007. */
export function referenceOf(slug: string, number: number): string {
  // The slug is everything before the last dash and the number has no dash, so two
  // consultations can never hand out the same reference.
  return `${slug.toUpperCase()}-${String(number).padStart(4, '0')}`
}

function windowError(phase: 'scheduled' | 'closed'): AppError {
  return phase === 'scheduled'
    ? new AppError(403, 'consultation_not_open', 'The consultation is not open for comments yet')
    : new AppError(
        403,
        'consultation_closed',
        'The consultation is closed; comments are no longer accepted',
      )
}

function rateLimited(): AppError {
  return new AppError(429, 'rate_limited', 'Too many comments from here; try again later')
}

/**
 * Records one public submission inside `trx`, with its receipt reference: checks the window
 * as it stands under the consultation's row lock, the rate limits per address and per e-mail
 * (under advisory locks, so parallel requests cannot exceed them), then, unless it waits for
 * its confirmation link, makes it a thread of the process or adds it to the thread of an
 * identical earlier text on the same section (a campaign). With moderation 'before' a new
 * thread's root is hidden and pending until a moderator approves it.
 *
 * The input must already be valid for the consultation (see `submitComment`): the section is
 * one of the version's, the group one of the process's. The demo seed calls this directly.
 * The caller announces the thread (`announceSubmission`) once the transaction has committed.
 */
export async function recordSubmission(
  trx: Trx,
  consultation: ConsultationWithVersion,
  input: SubmissionInput,
  options: RecordOptions,
): Promise<RecordedSubmission> {
  const now = options.now ?? new Date()
  if (options.checkLimits !== false) {
    await publicQueries.lockSubmitter(trx, options.addressHash, input.email)
    const tenMinutes = await publicQueries.countByAddress(
      trx,
      options.addressHash,
      new Date(now.getTime() - 10 * 60_000),
    )
    const day =
      tenMinutes >= CONSULTATION_LIMITS.perAddressPer10Minutes
        ? tenMinutes
        : await publicQueries.countByAddress(
            trx,
            options.addressHash,
            new Date(now.getTime() - 86_400_000),
          )
    if (
      tenMinutes >= CONSULTATION_LIMITS.perAddressPer10Minutes ||
      day >= CONSULTATION_LIMITS.perAddressPerDay
    ) {
      throw rateLimited()
    }
    if (input.email !== null) {
      const byEmail = await publicQueries.countByEmail(
        trx,
        input.email,
        new Date(now.getTime() - 86_400_000),
      )
      if (byEmail >= CONSULTATION_LIMITS.perEmailPerDay) {
        throw rateLimited()
      }
    }
  }
  // The window as it stands now, read under the row lock that closing early and extending take.
  const current = await publicQueries.nextSubmissionNumber(trx, consultation.id)
  if (!current || current.published_at === null) {
    throw new AppError(404, 'not_found', 'Consultation not found')
  }
  const phase = phaseOfRow({ ...consultation, ...current }, now)
  if (phase === 'scheduled' || phase === 'closed') {
    throw windowError(phase)
  }
  const status = options.status ?? 'accepted'
  let accepted: { thread: ThreadRow; joined: boolean; hidden: boolean } | null = null
  if (status === 'accepted') {
    accepted = await acceptIntoThread(trx, consultation, input, options.member, now)
  }
  const submission = await publicQueries.insertSubmission(trx, {
    consultation_id: consultation.id,
    reference: referenceOf(consultation.slug, Number(current.submission_seq)),
    status,
    thread_id: accepted?.thread.id ?? null,
    section_id: input.sectionId,
    author_name: input.name,
    stakeholder_group: input.stakeholderGroup,
    organisation: input.organisation,
    email: input.email,
    email_verified_at: null,
    verify_token_hash: status === 'unverified' ? (options.verifyTokenHash ?? null) : null,
    verify_expires_at:
      status === 'unverified' ? (options.verifyExpiresAt?.toISOString() ?? null) : null,
    consent: input.consent,
    body: input.body,
    quote: input.quote,
    text_hash: textHashOf(input.body),
    address_hash: options.addressHash,
    language: input.language,
    created_at: now.toISOString(),
  })
  return {
    submission,
    thread: accepted?.thread ?? null,
    joined: accepted?.joined ?? false,
    hidden: accepted?.hidden ?? false,
  }
}

// Makes a submission a thread of the process, or counts it on the thread of the first identical
// text on the same section. Submissions of one consultation are stored in turn (the row lock
// of nextSubmissionNumber), so two identical texts cannot both start a thread.
async function acceptIntoThread(
  trx: Trx,
  consultation: ConsultationWithVersion,
  input: SubmissionInput,
  member: MemberAuthor | undefined,
  now: Date,
): Promise<{ thread: ThreadRow; joined: boolean; hidden: boolean }> {
  const campaign = await publicQueries.findCampaignThread(
    trx,
    consultation.id,
    input.sectionId,
    textHashOf(input.body),
  )
  if (campaign) {
    const thread = await publicQueries.incrementSubmissionCount(trx, campaign.id)
    const root = await publicQueries.findRoot(trx, thread.id)
    return { thread, joined: true, hidden: (root?.hidden_at ?? null) !== null }
  }
  const section = consultation.version_sections.find((s) => s.id === input.sectionId)
  // DESIGN (issue 6, item 6): with moderation before publication the root is hidden and
  // pending, so every members' view keeps it from all but moderators until it is approved.
  const pending = consultation.moderation === 'before'
  const thread = await insertThreadWithRoot(
    trx,
    {
      process_id: consultation.process_id,
      document_id: consultation.document_id,
      section_id: input.sectionId,
      section_title: section?.title ?? '',
      kind: 'comment',
      quote: input.quote,
      created_by: member?.userId ?? null,
      created_at: now.toISOString(),
      last_activity_at: now.toISOString(),
      consultation_id: consultation.id,
      submission_count: 1,
    },
    {
      author_id: member?.userId ?? null,
      author_name: member ? member.name : (input.name ?? ''),
      author_group: member ? member.stakeholderGroup : input.stakeholderGroup,
      author_organisation: member ? member.organisation : input.organisation,
      author_role: member ? member.role : null,
      body: input.body,
      created_at: now.toISOString(),
      self_declared: member === undefined,
      pending,
      hidden_at: pending ? now.toISOString() : null,
      hidden_reason: pending ? '' : null,
    },
  )
  return { thread, joined: false, hidden: pending }
}

/** Tells members' live views that a thread was made or grew (as comments/service.ts does). */
export function announceSubmission(
  ctx: Ctx,
  recorded: { thread: ThreadRow | null; hidden: boolean },
): void {
  if (!recorded.thread) {
    return
  }
  ctx.events.emit('thread.changed', {
    processId: recorded.thread.process_id,
    documentId: recorded.thread.document_id,
    threadId: recorded.thread.id,
    sectionId: recorded.thread.section_id,
    hidden: recorded.hidden,
  })
}

/** Who is submitting: where from, and the caller when the request carried a session or token. */
export interface Submitter {
  ip: string
  actor: Actor | undefined
}

/** What a submission came to, for the receipt. */
export interface SubmissionResult {
  reference: string
  status: 'accepted' | 'unverified'
  /** The thread is waiting for a moderator's approval before publication. */
  pending: boolean
  email: string | null
}

/**
 * Takes a comment from the public page (issue 6, item 4). Refuses, with nothing stored: a
 * filled honeypot (400); outside the window (403 consultation_not_open / consultation_closed);
 * access 'members' without a signed-in member who may comment (403); access 'verified' without
 * a name and an e-mail address; a section not in the version, a group that is not one of the
 * process's (or individual), no consent to publication, a quote not in the section (400);
 * too many submissions from the address or the e-mail address (429). With 'verified' the
 * submission waits for the link e-mailed to the address; otherwise it becomes a thread at once.
 * Every accepted submission gets a receipt reference, by e-mail too when an address was given.
 */
export async function submitComment(
  ctx: Ctx,
  pc: PublicConsultation,
  body: SubmissionBody,
  submitter: Submitter,
): Promise<SubmissionResult> {
  const { consultation } = pc
  // NUL cannot be stored in PostgreSQL text: refused as a problem of its field, not a 500.
  const withNul = (Object.keys(body) as (keyof SubmissionBody)[]).filter((key) => {
    const value: unknown = body[key]
    return typeof value === 'string' && value.includes('\u0000')
  })
  if (withNul.length > 0) {
    throw fieldError(
      withNul.map((field) => ({
        field,
        key: 'invalid',
        message: 'must not contain NUL characters',
      })),
    )
  }
  if (body.website !== undefined && body.website.trim() !== '') {
    // A person never sees the field; whatever filled it is a bot. Refused, nothing stored.
    throw fieldError([{ field: 'form', key: 'refused', message: 'The submission was refused' }])
  }
  if (pc.phase === 'scheduled' || pc.phase === 'closed') {
    throw windowError(pc.phase)
  }
  let member: MemberAuthor | undefined
  if (consultation.access === 'members') {
    member = await memberAuthor(ctx.db, consultation.process_id, submitter.actor)
  }
  const language = pageLanguage(pc, body.lang)
  const problems: FieldProblem[] = []
  const name = body.name?.trim() || null
  const email = body.email?.trim().toLowerCase() || null
  if (member === undefined) {
    if (consultation.access === 'verified' && name === null) {
      problems.push({
        field: 'name',
        key: 'nameRequired',
        message: 'is required for this consultation',
      })
    }
    if (consultation.access === 'verified' && email === null) {
      problems.push({
        field: 'email',
        key: 'emailRequired',
        message: 'is required for this consultation',
      })
    }
    if (email !== null && (!EMAIL.test(email) || email.length > LIMITS.emailMax)) {
      problems.push({ field: 'email', key: 'emailInvalid', message: 'is not an e-mail address' })
    }
    const known =
      body.stakeholderGroup === INDIVIDUAL_GROUP ||
      pc.groups.some((g) => g.key === body.stakeholderGroup)
    if (!known) {
      problems.push({
        field: 'stakeholderGroup',
        key: 'groupUnknown',
        message: 'is not a group of this process',
      })
    }
  }
  const section = consultation.version_sections.find(
    (s) => s.id !== null && s.id === body.sectionId,
  )
  if (!section) {
    problems.push({
      field: 'sectionId',
      key: 'sectionUnknown',
      message: 'is not a section of this version',
    })
  }
  if (!CONSENT_VALUES.has((body.consent ?? '').toLowerCase())) {
    problems.push({
      field: 'consent',
      key: 'consentRequired',
      message: 'is required: the comment is published',
    })
  }
  const text = body.body.trim()
  if (text === '') {
    problems.push({ field: 'body', key: 'bodyRequired', message: 'is required' })
  }
  const quote = body.quote?.trim() || null
  if (quote !== null && section) {
    const doc = await loadVersionDoc(ctx.db, consultation.version_id)
    if (!sectionText(doc, section.id!).includes(collapse(quote))) {
      problems.push({
        field: 'quote',
        key: 'quoteNotFound',
        message: 'is not in the text of this section',
      })
    }
  }
  if (problems.length > 0) {
    throw fieldError(problems)
  }
  const input: SubmissionInput = {
    sectionId: section!.id!,
    name: member ? member.name : name,
    stakeholderGroup: member ? member.stakeholderGroup : body.stakeholderGroup,
    organisation: member ? member.organisation : (body.organisation?.trim() ?? ''),
    email: member ? member.email.toLowerCase() : email,
    consent: true,
    body: text,
    quote,
    language,
  }
  const verify = consultation.access === 'verified' && member === undefined
  const token = verify ? newSecret() : undefined
  const recorded = await inTransaction(ctx.db, (trx) =>
    recordSubmission(trx, consultation, input, {
      addressHash: addressHashOf(ctx.config.sessionSecret, submitter.ip),
      status: verify ? 'unverified' : 'accepted',
      verifyTokenHash: token ? hashSecret(ctx.config.sessionSecret, token) : undefined,
      verifyExpiresAt: token
        ? new Date(Date.now() + CONSULTATION_LIMITS.verifyHours * 3_600_000)
        : undefined,
      member,
    }),
  )
  announceSubmission(ctx, recorded)
  const { submission } = recorded
  if (token) {
    const link = `${ctx.config.publicUrl}/c/${consultation.slug}/verify?token=${encodeURIComponent(token)}`
    await ctx.mailer.send(verificationMail(pc, submission, link))
  } else if (submission.email) {
    await ctx.mailer.send(receiptMail(ctx, pc, submission, recorded.hidden))
  }
  return {
    reference: submission.reference,
    status: verify ? 'unverified' : 'accepted',
    pending: recorded.hidden,
    email: submission.email,
  }
}

// A member may comment in a 'members' consultation when their role may start threads.
async function memberAuthor(
  db: Executor,
  processId: string,
  actor: Actor | undefined,
): Promise<MemberAuthor> {
  if (!actor) {
    throw new AppError(403, 'forbidden', 'Only members of this process may comment; sign in first')
  }
  const membership: MembershipContext | undefined = await findMembership(
    db,
    processId,
    actor.userId,
  )
  if (!membership || !can(membership.role, 'threads.create') || membership.archived) {
    throw new AppError(403, 'forbidden', 'Only members of this process may comment here')
  }
  return {
    userId: actor.userId,
    name: actor.name,
    email: actor.email,
    role: membership.role,
    stakeholderGroup: membership.stakeholderGroup,
    organisation: membership.organisation,
  }
}

/** Whether the caller may comment in a 'members' consultation (for the form). */
export async function mayCommentAsMember(
  db: Executor,
  processId: string,
  actor: Actor | undefined,
): Promise<MemberAuthor | undefined> {
  try {
    return await memberAuthor(db, processId, actor)
  } catch (error) {
    if (error instanceof AppError) {
      return undefined
    }
    throw error
  }
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/** The plain text of a section of the version (heading to the next heading of its level or higher). */
export function sectionText(doc: Node, sectionId: string): string {
  const section = findSections(doc).find((s) => s.id === sectionId)
  if (!section) {
    return ''
  }
  return collapse(doc.textBetween(section.from, section.to, ' ', ' '))
}

/** How long a comment whose confirmation link expired is kept (its page then says "expired"). */
export const UNCONFIRMED_KEPT_AFTER_EXPIRY_MS = 7 * 86_400_000

/**
 * Forgets comments that were never confirmed: a week after their link expired, the row, and
 * with it the e-mail address that was never proven, is deleted. Run with the other pruning
 * (server/main.ts). Returns how many were deleted.
 */
export function pruneUnconfirmedSubmissions(db: Executor, now = new Date()): Promise<number> {
  return publicQueries.deleteUnconfirmedBefore(
    db,
    new Date(now.getTime() - UNCONFIRMED_KEPT_AFTER_EXPIRY_MS),
  )
}

/**
 * The submission a confirmation link names, without confirming it: what the link's page shows
 * before its button is pressed (a mail scanner that opens links only ever reads this). Throws
 * 404 for an unknown token and 410 for an expired one, as confirming would.
 */
export async function findVerification(
  ctx: Ctx,
  pc: PublicConsultation,
  token: string,
): Promise<SubmissionRow> {
  const hash = hashSecret(ctx.config.sessionSecret, token)
  return verifiable(pc, await publicQueries.findSubmissionByToken(ctx.db, hash))
}

// The submission of a confirmation link, if the link is one of this consultation's and, when
// its comment is still waiting, not expired.
function verifiable(pc: PublicConsultation, submission: SubmissionRow | undefined): SubmissionRow {
  if (!submission || submission.consultation_id !== pc.consultation.id) {
    throw new AppError(404, 'not_found', 'This confirmation link is not valid')
  }
  if (
    submission.status !== 'accepted' &&
    (submission.verify_expires_at === null ||
      new Date(submission.verify_expires_at).getTime() < Date.now())
  ) {
    throw new AppError(
      410,
      'link_expired',
      'This confirmation link has expired; please comment again',
    )
  }
  return submission
}

/**
 * Confirms a submission by the token of its e-mailed link and accepts it into a thread, even
 * when the window has closed since: it was submitted in time. Opening the link again shows the
 * same receipt. An unknown token (or one of another consultation) is 404; an expired one 410.
 */
export async function confirmSubmission(
  ctx: Ctx,
  pc: PublicConsultation,
  token: string,
): Promise<SubmissionResult> {
  const hash = hashSecret(ctx.config.sessionSecret, token)
  const outcome = await inTransaction(ctx.db, async (trx) => {
    // The consultation's row lock first, as recordSubmission takes it: accepting into a thread
    // takes turns with submissions and other confirmations, so two identical texts confirmed at
    // once join one campaign thread instead of starting two.
    await queries.lockConsultation(trx, pc.consultation.id)
    const submission = verifiable(
      pc,
      await publicQueries.findSubmissionByToken(trx, hash, { lock: true }),
    )
    if (submission.status === 'accepted') {
      const root = submission.thread_id
        ? await publicQueries.findRoot(trx, submission.thread_id)
        : undefined
      return { submission, recorded: null, pending: root?.pending ?? false }
    }
    const accepted = await acceptIntoThread(
      trx,
      pc.consultation,
      {
        sectionId: submission.section_id,
        name: submission.author_name,
        stakeholderGroup: submission.stakeholder_group,
        organisation: submission.organisation,
        email: submission.email,
        consent: submission.consent,
        body: submission.body,
        quote: submission.quote,
        language: submission.language,
      },
      undefined,
      new Date(),
    )
    const updated = await publicQueries.markAccepted(trx, submission.id, accepted.thread.id)
    return { submission: updated, recorded: accepted, pending: accepted.hidden }
  })
  if (outcome.recorded) {
    announceSubmission(ctx, outcome.recorded)
    if (outcome.submission.email) {
      await ctx.mailer.send(receiptMail(ctx, pc, outcome.submission, outcome.pending))
    }
  }
  return {
    reference: outcome.submission.reference,
    status: 'accepted',
    pending: outcome.pending,
    email: outcome.submission.email,
  }
}

/** A submission by its receipt reference, and whether its thread waits for a moderator. */
export async function findReceipt(
  db: Executor,
  pc: PublicConsultation,
  reference: string,
): Promise<{ submission: SubmissionRow; pending: boolean; hidden: boolean } | undefined> {
  const submission = await publicQueries.findSubmissionByReference(
    db,
    pc.consultation.id,
    reference,
  )
  if (!submission) {
    return undefined
  }
  const root = submission.thread_id
    ? await publicQueries.findRoot(db, submission.thread_id)
    : undefined
  const pending = root?.pending ?? false
  // Hidden by a moderator after it was published (a pending comment is stored hidden too).
  return { submission, pending, hidden: !pending && root !== undefined && root.hidden_at !== null }
}

// ---------------------------------------------------------------------------------------
// E-mail, plain text in the language of the submission (English where not translated)

function titleIn(pc: PublicConsultation, language: string): string {
  const title = pc.consultation.title
  return title[language] ?? title[pc.process.languages[0] ?? 'en'] ?? Object.values(title)[0] ?? ''
}

function verificationMail(pc: PublicConsultation, submission: SubmissionRow, link: string): Mail {
  const t = translator(submission.language)
  const title = titleIn(pc, submission.language)
  return {
    to: submission.email!,
    subject: t('publicConsultation.mail.verifySubject', { title }),
    text: [
      t('publicConsultation.mail.verifyIntro', { title }),
      t('publicConsultation.mail.verifyOpen', { count: CONSULTATION_LIMITS.verifyHours }),
      link,
      '',
      t('publicConsultation.mail.reference', { reference: submission.reference }),
      t('publicConsultation.mail.notYou'),
    ].join('\n'),
  }
}

function receiptMail(
  ctx: Ctx,
  pc: PublicConsultation,
  submission: SubmissionRow,
  pending: boolean,
): Mail {
  const t = translator(submission.language)
  const title = titleIn(pc, submission.language)
  const link = `${ctx.config.publicUrl}${receiptPathOf(ctx.config.sessionSecret, pc.consultation.slug, submission.reference, submission.language)}`
  return {
    to: submission.email!,
    subject: t('publicConsultation.mail.receiptSubject', { reference: submission.reference }),
    text: [
      t('publicConsultation.mail.receiptIntro', { title }),
      t('publicConsultation.mail.reference', { reference: submission.reference }),
      pending ? t('publicConsultation.receipt.pending') : t('publicConsultation.receipt.published'),
      link,
    ].join('\n'),
  }
}
