import type {
  ActionStatus,
  AgendaItem,
  AttendanceMode,
  Attendee,
  Contribution,
  ContributionKind,
  Poll,
  PollState,
  Registration,
  Workshop,
  WorkshopFormat,
  WorkshopState,
} from '../../shared/api/workshops'
import type {
  AgendaItemRow,
  AttendeeRow,
  ContributionRow,
  PollRow,
  RegistrationRow,
  VoteRow,
  WorkshopRow,
} from '../db/database'

const iso = (date: Date) => date.toISOString()
const isoOrNull = (date: Date | null) => (date === null ? null : date.toISOString())

export function toAgendaItem(row: AgendaItemRow): AgendaItem {
  return {
    id: row.id,
    position: row.position,
    kind: row.section_id !== null ? 'section' : 'topic',
    sectionId: row.section_id,
    topic: row.topic,
    title: row.title,
    minutes: row.minutes,
    extraMinutes: row.extra_minutes,
    lead: row.lead,
    startedAt: isoOrNull(row.started_at),
    endedAt: isoOrNull(row.ended_at),
  }
}

export function toWorkshop(row: WorkshopRow, agenda: AgendaItemRow[], registered: number): Workshop {
  return {
    id: row.id,
    processId: row.process_id,
    documentId: row.document_id,
    title: row.title,
    purpose: row.purpose,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    timeZone: row.time_zone,
    format: row.format as WorkshopFormat,
    place: row.place,
    meetingUrl: row.meeting_url,
    languages: row.languages,
    capacity: row.capacity,
    registered,
    state: row.state as WorkshopState,
    revision: row.revision,
    groupThreshold: row.group_threshold,
    agenda: agenda.map(toAgendaItem),
    createdByName: row.created_by_name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    startedAt: isoOrNull(row.started_at),
    closedAt: isoOrNull(row.closed_at),
    cancelledAt: isoOrNull(row.cancelled_at),
    cancelReason: row.cancel_reason,
    minutesPublishedAt: isoOrNull(row.minutes_published_at),
    minutesPublic: row.minutes_public,
  }
}

export function toRegistration(row: RegistrationRow & { checked_in: unknown }): Registration {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    organisation: row.organisation,
    stakeholderGroup: row.stakeholder_group,
    email: row.email,
    consentPublic: row.consent_public,
    code: row.code,
    checkedIn: Boolean(row.checked_in),
    createdAt: iso(row.created_at),
  }
}

export function toAttendee(row: AttendeeRow): Attendee {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation,
    stakeholderGroup: row.stakeholder_group,
    mode: row.mode as AttendanceMode,
    checkedInAt: iso(row.checked_in_at),
  }
}

export function toContribution(row: ContributionRow): Contribution {
  return {
    id: row.id,
    workshopId: row.workshop_id,
    agendaItemId: row.agenda_item_id,
    kind: row.kind as ContributionKind,
    threadId: row.thread_id,
    sectionId: row.section_id,
    body: row.body,
    authorName: row.author_name,
    authorGroup: row.author_group,
    authorOrganisation: row.author_organisation,
    recordedBy: row.recorded_by_name,
    owner: row.owner,
    dueDate: row.due_date === null ? null : String(dateOnly(row.due_date)),
    status: row.status as ActionStatus | null,
    createdAt: iso(row.created_at),
  }
}

// `date` columns come back as a Date from pg and as a string from PGlite.
function dateOnly(value: unknown): string {
  if (value instanceof Date) {
    const y = value.getFullYear()
    const m = String(value.getMonth() + 1).padStart(2, '0')
    const d = String(value.getDate()).padStart(2, '0')
    return `${y}-${m}-${d}`
  }
  return String(value).slice(0, 10)
}

/** A poll with its results in total and by group; `attendeeId` picks out the caller's own answer. */
export function toPoll(row: PollRow, votes: VoteRow[], attendeeId: string | null): Poll {
  const own = votes.filter((vote) => vote.poll_id === row.id)
  const tally = (list: VoteRow[]) => {
    const results = row.options.map(() => 0)
    for (const vote of list) {
      for (const choice of vote.choices) {
        if (choice < results.length) {
          results[choice] = (results[choice] ?? 0) + 1
        }
      }
    }
    return results
  }
  const groups = [...new Set(own.map((vote) => vote.stakeholder_group))].sort()
  return {
    id: row.id,
    agendaItemId: row.agenda_item_id,
    question: row.question,
    options: row.options,
    multiple: row.multiple,
    state: row.state as PollState,
    votes: own.length,
    results: tally(own),
    byGroup: groups.map((group) => ({
      group,
      results: tally(own.filter((vote) => vote.stakeholder_group === group)),
    })),
    myChoices: own.find((vote) => vote.attendee_id === attendeeId)?.choices ?? null,
  }
}
