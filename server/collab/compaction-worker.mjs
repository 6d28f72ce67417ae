// The worker side of compaction.ts: merges a document's stored updates into one, in its own
// thread, so that merging a long log (a thousand updates take tens of milliseconds, more on a
// busy machine) never stalls the rooms on the server's thread. The updates passed the bounded
// decode (update-check.ts) before they were stored. Plain JavaScript so that it loads the same
// under tsx, vitest and the benchmark.
import { parentPort } from 'node:worker_threads'
import * as Y from 'yjs'

parentPort.on('message', ({ id, updates }) => {
  try {
    const merged = Y.mergeUpdates(updates)
    const whole = merged.byteOffset === 0 && merged.byteLength === merged.buffer.byteLength
    parentPort.postMessage({ id, ok: true, merged }, whole ? [merged.buffer] : [])
  } catch (error) {
    parentPort.postMessage({
      id,
      ok: false,
      reason: error instanceof Error ? error.message : String(error),
    })
  }
})
