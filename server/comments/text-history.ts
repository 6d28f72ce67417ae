import { Node } from 'prosemirror-model'
import * as Y from 'yjs'
import type { RedlinePart } from '../../shared/api/comparison'
import type { ThreadAnsweredIn, ThreadTextChange, ThreadVersionRef } from '../../shared/api/threads'
import type { Version } from '../../shared/api/versions'
import { LIMITS } from '../../shared/limits'
import { schema } from '../../shared/schema'
import type { ThreadRow } from '../db/database'
import { compareSectionSlices, redlineOfTexts, sectionSlice } from '../render/compare'
import { decodeAnchor, resolveAnchor, textBetween } from './anchors'

/**
 * Threads across versions (issue 14, item 3): what a thread's section and passage were when
 * it was written, against what they are now, and which change answered it. The sections are
 * matched by their stable section id, so a thread stays with its section through renames,
 * moves and every later version; the redlines come from the comparison's word diff.
 */

/** A recorded section (ProseMirror JSON of a small document), checked against the schema; null when it does not fit. */
export function sliceFromJSON(json: unknown): Node | null {
  try {
    const node = Node.fromJSON(schema, json)
    node.check()
    return node
  } catch {
    // A record that no longer fits the schema shows no "changed since" rather than a wrong one.
    return null
  }
}

/** A version as a thread refers to it. */
export const versionRef = (version: Version): ThreadVersionRef => ({
  versionId: version.id,
  number: version.number,
  name: version.name,
})

/** The live draft as a thread's history reads it: its content, and its Yjs state for anchors. */
export interface LiveText {
  content: Node
  /** A scratch Y.Doc of the stored state, made on first use (anchors resolve against it). */
  ydoc: () => Y.Doc
}

/** A scratch Y.Doc made on first use from a stored update, and a way to let it go. */
export function lazyDoc(update: Uint8Array | null): { get: () => Y.Doc; destroy: () => void } {
  let doc: Y.Doc | undefined
  return {
    get: () => {
      if (!doc) {
        doc = new Y.Doc()
        if (update !== null) {
          Y.applyUpdate(doc, update)
        }
      }
      return doc
    },
    destroy: () => doc?.destroy(),
  }
}

/**
 * How a thread's section and passage stand now against `then`, the section as the thread
 * was written on it. The passage is read through the thread's anchor in the live state; a
 * passage that now spans several runs cannot be read in one piece, and is left out.
 */
export function textChangeOf(
  thread: ThreadRow,
  then: Node,
  basis: ThreadTextChange['basis'],
  writtenOn: ThreadVersionRef | null,
  live: LiveText,
  showPassage: boolean,
): ThreadTextChange {
  const nowSlice = sectionSlice(live.content, thread.section_id)
  const entry = compareSectionSlices(thread.section_id, then, nowSlice)
  const status: ThreadTextChange['section']['status'] = !nowSlice
    ? 'removed'
    : entry.isChanged
      ? 'changed'
      : entry.isRenamed
        ? 'renamed'
        : 'unchanged'
  const section: ThreadTextChange['section'] = {
    status,
    titleThen: entry.fromTitle ?? thread.section_title,
    titleNow: entry.toTitle,
    redline: status === 'changed' || status === 'removed' ? entry.redline : [],
  }
  const passage = showPassage ? passageChangeOf(thread, live) : null
  return {
    isChanged: status !== 'unchanged' || (passage !== null && passage.status !== 'unchanged'),
    basis,
    writtenOn,
    section,
    passage,
  }
}

function passageChangeOf(thread: ThreadRow, live: LiveText): ThreadTextChange['passage'] {
  const then = thread.quote
  if (thread.anchor_start === null || thread.anchor_end === null || then === null) {
    return null
  }
  const positions = decodeAnchor({ start: thread.anchor_start, end: thread.anchor_end })
  const range = positions ? resolveAnchor(live.ydoc(), positions) : 'unknown'
  if (range === 'gone') {
    return { status: 'removed', then, now: null, redline: redlineOfTexts(then, '') }
  }
  if (range === 'spans' || range === 'unknown') {
    return null
  }
  const now = textBetween(range.text, range.from, range.to)
  // The quote was cut at the limit when it was kept; compare as much as it holds.
  if (now.slice(0, LIMITS.quoteMax) === then) {
    return { status: 'unchanged', then, now, redline: [] }
  }
  return { status: 'changed', then, now, redline: redlineOfTexts(then, now) }
}

/** When a thread was answered: its proposal applied, its answer recorded, or its status set. */
export function answeredAt(thread: ThreadRow): number | null {
  const at =
    thread.applied?.at ?? thread.answered_at ?? (thread.status !== 'open' ? thread.status_at : null)
  return at === null ? null : new Date(at).getTime()
}

/**
 * The change that answered a thread: the version the answer names, else the first version
 * named after the answer in which the thread's section differs from the version before it
 * (or from the text the thread was written on, before the first version); else, for an
 * applied proposal not yet in any version, the applied change itself.
 */
export async function answeredInOf(
  thread: ThreadRow,
  then: Node | null,
  versions: readonly Version[],
  sliceOf: (versionId: string) => Promise<Node | null>,
): Promise<ThreadAnsweredIn | null> {
  const at = answeredAt(thread)
  if (at === null) {
    return null
  }
  const how: ThreadAnsweredIn['how'] = thread.applied ? 'applied' : 'version'
  const named = versions.find((v) => v.id === thread.answer_version_id)
  const candidates = named ? [named] : versions.filter((v) => new Date(v.createdAt).getTime() > at)
  for (const version of candidates) {
    const previous = versions.find((v) => v.number === version.number - 1)
    const older = previous ? await sliceOf(previous.id) : then
    const newer = await sliceOf(version.id)
    const redline = changeBetween(thread.section_id, older, newer)
    if (redline !== null || named) {
      return {
        how,
        version: versionRef(version),
        previousVersionId: previous?.id ?? null,
        redline: redline ?? [],
      }
    }
  }
  if (thread.applied) {
    return {
      how,
      version: null,
      previousVersionId: null,
      redline: redlineOfTexts(thread.applied.before, thread.applied.after),
    }
  }
  return null
}

// The redline of a section between two slices, or null when nothing in it changed.
function changeBetween(
  sectionId: string,
  older: Node | null,
  newer: Node | null,
): RedlinePart[] | null {
  if (older === null) {
    return newer === null
      ? null
      : compareSectionSlices(sectionId, newer, newer).redline.map((p) => ({ ...p, op: 'insert' }))
  }
  const entry = compareSectionSlices(sectionId, older, newer)
  return newer === null || entry.isChanged || entry.isRenamed ? entry.redline : null
}
