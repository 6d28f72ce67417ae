import mammoth from 'mammoth'
import { parse } from 'csv-parse/sync'
import { parseHTML } from 'linkedom'
import { describe, expect, it } from 'vitest'
import type {
  Consultation,
  ConsultationReport,
  CreateConsultationBody,
} from '../../shared/api/consultations'
import { createTestApp, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import { makeWorld } from '../support/world'

// Issue 15, item 1: the receipt promises that the report carries its reference. Every report
// (public page, CSV, JSON, .docx) carries the references of each thread's submissions, the
// public page finds a comment by its reference without script, and the .docx matrix names the
// author and organisation where the consultation publishes its comments.

const t = await createTestApp()
const { app, db } = t

let addressSerial = 0
function newAddress(): string {
  addressSerial += 1
  return `10.77.${addressSerial % 250}.${(process.pid % 200) + 1}`
}

interface Fixture {
  consultation: Consultation
  owner: Client
  /** Receipt references by who sent them. */
  refs: { ana: string; campaign: [string, string]; anonymous: string }
}

/** Posts a public comment as the form does and returns the reference of its receipt. */
async function submit(slug: string, fields: Record<string, string>): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: `/c/${slug}/comments`,
    payload: new URLSearchParams({ consent: 'yes', lang: 'en', ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: newAddress(),
  })
  expect(response.statusCode, response.body).toBe(303)
  const match = /\/receipts\/([A-Z0-9-]+)\?/.exec(String(response.headers.location))
  expect(match, String(response.headers.location)).not.toBeNull()
  return match![1]!
}

/**
 * A closed consultation with three threads: Ana's named comment, a two-submission campaign and
 * an anonymous comment, each sent through the public form so the references are real ones.
 */
async function fixture(overrides: Partial<CreateConsultationBody> = {}): Promise<Fixture> {
  const { process, documentId, owner } = await makeWorld(t)
  const consultation = await openConsultation(owner, process.id, documentId, overrides)
  const version = await db
    .selectFrom('document_versions')
    .select('sections')
    .where('id', '=', consultation.versionId)
    .executeTakeFirstOrThrow()
  const [first, second] = version.sections.filter((s) => s.id !== null).map((s) => s.id!)
  const slug = consultation.slug
  const ana = await submit(slug, {
    sectionId: first!,
    name: 'Ana Pérez',
    organisation: 'Fundación Kárisma',
    stakeholderGroup: 'civil-society',
    body: 'Give the council its own budget.',
  })
  const campaignText = 'Make the reporting window 72 hours.'
  const campaign: [string, string] = [
    await submit(slug, {
      sectionId: second!,
      stakeholderGroup: 'private-sector',
      body: campaignText,
    }),
    await submit(slug, {
      sectionId: second!,
      stakeholderGroup: 'individual',
      body: campaignText,
    }),
  ]
  const anonymous = await submit(slug, {
    sectionId: second!,
    stakeholderGroup: 'individual',
    body: 'An anonymous remark.',
  })
  const closed = await owner.post(`/api/consultations/${consultation.id}/close`, {
    reason: 'End',
  })
  expect(closed.statusCode, closed.body).toBe(200)
  return { consultation, owner, refs: { ana, campaign, anonymous } }
}

const get = (url: string) => app.inject({ method: 'GET', url })

const reportUrl = (f: Fixture, query: string) =>
  `/api/consultations/${f.consultation.id}/report?${query}`

/** The cells of the .docx's last table (the matrix), each cell's paragraphs joined by newlines. */
async function docxMatrix(buffer: Buffer): Promise<string[][]> {
  const { value: html } = await mammoth.convertToHtml({ buffer })
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`)
  const table = [...document.querySelectorAll('table')].at(-1)!
  return [...table.querySelectorAll('tr')].map((tr) =>
    [...tr.querySelectorAll('td, th')].map((td) =>
      [...td.querySelectorAll('p')].map((p) => p.textContent ?? '').join('\n'),
    ),
  )
}

const f = await fixture()

describe('every report carries the references of its submissions', () => {
  it('JSON: each thread lists its submissions’ references, a campaign every one of them, oldest first', async () => {
    const { ana, campaign, anonymous } = f.refs
    expect(ana).toMatch(/^[A-Z0-9-]+-\d{4}$/)
    const response = await f.owner.get(reportUrl(f, 'format=json'))
    expect(response.statusCode, response.body).toBe(200)
    const report = JSON.parse(response.body) as ConsultationReport
    expect(report.visibility).toBe('immediately')
    const byRefs = report.threads.map((th) => th.references)
    expect(byRefs).toHaveLength(3)
    expect(byRefs).toContainEqual([ana])
    expect(byRefs).toContainEqual(campaign)
    expect(byRefs).toContainEqual([anonymous])
    const campaignThread = report.threads.find((th) => th.references.includes(campaign[0]))!
    expect(campaignThread.submissions).toBe(2)
  })

  it('CSV: a References column after the number, the campaign’s references in one cell', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=csv&lang=en'))
    expect(response.statusCode).toBe(200)
    const rows = parse(response.rawPayload, { bom: true }) as string[][]
    expect(rows[0]!.slice(0, 2)).toEqual(['No.', 'References'])
    const cells = rows.slice(1).map((r) => r[1])
    expect(cells).toContain(f.refs.ana)
    expect(cells).toContain(f.refs.campaign.join(' '))
    const es = parse((await f.owner.get(reportUrl(f, 'format=csv&lang=es'))).rawPayload, {
      bom: true,
    }) as string[][]
    expect(es[0]![1]).toBe('Referencias')
  })

  it('.docx: References and Author / organisation columns, “Anonymous” when no name came', async () => {
    const response = await f.owner.get(reportUrl(f, 'format=docx&lang=en'))
    expect(response.statusCode).toBe(200)
    const matrix = await docxMatrix(response.rawPayload)
    expect(matrix[0]).toEqual([
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
    const row = (reference: string) => matrix.find((r) => r[1]!.split('\n').includes(reference))!
    expect(row(f.refs.ana)[4]).toBe('Ana Pérez\nFundación Kárisma')
    expect(row(f.refs.ana)[6]).toBe('Give the council its own budget.')
    expect(row(f.refs.campaign[0])[1]).toBe(f.refs.campaign.join('\n'))
    expect(row(f.refs.anonymous)[4]).toBe('Anonymous')

    const es = await docxMatrix((await f.owner.get(reportUrl(f, 'format=docx&lang=es'))).rawPayload)
    expect(es[0]).toContain('Autor / organización')
    expect(es[0]).toContain('Referencias')
    expect(es.find((r) => r[1] === f.refs.anonymous)![4]).toBe('Anónimo')
  })

  it('.docx names nobody where the consultation never publishes its comments, and still carries the references', async () => {
    const never = await fixture({ visibility: 'never' })
    const matrix = await docxMatrix(
      (await never.owner.get(reportUrl(never, 'format=docx&lang=en'))).rawPayload,
    )
    expect(matrix[0]).not.toContain('Author / organisation')
    expect(matrix[0]!.slice(0, 2)).toEqual(['No.', 'References'])
    expect(matrix.flat().join('\n')).not.toContain('Ana Pérez')
    expect(matrix.flat().join('\n')).not.toContain('Kárisma')
    expect(matrix.some((r) => r[1] === never.refs.ana)).toBe(true)
    // The public page carries the references (they name no one), without any text.
    const page = await get(`/c/${never.consultation.slug}/report?lang=en`)
    expect(page.body).toContain(never.refs.ana)
    expect(page.body).not.toContain('Give the council')
  })
})

describe('the public report finds a comment by its reference', () => {
  it('shows every thread’s references, and a search form that works without script', async () => {
    const page = await get(`/c/${f.consultation.slug}/report?lang=en`)
    expect(page.statusCode).toBe(200)
    for (const reference of [f.refs.ana, ...f.refs.campaign, f.refs.anonymous]) {
      expect(page.body).toContain(`<span class="reference">${reference}</span>`)
    }
    const { document } = parseHTML(page.body)
    const form = document.querySelector('form.reference-search')!
    expect(form.getAttribute('method')).toBe('get')
    expect(form.getAttribute('action')).toBe(`/c/${f.consultation.slug}/report`)
    expect(form.querySelector('input[name="ref"]')!.id).toBe('ref')
    expect(form.querySelector('label[for="ref"]')!.textContent).toBe('Your reference')
    expect(document.querySelectorAll('ol.comment-list > li')).toHaveLength(3)
  })

  it('with ?ref= lists only the comment carrying it, whatever the case and spaces typed', async () => {
    const typed = ` ${f.refs.campaign[1].toLowerCase()} `
    const page = await get(
      `/c/${f.consultation.slug}/report?lang=en&ref=${encodeURIComponent(typed)}`,
    )
    expect(page.statusCode).toBe(200)
    const { document } = parseHTML(page.body)
    const items = [...document.querySelectorAll('ol.comment-list > li')]
    expect(items).toHaveLength(1)
    expect(items[0]!.textContent).toContain('Make the reporting window 72 hours.')
    expect(items[0]!.querySelector('mark')!.textContent).toBe(f.refs.campaign[1])
    expect(document.querySelector('.search-outcome')!.textContent).toMatch(
      new RegExp(`^The comment with the reference ${f.refs.campaign[1]} is number \\d+, below\\.$`),
    )
    expect((document.querySelector('input[name="ref"]') as HTMLInputElement).value).toBe(
      f.refs.campaign[1],
    )
    expect(page.body).not.toContain('Give the council')

    const es = await get(`/c/${f.consultation.slug}/report?lang=es&ref=${f.refs.ana}`)
    expect(es.body).toContain(`El comentario con la referencia ${f.refs.ana} es el número`)
  })

  it('says when no comment carries a reference, escapes what was typed and refuses an overlong one', async () => {
    const unknown = await get(
      `/c/${f.consultation.slug}/report?lang=en&ref=${encodeURIComponent('<b>NOPE-1</b>')}`,
    )
    expect(unknown.statusCode).toBe(200)
    expect(unknown.body).not.toContain('<b>NOPE')
    // Preact escapes < and & in text (a lone > opens nothing), so what was typed stays text.
    expect(unknown.body).toContain(
      'No comment in this report carries the reference &lt;B>NOPE-1&lt;/B>.',
    )
    expect(unknown.body).not.toContain('<ol class="comment-list">')
    expect(unknown.body).toContain(
      `href="/c/${f.consultation.slug}/report?lang=en#threads-heading"`,
    )
    const long = await get(`/c/${f.consultation.slug}/report?ref=${'A'.repeat(101)}`)
    expect(long.statusCode).toBe(400)
    const twice = await get(
      `/c/${f.consultation.slug}/report?ref=${f.refs.ana}&ref=${f.refs.anonymous}`,
    )
    expect(twice.statusCode).toBe(400)
  })
})
