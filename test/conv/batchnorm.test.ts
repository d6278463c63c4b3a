// Batch norm kernels (assembly/batchnorm): SIMD against the scalar twin
// (bit-identical) for every column tail 1..9 and larger widths, rows 1..7,
// canaries after every output, and each against float64 (statistics,
// normalisation, and the training-mode backward from its formula).
import { describe, expect, it } from 'vitest'
import { bench, randomF32 } from '../helpers/kernels'

const widths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 33, 100]

describe('batchnorm_f32', () => {
  const k = bench()
  it.each(widths.flatMap((cols) => [1, 2, 7].map((rows) => [rows, cols] as const)))('rows %i, cols %i', (rows, cols) => {
    k.reset()
    const n = rows * cols
    const x = randomF32(n, n + cols, -2, 3), dy = randomF32(n, n + 3, -1, 1)
    const gamma = randomF32(cols, cols + 5, 0.5, 1.5), beta = randomF32(cols, cols + 9, -0.5, 0.5)
    const px = k.put(x), pdy = k.put(dy), pg = k.put(gamma), pb = k.put(beta)
    const run = (simd: boolean) => {
      const mean = k.alloc(cols), vr = k.alloc(cols), y = k.alloc(n), h = k.alloc(n), r = k.alloc(cols)
      const dx = k.put(randomF32(n, 11, -0.1, 0.1)), dg = k.put(randomF32(cols, 12, -0.1, 0.1)), db = k.put(randomF32(cols, 13, -0.1, 0.1))
      ;(simd ? k.k.batchnorm_stats_f32_simd : k.k.batchnorm_stats_f32_scalar)(mean, vr, px, rows, cols)
      ;(simd ? k.k.batchnorm_f32_simd : k.k.batchnorm_f32_scalar)(y, h, r, px, mean, vr, pg, pb, rows, cols, 1e-5)
      ;(simd ? k.k.batchnorm_bwd_f32_simd : k.k.batchnorm_bwd_f32_scalar)(dx, dg, db, pdy, h, r, pg, rows, cols)
      const outs = [[mean, cols], [vr, cols], [y, n], [h, n], [r, cols], [dx, n], [dg, cols], [db, cols]] as const
      for (const [p, m] of outs) expect(k.canaryOk(p, m)).toBe(true)
      return outs.map(([p, m]) => k.f32(p, m))
    }
    const [s, c] = [run(true), run(false)]
    s.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(c[i]!)))
    const dx0 = randomF32(n, 11, -0.1, 0.1)
    for (let j = 0; j < cols; j++) {
      const col = Array.from({ length: rows }, (_, r) => x[r * cols + j]!), g = Array.from({ length: rows }, (_, r) => dy[r * cols + j]!)
      const mean = col.reduce((a, v) => a + v, 0) / rows
      const vr = col.reduce((a, v) => a + (v - mean) ** 2, 0) / rows, rstd = 1 / Math.sqrt(vr + 1e-5)
      const xh = col.map((v) => (v - mean) * rstd)
      const s1 = g.reduce((a, v) => a + v, 0), s2 = g.reduce((a, v, r) => a + v * xh[r]!, 0)
      expect(Math.abs(s[0]![j]! - mean)).toBeLessThan(1e-5)
      expect(Math.abs(s[1]![j]! - vr)).toBeLessThan(1e-4)
      for (let r = 0; r < rows; r++) {
        expect(Math.abs(s[2]![r * cols + j]! - (xh[r]! * gamma[j]! + beta[j]!))).toBeLessThan(1e-3)
        const want = dx0[r * cols + j]! + gamma[j]! * rstd * (g[r]! - s1 / rows - (xh[r]! * s2) / rows)
        expect(Math.abs(s[5]![r * cols + j]! - want)).toBeLessThan(1e-3 * (1 + Math.abs(want)))
      }
    }
  })
})
