// The worker side of update-check.ts: decodes one untrusted Yjs update at a time, in its own
// thread with its own heap limit, so that a hostile update (yjs#687: a few bytes can claim a
// huge number of structs) can spin or allocate here without touching the server's thread.
// Plain JavaScript so that it loads the same under tsx, vitest and the benchmark.
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'

parentPort.on('message', ({ id, update, maxStructs }) => {
  try {
    // The lazy reader is the code path of Y.mergeUpdates, which compaction and loading run
    // on stored updates later: it must get through this update too.
    const decoded = Y.decodeUpdate(update)
    const structs = decoded.structs.length
    if (structs > maxStructs) {
      parentPort.postMessage({
        id,
        ok: false,
        reason: `${structs} structs, more than ${maxStructs}`,
        tooLarge: true,
      })
      return
    }
    // The eager reader is the code path of Y.applyUpdate, which the room runs next.
    const doc = new Y.Doc({ gc: false })
    Y.applyUpdate(doc, update)
    doc.destroy()
    parentPort.postMessage({ id, ok: true, structs })
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      reason: `undecodable: ${error instanceof Error ? error.message : String(error)}`,
    })
  }
})
