// The shared deterministic scenario for the runtime tests (plain JS, no Node
// APIs: it runs as is in Node, Chromium, workerd, Deno and Bun).
//
// A 64-32-10 tanh MLP on synthetic data made with integer arithmetic only (no
// Math.random, no transcendental functions, so the data are the same bits in
// every engine), 50 Adam steps (with global-norm clipping) from Key.key(42),
// full batches of 64 rows cycling over 256. Returns what must be bit-identical
// everywhere: the last loss's float64 bit pattern, Params.hash, and the last
// step's trace summary (gradNorm and every layer's gradOut l2, as float64 bits).
//
//   import { runScenario } from './scenario.mjs'
//   const r = await runScenario('../../dist/index.js')      // a specifier or URL
//   const r = await runScenario(G, { runtime })             // or the namespace itself

export const STEPS = 50
export const ROWS = 256
export const BATCH = 64
export const IN = 64
export const HIDDEN = 32
export const CLASSES = 10

/** float64 bit pattern as 16 hex digits (big-endian). */
export const f64hex = (x) => {
  const dv = new DataView(new ArrayBuffer(8))
  dv.setFloat64(0, x)
  return dv.getUint32(0).toString(16).padStart(8, '0') + dv.getUint32(4).toString(16).padStart(8, '0')
}

/** Synthetic data: x uniform in [-1, 1) from a 32-bit xorshift (exact in float32), y = a fixed integer projection's argmax. */
export const syntheticData = (rows = ROWS) => {
  let s = 0x9e3779b9 >>> 0
  const next = () => {
    s ^= s << 13; s >>>= 0
    s ^= s >>> 17
    s ^= s << 5; s >>>= 0
    return s
  }
  const x = new Float32Array(rows * IN)
  for (let i = 0; i < x.length; i++) x[i] = ((next() >>> 8) - 8388608) / 8388608 // k / 2^23: exact
  const w = new Int32Array(IN * CLASSES)
  for (let i = 0; i < w.length; i++) w[i] = (next() % 7) - 3
  const y = new Int32Array(rows)
  for (let r = 0; r < rows; r++) {
    let best = 0, bestV = -Infinity
    for (let c = 0; c < CLASSES; c++) {
      let v = 0
      for (let j = 0; j < IN; j++) v += x[r * IN + j] * w[j * CLASSES + c] // sums of k/2^23 * small ints: exact in float64
      if (v > bestV) { bestV = v; best = c }
    }
    y[r] = best
  }
  return { x, y }
}

const unwrap = (G, e, what) => {
  if (e._tag === 'Left') throw new Error(`${what}: ${G.Err && G.Err.show ? G.Err.show(e.left) : JSON.stringify(e.left)}`)
  return e.right
}

/**
 * Runs the scenario. `pkg` is the gradtrace namespace or a specifier/URL to import.
 * `opts.runtime` (a Wasm runtime, e.g. from Wasm.load({ wasm: module })) is passed to Model.compile.
 */
export async function runScenario(pkg, opts = {}) {
  const G = typeof pkg === 'string' ? await import(pkg) : pkg
  const { Key, Layer, Model, Optim, Params, Tensor, Train } = G
  const net = Layer.serial(Layer.dense(HIDDEN, { activation: 'tanh' }), Layer.dense(CLASSES))
  const model = unwrap(G, Model.compile(net, { input: [IN], loss: 'softmaxCrossEntropy', ...(opts.runtime ? { runtime: opts.runtime } : {}) }), 'compile')
  const opt = Optim.chain(Optim.clipByGlobalNorm(5), Optim.adam(1e-2))
  let state = unwrap(G, Train.init(model, opt, Key.key(42)), 'init')
  const { x, y } = syntheticData()
  const batches = []
  for (let b = 0; b < ROWS / BATCH; b++) {
    batches.push({ x: Tensor.unsafeTensor([BATCH, IN], x.slice(b * BATCH * IN, (b + 1) * BATCH * IN)), y: y.slice(b * BATCH, (b + 1) * BATCH) })
  }
  const step = Train.step(model, opt)
  const steps = opts.steps ?? STEPS
  let trace
  const losses = []
  for (let i = 0; i < steps; i++) {
    const r = unwrap(G, step(state, batches[i % batches.length]), `step ${i + 1}`)
    state = r[0]
    trace = r[1]
    losses.push(trace.loss)
    if (opts.onStep) await opts.onStep(trace, i)
  }
  return {
    steps,
    loss: trace.loss,
    lossBits: f64hex(trace.loss),
    firstLossBits: f64hex(losses[0]),
    paramsHash: Params.hash(state.params),
    trace: {
      gradNorm: f64hex(trace.gradNorm),
      layers: trace.layers.map((l) => ({ path: l.path, gradOutL2: f64hex(l.gradOut.l2), gradPreL2: f64hex(l.gradPre.l2) })),
    },
  }
}

/** The fields compared across runtimes (everything but the human-readable loss). */
export const comparable = (r) => ({ lossBits: r.lossBits, firstLossBits: r.firstLossBits, paramsHash: r.paramsHash, trace: r.trace })
