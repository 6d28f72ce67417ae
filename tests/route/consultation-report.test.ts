import JSZip from 'jszip'
import mammoth from 'mammoth'
import { parse } from 'csv-parse/sync'
import { parseHTML } from 'linkedom'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Consultation, ConsultationReport } from '../../shared/api/consultations'
import type { Version } from '../../shared/api/versions'
import type { Role } from '../../shared/domain/roles'
import { insertComment, insertThread, nextThreadNumber } from '../../server/comments/queries'
import type { ConsultationRow } from '../../server/db/database'
import { buildReport } from '../../server/consultation/report'
import { makeWorld } from '../support/world'
import { createTestApp, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import type { TestProcess } from '../support/factories'
import { sectionId, THREAD_DRAFT } from '../support/threads'

const t = await createTestApp()
const { db, factories } = t

// The window: from midnight on 9 March to midnight on 11 March 2026, Bogotá time (UTC−5).
const TIME_ZONE = 'America/Bogota'
const OPENS_AT = '2026-03-09T05:00:00.000Z'
const CLOSES_AT = '2026-03-11T05:00:00.000Z'

interface Fixture {
  process: TestProcess
  documentId: string
  consultation: Consultation
  version: Version
  owner: Client
  people: Record<Exclude<Role, 'secretariat'>, Client>
  sections: { vision: string; governance: string; infrastructure: string }
  /** Thread numbers by the fixture's name for them. */
  numbers: Record<'t1' | 't2' | 't3' | 't4' | 't5' | 't6', number>
  threadIds: Record<'t1' | 't2' | 't3' | 't4' | 't5' | 't6', string>
}

let seq = 0

/**
 * A public submission that made (or joined) a thread, inserted as the submission flow stores
 * one: the thread and its root comment on the first of a campaign, a submission row for each.
 */
async function submit(
  f: Pick<Fixture, 'process' | 'documentId' | 'consultation'>,
  input: {
    section: { id: string; title: string }
    submissions: { group: string; at: string; organisation?: string; name?: string }[]
    body: string
    quote?: string
    kind?: string
    proposal?: string
    hidden?: string
    pending?: boolean
  },
) {
  const [first] = input.submissions
  const number = await nextThreadNumber(db, f.process.id)
  const thread = await insertThread(db, {
    process_id: f.process.id,
    document_id: f.documentId,
    number,
    section_id: input.section.id,
    section_title: input.section.title,
    kind: input.kind ?? 'comment',
    quote: input.quote ?? null,
    proposal_scope: input.proposal === undefined ? null : 'section',
    proposal_text: input.proposal ?? null,
    created_by: null,
    created_at: first!.at,
    last_activity_at: first!.at,
    consultation_id: f.consultation.id,
    submission_count: input.submissions.length,
  })
  await insertComment(db, {
    thread_id: thread.id,
    process_id: f.process.id,
    is_root: true,
    author_id: null,
    author_name: first!.name ?? '',
    author_group: first!.group,
    author_organisation: first!.organisation ?? '',
    author_role: null,
    body: input.body,
    created_at: first!.at,
    self_declared: true,
    pending: input.pending ?? false,
    hidden_at: input.hidden !== undefined || input.pending ? first!.at : null,
    hidden_by_name: input.hidden !== undefined ? 'Moderator' : null,
    hidden_reason: input.hidden ?? (input.pending ? '' : null),
  })
  for (const s of input.submissions) {
    seq += 1
    await db
      .insertInto('consultation_submissions')
      .values({
        consultation_id: f.consultation.id,
        reference: `R-${f.consultation.id}-${seq}`,
        status: 'accepted',
        thread_id: thread.id,
        section_id: input.section.id,
        author_name: s.name ?? null,
        stakeholder_group: s.group,
        organisation: s.organisation ?? '',
        consent: true,
        body: input.body,
        quote: input.quote ?? null,
        text_hash: `hash-${thread.id}`,
        address_hash: 'address',
        language: 'en',
        created_at: s.at,
      })
      .execute()
  }
  return thread
}

async function answer(owner: Client, threadId: string, body: Record<string, unknown>) {
  const response = await owner.put(`/api/threads/${threadId}/answer`, body)
  expect(response.statusCode, response.body).toBe(200)
}

/**
 * The known data set: a consultation on a three-section version; six threads, one of them a
 * three-submission campaign, one hidden, one pending approval; answered and unanswered ones;
 * submissions on two days in Bogotá, one of them late on the first day (already the next day in
 * UTC). Besides, an unverified submission and a member's own thread, neither of which counts.
 */
async function fixture(visibility: Consultation['visibility'] = 'immediately'): Promise<Fixture> {
  const { process, documentId, owner, people } = await makeWorld(t)
  await db
    .insertInto('stakeholder_groups')
    .values({
      process_id: process.id,
      key: 'technical-community',
      label: 'Technical community',
      position: 9,
    })
    .execute()
  const consultation = await openConsultation(owner, process.id, documentId, {
    visibility,
    timeZone: TIME_ZONE,
  })
  await db
    .updateTable('consultations')
    .set({ opens_at: OPENS_AT, closes_at: CLOSES_AT })
    .where('id', '=', consultation.id)
    .execute()
  const version = (await (
    await owner.get(`/api/versions/${consultation.versionId}`)
  ).json()) as Version
  const ids = {
    vision: sectionId(version.sections, 'Vision'),
    governance: sectionId(version.sections, 'Governance'),
    infrastructure: sectionId(version.sections, 'Critical infrastructure'),
  }
  const vision = { id: ids.vision, title: 'Vision' }
  const governance = { id: ids.governance, title: 'Governance' }
  const infrastructure = { id: ids.infrastructure, title: 'Critical infrastructure' }
  const f = { process, documentId, consultation }

  const t1 = await submit(f, {
    section: governance,
    submissions: [
      {
        group: 'civil-society',
        at: '2026-03-09T14:00:00Z',
        organisation: 'Fundación Kárisma',
        name: 'Ana Pérez',
      },
    ],
    body: 'Give the council its own budget.',
    quote: 'coordinates every ministry',
  })
  const t2 = await submit(f, {
    section: infrastructure,
    submissions: [
      // 22:30 on 9 March in Bogotá, already 10 March in UTC.
      { group: 'private-sector', at: '2026-03-10T03:30:00Z', organisation: 'Cámara TIC' },
      { group: 'private-sector', at: '2026-03-10T15:00:00Z', organisation: 'Andesco' },
      { group: 'individual', at: '2026-03-10T16:00:00Z' },
    ],
    body: '24 hours is too short; make it 72.',
    kind: 'proposal',
    proposal: 'Operators report incidents within 72 hours.',
  })
  const t3 = await submit(f, {
    section: vision,
    submissions: [
      {
        group: 'individual',
        at: '2026-03-09T20:00:00Z',
        name: 'Spammer',
        organisation: 'Spam Inc',
      },
    ],
    body: 'Buy cheap watches at example.com',
    quote: 'digital nation',
    hidden: 'Advertising',
  })
  const t4 = await submit(f, {
    section: governance,
    submissions: [{ group: 'academia', at: '2026-03-10T17:00:00Z', name: 'Pending Person' }],
    body: 'Awaiting the moderator.',
    pending: true,
  })
  const t5 = await submit(f, {
    section: vision,
    submissions: [
      {
        group: 'technical-community',
        at: '2026-03-10T18:00:00Z',
        organisation: 'ISOC Colombia',
        name: 'Luis Ñáñez',
      },
    ],
    body: '=HYPERLINK("http://evil.example","Visión más clara")',
  })
  const t6 = await submit(f, {
    section: infrastructure,
    // 21:00 on 10 March in Bogotá, 11 March in UTC.
    submissions: [
      { group: 'government', at: '2026-03-11T02:00:00Z', organisation: 'Ministerio TIC' },
    ],
    body: 'Línea uno, con "comillas".\nLínea dos; and a comma, here.',
    kind: 'question',
  })

  // Neither counts: a submission still waiting for its e-mail link, and a member's own thread.
  await db
    .insertInto('consultation_submissions')
    .values({
      consultation_id: consultation.id,
      reference: `UNVERIFIED-${consultation.id}`,
      status: 'unverified',
      thread_id: null,
      section_id: ids.vision,
      stakeholder_group: 'academia',
      consent: true,
      body: 'Not confirmed',
      text_hash: 'x',
      address_hash: 'y',
      language: 'en',
      created_at: '2026-03-10T12:00:00Z',
    })
    .execute()
  const members = await owner.post(`/api/documents/${documentId}/threads`, {
    sectionId: ids.vision,
    kind: 'comment',
    body: 'An internal remark of the secretariat.',
  })
  expect(members.statusCode, members.body).toBe(201)

  await answer(owner, t1.id, {
    disposition: 'accepted',
    answer: 'The council gets a budget line.',
    versionId: version.id,
    sectionId: ids.governance,
  })
  await answer(owner, t2.id, { disposition: 'partially-accepted', answer: 'We move to 48 hours.' })
  await answer(owner, t5.id, { disposition: 'noted', answer: 'Noted, thank you.' })

  return {
    ...f,
    version,
    owner,
    people,
    sections: ids,
    numbers: {
      t1: t1.number,
      t2: t2.number,
      t3: t3.number,
      t4: t4.number,
      t5: t5.number,
      t6: t6.number,
    },
    threadIds: { t1: t1.id, t2: t2.id, t3: t3.id, t4: t4.id, t5: t5.id, t6: t6.id },
  }
}

const reportUrl = (f: Fixture, query: string) =>
  `/api/consultations/${f.consultation.id}/report?${query}`

async function consultationRow(f: Fixture): Promise<ConsultationRow> {
  return db
    .selectFrom('consultations')
    .selectAll()
    .where('id', '=', f.consultation.id)
    .executeTakeFirstOrThrow()
}

let f: Fixture
beforeAll(async () => {
  f = await fixture()
})

describe('the report of a known data set', () => {
  it('counts every total exactly, over accepted submissions in the consultation’s time zone', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=json'))
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json() as ConsultationReport
    const { vision, governance, infrastructure } = f.sections
    expect(report.audience).toBe('secretariat')
    expect(report.commentsPublished).toBe(true)
    expect(report.timeZone).toBe(TIME_ZONE)
    expect(report.opensAt).toBe(OPENS_AT)
    expect(report.closesAt).toBe(CLOSES_AT)
    expect(report.sections.map((s) => s.title)).toEqual([
      'Vision',
      'Governance',
      'Critical infrastructure',
    ])
    expect(report.groups.map((g) => g.key)).toEqual([
      'government',
      'civil-society',
      'academia',
      'private-sector',
      'individual',
      'technical-community',
    ])
    expect(report.totals).toEqual({
      // 1 + 3 (the campaign) + 1 (hidden) + 1 + 1; the pending one and the unverified one are not counted.
      submissions: 7,
      threads: 5,
      answered: 3,
      hidden: 1,
      pending: 1,
      byGroup: {
        government: 1,
        'civil-society': 1,
        academia: 0,
        'private-sector': 2,
        individual: 2,
        'technical-community': 1,
      },
      bySection: { [vision]: 2, [governance]: 1, [infrastructure]: 4 },
      matrix: {
        [vision]: {
          government: 0,
          'civil-society': 0,
          academia: 0,
          'private-sector': 0,
          individual: 1,
          'technical-community': 1,
        },
        [governance]: {
          government: 0,
          'civil-society': 1,
          academia: 0,
          'private-sector': 0,
          individual: 0,
          'technical-community': 0,
        },
        [infrastructure]: {
          government: 1,
          'civil-society': 0,
          academia: 0,
          'private-sector': 2,
          individual: 1,
          'technical-community': 0,
        },
      },
      byDisposition: {
        accepted: 1,
        'partially-accepted': 1,
        'not-accepted': 0,
        noted: 1,
        'out-of-scope': 0,
      },
    })
    // In UTC these would be 2, 4 and 1 over three days.
    expect(report.overTime).toEqual([
      { date: '2026-03-09', submissions: 3 },
      { date: '2026-03-10', submissions: 4 },
    ])
  })

  it('lists every thread in the version’s section order, then by number, without the pending one', async () => {
    const report = (await f.owner.get(reportUrl(f, 'format=json'))).json() as ConsultationReport
    const n = f.numbers
    expect(report.threads.map((x) => x.number)).toEqual([n.t3, n.t5, n.t1, n.t2, n.t6])
    expect(report.threads.some((x) => x.number === n.t4)).toBe(false)
    const byNumber = new Map(report.threads.map((x) => [x.number, x]))
    expect(byNumber.get(n.t1)).toEqual({
      number: n.t1,
      threadId: f.threadIds.t1,
      references: [expect.stringMatching(/^R-/)],
      sectionId: f.sections.governance,
      sectionTitle: 'Governance',
      stakeholderGroup: 'civil-society',
      selfDeclared: true,
      organisation: 'Fundación Kárisma',
      author: 'Ana Pérez',
      kind: 'comment',
      comment: 'Give the council its own budget.',
      hidden: false,
      hiddenReason: null,
      withdrawn: false,
      quote: 'coordinates every ministry',
      proposedChange: null,
      submissions: 1,
      createdAt: '2026-03-09T14:00:00.000Z',
      disposition: 'accepted',
      answer: 'The council gets a budget line.',
      answeredAt: expect.any(String),
      answerVersionName: f.version.name,
      answerSectionTitle: 'Governance',
    })
    expect(byNumber.get(n.t2)).toMatchObject({
      stakeholderGroup: 'private-sector',
      organisation: 'Cámara TIC',
      author: '',
      kind: 'proposal',
      proposedChange: 'Operators report incidents within 72 hours.',
      submissions: 3,
      references: [expect.any(String), expect.any(String), expect.any(String)],
      disposition: 'partially-accepted',
      answerVersionName: null,
    })
    // The secretariat's report keeps a hidden thread's text, marked, with the reason.
    expect(byNumber.get(n.t3)).toMatchObject({
      comment: 'Buy cheap watches at example.com',
      hidden: true,
      hiddenReason: 'Advertising',
      author: 'Spammer',
      disposition: null,
      answer: null,
    })
    expect(byNumber.get(n.t6)).toMatchObject({
      kind: 'question',
      disposition: null,
      answer: null,
      answeredAt: null,
    })
  })
})

describe('the public report', () => {
  it('shows a hidden thread as the moderator’s reason, with no author or text, and never a pending one', async () => {
    const report = await buildReport(
      db,
      await consultationRow(f),
      'public',
      new Date('2026-03-12T00:00:00Z'),
    )
    expect(report.audience).toBe('public')
    expect(report.commentsPublished).toBe(true)
    const secretariat = (
      await f.owner.get(reportUrl(f, 'format=json'))
    ).json() as ConsultationReport
    expect(report.totals).toEqual(secretariat.totals)
    expect(report.overTime).toEqual(secretariat.overTime)
    expect(report.threads.map((x) => x.number)).toEqual(secretariat.threads.map((x) => x.number))
    const hidden = report.threads.find((x) => x.number === f.numbers.t3)!
    expect(hidden).toMatchObject({
      comment: 'Advertising',
      hidden: true,
      hiddenReason: 'Advertising',
      author: '',
      organisation: '',
      quote: null,
      proposedChange: null,
      stakeholderGroup: 'individual',
    })
    expect(JSON.stringify(report)).not.toContain('watches')
    expect(JSON.stringify(report)).not.toContain('Spammer')
    expect(JSON.stringify(report)).not.toContain('Awaiting the moderator')
    expect(JSON.stringify(report)).not.toContain('Pending Person')
    expect(report.threads.find((x) => x.number === f.numbers.t1)).toMatchObject({
      comment: 'Give the council its own budget.',
      author: 'Ana Pérez',
      answer: 'The council gets a budget line.',
    })
  })

  it('holds no comment text at all when comments are never public, and none before the close when after-close', async () => {
    const never = await fixture('never')
    const afterClose = await fixture('after-close')
    const cases = [
      { fx: never, now: new Date('2026-03-12T00:00:00Z'), published: false },
      { fx: afterClose, now: new Date('2026-03-10T12:00:00Z'), published: false },
      { fx: afterClose, now: new Date(CLOSES_AT), published: true },
    ]
    for (const { fx, now, published } of cases) {
      const report = await buildReport(db, await consultationRow(fx), 'public', now)
      expect(report.commentsPublished).toBe(published)
      expect(report.totals.submissions).toBe(7)
      expect(report.totals.byDisposition).toMatchObject({
        accepted: 1,
        'partially-accepted': 1,
        noted: 1,
      })
      expect(report.threads).toHaveLength(5)
      const text = JSON.stringify(report.threads)
      for (const words of [
        'council',
        'Kárisma',
        'Ana Pérez',
        '72 hours',
        '48 hours',
        'Advertising',
        'Línea',
      ]) {
        expect(text.includes(words), `${words} (published: ${published})`).toBe(published)
      }
      if (!published) {
        for (const thread of report.threads) {
          expect(thread).toMatchObject({
            comment: '',
            author: '',
            organisation: '',
            quote: null,
            proposedChange: null,
            answer: null,
          })
        }
        expect(report.threads.map((x) => x.disposition)).toEqual([
          null,
          'noted',
          'accepted',
          'partially-accepted',
          null,
        ])
      }
    }
  })
})

describe('exports', () => {
  it('sends CSV with a BOM, a header row and one row per thread, cells as stored and formulas defused', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=csv&lang=en'))
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${f.consultation.slug}-report.csv"`,
    )
    expect(response.headers['cache-control']).toBe('private, no-store')
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(response.rawPayload, { bom: true }) as string[][]
    expect(rows[0]).toEqual([
      'No.',
      'References',
      'Section',
      'Stakeholder group',
      'Self-declared',
      'Organisation',
      'Author',
      'Kind',
      'Comment',
      'Quoted passage',
      'Proposed change',
      'Submissions',
      'Hidden',
      'Received at',
      'Disposition',
      'Answer',
      'Answered at',
      'Changed in version',
      'Changed in section',
    ])
    expect(rows).toHaveLength(6)
    const n = f.numbers
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([n.t3, n.t5, n.t1, n.t2, n.t6])
    const row = (number: number) => {
      const found = rows.find((r) => r[0] === String(number))!
      return Object.fromEntries(rows[0]!.map((heading, i) => [heading, found[i]]))
    }
    expect(row(n.t1)).toMatchObject({
      Section: 'Governance',
      'Stakeholder group': 'Civil society',
      'Self-declared': 'Yes',
      Organisation: 'Fundación Kárisma',
      Author: 'Ana Pérez',
      Kind: 'Comment',
      Comment: 'Give the council its own budget.',
      'Quoted passage': 'coordinates every ministry',
      'Proposed change': '',
      Submissions: '1',
      Hidden: 'No',
      'Received at': '2026-03-09T14:00:00.000Z',
      Disposition: 'Accepted',
      Answer: 'The council gets a budget line.',
      'Changed in version': f.version.name,
      'Changed in section': 'Governance',
    })
    expect(row(n.t2)).toMatchObject({
      'Stakeholder group': 'Private sector',
      Kind: 'Proposed change',
      'Proposed change': 'Operators report incidents within 72 hours.',
      Submissions: '3',
      Disposition: 'Partially accepted',
    })
    expect(row(n.t3)).toMatchObject({
      Hidden: 'Yes',
      Comment: 'Buy cheap watches at example.com',
      Disposition: '',
    })
    // A custom group's label as the secretariat typed it; a formula is shown, never run.
    expect(row(n.t5)).toMatchObject({
      'Stakeholder group': 'Technical community',
      Author: 'Luis Ñáñez',
      Comment: `'=HYPERLINK("http://evil.example","Visión más clara")`,
      Disposition: 'Noted',
    })
    expect(row(n.t6)).toMatchObject({
      Kind: 'Question',
      Comment: 'Línea uno, con "comillas".\nLínea dos; and a comma, here.',
      Disposition: '',
      Answer: '',
    })
  })

  it('labels the CSV in Spanish when asked', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=csv&lang=es'))
    expect(response.statusCode).toBe(200)
    const rows = parse(response.rawPayload, { bom: true }) as string[][]
    expect(rows[0]!.slice(0, 4)).toEqual(['N.º', 'Referencias', 'Sección', 'Grupo de interés'])
    const t1 = rows.find((r) => r[0] === String(f.numbers.t1))!
    expect(t1[3]).toBe('Sociedad civil')
    expect(t1[4]).toBe('Sí')
    expect(t1[7]).toBe('Comentario')
    expect(t1[14]).toBe('Aceptado')
    const t2 = rows.find((r) => r[0] === String(f.numbers.t2))!
    expect(t2[14]).toBe('Aceptado en parte')
  })

  it('sends the report as a JSON attachment', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=json'))
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${f.consultation.slug}-report.json"`,
    )
    const report = JSON.parse(response.body) as ConsultationReport
    expect(report.consultationId).toBe(f.consultation.id)
    expect(report.threads).toHaveLength(5)
  })

  it('sends a .docx comment-response matrix: landscape, header row repeated, one row per thread', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=docx&lang=en'))
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    )
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${f.consultation.slug}-report.docx"`,
    )
    const buffer = response.rawPayload
    const xml = await (await JSZip.loadAsync(buffer)).file('word/document.xml')!.async('string')
    expect(xml).toMatch(/<w:pgSz[^>]*w:orient="landscape"/)
    const size = /<w:pgSz w:w="(\d+)" w:h="(\d+)"/.exec(xml)!
    expect(Number(size[1])).toBeGreaterThan(Number(size[2]))
    // The matrix is the last table: its first row, and only that one, repeats on every page.
    const matrixXml = xml.slice(xml.lastIndexOf('<w:tbl>'))
    const matrixRows = matrixXml.split('<w:tr>').slice(1)
    expect(matrixRows).toHaveLength(1 + 5)
    expect(matrixRows[0]).toContain('<w:tblHeader/>')
    expect(matrixRows.slice(1).some((r) => r.includes('tblHeader'))).toBe(false)

    const { value: html } = await mammoth.convertToHtml({ buffer })
    const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`)
    const text = document.body.textContent ?? ''
    expect(text).toContain('National cybersecurity strategy: public consultation')
    expect(text).toContain('Comment-response matrix')
    // ICU puts a narrow no-break space before AM: \s matches it.
    expect(text).toMatch(
      /Consultation window: March 9, 2026 at 12:00\sAM to March 11, 2026 at 12:00\sAM \(America\/Bogota\)/,
    )
    const tables = [...document.querySelectorAll('table')]
    const cells = (table: Element) =>
      [...table.querySelectorAll('tr')].map((tr) =>
        [...tr.querySelectorAll('td, th')].map((td) =>
          [...td.querySelectorAll('p')].map((p) => p.textContent ?? '').join('\n'),
        ),
      )
    const [totals, dispositions, groupsBySection, matrix] = tables.map(cells)
    expect(totals).toEqual([
      ['Totals', ''],
      ['Submissions received', '7'],
      ['Threads', '5'],
      ['Threads answered', '3'],
      ['Threads without an answer', '2'],
      ['Threads hidden by the moderator', '1'],
      ['Submissions awaiting moderation (not counted)', '1'],
    ])
    expect(dispositions).toEqual([
      ['Disposition', 'Threads'],
      ['Accepted', '1'],
      ['Partially accepted', '1'],
      ['Not accepted', '0'],
      ['Noted', '1'],
      ['Out of scope', '0'],
      ['No answer yet', '2'],
    ])
    expect(groupsBySection).toEqual([
      [
        'Section',
        'Government',
        'Civil society',
        'Academia',
        'Private sector',
        'Individual / citizen',
        'Technical community',
        'Total',
      ],
      ['Vision', '0', '0', '0', '0', '1', '1', '2'],
      ['Governance', '0', '1', '0', '0', '0', '0', '1'],
      ['Critical infrastructure', '1', '0', '0', '2', '1', '0', '4'],
      ['Total', '1', '1', '0', '2', '2', '1', '7'],
    ])
    expect(matrix![0]).toEqual([
      'No.',
      'References',
      'Section',
      'Stakeholder group',
      'Author / organisation',
      'Kind',
      'Comment',
      'Proposed change',
      'Disposition',
      'Answer',
    ])
    const n = f.numbers
    expect(matrix!.slice(1).map((r) => Number(r[0]))).toEqual([n.t3, n.t5, n.t1, n.t2, n.t6])
    const row = (number: number) => matrix!.find((r) => r[0] === String(number))!
    expect(row(n.t1)).toEqual([
      String(n.t1),
      expect.stringMatching(/^R-/),
      'Governance',
      'Civil society (self-declared)',
      'Ana Pérez\nFundación Kárisma',
      'Comment',
      'On the passage: “coordinates every ministry”\nGive the council its own budget.',
      '',
      'Accepted',
      `The council gets a budget line.\nChanged in: ${f.version.name}, Governance`,
    ])
    expect(row(n.t2)).toEqual([
      String(n.t2),
      expect.stringMatching(/^R-.*\nR-.*\nR-/),
      'Critical infrastructure',
      'Private sector (self-declared)',
      'Cámara TIC',
      'Proposed change',
      '24 hours is too short; make it 72.\n3 identical submissions',
      'Operators report incidents within 72 hours.',
      'Partially accepted',
      'We move to 48 hours.',
    ])
    expect(row(n.t3)![6]).toBe(
      'Hidden by the moderator: Advertising\nOn the passage: “digital nation”\nBuy cheap watches at example.com',
    )
    expect(row(n.t5)![6]).toBe('=HYPERLINK("http://evil.example","Visión más clara")')
    expect(row(n.t6)!.slice(5)).toEqual([
      'Question',
      'Línea uno, con "comillas".\nLínea dos; and a comma, here.',
      '',
      'No answer yet',
      '',
    ])
  })

  it('writes the .docx in Spanish when asked', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=docx&lang=es'))
    const { value: html } = await mammoth.convertToHtml({ buffer: response.rawPayload })
    expect(html).toContain('Matriz de comentarios y respuestas')
    expect(html).toContain('Período de consulta: del 9 de marzo de 2026')
    expect(html).toContain('Sociedad civil (autodeclarado)')
    expect(html).toContain('Aceptado en parte')
    expect(html).toContain('3 aportes idénticos')
  })
})

describe('access', () => {
  it('lets the secretariat export, answers 403 to every other role and 404 to outsiders and unknown ids', async () => {
    for (const format of ['json', 'csv', 'docx']) {
      expect((await f.owner.get(reportUrl(f, `format=${format}`))).statusCode, format).toBe(200)
    }
    for (const [role, client] of Object.entries(f.people)) {
      const response = await client.get(reportUrl(f, 'format=csv'))
      expect(response.statusCode, role).toBe(403)
      expect(response.json().code).toBe('forbidden')
    }
    const outsider = await t.as(await factories.createUser({ isAdmin: true }))
    const refused = await outsider.get(reportUrl(f, 'format=json'))
    expect(refused.statusCode).toBe(404)
    expect(refused.json()).toMatchObject({ code: 'not_found', message: 'Consultation not found' })
    const missing = await f.owner.get(
      '/api/consultations/00000000-0000-4000-8000-000000000000/report?format=json',
    )
    expect(missing.statusCode).toBe(404)
    expect(missing.json().message).toBe('Consultation not found')
    expect((await t.anonymous.get(reportUrl(f, 'format=json'))).statusCode).toBe(401)
  })

  it('refuses a bad format, language, extra parameter or id with 400', async () => {
    for (const url of [
      reportUrl(f, 'format=pdf'),
      reportUrl(f, ''),
      reportUrl(f, 'format=csv&lang=de'),
      reportUrl(f, 'format=csv&extra=1'),
      '/api/consultations/not-a-uuid/report?format=json',
    ]) {
      const response = await f.owner.get(url)
      expect(response.statusCode, url).toBe(400)
      expect(response.json().code).toBe('validation_failed')
    }
  })

  it('takes the caller’s language when none is asked for', async () => {
    await db
      .updateTable('users')
      .set({ locale: 'es' })
      .where('id', '=', f.process.secretariat.id)
      .execute()
    const owner = await t.as(f.process.secretariat)
    const rows = parse((await owner.get(reportUrl(f, 'format=csv'))).rawPayload, {
      bom: true,
    }) as string[][]
    expect(rows[0]![2]).toBe('Sección')
    await db
      .updateTable('users')
      .set({ locale: 'en' })
      .where('id', '=', f.process.secretariat.id)
      .execute()
  })
})

it('reports an empty consultation with zeros and no threads', async () => {
  const other = await factories.createProcess()
  const { id: documentId } = await factories.createDocument(
    other.id,
    other.secretariat,
    'Empty',
    THREAD_DRAFT,
  )
  const owner = await t.as(other.secretariat)
  const consultation = await openConsultation(owner, other.id, documentId)
  const report = (await (
    await owner.get(`/api/consultations/${consultation.id}/report?format=json`)
  ).json()) as ConsultationReport
  expect(report.totals.submissions).toBe(0)
  expect(report.totals.threads).toBe(0)
  expect(Object.values(report.totals.bySection)).toEqual([0, 0, 0])
  expect(report.threads).toEqual([])
  // The window opened a minute ago: today so far (two days if Bogotá's midnight fell between), nothing in it.
  expect(report.overTime.length).toBeGreaterThanOrEqual(1)
  expect(report.overTime.length).toBeLessThanOrEqual(2)
  expect(report.overTime.every((d) => d.submissions === 0)).toBe(true)
  const count = await db
    .selectFrom('consultation_submissions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultation.id)
    .executeTakeFirstOrThrow()
  expect(count.n).toBe(0)
})

it('keeps no text of a comment its author withdrew, for either audience, nor their name in public, and still counts it', async () => {
  const fx = await fixture()
  await db
    .updateTable('comments')
    .set({ withdrawn_at: '2026-03-10T20:00:00Z' })
    .where('thread_id', '=', fx.threadIds.t6)
    .where('is_root', '=', true)
    .execute()
  const row = await consultationRow(fx)
  for (const audience of ['secretariat', 'public'] as const) {
    const report = await buildReport(db, row, audience, new Date('2026-03-12T00:00:00Z'))
    expect(report.totals.submissions, audience).toBe(7)
    expect(
      report.threads.find((x) => x.number === fx.numbers.t6),
      audience,
    ).toMatchObject({
      withdrawn: true,
      comment: '',
      quote: null,
      organisation: audience === 'public' ? '' : 'Ministerio TIC',
    })
    expect(JSON.stringify(report), audience).not.toContain('Línea')
    if (audience === 'public') {
      expect(JSON.stringify(report)).not.toContain('Ministerio TIC')
      expect(report.threads.find((x) => x.number === fx.numbers.t6)!.author).toBe('')
    }
  }
})
