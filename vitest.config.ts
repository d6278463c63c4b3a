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
    // Node 20 validates relaxed-SIMD modules only behind this V8 flag; the test
    // workers get it so the relaxed kernels run (test/assembly/gemm.test.ts).
    // Children the tests spawn do not inherit it (the fallback test needs that).
    execArgv: ['--experimental-wasm-relaxed-simd'],
    // unpacks the npm-shipped Chromium once, before the browser tests race to it
    globalSetup: ['test/runtime/globalSetup.ts'],
  },
})
