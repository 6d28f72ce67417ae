import type {
  Adoption,
  AdoptedText,
  Commitment,
  CommitmentStatus,
  Indicator,
  Measurement,
  ProgressUpdate,
} from '../../shared/api/strategy'
import type { Language } from '../../shared/limits'
import type { CommitmentUpdateRow, IndicatorRow, MeasurementRow } from '../db/database'
import type { AdoptionListRow, AdoptionTextRow, CommitmentListRow } from './queries'

const iso = (value: Date | string) => new Date(value).toISOString()

/** A `date` column as YYYY-MM-DD: pg gives a Date (local midnight), PGlite a string. */
export function dateOnly(value: Date | string): string {
  if (value instanceof Date) {
    const y = value.getFullYear()
    const m = String(value.getMonth() + 1).padStart(2, '0')
    const d = String(value.getDate()).padStart(2, '0')
    return `${y}-${m}-${d}`
  }
  return String(value).slice(0, 10)
}

export function toAdoptedText(row: AdoptionTextRow): AdoptedText {
  return {
    language: row.language as Language,
    isSource: row.is_source,
    documentId: row.document_id,
    versionId: row.version_id,
    versionName: row.name,
    versionNumber: row.number,
    title: row.title,
    words: row.words,
  }
}

/** An adoption as the record shows it; `inForceId` names the one in force, if any. */
export function toAdoption(
  row: AdoptionListRow,
  texts: AdoptionTextRow[],
  inForceId: string | null,
): Adoption {
  const withdrawn = row.withdrawn_on !== null && row.withdrawn_at !== null
  return {
    id: row.id,
    number: row.number,
    adoptedOn: dateOnly(row.adopted_on),
    instrument: row.instrument,
    note: row.note,
    adoptedBy: row.created_by_name,
    recordedAt: iso(row.created_at),
    state: withdrawn ? 'withdrawn' : row.id === inForceId ? 'in-force' : 'superseded',
    supersedesId: row.supersedes_id,
    withdrawal: withdrawn
      ? {
          withdrawnOn: dateOnly(row.withdrawn_on!),
          reason: row.withdrawal_reason ?? '',
          withdrawnBy: row.withdrawn_by_name ?? '',
          recordedAt: iso(row.withdrawn_at!),
        }
      : null,
    texts: texts.filter((t) => t.adoption_id === row.id).map(toAdoptedText),
  }
}

function toMeasurement(row: MeasurementRow): Measurement {
  return {
    id: row.id,
    value: Number(row.value),
    measuredOn: dateOnly(row.measured_on),
    note: row.note,
    recordedBy: row.created_by_name,
  }
}

function toIndicator(row: IndicatorRow, measurements: MeasurementRow[]): Indicator {
  const own = measurements.filter((m) => m.indicator_id === row.id).map(toMeasurement)
  return {
    id: row.id,
    name: row.name,
    unit: row.unit,
    baseline: row.baseline === null ? null : Number(row.baseline),
    target: Number(row.target),
    latest: own[own.length - 1] ?? null,
    measurements: own,
  }
}

function toUpdate(row: CommitmentUpdateRow): ProgressUpdate {
  return {
    id: row.id,
    body: row.body,
    status: row.status as CommitmentStatus,
    writtenBy: row.created_by_name,
    writtenAt: iso(row.created_at),
  }
}

export function toCommitment(
  row: CommitmentListRow,
  indicators: IndicatorRow[],
  measurements: MeasurementRow[],
  updates: CommitmentUpdateRow[],
): Commitment {
  return {
    id: row.id,
    number: row.number,
    source: row.source as Commitment['source'],
    sectionId: row.section_id,
    sectionTitle: row.section_title,
    threadId: row.thread_id,
    threadNumber: row.thread_number ?? null,
    title: row.title,
    description: row.description,
    organisation: row.organisation,
    status: row.status as CommitmentStatus,
    droppedReason: row.dropped_reason,
    dueOn: row.due_on === null ? null : dateOnly(row.due_on),
    updatedAt: iso(row.updated_at),
    indicators: indicators
      .filter((i) => i.commitment_id === row.id)
      .map((i) => toIndicator(i, measurements)),
    updates: updates.filter((u) => u.commitment_id === row.id).map(toUpdate),
  }
}
