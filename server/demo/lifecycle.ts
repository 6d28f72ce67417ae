import * as Y from 'yjs'
import { newSectionId } from '../../shared/schema'
import type { Origin } from '../context'
import type { DocumentRow, Trx } from '../db/database'
import { findInRuns } from '../comments/anchors'
import { editDocumentIn } from '../documents/service'
import { loadState } from '../documents/state'
import { recordStageMove } from '../stages/service'
import { freezeState, insertFrozenVersion } from '../versions/service'

const DAY = 86_400_000

/**
 * The demo's life cycle so far (issue 14, item 5): the English draft as it was first shared,
 * frozen as "Zero draft"; then the drafters' revision (a reworded passage, a renamed section,
 * a new line of action) frozen as "Draft for stakeholder review", so that comparing the two
 * is worth reading; and the process moved from drafting to stakeholder review, with its
 * timeline. The consultation seed that runs next freezes the consultation's version and
 * moves the process on to public consultation (`moveDemoToConsultation`).
 */
export async function seedDemoVersions(
  trx: Trx,
  document: Pick<DocumentRow, 'id' | 'process_id' | 'title'>,
  secretariat: Origin,
): Promise<void> {
  const now = Date.now()
  await insertFrozenVersion(
    trx,
    document,
    freezeState(await loadState(trx, document.id)),
    'Zero draft',
    secretariat,
  )
  await editDocumentIn(trx, document.id, (_doc, fragment) => {
    replaceIn(
      fragment,
      'ransomware has stopped the services of two regional hospitals',
      'two',
      'three',
    )
    insertAfter(
      fragment,
      'and every sector takes its share of responsibility',
      ', and every community,',
    )
    replaceIn(
      fragment,
      '5. Governance and implementation',
      ' and implementation',
      ', implementation and review',
    )
    const governance = headingIndex(fragment, '5. Governance, implementation and review')
    if (governance >= 0) {
      fragment.insert(governance, [
        heading(3, '4.7 Protecting children and young people online'),
        paragraph(
          'Schools, parents and platforms work together on age-appropriate safety: lessons in every school year, a helpline run with civil society, and reporting channels that answer within a day.',
        ),
      ])
    }
    return { result: undefined, keep: true }
  })
  await insertFrozenVersion(
    trx,
    document,
    freezeState(await loadState(trx, document.id)),
    'Draft for stakeholder review',
    secretariat,
  )
  await recordStageMove(
    trx,
    document.process_id,
    'drafting',
    'stakeholder-review',
    'The zero draft went to every stakeholder group for comment.',
    secretariat,
    new Date(now - 21 * DAY),
  )
}

/** Moves the demo on to public consultation once its consultation is open. */
export async function moveDemoToConsultation(
  trx: Trx,
  processId: string,
  secretariat: Origin,
): Promise<void> {
  await recordStageMove(
    trx,
    processId,
    'stakeholder-review',
    'public-consultation',
    'The draft is open for public comment at /c/demo.',
    secretariat,
    new Date(Date.now() - 7 * 86_400_000),
  )
}

/** Replaces `from` by `to` inside the first run of text that reads `context`. */
export function replaceIn(fragment: Y.XmlFragment, context: string, from: string, to: string) {
  const found = findInRuns(fragment, context)
  const at = context.indexOf(from)
  if (found && at >= 0) {
    found.text.delete(found.index + at, from.length)
    found.text.insert(found.index + at, to)
  }
}

/** Inserts `text` right after the first run of text that reads `context`. */
export function insertAfter(fragment: Y.XmlFragment, context: string, text: string) {
  const found = findInRuns(fragment, context)
  if (found) {
    found.text.insert(found.index + context.length, text)
  }
}

/** The index of the top-level heading whose text is `title`, or -1. */
export function headingIndex(fragment: Y.XmlFragment, title: string): number {
  return fragment
    .toArray()
    .findIndex(
      (node) =>
        node instanceof Y.XmlElement && node.nodeName === 'heading' && textOf(node) === title,
    )
}

function textOf(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) => (child instanceof Y.XmlText ? child.toString() : ''))
    .join('')
}

/** A new heading with a fresh section id. */
export function heading(level: number, title: string): Y.XmlElement {
  const element = new Y.XmlElement('heading')
  element.setAttribute('level', level as unknown as string)
  element.setAttribute('sectionId', newSectionId())
  element.insert(0, [new Y.XmlText(title)])
  return element
}

/** A new paragraph of plain text. */
export function paragraph(text: string): Y.XmlElement {
  const element = new Y.XmlElement('paragraph')
  element.insert(0, [new Y.XmlText(text)])
  return element
}
