import { sql } from 'kysely'
import type { LightMyRequestResponse } from 'fastify'
import { describe, expect, it } from 'vitest'
import {
  CONSULTATION_LIMITS,
  type Consultation,
  type CreateConsultationBody,
} from '../../shared/api/consultations'
import { hashSecret } from '../../server/auth/tokens'
import {
  addressHashOf,
  pruneUnconfirmedSubmissions,
  textHashOf,
} from '../../server/consultation/public-service'
import { emailKeyOf } from '../../server/consultation/public-queries'
import { createTestApp, TEST_SECRET, type Client } from '../support/app'
import { openConsultation } from '../support/consultations'
import type { TestProcess, TestUser } from '../support/factories'
import { THREAD_DRAFT } from '../support/threads'

const t = await createTestApp()
const { app, db, factories } = t

// Every test comments from addresses of its own, so the per-address limits of one test never
// reach another.
let addressSerial = 0
function newAddress(): string {
  addressSerial += 1
  return `10.${Math.floor(addressSerial / 250) % 250}.${addressSerial % 250}.${(process.pid % 200) + 1}`
}

interface World {
  process: TestProcess
  documentId: string
  owner: Client
  stakeholder: TestUser
  consultation: Consultation
  sections: { id: string; title: string }[]
}

async function world(
  overrides: Partial<CreateConsultationBody> = {},
  options: { markdown?: string; languages?: string[] } = {},
): Promise<World> {
  const stakeholder = await factories.createUser({ name: 'Marta Stakeholder' })
  const process = await factories.createProcess({
    members: [
      {
        user: stakeholder,
        role: 'stakeholder',
        group: 'academia',
        organisation: 'Universidad Nacional',
      },
    ],
    languages: options.languages ?? ['en', 'es'],
  })
  const { id: documentId } = await factories.createDocument(
    process.id,
    process.secretariat,
    'Strategy',
    options.markdown ?? THREAD_DRAFT,
  )
  const owner = await t.as(process.secretariat)
  const added = await owner.post(`/api/processes/${process.id}/groups`, {
    label: 'Technical community',
  })
  expect(added.statusCode, added.body).toBe(201)
  const consultation = await openConsultation(owner, process.id, documentId, {
    title: { en: 'Public consultation', es: 'Consulta pública' },
    introduction: { en: 'Tell us what you think.', es: 'Díganos qué piensa.' },
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
  return { process, documentId, owner, stakeholder, consultation, sections }
}

type Fields = Record<string, string>

function postForm(
  slug: string,
  fields: Fields,
  address = newAddress(),
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/c/${slug}/comments`,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    remoteAddress: address,
  })
}

function postJson(
  slug: string,
  body: unknown,
  address = newAddress(),
  headers: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: `/c/${slug}/comments`,
    payload: body as object,
    headers,
    remoteAddress: address,
  })
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers })

// Presses the button of a confirmation link's page: the form posts the link's token.
function confirm(slug: string, token: string) {
  return app.inject({
    method: 'POST',
    url: `/c/${slug}/verify`,
    payload: new URLSearchParams({ token, lang: 'en' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
}

function comment(w: World, extra: Fields = {}, section = 0): Fields {
  return {
    sectionId: w.sections[section]!.id,
    stakeholderGroup: 'civil-society',
    consent: 'yes',
    body: `A comment ${Math.random().toString(36).slice(2)}`,
    ...extra,
  }
}

const counts = async (consultationId: string) => {
  const submissions = await db
    .selectFrom('consultation_submissions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow()
  const threads = await db
    .selectFrom('threads')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('consultation_id', '=', consultationId)
    .executeTakeFirstOrThrow()
  return { submissions: submissions.n, threads: threads.n }
}

function receiptOf(response: LightMyRequestResponse): string {
  expect(response.statusCode, response.body).toBe(303)
  const location = String(response.headers.location)
  expect(location).toMatch(/^\/c\/[a-z0-9-]+\/receipts\/[A-Z0-9-]+\?lang=/)
  return location
}

async function threadOf(reference: string) {
  const submission = await db
    .selectFrom('consultation_submissions')
    .selectAll()
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow()
  const thread = submission.thread_id
    ? await db
        .selectFrom('threads')
        .selectAll()
        .where('id', '=', submission.thread_id)
        .executeTakeFirstOrThrow()
    : undefined
  const root = thread
    ? await db
        .selectFrom('comments')
        .selectAll()
        .where('thread_id', '=', thread.id)
        .where('is_root', '=', true)
        .executeTakeFirstOrThrow()
    : undefined
  return { submission, thread, root }
}

const referenceIn = (location: string) =>
  decodeURIComponent(location.split('/receipts/')[1]!.split('?')[0]!)

describe('the public page', () => {
  it('shows a published consultation without an account: title, introduction, contents, window, sections and language switch', async () => {
    const w = await world()
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const html = page.body
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h1>Public consultation</h1>')
    expect(html).toContain('Tell us what you think.')
    expect(html).toContain('href="#main"')
    expect(html).toMatch(/<nav class="toc"/)
    for (const section of w.sections) {
      expect(html).toContain(`href="#${section.id}"`)
      expect(html).toContain(`id="${section.id}"`)
      expect(html).toContain(`/c/${w.consultation.slug}/sections/${section.id}?lang=en`)
    }
    expect(html).toContain('Operators report incidents within 24 hours.')
    expect(html).toContain('Open for comments')
    expect(html).toMatch(/Closes in (30|29) days\./)
    expect(html).toContain('America/Bogota')
    expect(html).toContain('Published on')
    // No script at all, one style sheet.
    expect(html).not.toMatch(/<script/i)
    expect(html.match(/<link rel="stylesheet"/g)).toHaveLength(1)
    expect(html).toContain('hreflang="es"')
    const css = await get(
      String(/href="(\/c\/_assets\/[^"]+)"/.exec(html)![1]).replace(/&amp;/g, '&'),
    )
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toMatch(/^text\/css/)
    expect(css.body).toContain('@media print')

    const es = await get(`/c/${w.consultation.slug}?lang=es`)
    expect(es.body).toContain('<html lang="es">')
    expect(es.body).toContain('<h1>Consulta pública</h1>')
    expect(es.body).toContain('Díganos qué piensa.')
    expect(es.body).toContain('Abierta a comentarios')
    expect(es.body).toContain('Comentar esta sección')
    // A language the process does not have falls back to its first one.
    const fr = await get(`/c/${w.consultation.slug}?lang=fr`)
    expect(fr.body).toContain('<html lang="en">')
  })

  it('falls back to English interface strings for other languages of the process', async () => {
    const w = await world(
      {
        title: { de: 'Öffentliche Konsultation', en: 'Public consultation' },
        introduction: { de: 'Sagen Sie es uns.' },
      },
      { languages: ['de', 'en'] },
    )
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('<html lang="de">')
    expect(page.body).toContain('<h1>Öffentliche Konsultation</h1>')
    expect(page.body).toContain('Open for comments')
  })

  it('never shows a draft: its page, sections, comments, receipts and report are the same 404 as an unknown slug, and nothing is stored', async () => {
    const w = await world({ publish: false })
    const unknown = await get('/c/no-such-consultation-here')
    expect(unknown.statusCode).toBe(404)
    for (const url of [
      `/c/${w.consultation.slug}`,
      `/c/${w.consultation.slug}?lang=es`,
      `/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`,
      `/c/${w.consultation.slug}/report`,
      `/c/${w.consultation.slug}/receipts/X-0001`,
      `/c/${w.consultation.slug}/verify?token=abcdefghijklmnop`,
    ]) {
      const response = await get(url)
      expect(response.statusCode, url).toBe(404)
      expect(response.body.replace(/lang="es"/, 'lang="en"')).not.toContain('Public consultation')
    }
    expect((await get(`/c/${w.consultation.slug}`)).body).toBe(unknown.body)
    const form = await postForm(w.consultation.slug, comment(w))
    expect(form.statusCode).toBe(404)
    expect(form.body).toBe(unknown.body)
    const json = await postJson(w.consultation.slug, comment(w))
    expect(json.statusCode).toBe(404)
    expect(json.json()).toMatchObject({ code: 'not_found' })
    expect(await counts(w.consultation.id)).toEqual({ submissions: 0, threads: 0 })
  })

  it('leaves the JSON API as it was: url-encoded bodies are refused there, and the CSRF rule holds', async () => {
    const user = await factories.createUser()
    const client = await t.as(user)
    const encoded = await app.inject({
      method: 'POST',
      url: '/api/processes',
      payload: 'title=Hello',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `concord_session=${client.cookie}`,
        'x-csrf-token': client.csrfToken,
      },
    })
    expect(encoded.statusCode).toBe(400)
    expect(encoded.json()).toMatchObject({ code: 'validation_failed' })
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/processes',
      payload: { title: 'Hello' },
      headers: { cookie: `concord_session=${client.cookie}` },
    })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json()).toMatchObject({ code: 'csrf_failed' })
  })
})

describe('commenting anonymously', () => {
  it('takes a url-encoded comment, redirects to its receipt, makes a self-declared thread and shows it beside its section', async () => {
    const w = await world()
    const events: { threadId: string; hidden: boolean }[] = []
    const listener = (e: { threadId: string; hidden: boolean }) => events.push(e)
    app.ctx.events.on('thread.changed', listener)
    const address = newAddress()
    const response = await postForm(
      w.consultation.slug,
      comment(w, { body: 'Add a national CERT.', organisation: 'Fundación Karisma' }, 1),
      address,
    )
    app.ctx.events.off('thread.changed', listener)
    const location = receiptOf(response)
    const reference = referenceIn(location)
    expect(reference).toBe(`${w.consultation.slug.toUpperCase()}-0001`)

    const { submission, thread, root } = await threadOf(reference)
    expect(submission.status).toBe('accepted')
    expect(submission.address_hash).toBe(addressHashOf(TEST_SECRET, address))
    expect(submission.address_hash).not.toContain('10.')
    expect(thread).toMatchObject({
      consultation_id: w.consultation.id,
      document_id: w.documentId,
      section_id: w.sections[1]!.id,
      section_title: w.sections[1]!.title,
      kind: 'comment',
      submission_count: 1,
      anchor_start: null,
      created_by: null,
    })
    expect(root).toMatchObject({
      author_id: null,
      author_name: '',
      author_group: 'civil-society',
      author_organisation: 'Fundación Karisma',
      author_role: null,
      self_declared: true,
      pending: false,
      hidden_at: null,
      body: 'Add a national CERT.',
    })
    expect(events).toEqual([expect.objectContaining({ threadId: thread!.id, hidden: false })])

    const receipt = await get(location)
    expect(receipt.statusCode).toBe(200)
    expect(receipt.body).toContain(reference)
    expect(receipt.body).toContain('your comment was received')
    expect(receipt.body).not.toContain('Add a national CERT.')

    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('Add a national CERT.')
    expect(page.body).toContain('Anonymous')
    expect(page.body).toContain('Civil society <span class="badge">self-declared</span>')
    expect(page.body).toContain('1 comment received')
    expect(page.body).toContain('Awaiting an answer')

    // Members see it in their own views, with the declared group marked.
    const listed = await w.owner.get(
      `/api/processes/${w.process.id}/threads?document=${w.documentId}`,
    )
    const item = (
      listed.json() as { items: { id: string; root: { author: { selfDeclared: boolean } } }[] }
    ).items.find((i) => i.id === thread!.id)
    expect(item?.root.author.selfDeclared).toBe(true)
  })

  it('takes JSON too, sends the receipt by e-mail when an address is given, and numbers receipts in turn', async () => {
    const w = await world()
    const first = await postJson(
      w.consultation.slug,
      comment(w, { name: 'Ana Pérez', email: 'Ana@Example.org' }),
    )
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json()).toMatchObject({
      reference: `${w.consultation.slug.toUpperCase()}-0001`,
      status: 'accepted',
      pending: false,
    })
    const mail = t.mail.messages.find((m) => m.to === 'ana@example.org')
    expect(mail?.text).toContain(`${w.consultation.slug.toUpperCase()}-0001`)
    const second = await postJson(w.consultation.slug, comment(w, { lang: 'es' }))
    expect(second.json()).toMatchObject({ reference: `${w.consultation.slug.toUpperCase()}-0002` })
    expect((second.json() as { receiptUrl: string }).receiptUrl).toContain('lang=es')
    const { root } = await threadOf(`${w.consultation.slug.toUpperCase()}-0001`)
    expect(root?.author_name).toBe('Ana Pérez')
  })

  it('re-renders the form with what was typed and each problem beside its field, and stores nothing', async () => {
    const w = await world()
    const before = await counts(w.consultation.id)
    const response = await postForm(w.consultation.slug, {
      sectionId: w.sections[0]!.id,
      stakeholderGroup: 'martians',
      name: 'Kept <name>',
      organisation: 'Kept organisation',
      body: 'My kept comment & more',
      quote: 'words that are not in the section',
    })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^text\/html/)
    const html = response.body
    // Preact escapes < and & (and " in attributes); a lone > opens nothing, so it may stay.
    expect(html.replace(/&gt;/g, '>')).toContain('value="Kept &lt;name>"')
    expect(html).toContain('value="Kept organisation"')
    expect(html).toContain('My kept comment &amp; more</textarea>')
    expect(html).toContain('id="stakeholderGroup-error"')
    expect(html).toContain('id="consent-error"')
    expect(html).toContain('id="quote-error"')
    expect(html).toContain('aria-invalid="true"')
    expect(html).toContain('role="alert"')
    expect(html).toContain('Your comment can only be taken with your consent')
    expect(await counts(w.consultation.id)).toEqual(before)

    // The schema's own problems (a missing group, an empty comment) show the same way.
    const empty = await postForm(w.consultation.slug, {
      sectionId: w.sections[0]!.id,
      stakeholderGroup: '',
      body: '   ',
      consent: 'yes',
    })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('id="stakeholderGroup-error"')
    expect(empty.body).toContain('Choose a stakeholder group.')
    expect(await counts(w.consultation.id)).toEqual(before)

    // In Spanish when the form was in Spanish.
    const es = await postForm(w.consultation.slug, { ...comment(w), consent: '', lang: 'es' })
    expect(es.statusCode).toBe(400)
    expect(es.body).toContain('Solo podemos recibir su comentario con su consentimiento')

    const json = await postJson(w.consultation.slug, { ...comment(w), unknownField: 'x' })
    expect(json.statusCode).toBe(400)
    expect(json.json()).toMatchObject({ code: 'validation_failed' })
    const tooLong = await postJson(w.consultation.slug, { ...comment(w), body: 'x'.repeat(10_001) })
    expect(tooLong.statusCode).toBe(400)
    const badSection = await postJson(w.consultation.slug, { ...comment(w), sectionId: 'nope' })
    expect(badSection.statusCode).toBe(400)
    expect(badSection.json().details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body/sectionId' })]),
    )
    expect(await counts(w.consultation.id)).toEqual(before)
  })

  it('takes a quoted passage that is in the section, and the groups the process added', async () => {
    const w = await world()
    const response = await postJson(
      w.consultation.slug,
      comment(
        w,
        { quote: 'Operators  report incidents', stakeholderGroup: 'technical-community' },
        2,
      ),
    )
    expect(response.statusCode, response.body).toBe(201)
    const { thread, root } = await threadOf((response.json() as { reference: string }).reference)
    expect(thread?.quote).toBe('Operators  report incidents')
    expect(root?.author_group).toBe('technical-community')
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('Technical community <span class="badge">self-declared</span>')
    expect(page.body).toContain(
      '<blockquote class="quote"><p>Operators  report incidents</p></blockquote>',
    )
  })

  it('refuses a filled honeypot with 400 and stores nothing', async () => {
    const w = await world()
    const form = await postForm(w.consultation.slug, comment(w, { website: 'http://spam.example' }))
    expect(form.statusCode).toBe(400)
    const json = await postJson(w.consultation.slug, comment(w, { website: 'spam' }))
    expect(json.statusCode).toBe(400)
    expect(await counts(w.consultation.id)).toEqual({ submissions: 0, threads: 0 })
  })
})

describe('the window', () => {
  it('refuses comments before it opens, with a clear message, and says when it opens', async () => {
    const w = await world({
      opensAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    })
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Not open for comments yet')
    expect(page.body).toMatch(/Opens in 3 days\./)
    expect(page.body).not.toContain('Comment on this section')
    const json = await postJson(w.consultation.slug, comment(w))
    expect(json.statusCode).toBe(403)
    expect(json.json()).toMatchObject({ code: 'consultation_not_open' })
    const form = await postForm(w.consultation.slug, comment(w))
    expect(form.statusCode).toBe(403)
    expect(form.body).toContain('The consultation is not open for comments yet.')
    expect(await counts(w.consultation.id)).toEqual({ submissions: 0, threads: 0 })
  })

  it('refuses comments once closed early, shows the logged change with its reason, and takes them again after an extension', async () => {
    const w = await world()
    expect((await postJson(w.consultation.slug, comment(w))).statusCode).toBe(201)
    const closed = await w.owner.post(`/api/consultations/${w.consultation.id}/close`, {
      reason: 'The <law> changed',
    })
    expect(closed.statusCode, closed.body).toBe(200)
    const json = await postJson(w.consultation.slug, comment(w))
    expect(json.statusCode).toBe(403)
    expect(json.json()).toMatchObject({ code: 'consultation_closed' })
    const form = await postForm(w.consultation.slug, comment(w))
    expect(form.statusCode).toBe(403)
    expect(form.body).toContain('The consultation is closed')
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('Closed early on')
    expect(page.body.replace(/&gt;/g, '>')).toContain('Reason: The &lt;law> changed')
    expect(page.body).toContain('<strong>Closed</strong>')
    expect(page.body).not.toContain('Comment on this section')
    expect(await counts(w.consultation.id)).toEqual({ submissions: 1, threads: 1 })

    const until = new Date(Date.now() + 7 * 86_400_000).toISOString()
    const extended = await w.owner.post(`/api/consultations/${w.consultation.id}/extend`, {
      closesAt: until,
      reason: 'More time for academia',
    })
    expect(extended.statusCode, extended.body).toBe(200)
    expect((await postJson(w.consultation.slug, comment(w))).statusCode).toBe(201)
    const reopened = await get(`/c/${w.consultation.slug}?lang=es`)
    expect(reopened.body).toContain('Prorrogada el')
    expect(reopened.body).toContain('Motivo: More time for academia')
    expect(reopened.body).toContain('Abierta a comentarios')
  })

  it('closes exactly at closes_at', async () => {
    const w = await world()
    await db
      .updateTable('consultations')
      .set({ closes_at: new Date(Date.now() - 1).toISOString() })
      .where('id', '=', w.consultation.id)
      .execute()
    const json = await postJson(w.consultation.slug, comment(w))
    expect(json.statusCode).toBe(403)
    expect(json.json()).toMatchObject({ code: 'consultation_closed' })
  })
})

describe('access modes', () => {
  it("'verified' needs a name and an e-mail address, waits for the link, and accepts the comment when it is opened", async () => {
    const w = await world({ access: 'verified' })
    const missing = await postForm(w.consultation.slug, comment(w))
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('id="name-error"')
    expect(missing.body).toContain('id="email-error"')
    const badEmail = await postJson(
      w.consultation.slug,
      comment(w, { name: 'Luis', email: 'not-an-address' }),
    )
    expect(badEmail.statusCode).toBe(400)
    expect(await counts(w.consultation.id)).toEqual({ submissions: 0, threads: 0 })

    const email = `luis-${Date.now()}@example.org`
    const response = await postForm(
      w.consultation.slug,
      comment(w, { name: 'Luis Gómez', email, body: 'Verified words' }),
    )
    const location = receiptOf(response)
    const waiting = await get(location)
    expect(waiting.body).toContain('Check your e-mail')
    const reference = referenceIn(location)
    const before = await threadOf(reference)
    expect(before.submission.status).toBe('unverified')
    expect(before.thread).toBeUndefined()
    expect(await counts(w.consultation.id)).toEqual({ submissions: 1, threads: 0 })

    const mail = t.mail.messages.find((m) => m.to === email)
    const link = /http:\/\/concord\.test(\/c\/[^\s]+\/verify\?token=[^\s]+)/.exec(mail?.text ?? '')
    expect(link, mail?.text).not.toBeNull()
    const token = decodeURIComponent(new URL(`http://x${link![1]}`).searchParams.get('token')!)
    // Only a keyed hash of the token is stored.
    expect(before.submission.verify_token_hash).toBe(hashSecret(TEST_SECRET, token))
    expect(before.submission.verify_token_hash).not.toContain(token)
    expect(new Date(before.submission.verify_expires_at!).getTime() - Date.now()).toBeGreaterThan(
      (CONSULTATION_LIMITS.verifyHours - 1) * 3_600_000,
    )

    const wrong = await get(`/c/${w.consultation.slug}/verify?token=${'x'.repeat(40)}`)
    expect(wrong.statusCode).toBe(404)
    expect(wrong.body).toContain('This link is not valid')

    // Opening the link (as a mail scanner does) confirms nothing: it shows the comment and a button.
    const opened = await get(link![1]!)
    expect(opened.statusCode).toBe(200)
    expect(opened.body).toContain('Confirm my comment')
    expect(opened.body).toContain('Verified words')
    expect(opened.body).toContain(`action="/c/${w.consultation.slug}/verify"`)
    expect(opened.body).toContain(`name="token" value="${token}"`)
    // Its language switch stays on the page, which then speaks Spanish.
    const inSpanish = `/c/${w.consultation.slug}/verify?token=${encodeURIComponent(token)}&amp;lang=es`
    expect(opened.body).toContain(`href="${inSpanish}"`)
    const spanish = await get(inSpanish.replace('&amp;', '&'))
    expect(spanish.statusCode).toBe(200)
    expect(spanish.body).toContain('Confirmar mi comentario')
    expect((await threadOf(reference)).submission.status).toBe('unverified')
    expect(await counts(w.consultation.id)).toEqual({ submissions: 1, threads: 0 })
    expect((await confirm(w.consultation.slug, 'x'.repeat(40))).statusCode).toBe(404)

    // Accepted even though the window closed meanwhile: it was submitted in time.
    await w.owner.post(`/api/consultations/${w.consultation.id}/close`, { reason: 'Done' })
    const confirmed = await confirm(w.consultation.slug, token)
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.body).toContain('your e-mail address is confirmed')
    expect(confirmed.body).toContain(reference)
    const after = await threadOf(reference)
    expect(after.submission.status).toBe('accepted')
    expect(after.submission.email_verified_at).not.toBeNull()
    expect(after.root).toMatchObject({
      author_name: 'Luis Gómez',
      self_declared: true,
      body: 'Verified words',
    })
    expect(t.mail.messages.filter((m) => m.to === email)).toHaveLength(2)
    // Opening the link or pressing the button again shows the same receipt and changes nothing.
    const again = await get(link![1]!)
    expect(again.statusCode).toBe(200)
    expect(again.body).toContain('your e-mail address is confirmed')
    expect((await confirm(w.consultation.slug, token)).statusCode).toBe(200)
    expect(await counts(w.consultation.id)).toEqual({ submissions: 1, threads: 1 })
    expect(t.mail.messages.filter((m) => m.to === email)).toHaveLength(2)
  })

  it("'verified' links expire", async () => {
    const w = await world({ access: 'verified' })
    const email = `late-${Date.now()}@example.org`
    receiptOf(await postForm(w.consultation.slug, comment(w, { name: 'Late', email })))
    const link = /http:\/\/concord\.test(\/c\/[^\s]+\/verify\?token=[^\s]+)/.exec(
      t.mail.messages.find((m) => m.to === email)!.text,
    )![1]!
    await db
      .updateTable('consultation_submissions')
      .set({ verify_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('consultation_id', '=', w.consultation.id)
      .execute()
    const expired = await get(link)
    expect(expired.statusCode).toBe(410)
    expect(expired.body).toContain('This link has expired')
    const token = new URL(`http://x${link}`).searchParams.get('token')!
    const pressed = await confirm(w.consultation.slug, token)
    expect(pressed.statusCode).toBe(410)
    expect(await counts(w.consultation.id)).toEqual({ submissions: 1, threads: 0 })
  })

  it("'members' takes comments only from signed-in members, as themselves, with the session's CSRF token", async () => {
    const w = await world({ access: 'members' })
    const anonymous = await postJson(w.consultation.slug, comment(w))
    expect(anonymous.statusCode).toBe(403)
    const anonymousForm = await postForm(w.consultation.slug, comment(w))
    expect(anonymousForm.statusCode).toBe(403)
    expect(anonymousForm.body).toContain('Only members of the process may comment here.')
    const sectionPage = await get(`/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`)
    expect(sectionPage.body).toContain('/sign-in?next=')
    expect(sectionPage.body).not.toContain('<form')

    const outsider = await t.as(await factories.createUser())
    const outsiderJson = await postJson(w.consultation.slug, comment(w), newAddress(), {
      cookie: `concord_session=${outsider.cookie}`,
      'x-csrf-token': outsider.csrfToken,
    })
    expect(outsiderJson.statusCode).toBe(403)

    const member = await t.as(w.stakeholder)
    const cookie = `concord_session=${member.cookie}`
    const noToken = await postForm(w.consultation.slug, comment(w), newAddress(), { cookie })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.body).toContain('The form has expired')
    expect(await counts(w.consultation.id)).toEqual({ submissions: 0, threads: 0 })

    const form = await get(`/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`, { cookie })
    expect(form.body).toContain('You comment as Marta Stakeholder (Academia).')
    expect(form.headers['cache-control']).toContain('no-store')
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)![1]!
    expect(csrf).toBe(member.csrfToken)
    const response = await postForm(
      w.consultation.slug,
      comment(w, { csrf, stakeholderGroup: 'government', name: 'Someone else' }),
      newAddress(),
      { cookie },
    )
    const { root, thread } = await threadOf(referenceIn(receiptOf(response)))
    expect(root).toMatchObject({
      author_id: w.stakeholder.id,
      author_name: 'Marta Stakeholder',
      author_group: 'academia',
      author_organisation: 'Universidad Nacional',
      author_role: 'stakeholder',
      self_declared: false,
    })
    expect(thread?.created_by).toBe(w.stakeholder.id)

    const tokenResponse = await w.owner.post('/api/me/tokens', { name: 'public' })
    expect(tokenResponse.statusCode, tokenResponse.body).toBe(201)
    const token = (tokenResponse.json() as { secret: string }).secret
    const viaToken = await postJson(w.consultation.slug, comment(w), newAddress(), {
      authorization: `Bearer ${token}`,
    })
    expect(viaToken.statusCode, viaToken.body).toBe(201)
  })
})

describe('anti-abuse', () => {
  it('limits submissions per address in ten minutes, also under parallel requests, and per day', async () => {
    const w = await world()
    const address = newAddress()
    const results = await Promise.all(
      Array.from({ length: CONSULTATION_LIMITS.perAddressPer10Minutes + 3 }, () =>
        postJson(w.consultation.slug, comment(w), address),
      ),
    )
    const statuses = results.map((r) => r.statusCode).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(
      CONSULTATION_LIMITS.perAddressPer10Minutes,
    )
    expect(statuses.filter((s) => s === 429)).toHaveLength(3)
    const form = await postForm(w.consultation.slug, comment(w), address)
    expect(form.statusCode).toBe(429)
    expect(form.body).toContain('Too many comments were sent from here')
    expect((await postJson(w.consultation.slug, comment(w), newAddress())).statusCode).toBe(201)

    // A day's worth from one address, made two hours ago.
    const busy = newAddress()
    const hash = addressHashOf(TEST_SECRET, busy)
    await db
      .insertInto('consultation_submissions')
      .values(
        Array.from({ length: CONSULTATION_LIMITS.perAddressPerDay }, (_, i) => ({
          consultation_id: w.consultation.id,
          reference: `PREFILL-ADDR-${busy}-${i}`,
          status: 'unverified',
          section_id: w.sections[0]!.id,
          stakeholder_group: 'individual',
          consent: true,
          body: 'old',
          text_hash: textHashOf('old'),
          address_hash: hash,
          language: 'en',
          created_at: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        })),
      )
      .execute()
    expect((await postJson(w.consultation.slug, comment(w), busy)).statusCode).toBe(429)
  })

  it('limits submissions per mailbox per day, whatever the address, the case or the +tag', async () => {
    const w = await world()
    const mailbox = `busy-${Date.now()}@example.org`
    const tagged = (tag: string) => mailbox.replace('@', `+${tag}@`)
    await db
      .insertInto('consultation_submissions')
      .values(
        Array.from({ length: CONSULTATION_LIMITS.perEmailPerDay - 1 }, (_, i) => ({
          consultation_id: w.consultation.id,
          reference: `PREFILL-MAIL-${mailbox}-${i}`,
          status: 'accepted',
          section_id: w.sections[0]!.id,
          stakeholder_group: 'individual',
          consent: true,
          email: tagged(`old${i}`),
          email_key: emailKeyOf(tagged(`old${i}`)),
          body: 'old',
          text_hash: textHashOf('old'),
          address_hash: `prefill-${i}`,
          language: 'en',
          created_at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        })),
      )
      .execute()
    expect((await postJson(w.consultation.slug, comment(w, { email: mailbox }))).statusCode).toBe(
      201,
    )
    for (const email of [mailbox.toUpperCase(), tagged('new'), tagged('X').toUpperCase()]) {
      const refused = await postJson(w.consultation.slug, comment(w, { email }))
      expect(refused.statusCode, email).toBe(429)
      expect(refused.json()).toMatchObject({ code: 'rate_limited' })
    }
    // Another mailbox of the same domain is not held back.
    const other = await postJson(
      w.consultation.slug,
      comment(w, { email: mailbox.replace('busy', 'calm') }),
    )
    expect(other.statusCode).toBe(201)
  })

  it('forgets comments never confirmed a week after their link expired, and nothing else', async () => {
    const w = await world({ access: 'verified' })
    const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString()
    const row = (reference: string, status: string, expires: string | null) => ({
      consultation_id: w.consultation.id,
      reference,
      status,
      section_id: w.sections[0]!.id,
      stakeholder_group: 'individual',
      consent: true,
      email: `${reference.toLowerCase()}@example.org`,
      body: 'words',
      text_hash: textHashOf('words'),
      address_hash: `prune-${reference}`,
      language: 'en',
      verify_expires_at: expires,
      created_at: hours(-24 * 10),
    })
    const prefix = `PRUNE-${Date.now()}`
    await db
      .insertInto('consultation_submissions')
      .values([
        row(`${prefix}-OLD`, 'unverified', hours(-24 * 7 - 1)),
        row(`${prefix}-RECENT`, 'unverified', hours(-24 * 7 + 1)),
        row(`${prefix}-OPEN`, 'unverified', hours(24)),
        row(`${prefix}-TAKEN`, 'accepted', hours(-24 * 9)),
      ])
      .execute()
    expect(await pruneUnconfirmedSubmissions(db)).toBeGreaterThanOrEqual(1)
    const left = await db
      .selectFrom('consultation_submissions')
      .select('reference')
      .where('reference', 'like', `${prefix}-%`)
      .orderBy('reference')
      .execute()
    expect(left.map((r) => r.reference)).toEqual([
      `${prefix}-OPEN`,
      `${prefix}-RECENT`,
      `${prefix}-TAKEN`,
    ])
  })

  it('keys a mailbox as migration 0008 did for the rows before it', async () => {
    for (const email of ['ana@example.org', 'Ana+news@Example.org', 'a+b+c@x.y', 'plain+@x.y']) {
      const { rows } = await sql<{
        key: string
      }>`SELECT lower(regexp_replace(${email}, '\\+[^@]*@', '@')) AS key`.execute(db)
      expect(emailKeyOf(email), email).toBe(rows[0]!.key)
    }
  })

  it('groups the same text on the same section as one campaign thread, shown as N identical submissions', async () => {
    const w = await world()
    const text = 'Please protect encryption for everyone.'
    const references: string[] = []
    for (const body of [text, '  please PROTECT encryption\nfor everyone. ', text]) {
      const response = await postJson(w.consultation.slug, comment(w, { body }, 1))
      expect(response.statusCode, response.body).toBe(201)
      references.push((response.json() as { reference: string }).reference)
    }
    const other = await postJson(w.consultation.slug, comment(w, { body: text }, 2))
    expect(other.statusCode).toBe(201)
    const threads = await Promise.all(references.map((r) => threadOf(r)))
    expect(new Set(threads.map((x) => x.thread!.id)).size).toBe(1)
    expect(new Set(references).size).toBe(3)
    const campaign = await db
      .selectFrom('threads')
      .selectAll()
      .where('id', '=', threads[0]!.thread!.id)
      .executeTakeFirstOrThrow()
    expect(campaign.submission_count).toBe(3)
    expect(await counts(w.consultation.id)).toEqual({ submissions: 4, threads: 2 })
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('3 identical submissions')
    expect(page.body).toContain('3 comments received')
    expect((await get(`/c/${w.consultation.slug}?lang=es`)).body).toContain('3 envíos idénticos')
  })
})

describe('moderation', () => {
  it("'before': the comment waits hidden and pending, never appears publicly until approved", async () => {
    const w = await world({ moderation: 'before' })
    const response = await postForm(
      w.consultation.slug,
      comment(w, { body: 'Wait for the moderator' }),
    )
    const location = receiptOf(response)
    expect((await get(location)).body).toContain('It is published once a moderator has read it.')
    const { root } = await threadOf(referenceIn(location))
    expect(root).toMatchObject({ pending: true, hidden_reason: '' })
    expect(root?.hidden_at).not.toBeNull()
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).not.toContain('Wait for the moderator')
    expect(page.body).not.toContain('Hidden by the moderator')
    const section = await get(`/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`)
    expect(section.body).not.toContain('Wait for the moderator')

    const approved = await w.owner.post(`/api/comments/${root!.id}/approve`, { reason: 'Fine' })
    expect(approved.statusCode, approved.body).toBe(200)
    expect((await get(`/c/${w.consultation.slug}`)).body).toContain('Wait for the moderator')
  })

  it("'after': published at once; a hidden one shows the moderator's reason and no text", async () => {
    const w = await world({ moderation: 'after' })
    const response = await postJson(
      w.consultation.slug,
      comment(w, { body: 'Buy cheap pills', name: 'Spammer' }),
    )
    const { root } = await threadOf((response.json() as { reference: string }).reference)
    expect((await get(`/c/${w.consultation.slug}`)).body).toContain('Buy cheap pills')
    const receiptUrl = (response.json() as { receiptUrl: string }).receiptUrl
    expect((await get(receiptUrl)).body).toContain("It is published on the consultation's page.")
    const hidden = await w.owner.post(`/api/comments/${root!.id}/hide`, {
      reason: 'Advertising <spam>',
    })
    expect(hidden.statusCode, hidden.body).toBe(200)
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).not.toContain('Buy cheap pills')
    expect(page.body).not.toContain('Spammer')
    expect(page.body.replace(/&gt;/g, '>')).toContain(
      'Hidden by the moderator: Advertising &lt;spam>',
    )
    // Its receipt no longer says it is on the page.
    const receipt = await get(receiptUrl)
    expect(receipt.statusCode).toBe(200)
    expect(receipt.body).toContain('A moderator has hidden it from the page')
    expect(receipt.body).not.toContain("It is published on the consultation's page.")
    expect((await get(`/c/${w.consultation.slug}?lang=es`)).body.replace(/&gt;/g, '>')).toContain(
      'Ocultado por la moderación: Advertising &lt;spam>',
    )
  })
})

describe('visibility and answers', () => {
  it("'after-close' shows the comments only once the window has closed; 'never' never does", async () => {
    const later = await world({ visibility: 'after-close' })
    await postJson(later.consultation.slug, comment(later, { body: 'Seen after the close' }))
    const open = await get(`/c/${later.consultation.slug}`)
    expect(open.body).not.toContain('Seen after the close')
    expect(open.body).toContain('Comments are published once the consultation closes.')
    expect(open.body).toContain('1 comment received')
    await later.owner.post(`/api/consultations/${later.consultation.id}/close`, { reason: 'End' })
    expect((await get(`/c/${later.consultation.slug}`)).body).toContain('Seen after the close')

    const never = await world({ visibility: 'never' })
    await postJson(never.consultation.slug, comment(never, { body: 'Never on the page' }))
    expect((await get(`/c/${never.consultation.slug}`)).body).not.toContain('Never on the page')
    await never.owner.post(`/api/consultations/${never.consultation.id}/close`, { reason: 'End' })
    const closed = await get(`/c/${never.consultation.slug}`)
    expect(closed.body).not.toContain('Never on the page')
    expect(closed.body).toContain('Comments are not published on this page')
    expect(
      (await get(`/c/${never.consultation.slug}/sections/${never.sections[0]!.id}`)).body,
    ).not.toContain('Never on the page')
  })

  it("shows members' own threads only when the secretariat chose to", async () => {
    const hidden = await world()
    const member = await t.as(hidden.stakeholder)
    const internal = await member.post(`/api/documents/${hidden.documentId}/threads`, {
      sectionId: hidden.sections[0]!.id,
      kind: 'comment',
      body: 'Internal member remark',
    })
    expect(internal.statusCode, internal.body).toBe(201)
    expect((await get(`/c/${hidden.consultation.slug}`)).body).not.toContain(
      'Internal member remark',
    )

    const shown = await world({ showMemberThreads: true })
    const member2 = await t.as(shown.stakeholder)
    await member2.post(`/api/documents/${shown.documentId}/threads`, {
      sectionId: shown.sections[0]!.id,
      kind: 'comment',
      body: 'Shared member remark',
    })
    const page = await get(`/c/${shown.consultation.slug}`)
    expect(page.body).toContain('Shared member remark')
    expect(page.body).toContain('member of the process')
    expect(page.body).toContain('Marta Stakeholder')
  })

  it('shows the disposition and the answer beside the comment', async () => {
    const w = await world()
    const response = await postJson(
      w.consultation.slug,
      comment(w, { body: 'Define critical infrastructure' }),
    )
    const { thread } = await threadOf((response.json() as { reference: string }).reference)
    const answered = await app.inject({
      method: 'PUT',
      url: `/api/threads/${thread!.id}/answer`,
      payload: {
        disposition: 'partially-accepted',
        answer: 'We added a definition <b>in annex</b>.',
      },
      headers: { cookie: `concord_session=${w.owner.cookie}`, 'x-csrf-token': w.owner.csrfToken },
    })
    expect(answered.statusCode, answered.body).toBe(200)
    const page = await get(`/c/${w.consultation.slug}`)
    expect(page.body).toContain('Partially accepted')
    expect(page.body.replace(/&gt;/g, '>')).toContain(
      'We added a definition &lt;b>in annex&lt;/b>.',
    )
    expect((await get(`/c/${w.consultation.slug}?lang=es`)).body).toContain('Aceptado parcialmente')
  })
})

describe('user text is inert', () => {
  it('escapes names, organisations, comments, quotes, titles, introductions and section titles', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>'
    const w = await world(
      { title: { en: `Title ${payload}` }, introduction: { en: `Intro ${payload}` } },
      { markdown: `# Heading ${payload}\n\nText of the section.\n\n## Second\n\nMore text.\n` },
    )
    const response = await postJson(w.consultation.slug, {
      sectionId: w.sections[0]!.id,
      stakeholderGroup: 'individual',
      consent: 'yes',
      name: `Name ${payload}`,
      organisation: `Org "><svg onload=alert(3)>`,
      body: `Body ${payload}`,
      quote: 'Text of the section',
    })
    expect(response.statusCode, response.body).toBe(201)
    for (const url of [
      `/c/${w.consultation.slug}`,
      `/c/${w.consultation.slug}/sections/${w.sections[0]!.id}`,
    ]) {
      const html = (await get(url)).body
      expect(html).not.toContain('<script>alert')
      expect(html).not.toMatch(/<img[^>]*onerror/i)
      expect(html).not.toMatch(/<svg/i)
      // The pages written as strings escape > too, the Preact ones need not: both read the same.
      const canonical = html.replace(/&gt;/g, '>').replace(/&quot;/g, '"')
      expect(canonical).toContain('&lt;script>alert(1)&lt;/script>')
      expect(canonical).toContain('Org ">&lt;svg onload=alert(3)>')
    }
    const form = await postForm(w.consultation.slug, {
      sectionId: w.sections[0]!.id,
      stakeholderGroup: 'individual',
      body: `Typed ${payload}`,
      name: `"><script>x</script>`,
    })
    expect(form.statusCode).toBe(400)
    expect(form.body).not.toContain('<script>')
    expect(form.body.replace(/&gt;/g, '>')).toContain('value="&quot;>&lt;script>x&lt;/script>"')
  })
})

describe('what we heard', () => {
  it('says when the report comes before the close, and shows totals and every thread with its answer after', async () => {
    const w = await world()
    await postJson(
      w.consultation.slug,
      comment(w, { body: 'First remark', stakeholderGroup: 'academia' }, 0),
    )
    await postJson(
      w.consultation.slug,
      comment(w, { body: 'Second remark', stakeholderGroup: 'technical-community' }, 1),
    )
    const before = await get(`/c/${w.consultation.slug}/report`)
    expect(before.statusCode).toBe(200)
    expect(before.body).toContain('The report is published once the consultation closes')
    expect(before.body).not.toContain('First remark')
    await w.owner.post(`/api/consultations/${w.consultation.id}/close`, { reason: 'End' })
    const after = await get(`/c/${w.consultation.slug}/report`)
    expect(after.statusCode).toBe(200)
    expect(after.body).toContain('What we heard')
    expect(after.body).toContain('First remark')
    expect(after.body).toContain('Second remark')
    expect(after.body).toContain('<th scope="col">Technical community</th>')
    expect(after.body).toContain('2 submissions in 2 threads')
    expect((await get(`/c/${w.consultation.slug}`)).body).toContain(
      `/c/${w.consultation.slug}/report?lang=en`,
    )
  })
})

describe('the demo', () => {
  it('serves /c/demo to the public, with its campaign, a hidden comment and answers, in English and Spanish', async () => {
    const { seedDemo } = await import('../../server/demo/seed')
    expect(await seedDemo(db)).toBe(true)
    const page = await get('/c/demo')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Open for comments')
    expect(page.body).toContain('4 identical submissions')
    expect(page.body).toContain('Hidden by the moderator:')
    expect(page.body).toContain('<span class="badge">self-declared</span>')
    expect(page.body).toMatch(/class="disposition disposition-/)
    const es = await get('/c/demo?lang=es')
    expect(es.body).toContain('<html lang="es">')
    expect(es.body).toContain('4 envíos idénticos')
  })
})
