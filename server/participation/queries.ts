import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../db/database'

// Counts of who took part (issue 17), grouped in the database: each query answers one row per
// section, group, organisation, week and state with how many items fall there, so the service
// never reads the items themselves (a process with 20,000 comments answers a few thousand rows).

/** What the counts are restricted to. `to` is exclusive. */
export interface CountFilters {
  processId: string
  from?: Date
  to?: Date
  origin?: 'members' | 'public' | 'workshop'
  consultationId?: string
  documentId?: string
  /**
   * For the public page: workshops count only when their minutes were published to the public,
   * and public submissions of a consultation that publishes comments after its close only once
   * it has closed.
   */
  publicOnly?: boolean
}

/** One group of counted items. `state` is 'published', 'hidden', 'pending' or 'withdrawn'. */
export interface CountRow {
  section_id: string | null
  grp: string
  org: string
  week: string
  state: string
  n: number
}

export interface AttendanceRow {
  workshop_id: string
  grp: string
  org: string
  week: string
  n: number
}

const weekOf = (column: string) =>
  sql<string>`to_char(date_trunc('week', ${sql.ref(column)} at time zone 'UTC'), 'YYYY-MM-DD')`

const orgOf = (column: string) => sql<string>`lower(btrim(${sql.ref(column)}))`

/** The state of an item from its own comment (if any) and its thread's root. */
const stateOf = (comment: string, root: string) => sql<string>`case
  when ${sql.ref(`${comment}.pending`)} or coalesce(${sql.ref(`${root}.pending`)}, false) then 'pending'
  when ${sql.ref(`${comment}.hidden_at`)} is not null or ${sql.ref(`${root}.hidden_at`)} is not null then 'hidden'
  when ${sql.ref(`${comment}.withdrawn_at`)} is not null then 'withdrawn'
  else 'published' end`

function period(column: string, f: CountFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = []
  if (f.from) {
    parts.push(sql`${sql.ref(column)} >= ${f.from.toISOString()}::timestamptz`)
  }
  if (f.to) {
    parts.push(sql`${sql.ref(column)} < ${f.to.toISOString()}::timestamptz`)
  }
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `)
}

/**
 * A document and the documents it continues (a review cycle's working document points to the
 * adopted one, migration 0016), as comments/queries.ts reads a document's threads.
 */
function lineage(documentId: string) {
  return sql`WITH RECURSIVE lineage(id, depth) AS (
      SELECT ${documentId}::uuid, 0
      UNION ALL
      SELECT d.predecessor_id, lineage.depth + 1
      FROM documents d JOIN lineage ON d.id = lineage.id
      WHERE d.predecessor_id IS NOT NULL AND lineage.depth < 50
    )
    SELECT id FROM lineage`
}

/** The origin, consultation and document filters on a thread `t`. */
function threadScope(f: CountFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`t.process_id = ${f.processId}`]
  if (f.documentId) {
    parts.push(sql`t.document_id in (${lineage(f.documentId)})`)
  }
  if (f.origin === 'members') {
    parts.push(sql`t.consultation_id is null and t.workshop_id is null`)
  } else if (f.origin === 'public') {
    parts.push(sql`t.consultation_id is not null`)
  } else if (f.origin === 'workshop') {
    parts.push(sql`t.workshop_id is not null`)
  }
  if (f.consultationId) {
    parts.push(sql`t.consultation_id = ${f.consultationId}`)
  }
  if (f.publicOnly) {
    parts.push(sql`(t.workshop_id is null or t.workshop_id in (${publicWorkshops(f.processId)}))`)
    parts.push(
      sql`(t.consultation_id is null or t.consultation_id in (${countedConsultations(f.processId)}))`,
    )
  }
  return sql.join(parts, sql` and `)
}

/** The workshops whose minutes the public may read (as server/public/routes.ts lists them). */
function publicWorkshops(processId: string) {
  return sql`select w2.id from workshops w2 where w2.process_id = ${processId}
    and w2.state = 'published' and w2.minutes_public and w2.minutes_published_at is not null
    and w2.minutes is not null`
}

/**
 * The consultations whose submissions the public page counts: published ones, except those
 * that publish comments only after their close and are still open (their report is not out).
 */
function countedConsultations(processId: string) {
  return sql`select c2.id from consultations c2 where c2.process_id = ${processId}
    and c2.published_at is not null and (c2.visibility <> 'after-close' or c2.closes_at <= now())`
}

/** The document and public-only filters on a workshop `w`. */
function workshopScope(f: CountFilters): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [sql`true`]
  if (f.documentId) {
    parts.push(sql`w.document_id in (${lineage(f.documentId)})`)
  }
  if (f.publicOnly) {
    parts.push(sql`w.id in (${publicWorkshops(f.processId)})`)
  }
  return sql.join(parts, sql` and `)
}

/** Whether workshop contributions and attendance are within the filters at all. */
function workshopsIncluded(f: CountFilters): boolean {
  return (f.origin === undefined || f.origin === 'workshop') && f.consultationId === undefined
}

/**
 * Comments in threads: members' threads and replies, replies in public and workshop threads.
 * The root of a public thread is counted through its submissions, and the root of a workshop
 * thread as the workshop contribution it was made from.
 */
export async function countComments(db: Executor, f: CountFilters): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select t.section_id, c.author_group as grp, ${orgOf('c.author_organisation')} as org,
      ${weekOf('c.created_at')} as week, ${stateOf('c', 'r')} as state, count(*)::int as n
    from comments c
    join threads t on t.id = c.thread_id
    join documents d on d.id = t.document_id
    join comments r on r.thread_id = t.id and r.is_root
    where ${threadScope(f)} and d.deleted_at is null
      and not (c.is_root and (t.consultation_id is not null or t.workshop_id is not null))
      and ${period('c.created_at', f)}
    group by 1, 2, 3, 4, 5`.execute(db)
  return rows
}

/** Accepted public submissions, each under the group its own author declared. */
export async function countSubmissions(db: Executor, f: CountFilters): Promise<CountRow[]> {
  if (f.origin !== undefined && f.origin !== 'public') {
    return []
  }
  const { rows } = await sql<CountRow>`
    select t.section_id, s.stakeholder_group as grp, ${orgOf('s.organisation')} as org,
      ${weekOf('s.created_at')} as week, ${stateOf('r', 'r')} as state, count(*)::int as n
    from consultation_submissions s
    join threads t on t.id = s.thread_id
    join documents d on d.id = t.document_id
    join comments r on r.thread_id = t.id and r.is_root
    where ${threadScope(f)} and d.deleted_at is null and s.status = 'accepted'
      and ${period('s.created_at', f)}
    group by 1, 2, 3, 4, 5`.execute(db)
  return rows
}

/** Endorsements of threads whose root comment is published. */
export async function countEndorsements(db: Executor, f: CountFilters): Promise<CountRow[]> {
  const { rows } = await sql<CountRow>`
    select t.section_id, e.stakeholder_group as grp, ${orgOf('e.organisation')} as org,
      ${weekOf('e.created_at')} as week, 'published' as state, count(*)::int as n
    from endorsements e
    join threads t on t.id = e.thread_id
    join documents d on d.id = t.document_id
    join comments r on r.thread_id = t.id and r.is_root
    where ${threadScope(f)} and d.deleted_at is null
      and r.hidden_at is null and not r.pending and r.withdrawn_at is null
      and ${period('e.created_at', f)}
    group by 1, 2, 3, 4`.execute(db)
  return rows
}

/** Workshop contributions, on their own section or their agenda item's. */
export async function countContributions(db: Executor, f: CountFilters): Promise<CountRow[]> {
  if (!workshopsIncluded(f)) {
    return []
  }
  const { rows } = await sql<CountRow>`
    select coalesce(wc.section_id, a.section_id) as section_id, wc.author_group as grp,
      ${orgOf('wc.author_organisation')} as org, ${weekOf('wc.created_at')} as week,
      case when r.pending then 'pending' when r.hidden_at is not null then 'hidden'
        when r.withdrawn_at is not null then 'withdrawn' else 'published' end as state,
      count(*)::int as n
    from workshop_contributions wc
    join workshops w on w.id = wc.workshop_id
    left join workshop_agenda_items a on a.id = wc.agenda_item_id
    left join comments r on r.thread_id = wc.thread_id and r.is_root
    where w.process_id = ${f.processId} and ${workshopScope(f)}
      and ${period('wc.created_at', f)}
    group by 1, 2, 3, 4, 5`.execute(db)
  return rows
}

/** People checked in at workshops, per workshop. */
export async function countAttendance(db: Executor, f: CountFilters): Promise<AttendanceRow[]> {
  if (!workshopsIncluded(f)) {
    return []
  }
  const { rows } = await sql<AttendanceRow>`
    select wa.workshop_id, wa.stakeholder_group as grp, ${orgOf('wa.organisation')} as org,
      ${weekOf('wa.checked_in_at')} as week, count(*)::int as n
    from workshop_attendees wa
    join workshops w on w.id = wa.workshop_id
    where w.process_id = ${f.processId} and ${workshopScope(f)}
      and ${period('wa.checked_in_at', f)}
    group by 1, 2, 3, 4`.execute(db)
  return rows
}

/** The sections on each workshop's agenda. */
export function listAgendaSections(db: Executor, processId: string) {
  return db
    .selectFrom('workshop_agenda_items as a')
    .innerJoin('workshops as w', 'w.id', 'a.workshop_id')
    .select(['a.workshop_id', 'a.section_id', 'a.title'])
    .where('w.process_id', '=', processId)
    .where('a.section_id', 'is not', null)
    .execute()
}

/** The newest title each section had when a thread was opened on it. */
export async function listThreadSectionTitles(db: Executor, processId: string) {
  const { rows } = await sql<{ section_id: string; section_title: string }>`
    select distinct on (section_id) section_id, section_title from threads
    where process_id = ${processId}
    order by section_id, created_at desc`.execute(db)
  return rows
}

/** The live documents of a process that no other live document continues, oldest first. */
export function listLeafDocuments(db: Executor, processId: string) {
  return db
    .selectFrom('documents as d')
    .select(['d.id', 'd.title'])
    .where('d.process_id', '=', processId)
    .where('d.deleted_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('documents as next')
            .select('next.id')
            .whereRef('next.predecessor_id', '=', 'd.id')
            .where('next.deleted_at', 'is', null),
        ),
      ),
    )
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute()
}

/** The process's stakeholder groups in their order. */
export function listGroups(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups')
    .select(['key', 'label'])
    .where('process_id', '=', processId)
    .orderBy('position')
    .orderBy('key')
    .execute()
}

export function findConsultationOf(db: Executor, processId: string, consultationId: string) {
  return db
    .selectFrom('consultations')
    .select('id')
    .where('id', '=', consultationId)
    .where('process_id', '=', processId)
    .executeTakeFirst()
}

/**
 * Organisations that agreed to be named, with how: attendees of workshops with public minutes
 * who consent now (consent is read as it stands, so withdrawing it removes the name), and
 * public submitters whose consent covered publishing their organisation with a comment the
 * public can read (a consultation that publishes comments, once they are published, and a
 * thread nobody hid, withdrew or still holds for moderation).
 */
export async function listNamedOrganisations(db: Executor, processId: string) {
  const { rows } = await sql<{ organisation: string; way: 'workshop' | 'public' }>`
    select distinct btrim(wa.organisation) as organisation, 'workshop' as way
    from workshop_attendees wa
    where wa.consent_public and btrim(wa.organisation) <> ''
      and wa.workshop_id in (${publicWorkshops(processId)})
    union
    select distinct btrim(s.organisation) as organisation, 'public' as way
    from consultation_submissions s
    join consultations c on c.id = s.consultation_id
    join threads t on t.id = s.thread_id
    join comments r on r.thread_id = t.id and r.is_root
    where c.process_id = ${processId} and c.published_at is not null
      and (c.visibility = 'immediately' or (c.visibility = 'after-close' and c.closes_at <= now()))
      and s.status = 'accepted' and s.consent and btrim(s.organisation) <> ''
      and r.hidden_at is null and not r.pending and r.withdrawn_at is null`.execute(db)
  return rows
}

/** The workshops whose minutes are public, with attendance by group. */
export async function listPublicWorkshopAttendance(db: Executor, processId: string) {
  const { rows } = await sql<{
    id: string
    title: string
    starts_at: Date | string
    time_zone: string
    grp: string | null
    n: number
  }>`
    select w.id, w.title, w.starts_at, w.time_zone, wa.stakeholder_group as grp,
      count(wa.id)::int as n
    from workshops w
    left join workshop_attendees wa on wa.workshop_id = w.id
    where w.id in (${publicWorkshops(processId)})
    group by w.id, w.title, w.starts_at, w.time_zone, wa.stakeholder_group
    order by w.starts_at, w.id`.execute(db)
  return rows
}

/** The published consultations of a process, oldest first, and every change to their window. */
export async function listPublishedConsultations(db: Executor, processId: string) {
  const consultations = await db
    .selectFrom('consultations')
    .selectAll()
    .where('process_id', '=', processId)
    .where('published_at', 'is not', null)
    .orderBy('opens_at')
    .orderBy('id')
    .execute()
  const changes =
    consultations.length === 0
      ? []
      : await db
          .selectFrom('consultation_changes')
          .select([
            'consultation_id',
            'kind',
            'closes_before',
            'closes_after',
            'reason',
            'created_at',
          ])
          .where(
            'consultation_id',
            'in',
            consultations.map((c) => c.id),
          )
          .orderBy('created_at')
          .orderBy('id')
          .execute()
  return { consultations, changes }
}

export function findDocumentOf(db: Executor, processId: string, documentId: string) {
  return db
    .selectFrom('documents')
    .select('id')
    .where('id', '=', documentId)
    .where('process_id', '=', processId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}
