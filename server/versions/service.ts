import { listTranslationDocuments } from '../translations/service'
import { Node } from 'prosemirror-model'
import * as Y from 'yjs'
import type { ExportFormat } from '../../shared/api/documents'
import type { Version } from '../../shared/api/versions'
import type { Action } from '../../shared/domain/permissions'
import { findSections, schema } from '../../shared/schema'
import type { Ctx, Origin } from '../context'
import type { DocumentRow, Executor, StoredSection } from '../db/database'
import type { Actor } from '../auth/actor'
import { authorize, type MembershipContext } from '../auth/guard'
import { AppError, badRequest, notFound } from '../errors'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import type { Comparison, ComparisonEnd } from '../../shared/api/comparison'
import { compareDocuments } from '../render/compare'
import { renderComparisonDocx } from '../render/docx'
import { DICTIONARIES } from '../../shared/i18n/dictionaries'
import { uiLanguageOf } from '../../shared/i18n/languages'

import {
  DOCX_CONTENT_TYPE,
  fileNameOf,
  loadConsistentState,
  loadContent,
  renderExport,
  type DocumentExport,
} from '../documents/service'
import type { StoredState } from '../documents/state'
import { updateToProseMirror } from '../render/to-prosemirror'
import * as queries from './queries'
import { toVersion, type VersionSummaryRow } from './present'

/** A version the caller may act on, and their membership in its process. */
export interface VersionAccess {
  version: VersionSummaryRow
  membership: MembershipContext
}

/**
 * Decides whether `actor` may do `action` on a version: an unknown version, one of a deleted
 * document and one of a process the actor is not a member of are the same 404, so nobody
 * learns that a version exists (STYLE 2.7); a role without the action is 403.
 */
export async function authorizeVersion(
  db: Executor,
  actor: Actor,
  versionId: string,
  action: Action,
): Promise<VersionAccess> {
  const version = await queries.findVersion(db, versionId)
  if (!version) {
    throw notFound('Version')
  }
  try {
    const membership = await authorize(db, actor, version.process_id, action)
    return { version, membership }
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404) {
      throw notFound('Version')
    }
    throw error
  }
}

/**
 * Counts the words of a document's text: runs of non-blank characters that hold at least one
 * letter or digit, so a dash or a bullet standing alone is not a word. Blocks, table cells and
 * line breaks separate words.
 */
export function countWords(doc: Node): number {
  const text = doc.textBetween(0, doc.content.size, '\n', '\n')
  let words = 0
  for (const token of text.split(/\s+/)) {
    if (/[\p{L}\p{N}]/u.test(token)) {
      words += 1
    }
  }
  return words
}

/**
 * Freezes a document's current stored state as a new named version with the next number of
 * that document, and records it in the audit log in the same transaction. The state is read
 * from the database (snapshot and log tail, one consistent picture), never from a live room,
 * so the version holds exactly what was committed when it was made (DESIGN: render from a
 * scratch Y.Doc). The version cannot change afterwards: the database refuses any UPDATE.
 */
export async function createVersion(
  ctx: Ctx,
  document: DocumentRow,
  name: string,
  origin: Origin,
): Promise<Version> {
  const frozen = await freezeDocument(ctx, document)
  // Naming a version of a source freezes every language at once (issue 16, item 5): each
  // live translation as it is committed now, under the same name, pointing to this version.
  const translations =
    document.source_document_id === null ? await listTranslationDocuments(ctx.db, document.id) : []
  const frozenTranslations: { document: DocumentRow; frozen: FrozenDocument }[] = []
  for (const translation of translations) {
    frozenTranslations.push({ document: translation, frozen: await freezeDocument(ctx, translation) })
  }
  return inTransaction(ctx.db, async (trx) => {
    const version = await insertFrozenVersion(trx, document, frozen, name, origin)
    for (const each of frozenTranslations) {
      await insertFrozenVersion(trx, each.document, each.frozen, name, origin, version.id)
    }
    return version
  })
}

/** A document's stored state read once, with what a version keeps of it. */
export interface FrozenDocument {
  seq: number
  state: Uint8Array
  content: unknown
  sections: StoredSection[]
  words: number
}

/**
 * Reads a document's committed state (snapshot and log tail, one consistent picture) and
 * renders what a version keeps. It runs outside any transaction of the caller's, because the
 * consistent read is a transaction of its own.
 */
export async function freezeDocument(ctx: Ctx, document: DocumentRow): Promise<FrozenDocument> {
  return freezeState(await loadConsistentState(ctx.db, document.id))
}

/** What a version keeps of a stored state (see `freezeDocument`; the demo seed reads its own). */
export function freezeState(stored: StoredState): FrozenDocument {
  const doc = updateToProseMirror(stored.update)
  return {
    seq: stored.seq,
    state: fullUpdate(stored.update),
    content: doc.toJSON(),
    sections: findSections(doc).map((s) => ({ id: s.id, level: s.level, title: s.title })),
    words: countWords(doc),
  }
}

/**
 * Stores a frozen document as its next version inside `trx`, with its audit record, so a
 * caller can make the version and what depends on it (a consultation) in one transaction.
 */
export async function insertFrozenVersion(
  trx: Executor,
  document: Pick<DocumentRow, 'id' | 'process_id' | 'title'>,
  frozen: FrozenDocument,
  name: string,
  origin: Origin,
  sourceVersionId?: string,
): Promise<Version> {
  await queries.lockVersionNumbers(trx, document.id)
  const row = await queries.insertVersion(trx, {
    processId: document.process_id,
    documentId: document.id,
    title: document.title,
    name: name.trim(),
    state: frozen.state,
    content: frozen.content,
    sections: frozen.sections,
    words: frozen.words,
    createdBy: origin.userId,
    createdByName: origin.name,
    ...(sourceVersionId !== undefined ? { sourceVersionId } : {}),
  })
  await recordAudit(trx, origin, {
    processId: document.process_id,
    action: 'version.created',
    targetType: 'version',
    targetId: row.id,
    details: {
      documentId: document.id,
      number: row.number,
      name: row.name,
      seq: frozen.seq,
      words: frozen.words,
      ...(sourceVersionId !== undefined ? { sourceVersionId } : {}),
    },
  })
  return toVersion(row)
}

// One update that builds the whole document from nothing, re-encoded from a scratch Y.Doc so
// that it stands alone whatever the log held (an empty document gives an empty doc's update).
function fullUpdate(update: Uint8Array | null): Uint8Array {
  const scratch = new Y.Doc()
  try {
    if (update !== null) {
      Y.applyUpdate(scratch, update)
    }
    return Y.encodeStateAsUpdate(scratch)
  } finally {
    scratch.destroy()
  }
}

/** The versions of a document, oldest (number 1) first. */
export async function listVersions(ctx: Ctx, documentId: string): Promise<Version[]> {
  const rows = await queries.listVersions(ctx.db, documentId)
  return rows.map(toVersion)
}

// Versions never change (the database refuses any UPDATE), so their content, once read and
// checked, is kept for the next comparison or thread history: reading and checking a 300-page
// version costs more than comparing two (bench/compare.ts).
const contentCache = new Map<string, Node>()
const CONTENT_CACHE_SIZE = 8

/**
 * A version's frozen content, checked against the schema like any stored JSON (STYLE 2.10).
 * The same immutable node may be handed to several callers: none may change it.
 */
export async function loadVersionContent(db: Executor, versionId: string): Promise<Node> {
  const cached = contentCache.get(versionId)
  if (cached) {
    // Most recently used last, so the oldest is the one let go.
    contentCache.delete(versionId)
    contentCache.set(versionId, cached)
    return cached
  }
  const found = await queries.findVersionContent(db, versionId)
  if (!found) {
    throw notFound('Version')
  }
  // A version that no longer fits the schema fails loudly instead of rendering something else.
  const doc = Node.fromJSON(schema, found.content)
  doc.check()
  contentCache.set(versionId, doc)
  if (contentCache.size > CONTENT_CACHE_SIZE) {
    contentCache.delete(contentCache.keys().next().value!)
  }
  return doc
}

const endOf = (version: VersionSummaryRow): ComparisonEnd => ({
  versionId: version.id,
  number: version.number,
  name: version.name,
  createdAt: new Date(version.created_at).toISOString(),
  isLive: false,
})

/**
 * Compares a version with another version of the same document, or with the live draft
 * (`to = 'live'`), section by section (issue 14, item 2). The caller has been authorised on
 * `from`; `to` is authorised the same way, so a version the caller may not read is the same
 * 404 as a missing one. Versions of two different documents are not comparable: 400.
 */
export async function compareVersion(
  ctx: Ctx,
  actor: Actor,
  from: VersionSummaryRow,
  to: string,
): Promise<Comparison> {
  let newer: Promise<Node>
  let end: ComparisonEnd
  if (to === 'live') {
    newer = loadContent(ctx.db, from.document_id)
    end = { versionId: null, number: null, name: null, createdAt: null, isLive: true }
  } else {
    const { version } = await authorizeVersion(ctx.db, actor, to, 'documents.read')
    if (version.document_id !== from.document_id) {
      throw badRequest('Only versions of the same document can be compared')
    }
    newer = loadVersionContent(ctx.db, version.id)
    end = endOf(version)
  }
  // Both sides are read at once (on PostgreSQL over two connections).
  const [older, newerDoc] = await Promise.all([loadVersionContent(ctx.db, from.id), newer])
  return {
    documentId: from.document_id,
    from: endOf(from),
    to: end,
    ...compareDocuments(older, newerDoc),
  }
}

const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => String(values[name] ?? ''))

/**
 * A comparison as a .docx file with insertions and deletions as tracked changes (issue 14,
 * item 2), labelled in the caller's language (English when theirs has no catalogue).
 */
export async function exportComparison(
  ctx: Ctx,
  actor: Actor,
  from: VersionSummaryRow,
  to: string,
): Promise<{ contentType: string; fileName: string; body: Buffer }> {
  const comparison = await compareVersion(ctx, actor, from, to)
  const strings = DICTIONARIES[uiLanguageOf(actor.locale)].versions.compareDocx
  const name = (end: ComparisonEnd) =>
    end.isLive
      ? strings.live
      : fill(strings.version, { number: end.number ?? '', name: end.name ?? '' })
  const body = await renderComparisonDocx(
    comparison.sections,
    {
      title: fill(strings.title, { from: name(comparison.from), to: name(comparison.to) }),
      summary: fill(strings.summary, comparison.summary),
      status: strings.status,
      renamedFrom: strings.renamedFrom,
      moved: strings.moved,
      author: strings.author,
    },
    new Date(),
  )
  const toPart = comparison.to.isLive ? 'live' : `v${comparison.to.number}`
  return {
    contentType: DOCX_CONTENT_TYPE,
    fileName: `${fileNameOf(from.title)}-v${from.number}-${toPart}-comparison.docx`,
    body,
  }
}

/**
 * Renders a version's frozen content, never the live document's: as a complete, inert HTML
 * page (in the process's first language), as Markdown, or as ProseMirror JSON.
 */
export async function exportVersion(
  ctx: Ctx,
  actor: Actor,
  version: VersionSummaryRow,
  format: ExportFormat,
): Promise<DocumentExport> {
  const doc = await loadVersionContent(ctx.db, version.id)
  return renderExport(
    ctx,
    actor,
    {
      doc,
      title: `${version.title} — ${version.name}`,
      processId: version.process_id,
      fileName: `${fileNameOf(version.title)}-v${version.number}`,
    },
    format,
  )
}
