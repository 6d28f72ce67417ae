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
   * The most WebSocket frames one message may be split into (the `ws` `maxFragments`); more
   * closes the socket with 1008. ws allowed 16,384 by default, so one two-byte message could
   * make the server parse 96 KB of empty frames (issue 12, item 2); a browser may send a large
   * message in pieces, so this stays generous and `maxWireFramesPerSecondPerConnection` bounds
   * the cost.
   */
  maxFragmentsPerMessage: 1024,
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
  /**
   * The most client ids whose structs one update may carry, checked on the update's first
   * number before it is decoded (issue 12, item 2: 90,000 client ids in one 2 MB update held
   * every document of the server for a second, and each id stays in the state vector for
   * good). A client sends its own id or the few of the documents it had offline; applying
   * more would only make every later sync of the document slower. A state vector may likewise
   * name at most this many client ids the document does not know.
   */
  maxClientIdsPerUpdate: 1_000,
  /**
   * The most client ids in one update's delete set. A client's sync step 2 carries the whole
   * delete set of the document (every id that ever deleted something), so this is larger.
   */
  maxDeleteSetClientIdsPerUpdate: 20_000,
  /**
   * Frames a second one connection may send, sustained; `budgetBurstSeconds` of them at once.
   * Fast typing with presence and save checkpoints is 30 to 60 a second. The budgets are
   * checked before a frame is decoded, and a connection past any of them is closed with
   * `CloseCodes.SlowDown` (issue 12, item 2).
   */
  maxFramesPerSecondPerConnection: 100,
  /**
   * WebSocket frames a second one connection may send as they come off the wire: fragments of
   * messages and control frames (pings) included, counted before `ws` parses them (a flood of
   * empty fragments counted as one message each held a bystander's p99 at 1.3 s).
   */
  maxWireFramesPerSecondPerConnection: 400,
  /** Frames a second of all of one user's connections together (many tabs). */
  maxFramesPerSecondPerUser: 300,
  /** Frames a second of all connections from one address: a venue or a ministry behind NAT. */
  maxFramesPerSecondPerAddress: 5_000,
  /**
   * Bytes a second one connection may send, sustained. The bytes of every answer to a sync
   * step 1 after the connection's first count here too, so asking for the whole document again
   * and again is limited by its size.
   */
  maxBytesPerSecondPerConnection: 1024 * 1024,
  /** Bytes a second of all of one user's connections together. */
  maxBytesPerSecondPerUser: 2 * 1024 * 1024,
  /** Bytes a second of all connections from one address. */
  maxBytesPerSecondPerAddress: 32 * 1024 * 1024,
  /**
   * How many seconds of each budget may be spent at once: a burst of 4 s, so one frame of
   * `maxMessageBytes` (a pasted chapter) always fits in a connection's byte budget.
   */
  budgetBurstSeconds: 4,
} as const

/** The collaboration limits; tests and the benchmark may pass smaller or larger ones. */
export type CollabLimits = { -readonly [K in keyof typeof COLLAB_LIMITS]: number }
