import { sql, type Insertable, type Updateable } from 'kysely'
import type {
  Executor,
  WorkshopAgendaItemsTable,
  WorkshopAttendeesTable,
  WorkshopContributionsTable,
  WorkshopRegistrationsTable,
  WorkshopsTable,
} from '../db/database'

export function findWorkshop(db: Executor, workshopId: string) {
  return db.selectFrom('workshops').selectAll().where('id', '=', workshopId).executeTakeFirst()
}

/** The workshop's row, locked until the transaction ends: facilitator actions take turns on it. */
export function lockWorkshop(trx: Executor, workshopId: string) {
  return trx
    .selectFrom('workshops')
    .selectAll()
    .where('id', '=', workshopId)
    .forUpdate()
    .executeTakeFirst()
}

export function listWorkshops(db: Executor, processId: string, withDrafts: boolean) {
  let q = db.selectFrom('workshops').selectAll().where('process_id', '=', processId)
  if (!withDrafts) {
    q = q.where('state', '!=', 'draft')
  }
  return q.orderBy('starts_at', 'desc').orderBy('created_at', 'desc').execute()
}

export function insertWorkshop(trx: Executor, values: Insertable<WorkshopsTable>) {
  return trx.insertInto('workshops').values(values).returningAll().executeTakeFirstOrThrow()
}

export function updateWorkshop(
  trx: Executor,
  workshopId: string,
  values: Updateable<WorkshopsTable>,
) {
  return trx
    .updateTable('workshops')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', workshopId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function listAgenda(db: Executor, workshopIds: string[]) {
  if (workshopIds.length === 0) {
    return Promise.resolve([])
  }
  return db
    .selectFrom('workshop_agenda_items')
    .selectAll()
    .where('workshop_id', 'in', workshopIds)
    .orderBy('workshop_id')
    .orderBy('position')
    .execute()
}

export async function replaceAgenda(
  trx: Executor,
  workshopId: string,
  items: Omit<Insertable<WorkshopAgendaItemsTable>, 'workshop_id' | 'position'>[],
) {
  await trx.deleteFrom('workshop_agenda_items').where('workshop_id', '=', workshopId).execute()
  if (items.length > 0) {
    await trx
      .insertInto('workshop_agenda_items')
      .values(items.map((item, position) => ({ ...item, workshop_id: workshopId, position })))
      .execute()
  }
}

export function updateAgendaItem(
  trx: Executor,
  itemId: string,
  values: Updateable<WorkshopAgendaItemsTable>,
) {
  return trx.updateTable('workshop_agenda_items').set(values).where('id', '=', itemId).execute()
}

export async function countRegistrations(db: Executor, workshopIds: string[]) {
  const counts = new Map<string, number>()
  if (workshopIds.length === 0) {
    return counts
  }
  const rows = await db
    .selectFrom('workshop_registrations')
    .select(['workshop_id', sql<number>`count(*)::int`.as('n')])
    .where('workshop_id', 'in', workshopIds)
    .groupBy('workshop_id')
    .execute()
  for (const row of rows) {
    counts.set(row.workshop_id, Number(row.n))
  }
  return counts
}

export function listRegistrations(db: Executor, workshopId: string) {
  return db
    .selectFrom('workshop_registrations as r')
    .selectAll('r')
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('workshop_attendees as a')
            .select('a.id')
            .whereRef('a.registration_id', '=', 'r.id'),
        )
        .as('checked_in'),
    )
    .where('r.workshop_id', '=', workshopId)
    .orderBy('r.created_at')
    .execute()
}

export function findRegistration(db: Executor, workshopId: string, registrationId: string) {
  return db
    .selectFrom('workshop_registrations')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('id', '=', registrationId)
    .executeTakeFirst()
}

export function findRegistrationByUser(db: Executor, workshopId: string, userId: string) {
  return db
    .selectFrom('workshop_registrations')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export function findRegistrationByCode(db: Executor, workshopId: string, code: string) {
  return db
    .selectFrom('workshop_registrations')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('code', '=', code)
    .executeTakeFirst()
}

export function insertRegistration(trx: Executor, values: Insertable<WorkshopRegistrationsTable>) {
  return trx
    .insertInto('workshop_registrations')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function codeTaken(db: Executor, workshopId: string, code: string) {
  return (await findRegistrationByCode(db, workshopId, code)) !== undefined
}

export function countCheckInFailures(db: Executor, address: string, since: Date) {
  return db
    .selectFrom('workshop_checkin_failures')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('address', '=', address)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.n))
}

export function insertCheckInFailure(db: Executor, workshopId: string, address: string) {
  return db
    .insertInto('workshop_checkin_failures')
    .values({ workshop_id: workshopId, address })
    .execute()
}

export function listAttendees(db: Executor, workshopId: string) {
  return db
    .selectFrom('workshop_attendees')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .orderBy('checked_in_at')
    .execute()
}

export function findAttendee(db: Executor, workshopId: string, attendeeId: string) {
  return db
    .selectFrom('workshop_attendees')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('id', '=', attendeeId)
    .executeTakeFirst()
}

export function findAttendeeByUser(db: Executor, workshopId: string, userId: string) {
  return db
    .selectFrom('workshop_attendees')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export function findAttendeeByRegistration(
  db: Executor,
  workshopId: string,
  registrationId: string,
) {
  return db
    .selectFrom('workshop_attendees')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('registration_id', '=', registrationId)
    .executeTakeFirst()
}

export function insertAttendee(trx: Executor, values: Insertable<WorkshopAttendeesTable>) {
  return trx
    .insertInto('workshop_attendees')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The raised hands still waiting, in the facilitator's order. */
export function listQueue(db: Executor, workshopId: string) {
  return db
    .selectFrom('workshop_queue as q')
    .innerJoin('workshop_attendees as a', 'a.id', 'q.attendee_id')
    .select(['q.id', 'q.attendee_id', 'q.position', 'q.raised_at', 'a.name', 'a.stakeholder_group'])
    .where('q.workshop_id', '=', workshopId)
    .where('q.called_at', 'is', null)
    .where('q.removed_at', 'is', null)
    .orderBy('q.position')
    .orderBy('q.raised_at')
    .execute()
}

/** How often each group has been called to speak in a workshop. */
export async function spokenByGroup(db: Executor, workshopId: string) {
  const rows = await db
    .selectFrom('workshop_queue as q')
    .innerJoin('workshop_attendees as a', 'a.id', 'q.attendee_id')
    .select(['a.stakeholder_group', sql<number>`count(*)::int`.as('n')])
    .where('q.workshop_id', '=', workshopId)
    .where('q.called_at', 'is not', null)
    .groupBy('a.stakeholder_group')
    .execute()
  return new Map(rows.map((row) => [row.stakeholder_group, Number(row.n)]))
}

export function findQueueEntry(db: Executor, workshopId: string, entryId: string) {
  return db
    .selectFrom('workshop_queue')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('id', '=', entryId)
    .executeTakeFirst()
}

export async function nextQueuePosition(trx: Executor, workshopId: string) {
  const row = await trx
    .selectFrom('workshop_queue')
    .select(sql<number>`coalesce(max(position), 0) + 1`.as('next'))
    .where('workshop_id', '=', workshopId)
    .executeTakeFirstOrThrow()
  return Number(row.next)
}

export function listContributions(db: Executor, workshopId: string) {
  return db
    .selectFrom('workshop_contributions')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The root comments of the threads recorded in a workshop: whether each is hidden or withdrawn. */
export function listContributionRoots(db: Executor, workshopId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('workshop_contributions as wc', 'wc.thread_id', 'c.thread_id')
    .select(['c.thread_id', 'c.hidden_at', 'c.withdrawn_at'])
    .where('wc.workshop_id', '=', workshopId)
    .where('c.is_root', '=', true)
    .execute()
}

export function findContribution(db: Executor, workshopId: string, contributionId: string) {
  return db
    .selectFrom('workshop_contributions')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('id', '=', contributionId)
    .executeTakeFirst()
}

export function insertContribution(trx: Executor, values: Insertable<WorkshopContributionsTable>) {
  return trx
    .insertInto('workshop_contributions')
    .values(values)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The action items of a process's workshops that are not done, oldest due first. */
export function listOpenActionItems(db: Executor, processId: string, includeDrafts: boolean) {
  let q = db
    .selectFrom('workshop_contributions as c')
    .innerJoin('workshops as w', 'w.id', 'c.workshop_id')
    .selectAll('c')
    .select('w.title as workshop_title')
    .where('w.process_id', '=', processId)
    .where('c.kind', '=', 'action')
    .where('c.status', '!=', 'done')
  if (!includeDrafts) {
    q = q.where('w.state', '!=', 'draft')
  }
  return q.orderBy('c.due_date').orderBy('c.created_at').execute()
}

export function listPolls(db: Executor, workshopId: string) {
  return db
    .selectFrom('workshop_polls')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .orderBy('created_at')
    .execute()
}

export function findPoll(db: Executor, workshopId: string, pollId: string) {
  return db
    .selectFrom('workshop_polls')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .where('id', '=', pollId)
    .executeTakeFirst()
}

export function listVotes(db: Executor, pollIds: string[]) {
  if (pollIds.length === 0) {
    return Promise.resolve([])
  }
  return db.selectFrom('workshop_votes').selectAll().where('poll_id', 'in', pollIds).execute()
}

export function listProcessGroups(db: Executor, processId: string) {
  return db
    .selectFrom('stakeholder_groups')
    .select('key')
    .where('process_id', '=', processId)
    .orderBy('position')
    .execute()
    .then((rows) => rows.map((row) => row.key))
}

export function listMembersOfGroup(db: Executor, processId: string, group: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.organisation', 'm.stakeholder_group', 'u.name', 'u.email'])
    .where('m.process_id', '=', processId)
    .where('m.stakeholder_group', '=', group)
    .orderBy('u.name')
    .execute()
}

export function findMemberUser(db: Executor, processId: string, userId: string) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'm.organisation', 'm.stakeholder_group', 'm.role', 'u.name', 'u.email'])
    .where('m.process_id', '=', processId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst()
}
