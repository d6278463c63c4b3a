// Layer normalisation kernels: SIMD against the scalar twin (bit-identical) on
// every tail size with canaries after each output, and the forward against a
// float64 reference.
import { describe, expect, it } from 'vitest'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

describe('layernorm_f32', () => {
  const b = bench()
  for (const cols of tailSizes(4, 11).filter((c) => c <= 1100)) {
    it(`cols = ${cols}`, () => {
      for (const rows of [1, 3]) {
        b.reset()
        const x = randomF32(rows * cols, cols + rows, -2, 3)
        const gamma = randomF32(cols, cols + 7, 0.5, 1.5), beta = randomF32(cols, cols + 9, -0.5, 0.5)
        const dy = randomF32(rows * cols, cols + 11, -1, 1)
        const px = b.put(x), pg = b.put(gamma), pb = b.put(beta), pdy = b.put(dy)
        const run = (simd: boolean) => {
          const y = b.alloc(rows * cols), h = b.alloc(rows * cols), r = b.alloc(rows)
          ;(simd ? b.k.layernorm_f32_simd : b.k.layernorm_f32_scalar)(y, h, r, px, pg, pb, rows, cols, 1e-5)
          const dx = b.put(randomF32(rows * cols, 3, -0.1, 0.1)), dg = b.put(randomF32(cols, 4, -0.1, 0.1)), db = b.put(randomF32(cols, 5, -0.1, 0.1))
          ;(simd ? b.k.layernorm_bwd_f32_simd : b.k.layernorm_bwd_f32_scalar)(dx, dg, db, pdy, h, r, pg, rows, cols)
          for (const [p, n] of [[y, rows * cols], [h, rows * cols], [r, rows], [dx, rows * cols], [dg, cols], [db, cols]] as const) expect(b.canaryOk(p, n)).toBe(true)
          return [b.f32(y, rows * cols), b.f32(h, rows * cols), b.f32(r, rows), b.f32(dx, rows * cols), b.f32(dg, cols), b.f32(db, cols)]
        }
        const s = run(true), c = run(false)
        s.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(c[i]!)))
        for (let r = 0; r < rows; r++) {
          const xs = Array.from(x.subarray(r * cols, (r + 1) * cols))
          const mean = xs.reduce((a, v) => a + v, 0) / cols
          const rstd = 1 / Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / cols + 1e-5)
          xs.forEach((v, j) => expect(Math.abs(s[0]![r * cols + j]! - ((v - mean) * rstd * gamma[j]! + beta[j]!))).toBeLessThan(2e-5 * (1 + Math.sqrt(cols) / 8)))
        }
      }
    })
  }
})
