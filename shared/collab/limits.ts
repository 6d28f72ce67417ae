/**
 * Limits of the collaboration socket. The server enforces each one and closes the offending
 * connection, and only that connection, when it is exceeded; the client may read them to warn
 * before it sends something the server will refuse.
 */
export const COLLAB_LIMITS = {
  /**
   * The largest WebSocket message, summed over its fragments, in bytes. It is the `ws`
   * `maxPayload`; a larger message closes the socket with `CloseCodes.TooLarge`. It bounds an
   * update (a paste of a whole chapter is far below it) and the memory one frame can take.
   */
  maxMessageBytes: 2 * 1024 * 1024,
  /**
   * The most structs one update may carry. A tiny update can claim a huge number of structs
   * (yjs#687), so every update is decoded with a time and memory bound (small ones bounded
   * by their size, the others in a worker) and refused beyond this count. Pasting a 300-page strategy makes about 60,000.
   */
  maxStructsPerUpdate: 250_000,
  /** The largest awareness (presence) state of one client, as JSON, in bytes. */
  maxAwarenessStateBytes: 8 * 1024,
  /** How many Yjs client ids one connection may own in awareness (one per Y.Doc it has had). */
  maxClientIdsPerConnection: 4,
  /** Open connections per document, per server instance. */
  maxConnectionsPerDocument: 250,
  /** Open connections per user (all documents), per server instance: many tabs, not a swarm. */
  maxConnectionsPerUser: 32,
  /**
   * Open connections per remote address, per server instance. One address may be a workshop
   * venue, a ministry or a university behind NAT (issue 12, item 7): a few hundred people with
   * a few tabs each.
   */
  maxConnectionsPerAddress: 2048,
  /**
   * Bytes the server may hold unsent for one connection. A client that does not read fast
   * enough to stay below this is disconnected rather than allowed to hold the server's memory.
   */
  maxBufferedBytes: 16 * 1024 * 1024,
  /** Bytes received from one connection and not yet processed (stored and applied). */
  maxQueuedBytesPerConnection: 16 * 1024 * 1024,
} as const

/** The collaboration limits; tests and the benchmark may pass smaller or larger ones. */
export type CollabLimits = { -readonly [K in keyof typeof COLLAB_LIMITS]: number }
