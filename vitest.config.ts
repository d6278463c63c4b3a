import { readFileSync } from 'node:fs'
import { defineConfig, type Plugin } from 'vitest/config'

// Vite yields undefined for `import bytes from 'x.wasm'`; load .wasm as a
// Uint8Array module, as esbuild's binary loader does for the bundles.
const wasmBytes = (): Plugin => ({
  name: 'gradtrace-wasm-bytes',
  enforce: 'pre',
  load(id) {
    if (!id.endsWith('.wasm')) return null
    const b64 = readFileSync(id).toString('base64')
    return `const s = atob(${JSON.stringify(b64)}); const b = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i); export default b`
  },
})

export default defineConfig({
  plugins: [wasmBytes()],
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/runtime/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    pool: 'forks',
  },
})
