// The worker side of update-check.ts: decodes one untrusted Yjs update at a time, in its own
// thread with its own heap limit, so that a hostile update (yjs#687: a few bytes can claim a
// huge number of structs) can spin or allocate here without touching the server's thread.
// Plain JavaScript so that it loads the same under tsx, vitest and the benchmark.
import { parentPort } from 'node:worker_threads'
import { checkUpdate } from './check-update.mjs'

parentPort.on('message', ({ id, update, maxStructs, maxClients, maxDeleteSetClients }) => {
  parentPort.postMessage({
    id,
    ...checkUpdate(update, maxStructs, maxClients, maxDeleteSetClients),
  })
})
