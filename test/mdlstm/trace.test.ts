/**
 * Traces over the grid (#13 part 3): the ||dL/dh(i, j)|| a user reads in
 * `layer.grid.gradH` (per direction, image coordinates) and in `layer.time`
 * (per anti-diagonal, every direction) against the float64 reference's dL/dh,
 * on random nets (fast-check); sigmoid gate means in [0, 1], the cell input
 * (tanh) in [-1, 1]. (A 1 x T grid's time series is the 1-D layer's: ./onedim.test.ts.)
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { byDiagonal } from '../../src/plan/gridTrace'
import { arb, F0, refGrads, setup } from './cases'
import { dims, phys } from './reference'

const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 2e-4 * scale

describe('2-D layers: the trace over the grid', () => {
  it('grid.gradH and time.gradH are the reference ||dL/dh(i, j)||', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const s = setup(c), ref = refGrads(s, c.B), { I, J } = dims(s.n)
        const r = s.m.valueAndGrad(s.params, { x: { shape: [c.B, s.n.R, s.n.C, F0], data: s.x }, y: { shape: [c.B, ...s.m.output], data: s.target } })
        if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
        const layer = r.right.trace.layers.find((l) => l.kind === c.kind)!
        const grid = layer.grid!
        expect([grid.rows, grid.cols, grid.directions.length]).toEqual([I, J, s.n.flips.length])
        const scale = Math.max(...ref.dhNorm.flatMap((a) => Array.from(a)), 1e-12)
        ref.dhNorm.forEach((scan, k) =>
          scan.forEach((v, p) => {
            const [ii, jj] = phys(s.n, s.n.flips[k]!, Math.floor(p / J), p % J)
            expect(close(grid.gradH[k]![ii * J + jj]!, v, scale), `direction ${k} (${ii}, ${jj}): ${grid.gradH[k]![ii * J + jj]} vs ${v}`).toBe(true)
          }),
        )
        // the reference in wavefront order, then per diagonal
        const waveOrder = ref.dhNorm.flatMap((scan) => {
          const out: number[] = []
          for (let d = 0; d <= I + J - 2; d++) for (let i = Math.max(0, d - J + 1); i <= Math.min(I - 1, d); i++) out.push(scan[i * J + d - i]!)
          return out
        })
        const diag = byDiagonal(I, J, s.n.flips.length, waveOrder)
        expect(layer.time!.gradH.length).toBe(I + J - 1)
        layer.time!.gradH.forEach((v, d) => expect(close(v, diag[d]!, scale)).toBe(true))
        for (const [name, series] of Object.entries(layer.time!.gates ?? {})) expect(series.every((g) => (name === 'cell' ? Math.abs(g) <= 1 : g >= 0 && g <= 1)), name).toBe(true)
        if (c.kind === 'mdlstm') expect(Object.keys(grid.gates!)).toEqual(['input', 'forget2', 'cell', 'output', 'forget1'])
      }),
      { numRuns: 40 },
    )
  })
})
