/**
 * Random 2-D nets for the gradient and trace checks (#13): a per-pixel dense
 * layer, the 2-D layer (random grid, blocks, directions, combination,
 * output), dense(2) after a last-state output; their f64 reference gradients.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { serial } from '../../src/combinator/serial'
import * as Key from '../../src/core/Key'
import { dense } from '../../src/layer/dense'
import type { LayerSpec } from '../../src/layer/Layer'
import { mdlstm, rnn2d } from '../../src/layer/recurrent2d/index'
import * as Model from '../../src/model/compile'
import { forward, mse, type Net2d } from './reference'
import { backward } from './referenceBwd'

export const rng = (seed: number) => {
  let a = seed >>> 0
  return () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296)
}

const FLIPS: Record<number, ReadonlyArray<number>> = { 1: [0], 2: [0, 3], 4: [0, 1, 2, 3] }

/** A random net: its reference description, its spec (dense(F) per pixel, the 2-D layer, dense(O) with 'last'), input F0. */
export const arb = fc.record({
  kind: fc.constantFrom<'rnn2d' | 'mdlstm'>('rnn2d', 'mdlstm'),
  I: fc.integer({ min: 1, max: 4 }),
  J: fc.integer({ min: 1, max: 4 }),
  bi: fc.integer({ min: 1, max: 2 }),
  bj: fc.integer({ min: 1, max: 2 }),
  F: fc.integer({ min: 1, max: 3 }),
  H: fc.integer({ min: 1, max: 6 }),
  dirs: fc.constantFrom<1 | 2 | 4>(1, 2, 4),
  concat: fc.boolean(),
  last: fc.boolean(),
  B: fc.integer({ min: 1, max: 3 }),
  seed: fc.nat(),
})
export type Case = typeof arb extends fc.Arbitrary<infer A> ? A : never

const netOf = (c: Case): Net2d => ({ kind: c.kind, R: c.I * c.bi, C: c.J * c.bj, F: c.F, bi: c.bi, bj: c.bj, H: c.H, flips: FLIPS[c.dirs]!, concat: c.concat, last: c.last, O: 2 })
const specOf = (c: Case): LayerSpec => {
  const opts = { block: [c.bi, c.bj] as [number, number], directions: c.dirs, combine: c.concat ? ('concat' as const) : ('sum' as const), output: c.last ? ('last' as const) : ('grid' as const) }
  const layer = c.kind === 'mdlstm' ? mdlstm(c.H, opts) : rnn2d(c.H, opts)
  return c.last ? serial(dense(c.F), layer, dense(2)) : serial(dense(c.F), layer)
}

/** The per-pixel dense layer u = x W0 + b0, in f64. */
const pre = (x: Float64Array, W0: Float64Array, b0: Float64Array, F0: number, F: number) =>
  Float64Array.from({ length: (x.length / F0) * F }, (_, k) => {
    const px = Math.floor(k / F), q = k % F
    let s = b0[q]!
    for (let r = 0; r < F0; r++) s += x[px * F0 + r]! * W0[r * F + q]!
    return s
  })

export const F0 = 2

export const setup = (c: Case) => {
  const n = netOf(c), u = rng(c.seed)
  const m = Model.compile(specOf(c), { input: [n.R, n.C, F0], loss: 'mse', trace: 'norms' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const params = m.right.init(Key.key(c.seed)).map((p) => ({ ...p, data: Float32Array.from(p.data, () => (u() - 0.5) * 1.2) }))
  const x = new Float32Array(c.B * n.R * n.C * F0).map(() => u() * 2 - 1)
  const yLen = c.B * (c.last ? 2 : n.R / n.bi * (n.C / n.bj) * (c.concat ? c.dirs * c.H : c.H))
  const target = new Float32Array(yLen).map(() => u() - 0.5)
  const p64 = params.map((p) => Float64Array.from(p.data))
  return { n, m: m.right, params, x, target, p64, x64: Float64Array.from(x) }
}

/** The whole net's f64 gradients: the reference's, and the per-pixel dense layer's from the reference's dL/du. */
export const refGrads = (s: ReturnType<typeof setup>, B: number) => {
  const [W0, b0, ...P] = s.p64
  const u = pre(s.x64, W0!, b0!, F0, s.n.F)
  const r = backward(s.n, P, u, B, s.target)
  const gW0 = new Float64Array(W0!.length), gb0 = new Float64Array(b0!.length)
  for (let px = 0; px < u.length / s.n.F; px++)
    for (let q = 0; q < s.n.F; q++) {
      const d = r.dx[px * s.n.F + q]!
      gb0[q] = gb0[q]! + d
      for (let k = 0; k < F0; k++) gW0[k * s.n.F + q] = gW0[k * s.n.F + q]! + s.x64[px * F0 + k]! * d
    }
  return { ...r, grads: [gW0, gb0, ...r.grads] }
}

export const lossOf = (s: ReturnType<typeof setup>, p64: ReadonlyArray<Float64Array>, B: number) => {
  const [W0, b0, ...P] = p64
  return mse(forward(s.n, P, pre(s.x64, W0!, b0!, F0, s.n.F), B).out, s.target)
}

