// Writes a brotli (.br) and a gzip (.gz) copy beside every compressible file of the built
// client, once at build time, so the server sends the smallest form the browser accepts
// without compressing the same bytes on every request (issue 15, item 11). Vite's build
// calls it (client/vite.config.ts); `node scripts/precompress.mjs <dir>` runs it by hand.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/** Text formats worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/
/** Below this a compressed copy saves less than the headers cost. */
const MIN_BYTES = 1024

/**
 * Compresses every compressible file under `dir` (recursively) and returns the files it
 * wrote. A copy that is not smaller than the original is not written.
 * @param {string} dir
 * @returns {Promise<string[]>}
 */
export async function precompressDirectory(dir) {
  const written = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      written.push(...(await precompressDirectory(path)))
      continue
    }
    if (!COMPRESSIBLE.test(entry.name) || (await stat(path)).size < MIN_BYTES) {
      continue
    }
    const original = await readFile(path)
    const copies = [
      [`${path}.br`, await brotli(original, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: original.length } })],
      [`${path}.gz`, await gz(original, { level: 9 })],
    ]
    for (const [target, bytes] of copies) {
      if (bytes.length < original.length) {
        await writeFile(target, bytes)
        written.push(target)
      }
    }
  }
  return written
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const dir = process.argv[2]
  if (!dir) {
    console.error('usage: node scripts/precompress.mjs <directory>')
    process.exit(1)
  }
  const written = await precompressDirectory(dir)
  console.log(`precompressed: ${written.length} files`)
}
