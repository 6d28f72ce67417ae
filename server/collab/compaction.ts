import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/database'
import { compact } from '../documents/state'

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
      const done = await compact(this.db, documentId)
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
