// Runs a TypeScript example (or the CLI from source): bundles it with esbuild
// (the .wasm inlined, as in the package) into build/run/ and imports it.
// Usage: node scripts/run-example.mjs examples/02-depth-sweep.ts [args...]
import { mkdirSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const [file, ...args] = process.argv.slice(2)
if (!file) {
  console.error('usage: node scripts/run-example.mjs <file.ts> [args...]')
  process.exit(2)
}
mkdirSync('build/run', { recursive: true })
const out = resolve('build/run', basename(file).replace(/\.ts$/, '.mjs'))
await build({
  entryPoints: [file],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  loader: { '.wasm': 'base64' },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
})
process.argv = [process.argv[0], out, ...args]
const mod = await import(pathToFileURL(out).href)
if (typeof mod.main === 'function') await mod.main(args)
