import type { Node } from 'prosemirror-model'
import * as Y from 'yjs'
import type { CreateDocumentBody, DocumentSummary } from '../../shared/api/processes'
import {
  IMPORT_LIMITS,
  type ExportFormat,
  type ImportDocumentBody,
  type ImportResult,
  type ProseMirrorDoc,
  type Section,
} from '../../shared/api/documents'
import { findSections } from '../../shared/schema'
import type { Ctx, Origin } from '../context'
import type { Db, DocumentRow, Executor } from '../db/database'
import type { Action } from '../../shared/domain/permissions'
import type { Actor } from '../auth/actor'
import { authorize, type MembershipContext } from '../auth/guard'
import { AppError, badRequest, notFound } from '../errors'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { getProcess } from '../processes/service'
import { DocxImportError, parseDocx } from '../render/from-docx'
import { renderDocx } from '../render/docx'
import { renderHtmlDocument } from '../render/html'
import { parseMarkdown, toMarkdown } from '../render/markdown'
import {
  PROSEMIRROR_FRAGMENT,
  proseMirrorToUpdate,
  updateToProseMirror,
} from '../render/to-prosemirror'
import * as queries from './queries'
import { toDocumentSummary, toSection } from './present'
import { loadState, writeInitialState, type StoredState } from './state'
import * as stateQueries from './state-queries'
import { documentFromTemplate } from './templates'

/** The live documents of a process, oldest first. */
export async function listDocuments(ctx: Ctx, processId: string): Promise<DocumentSummary[]> {
  const rows = await queries.listDocuments(ctx.db, processId)
  return rows.map(toDocumentSummary)
}

/**
 * Creates a document in a process, empty or from a template in the process's first
 * language, and records who did. The template's content is the document's first stored
 * update, committed with the document itself.
 */
export async function createDocument(
  ctx: Ctx,
  actor: Actor,
  processId: string,
  input: CreateDocumentBody,
  origin: Origin,
): Promise<{ id: string }> {
  let content: Node | undefined
  if (input.template !== undefined) {
    const process = await getProcess(ctx.db, actor, processId)
    if (input.language !== undefined && !process.languages.includes(input.language)) {
      throw badRequest('The template language must be one of the process’s languages', [
        { path: 'body/language', message: 'not a language of this process' },
      ])
    }
    content = documentFromTemplate(
      input.template,
      input.title.trim(),
      input.language ?? process.languages[0] ?? 'en',
    )
  }
  return inTransaction(ctx.db, (trx) =>
    insertDocument(
      trx,
      processId,
      input.title,
      origin,
      content ? { content, source: input.template } : {},
    ),
  )
}

/**
 * Inserts a document inside an existing transaction (also used by the demo and the test
 * factories). With `content`, the document starts with it as its first stored update, in
 * the same transaction (DESIGN: initial content is written once, on the server, never by the
 * first client to connect). `source` (an import format or a template) goes into the audit
 * record.
 */
export async function insertDocument(
  trx: Executor,
  processId: string,
  title: string,
  origin: Origin,
  options: { content?: Node; source?: string } = {},
): Promise<{ id: string }> {
  const row = await queries.insertDocument(trx, {
    processId,
    title: title.trim(),
    createdBy: origin.userId,
  })
  if (options.content) {
    await writeInitialState(trx, row.id, proseMirrorToUpdate(options.content))
  }
  await recordAudit(trx, origin, {
    processId,
    action: 'document.created',
    targetType: 'document',
    targetId: row.id,
    details: {
      title: row.title,
      ...(options.source !== undefined ? { source: options.source } : {}),
    },
  })
  return { id: row.id }
}

/**
 * Creates a document from a Markdown text or a .docx file. The file is converted before
 * anything is written, so a file that cannot be read creates nothing: 400 for unreadable
 * content, 413 for content beyond IMPORT_LIMITS. Headings become sections with fresh ids;
 * the answer lists them.
 */
export async function importDocument(
  ctx: Ctx,
  processId: string,
  input: ImportDocumentBody,
  origin: Origin,
): Promise<ImportResult> {
  const doc = await convertImport(input)
  const { id } = await inTransaction(ctx.db, (trx) =>
    insertDocument(trx, processId, input.title, origin, { content: doc, source: input.format }),
  )
  return { id, sections: findSections(doc).map(toSection) }
}

const tooLarge = (message: string) => new AppError(413, 'payload_too_large', message)

async function convertImport(input: ImportDocumentBody): Promise<Node> {
  switch (input.format) {
    case 'markdown':
      if (input.content.length > IMPORT_LIMITS.markdownCharsMax) {
        throw tooLarge(
          `A Markdown import may have at most ${IMPORT_LIMITS.markdownCharsMax} characters`,
        )
      }
      return parseMarkdown(input.content)
    case 'docx': {
      const bytes = decodeBase64(input.content)
      if (bytes.byteLength > IMPORT_LIMITS.docxBytesMax) {
        throw tooLarge(`A .docx import may have at most ${IMPORT_LIMITS.docxBytesMax} bytes`)
      }
      try {
        return (await parseDocx(bytes)).doc
      } catch (error) {
        if (error instanceof DocxImportError) {
          throw error.reason === 'too_large' ? tooLarge(error.message) : badRequest(error.message)
        }
        throw error
      }
    }
  }
}

/** Decodes base64, with or without a `data:` URL prefix (what a browser's FileReader gives) and line breaks. */
function decodeBase64(content: string): Buffer {
  const text = content.replace(/^data:[^,]{0,200};base64,/, '').replace(/\s+/g, '')
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw badRequest('The .docx file must be sent as base64')
  }
  return Buffer.from(text, 'base64')
}

/** Renames a live document and records the old and the new title. */
export async function renameDocument(
  ctx: Ctx,
  document: DocumentRow,
  title: string,
  origin: Origin,
): Promise<DocumentSummary> {
  return inTransaction(ctx.db, async (trx) => {
    const row = await queries.updateDocumentTitle(trx, document.id, title.trim())
    if (!row) {
      throw notFound('Document')
    }
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: 'document.renamed',
      targetType: 'document',
      targetId: row.id,
      details: { title: { from: document.title, to: row.title } },
    })
    return toDocumentSummary(row)
  })
}

/**
 * Deletes a document: it disappears from every list and route at once, while its rows stay
 * (a soft delete) for the audit trail. Once the deletion is committed, `document.deleted`
 * is emitted so open collaboration sockets on it close.
 */
export async function deleteDocument(
  ctx: Ctx,
  document: DocumentRow,
  origin: Origin,
): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await queries.markDocumentDeleted(trx, document.id)
    if (!row) {
      throw notFound('Document')
    }
    await recordAudit(trx, origin, {
      processId: row.process_id,
      action: 'document.deleted',
      targetType: 'document',
      targetId: row.id,
      details: { title: row.title },
    })
  })
  // After the commit: a listener must never see a deletion that could still roll back.
  ctx.events.emit('document.deleted', { processId: document.process_id, documentId: document.id })
}

/**
 * A document's current content as a ProseMirror document, converted from its stored state
 * (snapshot and later updates) on a scratch Y.Doc, never from a live one.
 */
export async function loadContent(db: Db, documentId: string): Promise<Node> {
  const state = await loadConsistentState(db, documentId)
  return updateToProseMirror(state.update)
}

/**
 * Loads a document's snapshot and log tail as one consistent picture, in one REPEATABLE READ
 * transaction: at READ COMMITTED a compaction committing between the two reads would delete
 * updates the old snapshot does not hold. Do not call it inside another transaction (the
 * embedded database has one connection).
 */
export function loadConsistentState(db: Db, documentId: string): Promise<StoredState> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => loadState(trx, documentId))
}

/**
 * A scratch Y.Doc of a document's stored state, read through `db` as it is (inside the
 * caller's transaction, if any): for seeding, where nothing else writes meanwhile.
 */
export async function loadScratchDoc(db: Executor, documentId: string): Promise<Y.Doc> {
  const state = await loadState(db, documentId)
  const doc = new Y.Doc()
  if (state.update !== null) {
    Y.applyUpdate(doc, state.update)
  }
  return doc
}

/** The sections of a document's current content, in document order. */
export async function listSections(ctx: Ctx, documentId: string): Promise<Section[]> {
  return currentSections(ctx.db, documentId)
}

// Sections by document, for as long as the stored log does not move on: thread lists ask for
// them on every page, and a document that nobody edits is not converted again and again.
const sectionCache = new Map<string, { seq: number; sections: Section[] }>()
const SECTION_CACHE_SIZE = 64

/**
 * The sections of a live document's stored content, in document order (an empty list for
 * an unknown or deleted document). Cached per document until its log grows.
 */
export async function currentSections(db: Db, documentId: string): Promise<Section[]> {
  const row = await queries.findLiveDocument(db, documentId)
  if (!row) {
    return []
  }
  const cached = sectionCache.get(documentId)
  if (cached && cached.seq === Number(row.update_seq)) {
    return cached.sections
  }
  const state = await loadConsistentState(db, documentId)
  const sections = findSections(updateToProseMirror(state.update)).map(toSection)
  sectionCache.delete(documentId)
  sectionCache.set(documentId, { seq: state.seq, sections })
  if (sectionCache.size > SECTION_CACHE_SIZE) {
    sectionCache.delete(sectionCache.keys().next().value!)
  }
  return sections
}

// Content by document, for as long as its stored log does not move on: threads compare the
// text they were written on with it on every list (issue 14, item 3).
const contentCache = new Map<string, { seq: number; state: StoredState; content: Node }>()
const CONTENT_CACHE_SIZE = 8

/**
 * A live document's stored state and its content as a ProseMirror document, from one
 * consistent read; undefined for an unknown or deleted document. Cached per document until its
 * log grows, so callers must not change what they get.
 */
export async function currentContent(
  db: Db,
  documentId: string,
): Promise<{ state: StoredState; content: Node } | undefined> {
  const row = await queries.findLiveDocument(db, documentId)
  if (!row) {
    return undefined
  }
  const cached = contentCache.get(documentId)
  if (cached && cached.seq === Number(row.update_seq)) {
    return cached
  }
  const state = await loadConsistentState(db, documentId)
  const entry = { seq: state.seq, state, content: updateToProseMirror(state.update) }
  contentCache.delete(documentId)
  contentCache.set(documentId, entry)
  if (contentCache.size > CONTENT_CACHE_SIZE) {
    contentCache.delete(contentCache.keys().next().value!)
  }
  return entry
}

/**
 * A document's stored content read through `db` as it is (inside the caller's transaction,
 * if any), as a ProseMirror document.
 */
export async function loadContentIn(db: Executor, documentId: string): Promise<Node> {
  return updateToProseMirror((await loadState(db, documentId)).update)
}

/**
 * Edits a document on the server inside `trx`, as a collaborator would: under the
 * document's compaction lock (so concurrent server edits of one document take turns, and each
 * sees the one before), `edit` changes a scratch Y.Doc built from the stored state and says
 * whether to keep the change; a kept change, one Yjs update, is appended to the log in `trx`
 * and commits with whatever else the caller records. After the commit the caller emits
 * `document.appended` with the returned `seq`, and the rooms relay the change (issue 5, item 4).
 */
export async function editDocumentIn<T>(
  trx: Executor,
  documentId: string,
  edit: (doc: Y.Doc, fragment: Y.XmlFragment) => { result: T; keep: boolean },
): Promise<{ result: T; seq: number | undefined }> {
  await stateQueries.waitForCompactionLock(trx, documentId)
  const state = await loadState(trx, documentId)
  const { result, update } = editScratch(state, (doc, fragment) => edit(doc, fragment))
  return {
    result,
    seq:
      update === null
        ? undefined
        : await stateQueries.insertUpdatesAtHead(trx, documentId, [update]),
  }
}

// Runs `edit` on a scratch Y.Doc of `state` and returns its result and its change as one
// update (null when nothing changed or the change is not to be kept).
function editScratch<T>(
  state: StoredState,
  edit: (doc: Y.Doc, fragment: Y.XmlFragment) => { result: T; keep: boolean },
): { result: T; update: Uint8Array | null } {
  const scratch = new Y.Doc()
  try {
    if (state.update !== null) {
      Y.applyUpdate(scratch, state.update)
    }
    const updates: Uint8Array[] = []
    scratch.on('update', (update: Uint8Array) => updates.push(update))
    const { result, keep } = edit(scratch, scratch.getXmlFragment(PROSEMIRROR_FRAGMENT))
    const update =
      !keep || updates.length === 0
        ? null
        : updates.length === 1
          ? updates[0]!
          : Y.mergeUpdates(updates)
    return { result, update }
  } finally {
    scratch.destroy()
  }
}

/**
 * Edits a document on the server, as a collaborator would (tests and read-only checks): `edit` changes a scratch Y.Doc
 * built from the stored state, and returns a result and whether to keep the change. The
 * change, as one Yjs update, is appended to the log inside `trx`, so it commits with whatever
 * else the caller records; after the commit the caller emits `document.appended` with the
 * returned `seq`, and rooms relay the change to everyone editing (issue 5, item 4).
 * Concurrent edits merge as Yjs merges any two changes.
 */
export async function prepareServerEdit<T>(
  db: Db,
  documentId: string,
  edit: (doc: Y.Doc, fragment: Y.XmlFragment) => T,
): Promise<{ result: T; commit: (trx: Executor) => Promise<number | undefined> }> {
  const state = await loadConsistentState(db, documentId)
  const { result, update } = editScratch(state, (doc, fragment) => ({
    result: edit(doc, fragment),
    keep: true,
  }))
  return {
    result,
    commit: async (trx) =>
      update === null ? undefined : stateQueries.insertUpdatesAtHead(trx, documentId, [update]),
  }
}

/** A rendering of a document, ready to send. */
export type DocumentExport =
  | { format: 'html' | 'md'; contentType: string; fileName: string; body: string }
  | { format: 'json'; contentType: string; fileName: string; body: ProseMirrorDoc }
  | { format: 'docx'; contentType: string; fileName: string; body: Buffer }

/**
 * Renders a document's current content as a complete, inert HTML page (in the process's
 * first language), as Markdown, or as ProseMirror JSON.
 */
export async function exportDocument(
  ctx: Ctx,
  actor: Actor,
  document: DocumentRow,
  format: ExportFormat,
): Promise<DocumentExport> {
  const doc = await loadContent(ctx.db, document.id)
  return renderExport(
    ctx,
    actor,
    {
      doc,
      title: document.title,
      processId: document.process_id,
      fileName: fileNameOf(document.title),
    },
    format,
  )
}

/**
 * Renders content as an export: a complete, inert HTML page (in the process's first
 * language), Markdown, ProseMirror JSON or a .docx file, with a file name made from `fileName`. Used for
 * live documents and for frozen versions alike.
 */
export async function renderExport(
  ctx: Ctx,
  actor: Actor,
  content: { doc: Node; title: string; processId: string; fileName: string },
  format: ExportFormat,
): Promise<DocumentExport> {
  const { doc, fileName: baseName } = content
  switch (format) {
    case 'html': {
      const process = await getProcess(ctx.db, actor, content.processId)
      const body = renderHtmlDocument(doc, {
        title: content.title,
        lang: process.languages[0] ?? 'en',
      })
      return { format, contentType: 'text/html; charset=utf-8', fileName: `${baseName}.html`, body }
    }
    case 'md':
      return {
        format,
        contentType: 'text/markdown; charset=utf-8',
        fileName: `${baseName}.md`,
        body: toMarkdown(doc),
      }
    case 'json':
      return {
        format,
        contentType: 'application/json; charset=utf-8',
        fileName: `${baseName}.json`,
        body: doc.toJSON() as ProseMirrorDoc,
      }
    case 'docx':
      return {
        format,
        contentType: DOCX_CONTENT_TYPE,
        fileName: `${baseName}.docx`,
        body: await renderDocx(doc, { title: content.title }),
      }
  }
}

/** The content type of a .docx file. */
export const DOCX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/** A file name from a title: letters and digits, accents dropped, at most 80 characters. */
export function fileNameOf(title: string): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
  return ascii.length > 0 ? ascii : 'document'
}

/**
 * Decides whether `actor` may perform `action` on a document: an unknown or deleted
 * document and a document of a process the actor is not a member of are the same 404, so
 * nobody learns that a document exists (issue 3: 4404 on the socket); a role without the
 * action is 403. Used by document routes and by the collaboration socket.
 */
export async function authorizeDocument(
  db: Executor,
  actor: Actor,
  documentId: string,
  action: Action,
): Promise<{ document: DocumentRow; membership: MembershipContext }> {
  const document = await queries.findLiveDocument(db, documentId)
  if (!document) {
    throw notFound('Document')
  }
  try {
    const membership = await authorize(db, actor, document.process_id, action)
    return { document, membership }
  } catch (error) {
    if (error instanceof Error && 'statusCode' in error && error.statusCode === 404) {
      throw notFound('Document')
    }
    throw error
  }
}
