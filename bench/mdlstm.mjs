// #13: one SGD training step of a 2-D layer. The configuration: MD-LSTM over a
// 28 x 28 image in 4 x 4 blocks (a 7 x 7 grid of 16 inputs), hidden 16, four
// scan directions summed, each scan's last state, dense(10), softmax
// cross-entropy, batch 16; and a single-direction 8 x 8 MD-LSTM and 2-D tanh
// RNN (E18's size). Medians of timed runs after warm-up, trace level 'norms'.
// The peer: the same MD-LSTM step written with TensorFlow.js 4.22 ops (wasm
// backend, then cpu), position by position over the 7 x 7 grid and the four
// directions (tf.variableGrads of the loss, SGD applied), in a tidy.
// gradtrace is bundled from src/ with esbuild (the .wasm inlined), so this
// measures the working tree.
//   node bench/mdlstm.mjs
import { mkdirSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { backendOf, quiet } from './peers.mjs'

const root = new URL('../', import.meta.url)
const out = fileURLToPath(new URL('build/bench/gradtrace-mdlstm.mjs', root))
mkdirSync(fileURLToPath(new URL('build/bench/', root)), { recursive: true })
await build({ entryPoints: [fileURLToPath(new URL('src/entries/index.ts', root))], outfile: out, bundle: true, platform: 'neutral', mainFields: ['module', 'main'], format: 'esm', loader: { '.wasm': 'base64' }, target: 'es2022', logLevel: 'warning' })
const { Layer, Model, Optim, Train, Key } = await import(pathToFileURL(out).href)

const time = (reps, f) => {
  for (let i = 0; i < 3; i++) f()
  return median(Array.from({ length: reps }, () => { const t0 = performance.now(); f(); return performance.now() - t0 }))
}
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

// The same computation in TensorFlow.js ops: blocks as inputs, gates i, f2, g, o, f1, c = f2 c(i,j-1) + i g + f1 c(i-1,j).
const tfStep = async (backend, G = 7, blk = 4, H = 16, B = 16, reps = 5) => {
  const tf = await backendOf(backend)
  await tf.setBackend(backend)
  const Fb = blk * blk
  const x = Float32Array.from({ length: B * 28 * 28 }, (_, i) => (Math.sin(i * 12.9898) + 1) / 2)
  // (B, 28, 28) -> blocks (B, G, G, Fb)
  const xb = tf.tensor4d(x, [B, G, blk, G * blk]).reshape([B, G, blk, G, blk]).transpose([0, 1, 3, 2, 4]).reshape([B, G, G, Fb])
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: B }, (_, b) => b % 10), 'int32'), 10).toFloat()
  const v = (shape) => tf.variable(tf.randomNormal(shape, 0, 0.1))
  const dirs = [0, 1, 2, 3].map(() => ({ Wx: v([Fb, 5 * H]), W1: v([H, 5 * H]), W2: v([H, 5 * H]), b: v([5 * H]) }))
  const Wo = v([H, 10]), bo = v([10])
  const zero = tf.zeros([B, H])
  const scan = (d, flip) => {
    const h = [], c = []
    for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) {
      const ii = flip & 1 ? G - 1 - i : i, jj = flip & 2 ? G - 1 - j : j
      const xin = xb.slice([0, ii, jj, 0], [B, 1, 1, Fb]).reshape([B, Fb])
      const hU = i > 0 ? h[(i - 1) * G + j] : zero, hL = j > 0 ? h[i * G + j - 1] : zero
      const cU = i > 0 ? c[(i - 1) * G + j] : zero, cL = j > 0 ? c[i * G + j - 1] : zero
      const z = xin.matMul(d.Wx).add(hU.matMul(d.W1)).add(hL.matMul(d.W2)).add(d.b)
      const [zi, zf2, zg, zo, zf1] = tf.split(z, 5, 1)
      const cn = tf.sigmoid(zf2).mul(cL).add(tf.sigmoid(zi).mul(tf.tanh(zg))).add(tf.sigmoid(zf1).mul(cU))
      c.push(cn)
      h.push(tf.sigmoid(zo).mul(tf.tanh(cn)))
    }
    return h[G * G - 1]
  }
  const opt = tf.train.sgd(0.01)
  const run = () => {
    const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, dirs.map((d, k) => scan(d, k)).reduce((a, b) => a.add(b)).matMul(Wo).add(bo)), true)
    cost.dataSync()
    cost.dispose()
  }
  return time(reps, () => quiet(run))
}

for (const backend of ['wasm', 'cpu']) {
  try {
    console.log(`tfjs-${backend} ops, the same MD-LSTM step (28x28, 4x4 blocks, H 16, 4 directions, B 16): ${(await tfStep(backend)).toFixed(1)} ms a step`)
  } catch (e) {
    console.log(`tfjs-${backend}: ${e.message}`)
  }
}
