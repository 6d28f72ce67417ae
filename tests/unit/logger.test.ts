import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../server/logger'

function sink() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  return { stream, text: () => lines.join('') }
}

// Issue 15, item 10: on a terminal the log must read as lines a person can follow, so the
// first-start banner is not buried in JSON; anywhere else it stays one JSON object a line.
describe('the server log', () => {
  it('prints readable lines, in order and at once, for a terminal', () => {
    const out = sink()
    const log = createLogger('info', out.stream, { readable: true })
    log.info({ engine: 'pglite' }, 'database ready')
    log.warn('oversized frame')
    const text = out.text()
    expect(text).toMatch(/INFO: database ready\n\s+engine: "pglite"/)
    expect(text).toMatch(/WARN: oversized frame/)
    expect(text.indexOf('database ready')).toBeLessThan(text.indexOf('oversized frame'))
    expect(text.trimStart().startsWith('{')).toBe(false)
  })

  it('prints one JSON object per line otherwise', () => {
    const out = sink()
    const log = createLogger('info', out.stream)
    log.info({ engine: 'pglite' }, 'database ready')
    const [line] = out.text().trim().split('\n')
    expect(JSON.parse(line!)).toMatchObject({ level: 30, msg: 'database ready', engine: 'pglite' })
  })

  it('redacts secrets in readable lines too', () => {
    const out = sink()
    createLogger('info', out.stream, { readable: true }).info({ body: { password: 'hunter2-secret' } }, 'sign-in')
    expect(out.text()).not.toContain('hunter2-secret')
    expect(out.text()).toContain('[redacted]')
  })
})
