import { sql } from 'kysely'
import mammoth from 'mammoth'
import { describe, expect, it } from 'vitest'
import type { Thread } from '../../shared/api/threads'
import type {
  ActionItem,
  Attendance,
  Contribution,
  LiveState,
  Minutes,
  Poll,
  Registration,
  Workshop,
} from '../../shared/api/workshops'
import { CHECK_IN_ALPHABET } from '../../shared/api/workshops'
import { seedDemo } from '../../server/demo/seed'
import { createTestApp } from '../support/app'
import { makeWorld, type World } from '../support/world'
import { openConsultation } from '../support/consultations'
import { anchorFor } from '../support/threads'
import { controlWorkshop, createWorkshop, workshopBody } from '../support/workshops'

const t = await createTestApp()
const { db, factories } = t

const count = async (table: 'workshops' | 'workshop_agenda_items' | 'workshop_registrations' | 'audit_log') =>
  (await db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n

const auditActions = async (workshopId: string) =>
  (
    await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', workshopId)
      .orderBy('id')
      .execute()
  ).map((row) => row.action)

const membershipOf = async (w: World, role: 'drafter' | 'stakeholder') =>
  (
    await db
      .selectFrom('memberships')
      .select('id')
      .where('process_id', '=', w.process.id)
      .where('role', '=', role)
      .executeTakeFirstOrThrow()
  ).id

describe('preparing a workshop', () => {
  it('creates a draft with its agenda, hidden from members until scheduled, audited', async () => {
    const w = await makeWorld(t)
    const body = await workshopBody(w.owner, w.documentId)
    const created = await w.people.facilitator.post(`/api/processes/${w.process.id}/workshops`, body)
    expect(created.statusCode, created.body).toBe(201)
    const workshop = created.json() as Workshop
    expect(workshop).toMatchObject({
      state: 'draft',
      title: body.title,
      timeZone: 'America/Bogota',
      format: 'hybrid',
      capacity: 30,
      registered: 0,
      languages: ['es', 'en'],
    })
    expect(workshop.agenda.map((item) => [item.kind, item.title, item.minutes])).toEqual([
      ['section', 'Governance', 20],
      ['section', 'Critical infrastructure', 40],
      ['topic', 'Next steps', 10],
    ])
    // Members other than those who run workshops see neither the draft nor its page.
    const seen = (await w.people.stakeholder.get(`/api/processes/${w.process.id}/workshops`)).json() as Workshop[]
    expect(seen).toEqual([])
    expect((await w.people.stakeholder.get(`/api/workshops/${workshop.id}`)).statusCode).toBe(404)
    expect((await w.people.observer.get(`/api/workshops/${workshop.id}/live`)).statusCode).toBe(404)

    const scheduled = await w.people.facilitator.post(`/api/workshops/${workshop.id}/schedule`, {})
    expect(scheduled.statusCode, scheduled.body).toBe(200)
    const list = (await w.people.observer.get(`/api/processes/${w.process.id}/workshops`)).json() as Workshop[]
    expect(list.map((item) => [item.id, item.state])).toEqual([[workshop.id, 'scheduled']])
    expect(await auditActions(workshop.id)).toEqual(['workshop.create', 'workshop.schedule'])
  })

  it('refuses bad input with a clear 400 and writes nothing', async () => {
    const w = await makeWorld(t)
    const good = await workshopBody(w.owner, w.documentId)
    const before = [await count('workshops'), await count('workshop_agenda_items'), await count('audit_log')]
    const cases: [object, string][] = [
      [{ ...good, timeZone: 'Mars/Olympus' }, 'body/timeZone'],
      [{ ...good, endsAt: good.startsAt }, 'body/endsAt'],
      [{ ...good, agenda: [{ sectionId: 'no-such-section', minutes: 5 }] }, 'body/agenda/0/sectionId'],
      [{ ...good, agenda: [{ topic: 'A', sectionId: good.agenda![0]!.sectionId, minutes: 5 }] }, 'body/agenda/0'],
      [{ ...good, agenda: [{ topic: 'A', minutes: 0 }] }, 'body/agenda/0/minutes'],
      [{ ...good, format: 'carrier-pigeon' }, 'body/format'],
      [{ ...good, meetingUrl: 'javascript:alert(1)' }, 'body/meetingUrl'],
      [{ ...good, capacity: 0 }, 'body/capacity'],
      [{ ...good, documentId: '00000000-0000-4000-8000-000000000000' }, 'body/documentId'],
      [{ ...good, surprise: true }, 'body'],
    ]
    for (const [body, path] of cases) {
      const response = await w.owner.post(`/api/processes/${w.process.id}/workshops`, body)
      expect(response.statusCode, `${path}: ${response.body}`).toBe(400)
      expect(response.json().code).toBe('validation_failed')
      const paths = (response.json().details as { path: string }[]).map((d) => d.path)
      expect(paths.some((p) => p.startsWith(path)), `${path} in ${paths.join(', ')}`).toBe(true)
    }
    expect([await count('workshops'), await count('workshop_agenda_items'), await count('audit_log')]).toEqual(before)
  })

  it('edits, reorders the agenda, duplicates and cancels; a running or closed one cannot be edited', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const reversed = [...workshop.agenda].reverse().map((item) => ({
      ...(item.sectionId ? { sectionId: item.sectionId } : { topic: item.topic! }),
      minutes: item.minutes,
    }))
    const edited = await w.people.facilitator.patch(`/api/workshops/${workshop.id}`, {
      title: 'Renamed',
      agenda: reversed,
    })
    expect(edited.statusCode, edited.body).toBe(200)
    expect((edited.json() as Workshop).agenda.map((item) => item.title)).toEqual([
      'Next steps',
      'Critical infrastructure',
      'Governance',
    ])
    const copy = await w.people.facilitator.post(`/api/workshops/${workshop.id}/duplicate`, {})
    expect(copy.statusCode, copy.body).toBe(201)
    expect(copy.json()).toMatchObject({ state: 'draft', title: 'Renamed', registered: 0 })
    expect((copy.json() as Workshop).agenda).toHaveLength(3)

    const cancelled = await w.owner.post(`/api/workshops/${copy.json().id}/cancel`, { reason: 'Moved' })
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: 'Moved' })
    expect((await w.owner.post(`/api/workshops/${copy.json().id}/cancel`, { reason: 'Again' })).statusCode).toBe(409)

    await controlWorkshop(w.owner, workshop.id, 'start')
    const late = await w.owner.patch(`/api/workshops/${workshop.id}`, { title: 'Too late' })
    expect(late.statusCode).toBe(409)
    expect((await w.owner.get(`/api/workshops/${workshop.id}`)).json().title).toBe('Renamed')
    expect(await auditActions(workshop.id)).toEqual([
      'workshop.create',
      'workshop.schedule',
      'workshop.update',
      'workshop.start',
    ])
  })

  it('keeps the record of a closed workshop append-only in the database itself', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.stakeholder.post(`/api/workshops/${workshop.id}/join`, {})
    await controlWorkshop(w.owner, workshop.id, 'close')
    await expect(
      db.updateTable('workshop_attendees').set({ name: 'Someone else' }).where('workshop_id', '=', workshop.id).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(
      db.deleteFrom('workshop_agenda_items').where('workshop_id', '=', workshop.id).execute(),
    ).rejects.toThrow(/append-only/)
  })
})

describe('registration and attendance', () => {
  const guest = (name: string) => ({
    name,
    organisation: 'Red Ciudadana',
    stakeholderGroup: 'civil-society',
    email: `${name.toLowerCase().replace(/\W/g, '')}@example.org`,
    consentPublic: true,
  })

  it('registers members and people without an account with short unambiguous codes, mailed', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const self = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/registrations`, {})
    expect(self.statusCode, self.body).toBe(201)
    const outsider = await w.people.facilitator.post(`/api/workshops/${workshop.id}/registrations`, guest('Rosa Díaz'))
    expect(outsider.statusCode, outsider.body).toBe(201)
    const registration = outsider.json() as Registration
    expect(registration).toMatchObject({ userId: null, name: 'Rosa Díaz', stakeholderGroup: 'civil-society' })
    expect(registration.code).toMatch(new RegExp(`^[${CHECK_IN_ALPHABET}]{6}$`))
    expect(t.mail.messages.some((m) => m.to === 'rosadaz@example.org' && m.text.includes(registration.code))).toBe(true)
    // A stakeholder may register only themselves, and only once.
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/registrations`, guest('X'))).statusCode).toBe(403)
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/registrations`, {})).statusCode).toBe(409)
    const list = (await w.owner.get(`/api/workshops/${workshop.id}/registrations`)).json() as Registration[]
    expect(list).toHaveLength(2)
    expect((await w.people.stakeholder.get(`/api/workshops/${workshop.id}/registrations`)).statusCode).toBe(403)
  })

  it('enforces the capacity exactly under parallel registrations', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId, { capacity: 3 })
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        w.people.facilitator.post(`/api/workshops/${workshop.id}/registrations`, guest(`Guest ${i}`)),
      ),
    )
    const statuses = responses.map((r) => r.statusCode).sort()
    expect(statuses).toEqual([201, 201, 201, 409, 409, 409, 409, 409])
    expect((await w.owner.get(`/api/workshops/${workshop.id}`)).json().registered).toBe(3)
    const full = responses.find((r) => r.statusCode === 409)!
    expect(full.json().message).toBe('The workshop is full')
  })

  it('invites a whole group, all or none', async () => {
    const w = await makeWorld(t)
    const extra = await factories.createUser()
    await w.owner.post(`/api/processes/${w.process.id}/members`, { email: extra.email, role: 'stakeholder', stakeholderGroup: 'civil-society' })
    const tight = await createWorkshop(w.owner, w.process.id, w.documentId, { capacity: 1 })
    const members = await db
      .selectFrom('memberships')
      .select('user_id')
      .where('process_id', '=', w.process.id)
      .where('stakeholder_group', '=', 'civil-society')
      .execute()
    expect(members.length).toBeGreaterThan(1)
    expect((await w.owner.post(`/api/workshops/${tight.id}/invitations`, { group: 'civil-society' })).statusCode).toBe(409)
    expect((await w.owner.get(`/api/workshops/${tight.id}`)).json().registered).toBe(0)
    const roomy = await createWorkshop(w.owner, w.process.id, w.documentId, { capacity: 100 })
    const invited = await w.owner.post(`/api/workshops/${roomy.id}/invitations`, { group: 'civil-society' })
    expect(invited.json()).toEqual({ registered: members.length, alreadyRegistered: 0 })
    const again = await w.owner.post(`/api/workshops/${roomy.id}/invitations`, { group: 'civil-society' })
    expect(again.json()).toEqual({ registered: 0, alreadyRegistered: members.length })
  })

  it('checks in by code without an account, never telling who is registered, rate-limited', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const registration = (
      await w.owner.post(`/api/workshops/${workshop.id}/registrations`, guest('Luis Pérez'))
    ).json() as Registration
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshop.id}/check-in`,
      payload: { code: 'AAAAAA' },
      remoteAddress: '203.0.113.7',
    })
    const unknownWorkshop = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/00000000-0000-4000-8000-000000000000/check-in`,
      payload: { code: registration.code },
      remoteAddress: '203.0.113.7',
    })
    expect(wrong.statusCode).toBe(404)
    expect(unknownWorkshop.statusCode).toBe(404)
    expect(wrong.json().message).toBe(unknownWorkshop.json().message)
    const typed = `${registration.code.slice(0, 3).toLowerCase()} ${registration.code.slice(3)}`
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshop.id}/check-in`,
      payload: { code: typed },
      remoteAddress: '203.0.113.8',
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().name).toBe('Luis Pérez')
    for (let i = 0; i < 10; i++) {
      await t.app.inject({
        method: 'POST',
        url: `/api/workshops/${workshop.id}/check-in`,
        payload: { code: 'CCCCCC' },
        remoteAddress: '203.0.113.9',
      })
    }
    const throttled = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshop.id}/check-in`,
      payload: { code: registration.code },
      remoteAddress: '203.0.113.9',
    })
    expect(throttled.statusCode).toBe(429)
    const attendance = (await w.owner.get(`/api/workshops/${workshop.id}/attendance`)).json() as Attendance
    expect(attendance.total).toBe(1)
  })

  it('freezes group and organisation at check-in and shows attendance by group with warnings', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId, { groupThreshold: 2 })
    const own = (await w.people.stakeholder.post(`/api/workshops/${workshop.id}/registrations`, {})).json() as Registration
    const door = await w.people.facilitator.post(`/api/workshops/${workshop.id}/attendees`, { registrationId: own.id })
    expect(door.statusCode, door.body).toBe(200)
    expect(door.json()).toMatchObject({ stakeholderGroup: 'civil-society', mode: 'in-person' })
    // The member's group changes afterwards; the attendance keeps what it was at check-in.
    const memberId = await membershipOf(w, 'stakeholder')
    await w.owner.patch(`/api/processes/${w.process.id}/members/${memberId}`, { stakeholderGroup: 'academia' })
    await controlWorkshop(w.owner, workshop.id, 'start')
    const joined = await w.people.drafter.post(`/api/workshops/${workshop.id}/join`, {})
    expect(joined.json()).toMatchObject({ mode: 'online' })
    const attendance = (await w.people.facilitator.get(`/api/workshops/${workshop.id}/attendance`)).json() as Attendance
    expect(attendance.total).toBe(2)
    const civil = attendance.byGroup.find((g) => g.group === 'civil-society')!
    expect(civil).toEqual({ group: 'civil-society', count: 2, low: false })
    expect(attendance.byGroup.find((g) => g.group === 'academia')).toEqual({ group: 'academia', count: 0, low: true })
    expect(attendance.attendees).toHaveLength(2)
    // Members who do not run the workshop see the counts, not the names.
    const seen = (await w.people.observer.get(`/api/workshops/${workshop.id}/attendance`)).json() as Attendance
    expect(seen.total).toBe(2)
    expect(seen.attendees).toEqual([])
  })
})

describe('running a workshop', () => {
  async function running(w: World) {
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const live = await controlWorkshop(w.people.facilitator, workshop.id, 'start')
    return { workshop, live }
  }

  it('starts, pauses, resumes, moves on and extends, with the actual times kept', async () => {
    const w = await makeWorld(t)
    const { workshop, live } = await running(w)
    expect(live).toMatchObject({ state: 'running', currentItem: { title: 'Governance' } })
    expect(live.clock.running).toBe(true)
    expect(live.clock.timeBoxMs).toBe(20 * 60_000)
    const paused = await controlWorkshop(w.owner, workshop.id, 'pause')
    expect(paused.clock.running).toBe(false)
    const resumed = await controlWorkshop(w.owner, workshop.id, 'resume')
    expect(resumed.clock.running).toBe(true)
    const extended = await controlWorkshop(w.owner, workshop.id, 'extend', { minutes: 5 })
    expect(extended.clock.timeBoxMs).toBe(25 * 60_000)
    const next = await controlWorkshop(w.owner, workshop.id, 'next')
    expect(next.currentItem?.title).toBe('Critical infrastructure')
    const agenda = ((await w.owner.get(`/api/workshops/${workshop.id}`)).json() as Workshop).agenda
    expect(agenda[0]!.startedAt).not.toBeNull()
    expect(agenda[0]!.endedAt).not.toBeNull()
    expect(agenda[0]!.extraMinutes).toBe(5)
    // The live state is in PostgreSQL: another participant's page reads the same.
    const participant = (await w.people.observer.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect(participant.currentItem?.id).toBe(next.currentItem?.id)
    expect(participant.revision).toBe(next.revision)
  })

  it('lets one of two facilitators acting at once win; the other gets 409 with the current state', async () => {
    const w = await makeWorld(t)
    const { workshop, live } = await running(w)
    const [a, b] = await Promise.all([
      w.owner.post(`/api/workshops/${workshop.id}/control`, { revision: live.revision, action: 'next' }),
      w.people.facilitator.post(`/api/workshops/${workshop.id}/control`, { revision: live.revision, action: 'next' }),
    ])
    const statuses = [a.statusCode, b.statusCode].sort()
    expect(statuses).toEqual([200, 409])
    const loser = a.statusCode === 409 ? a : b
    const winner = a.statusCode === 200 ? a : b
    expect(loser.json().details.current.revision).toBe(winner.json().revision)
    expect(loser.json().details.current.currentItem.title).toBe('Critical infrastructure')
    const now = (await w.owner.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect(now.currentItem?.title).toBe('Critical infrastructure')
    expect(await auditActions(workshop.id)).toEqual(['workshop.create', 'workshop.schedule', 'workshop.start', 'workshop.next'])
  })

  it('refuses actions that do not fit the state, and bad input, changing nothing', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const notRunning = await w.owner.post(`/api/workshops/${workshop.id}/control`, { revision: workshop.revision, action: 'next' })
    expect(notRunning.statusCode).toBe(409)
    const bad = await w.owner.post(`/api/workshops/${workshop.id}/control`, { revision: workshop.revision, action: 'explode' })
    expect(bad.statusCode).toBe(400)
    const noMinutes = await w.owner.post(`/api/workshops/${workshop.id}/control`, { revision: workshop.revision, action: 'extend' })
    expect(noMinutes.statusCode).toBe(400)
    const after = (await w.owner.get(`/api/workshops/${workshop.id}`)).json() as Workshop
    expect(after.revision).toBe(workshop.revision)
    expect(after.state).toBe('scheduled')
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/control`, { revision: 0, action: 'start' })).statusCode).toBe(403)
  })

  it('keeps a speaking queue that suggests the groups that spoke least first, and a spotlight', async () => {
    const w = await makeWorld(t)
    const { workshop } = await running(w)
    // Two civil-society members and an academic raise hands; civil society already spoke once.
    await db.updateTable('memberships').set({ stakeholder_group: 'academia' }).where('id', '=', await membershipOf(w, 'drafter')).execute()
    for (const client of [w.people.stakeholder, w.people.observer, w.people.drafter]) {
      expect((await client.post(`/api/workshops/${workshop.id}/join`, {})).statusCode).toBe(200)
    }
    const first = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/queue`, {})
    expect(first.statusCode, first.body).toBe(200)
    const firstEntry = (first.json() as LiveState).queue[0]!
    await w.owner.post(`/api/workshops/${workshop.id}/queue/${firstEntry.id}/call`, {})
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/queue`, {})).statusCode).toBe(200)
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/queue`, {})).statusCode).toBe(409)
    await w.people.observer.post(`/api/workshops/${workshop.id}/queue`, {})
    const live = (await w.people.drafter.post(`/api/workshops/${workshop.id}/queue`, {})).json() as LiveState
    expect(live.queue.map((e) => e.stakeholderGroup)).toEqual(['civil-society', 'civil-society', 'academia'])
    const suggested = live.suggestedOrder.map((id) => live.queue.find((e) => e.id === id)!.stakeholderGroup)
    expect(suggested).toEqual(['academia', 'civil-society', 'civil-society'])
    // The facilitator orders the queue; an attendee may lower their own hand but not call.
    const reordered = await w.owner.put(`/api/workshops/${workshop.id}/queue`, { entryIds: live.suggestedOrder })
    expect((reordered.json() as LiveState).queue.map((e) => e.id)).toEqual(live.suggestedOrder)
    const mine = live.queue.find((e) => e.stakeholderGroup === 'academia')!
    expect((await w.people.drafter.post(`/api/workshops/${workshop.id}/queue/${mine.id}/call`, {})).statusCode).toBe(403)
    expect((await w.people.drafter.post(`/api/workshops/${workshop.id}/queue/${mine.id}/remove`, {})).statusCode).toBe(200)
    const spot = await controlWorkshop(w.owner, workshop.id, 'spotlight', {
      spotlight: { sectionId: live.currentItem!.sectionId, quote: 'every ministry' },
    })
    expect(spot.spotlight).toEqual({ sectionId: live.currentItem!.sectionId, quote: 'every ministry' })
  })
})

describe('contributions, decisions and action items', () => {
  it('turns comments, questions and proposals into ordinary threads with origin "workshop", attributed', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const guestRegistration = (
      await w.owner.post(`/api/workshops/${workshop.id}/registrations`, {
        name: 'Marta Ruiz',
        organisation: 'Universidad Nacional',
        stakeholderGroup: 'academia',
      })
    ).json() as Registration
    const guest = (
      await w.people.facilitator.post(`/api/workshops/${workshop.id}/attendees`, { registrationId: guestRegistration.id })
    ).json() as { id: string }
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.stakeholder.post(`/api/workshops/${workshop.id}/join`, {})
    await w.people.observer.post(`/api/workshops/${workshop.id}/join`, {})

    const own = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'question',
      body: 'Who chairs the council?',
    })
    expect(own.statusCode, own.body).toBe(201)
    expect(own.json()).toMatchObject({ kind: 'question', authorGroup: 'civil-society', recordedBy: null })
    const onBehalf = await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'proposal',
      body: 'Name the council in law.',
      proposal: 'The council is established by law.',
      attendeeId: guest.id,
    })
    expect(onBehalf.statusCode, onBehalf.body).toBe(201)
    const recorded = onBehalf.json() as Contribution
    expect(recorded).toMatchObject({
      authorName: 'Marta Ruiz',
      authorGroup: 'academia',
      authorOrganisation: 'Universidad Nacional',
    })
    expect(recorded.recordedBy).not.toBeNull()

    // The threads are the section's own, found with the origin filter, authored by the attendee.
    const threads = (await w.people.drafter.get(`/api/processes/${w.process.id}/threads?origin=workshop`)).json() as {
      items: Thread[]
    }
    expect(threads.items.map((th) => th.kind).sort()).toEqual(['proposal', 'question'])
    const proposal = threads.items.find((th) => th.kind === 'proposal')!
    expect(proposal).toMatchObject({
      sectionTitle: 'Governance',
      root: { author: { name: 'Marta Ruiz', stakeholderGroup: 'academia', organisation: 'Universidad Nacional', userId: null } },
      proposal: { scope: 'section', text: 'The council is established by law.' },
    })
    const members = (await w.people.drafter.get(`/api/processes/${w.process.id}/threads?origin=members`)).json() as {
      items: Thread[]
    }
    expect(members.items.map((th) => th.id)).not.toContain(proposal.id)

    // Observers listen; stakeholders do not record decisions; a guest speaks only through a facilitator.
    const observer = await w.people.observer.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'comment', body: 'Hi' })
    expect(observer.statusCode).toBe(403)
    const decision = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'decision', body: 'We decide' })
    expect(decision.statusCode).toBe(403)
    const impersonation = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'comment',
      body: 'As someone else',
      attendeeId: guest.id,
    })
    expect(impersonation.statusCode).toBe(403)
    const noOwner = await w.owner.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'action', body: 'Do it', attendeeId: guest.id })
    expect(noOwner.statusCode).toBe(400)
    const list = (await w.people.observer.get(`/api/workshops/${workshop.id}/contributions`)).json() as Contribution[]
    expect(list).toHaveLength(2)
  })

  it('tells members which workshop a thread comes from and who recorded it; public pages name only who consented', async () => {
    const w = await makeWorld(t)
    const consultation = await openConsultation(w.owner, w.process.id, w.documentId, { showMemberThreads: true })
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const guestOf = async (name: string, organisation: string, consentPublic: boolean) => {
      const registration = (
        await w.owner.post(`/api/workshops/${workshop.id}/registrations`, {
          name,
          organisation,
          stakeholderGroup: 'academia',
          consentPublic,
        })
      ).json() as Registration
      return (
        await w.people.facilitator.post(`/api/workshops/${workshop.id}/attendees`, { registrationId: registration.id })
      ).json() as { id: string }
    }
    const shy = await guestOf('Shy SHYNAME', 'Shy Org SHYORG', false)
    const open = await guestOf('Open OPENNAME', 'Open Org OPENORG', true)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.stakeholder.post(`/api/workshops/${workshop.id}/join`, {})
    const byShy = await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'comment',
      body: 'Remark SHYREMARK',
      attendeeId: shy.id,
    })
    expect(byShy.statusCode, byShy.body).toBe(201)
    const facilitatorName = (byShy.json() as Contribution).recordedBy!
    expect(facilitatorName).toBeTruthy()
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'comment',
      body: 'Remark OPENREMARK',
      attendeeId: open.id,
    })
    const own = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'question',
      body: 'Question OWNQUESTION',
    })
    expect(own.statusCode, own.body).toBe(201)

    // Members' thread API: the workshop, and "recorded by" only when recorded on someone's behalf.
    const listed = await w.people.observer.get(`/api/processes/${w.process.id}/threads?origin=workshop`)
    expect(listed.statusCode, listed.body).toBe(200)
    const threads = listed.json() as { items: Thread[] }
    const byBody = (marker: string) => threads.items.find((th) => th.root.body?.includes(marker))!
    expect(byBody('SHYREMARK').workshop).toEqual({
      workshopId: workshop.id,
      workshopTitle: workshop.title,
      recordedBy: facilitatorName,
    })
    expect(byBody('OWNQUESTION').workshop).toEqual({
      workshopId: workshop.id,
      workshopTitle: workshop.title,
      recordedBy: null,
    })
    const single = (await w.people.drafter.get(`/api/threads/${byBody('OPENREMARK').id}`)).json() as Thread
    expect(single.workshop?.recordedBy).toBe(facilitatorName)
    const memberThread = await w.people.drafter.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: byBody('OPENREMARK').sectionId,
      kind: 'comment',
      body: 'Plain member thread',
    })
    expect((memberThread.json() as Thread).workshop).toBeNull()

    // The public page lists members' threads: the shy attendee and the facilitator are not named.
    const page = await t.app.inject({ method: 'GET', url: `/c/${consultation.slug}` })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Remark SHYREMARK')
    expect(page.body).toContain('Remark OPENREMARK')
    expect(page.body).toContain('Open OPENNAME')
    expect(page.body).toContain('Open Org OPENORG')
    expect(page.body).toContain('said in a workshop')
    expect(page.body).not.toContain('SHYNAME')
    expect(page.body).not.toContain('SHYORG')
    expect(page.body).not.toContain(facilitatorName)

    // Hidden means hidden in the workshop's own list too: a moderator hides Shy's thread.
    const shyThread = byBody('SHYREMARK')
    const hidden = await w.people.facilitator.post(`/api/comments/${shyThread.root.id}/hide`, { reason: 'Off topic' })
    expect(hidden.statusCode, hidden.body).toBe(200)
    const seenByMember = (await w.people.observer.get(`/api/workshops/${workshop.id}/contributions`)).json() as Contribution[]
    const concealed = seenByMember.find((c) => c.threadId === shyThread.id)!
    expect(concealed).toMatchObject({ body: '', authorName: '', authorOrganisation: '', recordedBy: null })
    expect(JSON.stringify(seenByMember)).not.toContain('SHYREMARK')
    const seenByModerator = (await w.people.facilitator.get(`/api/workshops/${workshop.id}/contributions`)).json() as Contribution[]
    expect(seenByModerator.find((c) => c.threadId === shyThread.id)!.body).toBe('Remark SHYREMARK')
    expect((await t.app.inject({ method: 'GET', url: `/c/${consultation.slug}` })).body).not.toContain('SHYREMARK')
  })

  it('records a comment or a proposed change on a passage selected in the document, anchored like any thread', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.stakeholder.post(`/api/workshops/${workshop.id}/join`, {})
    const sections = (await w.owner.get(`/api/documents/${w.documentId}/sections`)).json() as { id: string; title: string }[]
    const infrastructure = sections.find((s) => s.title === 'Critical infrastructure')!.id
    const passage = await anchorFor(db, w.documentId, 'within 24 hours')

    // The current agenda item is Governance; the passage is in another section, named explicitly.
    const proposal = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'proposal',
      body: 'Twelve hours is enough.',
      proposal: 'within 12 hours',
      sectionId: infrastructure,
      anchor: passage,
    })
    expect(proposal.statusCode, proposal.body).toBe(201)
    const thread = (await w.people.drafter.get(`/api/threads/${(proposal.json() as Contribution).threadId}`)).json() as Thread
    expect(thread).toMatchObject({
      sectionTitle: 'Critical infrastructure',
      anchor: { start: passage.start, end: passage.end, quote: 'within 24 hours' },
      quote: 'within 24 hours',
      proposal: { scope: 'range', text: 'within 12 hours' },
      workshop: { workshopId: workshop.id, recordedBy: null },
    })
    const comment = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'comment',
      body: 'Who counts the hours?',
      sectionId: infrastructure,
      anchor: passage,
    })
    expect(comment.statusCode, comment.body).toBe(201)
    const commented = (await w.people.drafter.get(`/api/threads/${(comment.json() as Contribution).threadId}`)).json() as Thread
    expect(commented).toMatchObject({ kind: 'comment', anchor: { quote: 'within 24 hours' }, proposal: null })

    // A passage outside the section, a malformed anchor, a decision on a passage: 400, nothing written.
    const before = await db.selectFrom('workshop_contributions').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    const governance = sections.find((s) => s.title === 'Governance')!.id
    const refused = await Promise.all([
      w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'comment', body: 'x', sectionId: governance, anchor: passage }),
      w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'comment', body: 'x', sectionId: infrastructure, anchor: { start: '!!!', end: 'AAAA', quote: 'x' } }),
      w.owner.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'decision', body: 'x', anchor: passage }),
      w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'proposal', body: 'x', proposal: 'y', proposalScope: 'range' }),
      w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'comment', body: 'x', sectionId: governance, quote: 'within 24 hours' }),
    ])
    expect(refused.map((r) => r.statusCode)).toEqual([400, 400, 400, 400, 400])
    expect(refused[0]!.json()).toMatchObject({ code: 'validation_failed' })
    const after = await db.selectFrom('workshop_contributions').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
    // The console names a passage by its words: kept as the thread's quote when the section has them.
    const quoted = await w.people.stakeholder.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'question',
      body: 'Which ministries?',
      quote: 'every  ministry',
    })
    expect(quoted.statusCode, quoted.body).toBe(201)
    const quotedThread = (await w.people.drafter.get(`/api/threads/${(quoted.json() as Contribution).threadId}`)).json() as Thread
    expect(quotedThread).toMatchObject({ sectionTitle: 'Governance', quote: 'every  ministry', anchor: null })

    // The spotlight on a passage takes words of the section only; a refused one changes nothing.
    const live = (await w.owner.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    const wrong = await w.owner.post(`/api/workshops/${workshop.id}/control`, {
      revision: live.revision,
      action: 'spotlight',
      spotlight: { sectionId: governance, quote: 'within 24 hours' },
    })
    expect(wrong.statusCode, wrong.body).toBe(400)
    const unchanged = (await w.owner.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect([unchanged.revision, unchanged.spotlight]).toEqual([live.revision, null])
    const right = await w.owner.post(`/api/workshops/${workshop.id}/control`, {
      revision: live.revision,
      action: 'spotlight',
      spotlight: { sectionId: infrastructure, quote: 'within 24 hours' },
    })
    expect(right.statusCode, right.body).toBe(200)
  })

  it('keeps action items listed on the process with their status until done, also after closing', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/join`, {})
    const decision = await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'decision',
      body: 'Operators report within 24 hours.',
    })
    expect(decision.statusCode, decision.body).toBe(201)
    const action = await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'action',
      body: 'Draft the reporting rule',
      owner: 'Ministry of ICT',
      dueDate: '2027-05-01',
    })
    expect(action.json()).toMatchObject({ status: 'open', owner: 'Ministry of ICT', dueDate: '2027-05-01' })
    await controlWorkshop(w.owner, workshop.id, 'close')
    const open = (await w.people.observer.get(`/api/processes/${w.process.id}/action-items`)).json() as ActionItem[]
    expect(open.map((a) => [a.body, a.status, a.workshopTitle])).toEqual([
      ['Draft the reporting rule', 'open', workshop.title],
    ])
    const moved = await w.people.facilitator.patch(`/api/workshops/${workshop.id}/contributions/${action.json().id}`, {
      status: 'done',
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect((await w.people.observer.get(`/api/processes/${w.process.id}/action-items`)).json()).toEqual([])
    // Anything else about the closed record stays as it was.
    await expect(
      db.updateTable('workshop_contributions').set({ body: 'Rewritten' }).where('id', '=', decision.json().id).execute(),
    ).rejects.toThrow(/append-only/)
    const late = await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'decision', body: 'Late' })
    expect(late.statusCode).toBe(409)
    expect(await auditActions(workshop.id)).toContain('workshop.action-status')
  })
})

describe('straw polls', () => {
  it('counts one answer per attendee under parallel votes, with results by group', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await db.updateTable('memberships').set({ stakeholder_group: 'academia' }).where('id', '=', await membershipOf(w, 'drafter')).execute()
    for (const client of [w.people.stakeholder, w.people.drafter, w.people.observer]) {
      await client.post(`/api/workshops/${workshop.id}/join`, {})
    }
    const poll = (
      await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls`, {
        question: 'Report within 24 hours?',
        options: ['Yes', 'No', 'Abstain'],
      })
    ).json() as Poll
    expect(poll.state).toBe('draft')
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0] })).statusCode).toBe(409)
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/open`, {})
    const parallel = await Promise.all(
      Array.from({ length: 6 }, () => w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0] })),
    )
    expect(parallel.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409])
    expect((await w.people.drafter.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0, 1] })).statusCode).toBe(400)
    expect((await w.people.drafter.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [7] })).statusCode).toBe(400)
    const voted = await w.people.drafter.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [1] })
    expect(voted.json()).toMatchObject({ votes: 2, results: [1, 1, 0], myChoices: [1] })
    expect((voted.json() as Poll).byGroup).toEqual([
      { group: 'academia', results: [0, 1, 0] },
      { group: 'civil-society', results: [1, 0, 0] },
    ])
    expect((await w.people.observer.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [2] })).statusCode).toBe(403)
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/close`, {})
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [2] })).statusCode).toBe(409)
    const live = (await w.people.observer.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    expect(live.polls[0]).toMatchObject({ state: 'closed', votes: 2 })
  })

  it('takes several answers on a multiple-choice poll, one ballot per attendee under parallel votes, by group', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    await controlWorkshop(w.owner, workshop.id, 'start')
    await db.updateTable('memberships').set({ stakeholder_group: 'academia' }).where('id', '=', await membershipOf(w, 'drafter')).execute()
    for (const client of [w.people.stakeholder, w.people.drafter]) {
      await client.post(`/api/workshops/${workshop.id}/join`, {})
    }
    const created = await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls`, {
      question: 'Which sectors first?',
      options: ['Energy', 'Water', 'Health', 'Finance'],
      multiple: true,
    })
    expect(created.statusCode, created.body).toBe(201)
    const poll = created.json() as Poll
    expect(poll.multiple).toBe(true)
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/open`, {})
    // Duplicate choices and options that do not exist are refused; nothing is counted.
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0, 0] })).statusCode).toBe(400)
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [1, 4] })).statusCode).toBe(400)
    expect((await w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [] })).statusCode).toBe(400)
    const parallel = await Promise.all(
      [[0, 2], [1], [0, 1, 3], [2, 3], [3]].map((choices) =>
        w.people.stakeholder.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices }),
      ),
    )
    expect(parallel.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409])
    const accepted = parallel.find((r) => r.statusCode === 200)!.json() as Poll
    const stakeholderChoices = accepted.myChoices!
    const voted = (await w.people.drafter.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0, 3] })).json() as Poll
    const expected = [0, 1, 2, 3].map((i) => (stakeholderChoices.includes(i) ? 1 : 0) + ([0, 3].includes(i) ? 1 : 0))
    expect(voted).toMatchObject({ votes: 2, results: expected, myChoices: [0, 3] })
    expect(voted.byGroup).toEqual([
      { group: 'academia', results: [1, 0, 0, 1] },
      { group: 'civil-society', results: [0, 1, 2, 3].map((i) => (stakeholderChoices.includes(i) ? 1 : 0)) },
    ])
    const stored = await db.selectFrom('workshop_votes').select(sql<number>`count(*)::int`.as('n')).where('poll_id', '=', poll.id).executeTakeFirstOrThrow()
    expect(stored.n).toBe(2)
  })

  it('closes a poll atomically: an answer racing the close is either in the results or refused', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId, { capacity: null })
    await controlWorkshop(w.owner, workshop.id, 'start')
    const attendees: string[] = []
    for (let i = 0; i < 12; i++) {
      const registration = (
        await w.people.facilitator.post(`/api/workshops/${workshop.id}/registrations`, {
          name: `Guest ${i}`,
          organisation: 'Red Ciudadana',
          stakeholderGroup: i % 2 ? 'academia' : 'civil-society',
        })
      ).json() as Registration
      const attendee = await w.people.facilitator.post(`/api/workshops/${workshop.id}/attendees`, { registrationId: registration.id })
      expect(attendee.statusCode, attendee.body).toBe(200)
      attendees.push(attendee.json().id as string)
    }
    const poll = (
      await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls`, { question: 'Adopt?', options: ['Yes', 'No'] })
    ).json() as Poll
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/open`, {})
    const answer = (attendeeId: string) =>
      w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0], attendeeId })
    // Half answer before the close is sent, half race it.
    const early = attendees.slice(0, 6).map(answer)
    const close = w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/close`, {})
    const late = attendees.slice(6).map(answer)
    const [closed, ...answers] = await Promise.all([close, ...early, ...late])
    expect(closed.statusCode, closed.body).toBe(200)
    const accepted = answers.filter((r) => r.statusCode === 200).length
    expect(answers.every((r) => r.statusCode === 200 || r.statusCode === 409)).toBe(true)
    // What the close reported is final, and counts exactly the answers that were accepted.
    expect((closed.json() as Poll).votes).toBe(accepted)
    const stored = await db.selectFrom('workshop_votes').select(sql<number>`count(*)::int`.as('n')).where('poll_id', '=', poll.id).executeTakeFirstOrThrow()
    expect(stored.n).toBe(accepted)
    // Closing the whole workshop takes the same lock: the minutes count what the results counted.
    const second = (
      await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls`, { question: 'Again?', options: ['Yes', 'No'] })
    ).json() as Poll
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${second.id}/open`, {})
    const racing = attendees.map((attendeeId) =>
      w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${second.id}/votes`, { choices: [1], attendeeId }),
    )
    const live = (await w.owner.get(`/api/workshops/${workshop.id}/live`)).json() as LiveState
    const closing = w.owner.post(`/api/workshops/${workshop.id}/control`, { revision: live.revision, action: 'close' })
    const [ended, ...votes] = await Promise.all([closing, ...racing])
    expect(ended.statusCode, ended.body).toBe(200)
    const counted = votes.filter((r) => r.statusCode === 200).length
    const minutes = (await w.owner.get(`/api/workshops/${workshop.id}/minutes`)).json() as Minutes
    const inMinutes = minutes.polls.find((p) => p.question === 'Again?')!
    expect(inMinutes.votes).toBe(counted)
    const storedSecond = await db.selectFrom('workshop_votes').select(sql<number>`count(*)::int`.as('n')).where('poll_id', '=', second.id).executeTakeFirstOrThrow()
    expect(storedSecond.n).toBe(counted)
  })
})

describe('minutes', () => {
  it('are drafted on close, edited, published to members and exported as Markdown and .docx', async () => {
    const w = await makeWorld(t)
    const workshop = await createWorkshop(w.owner, w.process.id, w.documentId)
    const named = (
      await w.owner.post(`/api/workshops/${workshop.id}/registrations`, {
        name: 'Named Person',
        organisation: 'Cámara TIC',
        stakeholderGroup: 'private-sector',
        consentPublic: true,
      })
    ).json() as Registration
    const unnamed = (
      await w.owner.post(`/api/workshops/${workshop.id}/registrations`, {
        name: 'Private Person',
        organisation: 'Hidden Org',
        stakeholderGroup: 'government',
      })
    ).json() as Registration
    for (const registration of [named, unnamed]) {
      await w.owner.post(`/api/workshops/${workshop.id}/attendees`, { registrationId: registration.id })
    }
    await controlWorkshop(w.owner, workshop.id, 'start')
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/join`, {})
    const attendees = (await w.owner.get(`/api/workshops/${workshop.id}/attendance`)).json() as Attendance
    const namedId = attendees.attendees.find((a) => a.name === 'Named Person')!.id
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'comment',
      body: 'Operators need <b>clear</b> rules',
      attendeeId: namedId,
    })
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, { kind: 'decision', body: 'Adopt the 24-hour rule' })
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/contributions`, {
      kind: 'action',
      body: 'Write the rule',
      owner: 'Secretariat',
      dueDate: '2027-06-30',
    })
    const poll = (
      await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls`, { question: 'Support?', options: ['Yes', 'No'] })
    ).json() as Poll
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/open`, {})
    await w.people.facilitator.post(`/api/workshops/${workshop.id}/polls/${poll.id}/votes`, { choices: [0], attendeeId: namedId })
    expect((await w.owner.get(`/api/workshops/${workshop.id}/minutes`)).statusCode).toBe(404)
    await controlWorkshop(w.owner, workshop.id, 'close')

    // Before publication only those who run workshops see the draft.
    expect((await w.people.stakeholder.get(`/api/workshops/${workshop.id}/minutes?format=md`)).statusCode).toBe(404)
    const draft = (await w.people.facilitator.get(`/api/workshops/${workshop.id}/minutes`)).json() as Minutes
    expect(draft.attendance.total).toBe(3)
    expect(draft.attendance.named).toEqual([{ name: 'Named Person', organisation: 'Cámara TIC', group: 'private-sector' }])
    expect(draft.agenda[0]!.startedAt).not.toBeNull()
    expect(draft.contributions.map((c) => [c.title, c.items.length])).toEqual([['Governance', 1]])
    expect(draft.decisions.map((d) => d.body)).toEqual(['Adopt the 24-hour rule'])
    expect(draft.polls[0]).toMatchObject({ question: 'Support?', results: [1, 0] })

    const bad = await w.people.facilitator.patch(`/api/workshops/${workshop.id}/minutes`, { summary: 'x'.repeat(20_001) })
    expect(bad.statusCode).toBe(400)
    const edited = await w.people.facilitator.patch(`/api/workshops/${workshop.id}/minutes`, {
      summary: 'We agreed on a 24-hour rule.',
    })
    expect(edited.json()).toMatchObject({ summary: 'We agreed on a 24-hour rule.', publishedAt: null })
    const published = await w.people.facilitator.post(`/api/workshops/${workshop.id}/minutes/publish`, { public: true })
    expect(published.statusCode, published.body).toBe(200)
    expect(published.json()).toMatchObject({ public: true })
    expect((await w.people.facilitator.post(`/api/workshops/${workshop.id}/minutes/publish`, {})).statusCode).toBe(409)
    expect((await w.people.facilitator.patch(`/api/workshops/${workshop.id}/minutes`, { summary: 'Later' })).statusCode).toBe(409)
    const list = (await w.people.observer.get(`/api/processes/${w.process.id}/workshops`)).json() as Workshop[]
    expect(list.find((item) => item.id === workshop.id)?.state).toBe('published')

    const markdown = await w.people.observer.get(`/api/workshops/${workshop.id}/minutes?format=md`)
    expect(markdown.statusCode).toBe(200)
    expect(markdown.headers['content-type']).toContain('text/markdown')
    expect(markdown.body).toContain('We agreed on a 24\\-hour rule\\.')
    expect(markdown.body).toContain('Named Person')
    expect(markdown.body).not.toContain('Private Person')
    expect(markdown.body).not.toContain('<b>')

    const docx = await w.people.observer.get(`/api/workshops/${workshop.id}/minutes?format=docx`)
    expect(docx.statusCode).toBe(200)
    expect(docx.headers['content-disposition']).toMatch(/attachment; filename="minutes-.*\.docx"/)
    const { value: text } = await mammoth.extractRawText({ buffer: docx.rawPayload })
    expect(text).toContain(`Minutes: ${workshop.title}`)
    expect(text).toContain('We agreed on a 24-hour rule.')
    expect(text).toContain('Operators need <b>clear</b> rules')
    expect(text).toContain('Adopt the 24-hour rule')
    expect(text).toContain('Write the rule — owner: Secretariat; due: 2027-06-30; status: open')
    expect(text).toContain('Yes: 1')
    expect(text).toContain('Named Person')
    expect(text).not.toContain('Private Person')
    expect(text).not.toContain('Hidden Org')
    expect(await auditActions(workshop.id)).toEqual(
      expect.arrayContaining(['workshop.close', 'workshop.minutes-edit', 'workshop.minutes-publish']),
    )
  })
})

describe('demo', () => {
  it('has a closed workshop with attendance from every group, contributions, a poll and published minutes, and a scheduled one', async () => {
    expect(await seedDemo(db)).toBe(true)
    const observer = await t.as({ id: '', email: 'observer@example.org', password: 'concord-demo', name: '', isAdmin: false })
    const [processSummary] = (await observer.get('/api/processes')).json() as { id: string }[]
    const workshops = (await observer.get(`/api/processes/${processSummary!.id}/workshops`)).json() as Workshop[]
    expect(workshops.map((w) => w.state).sort()).toEqual(['published', 'scheduled'])
    const closed = workshops.find((w) => w.state === 'published')!
    const attendance = (await observer.get(`/api/workshops/${closed.id}/attendance`)).json() as Attendance
    expect(attendance.byGroup.every((g) => g.count > 0), JSON.stringify(attendance.byGroup)).toBe(true)
    const minutes = (await observer.get(`/api/workshops/${closed.id}/minutes`)).json() as Minutes
    expect(minutes.decisions).toHaveLength(1)
    expect(minutes.actions).toHaveLength(1)
    expect(minutes.polls[0]!.votes).toBe(attendance.total)
    // A multiple-choice poll, one ballot per attendee with several answers.
    expect(minutes.polls[1]).toMatchObject({ multiple: true, votes: attendance.total })
    expect(minutes.polls[1]!.results.reduce((a, b) => a + b, 0)).toBeGreaterThan(attendance.total)
    expect(minutes.summary).not.toBe('')
    const threads = (await observer.get(`/api/processes/${processSummary!.id}/threads?origin=workshop`)).json() as {
      total: number
      items: Thread[]
    }
    expect(threads.total).toBe(5)
    // Threads say which workshop they come from; one was recorded on a guest's behalf, one is on a passage.
    expect(threads.items.every((th) => th.workshop?.workshopId === closed.id)).toBe(true)
    expect(threads.items.filter((th) => th.workshop?.recordedBy).length).toBe(1)
    const onPassage = threads.items.find((th) => th.anchor !== null)
    expect(onPassage).toMatchObject({
      quote: 'report significant incidents within 24 hours',
      proposal: { scope: 'range' },
    })
    const docx = await observer.get(`/api/workshops/${closed.id}/minutes?format=docx`)
    expect(docx.statusCode).toBe(200)
    const items = (await observer.get(`/api/processes/${processSummary!.id}/action-items`)).json() as ActionItem[]
    expect(items.map((i) => i.status)).toEqual(['in-progress'])
  })
})
