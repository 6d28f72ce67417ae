import { Worker } from 'node:worker_threads'
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database'
import { compact } from '../documents/state'

const WORKER_URL = new URL('./compaction-worker.mjs', import.meta.url)

/**
 * Merges updates in a worker thread (compaction-worker.mjs), so that a compaction's merge does
 * not hold up the rooms on the main thread. The worker starts on first use and is replaced
 * after a failure; a merge that fails rejects, and the compaction that asked is tried later.
 */
export class MergeWorker {
  #worker: Worker | undefined
  #pending = new Map<
    number,
    { resolve: (merged: Uint8Array) => void; reject: (error: Error) => void }
  >()
  #nextId = 1
  #closed = false

  constructor(private readonly memoryMb: number) {}

  /** Merges `updates` into one update, as `Y.mergeUpdates` does, in the worker. */
  merge(updates: Uint8Array[]): Promise<Uint8Array> {
    if (this.#closed) {
      return Promise.reject(new Error('the compaction worker is closed'))
    }
    const worker = this.#ensureWorker()
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      // Copied, not transferred: pg's small Buffers share one pooled ArrayBuffer.
      worker.postMessage({ id, updates })
    })
  }

  /** Stops the worker; merges in progress reject. */
  async close(): Promise<void> {
    this.#closed = true
    const worker = this.#worker
    this.#worker = undefined
    this.#failAll(new Error('the compaction worker stopped'))
    await worker?.terminate()
  }

  #ensureWorker(): Worker {
    if (this.#worker) {
      return this.#worker
    }
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
      // A worker under tsx or vitest must not inherit their loaders: it is plain JavaScript.
      execArgv: [],
    })
    worker.unref()
    worker.on(
      'message',
      (message: { id: number; ok: boolean; merged?: Uint8Array; reason?: string }) => {
        const pending = this.#pending.get(message.id)
        this.#pending.delete(message.id)
        if (message.ok && message.merged) {
          pending?.resolve(message.merged)
        } else {
          pending?.reject(new Error(`merge failed: ${message.reason ?? 'unknown'}`))
        }
      },
    )
    const fail = (error: Error) => {
      if (worker === this.#worker) {
        this.#worker = undefined
        void worker.terminate()
        this.#failAll(error)
      }
    }
    worker.on('error', fail)
    worker.on('exit', () => fail(new Error('the compaction worker stopped')))
    this.#worker = worker
    return worker
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      pending.reject(error)
    }
    this.#pending.clear()
  }
}

/**
 * Merges documents' update logs into their snapshots in the background, one document at a
 * time, so compaction never competes with itself for the database or the CPU. Each compaction
 * is one transaction under the document's advisory lock (documents/state.ts `compact`), so an
 * instance that finds another one compacting the same document skips it, and loading reads
 * the snapshot plus the tail. A request for a document already waiting is merged into it.
 */
export class Compactor {
  #waiting = new Set<string>()
  #running: Promise<void> | undefined
  #closed = false
  // Stored updates are at most a few MiB each and a document's state far below this.
  readonly #merger = new MergeWorker(1024)

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Asks for a compaction of the document soon; returns at once. */
  request(documentId: string): void {
    if (this.#closed) {
      return
    }
    this.#waiting.add(documentId)
    this.#running ??= this.#run()
  }

  /** Compacts one document now, after any compaction already running; resolves when done. */
  async compactNow(documentId: string): Promise<boolean> {
    await this.#running
    return this.#compactOne(documentId)
  }

  /** Stops taking requests and waits for the compaction in progress, if any. */
  async close(): Promise<void> {
    this.#closed = true
    this.#waiting.clear()
    await this.#running
    await this.#merger.close()
  }

  async #run(): Promise<void> {
    try {
      while (this.#waiting.size > 0 && !this.#closed) {
        const [documentId] = this.#waiting
        this.#waiting.delete(documentId!)
        await this.#compactOne(documentId!)
      }
    } finally {
      this.#running = undefined
    }
  }

  async #compactOne(documentId: string): Promise<boolean> {
    const started = Date.now()
    try {
      const done = await compact(this.db, documentId, (updates) => this.#merger.merge(updates))
      this.log.info(
        { documentId, ms: Date.now() - started, done },
        done ? 'document log compacted' : 'compaction skipped: another instance holds the lock',
      )
      return done
    } catch (error) {
      // The log is intact when compaction fails (one transaction); it is tried again later.
      this.log.error({ err: error, documentId }, 'compaction failed')
      return false
    }
  }
}
