import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '..')

function sourceFiles(dir: string): string[] {
  const full = join(ROOT, dir)
  return readdirSync(full).flatMap((name) => {
    const path = join(full, name)
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' || name === 'i18n' ? [] : sourceFiles(relative(ROOT, path))
    }
    return /\.tsx?$/.test(name) ? [relative(ROOT, path)] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!)
}

// STYLE 2.3: imports point inward. Lint enforces this while editing; this test keeps it
// true for every commit, whatever the editor did.
describe('import boundaries', () => {
  it('shared/ imports neither side, no Node built-ins and no editor-only packages', () => {
    for (const file of sourceFiles('shared')) {
      for (const spec of importsOf(file)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)(server|client)\//)
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^node:|^(fs|path|crypto|os)$/)
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^(prosemirror-view|prosemirror-state|y-prosemirror)/)
      }
    }
  })

  it('client/ never imports server/', () => {
    for (const file of sourceFiles('client')) {
      for (const spec of importsOf(file)) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/(^|\/)server\//)
      }
    }
  })

  it('migrations/ import only kysely and each other', () => {
    for (const file of sourceFiles('migrations')) {
      for (const spec of importsOf(file)) {
        expect(spec === 'kysely' || spec.startsWith('./'), `${file} imports ${spec}`).toBe(true)
      }
    }
  })

  it("server modules use each other's services, never each other's queries", () => {
    for (const file of sourceFiles('server')) {
      const module = file.split('/')[1]
      for (const spec of importsOf(file)) {
        const match = /^\.\.\/([a-z-]+)\/(queries|state-queries)$/.exec(spec)
        if (match) {
          expect(match[1], `${file} imports ${spec}`).toBe(module)
        }
      }
    }
  })

  it('only app.ts imports route files, and nothing imports collab/ but app.ts', () => {
    for (const file of sourceFiles('server')) {
      if (file === 'server/app.ts') {
        continue
      }
      for (const spec of importsOf(file)) {
        if (/\/routes$/.test(spec)) {
          // Route files may share small helpers with each other (cookie setting), not routes.
          expect(file.endsWith('routes.ts'), `${file} imports ${spec}`).toBe(true)
        }
        if (/(^|\/)collab\//.test(spec) || (spec.startsWith('./') && file.startsWith('server/collab/'))) {
          expect(file.startsWith('server/collab/'), `${file} imports ${spec}`).toBe(true)
        }
      }
    }
  })

  it('only server/config.ts reads process.env', () => {
    for (const file of sourceFiles('server')) {
      if (file !== 'server/config.ts') {
        expect(readFileSync(join(ROOT, file), 'utf8'), file).not.toMatch(/process\.env/)
      }
    }
  })
})
