import { Node } from 'prosemirror-model'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import * as Y from 'yjs'
import type {
  AlignedSection,
  Alignment,
  AlignmentStatus,
  TranslationList,
  TranslationSummary,
} from '../../shared/api/translations'
import type { DocumentSummary } from '../../shared/api/processes'
import { schema } from '../../shared/schema'
import { findSections } from '../../shared/schema/section-ids'
import type { Ctx, Origin } from '../context'
import type { DocumentRow, Executor } from '../db/database'
import { inTransaction } from '../db/transaction'
import { recordAudit } from '../audit/record'
import { editDocumentIn, insertDocument, loadContent } from '../documents/service'
import { toDocumentSummary } from '../documents/present'
import { loadState } from '../documents/state'
import { badRequest, conflict, notFound } from '../errors'
import { compareSectionSlices, sectionSlice } from '../render/compare'
import { updateToProseMirror } from '../render/to-prosemirror'
import { sliceFromJSON } from '../comments/text-history'
import * as queries from './queries'

/**
 * Translations of a document (issue 16, items 1 and 3). A translation is a document of its
 * own (live co-drafting as any other), made as a copy of its source so that every heading
 * keeps the source's section id: sections are aligned by id, whatever their titles say in
 * each language and wherever they move. Each translated section remembers the source section
 * it was last brought up to date with; when the source's differs now, the section is stale
 * and shows the source's redline since then.
 */

/** The language a document is written in: its own, or the process's main language. */
export function languageOf(document: DocumentRow, processLanguages: readonly string[]): string {
  return document.language ?? processLanguages[0] ?? 'en'
}

/** The section ids of a document's top-level sections, in order, each once. */
function topSectionIds(doc: Node): string[] {
  const ids: string[] = []
  const seen = new Set<string>()
  doc.forEach((block) => {
    const id: unknown = block.type.name === 'heading' ? block.attrs.sectionId : null
    if (typeof id === 'string' && !seen.has(id)) {
      seen.add(id)
      ids.push(id)
    }
  })
  return ids
}

/** The title of each section by id. */
function titlesOf(doc: Node): Map<string, string> {
  return new Map(
    findSections(doc).flatMap((s) => (s.id === null ? [] : [[s.id, s.title] as const])),
  )
}

/**
 * Creates the translation of `source` into `language`: a copy of the source's current
 * content (so its headings keep their section ids), every section marked up to date with the
 * source as it is now. One translation per language, under the source's row lock.
 */
export async function createTranslation(
  ctx: Ctx,
  source: DocumentRow,
  input: { language: string; title?: string },
  origin: Origin,
): Promise<DocumentSummary> {
  if (source.source_document_id !== null) {
    throw conflict('This document is a translation: translations are made from its source')
  }
  const languages = await queries.findProcessLanguages(ctx.db, source.process_id)
  const sourceLanguage = languageOf(source, languages)
  if (!languages.includes(input.language)) {
    throw badRequest('The language must be one of the process’s languages', [
      { path: '/language', message: 'not a language of this process' },
    ])
  }
  if (input.language === sourceLanguage) {
    throw badRequest('A translation is into another language than its source’s', [
      { path: '/language', message: 'the source is written in this language' },
    ])
  }
  const row = await inTransaction(ctx.db, async (trx) => {
    if (!(await queries.lockLiveDocument(trx, source.id))) {
      throw notFound('Document')
    }
    if (await queries.findTranslation(trx, source.id, input.language)) {
      throw conflict(`This document has a translation into ${input.language} already`)
    }
    const state = await loadState(trx, source.id)
    const content = updateToProseMirror(state.update)
    const { id } = await insertDocument(
      trx,
      source.process_id,
      input.title ?? source.title,
      origin,
      {
        content,
        source: 'translation',
      },
    )
    await queries.setTranslationOf(trx, id, source.id, input.language)
    await queries.upsertSectionsUpToDate(
      trx,
      id,
      topSectionIds(content).map((sectionId) => ({
        sectionId,
        sourceSection: sectionSlice(content, sectionId)!.toJSON(),
        sourceSeq: state.seq,
      })),
      origin.userId,
    )
    await recordAudit(trx, origin, {
      processId: source.process_id,
      action: 'document.translation_created',
      targetType: 'document',
      targetId: id,
      details: { sourceDocumentId: source.id, language: input.language },
    })
    return (await queries.findLiveDocument(trx, id))!
  })
  return toDocumentSummary(row)
}

interface AlignmentInput {
  translation: DocumentRow
  source: DocumentRow
  sourceContent: Node
  sourceSeq: number
  content: Node
  records: queries.TranslationSectionRecord[]
  languages: string[]
}

function alignmentOf(input: AlignmentInput): Alignment {
  const { translation, source, sourceContent, content } = input
  const records = new Map(input.records.map((r) => [r.section_id, r]))
  const here = new Set(topSectionIds(content))
  const sourceIds = topSectionIds(sourceContent)
  const there = new Set(sourceIds)
  const sourceTitles = titlesOf(sourceContent)
  const titles = titlesOf(content)
  const sections: AlignedSection[] = []
  for (const sectionId of sourceIds) {
    const record = records.get(sectionId)
    const base = {
      sectionId,
      sourceTitle: sourceTitles.get(sectionId) ?? null,
      title: titles.get(sectionId) ?? null,
      upToDateAt: record ? record.updated_at.toISOString() : null,
      upToDateBy: record?.updated_by_name ?? null,
    }
    if (!here.has(sectionId)) {
      sections.push({
        ...base,
        status: 'missing',
        sourceTitleThen: null,
        sourceRedline: [],
        upToDateAt: null,
        upToDateBy: null,
      })
      continue
    }
    const now = sectionSlice(sourceContent, sectionId)!
    const then = record ? sliceFromJSON(record.source_section) : null
    // A section never brought up to date (or whose record no longer reads) is behind the whole
    // source section: its redline is all of it, inserted.
    const entry = compareSectionSlices(sectionId, then ?? now.type.create(now.attrs, []), now)
    const stale = then === null || entry.isChanged || entry.isRenamed
    sections.push({
      ...base,
      status: stale ? 'stale' : 'aligned',
      sourceTitleThen: stale ? (entry.fromTitle ?? null) : null,
      sourceRedline: stale ? entry.redline : [],
    })
  }
  for (const sectionId of topSectionIds(content)) {
    if (!there.has(sectionId)) {
      sections.push({
        sectionId,
        status: 'removed',
        sourceTitle: null,
        sourceTitleThen: null,
        title: titles.get(sectionId) ?? null,
        sourceRedline: [],
        upToDateAt: null,
        upToDateBy: null,
      })
    }
  }
  const counts = { aligned: 0, stale: 0, missing: 0, removed: 0 } satisfies Record<
    AlignmentStatus,
    number
  >
  for (const section of sections) {
    counts[section.status] += 1
  }
  return {
    documentId: translation.id,
    language: languageOf(translation, input.languages),
    sourceDocumentId: source.id,
    sourceLanguage: languageOf(source, input.languages),
    counts,
    sections,
  }
}

async function loadAlignmentInput(ctx: Ctx, translation: DocumentRow): Promise<AlignmentInput> {
  if (translation.source_document_id === null) {
    throw conflict('This document is not a translation')
  }
  const source = await queries.findLiveDocument(ctx.db, translation.source_document_id)
  if (!source) {
    throw notFound('Source document')
  }
  // One after the other: the embedded database has one connection, and each state is read
  // in a transaction of its own.
  const sourceState = await queries.loadConsistentSourceState(ctx.db, source.id)
  const content = await loadContent(ctx.db, translation.id)
  const records = await queries.listSectionRecords(ctx.db, translation.id)
  const languages = await queries.findProcessLanguages(ctx.db, translation.process_id)
  return {
    translation,
    source,
    sourceContent: updateToProseMirror(sourceState.update),
    sourceSeq: sourceState.seq,
    content,
    records,
    languages,
  }
}

/** A translation section by section against its source. */
export async function getAlignment(ctx: Ctx, translation: DocumentRow): Promise<Alignment> {
  return alignmentOf(await loadAlignmentInput(ctx, translation))
}

/** Every language of a document (the source, then its translations), with what is behind. */
export async function listTranslations(ctx: Ctx, document: DocumentRow): Promise<TranslationList> {
  const source =
    document.source_document_id === null
      ? document
      : await queries.findLiveDocument(ctx.db, document.source_document_id)
  if (!source) {
    throw notFound('Source document')
  }
  const languages = await queries.findProcessLanguages(ctx.db, source.process_id)
  const translations = await queries.listTranslations(ctx.db, source.id)
  const summaries: TranslationSummary[] = [
    {
      documentId: source.id,
      title: source.title,
      language: languageOf(source, languages),
      isSource: true,
      staleCount: 0,
      missingCount: 0,
      removedCount: 0,
    },
  ]
  for (const translation of translations) {
    const { counts } = await getAlignment(ctx, translation)
    summaries.push({
      documentId: translation.id,
      title: translation.title,
      language: languageOf(translation, languages),
      isSource: false,
      staleCount: counts.stale,
      missingCount: counts.missing,
      removedCount: counts.removed,
    })
  }
  return { sourceDocumentId: source.id, languages: summaries }
}

/**
 * Marks a translated section as brought up to date with its source section as it is now.
 * Both must have it; an unchanged record is still touched (who checked it, and when).
 */
export async function markUpToDate(
  ctx: Ctx,
  translation: DocumentRow,
  sectionId: string,
  origin: Origin,
): Promise<AlignedSection> {
  const input = await loadAlignmentInput(ctx, translation)
  const now = sectionSlice(input.sourceContent, sectionId)
  if (!now) {
    throw conflict('The source has no such section (any more): remove it here instead')
  }
  if (!sectionSlice(input.content, sectionId)) {
    throw conflict('This translation does not have the section yet: bring it over first')
  }
  await inTransaction(ctx.db, async (trx) => {
    await queries.upsertSectionsUpToDate(
      trx,
      translation.id,
      [{ sectionId, sourceSection: now.toJSON(), sourceSeq: input.sourceSeq }],
      origin.userId,
    )
    await recordAudit(trx, origin, {
      processId: translation.process_id,
      action: 'document.translation_section_updated',
      targetType: 'document',
      targetId: translation.id,
      details: { sectionId, sourceDocumentId: input.source.id },
    })
  })
  return findSection(await getAlignment(ctx, translation), sectionId)
}

function findSection(alignment: Alignment, sectionId: string): AlignedSection {
  const section = alignment.sections.find((s) => s.sectionId === sectionId)
  if (!section) {
    throw notFound('Section')
  }
  return section
}

/**
 * Brings a section the source has and this translation lacks ("missing here") over: the
 * source's section, heading and text, is inserted after the nearest preceding section both
 * have (to be translated in the editor), as a collaborator's edit, and marked up to date.
 */
export async function bringSection(
  ctx: Ctx,
  translation: DocumentRow,
  sectionId: string,
  origin: Origin,
): Promise<AlignedSection> {
  const input = await loadAlignmentInput(ctx, translation)
  const slice = sectionSlice(input.sourceContent, sectionId)
  if (!slice) {
    throw conflict('The source has no such section')
  }
  const sourceIds = topSectionIds(input.sourceContent)
  const before = sourceIds.slice(0, sourceIds.indexOf(sectionId)).reverse()
  const seq = await inTransaction(ctx.db, async (trx) => {
    const { result: inserted, seq } = await editDocumentIn(
      trx,
      translation.id,
      (_doc, fragment) => {
        const blocks = fragment.toArray()
        const headingIds = blocks.map((block) =>
          block instanceof Y.XmlElement && block.nodeName === 'heading'
            ? block.getAttribute('sectionId')
            : undefined,
        )
        if (headingIds.includes(sectionId)) {
          return { result: false, keep: false }
        }
        fragment.insert(insertionIndex(headingIds, before), copyBlocks(slice))
        return { result: true, keep: true }
      },
    )
    if (!inserted) {
      throw conflict('This translation has the section already')
    }
    await queries.upsertSectionsUpToDate(
      trx,
      translation.id,
      [{ sectionId, sourceSection: slice.toJSON(), sourceSeq: input.sourceSeq }],
      origin.userId,
    )
    await recordAudit(trx, origin, {
      processId: translation.process_id,
      action: 'document.translation_section_added',
      targetType: 'document',
      targetId: translation.id,
      details: { sectionId, sourceDocumentId: input.source.id },
    })
    return seq
  })
  if (seq !== undefined) {
    ctx.events.emit('document.appended', { documentId: translation.id, seq })
  }
  return findSection(await getAlignment(ctx, translation), sectionId)
}

/**
 * Where a section goes among the top-level blocks: after the section of the nearest
 * preceding source section the translation has (before the next heading with an id), or
 * before the first section when none precedes it.
 */
function insertionIndex(headingIds: (string | undefined)[], precedingInSource: string[]): number {
  for (const previous of precedingInSource) {
    const at = headingIds.indexOf(previous)
    if (at >= 0) {
      const next = headingIds.findIndex((id, i) => i > at && typeof id === 'string')
      return next < 0 ? headingIds.length : next
    }
  }
  const first = headingIds.findIndex((id) => typeof id === 'string')
  return first < 0 ? headingIds.length : first
}

/** The blocks of a section as Yjs elements, ready to insert into another document. */
function copyBlocks(slice: Node): (Y.XmlElement | Y.XmlText)[] {
  const scratch = new Y.Doc()
  const fragment = scratch.getXmlFragment('copy')
  prosemirrorToYXmlFragment(schema.node('doc', null, slice.content), fragment)
  const copies = fragment.toArray().map((item) => item.clone() as Y.XmlElement | Y.XmlText)
  scratch.destroy()
  return copies
}

/** The live translations of a source (for versions, which freeze every language at once). */
export function listTranslationDocuments(db: Executor, sourceId: string): Promise<DocumentRow[]> {
  return queries.listTranslations(db, sourceId)
}

/** Records a document as the translation of another, each section up to date with the given slices (the demo). */
export async function recordTranslation(
  trx: Executor,
  translationId: string,
  sourceId: string,
  language: string,
  sections: { sectionId: string; sourceSection: unknown; sourceSeq: number }[],
  userId: string | null,
): Promise<void> {
  await queries.setTranslationOf(trx, translationId, sourceId, language)
  await queries.upsertSectionsUpToDate(trx, translationId, sections, userId)
}
