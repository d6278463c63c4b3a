// 10 — your own optimizer, through the interface the built-in ones use: Lion
// (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"), with
// decoupled weight decay:
//   c = b1 m + (1 - b1) g;   p = p - lr (sign(c) + wd p);   m = b2 m + (1 - b2) g
// A transformation is data ({ kind: 'lion', lr, b1, b2, wd }); its kind is a
// record of pure functions: the state it keeps per parameter (init), the ops
// it emits (update, from the same Ops the layers use), and the numbers those
// ops read at each call (settings) — so a learning-rate schedule reuses one
// plan. compile takes the kind in `kinds`, beside user layer kinds; the
// codecs decode it by name. (test/optim/lion.test.ts checks it against a
// float64 reference, step by step.)
// Run: node scripts/run-example.mjs examples/10-lion.ts
// Expected: the loss falls from ~0.5 to ~0.02 in 300 Lion steps; the
// optimizer's JSON decodes back to the same value.
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { Codec, Err, Key, Layer, Model, Ops, Optim, Train } from '../src/entries/index'

const Spec = t.type({ kind: t.literal('lion'), lr: Optim.ScheduleCodec, b1: t.number, b2: t.number, wd: t.number })
type Spec = t.TypeOf<typeof Spec>

/** Lion with the paper's defaults (b1 0.9, b2 0.99). */
export const lionOf = (lr: Optim.Schedule, b1 = 0.9, b2 = 0.99, wd = 0): Spec => ({ kind: 'lion', lr, b1, b2, wd })

export const lion: Optim.TransformKind<Spec> = {
  _tag: 'transform',
  kind: 'lion',
  codec: Spec,
  defaults: { b1: 0.9, b2: 0.99, wd: 0 },
  init: () => ['m'], // one state slot per parameter: the moment m
  check: (s) => (s.b1 >= 0 && s.b1 < 1 && s.b2 >= 0 && s.b2 < 1 && s.wd >= 0 ? null : 'b1, b2 must be in [0, 1), wd >= 0'),
  // what the ops read at each call, by index: 0 b1, 1 1-b1, 2 b2, 3 1-b2, 4 wd, 5 -lr
  settings: (s, step) => [s.b1, 1 - s.b1, s.b2, 1 - s.b2, s.wd, -Optim.rateAt(s.lr, step)],
  rate: (s, step) => Optim.rateAt(s.lr, step),
  update: ({ params, setting, scratch }) => {
    const c = scratch('c', Math.max(...params.map((q) => q.n))) // the interpolation, one buffer for every parameter in turn
    return params.flatMap(({ p, u, n, state: [m = u] }) => [
      // u holds the gradient g
      Ops.copy(c, m, n),
      Ops.scale(c, c, n, setting(0)), // c = b1 m
      Ops.axpy(c, u, n, setting(1)), // c = b1 m + (1 - b1) g
      Ops.scale(m, m, n, setting(2)), // m = b2 m
      Ops.axpy(m, u, n, setting(3)), // m = b2 m + (1 - b2) g
      Ops.sign(u, c, n), // u = sign(c)
      Ops.axpy(u, p, n, setting(4)), // u = sign(c) + wd p
      Ops.scale(u, u, n, setting(5)), // u = -lr (sign(c) + wd p): the step adds it to p
    ])
  },
}

export function main(): number {
  const net = Layer.serial(Layer.dense(16, { activation: 'tanh' }), Layer.dense(1))
  const model = Model.compile(net, { input: [4], loss: 'mse', kinds: [lion] })
  if (E.isLeft(model)) throw new Error(Err.show(model.left))
  const opt = lionOf(Optim.cosine(3e-3, 300), 0.9, 0.99, 0.01)
  const s0 = Train.init(model.right, opt, Key.key(0))
  if (E.isLeft(s0)) throw new Error(Err.show(s0.left))
  const x = Float32Array.from({ length: 64 * 4 }, (_, i) => Math.sin(0.37 * i))
  const y = Float32Array.from({ length: 64 }, (_, i) => x[4 * i]! * x[4 * i + 1]! - 0.5 * x[4 * i + 2]!)
  const batch = { x: { shape: [64, 4], data: x }, y: { shape: [64, 1], data: y } }
  const step = Train.step(model.right, opt)
  let s = s0.right
  let loss = NaN
  for (let i = 1; i <= 300; i++) {
    const r = step(s, batch)
    if (E.isLeft(r)) throw new Error(Err.show(r.left))
    ;[s] = r.right
    loss = r.right[1].loss
    if (i === 1 || i % 100 === 0) console.log(`step ${i}: loss ${loss.toFixed(4)}, lr ${r.right[1].lr?.toExponential(2)}`)
  }
  // the optimizer is data: it saves as JSON and decodes by its kind's codec (the defaults fill what a file leaves out)
  const back = Codec.decodeOptimizer('{"kind":"lion","lr":0.003}', [lion])
  if (E.isLeft(back)) throw new Error(Err.show(back.left))
  console.log(`decoded: ${JSON.stringify(back.right)}; the same as lionOf(0.003): ${JSON.stringify(back.right) === JSON.stringify(lionOf(0.003))}`)
  return loss
}
