// Small and quick: what a user ships (gzip -9 of a minified browser bundle of
// a minimal training program, JS + Wasm) and the cold start (process start to
// first result, over a bare `node -e 0` in the same run), beside TensorFlow.js
// as its user ships it: tfjs-core (with its gradients) and tfjs-backend-wasm,
// bundled with esbuild, the backend's .wasm files beside the bundle (a 64-32-10
// tanh MLP, one SGD step on a batch of 32, the loss printed; the whole
// @tensorflow/tfjs, with layers, converter and data, is not what such a user loads).
//
//   node bench/size.mjs [--reps 11]   the full tables (sizes, cold start, projections)
//   node --expose-gc bench/run.mjs --filter "cold start"   the harness workload (results.json)
//
// Needs `npm run build` (dist/). The harness workload times one process per
// call (spawnSync), interleaved: gradtrace and tfjs-wasm bundled alike for Node
// (esbuild, cjs, minified), gradtrace imported as a package (the full entry and
// gradtrace/core) and a bare node; its `figures` carry the sizes. Use the wall
// clock (--clock cpu does not count child processes). Targets (issue 6):
// <= 60 KB gzip all in, <= 15 ms cold start over bare node.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')
const DIST = join(ROOT, 'dist')
const NM = join(ROOT, 'node_modules')
const TFJS_WASM_DIR = join(NM, '@tensorflow/tfjs-backend-wasm/dist')
const TFJS_WASM = join(TFJS_WASM_DIR, 'tfjs-backend-wasm-simd.wasm')
const gz = (b) => gzipSync(b, { level: 9 }).length
const kb = (n) => (n / 1024).toFixed(1)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2
}

// -------------------------------------------------------------------------------------
// the user programs
// -------------------------------------------------------------------------------------

const DATA = `const x = new Float32Array(32 * 64).map((_, i) => ((i * 7919) % 200) / 100 - 1)
const y = new Int32Array(32).map((_, i) => i % 10)`

/** gradtrace: compile, init from a key, one SGD step, print the loss. */
const gradtraceProgram = (from) => `import { Key, Layer, Model, Optim, Tensor, Train } from ${JSON.stringify(from)}
const m = Model.compile(Layer.serial(Layer.dense(32, { activation: 'tanh' }), Layer.dense(10)), { input: [64], loss: 'softmaxCrossEntropy' })
if (m._tag === 'Left') throw new Error(JSON.stringify(m.left))
const opt = Optim.sgd(0.1)
const s = Train.init(m.right, opt, Key.key(0))
${DATA}
const r = Train.step(m.right, opt)(s.right, { x: Tensor.unsafeTensor([32, 64], x), y })
if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
console.log(r.right[1].loss)
`

/** TensorFlow.js (wasm backend): the same network and step, with tf.train.sgd. */
const tfjsProgram = (tfImport, wasmImport) => `${tfImport}
${wasmImport}
const main = async () => {
  await tf.setBackend('wasm')
  await tf.ready()
  ${DATA}
  const xs = tf.tensor2d(x, [32, 64]), ys = tf.oneHot(tf.tensor1d(y, 'int32'), 10)
  const W1 = tf.variable(tf.randomUniform([64, 32], -0.27, 0.27, 'float32', 0)), b1 = tf.variable(tf.zeros([32]))
  const W2 = tf.variable(tf.randomUniform([32, 10], -0.39, 0.39, 'float32', 1)), b2 = tf.variable(tf.zeros([10]))
  const loss = tf.train.sgd(0.1).minimize(() => tf.losses.softmaxCrossEntropy(ys, tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(xs, W1), b1)), W2), b2)), true)
  console.log(loss.dataSync()[0])
}
main()
`

// -------------------------------------------------------------------------------------
// sizes
// -------------------------------------------------------------------------------------

const esbuild = async () => import('esbuild')

const browserBundle = async (dir, entry, extra = {}) => {
  const { build } = await esbuild()
  const r = await build({
    entryPoints: [join(dir, entry)], absWorkingDir: dir, bundle: true, platform: 'browser', format: 'esm',
    minify: true, write: false, metafile: true, logLevel: 'silent', legalComments: 'none', ...extra,
  })
  return { code: r.outputFiles[0].contents, meta: r.metafile }
}

// fp-ts and io-ts through their ES module builds (src imports fp-ts/lib/*, the CommonJS build)
const es6Plugin = {
  name: 'fp-ts-es6',
  setup(b) {
    b.onResolve({ filter: /^(fp-ts|io-ts)\/lib\// }, (a) => b.resolve(a.path.replace('/lib/', '/es6/'), { resolveDir: a.resolveDir, kind: a.kind }))
  },
}
// the release .wasm inlined as base64 but decoded natively (Node's Buffer) instead of esbuild's JS loop
const nativeB64Plugin = {
  name: 'native-base64-wasm',
  setup(b) {
    b.onLoad({ filter: /gradtrace\.wasm$/ }, (a) => ({ contents: `export default ${JSON.stringify(readFileSync(a.path).toString('base64'))}`, loader: 'js' }))
  },
}
// the release .wasm left out of the bundle (a user would fetch or import it separately)
const noWasmPlugin = {
  name: 'no-inline-wasm',
  setup(b) {
    b.onLoad({ filter: /gradtrace\.wasm$/ }, () => ({ contents: "export default ''", loader: 'js' }))
  },
}
const fromSources = (plugins) => ({ alias: { gradtrace: join(ROOT, 'src/entries/index.ts') }, mainFields: ['module', 'main'], loader: { '.wasm': 'base64' }, plugins })

/** The TensorFlow.js user's program: tfjs-core, its gradients and the wasm backend, nothing else. */
const tfjsUser = tfjsProgram(
  "import * as tf from '@tensorflow/tfjs-core'\nimport '@tensorflow/tfjs-core/dist/register_all_gradients'",
  "import '@tensorflow/tfjs-backend-wasm'",
)

/** A temp dir with node_modules/gradtrace -> the project (resolved through package.json exports) and the programs. */
const workdir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradtrace-size-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(ROOT, join(dir, 'node_modules/gradtrace'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{"type":"module","private":true}\n')
  writeFileSync(join(dir, 'user.js'), gradtraceProgram('gradtrace'))
  writeFileSync(join(dir, 'tfjs-user.js'), tfjsUser)
  return dir
}

/** Rows of the size table (bytes). */
export const sizes = async () => {
  const dir = workdir()
  try {
    const rows = []
    const wasmGz = gz(readFileSync(join(DIST, 'gradtrace.wasm')))
    const shipped = await browserBundle(dir, 'user.js')
    rows.push({ system: 'gradtrace (package as published: dist/index.js, .wasm inlined)', js: shipped.code.length, jsGz: gz(shipped.code), wasmGz: 0 })
    // attribution: the same program from the sources (what a tree-shaking bundler keeps)
    const src = await browserBundle(dir, 'user.js', fromSources([]))
    rows.push({ system: 'projected: from ESM sources (tree-shaken), .wasm inlined', js: src.code.length, jsGz: gz(src.code), wasmGz: 0 })
    const es6 = await browserBundle(dir, 'user.js', fromSources([es6Plugin]))
    rows.push({ system: 'projected: + fp-ts/io-ts es6 builds, .wasm inlined', js: es6.code.length, jsGz: gz(es6.code), wasmGz: 0 })
    const sep = await browserBundle(dir, 'user.js', fromSources([es6Plugin, noWasmPlugin]))
    rows.push({ system: 'projected: + fp-ts/io-ts es6 builds, .wasm separate', js: sep.code.length, jsGz: gz(sep.code), wasmGz })
    // what dominates the shaken bundle (minified bytes by package / folder)
    const parts = {}
    for (const [k, v] of Object.entries(Object.values(es6.meta.outputs)[0].inputs)) {
      const key = k.endsWith('.wasm') ? 'the inlined .wasm (base64)' : k.includes('node_modules/') ? k.split('node_modules/')[1].split('/').slice(0, 2).join('/') : k.replace(/^.*?src\//, 'src/').split('/').slice(0, 2).join('/')
      parts[key] = (parts[key] ?? 0) + v.bytesInOutput
    }
    let tfjs
    try {
      const t = await browserBundle(dir, 'tfjs-user.js', { nodePaths: [NM] })
      tfjs = { system: 'TensorFlow.js 4.22 tfjs-core + gradients + tfjs-backend-wasm (SIMD .wasm)', js: t.code.length, jsGz: gz(t.code), wasmGz: gz(readFileSync(TFJS_WASM)) }
    } catch (e) {
      tfjs = { system: `TensorFlow.js wasm: bundle failed (${String(e.message).split('\n')[0]})`, js: NaN, jsGz: NaN, wasmGz: NaN }
    }
    rows.push(tfjs)
    return { rows, parts, wasm: { raw: readFileSync(join(DIST, 'gradtrace.wasm')).length, gz: wasmGz } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// -------------------------------------------------------------------------------------
// cold start
// -------------------------------------------------------------------------------------

/** A program bundled for Node as a user ships it (esbuild: cjs, minified); node_modules resolved from the project. */
const nodeBundle = async (dir, entry, outfile) => {
  const { build } = await esbuild()
  await build({ entryPoints: [join(dir, entry)], absWorkingDir: dir, bundle: true, platform: 'node', format: 'cjs', minify: true, legalComments: 'none', outfile: join(dir, outfile), nodePaths: [NM], logLevel: 'silent' })
  return join(dir, outfile)
}

/** Programs to time, written to a temp dir from `workdir()`: { name: argv } (run with node). */
const coldPrograms = async (dir, projections) => {
  mkdirSync(join(dir, 'tfjs'))
  // tfjs-backend-wasm reads its .wasm beside the bundle (__dirname), as its README tells bundler users to ship it
  for (const f of readdirSync(TFJS_WASM_DIR).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(TFJS_WASM_DIR, f), join(dir, 'tfjs', f))
  writeFileSync(join(dir, 'package.mjs'), gradtraceProgram(join(DIST, 'index.js')))
  writeFileSync(join(dir, 'package-core.mjs'), gradtraceProgram(join(DIST, 'core.js')))
  writeFileSync(join(dir, 'empty.mjs'), '')
  const progs = {
    'node -e 0': ['-e', '0'],
    gradtrace: [await nodeBundle(dir, 'user.js', 'gradtrace.cjs')],
    'tfjs-wasm': [await nodeBundle(dir, 'tfjs-user.js', 'tfjs/tfjs.cjs')],
    'gradtrace (package import)': [join(dir, 'package.mjs')],
    'gradtrace/core (package import)': [join(dir, 'package-core.mjs')],
  }
  if (projections) {
    // the same program on a bundle built from the sources with the es6 builds, .wasm inlined / read from a file
    const { build } = await esbuild()
    const common = { entryPoints: [join(ROOT, 'src/entries/index.ts')], bundle: true, platform: 'neutral', mainFields: ['module', 'main'], loader: { '.wasm': 'base64' }, target: 'es2022', minify: true, format: 'esm', logLevel: 'silent' }
    await build({ ...common, outfile: join(dir, 'es6.js'), plugins: [es6Plugin] })
    await build({ ...common, outfile: join(dir, 'es6-nowasm.js'), plugins: [es6Plugin, noWasmPlugin] })
    await build({ ...common, outfile: join(dir, 'es6-b64.js'), plugins: [es6Plugin, nativeB64Plugin] })
    writeFileSync(join(dir, 'proj-b64.mjs'), gradtraceProgram('./es6-b64.js'))
    writeFileSync(join(dir, 'proj-es6.mjs'), gradtraceProgram('./es6.js'))
    writeFileSync(join(dir, 'proj-sep.mjs'), gradtraceProgram('./es6-nowasm.js')
      .replace("import {", `import { readFileSync } from 'node:fs'\nimport { Wasm, `)
      .replace("loss: 'softmaxCrossEntropy' })", `loss: 'softmaxCrossEntropy', runtime: Wasm.loadSync({ wasm: readFileSync(${JSON.stringify(join(DIST, 'gradtrace.wasm'))}) }).right })`))
    progs['node empty.mjs (the ESM loader alone)'] = [join(dir, 'empty.mjs')]
    progs['projected: es6 fp-ts/io-ts, .wasm inlined'] = [join(dir, 'proj-es6.mjs')]
    progs['projected: es6 fp-ts/io-ts, .wasm inlined, decoded natively'] = [join(dir, 'proj-b64.mjs')]
    progs['projected: es6 fp-ts/io-ts, .wasm from a file'] = [join(dir, 'proj-sep.mjs')]
  }
  return progs
}

const spawnMs = (args) => {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-500)}`)
  return ms
}

/** Interleaved reps of every program; medians and medians of the per-rep difference to `node -e 0`. */
export const coldStart = async ({ reps = 11, projections = true } = {}) => {
  const dir = workdir()
  try {
    const progs = await coldPrograms(dir, projections)
    const names = Object.keys(progs)
    for (const n of names) spawnMs(progs[n]) // warm the file cache
    const t = Object.fromEntries(names.map((n) => [n, []]))
    for (let r = 0; r < reps; r++) for (const n of names) t[n].push(spawnMs(progs[n]))
    return names.map((n) => ({
      system: n,
      ms: median(t[n]),
      over: n === 'node -e 0' ? 0 : median(t[n].map((v, i) => v - t['node -e 0'][i])),
    }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// -------------------------------------------------------------------------------------
// the harness workload (bench/run.mjs)
// -------------------------------------------------------------------------------------

const sizeNote = (s) => {
  const [shipped, , , sep, tf] = s.rows
  return `gzip -9 shipped: gradtrace ${kb(shipped.jsGz)} KB all in (wasm inlined), projected ${kb(sep.jsGz)} KB JS + ${kb(sep.wasmGz)} KB wasm; tfjs-wasm ${kb(tf.jsGz)} KB JS + ${kb(tf.wasmGz)} KB wasm. Times: whole process (spawn to exit); subtract the 'node -e 0' row`
}

/** The browser bundle sizes as named figures of the results record: bytes after gzip -9. */
const sizeFigures = (s) => {
  const [shipped, , , sep, tf] = s.rows
  return { gradtraceAllInGzip: shipped.jsGz, gradtraceWasmGzip: sep.wasmGz, tfjsWasmJsGzip: tf.jsGz, tfjsWasmWasmGzip: tf.wasmGz }
}

export const workloads = async () => {
  if (!existsSync(join(DIST, 'index.js'))) return []
  const dir = workdir()
  const progs = await coldPrograms(dir, false)
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const w = {
    name: 'cold start to first result (process)',
    note: 'one SGD step of a 64-32-10 tanh MLP, batch 32, in a fresh node process',
    systems: {},
  }
  w.systems.gradtrace = async () => {
    try {
      const s = await sizes()
      w.note = sizeNote(s)
      w.figures = sizeFigures(s)
    } catch (e) {
      w.note += `; sizes failed: ${e.message}`
    }
    return { run: () => spawnMs(progs.gradtrace), maxReps: 11, note: 'bundled for node with esbuild (cjs, minified)' }
  }
  const notes = {
    'tfjs-wasm': 'tfjs-core + its gradients + tfjs-backend-wasm bundled alike, the .wasm files beside the bundle',
    'gradtrace (package import)': 'the program importing dist/index.js, unbundled',
    'gradtrace/core (package import)': 'the program importing dist/core.js (no report, no codecs), unbundled',
    'node -e 0': 'bare node: the floor to subtract',
  }
  for (const [name, note] of Object.entries(notes)) w.systems[name] = async () => ({ run: () => spawnMs(progs[name]), maxReps: 11, note })
  return [w]
}

// -------------------------------------------------------------------------------------
// node bench/size.mjs
// -------------------------------------------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reps = Number(process.argv[process.argv.indexOf('--reps') + 1]) || 11
  const s = await sizes()
  console.log('\nWhat a user ships: a minimal training program bundled with esbuild (browser, esm, minify), gzip -9\n')
  console.log('| system | JS min KB | JS gzip KB | Wasm gzip KB | total gzip KB | target 60 KB |')
  console.log('| --- | ---: | ---: | ---: | ---: | --- |')
  for (const r of s.rows) {
    const total = r.jsGz + r.wasmGz
    console.log(`| ${r.system} | ${kb(r.js)} | ${kb(r.jsGz)} | ${r.wasmGz ? kb(r.wasmGz) : 'inlined'} | ${kb(total)} | ${r.system.startsWith('TensorFlow') ? '' : total <= 60 * 1024 ? 'met' : `missed by ${kb(total - 60 * 1024)} KB`} |`)
  }
  console.log(`\ngradtrace.wasm: ${kb(s.wasm.raw)} KB raw, ${kb(s.wasm.gz)} KB gzip. Minified bytes of the shaken, es6, wasm-inlined bundle by part:`)
  for (const [k, v] of Object.entries(s.parts).sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${kb(v).padStart(7)} KB  ${k}`)
  const c = await coldStart({ reps })
  console.log(`\nCold start: spawn to exit of a fresh node process that prints one training step's loss (median of ${reps}, interleaved)\n`)
  console.log('| system | median ms | over node -e 0 (median of per-rep differences) | target 15 ms |')
  console.log('| --- | ---: | ---: | --- |')
  for (const r of c) {
    const target = /^(gradtrace|projected)/.test(r.system) ? (r.over <= 15 ? 'met' : `missed by ${r.over - 15 < 0 ? 0 : (r.over - 15).toFixed(0)} ms`) : ''
    console.log(`| ${r.system} | ${r.ms.toFixed(1)} | ${r.system === 'node -e 0' ? '' : `+${r.over.toFixed(1)}`} | ${target} |`)
  }
}
