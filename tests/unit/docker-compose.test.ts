import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadConfig } from '../../server/config'

const ROOT = resolve(import.meta.dirname, '../..')

interface Service {
  build?: string
  image?: string
  environment?: Record<string, string>
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  volumes?: string[]
}

// There is no Docker engine on the build machines, so the compose file is checked by reading it.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>
    volumes: Record<string, unknown>
  }

  it('runs the app built from the Dockerfile, with PostgreSQL and Redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'postgres', 'redis'])
    expect(compose.services.app!.build).toBe('.')
    expect(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')).toContain('server/main.ts')
    expect(compose.services.postgres!.image).toMatch(/^postgres:/)
    expect(compose.services.redis!.image).toMatch(/^redis:/)
  })

  it('gives every service a healthcheck and a volume, and starts the app after healthy stores', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test.length, name).toBeGreaterThan(0)
      expect(service.volumes?.length, name).toBeGreaterThan(0)
      for (const volume of service.volumes ?? []) {
        expect(Object.keys(compose.volumes)).toContain(volume.split(':')[0])
      }
    }
    expect(compose.services.app!.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } })
  })

  it("configures the app with a valid environment pointing at the compose services", () => {
    const env = compose.services.app!.environment!
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]),
    )
    const config = loadConfig(resolved)
    expect(config.databaseUrl).toMatch(/@postgres:5432\//)
    expect(config.redisUrl).toBe('redis://redis:6379')
    expect(config.port).toBe(3000)
    const pg = compose.services.postgres!.environment!
    expect(config.databaseUrl).toBe(`postgres://${pg.POSTGRES_USER}:${pg.POSTGRES_PASSWORD}@postgres:5432/${pg.POSTGRES_DB}`)
  })
})
