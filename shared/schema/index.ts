import { Schema } from 'prosemirror-model'
import { marks } from './marks'
import { nodes } from './nodes'

/**
 * The one ProseMirror schema of Concord documents, used by the editor, the collaboration
 * server and every rendering and import. It holds specs only (STYLE 2.10): editing behaviour
 * lives in client/editor. Changing it means bumping SCHEMA_VERSION in version.ts.
 */
export const schema = new Schema({ nodes, marks })

/** The name of a node type of the schema. */
export type NodeName = keyof typeof nodes
/** The name of a mark type of the schema. */
export type MarkName = keyof typeof marks

export { SCHEMA_VERSION, isSchemaCompatible, parseSchemaVersion } from './version'
export { isAllowedHref, LINK_HREF_MAX, LINK_TITLE_MAX } from './marks'
export { HEADING_LEVEL_MAX, NESTING_DEPTH_MAX } from './nodes'
export {
  applySectionIdChanges,
  assignSectionIds,
  findSections,
  isSectionId,
  newSectionId,
  sectionIdChanges,
  SECTION_ID_LENGTH,
  type PreviousDocument,
  type Section,
  type SectionIdChange,
  type SectionIdOptions,
} from './section-ids'
