// Build: AssemblyScript kernels (release, relaxed-SIMD, debug), then the
// library bundles (ESM and CommonJS, release .wasm inlined), the separate
// .wasm files for edge users, and the .d.ts types.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'

// fp-ts and io-ts ship ES module builds under es6/: bundle those (tree-shakable,
// and no CommonJS wrappers to run at start-up) while the sources keep the
// lib/ paths that TypeScript and vitest resolve.
const es6 = {
  name: 'fp-ts-io-ts-es6',
  setup(b) {
    b.onResolve({ filter: /^(fp-ts|io-ts)\/lib\// }, (a) => b.resolve(a.path.replace('/lib/', '/es6/'), { resolveDir: a.resolveDir, kind: a.kind }))
  },
}
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' })
const asc = 'node_modules/.bin/asc'
const only = process.argv[2] // 'wasm' builds the kernels alone (tests of kernels)

mkdirSync('build', { recursive: true })
for (const target of ['release', 'relaxed', 'debug']) {
  run(asc, ['assembly/index.ts', '--config', 'asconfig.json', '--target', target])
}
if (only === 'wasm') process.exit(0)

rmSync('dist', { recursive: true, force: true })
mkdirSync('dist', { recursive: true })
const common = {
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  loader: { '.wasm': 'base64' },
  plugins: [es6],
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
}
const entries = { index: 'src/index.ts', relaxed: 'src/relaxed.ts', cli: 'src/cli/bin.ts' }
// ESM: one entry per namespace of src/index.ts, code shared through chunks, so
// a user's bundler drops the namespaces a program does not use (sideEffects:
// false) instead of receiving one prebundled object graph.
const namespaces = [...readFileSync('src/index.ts', 'utf8').matchAll(/export \* as (\w+) from '\.\/([\w/]+)'/g)].map((m) => [`ns/${m[1]}`, `src/${m[2]}.ts`])
await build({ ...common, entryPoints: { index: entries.index, relaxed: entries.relaxed, ...Object.fromEntries(namespaces) }, format: 'esm', outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' })
await build({ ...common, entryPoints: { index: entries.index, relaxed: entries.relaxed }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' } })
await build({ ...common, platform: 'node', entryPoints: { cli: entries.cli }, format: 'esm', outdir: 'dist', minify: false })
copyFileSync('build/gradtrace.wasm', 'dist/gradtrace.wasm')
copyFileSync('build/gradtrace.relaxed.wasm', 'dist/gradtrace.relaxed.wasm')
run('node_modules/.bin/tsc', ['-p', 'tsconfig.build.json'])
writeFileSync('dist/wasm.d.ts', 'declare const module: WebAssembly.Module\nexport default module\n')
