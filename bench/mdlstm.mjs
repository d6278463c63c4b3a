// #13: one SGD training step of a 2-D layer, gradtrace alone (the part
// 6 tfjs peer is not written yet). The configuration: MD-LSTM over a
// 28 x 28 image in 4 x 4 blocks (a 7 x 7 grid of 16 inputs), hidden 16, four
// scan directions summed, each scan's last state, dense(10), softmax
// cross-entropy, batch 16; and a single-direction 8 x 8 MD-LSTM and 2-D tanh
// RNN (E18's size). Medians of timed runs after warm-up, trace level 'norms'.
// gradtrace is bundled from src/ with esbuild (the .wasm inlined), so this
// measures the working tree.
//   node bench/mdlstm.mjs
import { mkdirSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = new URL('../', import.meta.url)
const out = fileURLToPath(new URL('build/bench/gradtrace-mdlstm.mjs', root))
mkdirSync(fileURLToPath(new URL('build/bench/', root)), { recursive: true })
await build({ entryPoints: [fileURLToPath(new URL('src/entries/index.ts', root))], outfile: out, bundle: true, platform: 'neutral', mainFields: ['module', 'main'], format: 'esm', loader: { '.wasm': 'base64' }, target: 'es2022', logLevel: 'warning' })
const { Layer, Model, Optim, Train, Key } = await import(pathToFileURL(out).href)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const step = (name, layer, side, B, reps = 30) => {
  const m = Model.compile(Layer.serial(layer, Layer.dense(10)), { input: [side, side, 1], loss: 'softmaxCrossEntropy', trace: 'norms' })
  if (m._tag === 'Left') throw new Error(JSON.stringify(m.left))
  const opt = Optim.sgd(0.01)
  const s0 = Train.init(m.right, opt, Key.key(0)).right
  const x = Float32Array.from({ length: B * side * side }, (_, i) => (Math.sin(i * 12.9898) + 1) / 2)
  const y = Float32Array.from({ length: B * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0))
  const run = Train.step(m.right, opt)
  const batch = { x: { shape: [B, side, side, 1], data: x }, y: { shape: [B, 10], data: y } }
  for (let i = 0; i < 5; i++) run(s0, batch)
  const ms = Array.from({ length: reps }, () => {
    const t0 = performance.now()
    const r = run(s0, batch)
    if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
    return performance.now() - t0
  })
  console.log(`${name}: ${median(ms).toFixed(2)} ms a step (median of ${reps})`)
}

console.log(`${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`)
step('mdlstm 28x28, 4x4 blocks, H 16, 4 directions, B 16', Layer.mdlstm(16, { block: [4, 4], directions: 4, output: 'last' }), 28, 16)
step('mdlstm 8x8, H 16, 1 direction, B 16', Layer.mdlstm(16, { output: 'last' }), 8, 16)
step('rnn2d 8x8, H 16, 1 direction, B 16', Layer.rnn2d(16, { output: 'last' }), 8, 16)
