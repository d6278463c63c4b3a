/**
 * Gradients of the 2-D layers (#13 part 2), in the two steps of STYLE: (a) the
 * float64 reference's backward (./referenceBwd.ts) against central
 * differences of its forward (h = 1e-6) on random grids, and (b) the Wasm f32
 * gradients against that reference, for every parameter, on random sizes,
 * blocks, directions (1, 2, 4), sum or concat, the last state or the whole
 * grid out (fast-check). A per-pixel dense layer before the 2-D layer makes
 * dL/dx part of what is checked (its weight gradient is sum x (x) dL/du).
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arb, F0, lossOf, refGrads, rng, setup } from './cases'

describe('2-D layers: gradients', () => {
  it('(a) the f64 reference backward against central differences', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const s = setup(c), ref = refGrads(s, c.B), h = 1e-6, u = rng(c.seed + 1)
        s.p64.forEach((p, i) => {
          for (let t = 0; t < Math.min(8, p.length); t++) {
            const j = Math.floor(u() * p.length), v = p[j]!
            p[j] = v + h
            const lp = lossOf(s, s.p64, c.B)
            p[j] = v - h
            const lm = lossOf(s, s.p64, c.B)
            p[j] = v
            const fd = (lp - lm) / (2 * h), g = ref.grads[i]![j]!
            expect(Math.abs(g - fd), `${s.m.params[i]!.path}[${j}]: ${g} vs ${fd}`).toBeLessThan(1e-6 * Math.max(Math.abs(fd), 1e-2))
          }
        })
      }),
      { numRuns: 30 },
    )
  })
  it('(b) the Wasm f32 gradients against the f64 reference', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const s = setup(c), ref = refGrads(s, c.B)
        const r = s.m.valueAndGrad(s.params, { x: { shape: [c.B, s.n.R, s.n.C, F0], data: s.x }, y: { shape: [c.B, ...s.m.output], data: s.target } })
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
        expect(Math.abs(r.right.loss - ref.loss)).toBeLessThan(1e-5 * Math.max(1, ref.loss))
        ref.grads.forEach((g, i) => {
          const w = r.right.grads[i]!.data, scale = Math.max(...Array.from(g, Math.abs), 1e-6)
          const worst = Math.max(...Array.from(g, (v, j) => Math.abs(v - w[j]!)))
          expect(worst / scale, `${s.m.params[i]!.path}`).toBeLessThan(2e-4)
        })
      }),
      { numRuns: 60 },
    )
  })
})

