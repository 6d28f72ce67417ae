import type { Node } from 'prosemirror-model'
import { schema } from '../../shared/schema'
import type { Origin } from '../context'
import type { Executor } from '../db/database'
import { sectionSlice } from '../render/compare'
import { recordTranslation } from '../translations/service'

/**
 * The demo's Spanish draft is the translation of the English one (issue 16, item 7): its
 * headings carry the English headings' section ids, in order, so the two are one strategy in
 * two languages. It was translated from the zero draft and brought up to date with it; the
 * English changes frozen as "Draft for stakeholder review" since (demo/lifecycle.ts) make the
 * sections they touch "source changed", with their redlines, and the new line of action 4.7
 * "missing here", to be brought over.
 */
export function alignedSpanish(english: Node, spanish: Node): Node {
  const ids: string[] = []
  english.forEach((block) => {
    if (block.type.name === 'heading') {
      ids.push(block.attrs.sectionId as string)
    }
  })
  const blocks: Node[] = []
  let next = 0
  spanish.forEach((block) => {
    if (block.type.name === 'heading') {
      const sectionId = ids[next++]
      if (sectionId === undefined) {
        throw new Error('The Spanish demo draft has more headings than the English one')
      }
      blocks.push(block.type.create({ ...block.attrs, sectionId }, block.content, block.marks))
    } else {
      blocks.push(block)
    }
  })
  if (next !== ids.length) {
    throw new Error('The Spanish demo draft has fewer headings than the English one')
  }
  return schema.node('doc', null, blocks)
}

export async function seedDemoTranslation(
  trx: Executor,
  english: { id: string; content: Node },
  spanish: { id: string; content: Node },
  origin: Origin,
): Promise<void> {
  const records: { sectionId: string; sourceSection: unknown; sourceSeq: number }[] = []
  english.content.forEach((block) => {
    if (block.type.name !== 'heading') {
      return
    }
    const sectionId = block.attrs.sectionId as string
    const slice = sectionSlice(english.content, sectionId)!
    records.push({ sectionId, sourceSection: slice.toJSON(), sourceSeq: 1 })
  })
  await recordTranslation(trx, spanish.id, english.id, 'es', records, origin.userId)
}
