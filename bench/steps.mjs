// Step-time measurements for A/B runs (#9, #10), bundled on the fly from src/ with esbuild (no `npm run build`):
//   node --expose-gc bench/steps.mjs [schedule|w2|steps|all] [--src DIR ...] [--only W2 --only W3 ...] [--rounds N]
// With several --src directories (e.g. a checkout of an older commit's src/ and
// this one), the rounds alternate between them in one process, so a busy
// machine slows each alike.
//  schedule: 4,000 SGD steps of a small MLP (64-32-10, batch 32), with a new
//            optimizer value every step (a hand-rolled schedule) and with one
//            constant value: heap after GC, and mean step time of the last 1,000 steps.
//  w2:       the W2 step of bench/mlp.mjs (784-256x4-10 tanh, batch 64, SGD, trace
//            'norms'): median ms per step of rounds of 40 steps after 30 warm-up steps.
//  steps:    the W2, W3 and W4 steps of bench/mlp.mjs and bench/recurrent.mjs (SGD, trace
//            'off' as the bench's gradtrace row), rounds alternating between the --src
//            directories: median ms per step of each variant's rounds.
import { build } from 'esbuild'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const args = process.argv.slice(2)
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all'
const srcs = args.flatMap((a, i) => (args[i - 1] === '--src' ? [resolve(a)] : []))
if (srcs.length === 0) srcs.push(new URL('../src', import.meta.url).pathname)

const load = async (src) => {
  const out = join(mkdtempSync(join(tmpdir(), 'gt-steps-')), 'index.mjs')
  const entry = existsSync(join(src, 'entries/index.ts')) ? join(src, 'entries/index.ts') : join(src, 'index.ts')
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile: out, loader: { '.wasm': 'base64' }, logLevel: 'error' })
  return { src, G: await import(out) }
}
const variants = []
for (const s of srcs) variants.push(await load(s))

const ok = (e) => {
  if (e._tag === 'Left') throw new Error(JSON.stringify(e.left))
  return e.right
}
const rand = (n, seed) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7919 + i * 12.9898) * 0.5)
const heapMiB = () => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const schedule = ({ Key, Layer, Model, Optim, Train }, changing) => {
  const model = ok(Model.compile(Layer.serial(Layer.dense(32, { activation: 'tanh' }), Layer.dense(10)), { input: [64], loss: 'softmaxCrossEntropy' }))
  const batch = { x: { shape: [32, 64], data: rand(32 * 64, 1) }, y: Int32Array.from({ length: 32 }, (_, i) => i % 10) }
  let s = ok(Train.init(model, Optim.sgd(0.1), Key.key(0)))
  const heap0 = heapMiB()
  let t = 0
  for (let i = 1; i <= 4000; i++) {
    const opt = Optim.sgd(changing ? 0.1 * (1 - i / 8000) : 0.1) // a new optimizer value every step (or the same value)
    const t0 = performance.now()
    s = ok(Train.step(model, opt)(s, batch))[0]
    if (i > 3000) t += performance.now() - t0
  }
  return { heap0, heap1: heapMiB(), us: (t / 1000) * 1000 }
}

const w2 = ({ Key, Layer, Model, Optim, Train }) => {
  const dims = [784, 256, 256, 256, 256, 10]
  const net = Layer.serial(...dims.slice(1, -1).map((d) => Layer.dense(d, { activation: 'tanh' })), Layer.dense(10))
  const model = ok(Model.compile(net, { input: [784], loss: 'softmaxCrossEntropy', trace: 'norms' }))
  const opt = Optim.sgd(0.01)
  const step = Train.step(model, opt)
  const batch = { x: { shape: [64, 784], data: rand(64 * 784, 3) }, y: Int32Array.from({ length: 64 }, (_, i) => i % 10) }
  let s = ok(Train.init(model, opt, Key.key(0)))
  for (let i = 0; i < 30; i++) s = ok(step(s, batch))[0]
  const ts = []
  for (let i = 0; i < 40; i++) {
    const t0 = performance.now()
    s = ok(step(s, batch))[0]
    ts.push(performance.now() - t0)
  }
  return median(ts)
}

const label = (v) => v.src.replace(/\/src$/, '')
if (which === 'schedule' || which === 'all') {
  for (const v of variants)
    for (const changing of [true, false]) {
      const r = schedule(v.G, changing)
      console.log(`schedule ${label(v)} (${changing ? 'new lr every step' : 'constant lr'}): heap ${r.heap0.toFixed(1)} -> ${r.heap1.toFixed(1)} MiB over 4,000 steps; mean step ${r.us.toFixed(0)} us over steps 3,001-4,000`)
    }
}
if (which === 'w2' || which === 'all') {
  const rounds = variants.map(() => [])
  for (let r = 0; r < 8; r++) variants.forEach((v, i) => rounds[i].push(w2(v.G)))
  variants.forEach((v, i) => console.log(`w2 ${label(v)}: step ${median(rounds[i]).toFixed(3)} ms median, ${Math.min(...rounds[i]).toFixed(3)} ms min, of 8 rounds (medians of 40 steps each): ${rounds[i].map((x) => x.toFixed(2)).join(' ')}`))
}

/** A training step of a workload, ready to time: `next()` runs one step. */
const stepper = ({ Key, Layer, Model, Optim, Train }, w) => {
  const model = ok(Model.compile(w.net(Layer), { input: w.input, loss: w.loss, trace: 'off' }))
  const opt = Optim.sgd(0.01)
  const step = Train.step(model, opt)
  let s = ok(Train.init(model, opt, Key.key(0)))
  return () => (s = ok(step(s, w.batch))[0])
}
const mlp = (dims, batch) => ({
  net: (L) => L.serial(...dims.slice(1, -1).map((d) => L.dense(d, { activation: 'tanh' })), L.dense(dims[dims.length - 1])),
  input: [dims[0]],
  loss: 'softmaxCrossEntropy',
  batch: { x: { shape: [batch, dims[0]], data: rand(batch * dims[0], 3) }, y: Int32Array.from({ length: batch }, (_, i) => i % 10) },
})
const WORKLOADS = [
  ['W2', mlp([784, 256, 256, 256, 256, 10], 64), 40],
  ['W3', mlp([64, ...Array(20).fill(64), 10], 32), 100],
  ['W4', { net: (L) => L.serial(L.lstm(128), L.dense(1)), input: [100, 2], loss: 'mse', batch: { x: { shape: [32, 100, 2], data: rand(32 * 100 * 2, 1) }, y: { shape: [32, 1], data: rand(32, 2) } } }, 6],
]
const only = args.flatMap((a, i) => (args[i - 1] === '--only' ? [a] : []))
const ROUNDS = Number(args.flatMap((a, i) => (args[i - 1] === '--rounds' ? [a] : []))[0] ?? 15)
if (which === 'steps' || which === 'all') {
  for (const [name, w, n] of WORKLOADS.filter(([name]) => only.length === 0 || only.includes(name))) {
    const steps = variants.map((v) => stepper(v.G, w))
    steps.forEach((f) => { for (let i = 0; i < 10; i++) f() })
    const rounds = variants.map(() => [])
    for (let r = 0; r < ROUNDS; r++)
      steps.forEach((f, i) => {
        const ts = []
        for (let j = 0; j < n; j++) {
          const t0 = performance.now()
          f()
          ts.push(performance.now() - t0)
        }
        rounds[i].push(median(ts))
      })
    variants.forEach((v, i) => console.log(`${name} ${label(v)}: ${median(rounds[i]).toFixed(3)} ms median of ${ROUNDS} rounds (each the median of ${n} steps), min ${Math.min(...rounds[i]).toFixed(3)}`))
  }
}
