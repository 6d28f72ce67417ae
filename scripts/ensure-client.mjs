// `npm start` runs this first: a newcomer's first start builds the web client once.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

if (!existsSync(new URL('../dist/client/index.html', import.meta.url))) {
  process.stdout.write('Building the web client (first start only)…\n')
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
  process.exit(result.status ?? 1)
}
