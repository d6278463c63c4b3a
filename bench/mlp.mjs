// Training-step workloads (W2, W3 of issue 3): one full step — forward,
// backward, SGD update — of an MLP with tanh units and softmax cross-entropy.
// gradtrace runs Train.step from the built bundle (dist/index.js) at trace
// levels 'off' and 'norms' (the trace overhead); TensorFlow.js 4.22 runs
// optimizer.minimize inside tidy on its wasm and cpu backends.
// 'copy only' does the copies a step makes between JS values and Wasm memory
// when the state is resident (the batch in, the new parameters out) without
// any kernel: the copy share of a step is its time over the step's.
import * as E from 'fp-ts/lib/Either.js'
import { backendOf, rand, quiet } from './peers.mjs'

const root = new URL('../', import.meta.url)
const G = await import(new URL('dist/index.js', root).href)

const labels = (n, classes, seed) => Int32Array.from(rand(n, seed), (v) => Math.floor((v + 1) * 0.5 * classes) % classes)

const shapes = (input, hidden, depth, out) => [input, ...Array(depth).fill(hidden), out]
const flopsOf = (dims, batch) => dims.slice(1).reduce((s, d, i) => s + 6 * batch * dims[i] * d, 0) // fwd 2, bwd 4 per MAC

const gradtrace = (dims, batch, level) => async () => {
  const { Layer, Model, Optim, Train, Key } = G
  const net = Layer.serial(...dims.slice(1, -1).map((d) => Layer.dense(d, { activation: 'tanh' })), Layer.dense(dims[dims.length - 1]))
  const m = Model.compile(net, { input: [dims[0]], loss: 'softmaxCrossEntropy', trace: level })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const opt = Optim.sgd(0.01)
  const s0 = Train.init(m.right, opt, Key.key(0))
  if (E.isLeft(s0)) throw new Error(JSON.stringify(s0.left))
  const batchV = { x: { shape: [batch, dims[0]], data: rand(batch * dims[0], 3) }, y: labels(batch, dims[dims.length - 1], 4) }
  const step = Train.step(m.right, opt)
  let state = s0.right
  return {
    run: () => {
      const r = step(state, batchV)
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      state = r.right[0]
    },
    note: `trace '${level}'`,
  }
}

const copyOnly = (dims, batch) => async () => {
  const sizes = dims.slice(1).flatMap((d, i) => [dims[i] * d, d])
  const params = sizes.map((n, i) => rand(n, 10 + i))
  const total = sizes.reduce((a, b) => a + b, 0)
  const mem = new WebAssembly.Memory({ initial: Math.ceil(((total * 2 + batch * (dims[0] + 1)) * 4) / 65536) + 1 })
  const x = rand(batch * dims[0], 3)
  const y = labels(batch, dims[dims.length - 1], 4)
  return {
    run: () => {
      // a step on resident state copies the batch in and the new parameters out
      const at = total * 4
      new Float32Array(mem.buffer, at, x.length).set(x)
      new Int32Array(mem.buffer, at + x.length * 4, y.length).set(y)
      const out = new Float32Array(mem.buffer.slice(0, total * 4)) // as src/wasm/Workspace.ts reads
      if (out.length !== total) throw new Error('copy')
    },
    note: 'the copies of one SGD step on resident state (batch in, parameters out), no kernels',
  }
}


const tfjs = (backend, dims, batch, maxReps) => async () => {
  const tf = await backendOf(backend)
  const model = quiet(() => {
    const mdl = tf.sequential()
    dims.slice(1).forEach((d, i) =>
      mdl.add(tf.layers.dense({ units: d, inputShape: i === 0 ? [dims[0]] : undefined, activation: i === dims.length - 2 ? 'linear' : 'tanh' })),
    )
    return mdl
  })
  const x = tf.tensor2d(rand(batch * dims[0], 3), [batch, dims[0]])
  const y = tf.oneHot(tf.tensor1d(labels(batch, dims[dims.length - 1], 4), 'int32'), dims[dims.length - 1])
  const opt = tf.train.sgd(0.01)
  return {
    enter: () => tf.setBackend(backend),
    run: () => {
      const cost = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true)
      cost.dataSync()
      cost.dispose()
    },
    teardown: () => {
      x.dispose()
      y.dispose()
    },
    maxReps,
    note: maxReps ? `${maxReps} reps: slow` : undefined,
  }
}

const workload = (name, dims, batch, note) => ({
  name,
  flops: flopsOf(dims, batch),
  note,
  systems: {
    gradtrace: gradtrace(dims, batch, 'off'),
    'gradtrace (trace norms)': gradtrace(dims, batch, 'norms'),
    'copy only': copyOnly(dims, batch),
    'tfjs-wasm': tfjs('wasm', dims, batch),
    'tfjs-cpu': tfjs('cpu', dims, batch, 5),
  },
})

export const workloads = [
  workload('W2 mlp step 784-256x4-10 tanh b64', shapes(784, 256, 4, 10), 64, 'one SGD step: forward, backward, update; softmax cross-entropy'),
  workload('W3 mlp step 64-64x20-10 tanh b32', shapes(64, 64, 20, 10), 32, 'one SGD step of a deep narrow net'),
]
