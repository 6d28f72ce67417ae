import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Section } from '../../shared/api/documents'
import type { Participation, ParticipationCell } from '../../shared/api/participation'
import { createTestApp } from '../support/app'
import { openConsultation } from '../support/consultations'
import { sectionId } from '../support/threads'
import { makeWorld } from '../support/world'

// The participation balance (issue 17, item 1) and the public "who took part" page (item 3)
// against a known data set written straight into the tables, so every number below is worked
// out by hand from the list that follows. Weeks start on Mondays (UTC): W1 2026-11-02,
// W2 2026-11-09, W3 2026-11-16 (nothing), W4 2026-11-23.
//
// Members' threads
//   T1 Governance: root civil-society "Digital Rights Foundation" 11-03; reply academia
//      "National University" 11-04; reply government hidden 11-05 (held back)
//   T2 Critical infrastructure: root private-sector hidden 11-10; reply academia 11-11 (held
//      back with its hidden root)
//   T3 Critical infrastructure: root civil-society " digital rights FOUNDATION " 11-24 (the same
//      organisation); reply government withdrawn 11-24 (neither counted nor held back)
// Public consultation K (visibility immediately)
//   T4 Governance, a campaign of two submissions: individual, no organisation, 11-03;
//      civil-society "Open Knowledge Circle" (consent) 11-10; a third one unverified (not counted)
//   T5 Vision, pending approval: private-sector "PENDINGORG" 11-24 (held back)
// Endorsements: T1 academia "National University" 11-04, T1 government "Ministry of ICT" 11-10,
//   T4 private-sector "Digital Commerce Chamber" 11-24, T2 (hidden) civil-society: not counted
// Workshop (agenda Governance, Critical infrastructure), checked in 11-10: civil-society
//   "Digital Rights Foundation" (consents to be named), government "Ministry of ICT" (does not),
//   individual (no organisation). Contributions 11-10: a comment on Governance by the
//   civil-society attendee (thread T6, whose root is that contribution); a decision on a free
//   topic by the government attendee; a comment on Critical infrastructure (thread T7) that a
//   moderator hid (held back). T6 has a reply by academia "National University" 11-11.

const t = await createTestApp()
const { db } = t
const world = await makeWorld(t)
const { process, documentId, owner, people } = world
const sections = (await owner.get(`/api/documents/${documentId}/sections`)).json() as Section[]
const V = sectionId(sections, 'Vision')
const G = sectionId(sections, 'Governance')
const C = sectionId(sections, 'Critical infrastructure')
const TITLES: Record<string, string> = {
  [V]: 'Vision',
  [G]: 'Governance',
  [C]: 'Critical infrastructure',
}

const consultation = await openConsultation(owner, process.id, documentId)
let threadNumber = 1000
const at = (day: string, time = '12:00:00') => `2026-11-${day}T${time}Z`

async function thread(
  section: string,
  opts: { consultationId?: string; workshopId?: string; submissions?: number } = {},
) {
  threadNumber += 1
  const row = await db
    .insertInto('threads')
    .values({
      process_id: process.id,
      document_id: documentId,
      number: threadNumber,
      section_id: section,
      section_title: TITLES[section]!,
      kind: 'comment',
      consultation_id: opts.consultationId ?? null,
      workshop_id: opts.workshopId ?? null,
      submission_count: opts.submissions ?? 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

async function comment(
  threadId: string,
  opts: {
    root?: boolean
    group: string
    organisation?: string
    day: string
    hidden?: boolean
    pending?: boolean
    withdrawn?: boolean
  },
) {
  await db
    .insertInto('comments')
    .values({
      thread_id: threadId,
      process_id: process.id,
      is_root: opts.root ?? false,
      author_name: 'Someone PERSONMARKER',
      author_group: opts.group,
      author_organisation: opts.organisation ?? '',
      body: `Text ${randomBytes(4).toString('hex')}`,
      created_at: at(opts.day),
      hidden_at: opts.hidden || opts.pending ? at(opts.day, '13:00:00') : null,
      pending: opts.pending ?? false,
      withdrawn_at: opts.withdrawn ? at(opts.day, '14:00:00') : null,
    })
    .execute()
}

async function submission(
  threadId: string | null,
  section: string,
  opts: { group: string; organisation?: string; day: string; status?: string },
) {
  await db
    .insertInto('consultation_submissions')
    .values({
      consultation_id: consultation.id,
      reference: `REF-${randomBytes(5).toString('hex')}`,
      status: opts.status ?? 'accepted',
      thread_id: threadId,
      section_id: section,
      author_name: null,
      stakeholder_group: opts.group,
      organisation: opts.organisation ?? '',
      email: null,
      email_key: null,
      consent: true,
      body: 'A public comment',
      text_hash: 'hash',
      address_hash: 'address',
      language: 'en',
      created_at: at(opts.day),
    })
    .execute()
}

async function endorse(threadId: string, group: string, organisation: string, day: string) {
  const user = await t.factories.createUser()
  await db
    .insertInto('endorsements')
    .values({
      thread_id: threadId,
      user_id: user.id,
      stakeholder_group: group,
      organisation,
      created_at: at(day),
    })
    .execute()
}

// Members' threads.
const t1 = await thread(G)
await comment(t1, {
  root: true,
  group: 'civil-society',
  organisation: 'Digital Rights Foundation',
  day: '03',
})
await comment(t1, { group: 'academia', organisation: 'National University', day: '04' })
await comment(t1, { group: 'government', organisation: 'Ministry of ICT', day: '05', hidden: true })
const t2 = await thread(C)
await comment(t2, {
  root: true,
  group: 'private-sector',
  organisation: 'Digital Commerce Chamber',
  day: '10',
  hidden: true,
})
await comment(t2, { group: 'academia', organisation: 'National University', day: '11' })
const t3 = await thread(C)
await comment(t3, {
  root: true,
  group: 'civil-society',
  organisation: ' digital rights FOUNDATION ',
  day: '24',
})
await comment(t3, {
  group: 'government',
  organisation: 'Ministry of ICT',
  day: '24',
  withdrawn: true,
})
// The public consultation.
const t4 = await thread(G, { consultationId: consultation.id, submissions: 2 })
await comment(t4, { root: true, group: 'individual', day: '03' })
await submission(t4, G, { group: 'individual', day: '03' })
await submission(t4, G, {
  group: 'civil-society',
  organisation: 'Open Knowledge Circle',
  day: '10',
})
await submission(null, G, {
  group: 'academia',
  organisation: 'UNVERIFIEDORG',
  day: '10',
  status: 'unverified',
})
const t5 = await thread(V, { consultationId: consultation.id })
await comment(t5, {
  root: true,
  group: 'private-sector',
  organisation: 'PENDINGORG',
  day: '24',
  pending: true,
})
await submission(t5, V, { group: 'private-sector', organisation: 'PENDINGORG', day: '24' })
// Endorsements.
await endorse(t1, 'academia', 'National University', '04')
await endorse(t1, 'government', 'Ministry of ICT', '10')
await endorse(t4, 'private-sector', 'Digital Commerce Chamber', '24')
await endorse(t2, 'civil-society', 'Digital Rights Foundation', '12')
// The workshop.
const workshop = await db
  .insertInto('workshops')
  .values({
    process_id: process.id,
    document_id: documentId,
    title: 'Governance round table',
    starts_at: at('10', '09:00:00'),
    ends_at: at('10', '12:00:00'),
    time_zone: 'UTC',
    format: 'in-person',
    languages: JSON.stringify(['en']),
    capacity: null,
    state: 'closed',
    created_by_name: 'Facilitator',
  })
  .returning('id')
  .executeTakeFirstOrThrow()
const [itemG, itemC] = await db
  .insertInto('workshop_agenda_items')
  .values([
    { workshop_id: workshop.id, position: 0, section_id: G, title: 'Governance', minutes: 30 },
    {
      workshop_id: workshop.id,
      position: 1,
      section_id: C,
      title: 'Critical infrastructure',
      minutes: 30,
    },
  ])
  .returning('id')
  .execute()
const attendee = async (group: string, organisation: string, consent: boolean) =>
  (
    await db
      .insertInto('workshop_attendees')
      .values({
        workshop_id: workshop.id,
        name: `Attendee ${group} PERSONMARKER`,
        organisation,
        stakeholder_group: group,
        consent_public: consent,
        mode: 'in-person',
        checked_in_at: at('10', '09:05:00'),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
const drf = await attendee('civil-society', 'Digital Rights Foundation', true)
const ministry = await attendee('government', 'Ministry of ICT', false)
await attendee('individual', '', true)
const t6 = await thread(G, { workshopId: workshop.id })
await comment(t6, {
  root: true,
  group: 'civil-society',
  organisation: 'Digital Rights Foundation',
  day: '10',
})
await comment(t6, { group: 'academia', organisation: 'National University', day: '11' })
const t7 = await thread(C, { workshopId: workshop.id })
await comment(t7, {
  root: true,
  group: 'academia',
  organisation: 'National University',
  day: '10',
  hidden: true,
})
const contribution = (values: {
  kind: string
  agenda: string | null
  thread: string | null
  section: string | null
  attendee: string | null
  group: string
  organisation: string
}) =>
  db
    .insertInto('workshop_contributions')
    .values({
      workshop_id: workshop.id,
      agenda_item_id: values.agenda,
      kind: values.kind,
      thread_id: values.thread,
      section_id: values.section,
      body: 'Said in the room',
      attendee_id: values.attendee,
      author_name: 'Attendee',
      author_group: values.group,
      author_organisation: values.organisation,
      created_at: at('10', '10:00:00'),
    })
    .execute()
await contribution({
  kind: 'comment',
  agenda: itemG!.id,
  thread: t6,
  section: G,
  attendee: drf,
  group: 'civil-society',
  organisation: 'Digital Rights Foundation',
})
await contribution({
  kind: 'decision',
  agenda: null,
  thread: null,
  section: null,
  attendee: ministry,
  group: 'government',
  organisation: 'Ministry of ICT',
})
await contribution({
  kind: 'comment',
  agenda: itemC!.id,
  thread: t7,
  section: C,
  attendee: null,
  group: 'academia',
  organisation: 'National University',
})

const GROUPS = ['government', 'civil-society', 'academia', 'private-sector', 'individual']
const zero = { comments: 0, organisations: 0, endorsements: 0, contributions: 0, attendance: 0 }
/** Cells in the order of GROUPS from the non-zero ones given. */
const cells = (given: Record<string, Partial<typeof zero>>): ParticipationCell[] =>
  GROUPS.map((group) => ({ group, ...zero, ...given[group] }))

async function balance(query = ''): Promise<Participation> {
  const response = await owner.get(`/api/processes/${process.id}/participation${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json() as Participation
}

describe('GET /api/processes/:id/participation', () => {
  it('counts every section × group cell of the known data set exactly, never hidden, pending or withdrawn items', async () => {
    const p = await balance()
    expect(p.groups.map((g) => g.key)).toEqual(GROUPS)
    expect(p.sections.map((s) => [s.sectionId, s.title])).toEqual([
      [V, 'Vision'],
      [G, 'Governance'],
      [C, 'Critical infrastructure'],
      [null, ''],
    ])
    const [vision, governance, infrastructure, free] = p.sections
    expect(vision!.cells).toEqual(cells({}))
    expect(governance!.cells).toEqual(
      cells({
        government: { endorsements: 1, attendance: 1, organisations: 1 },
        'civil-society': { comments: 2, contributions: 1, attendance: 1, organisations: 2 },
        academia: { comments: 2, endorsements: 1, organisations: 1 },
        'private-sector': { endorsements: 1, organisations: 1 },
        individual: { comments: 1, attendance: 1 },
      }),
    )
    expect(governance!.total).toEqual({
      comments: 5,
      organisations: 5,
      endorsements: 3,
      contributions: 1,
      attendance: 3,
    })
    expect(infrastructure!.cells).toEqual(
      cells({
        government: { attendance: 1, organisations: 1 },
        'civil-society': { comments: 1, attendance: 1, organisations: 1 },
        individual: { attendance: 1 },
      }),
    )
    expect(free!.cells).toEqual(cells({ government: { contributions: 1, organisations: 1 } }))
    expect(p.byGroup).toEqual(
      cells({
        government: { endorsements: 1, contributions: 1, attendance: 1, organisations: 1 },
        'civil-society': { comments: 3, contributions: 1, attendance: 1, organisations: 2 },
        academia: { comments: 2, endorsements: 1, organisations: 1 },
        'private-sector': { endorsements: 1, organisations: 1 },
        individual: { comments: 1, attendance: 1 },
      }),
    )
    expect(p.totals).toEqual({
      comments: 6,
      organisations: 5,
      endorsements: 3,
      contributions: 2,
      attendance: 3,
    })
    expect(p.heldBack).toEqual({ hidden: 4, pending: 1 })
  })

  it('gives a series per week and group, empty weeks included', async () => {
    const p = await balance()
    expect(p.weeks.map((w) => w.weekStart)).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ])
    expect(p.weeks[0]!.cells).toEqual(
      cells({
        'civil-society': { comments: 1, organisations: 1 },
        academia: { comments: 1, endorsements: 1, organisations: 1 },
        individual: { comments: 1 },
      }),
    )
    expect(p.weeks[1]!.cells).toEqual(
      cells({
        government: { endorsements: 1, contributions: 1, attendance: 1, organisations: 1 },
        'civil-society': { comments: 1, contributions: 1, attendance: 1, organisations: 2 },
        academia: { comments: 1, organisations: 1 },
        individual: { attendance: 1 },
      }),
    )
    expect(p.weeks[2]!.cells).toEqual(cells({}))
    expect(p.weeks[3]!.cells).toEqual(
      cells({
        'civil-society': { comments: 1, organisations: 1 },
        'private-sector': { endorsements: 1, organisations: 1 },
      }),
    )
  })

  it('filters by origin, consultation and period (both days included)', async () => {
    const members = await balance('?origin=members')
    expect(members.totals).toEqual({
      comments: 3,
      organisations: 3,
      endorsements: 2,
      contributions: 0,
      attendance: 0,
    })
    expect(members.heldBack).toEqual({ hidden: 3, pending: 0 })
    const expectedPublic = {
      comments: 2,
      organisations: 2,
      endorsements: 1,
      contributions: 0,
      attendance: 0,
    }
    const open = await balance('?origin=public')
    expect(open.totals).toEqual(expectedPublic)
    expect(open.heldBack).toEqual({ hidden: 0, pending: 1 })
    const byConsultation = await balance(`?consultationId=${consultation.id}`)
    expect(byConsultation.totals).toEqual(expectedPublic)
    expect(byConsultation.byGroup).toEqual(open.byGroup)
    const workshops = await balance('?origin=workshop')
    expect(workshops.totals).toEqual({
      comments: 1,
      organisations: 3,
      endorsements: 0,
      contributions: 2,
      attendance: 3,
    })
    expect(workshops.heldBack).toEqual({ hidden: 1, pending: 0 })

    const week2 = await balance('?from=2026-11-09&to=2026-11-15')
    expect(week2.weeks.map((w) => w.weekStart)).toEqual(['2026-11-09'])
    expect(week2.totals).toEqual({
      comments: 2,
      organisations: 4,
      endorsements: 1,
      contributions: 2,
      attendance: 3,
    })
    expect(week2.heldBack).toEqual({ hidden: 3, pending: 0 })
    const firstDays = await balance('?to=2026-11-03')
    expect(firstDays.totals).toEqual({
      comments: 2,
      organisations: 1,
      endorsements: 0,
      contributions: 0,
      attendance: 0,
    })
    const lastDay = await balance('?from=2026-11-24&to=2026-11-24&origin=public')
    expect(lastDay.totals).toEqual({
      comments: 0,
      organisations: 1,
      endorsements: 1,
      contributions: 0,
      attendance: 0,
    })
    expect(lastDay.heldBack).toEqual({ hidden: 0, pending: 1 })
  })

  it('filters by document: its sections as rows, its threads and the workshops held on it', async () => {
    const same = await balance(`?documentId=${documentId}`)
    expect(same.totals).toEqual({
      comments: 6,
      organisations: 5,
      endorsements: 3,
      contributions: 2,
      attendance: 3,
    })
    expect(same.sections.map((s) => s.sectionId)).toEqual([V, G, C, null])
    const other = await t.factories.createDocument(
      process.id,
      process.secretariat,
      'Annex',
      '# Annex\n\nText.\n',
    )
    const annex = await balance(`?documentId=${other.id}`)
    expect(annex.totals).toEqual(zero)
    expect(annex.heldBack).toEqual({ hidden: 0, pending: 0 })
    expect(annex.sections.map((s) => s.title)).toEqual(['Annex'])
    expect(annex.weeks).toEqual([])
    // Without a document filter, the annex's section is a row too, with nothing in it.
    const all = await balance()
    expect(all.sections.map((s) => s.title)).toEqual([
      'Vision',
      'Governance',
      'Critical infrastructure',
      'Annex',
      '',
    ])
    expect(all.totals).toEqual(same.totals)
  })

  it('refuses bad filters with 400, and a consultation or document of another process with 404', async () => {
    for (const query of [
      '?from=2026-02-30',
      '?from=2026-11-10&to=2026-11-09',
      '?to=yesterday',
      '?origin=press',
      '?consultationId=not-a-uuid',
      '?group=academia',
    ]) {
      const response = await owner.get(`/api/processes/${process.id}/participation${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().code, query).toBe('validation_failed')
    }
    const other = await makeWorld(t)
    const elsewhere = await openConsultation(other.owner, other.process.id, other.documentId)
    const response = await owner.get(
      `/api/processes/${process.id}/participation?consultationId=${elsewhere.id}`,
    )
    expect(response.statusCode).toBe(404)
    const document = await owner.get(
      `/api/processes/${process.id}/participation?documentId=${other.documentId}`,
    )
    expect(document.statusCode).toBe(404)
  })

  it('answers the secretariat and facilitators only: 403 for other roles, 404 outside, 401 signed out', async () => {
    const facilitator = await people.facilitator.get(`/api/processes/${process.id}/participation`)
    expect(facilitator.statusCode).toBe(200)
    expect((facilitator.json() as Participation).totals.comments).toBe(6)
    for (const role of ['drafter', 'stakeholder', 'observer'] as const) {
      const response = await people[role].get(`/api/processes/${process.id}/participation`)
      expect(response.statusCode, role).toBe(403)
    }
    const stranger = await t.as(await t.factories.createUser())
    expect((await stranger.get(`/api/processes/${process.id}/participation`)).statusCode).toBe(404)
    expect((await t.anonymous.get(`/api/processes/${process.id}/participation`)).statusCode).toBe(
      401,
    )
  })
})

describe('GET /p/:slug/participation', () => {
  const slug = `who-${randomBytes(4).toString('hex')}`
  const page = async (lang = '') => {
    const response = await t.anonymous.get(`/p/${slug}/participation${lang}`)
    expect(response.statusCode, response.body).toBe(200)
    return response.body
  }
  /** The numbers of a table row whose header is `label`, as written on the page. */
  const row = (html: string, label: string) => {
    const match = new RegExp(`<tr><th scope="row">${label}</th>((?:<td>[^<]*</td>)+)</tr>`).exec(
      html,
    )
    return match ? [...match[1]!.matchAll(/<td>([^<]*)<\/td>/g)].map((m) => m[1]) : null
  }

  it('answers 404 while the public home is off', async () => {
    const response = await t.anonymous.get(`/p/${slug}/participation`)
    expect(response.statusCode).toBe(404)
  })

  it('counts by group without the workshop until its minutes are public, and names only consenting organisations', async () => {
    const set = await owner.put(`/api/processes/${process.id}/public-home`, { enabled: true, slug })
    expect(set.statusCode, set.body).toBe(200)
    const home = (await t.anonymous.get(`/p/${slug}`)).body
    expect(home).toContain(`href="/p/${slug}/participation?lang=en"`)
    const html = await page()
    expect(html).not.toContain('<script')
    // Columns: comments, endorsements, workshop contributions, workshop attendance, organisations.
    expect(row(html, 'Civil society')).toEqual(['3', '0', '0', '0', '2'])
    expect(row(html, 'Academia')).toEqual(['1', '1', '0', '0', '1'])
    expect(row(html, 'Government')).toEqual(['0', '1', '0', '0', '1'])
    expect(row(html, 'Total')).toEqual(['5', '3', '0', '0', '5'])
    expect(html).toContain('Open Knowledge Circle')
    expect(html).not.toContain('Digital Rights Foundation')
    expect(html).not.toContain('Governance round table')
  })

  it('adds the workshop once its minutes are public, with attendance by group, naming only attendees who consented', async () => {
    await db
      .updateTable('workshops')
      .set({
        state: 'published',
        minutes_public: true,
        minutes_published_at: at('12'),
        minutes: JSON.stringify({}),
      })
      .where('id', '=', workshop.id)
      .execute()
    const html = await page()
    expect(row(html, 'Civil society')).toEqual(['3', '0', '1', '1', '2'])
    expect(row(html, 'Government')).toEqual(['0', '1', '1', '1', '1'])
    expect(row(html, 'Total')).toEqual(['6', '3', '2', '3', '5'])
    expect(html).toContain('Governance round table')
    expect(html).toMatch(
      /<li>Digital Rights Foundation <span class="record-item-meta">\(workshop\)<\/span><\/li>/,
    )
    expect(html).toMatch(
      /<li>Open Knowledge Circle <span class="record-item-meta">\(public consultation\)<\/span><\/li>/,
    )
    for (const secret of [
      'Ministry of ICT',
      'National University',
      'Digital Commerce Chamber',
      'PENDINGORG',
      'UNVERIFIEDORG',
      'PERSONMARKER',
    ]) {
      expect(html, secret).not.toContain(secret)
    }
  })

  it('lists the consultation with its window and every extension, with the reason', async () => {
    const closesAt = new Date(Date.parse(consultation.closesAt) + 7 * 86_400_000).toISOString()
    const extended = await owner.post(`/api/consultations/${consultation.id}/extend`, {
      closesAt,
      reason: 'More time for <b>regions</b>',
    })
    expect(extended.statusCode, extended.body).toBe(200)
    const html = await page()
    expect(html).toContain(`href="/c/${consultation.slug}?lang=en"`)
    expect(html).toContain('Published on')
    expect(html).toContain('Extended on')
    expect(html).toContain('Reason: More time for &lt;b>regions&lt;/b>')
    expect(html.toLowerCase()).toContain(`datetime="${closesAt.toLowerCase()}"`)
    const spanish = await page('?lang=es')
    expect(spanish).toContain('<html lang="es">')
    expect(spanish).toContain('Quién participó')
    expect(spanish).toContain('Prorrogada el')
  })
})
