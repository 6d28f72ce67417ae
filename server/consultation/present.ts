import {
  adequacyOf,
  phaseOf,
  type Consultation,
  type ConsultationChange,
  type ConsultationPhase,
} from '../../shared/api/consultations'
import { estimatedPages } from '../../shared/api/versions'
import type { ConsultationChangeRow, ConsultationRow } from '../db/database'
import type { ConsultationWithVersion } from './queries'

const iso = (value: Date | string) => new Date(value).toISOString()

/** Where a stored consultation stands at `now`. */
export function phaseOfRow(row: ConsultationRow, now: Date = new Date()): ConsultationPhase {
  return phaseOf(
    {
      publishedAt: row.published_at === null ? null : iso(row.published_at),
      opensAt: iso(row.opens_at),
      closesAt: iso(row.closes_at),
    },
    now,
  )
}

export function toConsultationChange(row: ConsultationChangeRow): ConsultationChange {
  return {
    kind: row.kind as ConsultationChange['kind'],
    at: iso(row.created_at),
    by: row.actor_name,
    reason: row.reason,
    closesBefore: row.closes_before === null ? null : iso(row.closes_before),
    closesAfter: row.closes_after === null ? null : iso(row.closes_after),
  }
}

/** A consultation as members see it. */
export function toConsultation(
  row: ConsultationWithVersion,
  extra: {
    changes: ConsultationChangeRow[]
    counts: { submissions: number; threads: number } | undefined
    publicUrl: string
    minimumDaysPerPage: number
    now?: Date
  },
): Consultation {
  return {
    id: row.id,
    processId: row.process_id,
    documentId: row.document_id,
    versionId: row.version_id,
    versionName: row.version_name,
    versionNumber: row.version_number,
    slug: row.slug,
    title: row.title,
    introduction: row.introduction,
    opensAt: iso(row.opens_at),
    closesAt: iso(row.closes_at),
    timeZone: row.time_zone,
    access: row.access as Consultation['access'],
    moderation: row.moderation as Consultation['moderation'],
    visibility: row.visibility as Consultation['visibility'],
    showMemberThreads: row.show_member_threads,
    publishedAt: row.published_at === null ? null : iso(row.published_at),
    phase: phaseOfRow(row, extra.now),
    publicUrl: `${extra.publicUrl}/c/${row.slug}`,
    createdAt: iso(row.created_at),
    createdBy: row.created_by_name,
    adequacy: adequacyOf(
      row.version_words,
      estimatedPages(row.version_words),
      new Date(row.opens_at),
      new Date(row.closes_at),
      extra.minimumDaysPerPage,
    ),
    submissions: extra.counts?.submissions ?? 0,
    threads: extra.counts?.threads ?? 0,
    changes: extra.changes.map(toConsultationChange),
  }
}
