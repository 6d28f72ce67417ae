import { randomInt } from 'node:crypto'
import {
  CHECK_IN_ALPHABET,
  normaliseCode,
  THREAD_CONTRIBUTIONS,
  WORKSHOP_LIMITS,
  type ActionItem,
  type ActionStatus,
  type AgendaItemInput,
  type Attendance,
  type Contribution,
  type ContributionBody,
  type ControlBody,
  type CreatePollBody,
  type CreateWorkshopBody,
  type LiveState,
  type Poll,
  type RegisterBody,
  type Registration,
  type UpdateWorkshopBody,
  type Workshop,
} from '../../shared/api/workshops'
import { can, type Action } from '../../shared/domain/permissions'
import type { Ctx, Origin } from '../context'
import type { Actor } from '../auth/actor'
import { authorize, type MembershipContext } from '../auth/guard'
import type { AttendeeRow, Executor, Trx, WorkshopRow } from '../db/database'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors'
import { announceThread, insertThreadWithRoot, readAnchoredPassage } from '../comments/service'
import { currentContent, currentSections } from '../documents/service'
import { findSections } from '../../shared/schema'
import { isTimeZone } from '../consultation/service'
import * as queries from './queries'
import {
  toAgendaItem,
  toAttendee,
  toContribution,
  toPoll,
  toRegistration,
  toWorkshop,
} from './present'
import { draftMinutes } from './minutes'

/** A workshop the caller may act on, and their membership in its process. */
export interface WorkshopAccess {
  workshop: WorkshopRow
  membership: MembershipContext
}

/** Whether a member runs workshops (the secretariat and facilitators). */
export function managesWorkshops(membership: MembershipContext): boolean {
  return can(membership.role, 'workshops.manage')
}

/**
 * Decides whether `actor` may do `action` on a workshop: an unknown one, one of a process the
 * actor is not a member of, and a draft seen by someone who does not run workshops are the
 * same 404; a role without the action is 403.
 */
export async function authorizeWorkshop(
  db: Executor,
  actor: Actor,
  workshopId: string,
  action: Action,
): Promise<WorkshopAccess> {
  const workshop = await queries.findWorkshop(db, workshopId)
  if (!workshop) {
    throw notFound('Workshop')
  }
  let membership: MembershipContext
  try {
    membership = await authorize(db, actor, workshop.process_id, action)
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) {
      throw notFound('Workshop')
    }
    // A draft stays private even to a member whose role lacks the action.
    if (error instanceof AppError && error.statusCode === 403 && workshop.state === 'draft') {
      throw notFound('Workshop')
    }
    throw error
  }
  if (workshop.state === 'draft' && !managesWorkshops(membership)) {
    throw notFound('Workshop')
  }
  return { workshop, membership }
}

/** Tells every open page of the process that a workshop changed; they fetch it again. */
export function announceWorkshop(ctx: Ctx, workshop: { id: string; process_id: string }): void {
  ctx.events.emit('workshop.changed', { processId: workshop.process_id, workshopId: workshop.id })
}

async function present(db: Executor, rows: WorkshopRow[]): Promise<Workshop[]> {
  const ids = rows.map((row) => row.id)
  const [agenda, counts] = await Promise.all([
    queries.listAgenda(db, ids),
    queries.countRegistrations(db, ids),
  ])
  return rows.map((row) =>
    toWorkshop(
      row,
      agenda.filter((item) => item.workshop_id === row.id),
      counts.get(row.id) ?? 0,
    ),
  )
}

async function presentOne(db: Executor, workshopId: string): Promise<Workshop> {
  const row = await queries.findWorkshop(db, workshopId)
  if (!row) {
    throw notFound('Workshop')
  }
  return (await present(db, [row]))[0]!
}

/** A process's workshops, latest first; drafts only for those who run workshops. */
export async function listWorkshops(ctx: Ctx, membership: MembershipContext): Promise<Workshop[]> {
  const rows = await queries.listWorkshops(
    ctx.db,
    membership.processId,
    managesWorkshops(membership),
  )
  return present(ctx.db, rows)
}

export function getWorkshop(ctx: Ctx, access: WorkshopAccess): Promise<Workshop> {
  return presentOne(ctx.db, access.workshop.id)
}

function fieldErrors(problems: { field: string; message: string }[]): AppError {
  return badRequest(
    problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems.map((p) => ({ path: `body/${p.field}`, message: p.message })),
  )
}

interface Settings {
  startsAt: Date
  endsAt: Date
  timeZone: string
  documentId: string | null
  agenda: AgendaItemInput[] | undefined
}

// The rules the schema cannot say: a real time zone, a sane window, a live document of the
// process, and agenda sections that are in it. Returns the agenda rows to store.
async function checkSettings(ctx: Ctx, processId: string, settings: Settings) {
  const problems: { field: string; message: string }[] = []
  if (!isTimeZone(settings.timeZone)) {
    problems.push({ field: 'timeZone', message: 'Unknown time zone' })
  }
  const span = settings.endsAt.getTime() - settings.startsAt.getTime()
  if (!(span > 0)) {
    problems.push({ field: 'endsAt', message: 'The workshop must end after it starts' })
  } else if (span > WORKSHOP_LIMITS.durationDaysMax * 86_400_000) {
    problems.push({
      field: 'endsAt',
      message: `A workshop lasts at most ${WORKSHOP_LIMITS.durationDaysMax} days`,
    })
  }
  let sections: { id: string | null; title: string }[] = []
  if (settings.documentId !== null) {
    const document = await ctx.db
      .selectFrom('documents')
      .select(['id', 'process_id'])
      .where('id', '=', settings.documentId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    if (!document || document.process_id !== processId) {
      problems.push({ field: 'documentId', message: 'No such document in this process' })
    } else {
      sections = await currentSections(ctx.db, document.id)
    }
  }
  const agenda = (settings.agenda ?? []).map((item, index) => {
    if ((item.sectionId === undefined) === (item.topic === undefined)) {
      problems.push({ field: `agenda/${index}`, message: 'Give either a sectionId or a topic' })
      return undefined
    }
    let title = item.topic?.trim() ?? ''
    if (item.sectionId !== undefined) {
      const section = sections.find((s) => s.id === item.sectionId)
      if (!section) {
        problems.push({
          field: `agenda/${index}/sectionId`,
          message: 'That section is not in the workshop’s document',
        })
        return undefined
      }
      title = section.title
    }
    return {
      section_id: item.sectionId ?? null,
      topic: item.topic?.trim() ?? null,
      title,
      minutes: item.minutes,
      lead: item.lead?.trim() ?? '',
    }
  })
  if (problems.length > 0) {
    throw fieldErrors(problems)
  }
  return agenda.filter((item) => item !== undefined)
}

/** Creates a draft workshop with its agenda, audited as `workshop.create`. */
export async function createWorkshop(
  ctx: Ctx,
  membership: MembershipContext,
  body: CreateWorkshopBody,
  origin: Origin,
): Promise<Workshop> {
  const documentId = body.documentId ?? null
  const agenda = await checkSettings(ctx, membership.processId, {
    startsAt: new Date(body.startsAt),
    endsAt: new Date(body.endsAt),
    timeZone: body.timeZone,
    documentId,
    agenda: body.agenda,
  })
  const id = await inTransaction(ctx.db, async (trx) => {
    const row = await queries.insertWorkshop(trx, {
      process_id: membership.processId,
      document_id: documentId,
      title: body.title.trim(),
      purpose: body.purpose?.trim() ?? '',
      starts_at: body.startsAt,
      ends_at: body.endsAt,
      time_zone: body.timeZone,
      format: body.format,
      place: body.place?.trim() ?? '',
      meeting_url: body.meetingUrl ?? '',
      languages: JSON.stringify(body.languages),
      capacity: body.capacity ?? null,
      group_threshold: body.groupThreshold ?? 1,
      created_by: origin.userId,
      created_by_name: origin.name,
    })
    await queries.replaceAgenda(trx, row.id, agenda)
    await recordAudit(trx, origin, {
      processId: membership.processId,
      action: 'workshop.create',
      targetType: 'workshop',
      targetId: row.id,
      details: { title: row.title },
    })
    return row.id
  })
  const workshop = await presentOne(ctx.db, id)
  announceWorkshop(ctx, { id, process_id: membership.processId })
  return workshop
}

const EDITABLE = new Set(['draft', 'scheduled'])

/**
 * Changes a draft or scheduled workshop; a given `agenda` replaces the agenda (which is how
 * it is reordered). Audited as `workshop.update` with the names of the changed fields.
 */
export async function updateWorkshop(
  ctx: Ctx,
  access: WorkshopAccess,
  body: UpdateWorkshopBody,
  origin: Origin,
): Promise<Workshop> {
  const current = access.workshop
  if (!EDITABLE.has(current.state)) {
    throw conflict(`A ${current.state} workshop cannot be edited`)
  }
  const documentId = body.documentId !== undefined ? body.documentId : current.document_id
  const agenda = await checkSettings(ctx, current.process_id, {
    startsAt: new Date(body.startsAt ?? current.starts_at),
    endsAt: new Date(body.endsAt ?? current.ends_at),
    timeZone: body.timeZone ?? current.time_zone,
    documentId,
    agenda: body.agenda,
  })
  if (body.documentId !== undefined && body.documentId !== current.document_id && !body.agenda) {
    const items = await queries.listAgenda(ctx.db, [current.id])
    if (items.some((item) => item.section_id !== null)) {
      throw fieldErrors([
        { field: 'agenda', message: 'Give a new agenda when the document changes' },
      ])
    }
  }
  await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockWorkshop(trx, current.id)
    if (!locked || !EDITABLE.has(locked.state)) {
      throw conflict('The workshop changed meanwhile; reload it')
    }
    if (body.capacity !== undefined && body.capacity !== null) {
      const registered = (await queries.countRegistrations(trx, [current.id])).get(current.id) ?? 0
      if (body.capacity < registered) {
        throw fieldErrors([
          { field: 'capacity', message: `${registered} people are registered already` },
        ])
      }
    }
    await queries.updateWorkshop(trx, current.id, {
      ...(body.title !== undefined ? { title: body.title.trim() } : {}),
      ...(body.purpose !== undefined ? { purpose: body.purpose.trim() } : {}),
      ...(body.startsAt !== undefined ? { starts_at: body.startsAt } : {}),
      ...(body.endsAt !== undefined ? { ends_at: body.endsAt } : {}),
      ...(body.timeZone !== undefined ? { time_zone: body.timeZone } : {}),
      ...(body.format !== undefined ? { format: body.format } : {}),
      ...(body.place !== undefined ? { place: body.place.trim() } : {}),
      ...(body.meetingUrl !== undefined ? { meeting_url: body.meetingUrl } : {}),
      ...(body.languages !== undefined ? { languages: JSON.stringify(body.languages) } : {}),
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      ...(body.documentId !== undefined ? { document_id: body.documentId } : {}),
      ...(body.groupThreshold !== undefined ? { group_threshold: body.groupThreshold } : {}),
    })
    if (body.agenda) {
      await queries.replaceAgenda(trx, current.id, agenda)
    }
    await recordAudit(trx, origin, {
      processId: current.process_id,
      action: 'workshop.update',
      targetType: 'workshop',
      targetId: current.id,
      details: { title: body.title ?? current.title, fields: Object.keys(body).sort() },
    })
  })
  announceWorkshop(ctx, current)
  return presentOne(ctx.db, current.id)
}

// Moves a workshop from one of `from` to a new state under its row lock, audited.
async function transition(
  ctx: Ctx,
  access: WorkshopAccess,
  from: readonly string[],
  change: (trx: Trx, row: WorkshopRow) => Promise<void>,
  audit: { action: string; details?: Record<string, unknown> },
  origin: Origin,
): Promise<Workshop> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await queries.lockWorkshop(trx, access.workshop.id)
    if (!row || !from.includes(row.state)) {
      throw new AppError(
        409,
        'conflict',
        `This cannot be done to a ${row?.state ?? 'missing'} workshop`,
        {
          state: row?.state,
        },
      )
    }
    await change(trx, row)
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: audit.action,
      targetType: 'workshop',
      targetId: row.id,
      details: { title: row.title, ...audit.details },
    })
  })
  announceWorkshop(ctx, access.workshop)
  return presentOne(ctx.db, access.workshop.id)
}

/** Makes a draft visible to members, who may then register. Audited as `workshop.schedule`. */
export function scheduleWorkshop(ctx: Ctx, access: WorkshopAccess, origin: Origin) {
  return transition(
    ctx,
    access,
    ['draft'],
    async (trx, row) => {
      await queries.updateWorkshop(trx, row.id, { state: 'scheduled', revision: row.revision + 1 })
    },
    { action: 'workshop.schedule' },
    origin,
  )
}

/** Cancels a workshop that has not started, with a reason. Audited as `workshop.cancel`. */
export function cancelWorkshop(ctx: Ctx, access: WorkshopAccess, reason: string, origin: Origin) {
  return transition(
    ctx,
    access,
    ['draft', 'scheduled'],
    async (trx, row) => {
      await queries.updateWorkshop(trx, row.id, {
        state: 'cancelled',
        cancelled_at: new Date(),
        cancel_reason: reason.trim(),
        revision: row.revision + 1,
      })
    },
    { action: 'workshop.cancel', details: { reason: reason.trim() } },
    origin,
  )
}

/**
 * Copies a workshop's settings and agenda into a new draft (no registrations, no record), for
 * the next session of a series. Audited as `workshop.duplicate`.
 */
export async function duplicateWorkshop(
  ctx: Ctx,
  access: WorkshopAccess,
  origin: Origin,
): Promise<Workshop> {
  const source = access.workshop
  const agenda = await queries.listAgenda(ctx.db, [source.id])
  const id = await inTransaction(ctx.db, async (trx) => {
    const row = await queries.insertWorkshop(trx, {
      process_id: source.process_id,
      document_id: source.document_id,
      title: source.title,
      purpose: source.purpose,
      starts_at: source.starts_at,
      ends_at: source.ends_at,
      time_zone: source.time_zone,
      format: source.format,
      place: source.place,
      meeting_url: source.meeting_url,
      languages: JSON.stringify(source.languages),
      capacity: source.capacity,
      group_threshold: source.group_threshold,
      created_by: origin.userId,
      created_by_name: origin.name,
    })
    await queries.replaceAgenda(
      trx,
      row.id,
      agenda.map((item) => ({
        section_id: item.section_id,
        topic: item.topic,
        title: item.title,
        minutes: item.minutes,
        lead: item.lead,
      })),
    )
    await recordAudit(trx, origin, {
      processId: source.process_id,
      action: 'workshop.duplicate',
      targetType: 'workshop',
      targetId: row.id,
      details: { title: row.title, from: source.id },
    })
    return row.id
  })
  announceWorkshop(ctx, source)
  return presentOne(ctx.db, id)
}

// ---------------------------------------------------------------------------------------------
// Registration and attendance (issue 13, items 2 and 3)

const OPEN_FOR_REGISTRATION = new Set(['scheduled', 'running'])

/** A fresh check-in code, unique in the workshop; called under the workshop's row lock. */
async function newCode(trx: Executor, workshopId: string): Promise<string> {
  for (;;) {
    let code = ''
    for (let i = 0; i < WORKSHOP_LIMITS.codeLength; i++) {
      code += CHECK_IN_ALPHABET[randomInt(CHECK_IN_ALPHABET.length)]
    }
    if (!(await queries.codeTaken(trx, workshopId, code))) {
      return code
    }
  }
}

interface NewRegistration {
  userId: string | null
  name: string
  email: string | null
  organisation: string
  stakeholderGroup: string
  consentPublic: boolean
}

// Registers people under the workshop's row lock, so parallel registrations count exactly:
// the capacity is checked against what is committed, and all of them fit or none is written.
async function registerPeople(
  trx: Trx,
  workshopId: string,
  people: NewRegistration[],
): Promise<{ created: string[]; existing: number }> {
  const workshop = await queries.lockWorkshop(trx, workshopId)
  if (!workshop || !OPEN_FOR_REGISTRATION.has(workshop.state)) {
    throw conflict('Registration is open only while a workshop is scheduled or running')
  }
  const fresh: NewRegistration[] = []
  let existing = 0
  for (const person of people) {
    if (person.userId && (await queries.findRegistrationByUser(trx, workshopId, person.userId))) {
      existing++
    } else {
      fresh.push(person)
    }
  }
  const registered = (await queries.countRegistrations(trx, [workshopId])).get(workshopId) ?? 0
  if (workshop.capacity !== null && registered + fresh.length > workshop.capacity) {
    throw new AppError(409, 'conflict', 'The workshop is full', {
      capacity: workshop.capacity,
      registered,
    })
  }
  const created: string[] = []
  for (const person of fresh) {
    const row = await queries.insertRegistration(trx, {
      workshop_id: workshopId,
      user_id: person.userId,
      name: person.name,
      email: person.email,
      organisation: person.organisation,
      stakeholder_group: person.stakeholderGroup,
      consent_public: person.consentPublic,
      code: await newCode(trx, workshopId),
    })
    created.push(row.id)
  }
  return { created, existing }
}

async function presentRegistration(
  db: Executor,
  workshopId: string,
  id: string,
): Promise<Registration> {
  const rows = await queries.listRegistrations(db, workshopId)
  const row = rows.find((r) => r.id === id)
  if (!row) {
    throw notFound('Registration')
  }
  return toRegistration(row)
}

/**
 * Registers someone: oneself (a member with `workshops.attend`), another member (`userId`),
 * or a person without an account (`name`, `stakeholderGroup`); the last two are for those who
 * run workshops. Each gets a check-in code, sent by e-mail when there is an address.
 * Audited as `workshop.register`.
 */
export async function register(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  body: RegisterBody,
  origin: Origin,
): Promise<Registration> {
  const { workshop, membership } = access
  const manager = managesWorkshops(membership)
  let person: NewRegistration
  if (body.name !== undefined) {
    if (!manager) {
      throw forbidden('Only facilitators register people without an account')
    }
    if (body.userId !== undefined || body.stakeholderGroup === undefined) {
      throw fieldErrors([
        { field: 'stakeholderGroup', message: 'is required for a person without an account' },
      ])
    }
    const groups = await queries.listProcessGroups(ctx.db, workshop.process_id)
    if (!groups.includes(body.stakeholderGroup)) {
      throw fieldErrors([{ field: 'stakeholderGroup', message: 'is not a group of this process' }])
    }
    person = {
      userId: null,
      name: body.name.trim(),
      email: body.email?.toLowerCase() ?? null,
      organisation: body.organisation?.trim() ?? '',
      stakeholderGroup: body.stakeholderGroup,
      consentPublic: body.consentPublic ?? false,
    }
  } else {
    if (
      body.stakeholderGroup !== undefined ||
      body.organisation !== undefined ||
      body.email !== undefined
    ) {
      throw fieldErrors([
        {
          field: 'name',
          message: 'a member’s group, organisation and address come from their membership',
        },
      ])
    }
    const userId = body.userId ?? actor.userId
    if (userId !== actor.userId && !manager) {
      throw forbidden('Only facilitators register other members')
    }
    const member = await queries.findMemberUser(ctx.db, workshop.process_id, userId)
    if (!member) {
      throw fieldErrors([{ field: 'userId', message: 'is not a member of this process' }])
    }
    person = {
      userId,
      name: member.name,
      email: member.email,
      organisation: member.organisation,
      stakeholderGroup: member.stakeholder_group,
      consentPublic: body.consentPublic ?? false,
    }
  }
  const id = await inTransaction(ctx.db, async (trx) => {
    const { created } = await registerPeople(trx, workshop.id, [person])
    if (created.length === 0) {
      throw conflict('Already registered')
    }
    await recordAudit(trx, origin, {
      processId: workshop.process_id,
      action: 'workshop.register',
      targetType: 'workshop',
      targetId: workshop.id,
      details: { title: workshop.title, name: person.name, member: person.userId !== null },
    })
    return created[0]!
  })
  const registration = await presentRegistration(ctx.db, workshop.id, id)
  if (registration.email) {
    await sendCode(ctx, workshop, registration)
  }
  announceWorkshop(ctx, workshop)
  return registration
}

async function sendCode(ctx: Ctx, workshop: WorkshopRow, registration: Registration) {
  try {
    await ctx.mailer.send({
      to: registration.email!,
      subject: `Your check-in code for ${workshop.title}`,
      text: `Hello ${registration.name},\n\nYou are registered for “${workshop.title}”.\nYour check-in code: ${registration.code}\n`,
    })
  } catch (error) {
    ctx.log.warn({ err: error, workshopId: workshop.id }, 'could not send a check-in code')
  }
}

/**
 * Registers every member of a stakeholder group who is not registered yet, all or none (the
 * capacity counts them together). Audited as `workshop.invite-group`.
 */
export async function inviteGroup(
  ctx: Ctx,
  access: WorkshopAccess,
  group: string,
  origin: Origin,
): Promise<{ registered: number; alreadyRegistered: number }> {
  const { workshop } = access
  const members = await queries.listMembersOfGroup(ctx.db, workshop.process_id, group)
  if (members.length === 0) {
    throw fieldErrors([{ field: 'group', message: 'has no members in this process' }])
  }
  const result = await inTransaction(ctx.db, async (trx) => {
    const { created, existing } = await registerPeople(
      trx,
      workshop.id,
      members.map((m) => ({
        userId: m.user_id,
        name: m.name,
        email: m.email,
        organisation: m.organisation,
        stakeholderGroup: m.stakeholder_group,
        consentPublic: false,
      })),
    )
    await recordAudit(trx, origin, {
      processId: workshop.process_id,
      action: 'workshop.invite-group',
      targetType: 'workshop',
      targetId: workshop.id,
      details: { title: workshop.title, group, registered: created.length },
    })
    return { registered: created.length, alreadyRegistered: existing }
  })
  announceWorkshop(ctx, workshop)
  return result
}

/** The registrations of a workshop with their codes (for those who run it). */
export async function listRegistrations(ctx: Ctx, access: WorkshopAccess): Promise<Registration[]> {
  const rows = await queries.listRegistrations(ctx.db, access.workshop.id)
  return rows.map(toRegistration)
}

const ATTENDABLE = new Set(['scheduled', 'running'])

// Checks a registration in, freezing its group and organisation now; a second check-in of the
// same registration returns the first.
async function checkInRegistration(
  ctx: Ctx,
  workshopId: string,
  registrationId: string,
): Promise<AttendeeRow> {
  return inTransaction(ctx.db, async (trx) => {
    const workshop = await queries.lockWorkshop(trx, workshopId)
    if (!workshop || !ATTENDABLE.has(workshop.state)) {
      throw conflict('Check-in is open only while a workshop is scheduled or running')
    }
    const existing = await queries.findAttendeeByRegistration(trx, workshopId, registrationId)
    if (existing) {
      return existing
    }
    const registration = await queries.findRegistration(trx, workshopId, registrationId)
    if (!registration) {
      throw notFound('Registration')
    }
    if (registration.user_id) {
      const joined = await queries.findAttendeeByUser(trx, workshopId, registration.user_id)
      if (joined) {
        return joined
      }
    }
    // A member's group and organisation are read from their membership at this moment.
    const member = registration.user_id
      ? await queries.findMemberUser(trx, workshop.process_id, registration.user_id)
      : undefined
    return queries.insertAttendee(trx, {
      workshop_id: workshopId,
      registration_id: registration.id,
      user_id: registration.user_id,
      name: member?.name ?? registration.name,
      organisation: member?.organisation ?? registration.organisation,
      stakeholder_group: member?.stakeholder_group ?? registration.stakeholder_group,
      consent_public: registration.consent_public,
      mode: 'in-person',
    })
  })
}

/**
 * Checks someone in with the code they were given, typed on a phone or at the door. A wrong
 * code, an unknown workshop and one that is not open for check-in all get the same 404, so the
 * answer never tells who is registered; wrong codes are counted per address in PostgreSQL and
 * refused with 429 past the limit, before the code is even looked at.
 */
export async function checkInWithCode(
  ctx: Ctx,
  workshopId: string,
  code: string,
  address: string,
): Promise<{ name: string; checkedInAt: string }> {
  const since = new Date(Date.now() - 10 * 60_000)
  if (
    (await queries.countCheckInFailures(ctx.db, address, since)) >=
    WORKSHOP_LIMITS.checkInFailuresPer10Minutes
  ) {
    throw new AppError(
      429,
      'rate_limited',
      'Too many wrong codes; wait a few minutes and try again',
    )
  }
  const workshop = await queries.findWorkshop(ctx.db, workshopId)
  const registration =
    workshop && ATTENDABLE.has(workshop.state)
      ? await queries.findRegistrationByCode(ctx.db, workshopId, normaliseCode(code))
      : undefined
  if (!workshop || !registration) {
    await queries.insertCheckInFailure(ctx.db, workshopId, address)
    throw notFound('Registration with this code')
  }
  const attendee = await checkInRegistration(ctx, workshopId, registration.id)
  announceWorkshop(ctx, workshop)
  return { name: attendee.name, checkedInAt: attendee.checked_in_at.toISOString() }
}

/** Checks a registered person in from the facilitator's list at the door. */
export async function checkInAtDoor(ctx: Ctx, access: WorkshopAccess, registrationId: string) {
  const attendee = await checkInRegistration(ctx, access.workshop.id, registrationId)
  announceWorkshop(ctx, access.workshop)
  return toAttendee(attendee)
}

/**
 * A member joins a running workshop (online, or in the room without a code): they become an
 * attendee with their group and organisation as they are now. Joining twice is one attendee.
 */
export async function join(ctx: Ctx, actor: Actor, access: WorkshopAccess) {
  const { workshop, membership } = access
  const attendee = await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockWorkshop(trx, workshop.id)
    if (!locked || locked.state !== 'running') {
      throw conflict('One joins a workshop while it runs')
    }
    const existing = await queries.findAttendeeByUser(trx, workshop.id, actor.userId)
    if (existing) {
      return existing
    }
    const registration = await queries.findRegistrationByUser(trx, workshop.id, actor.userId)
    if (
      registration &&
      (await queries.findAttendeeByRegistration(trx, workshop.id, registration.id))
    ) {
      return (await queries.findAttendeeByRegistration(trx, workshop.id, registration.id))!
    }
    return queries.insertAttendee(trx, {
      workshop_id: workshop.id,
      registration_id: registration?.id ?? null,
      user_id: actor.userId,
      name: actor.name,
      organisation: membership.organisation,
      stakeholder_group: membership.stakeholderGroup,
      consent_public: registration?.consent_public ?? false,
      mode: 'online',
    })
  })
  announceWorkshop(ctx, workshop)
  return toAttendee(attendee)
}

/**
 * Attendance by group and organisation, with a flag on every group of the process that is
 * absent or below the workshop's threshold. Names are for those who run the workshop.
 */
export async function attendanceOf(
  db: Executor,
  workshop: WorkshopRow,
  withNames: boolean,
): Promise<Attendance> {
  const [attendees, groups] = await Promise.all([
    queries.listAttendees(db, workshop.id),
    queries.listProcessGroups(db, workshop.process_id),
  ])
  const byGroup = new Map<string, number>(groups.map((g) => [g, 0]))
  const byOrganisation = new Map<string, number>()
  for (const a of attendees) {
    byGroup.set(a.stakeholder_group, (byGroup.get(a.stakeholder_group) ?? 0) + 1)
    if (a.organisation) {
      byOrganisation.set(a.organisation, (byOrganisation.get(a.organisation) ?? 0) + 1)
    }
  }
  return {
    total: attendees.length,
    threshold: workshop.group_threshold,
    byGroup: [...byGroup].map(([group, count]) => ({
      group,
      count,
      low: groups.includes(group) && (count === 0 || count < workshop.group_threshold),
    })),
    byOrganisation: [...byOrganisation]
      .map(([organisation, count]) => ({ organisation, count }))
      .sort((a, b) => b.count - a.count || a.organisation.localeCompare(b.organisation)),
    attendees: withNames ? attendees.map(toAttendee) : [],
  }
}

export function getAttendance(ctx: Ctx, access: WorkshopAccess): Promise<Attendance> {
  return attendanceOf(ctx.db, access.workshop, managesWorkshops(access.membership))
}

// ---------------------------------------------------------------------------------------------
// The live state (issue 13, item 4)

function clockOf(
  workshop: WorkshopRow,
  item: { minutes: number; extra_minutes: number } | undefined,
  now: number,
) {
  const elapsedMs =
    Number(workshop.clock_elapsed_ms) +
    (workshop.clock_resumed_at ? Math.max(0, now - workshop.clock_resumed_at.getTime()) : 0)
  const timeBoxMs = item ? (item.minutes + item.extra_minutes) * 60_000 : 0
  return {
    running: workshop.state === 'running' && workshop.clock_resumed_at !== null,
    elapsedMs,
    timeBoxMs,
    remainingMs: timeBoxMs - elapsedMs,
  }
}

/**
 * Orders raised hands so that the groups called least so far come first, then in the
 * facilitator's order: a suggestion the facilitator may follow or not.
 */
export function suggestOrder(
  queue: { id: string; stakeholder_group: string; position: number }[],
  spoken: Map<string, number>,
): string[] {
  const taken = new Map<string, number>()
  const keyed = queue.map((entry) => {
    // A second hand of a group in the queue counts as if that group had already spoken once more.
    const already = taken.get(entry.stakeholder_group) ?? 0
    taken.set(entry.stakeholder_group, already + 1)
    return { entry, weight: (spoken.get(entry.stakeholder_group) ?? 0) + already }
  })
  return keyed
    .sort((a, b) => a.weight - b.weight || a.entry.position - b.entry.position)
    .map((k) => k.entry.id)
}

async function liveStateOf(
  db: Executor,
  workshop: WorkshopRow,
  membership: MembershipContext,
  userId: string,
): Promise<LiveState> {
  const [agenda, queue, spoken, attendance, me, registration] = await Promise.all([
    queries.listAgenda(db, [workshop.id]),
    queries.listQueue(db, workshop.id),
    queries.spokenByGroup(db, workshop.id),
    attendanceOf(db, workshop, managesWorkshops(membership)),
    queries.findAttendeeByUser(db, workshop.id, userId),
    queries.findRegistrationByUser(db, workshop.id, userId),
  ])
  const polls = await pollsOf(db, workshop.id, me?.id ?? null)
  const current = agenda.find((item) => item.id === workshop.current_item_id)
  return {
    workshopId: workshop.id,
    state: workshop.state as LiveState['state'],
    revision: workshop.revision,
    currentItem: current ? toAgendaItem(current) : null,
    clock: clockOf(workshop, current, Date.now()),
    spotlight: workshop.spotlight,
    queue: queue.map((entry) => ({
      id: entry.id,
      attendeeId: entry.attendee_id,
      name: entry.name,
      stakeholderGroup: entry.stakeholder_group,
      position: entry.position,
      raisedAt: entry.raised_at.toISOString(),
    })),
    suggestedOrder: suggestOrder(queue, spoken),
    attendance,
    polls: polls.filter((poll) => poll.state !== 'draft' || managesWorkshops(membership)),
    me: { attendeeId: me?.id ?? null, registrationId: registration?.id ?? null },
  }
}

/** The live state of a workshop as the caller sees it. */
export async function getLiveState(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
): Promise<LiveState> {
  const workshop = (await queries.findWorkshop(ctx.db, access.workshop.id)) ?? access.workshop
  return liveStateOf(ctx.db, workshop, access.membership, actor.userId)
}

const CONTROL_FROM: Record<ControlBody['action'], readonly string[]> = {
  start: ['scheduled'],
  pause: ['running'],
  resume: ['running'],
  next: ['running'],
  extend: ['running'],
  spotlight: ['running'],
  close: ['running'],
}

/**
 * One action of the facilitator's console: start, pause, resume, move to the next agenda item,
 * extend the current time box, set the spotlight, or close. It applies only to the revision the
 * console saw: under the workshop's row lock, a stale revision is refused with 409 and the
 * current live state, so of two facilitators acting at once one wins and the other sees what
 * happened. Closing drafts the minutes in the same transaction. Audited as `workshop.<action>`.
 */
export async function control(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  body: ControlBody,
  origin: Origin,
): Promise<LiveState> {
  if (body.action === 'extend' && body.minutes === undefined) {
    throw fieldErrors([{ field: 'minutes', message: 'is required to extend a time box' }])
  }
  if (body.action === 'spotlight' && body.spotlight === undefined) {
    throw fieldErrors([{ field: 'spotlight', message: 'is required (null clears it)' }])
  }
  const passage =
    body.action === 'spotlight' && body.spotlight && 'quote' in body.spotlight
      ? body.spotlight
      : null
  if (passage) {
    // A passage in the spotlight is words of a section of the workshop's document as it reads
    // now (read before the transaction: PGlite has one connection).
    await requirePassage(ctx, access.workshop, passage.sectionId, passage.quote, 'spotlight/quote')
  }
  const outcome = await inTransaction(ctx.db, async (trx) => {
    const row = await queries.lockWorkshop(trx, access.workshop.id)
    if (!row) {
      throw notFound('Workshop')
    }
    if (row.revision !== body.revision) {
      return 'stale' as const
    }
    if (!CONTROL_FROM[body.action].includes(row.state)) {
      throw conflict(`A ${row.state} workshop cannot ${body.action}`)
    }
    const now = new Date()
    const agenda = await queries.listAgenda(trx, [row.id])
    const current = agenda.find((item) => item.id === row.current_item_id)
    const elapsed =
      Number(row.clock_elapsed_ms) +
      (row.clock_resumed_at ? Math.max(0, now.getTime() - row.clock_resumed_at.getTime()) : 0)
    const next = { revision: row.revision + 1 }
    const details: Record<string, unknown> = { title: row.title }
    switch (body.action) {
      case 'start': {
        const first = agenda[0]
        if (first) {
          await queries.updateAgendaItem(trx, first.id, { started_at: now })
        }
        await queries.updateWorkshop(trx, row.id, {
          ...next,
          state: 'running',
          started_at: now,
          current_item_id: first?.id ?? null,
          clock_elapsed_ms: 0,
          clock_resumed_at: now,
        })
        break
      }
      case 'pause':
        if (!row.clock_resumed_at) {
          throw conflict('The workshop is paused already')
        }
        await queries.updateWorkshop(trx, row.id, {
          ...next,
          clock_elapsed_ms: elapsed,
          clock_resumed_at: null,
        })
        break
      case 'resume':
        if (row.clock_resumed_at) {
          throw conflict('The workshop is not paused')
        }
        await queries.updateWorkshop(trx, row.id, { ...next, clock_resumed_at: now })
        break
      case 'next': {
        const index = agenda.findIndex((item) => item.id === row.current_item_id)
        const following = agenda[index + 1]
        if (!following) {
          throw conflict('This is the last agenda item; close the workshop instead')
        }
        if (current) {
          await queries.updateAgendaItem(trx, current.id, { ended_at: now })
        }
        await queries.updateAgendaItem(trx, following.id, { started_at: now })
        await queries.updateWorkshop(trx, row.id, {
          ...next,
          current_item_id: following.id,
          clock_elapsed_ms: 0,
          clock_resumed_at: now,
          spotlight: null,
        })
        details.item = following.title
        break
      }
      case 'extend':
        if (!current) {
          throw conflict('There is no agenda item to extend')
        }
        await queries.updateAgendaItem(trx, current.id, {
          extra_minutes: current.extra_minutes + body.minutes!,
        })
        await queries.updateWorkshop(trx, row.id, next)
        details.item = current.title
        details.minutes = body.minutes
        break
      case 'spotlight': {
        const spotlight = body.spotlight ?? null
        if (spotlight && 'threadId' in spotlight) {
          const thread = await trx
            .selectFrom('threads')
            .select('process_id')
            .where('id', '=', spotlight.threadId)
            .executeTakeFirst()
          if (!thread || thread.process_id !== row.process_id) {
            throw fieldErrors([
              { field: 'spotlight/threadId', message: 'No such thread in this process' },
            ])
          }
        }
        await queries.updateWorkshop(trx, row.id, {
          ...next,
          spotlight: spotlight === null ? null : JSON.stringify(spotlight),
        })
        break
      }
      case 'close':
        if (current) {
          await queries.updateAgendaItem(trx, current.id, { ended_at: now })
        }
        await trx
          .updateTable('workshop_polls')
          .set({ state: 'closed', closed_at: now })
          .where('workshop_id', '=', row.id)
          .where('state', '=', 'open')
          .execute()
        await trx
          .updateTable('workshop_queue')
          .set({ removed_at: now })
          .where('workshop_id', '=', row.id)
          .where('called_at', 'is', null)
          .where('removed_at', 'is', null)
          .execute()
        await queries.updateWorkshop(trx, row.id, {
          ...next,
          state: 'closed',
          closed_at: now,
          current_item_id: null,
          clock_elapsed_ms: 0,
          clock_resumed_at: null,
          spotlight: null,
        })
        await queries.updateWorkshop(trx, row.id, {
          minutes: JSON.stringify(await draftMinutes(trx, row.id)),
        })
        break
    }
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: `workshop.${body.action}`,
      targetType: 'workshop',
      targetId: row.id,
      details,
    })
    return 'done' as const
  })
  const state = await getLiveState(ctx, actor, access)
  if (outcome === 'stale') {
    throw new AppError(
      409,
      'conflict',
      'Someone else changed the workshop first; here is where it stands',
      {
        current: state,
      },
    )
  }
  announceWorkshop(ctx, access.workshop)
  return state
}

// The attendee a participant action is about: oneself, or (for those who run the workshop)
// someone in the room on whose behalf they act.
async function actingAttendee(
  db: Executor,
  actor: Actor,
  access: WorkshopAccess,
  attendeeId: string | undefined,
): Promise<{ attendee: AttendeeRow; onBehalf: boolean }> {
  if (attendeeId !== undefined) {
    const attendee = await queries.findAttendee(db, access.workshop.id, attendeeId)
    const own = attendee?.user_id === actor.userId
    if (!own && !managesWorkshops(access.membership)) {
      throw forbidden('Only facilitators act on behalf of someone else')
    }
    if (!attendee) {
      throw fieldErrors([{ field: 'attendeeId', message: 'is not an attendee of this workshop' }])
    }
    return { attendee, onBehalf: !own }
  }
  const attendee = await queries.findAttendeeByUser(db, access.workshop.id, actor.userId)
  if (!attendee) {
    throw conflict('Check in or join the workshop first')
  }
  return { attendee, onBehalf: false }
}

/**
 * Throws a 400 on `field` unless `quote` (spacing aside) is words of the section `sectionId`
 * of the workshop's document as it reads now.
 */
async function requirePassage(
  ctx: Ctx,
  workshop: WorkshopRow,
  sectionId: string,
  quote: string,
  field: string,
): Promise<void> {
  const content = workshop.document_id
    ? (await currentContent(ctx.db, workshop.document_id))?.content
    : undefined
  const span = content ? findSections(content).find((s) => s.id === sectionId) : undefined
  const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()
  const words = collapse(quote)
  if (
    !content ||
    !span ||
    words === '' ||
    !collapse(content.textBetween(span.from, span.to, ' ', ' ')).includes(words)
  ) {
    throw fieldErrors([{ field, message: 'is not a passage of that section' }])
  }
}

function requireRunning(workshop: WorkshopRow) {
  if (workshop.state !== 'running') {
    throw conflict('This is possible only while the workshop runs')
  }
}

/** Raises a hand in the speaking queue (one hand per attendee at a time). */
export async function raiseHand(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  attendeeId: string | undefined,
): Promise<LiveState> {
  const { attendee } = await actingAttendee(ctx.db, actor, access, attendeeId)
  await inTransaction(ctx.db, async (trx) => {
    const row = await queries.lockWorkshop(trx, access.workshop.id)
    requireRunning(row!)
    const waiting = await trx
      .selectFrom('workshop_queue')
      .select('id')
      .where('workshop_id', '=', row!.id)
      .where('attendee_id', '=', attendee.id)
      .where('called_at', 'is', null)
      .where('removed_at', 'is', null)
      .executeTakeFirst()
    if (waiting) {
      throw conflict('This hand is raised already')
    }
    await trx
      .insertInto('workshop_queue')
      .values({
        workshop_id: row!.id,
        attendee_id: attendee.id,
        position: await queries.nextQueuePosition(trx, row!.id),
      })
      .execute()
  })
  announceWorkshop(ctx, access.workshop)
  return getLiveState(ctx, actor, access)
}

/**
 * Calls or removes a raised hand: the facilitator does either; an attendee may lower their own.
 */
export async function settleHand(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  entryId: string,
  outcome: 'call' | 'remove',
): Promise<LiveState> {
  const entry = await queries.findQueueEntry(ctx.db, access.workshop.id, entryId)
  if (!entry) {
    throw notFound('Queue entry')
  }
  if (!managesWorkshops(access.membership)) {
    const attendee = await queries.findAttendee(ctx.db, access.workshop.id, entry.attendee_id)
    if (outcome === 'call' || attendee?.user_id !== actor.userId) {
      throw forbidden('Only facilitators call or remove others’ hands')
    }
  }
  const changed = await ctx.db
    .updateTable('workshop_queue')
    .set(outcome === 'call' ? { called_at: new Date() } : { removed_at: new Date() })
    .where('id', '=', entry.id)
    .where('called_at', 'is', null)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (Number(changed.numUpdatedRows) === 0) {
    throw conflict('This hand was called or removed already')
  }
  announceWorkshop(ctx, access.workshop)
  return getLiveState(ctx, actor, access)
}

/** Puts the waiting hands in the facilitator's order: exactly the waiting entries, each once. */
export async function orderQueue(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  entryIds: string[],
): Promise<LiveState> {
  await inTransaction(ctx.db, async (trx) => {
    await queries.lockWorkshop(trx, access.workshop.id)
    const waiting = await queries.listQueue(trx, access.workshop.id)
    const known = new Set(waiting.map((entry) => entry.id))
    if (entryIds.length !== known.size || !entryIds.every((id) => known.has(id))) {
      throw new AppError(409, 'conflict', 'The queue changed meanwhile; reload it', {
        waiting: waiting.map((entry) => entry.id),
      })
    }
    for (const [index, id] of entryIds.entries()) {
      await trx
        .updateTable('workshop_queue')
        .set({ position: index + 1 })
        .where('id', '=', id)
        .execute()
    }
  })
  announceWorkshop(ctx, access.workshop)
  return getLiveState(ctx, actor, access)
}

// ---------------------------------------------------------------------------------------------
// Contributions, decisions and action items (issue 13, item 5)

/**
 * Records a contribution while the workshop runs, by the attendee or by a facilitator on their
 * behalf (then marked with who recorded it). Comments, questions and proposed changes become
 * ordinary threads of their section (the current agenda item's, unless another is given) with
 * origin "workshop", attributed to the attendee's frozen group and organisation, so they are
 * answered, counted, moderated and exported like every other thread. Decisions and action
 * items are for those who run the workshop. Audited as `workshop.contribute`.
 */
export async function contribute(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  body: ContributionBody,
  origin: Origin,
): Promise<Contribution> {
  const { workshop, membership } = access
  requireRunning(workshop)
  const isThread = THREAD_CONTRIBUTIONS.includes(body.kind)
  if (!isThread && !managesWorkshops(membership)) {
    throw forbidden('Only facilitators record decisions and action items')
  }
  if (body.kind !== 'action' && (body.owner !== undefined || body.dueDate !== undefined)) {
    throw fieldErrors([
      { field: 'owner', message: 'only an action item has an owner and a due date' },
    ])
  }
  if (body.kind === 'action' && body.owner === undefined) {
    throw fieldErrors([{ field: 'owner', message: 'is required for an action item' }])
  }
  if (body.kind !== 'proposal' && body.proposal !== undefined) {
    throw fieldErrors([{ field: 'proposal', message: 'is only for kind "proposal"' }])
  }
  if (body.kind === 'proposal' && body.proposal === undefined) {
    throw fieldErrors([{ field: 'proposal', message: 'is required for a proposed change' }])
  }
  if (!isThread && (body.anchor !== undefined || body.quote !== undefined)) {
    throw fieldErrors([
      { field: 'anchor', message: 'only a comment, question or proposal is on a passage' },
    ])
  }
  if (body.anchor !== undefined && body.quote !== undefined) {
    throw fieldErrors([
      { field: 'quote', message: 'give the passage as an anchor or a quote, not both' },
    ])
  }
  if (body.kind !== 'proposal' && body.proposalScope !== undefined) {
    throw fieldErrors([{ field: 'proposalScope', message: 'is only for kind "proposal"' }])
  }
  // A proposed change replaces the selected passage by default, or the whole section.
  const proposalScope =
    body.kind === 'proposal' ? (body.proposalScope ?? (body.anchor ? 'range' : 'section')) : null
  if (proposalScope === 'range' && body.anchor === undefined) {
    throw fieldErrors([{ field: 'anchor', message: 'is required for a change to a passage' }])
  }
  const { attendee, onBehalf } = await actingAttendee(ctx.db, actor, access, body.attendeeId)
  const agenda = await queries.listAgenda(ctx.db, [workshop.id])
  const current = agenda.find((item) => item.id === workshop.current_item_id)
  const sectionId = body.sectionId ?? current?.section_id ?? undefined
  let section: { id: string | null; title: string } | undefined
  if (isThread) {
    if (!workshop.document_id) {
      throw conflict('This workshop works on no document; record a decision instead')
    }
    if (sectionId === undefined) {
      throw fieldErrors([
        { field: 'sectionId', message: 'is required outside a section’s agenda item' },
      ])
    }
    section = (await currentSections(ctx.db, workshop.document_id)).find((s) => s.id === sectionId)
    if (!section) {
      throw fieldErrors([
        { field: 'sectionId', message: 'That section is not in the workshop’s document' },
      ])
    }
  }
  // A passage given by its words (the console) must be words of that section as it reads now.
  if (isThread && body.quote !== undefined) {
    await requirePassage(ctx, workshop, section!.id!, body.quote, 'quote')
  }
  // A passage selected in the document (issue 13, item 5): checked against the stored text of
  // its section like any thread's anchor, and quoted as the server reads it.
  const anchoredQuote =
    isThread && body.anchor
      ? await readAnchoredPassage(ctx, workshop.document_id!, section!.id!, body.anchor, {
          rangeProposal: proposalScope === 'range',
        })
      : null
  const member = attendee.user_id
    ? await queries.findMemberUser(ctx.db, workshop.process_id, attendee.user_id)
    : undefined
  const result = await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockWorkshop(trx, workshop.id)
    requireRunning(locked!)
    let thread: Awaited<ReturnType<typeof insertThreadWithRoot>> | undefined
    if (isThread) {
      thread = await insertThreadWithRoot(
        trx,
        {
          process_id: workshop.process_id,
          document_id: workshop.document_id!,
          section_id: section!.id!,
          section_title: section!.title,
          kind: body.kind,
          quote: anchoredQuote ?? body.quote ?? null,
          anchor_start: body.anchor?.start ?? null,
          anchor_end: body.anchor?.end ?? null,
          proposal_scope: proposalScope,
          proposal_text: body.kind === 'proposal' ? body.proposal! : null,
          created_by: attendee.user_id,
          workshop_id: workshop.id,
        },
        {
          author_id: attendee.user_id,
          author_name: attendee.name,
          author_group: attendee.stakeholder_group,
          author_organisation: attendee.organisation,
          author_role: member?.role ?? null,
          body: body.body,
        },
      )
    }
    const row = await queries.insertContribution(trx, {
      workshop_id: workshop.id,
      agenda_item_id: current?.id ?? null,
      kind: body.kind,
      thread_id: thread?.id ?? null,
      section_id: isThread ? section!.id : (current?.section_id ?? null),
      body: body.body,
      attendee_id: attendee.id,
      author_name: attendee.name,
      author_group: attendee.stakeholder_group,
      author_organisation: attendee.organisation,
      recorded_by_name: onBehalf ? origin.name : null,
      owner: body.owner?.trim() ?? null,
      due_date: body.dueDate ?? null,
      status: body.kind === 'action' ? 'open' : null,
    })
    await recordAudit(trx, origin, {
      processId: workshop.process_id,
      action: 'workshop.contribute',
      targetType: 'workshop',
      targetId: workshop.id,
      details: {
        title: workshop.title,
        kind: body.kind,
        author: attendee.name,
        threadId: thread?.id,
      },
    })
    return { row, thread }
  })
  if (result.thread) {
    announceThread(ctx, result.thread, false)
  }
  announceWorkshop(ctx, workshop)
  return toContribution(result.row)
}

/**
 * What was recorded in a workshop, oldest first. Hidden means hidden here too: a contribution
 * whose thread a moderator hid shows neither its text nor its author to those who do not
 * moderate, and a withdrawn one loses its text for everyone, as in the thread lists.
 */
export async function listContributions(ctx: Ctx, access: WorkshopAccess): Promise<Contribution[]> {
  const [rows, roots] = await Promise.all([
    queries.listContributions(ctx.db, access.workshop.id),
    queries.listContributionRoots(ctx.db, access.workshop.id),
  ])
  const moderator = can(access.membership.role, 'threads.moderate')
  const byThread = new Map(roots.map((root) => [root.thread_id, root]))
  return rows.map((row) => {
    const item = toContribution(row)
    const root = row.thread_id === null ? undefined : byThread.get(row.thread_id)
    if (root?.withdrawn_at) {
      return { ...item, body: '' }
    }
    if (root?.hidden_at && !moderator) {
      return { ...item, body: '', authorName: '', authorOrganisation: '', recordedBy: null }
    }
    return item
  })
}

/** Moves an action item's status on; also after the workshop closed. Audited as `workshop.action-status`. */
export async function setActionStatus(
  ctx: Ctx,
  access: WorkshopAccess,
  contributionId: string,
  status: ActionStatus,
  origin: Origin,
): Promise<Contribution> {
  const found = await queries.findContribution(ctx.db, access.workshop.id, contributionId)
  if (!found) {
    throw notFound('Contribution')
  }
  if (found.kind !== 'action') {
    throw conflict('Only an action item has a status')
  }
  const row = await inTransaction(ctx.db, async (trx) => {
    const updated = await trx
      .updateTable('workshop_contributions')
      .set({ status, status_at: new Date() })
      .where('id', '=', found.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(trx, origin, {
      processId: access.workshop.process_id,
      action: 'workshop.action-status',
      targetType: 'workshop',
      targetId: access.workshop.id,
      details: { title: access.workshop.title, action: found.body, status },
    })
    return updated
  })
  announceWorkshop(ctx, access.workshop)
  return toContribution(row)
}

/** A process's action items that are not done yet, with their workshop's title. */
export async function listActionItems(
  ctx: Ctx,
  membership: MembershipContext,
): Promise<ActionItem[]> {
  const rows = await queries.listOpenActionItems(
    ctx.db,
    membership.processId,
    managesWorkshops(membership),
  )
  return rows.map((row) => ({ ...toContribution(row), workshopTitle: row.workshop_title }))
}

// ---------------------------------------------------------------------------------------------
// Straw polls (issue 13, item 6)

async function pollsOf(
  db: Executor,
  workshopId: string,
  attendeeId: string | null,
): Promise<Poll[]> {
  const polls = await queries.listPolls(db, workshopId)
  const votes = await queries.listVotes(
    db,
    polls.map((poll) => poll.id),
  )
  return polls.map((poll) => toPoll(poll, votes, attendeeId))
}

async function presentPoll(
  db: Executor,
  workshopId: string,
  pollId: string,
  attendeeId: string | null,
) {
  const poll = (await pollsOf(db, workshopId, attendeeId)).find((p) => p.id === pollId)
  if (!poll) {
    throw notFound('Poll')
  }
  return poll
}

/** Prepares a straw poll on an agenda item (or the workshop as a whole). Audited as `workshop.poll-create`. */
export async function createPoll(
  ctx: Ctx,
  access: WorkshopAccess,
  body: CreatePollBody,
  origin: Origin,
): Promise<Poll> {
  const { workshop } = access
  if (!['draft', 'scheduled', 'running'].includes(workshop.state)) {
    throw conflict(`A ${workshop.state} workshop takes no new polls`)
  }
  if (body.agendaItemId !== undefined) {
    const agenda = await queries.listAgenda(ctx.db, [workshop.id])
    if (!agenda.some((item) => item.id === body.agendaItemId)) {
      throw fieldErrors([
        { field: 'agendaItemId', message: 'is not an item of this workshop’s agenda' },
      ])
    }
  }
  const id = await inTransaction(ctx.db, async (trx) => {
    const row = await trx
      .insertInto('workshop_polls')
      .values({
        workshop_id: workshop.id,
        agenda_item_id: body.agendaItemId ?? null,
        question: body.question.trim(),
        options: JSON.stringify(body.options.map((option) => option.trim())),
        multiple: body.multiple ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await recordAudit(trx, origin, {
      processId: workshop.process_id,
      action: 'workshop.poll-create',
      targetType: 'workshop',
      targetId: workshop.id,
      details: { title: workshop.title, question: body.question.trim() },
    })
    return row.id
  })
  announceWorkshop(ctx, workshop)
  return presentPoll(ctx.db, workshop.id, id, null)
}

/** Opens (while the workshop runs) or closes a poll. Audited as `workshop.poll-open` / `workshop.poll-close`. */
export async function setPollState(
  ctx: Ctx,
  access: WorkshopAccess,
  pollId: string,
  next: 'open' | 'closed',
  origin: Origin,
): Promise<Poll> {
  const { workshop } = access
  const poll = await queries.findPoll(ctx.db, workshop.id, pollId)
  if (!poll) {
    throw notFound('Poll')
  }
  await inTransaction(ctx.db, async (trx) => {
    const locked = await queries.lockWorkshop(trx, workshop.id)
    requireRunning(locked!)
    const from = next === 'open' ? 'draft' : 'open'
    const changed = await trx
      .updateTable('workshop_polls')
      .set(
        next === 'open'
          ? { state: 'open', opened_at: new Date() }
          : { state: 'closed', closed_at: new Date() },
      )
      .where('id', '=', poll.id)
      .where('state', '=', from)
      .executeTakeFirst()
    if (Number(changed.numUpdatedRows) === 0) {
      throw conflict(`Only a ${from} poll can be ${next === 'open' ? 'opened' : 'closed'}`)
    }
    await recordAudit(trx, origin, {
      processId: workshop.process_id,
      action: next === 'open' ? 'workshop.poll-open' : 'workshop.poll-close',
      targetType: 'workshop',
      targetId: workshop.id,
      details: { title: workshop.title, question: poll.question },
    })
  })
  announceWorkshop(ctx, workshop)
  return presentPoll(ctx.db, workshop.id, poll.id, null)
}

/**
 * Records an attendee's answer to an open poll: one answer per attendee, exactly once also
 * under parallel votes (the primary key decides; the loser gets 409). Their group is the one
 * frozen at check-in.
 */
export async function vote(
  ctx: Ctx,
  actor: Actor,
  access: WorkshopAccess,
  pollId: string,
  body: { choices: number[]; attendeeId?: string },
): Promise<Poll> {
  const { workshop } = access
  requireRunning(workshop)
  const poll = await queries.findPoll(ctx.db, workshop.id, pollId)
  if (!poll) {
    throw notFound('Poll')
  }
  if (poll.state !== 'open') {
    throw conflict('This poll is not open')
  }
  if (body.choices.some((choice) => choice >= poll.options.length)) {
    throw fieldErrors([{ field: 'choices', message: 'names an option the poll does not have' }])
  }
  if (!poll.multiple && body.choices.length !== 1) {
    throw fieldErrors([{ field: 'choices', message: 'this poll takes exactly one choice' }])
  }
  const { attendee } = await actingAttendee(ctx.db, actor, access, body.attendeeId)
  // The poll row is share-locked while the answer goes in, and closing it (alone, or with the
  // workshop) updates that row: an answer either lands before the close, and is in the results
  // and the minutes, or waits for it and is refused. Without the lock an answer that read the
  // poll as open could land after the close.
  const outcome = await inTransaction(ctx.db, async (trx) => {
    const open = await trx
      .selectFrom('workshop_polls')
      .select('id')
      .where('id', '=', poll.id)
      .where('state', '=', 'open')
      .forShare()
      .executeTakeFirst()
    if (!open) {
      return 'closed' as const
    }
    const inserted = await trx
      .insertInto('workshop_votes')
      .values({
        poll_id: poll.id,
        attendee_id: attendee.id,
        choices: JSON.stringify([...body.choices].sort((a, b) => a - b)),
        stakeholder_group: attendee.stakeholder_group,
      })
      .onConflict((oc) => oc.columns(['poll_id', 'attendee_id']).doNothing())
      .executeTakeFirst()
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0
      ? ('repeated' as const)
      : ('counted' as const)
  })
  if (outcome === 'closed') {
    throw conflict('This poll is not open')
  }
  if (outcome === 'repeated') {
    throw conflict('This attendee has answered already')
  }
  announceWorkshop(ctx, workshop)
  return presentPoll(ctx.db, workshop.id, poll.id, attendee.id)
}
