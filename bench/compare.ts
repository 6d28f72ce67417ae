/**
 * The comparison benchmark (issue 14): two versions of a 300-page strategy (5,000 paragraphs
 * under 250 headings) of which 5 % of the paragraphs differ, compared on the server through
 * `GET /api/versions/:versionId/compare?to=`. The goal is under 1 s.
 *
 *   npx tsx bench/compare.ts [--paragraphs 5000] [--changed 0.05] [--runs 7]
 *
 * It prints, and writes to bench/results/compare.json, the median and the worst of `--runs`
 * requests, each on a pair of versions not read before (the whole path: authorisation, both
 * versions read from PostgreSQL and checked against the schema, the comparison, the JSON
 * answer); the same with the versions already read; and the comparison alone
 * (`compareDocuments` on the two documents in memory). BENCH_PG_URL names the
 * PostgreSQL server (default the local one); the benchmark makes its own database and drops it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import pino from 'pino'
import * as Y from 'yjs'
import type { Comparison } from '../shared/api/comparison'
import type { Version } from '../shared/api/versions'
import { assignSectionIds } from '../shared/schema/section-ids'
import { buildApp } from '../server/app'
import { createAccount, createTokenForEmail } from '../server/auth/service'
import { loadConfig } from '../server/config'
import { connect } from '../server/db/connect'
import { migrateToLatest } from '../server/db/migrate'
import { inTransaction } from '../server/db/transaction'
import { insertDocument, prepareServerEdit } from '../server/documents/service'
import { insertProcessWithSecretariat } from '../server/processes/service'
import { compareDocuments } from '../server/render/compare'
import { parseMarkdown } from '../server/render/markdown'
import { loadVersionContent } from '../server/versions/service'

const { values } = parseArgs({
  options: {
    paragraphs: { type: 'string', default: '5000' },
    changed: { type: 'string', default: '0.05' },
    runs: { type: 'string', default: '7' },
  },
})
const PARAGRAPHS = Number(values.paragraphs)
const CHANGED = Number(values.changed)
const RUNS = Number(values.runs)
const PER_SECTION = 20
const GOAL_MS = 1000
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

// About 18 words a paragraph, with emphasis and a link now and then: 5,000 paragraphs are
// about 90,000 words, 300 pages at the versions' 300 words a page.
function draft(): string {
  const blocks: string[] = []
  for (let i = 0; i < PARAGRAPHS; i++) {
    if (i % PER_SECTION === 0) {
      blocks.push(`## ${i / PER_SECTION + 1}. Line of action ${i / PER_SECTION + 1}`)
      continue
    }
    blocks.push(
      `Paragraph ${i}: the council coordinates the *ministries* and operators so that ` +
        `incidents are reported and [answered](https://gob.example/r/${i}) in **time**.`,
    )
  }
  return blocks.join('\n\n')
}

// Every 20th block is a heading; the others are paragraphs whose first child is their text.
function editParagraphs(fragment: Y.XmlFragment): number {
  const paragraphs = fragment
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph')
  const every = Math.max(1, Math.round(1 / CHANGED))
  let edited = 0
  paragraphs.forEach((paragraph, i) => {
    if (i % every !== 0) {
      return
    }
    const text = paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText)
    if (!text) {
      return
    }
    // Three kinds of edit, in turn: a word inserted, a phrase deleted, a phrase replaced.
    const kind = edited % 3
    if (kind === 0) {
      text.insert(20, 'newly ')
    } else if (kind === 1) {
      text.delete(30, 14)
    } else {
      text.delete(36, 13)
      text.insert(36, 'agencies and the CSIRT')
    }
    edited += 1
  })
  return edited
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function main() {
  const name = `concord_bench_compare_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(PG_URL)
  url.pathname = `/${name}`
  const connection = await connect({ databaseUrl: url.toString(), poolSize: 4 })
  try {
    const db = connection.db
    await migrateToLatest(db)
    const app = await buildApp({
      config: loadConfig({
        SESSION_SECRET: 'bench-secret-0123456789-abcdefghijklmnop',
        DATA_DIR: '/nonexistent',
      }),
      db,
      logger: pino({ level: 'warn' }),
      rateLimitPerMinute: 1_000_000,
      clientDir: '/nonexistent',
    })
    await app.ready()
    const owner = await createAccount(
      db,
      { email: 'owner@bench.test', name: 'Owner', password: 'bench-password', isAdmin: true },
      null,
    )
    const origin = { userId: owner.id, name: owner.name, ip: 'bench' }
    const { id: processId } = await inTransaction(db, (trx) =>
      insertProcessWithSecretariat(trx, owner.id, { title: 'Bench', languages: ['en'] }, origin),
    )
    process.stdout.write(`importing ${PARAGRAPHS} paragraphs…\n`)
    const document = await insertDocument(db, processId, 'Strategy', origin, {
      content: assignSectionIds(parseMarkdown(draft())),
    })
    const token = await createTokenForEmail(app.ctx, 'owner@bench.test', 'bench')
    const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
      const response = await app.inject({
        method,
        url: path,
        headers: { authorization: `Bearer ${token}` },
        ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
      })
      if (response.statusCode >= 300) {
        throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`)
      }
      return { json: response.json() as T, bytes: response.rawPayload.byteLength }
    }
    // One pair of versions per run (and one to warm up), so that every timed request reads
    // both versions from PostgreSQL, as the first comparison of two versions does; the server
    // keeps versions it has read (they never change), which the cached runs measure.
    const freeze = async (name: string) =>
      (await call<Version>('POST', `/api/documents/${document.id}/versions`, { name })).json
    const before: Version[] = []
    for (let i = 0; i <= RUNS; i++) {
      before.push(await freeze(`Consultation draft ${i}`))
    }
    let edited = 0
    const edit = await prepareServerEdit(db, document.id, (_doc, fragment) => {
      edited = editParagraphs(fragment)
    })
    await db.transaction().execute((trx) => edit.commit(trx))
    const after: Version[] = []
    for (let i = 0; i <= RUNS; i++) {
      after.push(await freeze(`After the consultation ${i}`))
    }
    const first = before[0]!
    process.stdout.write(
      `version 1: ${first.words} words (${first.estimatedPages} pages); ${edited} paragraphs changed\n`,
    )

    // Wall time, and the CPU time this process spent on the request: on a shared machine the
    // first depends on the neighbours, the second much less (PostgreSQL's own work is apart).
    const cpu: number[] = []
    const timed = async (from: Version, to: Version) => {
      const started = performance.now()
      const cpuBefore = process.cpuUsage()
      const answer = await call<Comparison>('GET', `/api/versions/${from.id}/compare?to=${to.id}`)
      const used = process.cpuUsage(cpuBefore)
      cpu.push((used.user + used.system) / 1000)
      return { took: performance.now() - started, answer }
    }
    // The first request of the process also compiles the route, its schemas and the diff.
    const { took: cold } = await timed(before[0]!, after[0]!)
    const uncached: number[] = []
    let answer: { json: Comparison; bytes: number } | undefined
    for (let i = 1; i <= RUNS; i++) {
      const run = await timed(before[i]!, after[i]!)
      uncached.push(run.took)
      answer = run.answer
    }
    const uncachedCpu = cpu.slice(1)
    const cached: number[] = []
    for (let i = 0; i < RUNS; i++) {
      cached.push((await timed(before[1]!, after[1]!)).took)
    }
    const older = await loadVersionContent(db, before[1]!.id)
    const newer = await loadVersionContent(db, after[1]!.id)
    const pure: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now()
      compareDocuments(older, newer)
      pure.push(performance.now() - started)
    }
    const result = {
      at: new Date().toISOString(),
      node: process.version,
      paragraphs: PARAGRAPHS,
      sections: first.sections.length,
      words: first.words,
      pages: first.estimatedPages,
      changedParagraphs: edited,
      summary: answer!.json.summary,
      responseBytes: answer!.bytes,
      routeMs: {
        firstOfProcess: round(cold),
        median: round(median(uncached)),
        worst: round(Math.max(...uncached)),
      },
      routeCpuMs: { median: round(median(uncachedCpu)), worst: round(Math.max(...uncachedCpu)) },
      loadAverage: loadavg().map(round),
      routeCachedMs: { median: round(median(cached)), worst: round(Math.max(...cached)) },
      compareOnlyMs: { median: round(median(pure)), worst: round(Math.max(...pure)) },
      goalMs: GOAL_MS,
      meetsGoal: Math.max(...uncached) < GOAL_MS,
    }
    process.stdout.write(
      `GET /api/versions/:id/compare, both versions read from PostgreSQL: median ${result.routeMs.median} ms, ` +
        `worst ${result.routeMs.worst} ms (goal < ${GOAL_MS} ms: ${result.meetsGoal ? 'met' : 'NOT met'}); ` +
        `first request of the process ${result.routeMs.firstOfProcess} ms\n` +
        `CPU time of the server process per request: median ${result.routeCpuMs.median} ms, worst ${result.routeCpuMs.worst} ms (load average ${result.loadAverage.join(' ')})\n` +
        `same, versions already read: median ${result.routeCachedMs.median} ms, worst ${result.routeCachedMs.worst} ms\n` +
        `compareDocuments alone: median ${result.compareOnlyMs.median} ms, worst ${result.compareOnlyMs.worst} ms\n` +
        `summary ${JSON.stringify(result.summary)}, answer ${result.responseBytes} bytes\n`,
    )
    const dir = resolve(import.meta.dirname, 'results')
    mkdirSync(dir, { recursive: true })
    writeFileSync(resolve(dir, 'compare.json'), `${JSON.stringify(result, null, 2)}\n`)
    await app.close()
  } finally {
    await connection.close()
    await admin.query(`DROP DATABASE IF EXISTS ${name}`)
    await admin.end()
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10

await main()
