import JSZip from 'jszip'
import mammoth from 'mammoth'
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { Consultation, CreateConsultationBody } from '../../shared/api/consultations'
import { createTestApp, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import type { TestProcess, TestUser } from '../support/factories'
import { anchorFor, THREAD_DRAFT } from '../support/threads'

// Defects found in review of the public consultation (issue 6), each pinned by a test.

const t = await createTestApp()
const { app, db, factories } = t

let addressSerial = 0
function newAddress(): string {
  addressSerial += 1
  return `10.${200 + (Math.floor(addressSerial / 250) % 50)}.${addressSerial % 250}.${(process.pid % 200) + 1}`
}

interface World {
  process: TestProcess
  documentId: string
  owner: Client
  consultation: Consultation
  sections: { id: string; title: string }[]
}

async function world(
  overrides: Partial<CreateConsultationBody> = {},
  members: TestUser[] = [],
): Promise<World> {
  const process = await factories.createProcess({
    languages: ['en', 'es'],
    members: members.map((user) => ({ user, role: 'stakeholder' as const, group: 'academia' })),
  })
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    THREAD_DRAFT,
  )
  const owner = await t.as(process.secretariat)
  const consultation = await openConsultation(owner, process.id, documentId, {
    title: { en: 'Public consultation' },
    ...overrides,
  })
  const version = await db
    .selectFrom('document_versions')
    .select('sections')
    .where('id', '=', consultation.versionId)
    .executeTakeFirstOrThrow()
  const sections = version.sections
    .filter((s) => s.id !== null)
    .map((s) => ({ id: s.id!, title: s.title }))
  return { process, documentId, owner, consultation, sections }
}

type Fields = Record<string, string>

function postForm(slug: string, fields: Fields | string, address = newAddress()) {
  return app.inject({
    method: 'POST',
    url: `/c/${slug}/comments`,
    payload: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: address,
  })
}

function postJson(slug: string, body: unknown, address = newAddress()) {
  return app.inject({
    method: 'POST',
    url: `/c/${slug}/comments`,
    payload: typeof body === 'string' && body.startsWith('[') ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    remoteAddress: address,
  })
}

const get = (url: string) => app.inject({ method: 'GET', url })

function comment(w: World, extra: Fields = {}, section = 0): Fields {
  return {
    sectionId: w.sections[section]!.id,
    stakeholderGroup: 'civil-society',
    consent: 'yes',
    body: `A comment ${Math.random().toString(36).slice(2)}`,
    ...extra,
  }
}

async function submissionCount(consultationId: string) {
  const rows = await db
    .selectFrom('consultation_submissions')
    .select('id')
    .where('consultation_id', '=', consultationId)
    .execute()
  return rows.length
}

const status = (r: LightMyRequestResponse) => r.statusCode

async function threadRows(consultationId: string) {
  return db
    .selectFrom('threads')
    .select(['id', 'submission_count'])
    .where('consultation_id', '=', consultationId)
    .execute()
}

// The opening comment of a consultation's one thread.
function onlyRoot(consultationId: string) {
  return db
    .selectFrom('comments as c')
    .innerJoin('threads as t', 't.id', 'c.thread_id')
    .select(['c.id', 'c.thread_id'])
    .where('t.consultation_id', '=', consultationId)
    .where('c.is_root', '=', true)
    .executeTakeFirstOrThrow()
}

describe('bad input never 500s', () => {
  it('a NUL character in a submission is a problem of its field (form and JSON), and nothing is stored', async () => {
    const w = await world()
    const slug = w.consultation.slug
    const form = await postForm(slug, comment(w, { body: 'before\u0000after' }))
    expect(form.statusCode).toBe(400)
    expect(form.headers['content-type']).toMatch(/^text\/html/)
    expect(form.body).toContain('id="body-error"')
    const json = await postJson(slug, comment(w, { name: 'A\u0000B' }))
    expect(json.statusCode).toBe(400)
    expect(json.json()).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'body/name', key: 'invalid' }],
    })
    expect(await submissionCount(w.consultation.id)).toBe(0)
  })

  it('a NUL character in an address or in members’ text is a 400, not a 500', async () => {
    const w = await world()
    for (const url of [
      '/c/a%00b',
      `/c/a%00b/sections/${w.sections[0]!.id}`,
      '/c/a%00b/report',
      `/c/${w.consultation.slug}/receipts/X%000001`,
    ]) {
      expect((await get(url)).statusCode, url).toBeLessThan(500)
    }
    const closed = await w.owner.post(`/api/consultations/${w.consultation.id}/close`, {
      reason: 'Because\u0000',
    })
    expect(closed.statusCode).toBe(400)
    const reread = await w.owner.get(`/api/consultations/${w.consultation.id}`)
    expect((reread.json() as Consultation).phase).toBe('open')
    const draft = await w.owner.post(`/api/processes/${w.process.id}/consultations`, {
      documentId: w.documentId,
      versionName: 'v',
      slug: `nul-${Date.now()}`,
      title: { en: 'Title\u0000' },
      introduction: {},
      opensAt: new Date().toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      timeZone: 'UTC',
      access: 'anonymous',
      moderation: 'after',
      visibility: 'immediately',
    })
    expect(draft.statusCode).toBe(400)
  })

  it('a form posted with a media type in capitals is still answered as a form', async () => {
    const w = await world()
    const response = await app.inject({
      method: 'POST',
      url: `/c/${w.consultation.slug}/comments`,
      payload: new URLSearchParams(comment(w)).toString(),
      headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded' },
      remoteAddress: newAddress(),
    })
    expect(response.statusCode).toBe(303)
    expect(String(response.headers.location)).toMatch(/\/receipts\//)
  })
})

describe('leaks', () => {
  it('a comment awaiting approval is not counted on the public page until approved', async () => {
    const w = await world({ moderation: 'before' })
    const sent = await postJson(w.consultation.slug, comment(w, { body: 'Waiting words' }))
    expect(sent.statusCode, sent.body).toBe(201)
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).not.toContain('1 comment received')
    expect(page.body).not.toContain('(1 comment)')
    const section = await get(`/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`)
    expect(section.body).not.toContain('1 comment received')
    const root = await onlyRoot(w.consultation.id)
    const approved = await w.owner.post(`/api/comments/${root.id}/approve`, { reason: 'Fine' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect((await get(`/c/${w.consultation.slug}`)).body).toContain('1 comment received')
  })
})

describe('live events', () => {
  it('refusing a comment that awaited approval is announced to moderators only', async () => {
    const w = await world({ moderation: 'before' })
    const events: { threadId: string; hidden: boolean }[] = []
    const listen = (event: { threadId: string; hidden: boolean }) => events.push(event)
    app.ctx.events.on('thread.changed', listen)
    try {
      const sent = await postJson(w.consultation.slug, comment(w, { body: 'Spam spam' }))
      expect(sent.statusCode, sent.body).toBe(201)
      const root = await onlyRoot(w.consultation.id)
      const hidden = await w.owner.post(`/api/comments/${root.id}/hide`, { reason: 'Spam' })
      expect(hidden.statusCode, hidden.body).toBe(200)
      const about = events.filter((e) => e.threadId === root.thread_id)
      expect(about.length).toBeGreaterThanOrEqual(2)
      expect(about.every((e) => e.hidden)).toBe(true)
    } finally {
      app.ctx.events.off('thread.changed', listen)
    }
  })
})

describe('e-mail addresses', () => {
  it('take one plain address: a list or a display name is refused and nothing is sent', async () => {
    const w = await world()
    const sentBefore = t.mail.messages.length
    for (const email of [
      'someone,victim@example.org',
      'someone;victim@example.org',
      'x<victim@example.org>',
      '"x"@example.org',
      'victim@example.org:25',
    ]) {
      const response = await postJson(w.consultation.slug, comment(w, { email }))
      expect(response.statusCode, email).toBe(400)
      expect(response.json()).toMatchObject({
        details: [{ path: 'body/email', key: 'emailInvalid' }],
      })
    }
    expect(t.mail.messages.length).toBe(sentBefore)
    expect(await submissionCount(w.consultation.id)).toBe(0)
    const plain = await postJson(w.consultation.slug, comment(w, { email: "o'k+tag@example.org" }))
    expect(plain.statusCode, plain.body).toBe(201)
  })
})

describe('receipts', () => {
  it('cannot be read by guessing the next reference: a receipt needs the key of its own link', async () => {
    const w = await world({ moderation: 'before' })
    const sent = await postForm(w.consultation.slug, comment(w, { body: 'Pending words' }))
    expect(sent.statusCode).toBe(303)
    const location = String(sent.headers.location)
    const reference = decodeURIComponent(location.split('/receipts/')[1]!.split('?')[0]!)
    expect(reference).toBe(`${w.consultation.slug.toUpperCase()}-0001`)
    // The link it was given works, in every language of the page.
    const own = await get(location)
    expect(own.statusCode).toBe(200)
    expect(own.body).toContain(reference)
    const spanish = /href="([^"]+)" lang="es"/.exec(own.body)![1]!.replace(/&amp;/g, '&')
    expect((await get(spanish)).statusCode).toBe(200)
    // A guessed reference, with no key or a wrong one, is the same 404 as an unknown one.
    const unknown = await get(`/c/${w.consultation.slug}/receipts/${reference}-9`)
    for (const url of [
      `/c/${w.consultation.slug}/receipts/${reference}`,
      `/c/${w.consultation.slug}/receipts/${reference}?key=${'x'.repeat(20)}`,
    ]) {
      const guessed = await get(url)
      expect(guessed.statusCode, url).toBe(404)
      expect(guessed.body).toBe(unknown.body)
    }
    // The e-mailed receipt carries its key too.
    const email = `keyed-${Date.now()}@example.org`
    await postJson(w.consultation.slug, comment(w, { email }))
    const mail = t.mail.messages.find((m) => m.to === email)!
    const link = /http:\/\/concord\.test(\/c\/\S+\/receipts\/\S+)/.exec(mail.text)![1]!
    expect((await get(link)).statusCode).toBe(200)
  })
})

describe('members’ threads on the public page', () => {
  it('show a quote of the live draft only when the frozen version has it', async () => {
    const w = await world({ showMemberThreads: true })
    const critical = w.sections.find((s) => s.title === 'Critical infrastructure')!
    const anchor = await anchorFor(db, w.documentId, 'within 24 hours')
    const made = await w.owner.post(`/api/documents/${w.documentId}/threads`, {
      sectionId: critical.id,
      kind: 'comment',
      body: 'Shared remark',
      anchor,
    })
    expect(made.statusCode, made.body).toBe(201)
    const url = `/c/${w.consultation.slug}`
    const sectionUrl = `${url}/sections/${critical.id}`
    expect((await get(url)).body).toContain('<blockquote class="quote"><p>within 24 hours</p>')
    // The draft moved on after the version was frozen: the thread now quotes unpublished words.
    await db
      .updateTable('threads')
      .set({ quote: 'within 2 hours, say the unpublished amendments' })
      .where('id', '=', (made.json() as { id: string }).id)
      .execute()
    for (const page of [await get(url), await get(sectionUrl)]) {
      expect(page.body).toContain('Shared remark')
      expect(page.body).not.toContain('unpublished amendments')
    }
  })
})

describe('exports', () => {
  it('the .docx stays readable whatever characters a public comment holds', async () => {
    const w = await world()
    const sent = await postJson(
      w.consultation.slug,
      comment(w, { body: 'Odd \uFFFE characters \uFFFF here\u0001 and 𝔘 kept' }),
    )
    expect(sent.statusCode, sent.body).toBe(201)
    const response = await w.owner.get(
      `/api/consultations/${w.consultation.id}/report?format=docx&lang=en`,
    )
    expect(response.statusCode).toBe(200)
    const xml = await (
      await JSZip.loadAsync(response.rawPayload)
    )
      .file('word/document.xml')!
      .async('string')
    // eslint-disable-next-line no-control-regex -- what XML 1.0 does not allow
    expect(xml).not.toMatch(/[\uFFFE\uFFFF\u0000-\u0008\u000B\u000C\u000E-\u001F]/)
    expect(xml).toContain('Odd  characters  here and 𝔘 kept')
    const { value: html } = await mammoth.convertToHtml({ buffer: response.rawPayload })
    expect(html).toContain('𝔘 kept')
  })
})

describe('rules', () => {
  it('an archived process takes no more public comments: its consultation reads as closed', async () => {
    const w = await world()
    const archived = await w.owner.post(`/api/processes/${w.process.id}/archive`, {
      archived: true,
    })
    expect(archived.statusCode, archived.body).toBe(200)
    const json = await postJson(w.consultation.slug, comment(w))
    expect(json.statusCode).toBe(403)
    expect(json.json()).toMatchObject({ code: 'consultation_closed' })
    const form = await postForm(w.consultation.slug, comment(w))
    expect(form.statusCode).toBe(403)
    expect(form.body).toContain('comments are no longer accepted')
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Comment on this section')
    expect(await submissionCount(w.consultation.id)).toBe(0)
  })

  it("archiving does not publish an 'after-close' consultation's comments before its close", async () => {
    const w = await world({ visibility: 'after-close' })
    const sent = await postJson(w.consultation.slug, comment(w, { body: 'Not before the close' }))
    expect(sent.statusCode, sent.body).toBe(201)
    await w.owner.post(`/api/processes/${w.process.id}/archive`, { archived: true })
    for (const url of [
      `/c/${w.consultation.slug}`,
      `/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`,
      `/c/${w.consultation.slug}/report`,
    ]) {
      expect((await get(url)).body, url).not.toContain('Not before the close')
    }
  })

  it('the same text after a member withdrew theirs starts a thread of its own, shown publicly', async () => {
    const member = await factories.createUser({ name: 'Withdrawing Member' })
    const w = await world({ access: 'members' }, [member])
    const client = await t.as(member)
    const text = `Campaign text ${Date.now()}`
    const first = await app.inject({
      method: 'POST',
      url: `/c/${w.consultation.slug}/comments`,
      payload: comment(w, { body: text }),
      headers: { cookie: `concord_session=${client.cookie}`, 'x-csrf-token': client.csrfToken },
      remoteAddress: newAddress(),
    })
    expect(first.statusCode, first.body).toBe(201)
    const root = await onlyRoot(w.consultation.id)
    const withdrawn = await client.post(`/api/comments/${root.id}/withdraw`)
    expect(withdrawn.statusCode, withdrawn.body).toBe(200)
    const second = await app.inject({
      method: 'POST',
      url: `/c/${w.consultation.slug}/comments`,
      payload: comment(w, { body: text }),
      headers: { cookie: `concord_session=${w.owner.cookie}`, 'x-csrf-token': w.owner.csrfToken },
      remoteAddress: newAddress(),
    })
    expect(second.statusCode, second.body).toBe(201)
    expect(await threadRows(w.consultation.id)).toHaveLength(2)
    expect((await get(`/c/${w.consultation.slug}`)).body).toContain(text)
  })

  it('identical texts confirmed by their links at once make one campaign thread', async () => {
    const w = await world({ access: 'verified' })
    const body = `Same words ${Date.now()}`
    const links: string[] = []
    for (const n of [1, 2, 3]) {
      const email = `same-${n}-${Date.now()}@example.org`
      const sent = await postJson(w.consultation.slug, comment(w, { name: `P${n}`, email, body }))
      expect(sent.statusCode, sent.body).toBe(201)
      const mail = t.mail.messages.find((m) => m.to === email)!
      links.push(/http:\/\/concord\.test(\/c\/[^\s]+\/verify\?token=[^\s]+)/.exec(mail.text)![1]!)
    }
    // Each link's page shows the button; the three presses arrive at once.
    expect((await Promise.all(links.map((link) => get(link)))).map(status)).toEqual([200, 200, 200])
    expect(await threadRows(w.consultation.id)).toHaveLength(0)
    const pressed = await Promise.all(
      links.map((link) =>
        app.inject({
          method: 'POST',
          url: `/c/${w.consultation.slug}/verify`,
          payload: { token: new URL(`http://x${link}`).searchParams.get('token')! },
        }),
      ),
    )
    expect(pressed.map(status)).toEqual([200, 200, 200])
    const threads = await threadRows(w.consultation.id)
    expect(threads).toHaveLength(1)
    expect(threads[0]!.submission_count).toBe(3)
  })
})

describe('odd requests', () => {
  it('answer 4xx or a page, never 500: duplicated parameters, odd slugs, bodies of every shape', async () => {
    const w = await world()
    const slug = w.consultation.slug
    const results: [string, number, string][] = []
    const record = (name: string, r: LightMyRequestResponse) =>
      results.push([name, r.statusCode, r.body.slice(0, 200)])
    record('dup lang', await get(`/c/${slug}?lang=en&lang=es`))
    record(
      'dup lang section',
      await get(`/c/${slug}/sections/${w.sections[0]!.id}?lang=en&lang=es`),
    )
    record('huge slug', await get(`/c/${'a'.repeat(5000)}`))
    record('unicode slug', await get(`/c/${encodeURIComponent('ñandú-𝔘')}`))
    record('bad pct', await get(`/c/%E0%A4%A`))
    record('nul slug', await get(`/c/a%00b`))
    record('section nul', await get(`/c/${slug}/sections/%00`))
    record('receipt odd', await get(`/c/${slug}/receipts/${encodeURIComponent('<x>')}`))
    record('verify short', await get(`/c/${slug}/verify?token=abc`))
    record('verify dup', await get(`/c/${slug}/verify?token=abcdefghijkl&token=abcdefghijklm`))
    record('verify none', await get(`/c/${slug}/verify`))
    const press = (payload: string, type = 'application/x-www-form-urlencoded') =>
      app.inject({
        method: 'POST',
        url: `/c/${slug}/verify`,
        payload,
        headers: { 'content-type': type },
      })
    record('press none', await press(''))
    record('press short', await press('token=abc'))
    record('press dup', await press('token=abcdefghijkl&token=abcdefghijklm'))
    record('press unknown', await press('token=abcdefghijklmnop'))
    record('press json array', await press('[1]', 'application/json'))
    record('report dup', await get(`/c/${slug}/report?lang=x&lang=y`))
    record(
      'form dup body',
      await postForm(
        slug,
        `sectionId=${w.sections[0]!.id}&stakeholderGroup=individual&consent=yes&body=a&body=b`,
      ),
    )
    record(
      'form dup section',
      await postForm(
        slug,
        `sectionId=${w.sections[0]!.id}&sectionId=x&stakeholderGroup=individual&consent=yes&body=a`,
      ),
    )
    record('form empty', await postForm(slug, ''))
    record('form garbage', await postForm(slug, '%%%&&&==='))
    record(
      'form proto',
      await postForm(slug, `__proto__=x&constructor=y&sectionId=${w.sections[0]!.id}`),
    )
    record('json array', await postJson(slug, []))
    record('json null', await postJson(slug, null))
    record('json string', await postJson(slug, 'x'))
    record('json number types', await postJson(slug, { ...comment(w), body: 5 }))
    record('json nested', await postJson(slug, { ...comment(w), name: { a: 1 } }))
    record('json bad section', await postJson(slug, comment(w, { sectionId: 'nope' })))
    record('json lang weird', await postJson(slug, comment(w, { lang: '<x>' })))
    record('json quote nul', await postJson(slug, comment(w, { quote: '\u0000' })))
    record('json body nul', await postJson(slug, comment(w, { body: 'a\u0000b' })))
    record('json name nul', await postJson(slug, comment(w, { name: 'a\u0000b' })))
    record('json group weird', await postJson(slug, comment(w, { stakeholderGroup: 'Ünï' })))
    record('json email weird', await postJson(slug, comment(w, { email: 'a@b.c\r\nBcc: x@y.z' })))
    record('form bad section', await postForm(slug, comment(w, { sectionId: '<b>x</b>' })))
    record(
      'text/plain',
      await app.inject({
        method: 'POST',
        url: `/c/${slug}/comments`,
        payload: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
    )
    record(
      'multipart',
      await app.inject({
        method: 'POST',
        url: `/c/${slug}/comments`,
        payload: 'x',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      }),
    )
    record(
      'Upper form',
      await app.inject({
        method: 'POST',
        url: `/c/${slug}/comments`,
        payload: new URLSearchParams(comment(w)).toString(),
        headers: { 'content-type': 'Application/X-WWW-Form-Urlencoded' },
        remoteAddress: newAddress(),
      }),
    )
    record('huge body form', await postForm(slug, comment(w, { body: 'x'.repeat(70_000) })))
    record('json deep', await postJson(slug, '['.repeat(5000) + ']'.repeat(5000)))
    expect(results.filter((r) => r[1] >= 500)).toEqual([])
  })
})

describe('rate limits by network', () => {
  it('counts an IPv6 address by its /64 and an IPv4-mapped one as IPv4', async () => {
    const { rateLimitedNetwork } = await import('../../server/consultation/public-service')
    expect(rateLimitedNetwork('203.0.113.7')).toBe('203.0.113.7')
    expect(rateLimitedNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(rateLimitedNetwork('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64')
    expect(rateLimitedNetwork('2001:0db8:0000:0001:ffff:ffff:ffff:ffff')).toBe('2001:db8:0:1::/64')
    expect(rateLimitedNetwork('2001:db8::')).toBe('2001:db8:0:0::/64')
    expect(rateLimitedNetwork('::1')).toBe('0:0:0:0::/64')
    expect(rateLimitedNetwork('2001:db8:0:2::9')).not.toBe(rateLimitedNetwork('2001:db8:0:1::9'))
  })
})
