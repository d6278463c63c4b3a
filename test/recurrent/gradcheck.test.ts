/**
 * Backpropagation through time checked for every cell: the Wasm f32 gradient
 * of serial(cell, dense) with the MSE loss against central differences
 * (h = 1e-6) of the float64 reference (reference.ts), within 1e-3 of the
 * largest |g| of each tensor; with masks, truncation (BPTT(k) as frozen
 * states), every state out, and two stacked recurrent layers.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import { serial } from '../../src/combinator/serial'
import { dense } from '../../src/layer/dense'
import type { LayerSpec } from '../../src/layer/Layer'
import { gru, lstm, rnn } from '../../src/layer/recurrent/index'
import * as Model from '../../src/model/compile'
import { type Cell, forward, mse, type RefNet } from './reference'

const rng = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const specOf = (n: RefNet): LayerSpec => {
  const common = { returnSequences: n.seqOut, mask: n.mask, ...(n.truncate !== undefined ? { truncate: n.truncate } : {}) }
  const c = n.cell
  const layer = c.kind === 'rnn' ? rnn(n.H, { activation: c.act, ...common }) : c.kind === 'gru' ? gru(n.H, common) : lstm(n.H, { forgetGate: c.forget, peepholes: c.peep, ...common })
  return serial(layer, dense(n.O))
}

const check = (n: RefNet, seed: number) => {
  const B = 3
  const Fin = n.F + (n.mask ? 1 : 0)
  const u = rng(seed)
  const m = Model.compile(specOf(n), { input: [n.T, Fin], loss: 'mse', trace: 'norms' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const model = m.right
  const params = model.init(Key.key(seed)).map((p) => ({ ...p, data: Float32Array.from(p.data, () => (u() - 0.5) * 1.2) }))
  const x = new Float32Array(B * n.T * Fin).map(() => u() * 2 - 1)
  if (n.mask) {
    const lengths = [n.T, n.T - 2, 1]
    for (let b = 0; b < B; b++) for (let t = 0; t < n.T; t++) x[(b * n.T + t) * Fin + n.F] = t < lengths[b]! ? 1 : 0
  }
  const outRows = n.seqOut ? n.T : 1
  const target = new Float32Array(B * outRows * n.O).map(() => u() - 0.5)
  const yShape = n.seqOut ? [B, n.T, n.O] : [B, n.O]
  const r = model.valueAndGrad(params, { x: { shape: [B, n.T, Fin], data: x }, y: { shape: yShape, data: target } })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  const p64 = params.map((p) => Float64Array.from(p.data))
  const x64 = Float64Array.from(x)
  const base = forward(n, p64, x64, B)
  expect(Math.abs(r.right.loss - mse(base.y, target))).toBeLessThan(1e-5 * Math.max(1, r.right.loss))
  const frozen = { h: base.hs, c: base.cs }
  const h = 1e-6
  p64.forEach((p, i) => {
    const fd = new Float64Array(p.length)
    for (let j = 0; j < p.length; j++) {
      const v = p[j]!
      p[j] = v + h
      const lp = mse(forward(n, p64, x64, B, frozen).y, target)
      p[j] = v - h
      const lm = mse(forward(n, p64, x64, B, frozen).y, target)
      p[j] = v
      fd[j] = (lp - lm) / (2 * h)
    }
    const g = r.right.grads[i]!.data
    const scale = Math.max(...Array.from(fd, Math.abs), 1e-6)
    const worst = Math.max(...Array.from(fd, (f, j) => Math.abs(f - g[j]!)))
    expect(worst / scale, `${model.params[i]!.path}: max |g - fd| / max |fd|`).toBeLessThan(1e-3)
  })
  return r.right
}

const cells: ReadonlyArray<[string, Cell]> = [
  ['rnn tanh', { kind: 'rnn', act: 'tanh' }],
  ['rnn sigmoid', { kind: 'rnn', act: 'sigmoid' }],
  ['rnn relu', { kind: 'rnn', act: 'relu' }],
  ['lstm (forget gate)', { kind: 'lstm', forget: true, peep: false }],
  ['lstm 1997 (no forget gate)', { kind: 'lstm', forget: false, peep: false }],
  ['lstm peepholes', { kind: 'lstm', forget: true, peep: true }],
  ['lstm 1997 peepholes', { kind: 'lstm', forget: false, peep: true }],
  ['gru', { kind: 'gru' }],
]

describe('BPTT against finite differences of the f64 reference', () => {
  cells.forEach(([name, cell], i) => {
    it(`${name}: last state, full BPTT`, () => void check({ cell, T: 6, F: 3, H: 5, O: 2, mask: false, seqOut: false }, 10 + i))
    it(`${name}: every state, mask`, () => void check({ cell, T: 5, F: 2, H: 6, O: 3, mask: true, seqOut: true }, 20 + i))
    it(`${name}: last state, mask, truncate 2`, () => void check({ cell, T: 7, F: 2, H: 4, O: 1, mask: true, seqOut: false, truncate: 2 }, 30 + i))
    it(`${name}: every state, truncate 3`, () => void check({ cell, T: 7, F: 3, H: 9, O: 2, mask: false, seqOut: true, truncate: 3 }, 40 + i))
  })
  it('truncation: dL/dh_t is zero before the last k steps (many-to-one)', () => {
    const tr = check({ cell: { kind: 'lstm', forget: true, peep: false }, T: 8, F: 2, H: 4, O: 1, mask: false, seqOut: false, truncate: 3 }, 99)
    const time = tr.trace.layers[0]!.time!
    expect(time.gradH.length).toBe(8)
    expect(time.gradH.slice(0, 5).every((v) => v === 0)).toBe(true)
    expect(time.gradH.slice(5).every((v) => v > 0)).toBe(true)
    expect(time.gradC!.slice(0, 5).every((v) => v === 0)).toBe(true)
    expect(Object.keys(time.gates!)).toEqual(['input', 'forget', 'cell', 'output'])
  })
})
