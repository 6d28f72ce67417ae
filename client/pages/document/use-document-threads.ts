import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { SectionThreadCount, Thread, ThreadSummary } from '../../../shared/api/threads'
import { LIMITS } from '../../../shared/limits'
import { toApiError, type ApiError } from '../../api/client'
import { useLiveEvents } from '../../api/events'
import { fetchThread, listThreadCounts, listThreads } from '../../api/threads'

/** The threads of one document as the document page shows them, kept fresh by the live stream. */
export interface DocumentThreads {
  /** Every thread of the document the viewer may see, in section order. */
  threads: ThreadSummary[]
  /** Open threads per section id, with their authors' stakeholder groups. */
  counts: ReadonlyMap<string, SectionThreadCount>
  loading: boolean
  error: ApiError | null
  /** Ids of threads that arrived live from someone else since the page opened. */
  arrived: ReadonlySet<string>
  /** Takes a fresher copy of a thread (from a card's action or a post). */
  upsert(thread: Thread | ThreadSummary): void
  remove(threadId: string): void
  refreshCounts(): void
}

/** More than this many threads on one document are not loaded into the margin at once. */
const MAX_PAGES = 5

function summaryOf(thread: Thread | ThreadSummary): ThreadSummary {
  if (!('replies' in thread)) {
    return thread
  }
  const { replies: _replies, ...summary } = thread
  return summary
}

/**
 * Loads a document's threads and per-section counts, and follows the process's live stream:
 * a `thread` event for this document fetches that thread and the counts again (events name
 * what changed; the API decides what this viewer may see of it).
 */
export function useDocumentThreads(processId: string, documentId: string): DocumentThreads {
  const [threads, setThreads] = useState<ThreadSummary[]>([])
  const [counts, setCounts] = useState<ReadonlyMap<string, SectionThreadCount>>(new Map())
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ApiError | null>(null)
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set())
  const known = useRef(new Set<string>())
  const countsSeq = useRef(0)
  const threadSeq = useRef(new Map<string, number>())

  const upsert = useCallback((thread: Thread | ThreadSummary) => {
    const summary = summaryOf(thread)
    known.current.add(summary.id)
    setThreads((list) => {
      const index = list.findIndex((t) => t.id === summary.id)
      if (index < 0) {
        return [...list, summary]
      }
      const next = list.slice()
      next[index] = summary
      return next
    })
  }, [])

  const remove = useCallback((threadId: string) => {
    setThreads((list) => list.filter((t) => t.id !== threadId))
  }, [])

  const refreshCounts = useCallback(() => {
    const mine = ++countsSeq.current
    listThreadCounts(documentId).then(
      (list) => {
        if (mine === countsSeq.current) {
          setCounts(new Map(list.map((c) => [c.sectionId, c])))
        }
      },
      () => undefined,
    )
  }, [documentId])

  useEffect(() => {
    let live = true
    setLoading(true)
    async function load() {
      const items: ThreadSummary[] = []
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await listThreads(processId, {
          document: documentId,
          sort: 'section',
          limit: LIMITS.pageSizeMax,
          offset: page * LIMITS.pageSizeMax,
        })
        items.push(...result.items)
        if (items.length >= result.total || result.items.length === 0) {
          break
        }
      }
      return items
    }
    load().then(
      (items) => {
        if (!live) {
          return
        }
        for (const item of items) {
          known.current.add(item.id)
        }
        // Threads that arrived live while the list was loading are kept.
        setThreads((current) => {
          const loaded = new Set(items.map((i) => i.id))
          return [...items, ...current.filter((t) => !loaded.has(t.id))]
        })
        setError(null)
        setLoading(false)
      },
      (e: unknown) => {
        if (live) {
          setError(toApiError(e))
          setLoading(false)
        }
      },
    )
    refreshCounts()
    return () => {
      live = false
    }
  }, [processId, documentId])

  useLiveEvents(processId, (event) => {
    if (event.type !== 'thread' || event.documentId !== documentId) {
      return
    }
    refreshCounts()
    const seq = (threadSeq.current.get(event.threadId) ?? 0) + 1
    threadSeq.current.set(event.threadId, seq)
    fetchThread(event.threadId).then(
      (thread) => {
        if (threadSeq.current.get(event.threadId) !== seq) {
          return
        }
        if (!known.current.has(thread.id)) {
          setArrived((set) => new Set(set).add(thread.id))
        }
        upsert(thread)
      },
      (e: unknown) => {
        const apiError = toApiError(e)
        // Hidden by a moderator, or gone: it leaves the page for those who may not see it.
        if (
          threadSeq.current.get(event.threadId) === seq &&
          (apiError.code === 'not_found' || apiError.code === 'forbidden')
        ) {
          remove(event.threadId)
        }
      },
    )
  })

  return { threads, counts, loading, error, arrived, upsert, remove, refreshCounts }
}
