import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { precompressDirectory } from '../../scripts/precompress.mjs'
import { seedDemo } from '../../server/demo/seed'
import { createTestApp } from '../support/app'

// Issue 15, item 11: scripts, styles and pages leave compressed when the browser accepts it.

// A built client in miniature: an HTML shell and a hashed script, precompressed as the build does.
const clientDir = mkdtempSync(join(tmpdir(), 'concord-client-'))
mkdirSync(join(clientDir, 'assets'))
const shell = `<!doctype html><html><head><title>Concord</title></head><body>${'<div id="app"></div>\n'.repeat(200)}</body></html>`
const script = `export const words = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => `word-${i % 50}`))}\n`
writeFileSync(join(clientDir, 'index.html'), shell)
writeFileSync(join(clientDir, 'assets', 'index-abc123.js'), script)
writeFileSync(join(clientDir, 'assets', 'tiny-abc123.js'), 'export {}\n')
const written = await precompressDirectory(clientDir)

const t = await createTestApp({ clientDir })
const { app, db } = t
await seedDemo(db)

const get = (url: string, acceptEncoding?: string) =>
  app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} })

describe('precompression at build', () => {
  it('writes .br and .gz copies of files worth compressing, and none of tiny ones', () => {
    expect(written.map((f) => f.slice(clientDir.length)).sort()).toEqual([
      '/assets/index-abc123.js.br',
      '/assets/index-abc123.js.gz',
      '/index.html.br',
      '/index.html.gz',
    ])
    expect(brotliDecompressSync(readFileSync(join(clientDir, 'assets', 'index-abc123.js.br'))).toString()).toBe(script)
  })
})

describe('compressed responses', () => {
  it('sends a built script as its brotli copy, else gzip, else as it is', async () => {
    const br = await get('/assets/index-abc123.js', 'gzip, deflate, br')
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script)
    expect(br.rawPayload.length).toBeLessThan(script.length / 5)

    const gz = await get('/assets/index-abc123.js', 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script)

    const plain = await get('/assets/index-abc123.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(script)
  })

  it('compresses the app shell and the public pages on the fly', async () => {
    const shellResponse = await get('/processes', 'br')
    expect(shellResponse.statusCode).toBe(200)
    expect(shellResponse.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(shellResponse.rawPayload).toString()).toBe(shell)

    for (const url of ['/c/demo', '/c/demo?lang=es', '/c/_assets/consultation.css']) {
      const plain = await get(url)
      expect(plain.statusCode, url).toBe(200)
      expect(plain.headers['content-encoding'], url).toBeUndefined()
      const br = await get(url, 'gzip, br')
      expect(br.headers['content-encoding'], url).toBe('br')
      const body = brotliDecompressSync(br.rawPayload).toString()
      expect(body, url).toBe(plain.body)
      expect(br.rawPayload.length, url).toBeLessThan(plain.rawPayload.length / 2)
    }
  })

  it('leaves API answers, which can carry tokens, uncompressed', async () => {
    const response = await get('/api/health', 'br')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-encoding']).toBeUndefined()
  })
})
