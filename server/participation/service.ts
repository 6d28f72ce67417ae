import type {
  Participation,
  ParticipationCell,
  ParticipationGroup,
  ParticipationMeasures,
  ParticipationQuery,
} from '../../shared/api/participation'
import { INDIVIDUAL_GROUP } from '../../shared/api/consultations'
import type { Db } from '../db/database'
import { currentSections } from '../documents/service'
import { AppError } from '../errors'
import * as queries from './queries'
import type { AttendanceRow, CountFilters, CountRow } from './queries'

// The participation balance of a process (issue 17, item 1) and its public side (item 3).
// What is counted, and what never is, is said once in shared/api/participation.ts; here the
// grouped rows of queries.ts are added up into cells of sections × groups and weeks × groups.

const DAY = 86_400_000
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** A YYYY-MM-DD day as its UTC midnight, or undefined when it names no real day. */
function parseDay(value: string): Date | undefined {
  const match = DAY_PATTERN.exec(value)
  if (!match) {
    return undefined
  }
  const at = new Date(`${value}T00:00:00Z`)
  return Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== value ? undefined : at
}

function invalid(field: string, message: string): AppError {
  return new AppError(400, 'validation_failed', message, [{ path: `/${field}`, message }])
}

/** The query's filters as the queries take them; 400 for days that do not exist or run backwards. */
export function filtersOf(processId: string, query: ParticipationQuery): CountFilters {
  const from = query.from === undefined ? undefined : parseDay(query.from)
  if (query.from !== undefined && !from) {
    throw invalid('from', `${query.from} is not a day`)
  }
  const toDay = query.to === undefined ? undefined : parseDay(query.to)
  if (query.to !== undefined && !toDay) {
    throw invalid('to', `${query.to} is not a day`)
  }
  if (from && toDay && toDay < from) {
    throw invalid('to', 'The period ends before it starts')
  }
  return {
    processId,
    ...(from ? { from } : {}),
    // The last day counts in full: up to, not including, the next midnight.
    ...(toDay ? { to: new Date(toDay.getTime() + DAY) } : {}),
    ...(query.origin ? { origin: query.origin } : {}),
    ...(query.consultationId ? { consultationId: query.consultationId } : {}),
    ...(query.documentId ? { documentId: query.documentId } : {}),
  }
}

/** A cell being added up: organisations as a set until the end. */
interface Tally {
  comments: number
  endorsements: number
  contributions: number
  attendance: number
  organisations: Set<string>
}

const newTally = (): Tally => ({
  comments: 0,
  endorsements: 0,
  contributions: 0,
  attendance: 0,
  organisations: new Set(),
})

function measuresOf(tally: Tally | undefined): ParticipationMeasures {
  return {
    comments: tally?.comments ?? 0,
    organisations: tally?.organisations.size ?? 0,
    endorsements: tally?.endorsements ?? 0,
    contributions: tally?.contributions ?? 0,
    attendance: tally?.attendance ?? 0,
  }
}

type Measure = 'comments' | 'endorsements' | 'contributions' | 'attendance'

/** Tallies keyed by any string, made on first use. */
class Tallies {
  private readonly map = new Map<string, Tally>()
  at(key: string): Tally {
    let tally = this.map.get(key)
    if (!tally) {
      tally = newTally()
      this.map.set(key, tally)
    }
    return tally
  }
  get(key: string): Tally | undefined {
    return this.map.get(key)
  }
}

function add(tally: Tally, measure: Measure, n: number, org: string) {
  tally[measure] += n
  if (org !== '') {
    tally.organisations.add(org)
  }
}

/** The Monday of every week from `first` to `last` (YYYY-MM-DD), both included. */
function weeksBetween(first: string, last: string): string[] {
  const weeks: string[] = []
  const end = new Date(`${last}T00:00:00Z`).getTime()
  for (
    let at = new Date(`${first}T00:00:00Z`).getTime();
    at <= end && weeks.length < 1000;
    at += 7 * DAY
  ) {
    weeks.push(new Date(at).toISOString().slice(0, 10))
  }
  return weeks
}

const cellKey = (section: string | null, group: string) => `${section ?? ''}\u0000${group}`

interface CountedRows {
  comments: CountRow[]
  submissions: CountRow[]
  endorsements: CountRow[]
  contributions: CountRow[]
  attendance: AttendanceRow[]
  agenda: Awaited<ReturnType<typeof queries.listAgendaSections>>
}

async function loadRows(db: Db, filters: CountFilters): Promise<CountedRows> {
  // One query at a time: PGlite has a single connection.
  return {
    comments: await queries.countComments(db, filters),
    submissions: await queries.countSubmissions(db, filters),
    endorsements: await queries.countEndorsements(db, filters),
    contributions: await queries.countContributions(db, filters),
    attendance: await queries.countAttendance(db, filters),
    agenda: await queries.listAgendaSections(db, filters.processId),
  }
}

/**
 * The participation balance of a process: every section × group cell, totals per group and
 * overall, a series per week and group, and how much was held back. Hidden, pending and
 * withdrawn items are never counted; hidden and pending ones are reported in `heldBack`.
 * Throws 404 for a consultation of another process and 400 for impossible days.
 */
export async function buildParticipation(
  db: Db,
  processId: string,
  query: ParticipationQuery,
): Promise<Participation> {
  const filters = filtersOf(processId, query)
  if (
    filters.consultationId &&
    !(await queries.findConsultationOf(db, processId, filters.consultationId))
  ) {
    throw new AppError(404, 'not_found', 'Consultation not found')
  }
  if (filters.documentId && !(await queries.findDocumentOf(db, processId, filters.documentId))) {
    throw new AppError(404, 'not_found', 'Document not found')
  }
  return tallyParticipation(db, filters)
}

async function tallyParticipation(db: Db, filters: CountFilters): Promise<Participation> {
  const rows = await loadRows(db, filters)
  const cells = new Tallies()
  const sectionTotals = new Tallies()
  const groupTotals = new Tallies()
  const weekCells = new Tallies()
  const total = newTally()
  const heldBack = { hidden: 0, pending: 0 }
  const seenGroups = new Set<string>()
  const seenSections = new Set<string | null>()
  const seenWeeks = new Set<string>()

  const count = (row: CountRow, measure: Measure) => {
    if (row.state === 'hidden' || row.state === 'pending') {
      if (measure !== 'endorsements') {
        heldBack[row.state] += row.n
      }
      return
    }
    if (row.state !== 'published') {
      return
    }
    seenGroups.add(row.grp)
    seenSections.add(row.section_id)
    seenWeeks.add(row.week)
    add(cells.at(cellKey(row.section_id, row.grp)), measure, row.n, row.org)
    add(sectionTotals.at(row.section_id ?? ''), measure, row.n, row.org)
    add(groupTotals.at(row.grp), measure, row.n, row.org)
    add(weekCells.at(`${row.week}\u0000${row.grp}`), measure, row.n, row.org)
    add(total, measure, row.n, row.org)
  }
  rows.comments.forEach((row) => count(row, 'comments'))
  rows.submissions.forEach((row) => count(row, 'comments'))
  rows.endorsements.forEach((row) => count(row, 'endorsements'))
  rows.contributions.forEach((row) => count(row, 'contributions'))

  // Attendance counts once in the totals and in every section on the workshop's agenda.
  const agendaOf = new Map<string, Set<string>>()
  for (const item of rows.agenda) {
    const set = agendaOf.get(item.workshop_id) ?? new Set<string>()
    set.add(item.section_id!)
    agendaOf.set(item.workshop_id, set)
  }
  for (const row of rows.attendance) {
    seenGroups.add(row.grp)
    seenWeeks.add(row.week)
    for (const section of agendaOf.get(row.workshop_id) ?? []) {
      seenSections.add(section)
      add(cells.at(cellKey(section, row.grp)), 'attendance', row.n, row.org)
      add(sectionTotals.at(section), 'attendance', row.n, row.org)
    }
    add(groupTotals.at(row.grp), 'attendance', row.n, row.org)
    add(weekCells.at(`${row.week}\u0000${row.grp}`), 'attendance', row.n, row.org)
    add(total, 'attendance', row.n, row.org)
  }

  const groups = await groupsOf(db, filters.processId, seenGroups)
  const sections = await sectionsOf(db, filters, seenSections, rows.agenda)
  const cellsOf = (tallies: Tallies, prefix: string): ParticipationCell[] =>
    groups.map((g) => ({ group: g.key, ...measuresOf(tallies.get(`${prefix}\u0000${g.key}`)) }))
  const sortedWeeks = [...seenWeeks].sort()
  return {
    groups,
    sections: sections.map((s) => ({
      sectionId: s.sectionId,
      title: s.title,
      cells: cellsOf(cells, s.sectionId ?? ''),
      total: measuresOf(sectionTotals.get(s.sectionId ?? '')),
    })),
    weeks:
      sortedWeeks.length === 0
        ? []
        : weeksBetween(sortedWeeks[0]!, sortedWeeks[sortedWeeks.length - 1]!).map((week) => ({
            weekStart: week,
            cells: cellsOf(weekCells, week),
          })),
    byGroup: groups.map((g) => ({ group: g.key, ...measuresOf(groupTotals.get(g.key)) })),
    totals: measuresOf(total),
    heldBack,
  }
}

/** The process's groups in order, `individual` if it has none such, then any group the data names. */
async function groupsOf(
  db: Db,
  processId: string,
  seen: Set<string>,
): Promise<ParticipationGroup[]> {
  const groups: ParticipationGroup[] = (await queries.listGroups(db, processId)).map((g) => ({
    key: g.key,
    label: g.label,
  }))
  if (!groups.some((g) => g.key === INDIVIDUAL_GROUP)) {
    groups.push({ key: INDIVIDUAL_GROUP, label: null })
  }
  for (const key of [...seen].sort()) {
    if (!groups.some((g) => g.key === key)) {
      groups.push({ key, label: null })
    }
  }
  return groups
}

/**
 * The rows of the matrix: the sections of the live documents (a document a later cycle
 * continues is left out: its sections live on in its successor), in document order, so a
 * section nobody spoke to shows as a gap; then sections only the data knows, by title; then
 * workshop contributions outside any section.
 */
async function sectionsOf(
  db: Db,
  filters: CountFilters,
  seen: Set<string | null>,
  agenda: CountedRows['agenda'],
): Promise<{ sectionId: string | null; title: string }[]> {
  const result: { sectionId: string | null; title: string }[] = []
  const placed = new Set<string>()
  const documents = filters.documentId
    ? [{ id: filters.documentId }]
    : await queries.listLeafDocuments(db, filters.processId)
  for (const document of documents) {
    for (const section of await currentSections(db, document.id)) {
      if (section.id !== null && !placed.has(section.id)) {
        placed.add(section.id)
        result.push({ sectionId: section.id, title: section.title })
      }
    }
  }
  const titles = new Map<string, string>()
  for (const item of agenda) {
    titles.set(item.section_id!, item.title)
  }
  for (const row of await queries.listThreadSectionTitles(db, filters.processId)) {
    titles.set(row.section_id, row.section_title)
  }
  const others = [...seen]
    .filter((id): id is string => id !== null && !placed.has(id))
    .map((id) => ({ sectionId: id, title: titles.get(id) ?? '' }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.sectionId.localeCompare(b.sectionId))
  result.push(...others)
  if (seen.has(null)) {
    result.push({ sectionId: null, title: '' })
  }
  return result
}

/** One consultation as the public page shows it, with every change to its window. */
export interface PublicConsultationWindow {
  slug: string
  title: Record<string, string>
  opensAt: Date
  closesAt: Date
  timeZone: string
  changes: {
    kind: string
    at: Date
    closesBefore: Date | null
    closesAfter: Date | null
    reason: string
  }[]
}

/** What `/p/:slug/participation` shows: only what the public may know. */
export interface PublicParticipation {
  participation: Participation
  organisations: { name: string; ways: ('workshop' | 'public')[] }[]
  workshops: {
    id: string
    title: string
    startsAt: Date
    timeZone: string
    attendance: { group: string; count: number }[]
    total: number
  }[]
  consultations: PublicConsultationWindow[]
}

/**
 * Who took part, for the public (issue 17, item 3): the same counts as the balance, restricted
 * to what the public may know (workshops with public minutes; public submissions of a
 * consultation that publishes comments after its close only once it closed), the
 * organisations that agreed to be named, the workshops with public minutes and their
 * attendance by group, and the published consultations with their windows and every change.
 * It names no person and no organisation that did not agree to it.
 */
export async function buildPublicParticipation(
  db: Db,
  processId: string,
): Promise<PublicParticipation> {
  const participation = await tallyParticipation(db, { processId, publicOnly: true })
  const named = await queries.listNamedOrganisations(db, processId)
  const byKey = new Map<string, { name: string; ways: Set<'workshop' | 'public'> }>()
  for (const row of named) {
    const key = row.organisation.toLowerCase()
    const entry = byKey.get(key) ?? { name: row.organisation, ways: new Set() }
    entry.ways.add(row.way)
    byKey.set(key, entry)
  }
  const organisations = [...byKey.values()]
    .map((o) => ({
      name: o.name,
      ways: (['workshop', 'public'] as const).filter((w) => o.ways.has(w)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name))

  const workshopRows = await queries.listPublicWorkshopAttendance(db, processId)
  const workshops: PublicParticipation['workshops'] = []
  for (const row of workshopRows) {
    let workshop = workshops.find((w) => w.id === row.id)
    if (!workshop) {
      workshop = {
        id: row.id,
        title: row.title,
        startsAt: new Date(row.starts_at),
        timeZone: row.time_zone,
        attendance: [],
        total: 0,
      }
      workshops.push(workshop)
    }
    if (row.grp !== null && row.n > 0) {
      workshop.attendance.push({ group: row.grp, count: row.n })
      workshop.total += row.n
    }
  }
  const order = new Map(participation.groups.map((g, i) => [g.key, i]))
  for (const workshop of workshops) {
    workshop.attendance.sort((a, b) => (order.get(a.group) ?? 99) - (order.get(b.group) ?? 99))
  }

  const { consultations, changes } = await queries.listPublishedConsultations(db, processId)
  return {
    participation,
    organisations,
    workshops,
    consultations: consultations.map((c) => ({
      slug: c.slug,
      title: c.title,
      opensAt: new Date(c.opens_at),
      closesAt: new Date(c.closes_at),
      timeZone: c.time_zone,
      changes: changes
        .filter((change) => change.consultation_id === c.id)
        .map((change) => ({
          kind: change.kind,
          at: new Date(change.created_at),
          closesBefore: change.closes_before === null ? null : new Date(change.closes_before),
          closesAfter: change.closes_after === null ? null : new Date(change.closes_after),
          reason: change.reason,
        })),
    })),
  }
}
