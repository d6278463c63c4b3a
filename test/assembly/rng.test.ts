/**
 * rng kernels: Threefry known answers through the kernel; every element of
 * rng_bits / rng_uniform / dropout equals its TypeScript twin (src/core/Key.ts)
 * at every tail size, so the SIMD lanes and the scalar tail agree; normals are
 * identical whichever path draws them and close to an f64 Box-Muller; moments
 * and keep rates over 1e5 draws; canaries after every output.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

const B = bench()
const W = 8 // elements per main-loop iteration
const f = Math.fround

const bitsOf = (k: Key.Key, n: number, ctr: number): Uint32Array => {
  B.reset()
  const out = B.alloc(n)
  B.k.rng_bits_u32(out, n, k.k0, k.k1, ctr)
  expect(B.canaryOk(out, n)).toBe(true)
  return B.u32(out, n)
}
const uniformOf = (k: Key.Key, n: number, ctr: number, lo: number, hi: number): Float32Array => {
  B.reset()
  const out = B.alloc(n)
  B.k.rng_uniform_f32(out, n, k.k0, k.k1, ctr, lo, hi)
  expect(B.canaryOk(out, n)).toBe(true)
  return B.f32(out, n)
}
const normalOf = (k: Key.Key, n: number, ctr: number, mean = 0, std = 1): Float32Array => {
  B.reset()
  const out = B.alloc(n)
  B.k.rng_normal_f32(out, n, k.k0, k.k1, ctr, mean, std)
  expect(B.canaryOk(out, n)).toBe(true)
  return B.f32(out, n)
}
const dropoutOf = (k: Key.Key, x: Float32Array, ctr: number, rate: number, inPlace = false) => {
  B.reset()
  const px = B.put(x)
  const mask = B.alloc(x.length)
  const y = inPlace ? px : B.alloc(x.length)
  B.k.dropout_f32(y, mask, px, x.length, rate, k.k0, k.k1, ctr)
  expect(B.canaryOk(y, x.length) && B.canaryOk(mask, x.length)).toBe(true)
  return { y: B.f32(y, x.length), mask: B.f32(mask, x.length) }
}

const moments = (x: ArrayLike<number>): { readonly mean: number; readonly std: number } => {
  let [s, q] = [0, 0]
  for (let i = 0; i < x.length; i++) [s, q] = [s + x[i]!, q + x[i]! * x[i]!]
  const mean = s / x.length
  return { mean, std: Math.sqrt(q / x.length - mean * mean) }
}

const keys = [Key.key(0), Key.key(-3), Key.fromWords(0xffffffff, 0x12345678)]
const ctrs = [0, 1000, 0xfffffffa] // the last one wraps past 2^32

describe('Threefry-2x32-20 in the kernel', () => {
  it('gives the known answer for key (0, 0), counter (0, 0)', () => {
    expect(bitsOf(Key.fromWords(0, 0), 1, 0)[0]).toBe(0x6b200159)
    // word 1 (0x99ba4efe) is the Box-Muller angle: the normal drawn from the block matches it
    const u1 = 1 - (0x6b200159 >>> 8) / 2 ** 24
    const u2 = (0x99ba4efe >>> 8) / 2 ** 24
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
    expect(Math.abs(normalOf(Key.fromWords(0, 0), 1, 0)[0]! - z)).toBeLessThan(1e-5)
  })

  it('matches the TypeScript twin on every element, every tail size, every path', () => {
    for (const k of keys)
      for (const ctr of ctrs)
        for (const n of tailSizes(W, k.k0)) {
          const got = bitsOf(k, n, ctr)
          const bad = got.findIndex((w, i) => w !== Key.bits(k, ctr + i)[0])
          expect(bad, `key ${k.k0} ctr ${ctr} n ${n}`).toBe(-1)
        }
  })

  it('agrees with the TypeScript twin for random keys and counters (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }), fc.integer({ min: 1, max: 40 }), (a, b, ctr, n) => {
        const k = Key.fromWords(a, b)
        return bitsOf(k, n, ctr).every((w, i) => w === Key.bits(k, ctr + i)[0])
      }),
      { numRuns: 200 },
    )
  })
})

describe('rng_uniform_f32', () => {
  it('element i = lo + (hi - lo) uniform01(key, ctr + i) in f32, bit for bit', () => {
    for (const [lo, hi] of [[0, 1], [-1, 1], [-0.1, 0.3]] as const) {
      const [flo, fd] = [f(lo), f(f(hi) - f(lo))]
      for (const n of tailSizes(W)) {
        const got = uniformOf(keys[1]!, n, 77, lo, hi)
        const bad = got.findIndex((v, i) => v !== f(flo + f(fd * Key.uniform01(keys[1]!, 77 + i))))
        expect(bad, `[${lo}, ${hi}) n ${n}`).toBe(-1)
      }
    }
  })

  it('has mean 1/2 and variance 1/12 on [0, 1) over 1e5 draws', () => {
    const u = uniformOf(Key.key(11), 100_000, 0, 0, 1)
    const { mean, std } = moments(u)
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005)
    expect(Math.abs(std * std - 1 / 12)).toBeLessThan(0.002)
  })
})

describe('rng_normal_f32', () => {
  it('draws element i the same in the SIMD lanes and in the scalar tail', () => {
    const k = keys[2]!
    for (const n of tailSizes(W)) {
      const all = normalOf(k, n, 5)
      for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, n - 1].filter((i) => i >= 0 && i < n)) {
        // a call of n = 1 always takes the scalar path
        expect(Object.is(all[i], normalOf(k, 1, 5 + i)[0]), `n ${n} i ${i}`).toBe(true)
      }
    }
  })

  it('is Box-Muller on the two words of block ctr + i, to f32 accuracy', () => {
    const k = Key.key(9)
    const z = normalOf(k, 4099, 3, 0.5, 2)
    const worst = Math.max(
      ...Array.from(z, (v, i) => {
        const [w0, w1] = Key.bits(k, 3 + i)
        const r = Math.sqrt(-2 * Math.log(1 - (w0 >>> 8) / 2 ** 24))
        return Math.abs(v - (0.5 + 2 * r * Math.cos((2 * Math.PI * (w1 >>> 8)) / 2 ** 24)))
      }),
    )
    expect(worst).toBeLessThan(2e-5)
  })

  it('has mean 0, std 1 and normal tails over 1e5 draws; mean and std shift and scale', () => {
    const z = normalOf(Key.key(12), 100_000, 0)
    const { mean, std } = moments(z)
    expect(Math.abs(mean)).toBeLessThan(0.01)
    expect(Math.abs(std - 1)).toBeLessThan(0.01)
    expect(z.every((v) => Number.isFinite(v) && Math.abs(v) <= 5.8)).toBe(true)
    const tail = z.filter((v) => Math.abs(v) > 2).length / z.length
    expect(Math.abs(tail - 0.0455)).toBeLessThan(0.004)
    const y = normalOf(Key.key(12), 100_000, 0, 3, 0.5)
    const m = moments(y)
    expect(Math.abs(m.mean - 3)).toBeLessThan(0.005)
    expect(Math.abs(m.std - 0.5)).toBeLessThan(0.005)
  })
})

describe('dropout_f32', () => {
  const expected = (k: Key.Key, x: Float32Array, ctr: number, rate: number) => {
    const scale = f(1 / f(1 - f(rate)))
    const mask = Float32Array.from(x, (_, i) => (Key.uniform01(k, ctr + i) >= f(rate) ? scale : 0))
    return { mask, y: Float32Array.from(x, (v, i) => v * mask[i]!) }
  }

  it('mask and y match the TypeScript twin bit for bit at every tail size, in place too', () => {
    const k = keys[0]!
    for (const rate of [0.1, 0.5]) {
      for (const n of tailSizes(W)) {
        const x = randomF32(n, n)
        const want = expected(k, x, 9, rate)
        for (const inPlace of [false, true]) {
          const got = dropoutOf(k, x, 9, rate, inPlace)
          expect(got.mask, `rate ${rate} n ${n}`).toEqual(want.mask)
          expect(got.y, `rate ${rate} n ${n} inPlace ${inPlace}`).toEqual(want.y)
        }
      }
    }
  })

  it('keeps about 1 - rate and preserves the mean (inverted scaling)', () => {
    const n = 100_000
    const ones = new Float32Array(n).fill(1)
    for (const rate of [0.1, 0.5, 0.9]) {
      const { y, mask } = dropoutOf(Key.key(13), ones, 0, rate)
      const kept = mask.filter((m) => m !== 0).length / n
      expect(Math.abs(kept - (1 - rate)), `rate ${rate}`).toBeLessThan(0.01)
      expect(mask.every((m) => m === 0 || m === f(1 / f(1 - f(rate))))).toBe(true)
      expect(Math.abs(moments(y).mean - 1), `rate ${rate}`).toBeLessThan(0.03)
    }
  })

  it('rate 0 keeps everything unchanged; rate 1 drops everything', () => {
    const x = randomF32(37, 1)
    expect(dropoutOf(Key.key(1), x, 0, 0).y).toEqual(x)
    const all = dropoutOf(Key.key(1), x, 0, 1)
    expect(all.mask.every((m) => m === 0) && all.y.every((v) => v === 0)).toBe(true)
  })
})
