// apply_update: p += u with the fused statistics, SIMD against its scalar twin
// (bit-identical) and against an f64 reference, on every tail size, with canaries.
import { describe, expect, it } from 'vitest'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

describe('apply_update_f32', () => {
  const b = bench()
  for (const n of tailSizes(4, 7)) {
    it(`n = ${n}`, () => {
      b.reset()
      const p0 = randomF32(n, n, -2, 2)
      const u = randomF32(n, n + 1, -0.1, 0.1)
      if (n > 3) p0[n - 2] = 3e38, u[n - 2] = 3e38 // overflows to +Infinity
      const run = (simd: boolean) => {
        const pp = b.put(p0), pu = b.put(u), out = b.alloc(8)
        ;(simd ? b.k.apply_update_f32_simd : b.k.apply_update_f32_scalar)(out, pp, pu, n)
        expect(b.canaryOk(pp, n) && b.canaryOk(pu, n) && b.canaryOk(out, 8)).toBe(true)
        return { p: b.f32(pp, n), s: b.f64(out, 4) }
      }
      const a = run(true), c = run(false)
      expect(a.p).toEqual(c.p)
      expect(Array.from(a.s)).toEqual(Array.from(c.s))
      let su = 0, sp = 0, bad = 0
      for (let i = 0; i < n; i++) {
        su += u[i]! * u[i]!
        sp += p0[i]! * p0[i]!
        expect(a.p[i]).toBe(Math.fround(p0[i]! + u[i]!))
        bad += Number.isFinite(Math.fround(p0[i]! + u[i]!)) ? 0 : 1
      }
      expect(a.s[0]).toBeCloseTo(su, 6)
      expect(Math.abs(a.s[1]! - sp) / sp).toBeLessThan(1e-12)
      expect(a.s[2]).toBe(bad)
    })
  }
})

describe('sums_f32', () => {
  const b = bench()
  for (const n of [0, ...tailSizes(4, 9)]) {
    it(`n = ${n}`, () => {
      b.reset()
      const x = randomF32(n, n + 5, -3, 3)
      const px = b.put(x)
      const o1 = b.alloc(16), o2 = b.alloc(16)
      b.k.sums_f32_simd(o1, px, n)
      b.k.sums_f32_scalar(o2, px, n)
      expect(b.canaryOk(o1, 16) && b.canaryOk(o2, 16)).toBe(true)
      const a = b.f64(o1, 8), c = b.f64(o2, 8)
      expect(Array.from(a)).toEqual(Array.from(c))
      let s = 0, q = 0
      for (const v of x) (s += v), (q += v * v)
      expect(a[0]).toBe(n)
      expect(Math.abs(a[1]! - s)).toBeLessThan(1e-9 * (1 + n))
      expect(Math.abs(a[2]! - q)).toBeLessThan(1e-12 * (1 + q))
    })
  }
})
