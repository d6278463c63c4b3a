// Trains in a Web Worker and posts every traced step to the page.
// A deep tanh MLP (64-(32)x6-10) on synthetic data: watch dL/dz per layer.
import * as G from '../../dist/index.js'

const { Err, Key, Layer, Model, Optim, Tensor, Train } = G
const IN = 64, CLASSES = 10, ROWS = 512, BATCH = 64

// synthetic data: xorshift inputs in [-1, 1), labels from a fixed projection
const data = () => {
  let s = 0x2545f491
  const next = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s }
  const x = new Float32Array(ROWS * IN)
  for (let i = 0; i < x.length; i++) x[i] = ((next() >>> 8) - 8388608) / 8388608
  const w = Array.from({ length: IN * CLASSES }, () => (next() % 7) - 3)
  const y = new Int32Array(ROWS)
  for (let r = 0; r < ROWS; r++) {
    let best = 0, bestV = -Infinity
    for (let c = 0; c < CLASSES; c++) {
      let v = 0
      for (let j = 0; j < IN; j++) v += x[r * IN + j] * w[j * CLASSES + c]
      if (v > bestV) { bestV = v; best = c }
    }
    y[r] = best
  }
  return { x: Tensor.unsafeTensor([ROWS, IN], x), y }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

self.onmessage = async (ev) => {
  const { steps = 300, every = 5, pauseMs = 15 } = ev.data ?? {}
  const fail = (e) => self.postMessage({ type: 'error', message: typeof e === 'string' ? e : Err.show(e) })
  // compiles the inlined ~120 KB module (no module needs passing in a browser)
  const rt = await G.Wasm.load()
  if (rt._tag === 'Left') return fail(rt.left)
  const net = Layer.serial(...Array.from({ length: 6 }, () => Layer.dense(32, { activation: 'tanh' })), Layer.dense(CLASSES))
  const model = Model.compile(net, { input: [IN], loss: 'softmaxCrossEntropy', runtime: rt.right })
  if (model._tag === 'Left') return fail(model.left)
  const opt = Optim.chain(Optim.clipByGlobalNorm(5), Optim.adam(3e-3))
  const s0 = Train.init(model.right, opt, Key.key(7))
  if (s0._tag === 'Left') return fail(s0.left)
  const epochs = Math.ceil((steps * BATCH) / ROWS)
  for await (const p of Train.fit(model.right, opt, s0.right, data(), { epochs, batchSize: BATCH, every })) {
    if (p.error) return fail(p.error)
    self.postMessage({ type: 'step', step: p.step, loss: p.loss, trace: p.trace })
    if (p.step >= steps) break
    await sleep(pauseMs) // let the page draw: the steps themselves take about a millisecond
  }
  self.postMessage({ type: 'done' })
}
