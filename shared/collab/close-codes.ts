/**
 * The close codes of the collaboration socket (`/collab/:documentId`). The client maps each
 * to a UI state: signed out, read-only, please reload, try again later (STYLE 2.7).
 *
 * y-websocket's `WebsocketProvider` (v3) stops reconnecting after a code in 4400–4499, which
 * by its convention mirror HTTP 4xx (a decision reconnecting cannot change), and reconnects
 * with backoff after any other code. The numbers below are chosen with that in mind: the
 * 44xx codes are final, `PermissionsChanged` and the 45xx codes make the provider come back
 * and be authorised again. (Outline `CloseEvents.ts`)
 */
export const CloseCodes = {
  /**
   * RFC 6455 "message too big": a frame exceeded `COLLAB_LIMITS.maxMessageBytes`. The `ws`
   * library sends this code itself when a frame is over its `maxPayload`, so the server uses
   * the same code for an update that is too large once decoded.
   */
  TooLarge: 1009,
  /**
   * RFC 6455 "internal error": the server could not store or apply what it received. Nothing
   * from this connection was acknowledged; the provider reconnects and resends its state.
   */
  InternalError: 1011,
  /**
   * RFC 6455 "try again later": the database cannot be reached at the moment. Never final and
   * never a sign-in question: a failed database read while authenticating is answered with
   * this, not `Unauthenticated`, and a room whose edits it holds in memory beyond its bound
   * closes its writers with it. The client keeps its edits and reconnects with backoff; they
   * are stored once the database is back (issue 12, item 4).
   */
  TryAgainLater: 1013,
  /**
   * The member's role or access changed while connected. The provider reconnects and is
   * authorised again, read-only or writable according to the new role (STYLE 2.8).
   */
  PermissionsChanged: 4205,
  /** A frame that is not a valid y-websocket message, or an update that cannot be decoded safely. */
  BadMessage: 4400,
  /** No valid session cookie or token came with the connection: sign in again. */
  Unauthenticated: 4401,
  /** The caller is a member of the process but may not read this document. */
  Forbidden: 4403,
  /**
   * The document does not exist, was deleted, or belongs to a process the caller is not (or is
   * no longer) a member of. These cases are deliberately the same code, so nobody learns that a
   * document exists (STYLE 2.7: existence is private).
   */
  DocumentNotFound: 4404,
  /**
   * An update would have stored what the document schema does not allow: an unknown node or
   * mark, a node where its parent may not hold it, an invalid attribute (a link to anything but
   * an allowed target), or nesting deeper than NESTING_DEPTH_MAX. Nothing of it was stored or
   * relayed; the editor shows a notice (issue 12, item 3).
   */
  SchemaViolation: 4422,
  /** The client's schema version has another major version than the server's: reload the page. */
  SchemaOutdated: 4426,
  /** Too many open connections for this document, this user or this address. */
  TooManyConnections: 4429,
  /** The server is shutting down after storing everything it received; reconnect shortly. */
  ShuttingDown: 4503,
  /**
   * The connection sent more frames or bytes a second than its budget, its user's or its
   * address's allows, or asked for the whole document again and again (issue 12, item 2). Not
   * final: the provider reconnects after its backoff, and a client that behaves is served.
   */
  SlowDown: 4529,
} as const

/** One of the collaboration socket's close codes. */
export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes]

/**
 * Tells whether a close code is final, meaning that reconnecting cannot help (y-websocket's
 * convention: 4400–4499), so the client should show a message instead of retrying.
 */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500
}
