import { Worker } from 'node:worker_threads'
import type { FastifyBaseLogger } from 'fastify'
import { checkUpdate, type UpdateCheck } from './check-update.mjs'

export type { UpdateCheck }

/**
 * Updates up to this many bytes are decoded on the server's thread; larger ones in the worker.
 *
 * Why a small update cannot spin the thread (yjs#687): the collaboration protocol carries
 * updates in Yjs's v1 encoding, and the bombs of yjs#687 need the run-length decoders of the
 * v2 encoding, which return a value forever once their input runs out. The v1 reader reads
 * each struct's info byte and then at least one length-checked varint (lib0's readVarUint
 * throws at the end of the input), so every struct takes at least one byte of input and a
 * claimed count beyond the bytes throws at the end; every content element (string, binary,
 * JSON, any) is length-checked or takes a byte; the delete set is varints only. Decoding is
 * therefore linear in the bytes, and applying to the empty scratch document is at worst
 * quadratic in its structs (concurrent inserts at one place), a few thousand here at most.
 * A keystroke is 20 to 60 bytes, so nearly every edit skips the round trip to the worker
 * (about half a millisecond on a busy machine) that only large updates need.
 * `tests/unit/collab-update-check.test.ts` feeds bombs and random bytes of this size.
 */
export const INLINE_CHECK_MAX_BYTES = 4 * 1024

export interface UpdateCheckerOptions {
  /** Refuse updates with more structs than this. */
  maxStructs: number
  /** Refuse updates with structs of more client ids than this. */
  maxClients?: number
  /** Refuse updates with deletions of more client ids than this. */
  maxDeleteSetClients?: number
  /** Give up on one update after this long; the worker is replaced. */
  timeoutMs: number
  /** The worker's heap limit; an update that needs more is refused and the worker replaced. */
  memoryMb: number
  /** Updates up to this many bytes are checked on the calling thread (INLINE_CHECK_MAX_BYTES). */
  inlineMaxBytes?: number
  log: FastifyBaseLogger
}

interface Pending {
  id: number
  update: Uint8Array
  resolve: (check: UpdateCheck) => void
  timer: NodeJS.Timeout | undefined
}

const WORKER_URL = new URL('./update-check-worker.mjs', import.meta.url)

/**
 * Decodes untrusted Yjs updates with a time and a memory bound (yjs#687): small ones at once on
 * the calling thread (their size is the bound, see INLINE_CHECK_MAX_BYTES), the others in a
 * worker thread, one at a time and in arrival order. `check` never rejects: an update that fails to decode,
 * claims too many structs, runs out of time or out of memory resolves as refused, and the
 * worker that was busy with it is replaced. Updates queued behind it are checked by the new
 * worker, so one hostile update never costs another connection anything.
 */
export class UpdateChecker {
  #worker: Worker | undefined
  #queue: Pending[] = []
  #current: Pending | undefined
  #nextId = 1
  #closed = false
  /** How many updates were checked on the calling thread and how many in the worker. */
  readonly counts = { inline: 0, worker: 0 }

  constructor(private readonly options: UpdateCheckerOptions) {}

  /** Checks one update. Resolves once it is decoded, or once the worker has given up on it. */
  check(update: Uint8Array): Promise<UpdateCheck> {
    if (this.#closed) {
      return Promise.resolve({ ok: false, reason: 'server shutting down' })
    }
    if (update.byteLength <= (this.options.inlineMaxBytes ?? INLINE_CHECK_MAX_BYTES)) {
      this.counts.inline++
      return Promise.resolve(
        checkUpdate(
          update,
          this.options.maxStructs,
          this.options.maxClients,
          this.options.maxDeleteSetClients,
        ),
      )
    }
    this.counts.worker++
    return new Promise((resolve) => {
      this.#queue.push({ id: this.#nextId++, update, resolve, timer: undefined })
      this.#pump()
    })
  }

  /** Starts the worker ahead of the first update, so that one does not wait for its start-up. */
  warm(): void {
    if (!this.#closed) {
      this.#ensureWorker()
    }
  }

  /** Stops the worker; checks still waiting resolve as refused. */
  async close(): Promise<void> {
    this.#closed = true
    const waiting = [...(this.#current ? [this.#current] : []), ...this.#queue]
    this.#queue = []
    this.#current = undefined
    for (const pending of waiting) {
      clearTimeout(pending.timer)
      pending.resolve({ ok: false, reason: 'server shutting down' })
    }
    const worker = this.#worker
    this.#worker = undefined
    await worker?.terminate()
  }

  #pump() {
    if (this.#current || this.#closed) {
      return
    }
    const next = this.#queue.shift()
    if (!next) {
      return
    }
    this.#current = next
    const worker = this.#ensureWorker()
    next.timer = setTimeout(
      () => this.#fail(worker, `took longer than ${this.options.timeoutMs} ms to decode`),
      this.options.timeoutMs,
    )
    // A copy is posted (structured clone): the caller keeps its bytes to apply them later.
    worker.postMessage({
      id: next.id,
      update: next.update,
      maxStructs: this.options.maxStructs,
      maxClients: this.options.maxClients,
      maxDeleteSetClients: this.options.maxDeleteSetClients,
    })
  }

  #ensureWorker(): Worker {
    if (this.#worker) {
      return this.#worker
    }
    const worker = new Worker(WORKER_URL, {
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.memoryMb,
        maxYoungGenerationSizeMb: Math.max(8, Math.floor(this.options.memoryMb / 8)),
      },
      // A worker under tsx or vitest must not inherit their loaders: it is plain JavaScript.
      execArgv: [],
    })
    worker.unref()
    worker.on('message', ({ id, ...check }: UpdateCheck & { id: number }) => {
      const current = this.#current
      if (!current || current.id !== id || worker !== this.#worker) {
        return
      }
      clearTimeout(current.timer)
      this.#current = undefined
      current.resolve(check)
      this.#pump()
    })
    worker.on('error', (error) => {
      // ERR_WORKER_OUT_OF_MEMORY lands here: the update needed more than the heap limit.
      this.#fail(
        worker,
        `could not be decoded within ${this.options.memoryMb} MB (${error.message})`,
      )
    })
    worker.on('exit', () => {
      if (worker === this.#worker) {
        this.#fail(worker, 'the decoding worker stopped')
      }
    })
    this.#worker = worker
    return worker
  }

  // Refuses the update the worker was busy with, replaces the worker and goes on with the queue.
  #fail(worker: Worker, reason: string) {
    if (worker !== this.#worker) {
      return
    }
    this.#worker = undefined
    void worker.terminate()
    const current = this.#current
    this.#current = undefined
    if (current) {
      clearTimeout(current.timer)
      this.options.log.warn(
        { bytes: current.update.byteLength, reason },
        'refused an update that could not be decoded within bounds',
      )
      current.resolve({ ok: false, reason, tooLarge: true })
    }
    this.#pump()
  }
}
