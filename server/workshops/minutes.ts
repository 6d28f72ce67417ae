import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import type { Contribution, Minutes } from '../../shared/api/workshops'
import type { Ctx, Origin } from '../context'
import type { Executor } from '../db/database'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { AppError, conflict, notFound } from '../errors'
import * as queries from './queries'
import { toAgendaItem, toContribution, toPoll } from './present'
import { announceWorkshop, managesWorkshops, type WorkshopAccess } from './service'

/** What the minutes hold apart from the summary and publication, frozen when the workshop closes. */
export type DraftMinutes = Omit<Minutes, 'summary' | 'publishedAt' | 'public'>

/**
 * Drafts the minutes of a workshop from its record (issue 13, item 7): attendance by group and
 * organisation (people and their organisations named only with their consent), the agenda with its actual times, the
 * contributions per section, the decisions, the action items and the poll results. Runs inside
 * the transaction that closes the workshop.
 */
export async function draftMinutes(trx: Executor, workshopId: string): Promise<DraftMinutes> {
  const workshop = await queries.findWorkshop(trx, workshopId)
  if (!workshop) {
    throw notFound('Workshop')
  }
  const [agenda, attendees, contributions, polls] = await Promise.all([
    queries.listAgenda(trx, [workshopId]),
    queries.listAttendees(trx, workshopId),
    queries.listContributions(trx, workshopId),
    queries.listPolls(trx, workshopId),
  ])
  const votes = await queries.listVotes(trx, polls.map((poll) => poll.id))
  const count = (keys: string[]) => {
    const map = new Map<string, number>()
    for (const key of keys) {
      map.set(key, (map.get(key) ?? 0) + 1)
    }
    return [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  }
  const items = contributions.map(toContribution)
  const discussed = items.filter((c) => c.kind !== 'decision' && c.kind !== 'action')
  const bySection = new Map<string, { sectionId: string | null; title: string; items: Contribution[] }>()
  for (const item of discussed) {
    const key = item.sectionId ?? ''
    const title =
      agenda.find((a) => a.section_id === item.sectionId && item.sectionId !== null)?.title ??
      agenda.find((a) => a.id === item.agendaItemId)?.title ??
      ''
    const entry = bySection.get(key) ?? { sectionId: item.sectionId, title, items: [] }
    entry.items.push(item)
    bySection.set(key, entry)
  }
  return {
    workshopId,
    title: workshop.title,
    purpose: workshop.purpose,
    startsAt: workshop.starts_at.toISOString(),
    endsAt: workshop.ends_at.toISOString(),
    timeZone: workshop.time_zone,
    startedAt: workshop.started_at?.toISOString() ?? null,
    closedAt: workshop.closed_at?.toISOString() ?? null,
    attendance: {
      total: attendees.length,
      byGroup: count(attendees.map((a) => a.stakeholder_group)).map(([group, n]) => ({ group, count: n })),
      // An organisation can name a person (a one-person organisation): only those of attendees
      // who consented to be named are listed.
      byOrganisation: count(
        attendees.filter((a) => a.consent_public).map((a) => a.organisation).filter(Boolean),
      ).map(
        ([organisation, n]) => ({ organisation, count: n }),
      ),
      named: attendees
        .filter((a) => a.consent_public)
        .map((a) => ({ name: a.name, organisation: a.organisation, group: a.stakeholder_group })),
    },
    agenda: agenda.map(toAgendaItem),
    contributions: [...bySection.values()],
    decisions: items.filter((c) => c.kind === 'decision'),
    actions: items.filter((c) => c.kind === 'action'),
    polls: polls.map((poll) => ({ ...toPoll(poll, votes, null), myChoices: null })),
  }
}

/**
 * The minutes of a closed workshop. Members read them once published; until then only those
 * who run workshops see the draft, and everyone else gets the same 404 as for no minutes.
 * Action items show their status as it is now.
 */
export async function getMinutes(ctx: Ctx, access: WorkshopAccess): Promise<Minutes> {
  const workshop = (await queries.findWorkshop(ctx.db, access.workshop.id))!
  const published = workshop.minutes_published_at !== null
  if (!workshop.minutes || (!published && !managesWorkshops(access.membership))) {
    throw notFound('Minutes')
  }
  const stored = workshop.minutes as unknown as DraftMinutes
  const current = new Map(
    (await queries.listContributions(ctx.db, workshop.id)).map((row) => [row.id, toContribution(row)]),
  )
  return {
    ...stored,
    actions: stored.actions.map((action) => current.get(action.id) ?? action),
    summary: workshop.minutes_summary,
    publishedAt: workshop.minutes_published_at?.toISOString() ?? null,
    public: workshop.minutes_public,
  }
}

/** Changes the summary of minutes not yet published. Audited as `workshop.minutes-edit`. */
export async function editSummary(ctx: Ctx, access: WorkshopAccess, summary: string, origin: Origin) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await queries.lockWorkshop(trx, access.workshop.id)
    if (!row || row.state !== 'closed') {
      throw conflict('Only the minutes of a closed workshop, not yet published, can be edited')
    }
    await queries.updateWorkshop(trx, row.id, { minutes_summary: summary.trim() })
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: 'workshop.minutes-edit',
      targetType: 'workshop',
      targetId: row.id,
      details: { title: row.title },
    })
  })
  announceWorkshop(ctx, access.workshop)
  return getMinutes(ctx, access)
}

/**
 * Publishes the minutes to the members, and to the public pages of the process when asked;
 * the workshop's state becomes `published`. Audited as `workshop.minutes-publish`.
 */
export async function publishMinutes(
  ctx: Ctx,
  access: WorkshopAccess,
  toPublic: boolean,
  origin: Origin,
) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await queries.lockWorkshop(trx, access.workshop.id)
    if (!row || row.state !== 'closed') {
      throw new AppError(409, 'conflict', 'Only the minutes of a closed workshop can be published', {
        state: row?.state,
      })
    }
    await queries.updateWorkshop(trx, row.id, {
      state: 'published',
      minutes_published_at: new Date(),
      minutes_public: toPublic,
      revision: row.revision + 1,
    })
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: 'workshop.minutes-publish',
      targetType: 'workshop',
      targetId: row.id,
      details: { title: row.title, public: toPublic },
    })
  })
  announceWorkshop(ctx, access.workshop)
  return getMinutes(ctx, access)
}

const dateTime = (iso: string | null, timeZone: string) =>
  iso === null
    ? '—'
    : new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(
        new Date(iso),
      )

const timeOnly = (iso: string | null, timeZone: string) =>
  iso === null ? '—' : new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone }).format(new Date(iso))

function attribution(c: Contribution): string {
  const who = [c.authorName, c.authorOrganisation, c.authorGroup].filter(Boolean).join(', ')
  return c.recordedBy ? `${who}; recorded by ${c.recordedBy}` : who
}

// Markdown from text people typed: characters Markdown would read as markup are escaped, so
// what someone wrote is shown as they wrote it and never becomes a link, an image or HTML.
const md = (text: string) => text.replace(/([\\`*_{}[\]()#+\-.!<>|~])/g, '\\$1').replace(/\n+/g, ' ')

/** The minutes as Markdown, for wikis and e-mail. */
export function minutesToMarkdown(m: Minutes): string {
  const lines: string[] = [`# Minutes: ${md(m.title)}`, '']
  if (m.purpose) {
    lines.push(md(m.purpose), '')
  }
  lines.push(
    `- Scheduled: ${dateTime(m.startsAt, m.timeZone)} – ${dateTime(m.endsAt, m.timeZone)} (${m.timeZone})`,
    `- Held: ${dateTime(m.startedAt, m.timeZone)} – ${dateTime(m.closedAt, m.timeZone)}`,
    '',
  )
  if (m.summary) {
    lines.push('## Summary', '', ...m.summary.split(/\n{2,}/).map((p) => `${md(p)}\n`))
  }
  lines.push('## Attendance', '', `${m.attendance.total} attendees.`, '')
  for (const g of m.attendance.byGroup) {
    lines.push(`- ${md(g.group)}: ${g.count}`)
  }
  if (m.attendance.byOrganisation.length > 0) {
    lines.push('', 'Organisations:', '')
    for (const o of m.attendance.byOrganisation) {
      lines.push(`- ${md(o.organisation)}: ${o.count}`)
    }
  }
  if (m.attendance.named.length > 0) {
    lines.push('', 'Attendees who agreed to be named:', '')
    for (const p of m.attendance.named) {
      lines.push(`- ${md([p.name, p.organisation, p.group].filter(Boolean).join(', '))}`)
    }
  }
  lines.push('', '## Agenda', '')
  for (const item of m.agenda) {
    lines.push(
      `${item.position + 1}. ${md(item.title)} (${item.minutes + item.extraMinutes} min; ${timeOnly(item.startedAt, m.timeZone)}–${timeOnly(item.endedAt, m.timeZone)})`,
    )
  }
  lines.push('', '## Contributions', '')
  for (const section of m.contributions) {
    lines.push(`### ${md(section.title || 'General')}`, '')
    for (const c of section.items) {
      lines.push(`- **${c.kind}** — ${md(c.body)} (${md(attribution(c))})`)
    }
    lines.push('')
  }
  lines.push('## Decisions', '')
  for (const d of m.decisions) {
    lines.push(`- ${md(d.body)}`)
  }
  lines.push('', '## Action items', '')
  for (const a of m.actions) {
    lines.push(`- ${md(a.body)} — owner: ${md(a.owner ?? '')}; due: ${a.dueDate ?? '—'}; status: ${a.status ?? ''}`)
  }
  lines.push('', '## Polls', '')
  for (const p of m.polls) {
    lines.push(`### ${md(p.question)}`, '')
    p.options.forEach((option, i) => lines.push(`- ${md(option)}: ${p.results[i] ?? 0}`))
    for (const g of p.byGroup) {
      lines.push(`- ${md(g.group)}: ${g.results.join(' / ')}`)
    }
    lines.push('')
  }
  return `${lines.join('\n').trimEnd()}\n`
}

/** The minutes as a .docx a ministry would file. Text is placed in runs, never interpreted. */
export async function minutesToDocx(m: Minutes): Promise<Buffer> {
  const p = (text: string) => new Paragraph({ children: [new TextRun(text)] })
  const h = (text: string, heading: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
    new Paragraph({ heading, children: [new TextRun(text)] })
  const bullet = (text: string) => new Paragraph({ bullet: { level: 0 }, children: [new TextRun(text)] })
  const children: Paragraph[] = [h(`Minutes: ${m.title}`, HeadingLevel.TITLE)]
  if (m.purpose) {
    children.push(p(m.purpose))
  }
  children.push(
    p(`Scheduled: ${dateTime(m.startsAt, m.timeZone)} – ${dateTime(m.endsAt, m.timeZone)} (${m.timeZone})`),
    p(`Held: ${dateTime(m.startedAt, m.timeZone)} – ${dateTime(m.closedAt, m.timeZone)}`),
  )
  if (m.summary) {
    children.push(h('Summary', HeadingLevel.HEADING_1), ...m.summary.split(/\n{2,}/).map(p))
  }
  children.push(h('Attendance', HeadingLevel.HEADING_1), p(`${m.attendance.total} attendees.`))
  children.push(...m.attendance.byGroup.map((g) => bullet(`${g.group}: ${g.count}`)))
  children.push(...m.attendance.byOrganisation.map((o) => bullet(`${o.organisation}: ${o.count}`)))
  if (m.attendance.named.length > 0) {
    children.push(p('Attendees who agreed to be named:'))
    children.push(...m.attendance.named.map((n) => bullet([n.name, n.organisation, n.group].filter(Boolean).join(', '))))
  }
  children.push(h('Agenda', HeadingLevel.HEADING_1))
  children.push(
    ...m.agenda.map((item) =>
      bullet(
        `${item.title} (${item.minutes + item.extraMinutes} min; ${timeOnly(item.startedAt, m.timeZone)}–${timeOnly(item.endedAt, m.timeZone)})`,
      ),
    ),
  )
  children.push(h('Contributions', HeadingLevel.HEADING_1))
  for (const section of m.contributions) {
    children.push(h(section.title || 'General', HeadingLevel.HEADING_2))
    children.push(...section.items.map((c) => bullet(`${c.kind}: ${c.body} (${attribution(c)})`)))
  }
  children.push(h('Decisions', HeadingLevel.HEADING_1), ...m.decisions.map((d) => bullet(d.body)))
  children.push(
    h('Action items', HeadingLevel.HEADING_1),
    ...m.actions.map((a) => bullet(`${a.body} — owner: ${a.owner ?? ''}; due: ${a.dueDate ?? '—'}; status: ${a.status ?? ''}`)),
  )
  children.push(h('Polls', HeadingLevel.HEADING_1))
  for (const poll of m.polls) {
    children.push(h(poll.question, HeadingLevel.HEADING_2))
    children.push(...poll.options.map((option, i) => bullet(`${option}: ${poll.results[i] ?? 0}`)))
    children.push(...poll.byGroup.map((g) => bullet(`${g.group}: ${g.results.join(' / ')}`)))
  }
  const document = new Document({ creator: 'Concord', title: `Minutes: ${m.title}`, sections: [{ children }] })
  return Packer.toBuffer(document)
}
