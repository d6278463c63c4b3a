// W4 (#4): one full SGD training step of an LSTM (input 2, hidden 128, 100
// time steps, batch 32, loss at the last step: dense(1) + MSE), gradtrace
// against TensorFlow.js 4.22 (wasm and cpu backends), each with
// `tf.layers.lstm` (recurrentActivation 'sigmoid') and with the cell written
// in tfjs-core ops; both tfjs forms train with optimizer.minimize (sync, in a
// tidy). gradtrace runs `Train.step` (params copied in and out, as the API
// does) at trace level 'off' and 'norms' (the per-time-step trace cost).
// gradtrace is bundled from src/ with esbuild into build/bench/ (the .wasm
// inlined, as in the package), so the bench measures the working tree.
//   node --expose-gc bench/run.mjs --filter W4
import { mkdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { rand, quiet, backendOf } from './peers.mjs'

const T = 100, B = 32, F = 2, H = 128, LR = 0.01
const root = new URL('../', import.meta.url)

const X = rand(B * T * F, 1)
const Y = rand(B, 2)

let gt
const loadGradtrace = async () => {
  if (gt) return gt
  const out = fileURLToPath(new URL('build/bench/gradtrace.mjs', root))
  mkdirSync(fileURLToPath(new URL('build/bench/', root)), { recursive: true })
  await build({ entryPoints: [fileURLToPath(new URL('src/entries/index.ts', root))], outfile: out, bundle: true, platform: 'neutral', mainFields: ['module', 'main'], format: 'esm', loader: { '.wasm': 'base64' }, target: 'es2022', logLevel: 'warning' })
  gt = await import(pathToFileURL(out).href)
  return gt
}

const gradtrace = (trace) => async () => {
  const { Layer, Model, Optim, Train, Key } = await loadGradtrace()
  const m = Model.compile(Layer.serial(Layer.lstm(H), Layer.dense(1)), { input: [T, F], loss: 'mse', trace })
  if (m._tag === 'Left') throw new Error(JSON.stringify(m.left))
  const opt = Optim.sgd(LR)
  const s0 = Train.init(m.right, opt, Key.key(0)).right
  const batch = { x: { shape: [B, T, F], data: X }, y: { shape: [B, 1], data: Y } }
  const stepFn = Train.step(m.right, opt, { trace })
  return {
    run: () => {
      const r = stepFn(s0, batch)
      if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
    },
  }
}


const tfLayers = (backend, maxReps) => async () => {
  const tf = await backendOf(backend)
  const model = quiet(() => tf.sequential({ layers: [tf.layers.lstm({ units: H, inputShape: [T, F], recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 1 })] }))
  const x = tf.tensor3d(X, [B, T, F]), y = tf.tensor2d(Y, [B, 1])
  const opt = tf.train.sgd(LR)
  return {
    enter: () => tf.setBackend(backend),
    run: () => {
      const cost = opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x)), true)
      cost.dataSync()
      cost.dispose()
    },
    teardown: () => tf.dispose([x, y]),
    maxReps,
  }
}

const tfCore = (backend, maxReps) => async () => {
  const tf = await backendOf(backend)
  const v = (shape, seed, s) => tf.variable(tf.tensor(rand(shape.reduce((a, b) => a * b, 1), seed).map((u) => u * s), shape))
  const Wx = v([F, 4 * H], 3, 0.3), Wh = v([H, 4 * H], 4, 0.09), b = tf.variable(tf.zeros([4 * H])), Wd = v([H, 1], 5, 0.1), bd = tf.variable(tf.zeros([1]))
  const x = tf.tensor3d(X, [B, T, F]), y = tf.tensor2d(Y, [B, 1])
  const xs = tf.tidy(() => tf.unstack(x.transpose([1, 0, 2])).map((t) => tf.keep(t)))
  const opt = tf.train.sgd(LR)
  const loss = () => {
    let h = tf.zeros([B, H]), c = tf.zeros([B, H])
    for (let t = 0; t < T; t++) {
      const z = tf.add(tf.add(tf.matMul(xs[t], Wx), tf.matMul(h, Wh)), b)
      const [i, f, g, o] = tf.split(z, 4, 1)
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)))
      h = tf.mul(tf.sigmoid(o), tf.tanh(c))
    }
    return tf.losses.meanSquaredError(y, tf.add(tf.matMul(h, Wd), bd))
  }
  return {
    enter: () => tf.setBackend(backend),
    run: () => {
      const cost = opt.minimize(loss, true, [Wx, Wh, b, Wd, bd])
      cost.dataSync()
      cost.dispose()
    },
    teardown: () => tf.dispose([x, y, ...xs, Wx, Wh, b, Wd, bd]),
    maxReps,
  }
}

export const workloads = [
  {
    name: 'W4 lstm train step',
    note: `LSTM in ${F} hidden ${H}, T ${T}, batch ${B}, dense(1) + mse at the last step, SGD; one full step`,
    systems: {
      gradtrace: gradtrace('off'),
      'gradtrace (trace norms)': gradtrace('norms'),
      'tfjs-wasm layers.lstm': tfLayers('wasm'),
      'tfjs-wasm core ops': tfCore('wasm'),
      'tfjs-cpu layers.lstm': tfLayers('cpu', 3),
      'tfjs-cpu core ops': tfCore('cpu', 3),
    },
  },
]
