import { connect, type Socket } from 'node:net'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { parseForm } from '../../server/plugins/body-parsers'
import { createTestApp } from '../support/app'
import { openConsultation } from '../support/consultations'
import { THREAD_DRAFT } from '../support/threads'

// Bad REST input (issue 12, item 6): bodies that are not well-formed UTF-8 text are refused
// with a 400 in the error shape and change nothing; oversized bodies get a 413 the client can
// read before the connection closes.
const t = await createTestApp()
const { app, db, factories } = t

const owner = await factories.createUser({ name: 'Olga Owner' })
const process = await factories.createProcess({ secretariat: owner })
const { id: documentId } = await factories.createDocument(process.id, owner, 'Strategy', THREAD_DRAFT)
const client = await t.as(owner)
const consultation = await openConsultation(client, process.id, documentId)
const version = await db.selectFrom('document_versions').select('sections').where('id', '=', consultation.versionId).executeTakeFirstOrThrow()
const sectionId = version.sections.find((s) => s.id !== null)!.id!

/** The raw bytes of a JSON body whose title is `title`, which may hold invalid UTF-8. */
const jsonWith = (field: string, raw: Buffer) =>
  Buffer.concat([Buffer.from(`{"${field}":"`), raw, Buffer.from('"}')])

/** Invalid UTF-8 (the bytes the attack used), a lone surrogate escape, and a surrogate pair that is fine. */
const BAD_UTF8 = Buffer.from([0x50, 0x38, 0x20, 0xc3, 0x28, 0xff, 0xfe, 0xc0, 0xaf])
const LONE_SURROGATE = Buffer.from('P8 \\ud800 title')

function send(method: 'POST' | 'PATCH', url: string, payload: Buffer | string, contentType = 'application/json') {
  return app.inject({
    method,
    url,
    payload,
    headers: { cookie: `concord_session=${client.cookie}`, 'x-csrf-token': client.csrfToken, 'content-type': contentType },
  })
}

async function state() {
  const user = await db.selectFrom('users').select('name').where('id', '=', owner.id).executeTakeFirstOrThrow()
  const doc = await db.selectFrom('documents').select('title').where('id', '=', documentId).executeTakeFirstOrThrow()
  const counts = await db
    .selectFrom('processes')
    .select([
      sql<number>`count(*)::int`.as('processes'),
      sql<number>`(select count(*)::int from documents)`.as('documents'),
      sql<number>`(select count(*)::int from consultation_submissions)`.as('submissions'),
    ])
    .executeTakeFirstOrThrow()
  return { name: user.name, title: doc.title, ...counts }
}

const routes: { method: 'POST' | 'PATCH'; url: string; field: string }[] = [
  { method: 'PATCH', url: '/api/me', field: 'name' },
  { method: 'POST', url: '/api/processes', field: 'title' },
  { method: 'PATCH', url: `/api/documents/${documentId}`, field: 'title' },
  { method: 'POST', url: `/api/processes/${process.id}/documents`, field: 'title' },
]

describe('bodies that are not UTF-8 text (issue 12, item 6)', () => {
  it.each(routes)('$method $url refuses invalid UTF-8, a lone surrogate and charset=latin1, storing nothing', async ({ method, url, field }) => {
    const before = await state()
    const cases: [Buffer, string][] = [
      [jsonWith(field, BAD_UTF8), 'application/json'],
      [jsonWith(field, LONE_SURROGATE), 'application/json'],
      [jsonWith(field, Buffer.from('Caf\\u00e9 a Lat\\udc00')), 'application/json; charset=utf-8'],
      [jsonWith(field, Buffer.from('Estrategia nacional', 'latin1')), 'application/json; charset=latin1'],
      [jsonWith(field, Buffer.from('Estrategia', 'utf8')), 'text/plain'],
    ]
    for (const [payload, contentType] of cases) {
      const response = await send(method, url, payload, contentType)
      expect(response.statusCode, `${contentType} ${payload.toString('latin1')}`).toBe(400)
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'validation_failed' })
      expect(typeof response.json().message).toBe('string')
    }
    expect(await state()).toEqual(before)
  })

  it('still takes well-formed text, surrogate pairs and an explicit utf-8 charset', async () => {
    const title = 'Estrategia de ciberseguridad 🛡️ Ñandú'
    const response = await send('PATCH', `/api/documents/${documentId}`, Buffer.from(JSON.stringify({ title })), 'application/json; charset=UTF-8')
    expect(response.statusCode, response.body).toBe(200)
    const escaped = await send('PATCH', '/api/me', Buffer.from('{"name":"Olga \\ud83d\\udee1 Owner"}'))
    expect(escaped.statusCode, escaped.body).toBe(200)
    expect((await state()).title).toBe(title)
    expect((await state()).name).toBe('Olga 🛡 Owner')
  })

  it('refuses a public comment form with %C3%28, a broken % escape, raw invalid bytes or latin1, storing nothing', async () => {
    const fields = `sectionId=${sectionId}&stakeholderGroup=civil-society&consent=yes`
    const before = await state()
    const cases: [Buffer | string, string][] = [
      [`${fields}&body=Bad%C3%28text`, 'application/x-www-form-urlencoded'],
      [`${fields}&body=Broken%2escape%`, 'application/x-www-form-urlencoded'],
      [`${fields}&body=Half%E2%82`, 'application/x-www-form-urlencoded'],
      [`${fields}&body=Lone%ED%A0%80surrogate`, 'application/x-www-form-urlencoded'],
      [Buffer.concat([Buffer.from(`${fields}&body=`), BAD_UTF8]), 'application/x-www-form-urlencoded'],
      [`${fields}&body=Caf%E9`, 'application/x-www-form-urlencoded; charset=latin1'],
      [jsonWith('body', BAD_UTF8), 'application/json'],
    ]
    for (const [payload, contentType] of cases) {
      const response = await app.inject({
        method: 'POST',
        url: `/c/${consultation.slug}/comments`,
        payload,
        headers: { 'content-type': contentType },
        remoteAddress: '10.77.0.1',
      })
      expect(response.statusCode, String(payload)).toBe(400)
      expect(response.json()).toMatchObject({ statusCode: 400, code: 'validation_failed' })
    }
    expect(await state()).toEqual(before)
    // A well-formed form goes through as before.
    const good = await app.inject({
      method: 'POST',
      url: `/c/${consultation.slug}/comments`,
      payload: `${fields}&body=${encodeURIComponent('Un comentario válido ✓')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: '10.77.0.2',
    })
    expect(good.statusCode, good.body).toBeLessThan(400)
    expect((await state()).submissions).toBe(before.submissions + 1)
  })

  it('parses forms as formbody did: + is a space, repeated fields are arrays, __proto__ is a field', () => {
    expect(parseForm('a=1+2&b=x&b=y&c&&d=%26')).toEqual({ a: '1 2', b: ['x', 'y'], c: '', d: '&' })
    const parsed = parseForm('__proto__=polluted')
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.keys(parsed)).toEqual(['__proto__'])
  })
})

/**
 * Sends `length` bytes of body after the headers, as fast as the socket takes them, and only
 * then reads the answer, as a simple client does: a server that closes while the body still
 * comes resets the connection, and the answer it had sent is lost.
 */
async function sendOversized(url: string, port: number, contentType: string, length: number, chunked = false) {
  const socket: Socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  let received = ''
  let error: string | undefined
  socket.pause()
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1')
  })
  const closed = new Promise<void>((resolve) => {
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message
    })
    socket.on('close', () => resolve())
  })
  socket.write(
    `POST ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
      (chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${length}\r\n`) +
      '\r\n',
  )
  const piece = Buffer.alloc(64 * 1024, 'a')
  let sent = 0
  while (sent < length && !socket.destroyed) {
    const part = piece.subarray(0, Math.min(piece.length, length - sent))
    const data = chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part
    sent += part.length
    if (!socket.write(data)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done)
          socket.off('close', done)
          resolve()
        }
        socket.on('drain', done)
        socket.on('close', done)
      })
    }
  }
  if (chunked && !socket.destroyed) {
    socket.write('0\r\n\r\n')
  }
  socket.resume()
  await closed
  return { received, error }
}

describe('oversized bodies (issue 12, item 6)', () => {
  it('answers 413 in the error shape, readable by the client, then closes', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    const port = Number(new URL(address).port)
    const cases: [string, string, number, boolean?][] = [
      ['/api/auth/sign-in', 'application/json', 1024 * 1024 + 1],
      ['/api/auth/sign-in', 'application/json', 5 * 1024 * 1024],
      ['/api/auth/sign-in', 'application/json', 5 * 1024 * 1024, true],
      [`/c/${consultation.slug}/comments`, 'application/x-www-form-urlencoded', 1024 * 1024 + 1],
      [`/c/${consultation.slug}/comments`, 'application/x-www-form-urlencoded', 5 * 1024 * 1024],
      [`/c/${consultation.slug}/comments`, 'application/x-www-form-urlencoded', 50 * 1024 * 1024],
    ]
    for (const [url, contentType, length, chunked] of cases) {
      const { received, error } = await sendOversized(url, port, contentType, length, chunked)
      const label = `${url} ${contentType} ${length}${chunked ? ' chunked' : ''} (${error ?? 'no error'})`
      expect(received.split('\r\n')[0], label).toBe('HTTP/1.1 413 Payload Too Large')
      expect(received.toLowerCase(), label).toContain('connection: close')
      const body = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>
      expect(body).toMatchObject({ statusCode: 413, code: 'payload_too_large' })
    }
  }, 60_000)
})
