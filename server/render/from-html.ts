import { parseHTML } from 'linkedom'
import { DOMParser, type Node } from 'prosemirror-model'
import { assignSectionIds, schema } from '../../shared/schema'

const domParser = DOMParser.fromSchema(schema)

/**
 * Parses an HTML fragment into a document of the shared schema, by the schema's own parse
 * rules (the same the editor uses for pastes), on linkedom's DOM. Whatever has no rule
 * (images, scripts, styles, unknown elements) leaves only its text, if any; links outside
 * the allowlist become their text; heading levels deeper than 3 become 3. Every heading ends
 * up with a unique section id. Never throws on any input text.
 */
export function parseHtml(html: string): Node {
  const { document } = parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`)
  // linkedom implements the part of the DOM that ProseMirror's parser reads; its types are its own.
  const body = document.body as unknown as Parameters<typeof domParser.parse>[0]
  return assignSectionIds(domParser.parse(body))
}
