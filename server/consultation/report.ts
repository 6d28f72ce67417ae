import {
  CONSULTATION_VISIBILITY,
  DISPOSITIONS,
  INDIVIDUAL_GROUP,
  type ConsultationReport,
  type ConsultationVisibility,
  type Disposition,
  type ReportAudience,
  type ReportThread,
} from '../../shared/api/consultations'
import type { Section } from '../../shared/api/documents'
import type { ConsultationRow, Executor } from '../db/database'
import * as queries from './report-queries'

const iso = (value: Date | string) => new Date(value).toISOString()

const isDisposition = (value: string | null): value is Disposition =>
  value !== null && (DISPOSITIONS as readonly string[]).includes(value)

// A visibility the database holds but the API does not know reads as the most private one.
const visibilityOf = (value: string): ConsultationVisibility =>
  (CONSULTATION_VISIBILITY as readonly string[]).includes(value)
    ? (value as ConsultationVisibility)
    : 'never'

/**
 * Whether the public may read the consultation's comments at `now`: at once, once the window
 * has closed, or never, as the secretariat chose. The secretariat always may.
 */
export function commentsPublishedTo(
  audience: ReportAudience,
  consultation: Pick<ConsultationRow, 'visibility' | 'closes_at'>,
  now: Date,
): boolean {
  if (audience === 'secretariat') {
    return true
  }
  if (consultation.visibility === 'immediately') {
    return true
  }
  if (consultation.visibility === 'after-close') {
    return now.getTime() >= new Date(consultation.closes_at).getTime()
  }
  return false
}

/** A formatter of instants to `YYYY-MM-DD` in a time zone (UTC if the zone is unknown). */
function dayOf(timeZone: string): (at: Date | string) => string {
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
  } catch {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
  }
  return (at) => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(at)).map((part) => [part.type, part.value]),
    )
    return `${parts.year}-${parts.month}-${parts.day}`
  }
}

/** The calendar day after `date` (`YYYY-MM-DD`); plain date arithmetic, no time zone involved. */
function nextDay(date: string): string {
  const next = new Date(`${date}T12:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return next.toISOString().slice(0, 10)
}

/**
 * Submissions per calendar day in the consultation's time zone, with every day from the
 * window's opening day to the last day so far (the closing day once closed), zeros included,
 * so the series draws as a chart. Days with submissions outside that span are included too.
 */
function submissionsOverTime(
  consultation: ConsultationRow,
  createdAt: (Date | string)[],
  now: Date,
): ConsultationReport['overTime'] {
  const day = dayOf(consultation.time_zone)
  const perDay = new Map<string, number>()
  for (const at of createdAt) {
    const key = day(at)
    perDay.set(key, (perDay.get(key) ?? 0) + 1)
  }
  const opens = new Date(consultation.opens_at)
  // The last instant of the window, or now while it is still open.
  const last = new Date(Math.min(new Date(consultation.closes_at).getTime() - 1, now.getTime()))
  const days = [...perDay.keys()].sort()
  let first = days[0]
  let end = days[days.length - 1]
  if (last.getTime() >= opens.getTime()) {
    const [opening, closing] = [day(opens), day(last)]
    first = first === undefined || opening < first ? opening : first
    end = end === undefined || closing > end ? closing : end
  }
  const series: ConsultationReport['overTime'] = []
  if (first === undefined || end === undefined) {
    return series
  }
  for (let date = first; date <= end; date = nextDay(date)) {
    series.push({ date, submissions: perDay.get(date) ?? 0 })
  }
  return series
}

/**
 * “What we heard” for one consultation (issue 6, item 8), for the public page or the
 * secretariat's exports.
 *
 * What is counted:
 * - `submissions`, `byGroup`, `bySection` and `matrix` count accepted submissions (status
 *   'accepted', in a thread of this consultation). Every submission of a campaign counts on its
 *   own, under the group its own author declared (so a campaign's submissions may fall into
 *   several groups). Submissions still waiting for their e-mail link (unverified) are not
 *   counted; those waiting for a moderator's approval are counted only in `pending`.
 *   Submissions in threads a moderator hid (after publication, or by refusing a pending
 *   one) are counted: they were received, and the public sees them as hidden with the reason.
 * - `threads` counts the consultation's threads (a campaign is one thread) except those
 *   pending approval; `answered` those of them with a disposition and answer; `hidden` those
 *   a moderator hid; `byDisposition` threads per disposition, every disposition present.
 * - Every known section (of the version, in its order) and group (the process's, then
 *   `individual`) is present in `bySection`, `byGroup` and `matrix`, with 0 when nothing came.
 *
 * Threads come in the version's section order, then by number; pending ones never appear.
 * Every thread carries the receipt references of its counted submissions (issue 15, item 1):
 * the receipt promises that the report carries them, so a person finds their comment's answer.
 * References name no one, so the public report carries them too, even when it carries no text.
 * The secretariat's report holds everything, hidden text included (marked `hidden`, with the
 * reason). The public report replaces a hidden thread's text by the moderator's reason and
 * drops its author, organisation, quote and proposed change, as the threads views do; and
 * when the consultation's comments are not public (visibility 'never', or 'after-close'
 * before the close) it carries no comment, author, organisation, quote, proposed change or
 * answer at all: totals and dispositions only (`commentsPublished` false).
 *
 * Members' own threads on the document are not part of the consultation and not counted.
 */
export async function buildReport(
  db: Executor,
  consultation: ConsultationRow,
  audience: ReportAudience,
  now: Date = new Date(),
): Promise<ConsultationReport> {
  // One query at a time, in order: PGlite has a single connection.
  const [storedSections, processGroups, threadRows, submissionRows] = [
    await queries.findVersionSections(db, consultation.version_id),
    await queries.listProcessGroups(db, consultation.process_id),
    await queries.listReportThreads(db, consultation.id),
    await queries.listAcceptedSubmissions(db, consultation.id),
  ]
  const sections: Section[] = storedSections.map((s) => ({
    id: s.id,
    level: s.level,
    title: s.title,
  }))
  const sectionOrder = new Map<string, number>()
  const sectionTitles = new Map<string, string>()
  for (const section of sections) {
    if (section.id !== null && !sectionOrder.has(section.id)) {
      sectionOrder.set(section.id, sectionOrder.size)
      sectionTitles.set(section.id, section.title)
    }
  }

  const groups: ConsultationReport['groups'] = processGroups.map((g) => ({
    key: g.key,
    label: g.label,
  }))
  if (!groups.some((g) => g.key === INDIVIDUAL_GROUP)) {
    groups.push({ key: INDIVIDUAL_GROUP, label: null })
  }

  const counted = submissionRows.filter((s) => !s.pending)
  const visibleThreads = threadRows.filter((t) => !t.pending)
  for (const key of new Set([
    ...counted.map((s) => s.stakeholder_group),
    ...visibleThreads.map((t) => t.author_group),
  ])) {
    if (!groups.some((g) => g.key === key)) {
      groups.push({ key, label: null })
    }
  }
  const sectionKeys = [...sectionOrder.keys()]
  for (const id of new Set([
    ...counted.map((s) => s.section_id),
    ...visibleThreads.map((t) => t.section_id),
  ])) {
    if (!sectionOrder.has(id)) {
      sectionKeys.push(id)
    }
  }

  const zeros = () => Object.fromEntries(groups.map((g) => [g.key, 0])) as Record<string, number>
  const byGroup = zeros()
  const bySection: Record<string, number> = Object.fromEntries(sectionKeys.map((id) => [id, 0]))
  const matrix: Record<string, Record<string, number>> = Object.fromEntries(
    sectionKeys.map((id) => [id, zeros()]),
  )
  for (const s of counted) {
    byGroup[s.stakeholder_group] = (byGroup[s.stakeholder_group] ?? 0) + 1
    bySection[s.section_id] = (bySection[s.section_id] ?? 0) + 1
    const row = (matrix[s.section_id] ??= zeros())
    row[s.stakeholder_group] = (row[s.stakeholder_group] ?? 0) + 1
  }
  const byDisposition: Record<string, number> = Object.fromEntries(DISPOSITIONS.map((d) => [d, 0]))
  for (const t of visibleThreads) {
    if (isDisposition(t.disposition)) {
      byDisposition[t.disposition] = (byDisposition[t.disposition] ?? 0) + 1
    }
  }

  const references = new Map<string, string[]>()
  for (const s of counted) {
    if (s.thread_id !== null) {
      const list = references.get(s.thread_id)
      if (list) {
        list.push(s.reference)
      } else {
        references.set(s.thread_id, [s.reference])
      }
    }
  }

  const published = commentsPublishedTo(audience, consultation, now)
  const position = (sectionId: string) => sectionOrder.get(sectionId) ?? Number.MAX_SAFE_INTEGER
  const threads = [...visibleThreads]
    .sort((a, b) => position(a.section_id) - position(b.section_id) || a.number - b.number)
    .map((t) =>
      toReportThread(t, {
        audience,
        published,
        sectionTitle: sectionTitles.get(t.section_id),
        references: references.get(t.id) ?? [],
      }),
    )

  return {
    consultationId: consultation.id,
    slug: consultation.slug,
    title: consultation.title,
    opensAt: iso(consultation.opens_at),
    closesAt: iso(consultation.closes_at),
    timeZone: consultation.time_zone,
    visibility: visibilityOf(consultation.visibility),
    audience,
    commentsPublished: published,
    groups,
    totals: {
      submissions: counted.length,
      threads: visibleThreads.length,
      answered: visibleThreads.filter((t) => t.answered_at !== null && isDisposition(t.disposition))
        .length,
      hidden: visibleThreads.filter((t) => t.hidden_at !== null).length,
      pending: submissionRows.length - counted.length,
      byGroup,
      bySection,
      matrix,
      byDisposition,
    },
    sections,
    overTime: submissionsOverTime(
      consultation,
      counted.map((s) => s.created_at),
      now,
    ),
    threads,
  }
}

/** One thread as the audience may read it (see buildReport). */
function toReportThread(
  t: queries.ReportThreadRow,
  options: {
    audience: ReportAudience
    published: boolean
    sectionTitle: string | undefined
    references: string[]
  },
): ReportThread {
  const hidden = t.hidden_at !== null
  const withdrawn = t.withdrawn_at !== null
  const reason = hidden ? (t.hidden_reason ?? '') : null
  // What the public may not read: everything the author wrote, when hidden or not published.
  const concealed = options.audience === 'public' && (hidden || !options.published)
  // Whoever withdrew their comment is not named in public any more; the record keeps the name.
  const unnamed = concealed || (options.audience === 'public' && withdrawn)
  const text = (value: string | null) => (concealed || withdrawn ? null : value)
  let comment = withdrawn ? '' : t.body
  if (options.audience === 'public') {
    comment = !options.published ? '' : hidden ? (reason ?? '') : comment
  }
  return {
    number: t.number,
    threadId: t.id,
    references: options.references,
    sectionId: t.section_id,
    sectionTitle: options.sectionTitle ?? t.section_title,
    stakeholderGroup: t.author_group,
    selfDeclared: t.self_declared,
    organisation: unnamed ? '' : t.author_organisation,
    author: unnamed ? '' : t.author_name,
    kind: t.kind,
    comment,
    hidden,
    hiddenReason: options.audience === 'public' && !options.published ? null : reason,
    withdrawn,
    quote: text(t.quote),
    proposedChange: text(t.proposal_text),
    submissions: t.submission_count,
    createdAt: iso(t.created_at),
    disposition: isDisposition(t.disposition) ? t.disposition : null,
    answer: options.published ? t.answer : null,
    answeredAt: t.answered_at === null ? null : iso(t.answered_at),
    answerVersionName: options.published ? t.answer_version_name : null,
    answerSectionTitle: options.published ? t.answer_section_title : null,
  }
}
