import type { MarkType, NodeType } from 'prosemirror-model'
import * as Y from 'yjs'
import { NESTING_DEPTH_MAX, schema } from '../../shared/schema'
import { PROSEMIRROR_FRAGMENT } from '../render/to-prosemirror'

/** What the schema guard decided about one update. */
export type SchemaCheck = { ok: true } | { ok: false; reason: string }

/**
 * Where an item of an update goes: into a root type, into the type of another item (one the
 * document has or one of the same update), nowhere (its parent was deleted and collected, so
 * Yjs turns it into a tombstone), or somewhere the document does not know yet.
 */
type Place =
  { parent: { root: string } | { item: Y.Item }; sub: string | null } | 'collected' | 'missing'

interface Location {
  /** Type items from the root down to this one, itself included. */
  depth: number
  root: string
}

// y-prosemirror names a mark that may overlap itself `name--<hash>` (its yattr2markname).
const HASHED_MARK_NAME = /^(.*)--[a-zA-Z0-9+/=]{8}$/

/**
 * The node types each node type may hold anywhere in its content expression, `text` included.
 * Order and counts are left to the editor: concurrent edits can leave any order, and
 * y-prosemirror copes with that, but a child type its parent can never hold is dropped (and
 * deleted from the document) by the first editor that opens it.
 */
const ALLOWED_CHILDREN: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.values(schema.nodes).map((type: NodeType) => {
    const names = new Set<string>()
    const seen = new Set([type.contentMatch])
    const pending = [type.contentMatch]
    for (let match = pending.pop(); match; match = pending.pop()) {
      for (let i = 0; i < match.edgeCount; i++) {
        const edge = match.edge(i)
        names.add(edge.type.name)
        if (!seen.has(edge.next)) {
          seen.add(edge.next)
          pending.push(edge.next)
        }
      }
    }
    return [type.name, names]
  }),
)

/**
 * Checks that applying `update` to `doc` would store only what the document schema allows
 * (issue 12, item 3), so that no editor ever deletes what a writer stored and no renderer
 * walks a document deeper than NESTING_DEPTH_MAX. Only what `doc` does not have yet is
 * checked: a client that resends old content (a reconnect's sync step 2) is never refused for
 * what was stored before this guard existed. Refused are, in the `prosemirror` fragment:
 * element names that are not node types of the schema or that their parent can never hold,
 * text where its parent holds no text, attributes a node type does not declare or whose value
 * its `validate` refuses, formatting that is not a mark of the schema or whose attributes the
 * mark refuses (a link to anything but an allowed target, see isAllowedHref), and any other
 * kind of content; in every root, a shared type nested deeper than NESTING_DEPTH_MAX; and
 * items that depend on content the document does not have, which Yjs would hold back
 * unchecked. Deletions are always allowed.
 *
 * The cost is one decode of the update plus, per new item, a walk up to its root (bounded by
 * the nesting limit for content written through this guard); a keystroke is a few
 * microseconds (README, "Schema on the server").
 */
export function checkSchema(doc: Y.Doc, update: Uint8Array): SchemaCheck {
  try {
    return checkDecoded(doc, Y.decodeUpdate(update).structs)
  } catch (error) {
    // The bounded decode (update-check.ts) passed this update already; anything odd is refused.
    return refuse(`it could not be checked: ${(error as Error).message}`)
  }
}

function checkDecoded(doc: Y.Doc, structs: (Y.Item | Y.GC | Y.Skip)[]): SchemaCheck {
  const store = doc.store
  const fresh: Y.Item[] = []
  const byClient = new Map<number, Y.Item[]>()
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) {
      continue // GC and Skip structs hold no content.
    }
    if (struct.id.clock + struct.length <= Y.getState(store, struct.id.client)) {
      continue // The document has it already: Yjs skips it.
    }
    fresh.push(struct)
    let list = byClient.get(struct.id.client)
    if (!list) {
      list = []
      byClient.set(struct.id.client, list)
    }
    list.push(struct)
  }
  if (fresh.length === 0) {
    return { ok: true }
  }
  const places = new Map<Y.Item, Place>()
  const locations = new Map<Y.Item, Location>()

  // The struct with `id`: from the update if the document has not got it, else the document's.
  const find = (id: Y.ID): Y.Item | 'collected' | 'missing' => {
    if (id.clock < Y.getState(store, id.client)) {
      const struct = Y.getItem(store, id) as Y.Item | Y.GC
      return struct instanceof Y.Item ? struct : 'collected'
    }
    const list = byClient.get(id.client)
    if (list) {
      let low = 0
      let high = list.length - 1
      while (low <= high) {
        const mid = (low + high) >> 1
        const item = list[mid]!
        if (id.clock < item.id.clock) {
          high = mid - 1
        } else if (id.clock >= item.id.clock + item.length) {
          low = mid + 1
        } else {
          return item
        }
      }
    }
    return 'missing'
  }

  // Iterative, because a chain of origins within one update is as long as its list of siblings.
  const placeOf = (start: Y.Item): Place => {
    const chain: Y.Item[] = []
    let item = start
    let place: Place | undefined
    for (;;) {
      place = places.get(item)
      if (place) {
        break
      }
      if (item.parent instanceof Y.AbstractType) {
        // An item the document has integrated.
        const type = item.parent
        place =
          type._item === null
            ? { parent: { root: Y.findRootTypeKey(type) }, sub: item.parentSub }
            : { parent: { item: type._item }, sub: item.parentSub }
        break
      }
      if (typeof item.parent === 'string') {
        place = { parent: { root: item.parent }, sub: item.parentSub }
        break
      }
      if (item.parent instanceof Y.ID) {
        const parent = find(item.parent)
        place =
          typeof parent === 'string'
            ? parent
            : parent.content instanceof Y.ContentType
              ? { parent: { item: parent }, sub: item.parentSub }
              : 'collected' // A deleted type: Yjs collects what is inserted into it.
        break
      }
      // No parent info: the item goes where its left (else its right) neighbour is (Yjs's Item.getMissing).
      const neighbourId = item.origin ?? item.rightOrigin
      const neighbour = neighbourId === null ? 'missing' : find(neighbourId)
      if (typeof neighbour === 'string') {
        place = neighbour
        break
      }
      chain.push(item)
      item = neighbour
      if (chain.length > fresh.length + 1) {
        place = 'missing' // A cycle of origins: only a forged update has one.
        break
      }
    }
    places.set(item, place)
    for (const linked of chain) {
      places.set(linked, place)
    }
    return place
  }

  // The depth and root of a type item; iterative for the same reason, and memoised because
  // every character typed into one paragraph walks up the same path.
  const locate = (start: Y.Item): Location | 'collected' | 'missing' => {
    const chain: Y.Item[] = []
    const onChain = new Set<Y.Item>()
    let item = start
    let base: Location
    for (;;) {
      const known = locations.get(item)
      if (known) {
        base = known
        break
      }
      if (onChain.has(item)) {
        return 'missing' // Types inside each other: only a forged update has that.
      }
      const place = placeOf(item)
      if (typeof place === 'string') {
        return place
      }
      chain.push(item)
      onChain.add(item)
      if ('root' in place.parent) {
        base = { depth: 0, root: place.parent.root }
        break
      }
      item = place.parent.item
    }
    let depth = base.depth
    for (let i = chain.length - 1; i >= 0; i--) {
      depth++
      locations.set(chain[i]!, { depth, root: base.root })
    }
    return locations.get(start) ?? base
  }

  for (const item of fresh) {
    const place = placeOf(item)
    if (place === 'missing') {
      return refuse('it depends on content the server does not have')
    }
    if (place === 'collected' || item.content instanceof Y.ContentDeleted) {
      continue
    }
    let parentLocation: Location
    let parentType: Y.AbstractType<unknown> | undefined
    if ('root' in place.parent) {
      parentLocation = { depth: 0, root: place.parent.root }
    } else {
      const location = locate(place.parent.item)
      if (location === 'missing') {
        return refuse('it depends on content the server does not have')
      }
      if (location === 'collected') {
        continue
      }
      parentLocation = location
      parentType = (place.parent.item.content as Y.ContentType).type
    }
    if (item.content instanceof Y.ContentType && parentLocation.depth + 1 > NESTING_DEPTH_MAX) {
      return refuse(`it nests deeper than ${NESTING_DEPTH_MAX} levels`)
    }
    if (parentLocation.root !== PROSEMIRROR_FRAGMENT) {
      // Nothing renders or edits other roots (the test suites use some); only their depth is bounded.
      continue
    }
    const problem = contentProblem(item, place.sub, parentType)
    if (problem) {
      return refuse(problem)
    }
  }
  return { ok: true }
}

function refuse(reason: string): SchemaCheck {
  return { ok: false, reason }
}

// What is wrong with putting `item` into `parent` (the fragment itself when undefined) under
// the key `sub`, or undefined when it fits the schema.
function contentProblem(
  item: Y.Item,
  sub: string | null,
  parent: Y.AbstractType<unknown> | undefined,
): string | undefined {
  const content = item.content
  if (parent === undefined || parent.constructor === Y.XmlElement) {
    const parentName =
      parent === undefined ? schema.topNodeType.name : (parent as Y.XmlElement).nodeName
    const nodeType = schema.nodes[parentName]
    if (!nodeType) {
      return `it adds to an element of unknown type ${JSON.stringify(parentName)}`
    }
    if (sub !== null) {
      return parent === undefined
        ? 'it sets an attribute on the document fragment'
        : attributeProblem(nodeType, sub, content)
    }
    const allowed = ALLOWED_CHILDREN.get(nodeType.name)!
    if (content instanceof Y.ContentType) {
      const type = content.type
      if (type.constructor === Y.XmlText) {
        return allowed.has('text') ? undefined : `${nodeType.name} cannot hold text`
      }
      if (type.constructor === Y.XmlElement) {
        const name = (type as Y.XmlElement).nodeName
        if (!Object.hasOwn(schema.nodes, name) || name === 'text') {
          return `${JSON.stringify(name.slice(0, 64))} is not a node type of the schema`
        }
        return allowed.has(name) ? undefined : `${nodeType.name} cannot hold ${name}`
      }
    }
    return `it puts ${content.constructor.name} into ${nodeType.name}`
  }
  if (parent.constructor === Y.XmlText) {
    if (sub !== null) {
      return 'it sets an attribute on text'
    }
    if (content instanceof Y.ContentString) {
      return undefined
    }
    if (content instanceof Y.ContentFormat) {
      return formatProblem(content.key, content.value as unknown)
    }
    return `it puts ${content.constructor.name} into text`
  }
  return `it adds to a ${parent.constructor.name}, which the schema does not use`
}

function attributeProblem(
  nodeType: NodeType,
  key: string,
  content: Y.Item['content'],
): string | undefined {
  const declared = nodeType.spec.attrs ?? {}
  if (!Object.hasOwn(declared, key)) {
    return `${nodeType.name} has no attribute ${JSON.stringify(key.slice(0, 64))}`
  }
  if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) {
    return `the attribute ${key} of ${nodeType.name} is not a plain value`
  }
  try {
    // computeAttrs runs the attribute's validate on a given value, as y-prosemirror's
    // schema.node() will in every editor.
    nodeType.create({ [key]: content.arr[0] })
  } catch (error) {
    return `the attribute ${key} of ${nodeType.name} is invalid: ${(error as Error).message}`
  }
  return undefined
}

function formatProblem(key: string, value: unknown): string | undefined {
  const name = HASHED_MARK_NAME.exec(key)?.[1] ?? key
  const markType: MarkType | undefined = Object.hasOwn(schema.marks, name)
    ? schema.marks[name]
    : undefined
  if (!markType) {
    return `${JSON.stringify(name.slice(0, 64))} is not a mark of the schema`
  }
  if (value === null) {
    return undefined // The end of a formatted range.
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `the attributes of ${name} are not an object`
  }
  const declared = markType.spec.attrs ?? {}
  for (const attr of Object.keys(value)) {
    if (!Object.hasOwn(declared, attr)) {
      return `${name} has no attribute ${JSON.stringify(attr.slice(0, 64))}`
    }
  }
  try {
    markType.create(value as Record<string, unknown>)
  } catch (error) {
    return `the attributes of ${name} are invalid: ${(error as Error).message}`
  }
  return undefined
}
