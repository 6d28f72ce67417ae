import { Worker } from 'node:worker_threads'
import type { FastifyBaseLogger } from 'fastify'

/** What checking an update found: fit to apply, or the reason it is refused. */
export type UpdateCheck =
  { ok: true; structs: number } | { ok: false; reason: string; tooLarge?: boolean }

export interface UpdateCheckerOptions {
  /** Refuse updates with more structs than this. */
  maxStructs: number
  /** Give up on one update after this long; the worker is replaced. */
  timeoutMs: number
  /** The worker's heap limit; an update that needs more is refused and the worker replaced. */
  memoryMb: number
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
 * Decodes untrusted Yjs updates in a worker thread, one at a time and in arrival order, with a
 * time and a memory bound (yjs#687). `check` never rejects: an update that fails to decode,
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

  constructor(private readonly options: UpdateCheckerOptions) {}

  /** Checks one update. Resolves once the worker has decoded it or given up on it. */
  check(update: Uint8Array): Promise<UpdateCheck> {
    if (this.#closed) {
      return Promise.resolve({ ok: false, reason: 'server shutting down' })
    }
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
    worker.postMessage({ id: next.id, update: next.update, maxStructs: this.options.maxStructs })
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
    worker.on(
      'message',
      (message: {
        id: number
        ok: boolean
        structs?: number
        reason?: string
        tooLarge?: boolean
      }) => {
        const current = this.#current
        if (!current || current.id !== message.id || worker !== this.#worker) {
          return
        }
        clearTimeout(current.timer)
        this.#current = undefined
        current.resolve(
          message.ok
            ? { ok: true, structs: message.structs ?? 0 }
            : {
                ok: false,
                reason: message.reason ?? 'refused',
                tooLarge: message.tooLarge === true,
              },
        )
        this.#pump()
      },
    )
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
