import { monitorEventLoopDelay, PerformanceObserver, constants } from 'node:perf_hooks'

// Loaded with `--import` into both servers (and called in the benchmark process itself), so
// every process is measured the same way: how late its event loop ran (a stall of the main
// thread delays every message behind it), how long garbage collection paused it, and how
// much CPU the whole process (all its threads) used. The benchmark asks over the IPC channel:
// 'probe:reset' starts a measurement, 'probe:report' answers with what was seen since.

/** What one process did during a measurement. */
export interface ProbeReport {
  /** Event-loop delay percentiles and maximum, in ms (timer lateness at 1 ms resolution). */
  loopDelayMs: { p50: number; p99: number; max: number }
  /** Garbage-collection pauses: count, total and longest, in ms, and the longest by kind. */
  gc: { count: number; totalMs: number; maxMs: number; maxByKind: Record<string, number> }
  /** CPU time of the process over the measurement, as a share of one core (1 = one core busy). */
  cpuCores: number
  seconds: number
}

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
}

/** Starts measuring this process; `report` tells what happened since the last `reset`. */
export function createProbe(): { reset(): void; report(): ProbeReport } {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  let gc = { count: 0, totalMs: 0, maxMs: 0, maxByKind: {} as Record<string, number> }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'other'
      gc.count++
      gc.totalMs += entry.duration
      gc.maxMs = Math.max(gc.maxMs, entry.duration)
      gc.maxByKind[kind] = Math.max(gc.maxByKind[kind] ?? 0, round(entry.duration))
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  let cpu = process.cpuUsage()
  let startedAt = performance.now()
  const ms = (ns: number) => round(ns / 1e6)
  return {
    reset() {
      histogram.reset()
      gc = { count: 0, totalMs: 0, maxMs: 0, maxByKind: {} }
      cpu = process.cpuUsage()
      startedAt = performance.now()
    },
    report() {
      const used = process.cpuUsage(cpu)
      const seconds = (performance.now() - startedAt) / 1000
      return {
        loopDelayMs: {
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
        },
        gc: { ...gc, totalMs: round(gc.totalMs), maxMs: round(gc.maxMs) },
        cpuCores: round((used.user + used.system) / 1e6 / seconds),
        seconds: round(seconds),
      }
    },
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}

// In a server started by the benchmark (an IPC channel is open), answer the benchmark's asks.
if (process.send && process.channel) {
  const probe = createProbe()
  process.on('message', (message: unknown) => {
    if (message === 'probe:reset') {
      probe.reset()
      process.send?.({ probe: 'reset' })
    } else if (message === 'probe:report') {
      process.send?.({ probe: 'report', report: probe.report() })
    }
  })
  // The channel must not keep a server alive that is told to stop.
  process.channel.unref()
}
