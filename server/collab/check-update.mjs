// The bounded decode of one untrusted Yjs update (yjs#687), shared by the decoding worker
// (update-check-worker.mjs) and the server's thread (update-check.ts, for small updates).
// Plain JavaScript so that the worker loads it the same under tsx, vitest and the benchmark.
import * as Y from 'yjs'

/**
 * Decodes `update` both ways the server will later read it and counts its structs. Never
 * throws: an update that fails to decode or claims more than `maxStructs` structs is refused,
 * and so is one with structs of more than `maxClients` client ids or deletions of more than
 * `maxDeleteSetClients` (issue 12, item 2).
 */
export function checkUpdate(
  update,
  maxStructs,
  maxClients = Number.POSITIVE_INFINITY,
  maxDeleteSetClients = Number.POSITIVE_INFINITY,
) {
  try {
    // The lazy reader is the code path of Y.mergeUpdates, which compaction and loading run
    // on stored updates later: it must get through this update too.
    const decoded = Y.decodeUpdate(update)
    const structs = decoded.structs.length
    if (structs > maxStructs) {
      return { ok: false, reason: `${structs} structs, more than ${maxStructs}`, tooLarge: true }
    }
    const clients = new Set()
    for (const struct of decoded.structs) {
      clients.add(struct.id.client)
    }
    if (clients.size > maxClients || decoded.ds.clients.size > maxDeleteSetClients) {
      return {
        ok: false,
        reason: `structs of ${clients.size} and deletions of ${decoded.ds.clients.size} client ids`,
        tooLarge: true,
      }
    }
    // The eager reader is the code path of Y.applyUpdate, which the room runs next.
    // A fixed guid: Yjs would draw a random one, 31 calls to the system's random source.
    const doc = new Y.Doc({ gc: false, guid: 'update-check' })
    Y.applyUpdate(doc, update)
    doc.destroy()
    return { ok: true, structs }
  } catch (error) {
    return {
      ok: false,
      reason: `undecodable: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
