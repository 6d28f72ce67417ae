import type { Commitment } from '../../shared/api/strategy'
import { DOWNLOAD_FORMATS } from '../../shared/api/strategy'
import type { Language } from '../../shared/limits'
import type { Executor } from '../db/database'
import { getStrategy, loadCommitments } from './service'

// Read functions for the public record of a process (`/p/:slug`, issue 14 item 7). They return
// only what is published: the strategy in force (an adoption that was neither superseded nor
// withdrawn) and, with it, the commitments. A process without a strategy in force answers null
// and no commitments. The caller decides whether the process has a public record at all.
// These signatures stay stable.

/** One language of the adopted text, and how it downloads (`/api/versions/:id/export` formats). */
export interface PublicAdoptedText {
  language: Language
  isSource: boolean
  versionId: string
  versionName: string
  title: string
  words: number
  formats: readonly (typeof DOWNLOAD_FORMATS)[number][]
}

/** The strategy in force, as the public sees it. */
export interface PublicStrategy {
  adoptionId: string
  /** The name of the adopted version of the source language. */
  versionId: string
  versionName: string
  /** The day it was adopted, YYYY-MM-DD. */
  adoptedOn: string
  instrument: string
  note: string
  languages: Language[]
  texts: PublicAdoptedText[]
  /** Earlier adoptions it supersedes, and withdrawals: the record, newest first. */
  record: Array<{
    number: number
    adoptedOn: string
    instrument: string
    state: 'in-force' | 'superseded' | 'withdrawn'
    withdrawal: { withdrawnOn: string; reason: string } | null
  }>
}

/** A commitment as the public sees it: no internal ids of threads, no authors' accounts. */
export type PublicCommitment = Omit<Commitment, 'threadId'>

/** The strategy in force of a process, or null when none is. */
export async function publicStrategy(
  db: Executor,
  processId: string,
): Promise<PublicStrategy | null> {
  const state = await getStrategy(db, processId)
  const current = state.current
  if (!current) {
    return null
  }
  const source = current.texts.find((t) => t.isSource) ?? current.texts[0]
  if (!source) {
    return null
  }
  return {
    adoptionId: current.id,
    versionId: source.versionId,
    versionName: source.versionName,
    adoptedOn: current.adoptedOn,
    instrument: current.instrument,
    note: current.note,
    languages: current.texts.map((t) => t.language),
    texts: current.texts.map((t) => ({
      language: t.language,
      isSource: t.isSource,
      versionId: t.versionId,
      versionName: t.versionName,
      title: t.title,
      words: t.words,
      formats: DOWNLOAD_FORMATS,
    })),
    record: state.record.map((a) => ({
      number: a.number,
      adoptedOn: a.adoptedOn,
      instrument: a.instrument,
      state: a.state,
      withdrawal: a.withdrawal
        ? { withdrawnOn: a.withdrawal.withdrawnOn, reason: a.withdrawal.reason }
        : null,
    })),
  }
}

/**
 * The commitments of the strategy in force, by number, with their indicators (target and
 * measured values) and dated progress updates; none when no strategy is in force.
 */
export async function publicCommitments(
  db: Executor,
  processId: string,
): Promise<PublicCommitment[]> {
  if (!(await getStrategy(db, processId)).current) {
    return []
  }
  return (await loadCommitments(db, processId)).map(({ threadId: _threadId, ...rest }) => rest)
}

/** Whether a version is part of the strategy in force: the public may download exactly those. */
export async function isPublicStrategyVersion(
  db: Executor,
  processId: string,
  versionId: string,
): Promise<boolean> {
  const strategy = await publicStrategy(db, processId)
  return strategy?.texts.some((t) => t.versionId === versionId) ?? false
}
