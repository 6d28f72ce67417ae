import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config'

describe('configuration', () => {
  it('has defaults that need nothing but a data folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'concord-config-'))
    const config = loadConfig({ DATA_DIR: dataDir })
    expect(config).toMatchObject({ port: 3000, host: '0.0.0.0', databaseUrl: undefined, dataDir, publicUrl: 'http://localhost:3000', demo: true })
    // A generated secret is kept in the data folder, so sessions survive a restart.
    expect(config.sessionSecret).toBe(readFileSync(join(dataDir, 'session-secret'), 'utf8'))
    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(config.sessionSecret)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://u@db:5432/concord',
      REDIS_URL: 'redis://cache:6379',
      PUBLIC_URL: 'https://concord.example.gov/',
      SMTP_URL: 'smtp://mail:25',
      SESSION_SECRET: 's'.repeat(40),
      LOG_LEVEL: 'warn',
      DEMO: '0',
    })
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', redisUrl: 'redis://cache:6379', publicUrl: 'https://concord.example.gov', smtpUrl: 'smtp://mail:25', logLevel: 'warn', demo: false, staffTwoFactor: 'required' })
  })

  it('requires a second factor of staff unless the demo is on, and says so when told', () => {
    const key = { SESSION_SECRET: 's'.repeat(40) }
    expect(loadConfig(key).staffTwoFactor).toBe('advised')
    expect(loadConfig({ ...key, DEMO: '0' }).staffTwoFactor).toBe('required')
    expect(loadConfig({ ...key, STAFF_TWO_FACTOR: 'required' }).staffTwoFactor).toBe('required')
    expect(loadConfig({ ...key, DEMO: '0', STAFF_TWO_FACTOR: 'advised' }).staffTwoFactor).toBe('advised')
    expect(() => loadConfig({ ...key, STAFF_TWO_FACTOR: 'sometimes' })).toThrow(/STAFF_TWO_FACTOR/)
  })

  it('lists every problem, one per line', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' })).toThrow(
      /Invalid configuration:\n.*PORT.*\n.*DATABASE_URL.*\n.*SESSION_SECRET/,
    )
  })
})
