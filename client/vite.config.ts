import { defineConfig } from 'vite'
import { precompressDirectory } from '../scripts/precompress.mjs'

// The config is bundled by Vite, which keeps `import.meta.url` pointing at this file, so
// the paths below hold whatever directory `vite` is started from.
const clientDir = decodeURIComponent(new URL('.', import.meta.url).pathname)
const repoDir = decodeURIComponent(new URL('..', import.meta.url).pathname)

export default defineConfig({
  root: clientDir,
  plugins: [
    {
      // Brotli and gzip copies of the scripts, styles and the HTML shell, served as they are
      // by the server (issue 15, item 11).
      name: 'concord-precompress',
      apply: 'build',
      async closeBundle() {
        await precompressDirectory(`${repoDir}dist/client`)
      },
    },
  ],
  base: '/',
  // No JSX plugin: esbuild compiles TSX straight to Preact's automatic runtime.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  resolve: {
    // Packages that `import 'react'` (none today) would get Preact; cheap insurance.
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
  },
  build: {
    outDir: `${repoDir}dist/client`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // The client imports ../shared (types, limits, permissions, i18n strings).
    fs: { allow: [repoDir] },
    proxy: {
      '/api': 'http://localhost:3000',
      '/collab': { target: 'ws://localhost:3000', ws: true },
    },
  },
})
