import { useEffect, useRef } from 'preact/hooks'
import type { LiveEvent } from '../../shared/api/threads'

type Listener = (event: LiveEvent) => void

interface Stream {
  source: EventSource
  listeners: Set<Listener>
}

// One EventSource per process (or none) for the whole page, however many components listen.
const streams = new Map<string, Stream>()

function open(processId: string | null): Stream {
  const key = processId ?? ''
  const existing = streams.get(key)
  if (existing) {
    return existing
  }
  const url = processId ? `/api/events?process=${encodeURIComponent(processId)}` : '/api/events'
  // EventSource reconnects by itself (with the server's `retry:` delay, which carries jitter).
  const source = new EventSource(url, { withCredentials: true })
  const stream: Stream = { source, listeners: new Set() }
  const deliver = (message: MessageEvent<string>) => {
    let event: LiveEvent
    try {
      event = JSON.parse(message.data) as LiveEvent
    } catch {
      return
    }
    for (const listener of stream.listeners) {
      listener(event)
    }
  }
  source.addEventListener('thread', deliver)
  source.addEventListener('notification', deliver)
  source.addEventListener('workshop', deliver)
  streams.set(key, stream)
  return stream
}

/**
 * Listens to the live stream of a process (threads, replies, endorsements, status changes)
 * and of the signed-in user (notifications). Events only say what changed; the listener
 * fetches it through the API. Pass `null` for the user's own events only.
 */
export function subscribeLive(processId: string | null, listener: Listener): () => void {
  const stream = open(processId)
  stream.listeners.add(listener)
  return () => {
    stream.listeners.delete(listener)
    if (stream.listeners.size === 0) {
      stream.source.close()
      streams.delete(processId ?? '')
    }
  }
}

/** `subscribeLive` for a component: the latest `listener` is called, the stream lives while mounted. */
export function useLiveEvents(processId: string | null | undefined, listener: Listener): void {
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => {
    if (processId === undefined) {
      return
    }
    return subscribeLive(processId, (event) => latest.current(event))
  }, [processId])
}
