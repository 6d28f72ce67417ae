import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// npm's own range rules (semver comes with fastify; typed here by hand).
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean
  minVersion(range: string): { version: string } | null
}

const root = resolve(import.meta.dirname, '../..')
const read = (path: string) => readFileSync(resolve(root, path), 'utf8')

interface LockEntry {
  engines?: { node?: string }
  optional?: boolean
}

// Issue 15, item 10: `npm install` warned that cookie@2 and nanoid@6 need Node 22 while the
// README promised 20.19. Every installed package must accept the Node the README names.
describe('the Node version the README names', () => {
  const named = /Node\.js (\d+\.\d+) or newer/.exec(read('README.md'))?.[1]
  const minimum = `${named}.0`

  it('is the one package.json requires', () => {
    expect(named).toBeDefined()
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } }
    expect(semver.minVersion(pkg.engines.node)?.version).toBe(minimum)
  })

  it('is accepted by every package in the lockfile (no EBADENGINE warning)', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> }
    const refusing = Object.entries(lock.packages)
      // An optional package that refuses this Node is skipped by npm without a warning.
      .filter(([path, entry]) => path !== '' && entry.optional !== true && entry.engines?.node !== undefined)
      .filter(([, entry]) => !semver.satisfies(minimum, entry.engines!.node!, { includePrerelease: true }))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')} (node ${entry.engines!.node})`)
    expect(refusing).toEqual([])
  })
})
