/**
 * A 1 x T grid is a sequence of T steps (#13 part 2): the 2-D layers there
 * compute what the 1-D layers compute, bit for bit, with the 1-D weights in
 * the j dimension (Wh2, f2) and anything in the i dimension (Wh1, f1 multiply
 * states that are zero on a one-row grid). The loss and every shared
 * parameter's gradient are compared as bits; so is ||dL/dh_t|| in the trace.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { serial } from '../../src/combinator/serial'
import * as Key from '../../src/core/Key'
import type { Param } from '../../src/core/Params'
import { dense } from '../../src/layer/dense'
import type { LayerSpec } from '../../src/layer/Layer'
import { lstm, rnn } from '../../src/layer/recurrent/index'
import { mdlstm, rnn2d } from '../../src/layer/recurrent2d/index'
import * as Model from '../../src/model/compile'

type P = Param

const run = (net: LayerSpec, input: ReadonlyArray<number>, params: ReadonlyArray<P>, x: Float32Array, y: Float32Array, B: number) => {
  const m = Model.compile(net, { input, loss: 'mse', trace: 'norms' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const r = m.right.valueAndGrad(params, { x: { shape: [B, ...input], data: x }, y: { shape: [B, y.length / B], data: y } })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

/** The 2-D layer's parameters from the 1-D layer's: each 1-D gate block in its slot, the extra gate and Wh1 random. */
const widen = (one: ReadonlyArray<P>, two: ReadonlyArray<P>, u: () => number): P[] =>
  two.map((p) => {
    if (p.path.startsWith('serial/1/')) return { ...p, data: Float32Array.from(one.find((q) => q.path === p.path)!.data) }
    const name = p.path.split('/').slice(3).join('/')
    const from = (n: string) => one.find((q) => q.path.endsWith(`/${n}`))!.data
    if (name === 'Wx' || name === 'Wh2') {
      const src = from(name === 'Wx' ? 'Wx' : 'Wh'), rows = p.shape[0]!, cols = p.shape[1]!, c1 = src.length / rows
      return { ...p, data: Float32Array.from({ length: rows * cols }, (_, k) => ((k % cols) < c1 ? src[Math.floor(k / cols) * c1 + (k % cols)]! : u() - 0.5)) }
    }
    const map: Record<string, string> = { bf2: 'bf', bi: 'bi', bg: 'bg', bo: 'bo', b: 'b' }
    const same = map[name]
    return same ? { ...p, data: Float32Array.from(from(same)) } : { ...p, data: Float32Array.from(p.data, () => u() - 0.5) }
  })

const bits = (a: ArrayLike<number>) => Array.from(new Uint32Array(Float32Array.from(a as ArrayLike<number>).buffer))

const rng = (seed: number) => {
  let a = seed >>> 0
  return () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0) / 4294967296)
}

const compare = (kind: 'lstm' | 'rnn', T: number, F: number, H: number, B: number, seed: number) => {
  const u = rng(seed)
  const one = serial(kind === 'lstm' ? lstm(H) : rnn(H), dense(2))
  const two = serial(kind === 'lstm' ? mdlstm(H, { output: 'last' }) : rnn2d(H, { output: 'last' }), dense(2))
  const m1 = Model.compile(one, { input: [T, F], loss: 'mse' }), m2 = Model.compile(two, { input: [1, T, F], loss: 'mse' })
  if (E.isLeft(m1) || E.isLeft(m2)) throw new Error('compile')
  const p1 = m1.right.init(Key.key(seed)).map((p) => ({ ...p, data: Float32Array.from(p.data, () => (u() - 0.5) * 1.5) }))
  const p2 = widen(p1, m2.right.init(Key.key(seed)), u)
  const x = new Float32Array(B * T * F).map(() => u() * 2 - 1), y = new Float32Array(B * 2).map(() => u() - 0.5)
  const r1 = run(one, [T, F], p1, x, y, B), r2 = run(two, [1, T, F], p2, x, y, B)
  expect(bits([r2.loss]), 'loss').toEqual(bits([r1.loss]))
  const g2 = (n: string) => r2.grads[m2.right.params.findIndex((p) => p.path.endsWith(n))]!.data
  for (const [i, p] of m1.right.params.entries()) {
    const n = p.path.split('/').slice(3).join('/')
    const g1 = r1.grads[i]!.data
    if (n === 'Wx' || n === 'Wh') {
      const w = g2(n === 'Wx' ? '/Wx' : '/Wh2'), cols = w.length / p.shape[0]!, c1 = g1.length / p.shape[0]!
      expect(bits(Array.from(g1, (_, k) => w[Math.floor(k / c1) * cols + (k % c1)]!)), p.path).toEqual(bits(g1))
    } else if (p.path.startsWith('serial/1/')) expect(bits(r2.grads[m2.right.params.findIndex((q) => q.path === p.path)]!.data), p.path).toEqual(bits(g1))
    else expect(bits(g2(`/${n === 'bf' ? 'bf2' : n}`)), p.path).toEqual(bits(g1))
  }
  expect(r2.trace.layers[0]!.time!.gradH).toEqual(r1.trace.layers[0]!.time!.gradH)
}

describe('a 1 x T grid is the 1-D layer, bit for bit', () => {
  it('MD-LSTM = LSTM (forget gate), random sizes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (T, F, H, B, s) => compare('lstm', T, F, H, B, s)), { numRuns: 25 })
  })
  it('2-D tanh RNN = RNN, random sizes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 4 }), fc.nat(), (T, F, H, B, s) => compare('rnn', T, F, H, B, s)), { numRuns: 25 })
  })
})
