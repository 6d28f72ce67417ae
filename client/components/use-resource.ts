import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { toApiError, type ApiError } from '../api/client'

export interface Resource<T> {
  data: T | undefined
  error: ApiError | null
  loading: boolean
  /** Fetches again, keeping the current data on screen meanwhile. */
  reload: () => Promise<void>
  /** Replaces the data locally after a write that returned the new state. */
  setData: (update: T | ((current: T | undefined) => T)) => void
}

/**
 * Loads data for a component and reloads it when `deps` change. Answers that arrive after
 * the component moved on (another process, unmounted) are dropped.
 */
export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined)
  const [error, setError] = useState<ApiError | null>(null)
  const [loading, setLoading] = useState(true)
  const seq = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const run = useCallback(async (keep: boolean) => {
    const mine = ++seq.current
    setLoading(true)
    setError(null)
    if (!keep) {
      setDataState(undefined)
    }
    try {
      const value = await loadRef.current()
      if (mine === seq.current) {
        setDataState(() => value)
      }
    } catch (e) {
      if (mine === seq.current) {
        setError(toApiError(e))
      }
    } finally {
      if (mine === seq.current) {
        setLoading(false)
      }
    }
  }, [])

  useEffect(() => {
    void run(false)
    return () => {
      seq.current++
    }
  }, deps)

  const reload = useCallback(() => run(true), [run])
  const setData = useCallback((update: T | ((current: T | undefined) => T)) => {
    setDataState((current) =>
      typeof update === 'function' ? (update as (c: T | undefined) => T)(current) : update,
    )
  }, [])

  return { data, error, loading, reload, setData }
}
