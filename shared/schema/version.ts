/**
 * The version of the document schema, as `major.minor`.
 *
 * The major number changes whenever an editor on another major could damage a document:
 * y-prosemirror deletes nodes and marks that do not fit its schema, so adding or removing a
 * node or mark type, or tightening an attribute's validation, is a major change. The minor
 * number changes for everything that leaves documents intact both ways (parse rules, `toDOM`
 * output, looser validation). Clients send this value when they connect, and the server
 * refuses a different major (DESIGN: a client with an incompatible schema version is refused
 * with a clear close code instead of damaging the document).
 */
export const SCHEMA_VERSION = '1.0'

/** A parsed schema version. */
export interface SchemaVersion {
  major: number
  minor: number
}

const VERSION_PATTERN = /^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$/

/**
 * Parses a `major.minor` string. Returns undefined for anything else (no whitespace, signs,
 * leading zeros or extra parts), so a malformed value from a client never counts as
 * compatible.
 */
export function parseSchemaVersion(version: string): SchemaVersion | undefined {
  const match = VERSION_PATTERN.exec(version)
  if (!match) {
    return undefined
  }
  return { major: Number(match[1]), minor: Number(match[2]) }
}

/**
 * Tells whether an editor on schema version `version` may edit documents of this server's
 * schema: true exactly when both parse and their major numbers are equal.
 */
export function isSchemaCompatible(version: string, current: string = SCHEMA_VERSION): boolean {
  const theirs = parseSchemaVersion(version)
  const ours = parseSchemaVersion(current)
  return theirs !== undefined && ours !== undefined && theirs.major === ours.major
}
