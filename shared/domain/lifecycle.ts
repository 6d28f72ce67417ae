/**
 * The stages of a process's life cycle, in order. Each step leaves a record; the
 * implementation review starts the next cycle.
 */
export const STAGES = [
  'drafting',
  'stakeholder-review',
  'public-consultation',
  'response',
  'adopted',
  'implementation-review',
] as const

export type Stage = (typeof STAGES)[number]
