import type { AuditPage, AuditSubjects } from '../../shared/api/audit'
import type { AuditRow, Executor } from '../db/database'
import {
  listAuditEntries,
  listConsultationsByIds,
  listDocumentsByIds,
  listThreadsByIds,
  listVersionsByIds,
} from './queries'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The ids an entry refers to, by kind: its target, and ids its details name. */
function idsOf(row: AuditRow): Record<keyof AuditSubjects, string | undefined> {
  const details = (row.details ?? {}) as Record<string, unknown>
  const id = (value: unknown) =>
    typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined
  const target = (type: string) => (row.target_type === type ? id(row.target_id) : undefined)
  return {
    thread: target('thread'),
    document: target('document') ?? id(details.documentId),
    version: target('version') ?? id(details.versionId),
    consultation: target('consultation'),
  }
}

/**
 * Looks up what a page of entries is about, one query per kind (issue 15, item 6), so the
 * activity log reads as sentences with links instead of raw ids. A thread's or version's
 * document is looked up too, so an entry about a thread can say where it is.
 */
async function subjectsOf(
  db: Executor,
  processId: string,
  rows: AuditRow[],
): Promise<AuditSubjects[]> {
  const wanted = rows.map(idsOf)
  const all = (kind: keyof AuditSubjects) => [
    ...new Set(wanted.map((w) => w[kind]).filter((x): x is string => x !== undefined)),
  ]
  // One query at a time: PGlite has a single connection.
  const threads = all('thread').length ? await listThreadsByIds(db, processId, all('thread')) : []
  const versions = all('version').length
    ? await listVersionsByIds(db, processId, all('version'))
    : []
  const consultations = all('consultation').length
    ? await listConsultationsByIds(db, processId, all('consultation'))
    : []
  const threadById = new Map(threads.map((t) => [t.id, t]))
  const versionById = new Map(versions.map((v) => [v.id, v]))
  const documentIds = new Set(all('document'))
  for (const w of wanted) {
    const document =
      (w.thread && threadById.get(w.thread)?.document_id) ??
      (w.version && versionById.get(w.version)?.document_id)
    if (document && !w.document) {
      w.document = document
    }
    if (w.document) {
      documentIds.add(w.document)
    }
  }
  const documents = documentIds.size
    ? await listDocumentsByIds(db, processId, [...documentIds])
    : []
  const documentById = new Map(documents.map((d) => [d.id, d]))
  const consultationById = new Map(consultations.map((c) => [c.id, c]))

  return wanted.map((w) => {
    const subjects: AuditSubjects = {}
    const thread = w.thread ? threadById.get(w.thread) : undefined
    if (thread) {
      subjects.thread = {
        id: thread.id,
        number: thread.number,
        documentId: thread.document_id,
        sectionTitle: thread.section_title,
      }
    }
    const document = w.document ? documentById.get(w.document) : undefined
    if (document) {
      subjects.document = {
        id: document.id,
        title: document.title,
        deleted: document.deleted_at !== null,
      }
    }
    const version = w.version ? versionById.get(w.version) : undefined
    if (version) {
      subjects.version = {
        id: version.id,
        number: version.number,
        name: version.name,
        documentId: version.document_id,
      }
    }
    const consultation = w.consultation ? consultationById.get(w.consultation) : undefined
    if (consultation) {
      subjects.consultation = {
        id: consultation.id,
        slug: consultation.slug,
        title: consultation.title,
      }
    }
    return subjects
  })
}

/** One page of a process's audit log, newest first, each entry with what it is about. */
export async function readAuditLog(
  db: Executor,
  processId: string,
  limit: number,
  before?: number,
): Promise<AuditPage> {
  const rows = await listAuditEntries(db, processId, limit + 1, before)
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  const subjects = await subjectsOf(db, processId, page)
  return {
    entries: page.map((row, i) => ({
      id: Number(row.id),
      action: row.action,
      actorName: row.actor_name,
      targetType: row.target_type,
      targetId: row.target_id,
      details: row.details,
      subjects: subjects[i] ?? {},
      createdAt: row.created_at.toISOString(),
    })),
    nextBefore: rows.length > limit && last ? Number(last.id) : null,
  }
}
