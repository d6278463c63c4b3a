/**
 * RBM kernels (assembly/rbm/): each SIMD kernel against its scalar twin at every tail size
 * (bit-identical where elementwise), each against a float64 reference, samples against
 * Key's uniforms, log Z against brute force over both layers, canaries after every output.
 */
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import { bench, randomF32, tailSizes } from '../helpers/kernels'
import { bruteLogZ, freeEnergy, hidPre, sigmoid, softplus, tiny } from './reference'

const B = bench()
const k = B.k
const key = Key.key(11)

const bern = (simd: boolean, z: Float32Array, b: Float32Array | null, c: Float32Array | null, rows: number, cols: number, beta: number, gamma: number, ctr: number) => {
  B.reset()
  const pz = B.put(z), pb = b ? B.put(b) : 0, pc = c ? B.put(c) : 0, p = B.alloc(z.length), s = B.alloc(z.length)
  ;(simd ? k.rbm_bern_f32_simd : k.rbm_bern_f32_scalar)(p, s, pz, pb, pc, rows, cols, beta, gamma, key.k0, key.k1, ctr)
  expect(B.canaryOk(p, z.length) && B.canaryOk(s, z.length)).toBe(true)
  return { p: B.f32(p, z.length), s: B.f32(s, z.length) }
}

const gauss = (simd: boolean, z: Float32Array, b: Float32Array, rows: number, cols: number, ctr: number) => {
  B.reset()
  const pz = B.put(z), pb = B.put(b), m = B.alloc(z.length), s = B.alloc(z.length)
  ;(simd ? k.rbm_gauss_f32_simd : k.rbm_gauss_f32_scalar)(m, s, pz, pb, rows, cols, key.k0, key.k1, ctr)
  expect(B.canaryOk(m, z.length) && B.canaryOk(s, z.length)).toBe(true)
  return { m: B.f32(m, z.length), s: B.f32(s, z.length) }
}

describe('rbm_bern_f32', () => {
  it('twins agree bit for bit, match f64 sigmoid and draw u < p with Key.uniform01 at counter ctr + i', () => {
    for (const cols of tailSizes(4).slice(0, 12)) {
      const rows = 3, n = rows * cols
      const z = randomF32(n, cols, -6, 6), b = randomF32(cols, cols + 1), c = randomF32(cols, cols + 2)
      for (const [beta, gamma, withC] of [[1, 0, false], [0.37, 0.63, true]] as const) {
        const s = bern(true, z, b, withC ? c : null, rows, cols, beta, gamma, 1000)
        const t = bern(false, z, b, withC ? c : null, rows, cols, beta, gamma, 1000)
        expect(Array.from(s.p)).toEqual(Array.from(t.p))
        expect(Array.from(s.s)).toEqual(Array.from(t.s))
        for (let i = 0; i < n; i++) {
          const j = i % cols
          const pre = beta * (z[i]! + b[j]!) + (withC ? gamma * c[j]! : 0)
          expect(Math.abs(s.p[i]! - sigmoid(pre))).toBeLessThan(1e-6)
          expect(s.s[i]).toBe(Key.uniform01(key, 1000 + i) < s.p[i]! ? 1 : 0)
        }
      }
    }
  })

  it('samples at the rate of their probabilities; s = 0 writes probabilities only', () => {
    const n = 20000, z = new Float32Array(n).fill(Math.log(0.3 / 0.7))
    const { p, s } = bern(true, z, null, null, 100, 200, 1, 0, 7)
    expect(Math.abs(p[0]! - 0.3)).toBeLessThan(1e-6)
    expect(Math.abs(s.reduce((a, x) => a + x, 0) / n - 0.3)).toBeLessThan(0.015)
    B.reset()
    const pz = B.put(z.subarray(0, 8)), out = B.alloc(8)
    k.rbm_bern_f32_simd(out, 0, pz, 0, 0, 2, 4, 1, 0, 1, 2, 3)
    expect(B.canaryOk(out, 8)).toBe(true)
  })
})

describe('in place (p over z, m over z)', () => {
  it('bern and gauss give the same bits when their first output overwrites z', () => {
    for (const cols of [1, 5, 8, 13]) {
      const rows = 3, n = rows * cols, z = randomF32(n, cols, -4, 4), b = randomF32(cols, 2)
      const want = bern(true, z, b, null, rows, cols, 1, 0, 5), wantG = gauss(true, z, b, rows, cols, 5)
      B.reset()
      let pz = B.put(z), pb = B.put(b), s = B.alloc(n)
      k.rbm_bern_f32_simd(pz, s, pz, pb, 0, rows, cols, 1, 0, key.k0, key.k1, 5)
      expect([Array.from(B.f32(pz, n)), Array.from(B.f32(s, n))]).toEqual([Array.from(want.p), Array.from(want.s)])
      B.reset()
      ;[pz, pb, s] = [B.put(z), B.put(b), B.alloc(n)]
      k.rbm_gauss_f32_simd(pz, s, pz, pb, rows, cols, key.k0, key.k1, 5)
      expect([Array.from(B.f32(pz, n)), Array.from(B.f32(s, n))]).toEqual([Array.from(wantG.m), Array.from(wantG.s)])
    }
  })
})

describe('rbm_gauss_f32', () => {
  it('twins agree bit for bit; m = z + b; s - m are the normals rng_normal_f32 draws at ctr + i', () => {
    for (const cols of tailSizes(4).slice(0, 12)) {
      const rows = 3, n = rows * cols, z = randomF32(n, cols), b = randomF32(cols, cols + 5)
      const s = gauss(true, z, b, rows, cols, 0xfffffff0), t = gauss(false, z, b, rows, cols, 0xfffffff0)
      expect(Array.from(s.m)).toEqual(Array.from(t.m))
      expect(Array.from(s.s)).toEqual(Array.from(t.s))
      B.reset()
      const pn = B.alloc(n)
      k.rng_normal_f32(pn, n, key.k0, key.k1, 0xfffffff0, 0, 1)
      const normals = B.f32(pn, n)
      for (let i = 0; i < n; i++) {
        expect(s.m[i]).toBe(Math.fround(z[i]! + b[i % cols]!))
        expect(s.s[i]).toBe(Math.fround(s.m[i]! + normals[i]!))
      }
    }
  })
})

describe('rbm_free_energy_f32 and rbm_grad_f32', () => {
  it('free energy per row and its sum against f64, both visible kinds, twins within f64 rounding', () => {
    for (const [nv, nh] of [[1, 1], [5, 3], [9, 7], [16, 33]] as const) {
      const m = tiny(nv, nh, 1, nv * 31 + nh), rows = 4, v = randomF32(rows * nv, nv, 0, 1)
      const h = Float32Array.from(hidPre(m, v, rows))
      for (const gaussian of [0, 1]) {
        const ref = freeEnergy(m, v, rows, gaussian === 1)
        const run = (simd: boolean) => {
          B.reset()
          const out = B.alloc(rows), pv = B.put(v), pa = B.put(Float32Array.from(m.a)), ph = B.put(h)
          const sum = (simd ? k.rbm_free_energy_f32_simd : k.rbm_free_energy_f32_scalar)(out, pv, pa, ph, rows, nv, nh, gaussian)
          expect(B.canaryOk(out, rows)).toBe(true)
          return { sum, rows: B.f32(out, rows) }
        }
        const s = run(true), t = run(false)
        expect(Math.abs(s.sum - t.sum)).toBeLessThan(1e-9 * (1 + Math.abs(t.sum)))
        expect(Math.abs(s.sum - ref.reduce((x, y) => x + y, 0))).toBeLessThan(1e-5 * (nv + nh) * rows)
        ref.forEach((f, r) => expect(Math.abs(s.rows[r]! - f)).toBeLessThan(1e-5 * (nv + nh)))
      }
    }
  })

  it('g = (neg - pos) inv + decay w, twins bit for bit, in place over pos', () => {
    for (const n of tailSizes(4)) {
      const pos = randomF32(n, n), neg = randomF32(n, n + 1), w = randomF32(n, n + 2)
      const run = (simd: boolean, decay: number, inPlace: boolean) => {
        B.reset()
        const pp = B.put(pos), pn = B.put(neg), pw = B.put(w), g = inPlace ? pp : B.alloc(n)
        ;(simd ? k.rbm_grad_f32_simd : k.rbm_grad_f32_scalar)(g, pp, pn, pw, n, 0.01, decay)
        expect(B.canaryOk(g, n)).toBe(true)
        return B.f32(g, n)
      }
      for (const decay of [0, 2e-4]) {
        const s = run(true, decay, false)
        expect(Array.from(run(false, decay, false))).toEqual(Array.from(s))
        expect(Array.from(run(true, decay, true))).toEqual(Array.from(s))
        for (let i = 0; i < n; i += 97) expect(Math.abs(s[i]! - ((neg[i]! - pos[i]!) * 0.01 + decay * w[i]!))).toBeLessThan(1e-7)
      }
    }
  })
})

describe('rbm_ais_f32', () => {
  it('adds the log-weight increment of f64 annealing, twins within f64 rounding', () => {
    const nv = 11, nh = 6, rows = 5, m = tiny(nv, nh, 1, 5)
    const v = Float32Array.from(randomF32(rows * nv, 3, 0, 1), (x) => (x < 0.5 ? 0 : 1))
    const h = Float32Array.from(hidPre(m, v, rows)), aA = randomF32(nv, 9), aB = Float32Array.from(m.a)
    const [b0, b1] = [Math.fround(0.3), Math.fround(0.31)]
    const run = (simd: boolean) => {
      B.reset()
      const lw = B.put(new Float32Array(2 * rows).fill(0))
      ;(simd ? k.rbm_ais_f32_simd : k.rbm_ais_f32_scalar)(lw, B.put(v), B.put(aA), B.put(aB), B.put(h), rows, nv, nh, b0, b1)
      expect(B.canaryOk(lw, 2 * rows)).toBe(true)
      return B.f64(lw, rows)
    }
    const s = run(true), t = run(false)
    for (let r = 0; r < rows; r++) {
      let ref = 0
      for (let i = 0; i < nv; i++) ref += (b1 - b0) * (aB[i]! - aA[i]!) * v[r * nv + i]!
      for (let j = 0; j < nh; j++) ref += softplus(b1 * h[r * nh + j]!) - softplus(b0 * h[r * nh + j]!)
      expect(Math.abs(s[r]! - ref)).toBeLessThan(1e-5)
      expect(Math.abs(s[r]! - t[r]!)).toBeLessThan(1e-12)
    }
  })
})

describe('rbm_log_z_f32_scalar, rbm_flip_f32_scalar, rbm_hist_f32_scalar', () => {
  const logZ = (m: ReturnType<typeof tiny>, gaussian: number) => {
    B.reset()
    const work = B.alloc(2 * m.nv)
    return k.rbm_log_z_f32_scalar(work, B.put(Float32Array.from(m.W)), B.put(Float32Array.from(m.a)), B.put(Float32Array.from(m.b)), m.nv, m.nh, gaussian)
  }

  it('log Z equals brute force over every joint state (Bernoulli-Bernoulli)', () => {
    for (const [nv, nh, scale] of [[1, 1, 1], [3, 4, 2], [6, 5, 1.5], [8, 7, 3]] as const) {
      const m = tiny(nv, nh, scale, nv * 7 + nh)
      expect(Math.abs(logZ(m, 0) - bruteLogZ(m))).toBeLessThan(1e-9)
    }
  })

  it('Gaussian-visible log Z equals a quadrature of the visible integral (nv = 1)', () => {
    const m = tiny(1, 3, 1, 42)
    let s = 0
    const dv = 1e-3
    for (let v = -30; v < 30; v += dv) s += Math.exp(-freeEnergy(m, [v], 1, true)[0]!) * dv
    expect(Math.abs(logZ(m, 1) - Math.log(s))).toBeLessThan(1e-6)
  })

  it('flip changes exactly unit bits(ctr + r) mod cols of each row', () => {
    const rows = 9, cols = 13, x = Float32Array.from(randomF32(rows * cols, 4, 0, 1), (u) => (u < 0.5 ? 0 : 1))
    B.reset()
    const px = B.put(x), y = B.alloc(rows * cols)
    k.rbm_flip_f32_scalar(y, px, rows, cols, key.k0, key.k1, 77)
    expect(B.canaryOk(y, rows * cols)).toBe(true)
    const got = B.f32(y, rows * cols)
    for (let r = 0; r < rows; r++) {
      const kk = Key.bits(key, 77 + r)[0] % cols
      for (let j = 0; j < cols; j++) expect(got[r * cols + j]).toBe(j === kk ? 1 - x[r * cols + j]! : x[r * cols + j])
    }
  })

  it('hist counts values over [0, 1], clamped at the ends, NaN not counted', () => {
    B.reset()
    const out = B.put(new Float32Array(8)), x = B.put(new Float32Array([0, 0.1, 0.25, 0.5, 0.99, 1, -2, NaN, 0.74]))
    k.rbm_hist_f32_scalar(out, x, 9, 4)
    expect(Array.from(B.f64(out, 4))).toEqual([3, 1, 2, 2])
  })
})
