import * as Y from 'yjs'
import { findSections } from '../../shared/schema'
import { CHECK_IN_ALPHABET } from '../../shared/api/workshops'
import type { Executor } from '../db/database'
import { anchorForQuote } from '../comments/anchors'
import { insertThreadWithRoot } from '../comments/service'
import { loadScratchDoc } from '../documents/service'
import { PROSEMIRROR_FRAGMENT, updateToProseMirror } from '../render/to-prosemirror'
import { draftMinutes } from '../workshops/minutes'
import type { DemoMember } from './threads'

const HOUR = 3_600_000

/**
 * The demo's workshops (issue 13, item 10): a closed round table on critical infrastructure,
 * held two weeks ago, with attendance from every group (members and a guest without an
 * account), contributions that became threads of the section, a decision, an action item, a
 * straw poll and published minutes; and a scheduled session on incident response next month.
 * Rows are written through the seed's transaction, in the order a real session writes them.
 */
export async function seedDemoWorkshops(
  trx: Executor,
  processId: string,
  documentId: string,
  people: DemoMember[],
  facilitator: DemoMember,
): Promise<void> {
  const scratch = await loadScratchDoc(trx, documentId)
  const sections = findSections(updateToProseMirror(Y.encodeStateAsUpdate(scratch)))
  const section = (prefix: string) => {
    const found = sections.find((s) => s.title.startsWith(prefix))
    if (!found?.id) {
      throw new Error(`The demo draft has no section "${prefix}"`)
    }
    return { id: found.id, title: found.title }
  }
  const infrastructure = section('4.2')
  const governance = section('4.1')
  const incidents = section('4.3')
  const startedAt = new Date(Date.now() - 14 * 24 * HOUR)
  startedAt.setUTCHours(14, 0, 0, 0)
  const at = (minutes: number) => new Date(startedAt.getTime() + minutes * 60_000)

  const closed = await trx
    .insertInto('workshops')
    .values({
      process_id: processId,
      document_id: documentId,
      title: 'Round table: critical infrastructure',
      purpose:
        'Operators, regulators, researchers and civil society review the action line on critical infrastructure.',
      starts_at: startedAt,
      ends_at: at(120),
      time_zone: 'America/Bogota',
      format: 'hybrid',
      place: 'Ministry of ICT, room 4',
      meeting_url: 'https://meet.example.org/critical-infrastructure',
      languages: JSON.stringify(['es', 'en']),
      capacity: 40,
      state: 'running',
      started_at: startedAt,
      created_by: facilitator.userId,
      created_by_name: facilitator.name,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const agenda = await trx
    .insertInto('workshop_agenda_items')
    .values([
      {
        workshop_id: closed.id,
        position: 0,
        section_id: infrastructure.id,
        title: infrastructure.title,
        minutes: 45,
        extra_minutes: 10,
        lead: facilitator.name,
        started_at: at(0),
        ended_at: at(55),
      },
      {
        workshop_id: closed.id,
        position: 1,
        section_id: governance.id,
        title: governance.title,
        minutes: 30,
        started_at: at(55),
        ended_at: at(90),
      },
      {
        workshop_id: closed.id,
        position: 2,
        topic: 'Next steps',
        title: 'Next steps',
        minutes: 15,
        started_at: at(90),
        ended_at: at(110),
      },
    ])
    .returningAll()
    .execute()
  const [first, second] = agenda

  // Everyone with a group attends, and so does a guest without an account.
  const attendees = new Map<
    string,
    { id: string; name: string; group: string; organisation: string; userId: string | null }
  >()
  let code = 0
  const codeOf = () => `DEMAC${CHECK_IN_ALPHABET[code++]}`
  for (const person of [
    ...people,
    {
      userId: null,
      name: 'Rosa Díaz',
      group: 'technical-community',
      organisation: 'Internet Society chapter',
      email: '',
    },
  ]) {
    const registration = await trx
      .insertInto('workshop_registrations')
      .values({
        workshop_id: closed.id,
        user_id: person.userId,
        name: person.name,
        organisation: person.organisation,
        stakeholder_group: person.group,
        consent_public: true,
        code: codeOf(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const attendee = await trx
      .insertInto('workshop_attendees')
      .values({
        workshop_id: closed.id,
        registration_id: registration.id,
        user_id: person.userId,
        name: person.name,
        organisation: person.organisation,
        stakeholder_group: person.group,
        consent_public: true,
        mode: person.group === 'private-sector' ? 'online' : 'in-person',
        checked_in_at: at(-10),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    attendees.set(person.name, {
      id: attendee.id,
      name: person.name,
      group: person.group,
      organisation: person.organisation,
      userId: person.userId,
    })
  }
  const who = (name: string) => attendees.get(name)!

  const said = async (
    name: string,
    kind: 'comment' | 'question' | 'proposal',
    body: string,
    target: { id: string; title: string },
    item: { id: string },
    extra: { proposal?: string; recordedBy?: string; passage?: string } = {},
  ) => {
    const a = who(name)
    const member = people.find((p) => p.name === name)
    // A passage selected in the document during the session (issue 13, item 5), anchored like any thread.
    const anchor = extra.passage
      ? anchorForQuote(scratch.getXmlFragment(PROSEMIRROR_FRAGMENT), extra.passage)
      : null
    if (extra.passage && !anchor) {
      throw new Error(`The demo draft does not contain "${extra.passage}"`)
    }
    const thread = await insertThreadWithRoot(
      trx,
      {
        process_id: processId,
        document_id: documentId,
        section_id: target.id,
        section_title: target.title,
        kind,
        anchor_start: anchor?.start ?? null,
        anchor_end: anchor?.end ?? null,
        quote: anchor?.quote ?? null,
        proposal_scope: kind === 'proposal' ? (anchor ? 'range' : 'section') : null,
        proposal_text: extra.proposal ?? null,
        created_by: a.userId,
        workshop_id: closed.id,
      },
      {
        author_id: a.userId,
        author_name: a.name,
        author_group: a.group,
        author_organisation: a.organisation,
        author_role: member?.role ?? null,
        body,
      },
    )
    await trx
      .insertInto('workshop_contributions')
      .values({
        workshop_id: closed.id,
        agenda_item_id: item.id,
        kind,
        thread_id: thread.id,
        section_id: target.id,
        body,
        attendee_id: a.id,
        author_name: a.name,
        author_group: a.group,
        author_organisation: a.organisation,
        recorded_by_name: extra.recordedBy ?? null,
      })
      .execute()
  }
  const byGroup = (group: string) =>
    people.find((p) => p.group === group && p.role === 'stakeholder') ??
    people.find((p) => p.group === group)!
  await said(
    byGroup('private-sector').name,
    'comment',
    'Operators of essential services need one incident-reporting form for all regulators, not one per sector.',
    infrastructure,
    first!,
  )
  await said(
    byGroup('academia').name,
    'question',
    'Which systems count as critical: is there a published list, and who keeps it up to date?',
    infrastructure,
    first!,
  )
  await said(
    'Rosa Díaz',
    'proposal',
    'Add that the list of critical infrastructure is reviewed every year with operators.',
    infrastructure,
    first!,
    {
      proposal:
        'The national list of critical infrastructure is reviewed every year together with the operators concerned and published in summary form.',
      recordedBy: facilitator.name,
    },
  )
  await said(
    byGroup('government').name,
    'proposal',
    'Small operators cannot report in a day; give them a simplified form.',
    infrastructure,
    first!,
    {
      proposal:
        'report significant incidents within 24 hours (small operators on a simplified form)',
      passage: 'report significant incidents within 24 hours',
    },
  )
  await said(
    byGroup('civil-society').name,
    'comment',
    'The coordination council should include civil society with a vote, not only as observers.',
    governance,
    second!,
  )
  await trx
    .insertInto('workshop_contributions')
    .values([
      {
        workshop_id: closed.id,
        agenda_item_id: first!.id,
        kind: 'decision',
        section_id: infrastructure.id,
        body: 'One incident-reporting form shared by all sector regulators goes into the next draft.',
        attendee_id: who(facilitator.name).id,
        author_name: facilitator.name,
        author_group: facilitator.group,
        author_organisation: facilitator.organisation,
      },
      {
        workshop_id: closed.id,
        agenda_item_id: agenda[2]!.id,
        kind: 'action',
        body: 'Circulate a draft of the shared reporting form to operators and regulators.',
        attendee_id: who(facilitator.name).id,
        author_name: facilitator.name,
        author_group: facilitator.group,
        author_organisation: facilitator.organisation,
        owner: 'National CERT',
        due_date: new Date(Date.now() + 21 * 24 * HOUR).toISOString().slice(0, 10),
        status: 'in-progress',
      },
    ])
    .execute()
  const poll = await trx
    .insertInto('workshop_polls')
    .values({
      workshop_id: closed.id,
      agenda_item_id: first!.id,
      question: 'Should significant incidents be reported within 24 hours?',
      options: JSON.stringify(['Yes, 24 hours', 'No, 72 hours', 'It depends on the sector']),
      state: 'closed',
      opened_at: at(40),
      closed_at: at(50),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const choices: Record<string, number> = {
    government: 0,
    'civil-society': 0,
    academia: 0,
    'private-sector': 1,
    individual: 0,
    'technical-community': 2,
  }
  for (const a of attendees.values()) {
    await trx
      .insertInto('workshop_votes')
      .values({
        poll_id: poll.id,
        attendee_id: a.id,
        choices: JSON.stringify([choices[a.group] ?? 0]),
        stakeholder_group: a.group,
      })
      .execute()
  }
  // A straw poll with several answers: each attendee ticked the sectors to exercise first.
  const sectors = await trx
    .insertInto('workshop_polls')
    .values({
      workshop_id: closed.id,
      agenda_item_id: first!.id,
      question: 'Which sectors should the first national exercise cover?',
      options: JSON.stringify(['Electricity', 'Water', 'Health', 'Finance', 'Telecommunications']),
      multiple: true,
      state: 'closed',
      opened_at: at(52),
      closed_at: at(58),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const ticked: Record<string, number[]> = {
    government: [0, 4],
    'civil-society': [1, 2],
    academia: [0, 2, 4],
    'private-sector': [0, 3],
    individual: [2],
    'technical-community': [4],
  }
  for (const a of attendees.values()) {
    await trx
      .insertInto('workshop_votes')
      .values({
        poll_id: sectors.id,
        attendee_id: a.id,
        choices: JSON.stringify(ticked[a.group] ?? [0]),
        stakeholder_group: a.group,
      })
      .execute()
  }
  await trx
    .updateTable('workshops')
    .set({ state: 'closed', closed_at: at(110), revision: 12 })
    .where('id', '=', closed.id)
    .execute()
  await trx
    .updateTable('workshops')
    .set({
      minutes: JSON.stringify(await draftMinutes(trx, closed.id)),
      minutes_summary:
        'Participants from every group reviewed action line 4.2. Operators asked for a single incident-reporting form; the round table agreed to put it in the next draft and the National CERT will circulate a first version. Most groups favour reporting significant incidents within 24 hours; the private sector prefers 72.',
      minutes_published_at: at(24 * 60),
      minutes_public: true,
      state: 'published',
    })
    .where('id', '=', closed.id)
    .execute()

  const next = new Date(Date.now() + 30 * 24 * HOUR)
  next.setUTCHours(15, 0, 0, 0)
  const scheduled = await trx
    .insertInto('workshops')
    .values({
      process_id: processId,
      document_id: documentId,
      title: 'Working session: incident response and the National CERT',
      purpose: 'Walk through action line 4.3 with the CERT, operators and researchers.',
      starts_at: next,
      ends_at: new Date(next.getTime() + 2 * HOUR),
      time_zone: 'America/Bogota',
      format: 'online',
      meeting_url: 'https://meet.example.org/incident-response',
      languages: JSON.stringify(['en', 'es']),
      capacity: 60,
      state: 'scheduled',
      created_by: facilitator.userId,
      created_by_name: facilitator.name,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('workshop_agenda_items')
    .values([
      {
        workshop_id: scheduled.id,
        position: 0,
        section_id: incidents.id,
        title: incidents.title,
        minutes: 60,
        lead: facilitator.name,
      },
      {
        workshop_id: scheduled.id,
        position: 1,
        topic: 'Open questions',
        title: 'Open questions',
        minutes: 30,
      },
    ])
    .execute()
}
