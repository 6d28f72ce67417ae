import { diffWordsWithSpace } from 'diff'
import type { Mark, Node } from 'prosemirror-model'
import type {
  ComparisonSummary,
  RedlinePart,
  SectionComparison,
  SectionStatus,
} from '../../shared/api/comparison'

/**
 * Compares two texts of a document section by section (issue 14, item 2). Sections are
 * matched by their stable section ids, so a renamed or moved section is recognised as the
 * same section; within a section, the text below the heading is compared word by word with
 * the `diff` library, and the redline keeps each run's emphasis, bold and link.
 *
 * A section here is a top-level heading and the blocks after it up to the next top-level
 * heading (of any level), so nested sections are compared on their own. A heading without an
 * id, or with an id an earlier heading already holds, does not start a section: its text
 * belongs to the section before it, as the section-id rules give the id to the earlier one.
 */
export function compareDocuments(
  from: Node,
  to: Node,
): { summary: ComparisonSummary; sections: SectionComparison[] } {
  const older = sectionsOf(from)
  const newer = sectionsOf(to)
  const olderById = new Map(older.map((s) => [s.id, s]))
  const newerById = new Map(newer.map((s) => [s.id, s]))
  const moved = movedIds(older, newer, newerById)

  const entries = new Map<string | null, SectionComparison>()
  for (const section of newer) {
    const before = olderById.get(section.id)
    entries.set(section.id, compareSection(before, section, moved.has(section.id)))
  }
  // Removed sections take their place after the nearest older section that is still there.
  const removedAfter = new Map<string | null | undefined, SectionComparison[]>()
  let anchor: string | null | undefined = undefined
  for (const section of older) {
    if (newerById.has(section.id)) {
      anchor = section.id
      continue
    }
    const list = removedAfter.get(anchor) ?? []
    list.push(compareSection(section, undefined, false))
    removedAfter.set(anchor, list)
  }
  const sections: SectionComparison[] = [...(removedAfter.get(undefined) ?? [])]
  for (const [id, entry] of entries) {
    sections.push(entry, ...(removedAfter.get(id) ?? []))
  }

  const summary: ComparisonSummary = {
    changed: 0,
    added: 0,
    removed: 0,
    moved: 0,
    renamed: 0,
    unchanged: 0,
  }
  for (const entry of sections) {
    if (entry.status === 'added' || entry.status === 'removed' || entry.status === 'unchanged') {
      summary[entry.status] += 1
      continue
    }
    summary.changed += entry.isChanged ? 1 : 0
    summary.renamed += entry.isRenamed ? 1 : 0
    summary.moved += entry.isMoved ? 1 : 0
  }
  return { summary, sections }
}

/** The formatting of a run of text that a redline shows. */
interface RunMarks {
  strong?: true
  em?: true
  href?: string
}

/** A section's text below its heading, flattened, with where each formatting run ends. */
interface FlatText {
  text: string
  runs: { end: number; marks: RunMarks; key: string }[]
}

interface SectionText {
  id: string | null
  title: string
  level: number
  position: number
  body: FlatText
}

function sectionsOf(doc: Node): SectionText[] {
  const sections: SectionText[] = []
  const seen = new Set<string>()
  let current: { id: string | null; title: string; level: number; blocks: Node[] } = {
    id: null,
    title: '',
    level: 1,
    blocks: [],
  }
  const close = () => {
    // The text before the first heading is a section only when there is some.
    if (current.id !== null || current.blocks.some((b) => b.textContent.trim() !== '')) {
      sections.push({
        id: current.id,
        title: current.title,
        level: current.level,
        position: sections.length,
        body: flatten(current.blocks),
      })
    }
  }
  doc.forEach((block) => {
    const id: unknown = block.type.name === 'heading' ? block.attrs.sectionId : null
    if (typeof id === 'string' && !seen.has(id)) {
      seen.add(id)
      close()
      current = {
        id,
        title: oneLine(block.textContent),
        level: Number(block.attrs.level),
        blocks: [],
      }
    } else {
      current.blocks.push(block)
    }
  })
  close()
  return sections
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim()

function flatten(blocks: readonly Node[]): FlatText {
  const flat: FlatText = { text: '', runs: [] }
  const push = (text: string, marks: RunMarks) => {
    if (text === '') {
      return
    }
    flat.text += text
    const key = JSON.stringify(marks)
    const last = flat.runs[flat.runs.length - 1]
    if (last && last.key === key) {
      last.end = flat.text.length
    } else {
      flat.runs.push({ end: flat.text.length, marks, key })
    }
  }
  const newline = () => {
    if (flat.text !== '' && !flat.text.endsWith('\n')) {
      push('\n', {})
    }
  }
  const inline = (node: Node) => {
    node.forEach((child) => {
      if (child.isText) {
        push(child.text ?? '', marksOf(child.marks))
      } else if (child.type.name === 'hard_break') {
        push('\n', {})
      }
    })
  }
  const block = (node: Node, prefix: string) => {
    if (node.isTextblock) {
      newline()
      push(prefix, {})
      inline(node)
      return
    }
    switch (node.type.name) {
      case 'bullet_list':
      case 'ordered_list': {
        const start = node.type.name === 'ordered_list' ? Number(node.attrs.order) : 0
        node.forEach((item, _offset, index) => {
          const marker = node.type.name === 'ordered_list' ? `${start + index}. ` : '• '
          item.forEach((child, _o, childIndex) => block(child, childIndex === 0 ? marker : ''))
        })
        return
      }
      case 'table_row': {
        newline()
        node.forEach((cell, _offset, index) => {
          if (index > 0) {
            push(' | ', {})
          }
          // A cell's paragraphs read as one line of the row.
          cell.forEach((paragraph, _o, paragraphIndex) => {
            if (paragraphIndex > 0) {
              push(' ', {})
            }
            if (paragraph.isTextblock) {
              inline(paragraph)
            } else {
              push(oneLine(paragraph.textContent), {})
            }
          })
        })
        return
      }
      default:
        node.forEach((child) => block(child, ''))
    }
  }
  for (const node of blocks) {
    block(node, '')
  }
  return flat
}

function marksOf(marks: readonly Mark[]): RunMarks {
  const result: RunMarks = {}
  for (const mark of marks) {
    if (mark.type.name === 'strong') {
      result.strong = true
    } else if (mark.type.name === 'em') {
      result.em = true
    } else if (mark.type.name === 'link') {
      result.href = String(mark.attrs.href)
    }
  }
  return result
}

// The matched sections that changed their order: those outside a longest run of matched
// sections that kept their relative order (a longest increasing subsequence of their old
// positions in new order), plus any whose level changed.
function movedIds(
  older: SectionText[],
  newer: SectionText[],
  newerById: Map<string | null, SectionText>,
): Set<string | null> {
  const oldPosition = new Map(older.map((s, i) => [s.id, i]))
  const common = newer.filter((s) => oldPosition.has(s.id))
  const positions = common.map((s) => oldPosition.get(s.id)!)
  const kept = new Set(longestIncreasing(positions).map((i) => common[i]!.id))
  const moved = new Set<string | null>()
  for (const section of common) {
    const before = older[oldPosition.get(section.id)!]!
    if (!kept.has(section.id) || before.level !== newerById.get(section.id)!.level) {
      moved.add(section.id)
    }
  }
  return moved
}

/** The indices of one longest strictly increasing subsequence of `values` (patience sorting). */
function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = []
  const previous = new Array<number>(values.length).fill(-1)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    let low = 0
    let high = tails.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (values[tails[mid]!]! < value) {
        low = mid + 1
      } else {
        high = mid
      }
    }
    previous[i] = low > 0 ? tails[low - 1]! : -1
    tails[low] = i
  }
  const result: number[] = []
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) {
    result.push(i)
  }
  return result.reverse()
}

function compareSection(
  before: SectionText | undefined,
  after: SectionText | undefined,
  isMoved: boolean,
): SectionComparison {
  const side = (s: SectionText | undefined) =>
    s ? { title: s.title, level: s.level, position: s.position } : null
  const base = {
    id: (after ?? before)!.id,
    fromTitle: before ? before.title : null,
    toTitle: after ? after.title : null,
    from: side(before),
    to: side(after),
  }
  if (!before || !after) {
    const only = (after ?? before)!
    return {
      ...base,
      status: after ? 'added' : 'removed',
      isChanged: false,
      isFormattingOnly: false,
      isRenamed: false,
      isMoved: false,
      redline: partsOf(only.body, 0, only.body.text.length, after ? 'insert' : 'delete'),
    }
  }
  const { redline, textChanged, formattingChanged } = redlineOf(before.body, after.body)
  const isChanged = textChanged || formattingChanged
  const isRenamed = before.title !== after.title
  let status: SectionStatus = 'unchanged'
  if (isChanged) {
    status = 'changed'
  } else if (isRenamed) {
    status = 'renamed'
  } else if (isMoved) {
    status = 'moved'
  }
  return {
    ...base,
    status,
    isChanged,
    isFormattingOnly: formattingChanged && !textChanged,
    isRenamed,
    isMoved,
    redline,
  }
}

/** The runs of `flat` between two offsets, as parts of one operation. */
function partsOf(flat: FlatText, from: number, to: number, op: RedlinePart['op']): RedlinePart[] {
  const parts: RedlinePart[] = []
  // The first run that ends after `from`, found by bisection: long sections have many runs.
  let low = 0
  let high = flat.runs.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (flat.runs[mid]!.end <= from) {
      low = mid + 1
    } else {
      high = mid
    }
  }
  let start = low > 0 ? flat.runs[low - 1]!.end : 0
  for (let i = low; i < flat.runs.length && start < to; i++) {
    const run = flat.runs[i]!
    const a = Math.max(start, from)
    const b = Math.min(run.end, to)
    if (a < b) {
      parts.push({ op, text: flat.text.slice(a, b), ...run.marks })
    }
    start = run.end
  }
  return parts
}

function redlineOf(
  before: FlatText,
  after: FlatText,
): { redline: RedlinePart[]; textChanged: boolean; formattingChanged: boolean } {
  const redline: RedlinePart[] = []
  let formattingChanged = false
  const equalSpan = (oldFrom: number, newFrom: number, length: number) => {
    // The words are the same; their formatting may not be. Where it differs, the redline
    // shows the old run deleted and the new one inserted, so the change stays visible.
    const oldParts = partsOf(before, oldFrom, oldFrom + length, 'delete')
    const newParts = partsOf(after, newFrom, newFrom + length, 'insert')
    // Walk both sides' runs together and cut wherever either side's formatting changes.
    let i = 0
    let j = 0
    let oldLeft = oldParts[0]?.text.length ?? 0
    let newLeft = newParts[0]?.text.length ?? 0
    let at = 0
    while (i < oldParts.length && j < newParts.length) {
      const oldPart = oldParts[i]!
      const newPart = newParts[j]!
      const step = Math.min(oldLeft, newLeft)
      const text = after.text.slice(newFrom + at, newFrom + at + step)
      if (sameMarks(oldPart, newPart)) {
        redline.push({ ...newPart, op: 'equal', text })
      } else if (text.trim() === '') {
        // Formatting on spaces alone is nothing a reader sees.
        redline.push({ op: 'equal', text })
      } else {
        formattingChanged = true
        redline.push({ ...oldPart, text }, { ...newPart, text })
      }
      at += step
      oldLeft -= step
      newLeft -= step
      if (oldLeft === 0) {
        i += 1
        oldLeft = oldParts[i]?.text.length ?? 0
      }
      if (newLeft === 0) {
        j += 1
        newLeft = newParts[j]?.text.length ?? 0
      }
    }
  }

  if (before.text === after.text) {
    if (runsEqual(before, after)) {
      return {
        redline: partsOf(after, 0, after.text.length, 'equal'),
        textChanged: false,
        formattingChanged: false,
      }
    }
    equalSpan(0, 0, after.text.length)
    return { redline: merge(redline), textChanged: false, formattingChanged }
  }

  // The words before the first difference and after the last are kept as they are, and
  // only what lies between goes to the word diff: a long section with one edit then costs
  // little. Both cuts fall on white space, so no word is split.
  const [head, tail] = commonEnds(before.text, after.text)
  equalSpan(0, 0, head)
  let oldAt = head
  let newAt = head
  const middle = diffWordsWithSpace(
    before.text.slice(head, before.text.length - tail),
    after.text.slice(head, after.text.length - tail),
  )
  for (const change of middle) {
    const length = change.value.length
    if (change.removed) {
      redline.push(...partsOf(before, oldAt, oldAt + length, 'delete'))
      oldAt += length
    } else if (change.added) {
      redline.push(...partsOf(after, newAt, newAt + length, 'insert'))
      newAt += length
    } else {
      equalSpan(oldAt, newAt, length)
      oldAt += length
      newAt += length
    }
  }
  equalSpan(oldAt, newAt, tail)
  return { redline: merge(redline), textChanged: true, formattingChanged }
}

/**
 * The lengths of the longest common start and end of two different texts, each cut back to
 * a line break (or the text's edge) so that they hold whole blocks only, and never overlapping.
 */
function commonEnds(a: string, b: string): [number, number] {
  const shortest = Math.min(a.length, b.length)
  let head = 0
  while (head < shortest && a.charCodeAt(head) === b.charCodeAt(head)) {
    head += 1
  }
  while (head > 0 && a[head - 1] !== '\n') {
    head -= 1
  }
  let tail = 0
  while (
    tail < shortest - head &&
    a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)
  ) {
    tail += 1
  }
  while (tail > 0 && a[a.length - tail] !== '\n') {
    tail -= 1
  }
  return [head, tail]
}

function runsEqual(a: FlatText, b: FlatText): boolean {
  return (
    a.runs.length === b.runs.length &&
    a.runs.every((run, i) => run.end === b.runs[i]!.end && run.key === b.runs[i]!.key)
  )
}

function sameMarks(a: RedlinePart, b: RedlinePart): boolean {
  return a.strong === b.strong && a.em === b.em && a.href === b.href
}

// Adjacent parts of one operation and formatting become one, so a redline stays short.
function merge(parts: RedlinePart[]): RedlinePart[] {
  const merged: RedlinePart[] = []
  for (const part of parts) {
    const last = merged[merged.length - 1]
    if (last && last.op === part.op && sameMarks(last, part)) {
      last.text += part.text
    } else {
      merged.push({ ...part })
    }
  }
  return merged
}

/**
 * One section of a document as a small document of its own: the heading that holds
 * `sectionId` and the blocks after it up to the next section's heading, as `compareDocuments`
 * reads sections. Null when no heading holds the id. A thread keeps this to remember the text
 * it was written on (issue 14, item 3).
 */
export function sectionSlice(doc: Node, sectionId: string): Node | null {
  const blocks: Node[] = []
  const seen = new Set<string>()
  let inside = false
  let done = false
  doc.forEach((block) => {
    if (done) {
      return
    }
    const id: unknown = block.type.name === 'heading' ? block.attrs.sectionId : null
    const starts = typeof id === 'string' && !seen.has(id)
    if (starts) {
      seen.add(id)
      if (inside) {
        done = true
        return
      }
      inside = id === sectionId
    }
    if (inside) {
      blocks.push(block)
    }
  })
  return blocks.length === 0 ? null : doc.type.create(doc.attrs, blocks)
}

/**
 * How one section changed between two of its slices (see `sectionSlice`): the comparison's
 * entry for it, with the word-level redline of its text below the heading. A missing newer
 * slice is a removed section.
 */
export function compareSectionSlices(
  sectionId: string,
  older: Node,
  newer: Node | null,
): SectionComparison {
  const empty = older.type.create(older.attrs, [])
  const { sections } = compareDocuments(older, newer ?? empty)
  const entry = sections.find((s) => s.id === sectionId)
  if (!entry) {
    throw new Error(`The older slice does not hold section ${sectionId}`)
  }
  return entry
}

/**
 * The word-level redline of two plain texts, such as a passage as it was quoted and as it
 * reads now, with the same word diff as the comparison of sections.
 */
export function redlineOfTexts(before: string, after: string): RedlinePart[] {
  const plain = (text: string): FlatText => ({
    text,
    runs: text === '' ? [] : [{ end: text.length, marks: {}, key: '{}' }],
  })
  return redlineOf(plain(before), plain(after)).redline
}
