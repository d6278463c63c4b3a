/**
 * One tiny end-to-end net, every coordinate, with the 4-point stencil
 * (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h, as ggml's
 * test-backend-ops grad mode does:
 *  - on the float64 reference (h = 1e-3: truncation ~h^4, rounding ~1e-13/h),
 *    against the Wasm gradient, relative 1e-4;
 *  - on the Wasm f32 loss itself (h = 2^-7, no reference involved), against
 *    the Wasm gradient, with the looser tolerance f32 losses allow.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Params } from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import { check, makeCase } from './check'

const net = Layer.serial(Layer.dense(4, { activation: 'tanh' }), Layer.residual(Layer.dense(4, { activation: 'gelu' })), Layer.dense(3, { activation: 'softplus' }), Layer.dense(3))

describe('end to end, 4-point stencil on every coordinate', () => {
  const c = makeCase(net, [3], 'softmaxCrossEntropy', 'labels', 4, 2024)
  const total = c.model.params.reduce((s, p) => s + p.shape.reduce((a, b) => a * b, 1), 0)

  it('float64 reference vs the Wasm gradient', () => {
    const r = check(c, 2024, { stencil: 'fourPoint', h: 1e-3, gradTol: 1e-4 })
    expect(r.failures).toEqual([])
    expect(r.status).toBe('ok')
    expect(r.checked).toBe(total)
  })

  it('the Wasm f32 loss itself vs the Wasm gradient', () => {
    const vg = c.model.valueAndGrad(c.params, c.batch, { trace: 'off' })
    if (E.isLeft(vg)) throw new Error(JSON.stringify(vg.left))
    const h = 2 ** -7
    const lossAt = (pi: number, ci: number, d: number): number => {
      const ps: Params = c.params.map((p, i) => (i === pi ? { ...p, data: p.data.map((v, j) => (j === ci ? v + d : v)) } : p))
      const r = c.model.valueAndGrad(ps, c.batch, { trace: 'off' })
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      return r.right.loss
    }
    const scale = Math.max(...vg.right.grads.flatMap((g) => Array.from(g.data, Math.abs)))
    let n = 0
    const bad: string[] = []
    c.params.forEach((p, pi) => {
      for (let ci = 0; ci < p.data.length; ci++) {
        const fd = (-lossAt(pi, ci, 2 * h) + 8 * lossAt(pi, ci, h) - 8 * lossAt(pi, ci, -h) + lossAt(pi, ci, -2 * h)) / (12 * h)
        const g = vg.right.grads[pi]!.data[ci]!
        n++
        if (!(Math.abs(g - fd) <= 1e-2 * Math.max(Math.abs(fd), 0.05 * scale))) bad.push(`${p.path}[${ci}]: wasm ${g} vs f32 stencil ${fd}`)
      }
    })
    expect(bad).toEqual([])
    expect(n).toBe(total)
  })
})
