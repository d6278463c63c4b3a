import { readFileSync } from 'node:fs'
import { defineConfig, type Plugin } from 'vitest/config'

// Vite yields undefined for `import b64 from 'x.wasm'`; load .wasm as its
// base64 text, as esbuild's base64 loader does for the bundles.
const wasmBytes = (): Plugin => ({
  name: 'gradtrace-wasm-bytes',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null
    return `export default ${JSON.stringify(readFileSync(id).toString('base64'))}`
  },
})

export default defineConfig({
  plugins: [wasmBytes()],
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    exclude: ['test/runtime/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
})
