/**
 * stats kernels: stats_f32_simd against its scalar twin (bit for bit, every
 * tail size, canary after the 8-slot record) and against an f64 reference with
 * NaN, +-Inf, zeros and values above the threshold mixed in; trace invariants
 * as properties; log_hist_f32_scalar against Math.log10.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StatSlot } from '../../src/wasm/abi'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

const B = bench()
const W = 8 // elements per main-loop iteration
const SLOTS = 8
type Isa = 'simd' | 'scalar'

const run = (isa: Isa, x: Float32Array, threshold: number): { readonly s: Float64Array; readonly ok: boolean } => {
  B.reset()
  const px = B.put(x)
  const out = B.alloc(2 * SLOTS) // 8 f64 = 16 f32 slots, canary after
  B.k[`stats_f32_${isa}`](out, px, x.length, threshold)
  return { s: B.f64(out, SLOTS), ok: B.canaryOk(out, 2 * SLOTS) && B.canaryOk(px, x.length) }
}

/** f64 reference; sums compensated (Neumaier), so it is exact to ~1 ulp. */
const reference = (x: Float32Array, threshold: number): Float64Array => {
  const thr = Math.fround(threshold)
  const r = new Float64Array(SLOTS)
  r[StatSlot.minAbs] = Infinity
  let [s, cs, q, cq] = [0, 0, 0, 0]
  const add = (acc: number, c: number, y: number): [number, number] => {
    const t = acc + y
    return [t, c + (Math.abs(acc) >= Math.abs(y) ? acc - t + y : y - t + acc)]
  }
  for (const xi of x) {
    if (!Number.isFinite(xi)) {
      r[StatSlot.nonFinite]!++
      continue
    }
    const a = Math.abs(xi)
    r[StatSlot.count]!++
    ;[s, cs] = add(s, cs, xi)
    ;[q, cq] = add(q, cq, xi * xi)
    if (a > thr) r[StatSlot.above]!++
    if (xi === 0) r[StatSlot.zeros]!++
    r[StatSlot.maxAbs] = Math.max(r[StatSlot.maxAbs]!, a)
    r[StatSlot.minAbs] = Math.min(r[StatSlot.minAbs]!, a)
  }
  r[StatSlot.sum] = s + cs
  r[StatSlot.sumSq] = q + cq
  return r
}

/** Random data in [-2, 2] with specials sprinkled at seeded positions. */
const mixed = (n: number, seed: number): Float32Array => {
  const x = randomF32(n, seed, -2, 2)
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e30, -7, 0.5, 1e-40]
  const pos = randomF32(n, seed + 1, 0, 1)
  pos.forEach((u, i) => {
    if (u < 0.3) x[i] = specials[Math.floor(u * 30)]!
  })
  return x
}

const expectMatch = (got: Float64Array, want: Float64Array, msg: string): void => {
  for (const slot of [StatSlot.count, StatSlot.nonFinite, StatSlot.above, StatSlot.zeros, StatSlot.maxAbs, StatSlot.minAbs])
    expect(got[slot], `${msg} slot ${slot}`).toBe(want[slot])
  for (const slot of [StatSlot.sum, StatSlot.sumSq])
    expect(Math.abs(got[slot]! - want[slot]!), `${msg} slot ${slot}`).toBeLessThanOrEqual(1e-12 * (want[StatSlot.sumSq]! + Math.abs(want[slot]!)))
}

describe('stats_f32', () => {
  it('SIMD equals the scalar twin bit for bit at every tail size, canary intact', () => {
    for (const n of [0, ...tailSizes(W)]) {
      const x = mixed(n, n)
      const a = run('simd', x, 1)
      const b = run('scalar', x, 1)
      expect(a.ok && b.ok, `canary n=${n}`).toBe(true)
      a.s.forEach((v, i) => expect(Object.is(v, b.s[i]), `n=${n} slot ${i}: ${v} vs ${b.s[i]}`).toBe(true))
    }
  })

  it('matches the f64 reference with NaN, +-Inf, zeros and values above the threshold', () => {
    for (const n of [1, 3, 4, 5, 8, 9, 17, 100, 1023]) {
      const x = mixed(n, 7 * n)
      for (const isa of ['simd', 'scalar'] as const) expectMatch(run(isa, x, 1).s, reference(x, 1), `${isa} n=${n}`)
    }
    // threshold is compared in f32, and a negative one counts every finite value
    const x = Float32Array.from([0.1, -0.1, 0.2, NaN, Infinity, 0])
    expectMatch(run('simd', x, 0.1).s, reference(x, 0.1), 'f32 threshold')
    expect(run('simd', x, -1).s[StatSlot.above]).toBe(4)
  })

  it('n = 0 and all-non-finite give empty statistics', () => {
    for (const isa of ['simd', 'scalar'] as const) {
      expect(Array.from(run(isa, new Float32Array(0), 1).s)).toEqual([0, 0, 0, 0, 0, 0, 0, Infinity])
      expect(Array.from(run(isa, Float32Array.from([NaN, Infinity, -Infinity, NaN, NaN]), 1).s)).toEqual([0, 0, 0, 0, 5, 0, 0, Infinity])
    }
  })

  it('one pass keeps f64 precision: 1e4^2 + many ones', () => {
    // f32 accumulation would stall at 2^24; f64 partial sums stay exact here
    const x = new Float32Array(4097).fill(1)
    x[0] = 1e4
    const s = run('simd', x, 1).s
    expect(s[StatSlot.sum]).toBe(1e4 + 4096)
    expect(s[StatSlot.sumSq]).toBe(1e8 + 4096)
  })

  const anyF32 = fc.float() // includes NaN, +-Inf, -0 and subnormals
  it('invariants: l2 >= maxAbs >= 0, count + nonFinite = n, SIMD = scalar (property)', () => {
    fc.assert(
      fc.property(fc.array(anyF32, { maxLength: 70 }), fc.float({ min: 0, max: 10, noNaN: true }), (xs, thr) => {
        const x = Float32Array.from(xs)
        const { s, ok } = run('simd', x, thr)
        const t = run('scalar', x, thr).s
        const l2 = Math.sqrt(s[StatSlot.sumSq]!)
        return (
          ok &&
          s.every((v, i) => Object.is(v, t[i])) &&
          l2 >= s[StatSlot.maxAbs]! &&
          s[StatSlot.maxAbs]! >= 0 &&
          s[StatSlot.count]! + s[StatSlot.nonFinite]! === x.length &&
          s[StatSlot.above]! <= s[StatSlot.count]! &&
          s[StatSlot.zeros]! <= s[StatSlot.count]!
        )
      }),
      { numRuns: 300 },
    )
  })

  it('nonFinite = 0 on finite input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 70 }), (xs) => {
        const s = run('simd', Float32Array.from(xs), 1).s
        return s[StatSlot.nonFinite] === 0 && s[StatSlot.count] === xs.length
      }),
      { numRuns: 200 },
    )
  })
})

describe('log_hist_f32_scalar', () => {
  const hist = (x: Float32Array, lo: number, hi: number, bins: number, init?: Float64Array): { readonly h: Float64Array; readonly ok: boolean } => {
    B.reset()
    const px = B.put(x)
    const out = B.alloc(2 * (bins + 2))
    new Float64Array(B.k.memory.buffer, out, bins + 2).set(init ?? new Float64Array(bins + 2))
    B.k.log_hist_f32_scalar(out, px, x.length, lo, hi, bins)
    return { h: B.f64(out, bins + 2), ok: B.canaryOk(out, 2 * (bins + 2)) }
  }
  const refHist = (x: Float32Array, lo: number, hi: number, bins: number): Float64Array => {
    const h = new Float64Array(bins + 2)
    for (const xi of x) {
      if (!Number.isFinite(xi)) continue
      const l = Math.log10(Math.abs(xi))
      h[l < lo ? 0 : l >= hi ? bins + 1 : 1 + Math.min(Math.floor(((l - lo) * bins) / (hi - lo)), bins - 1)]!++
    }
    return h
  }
  /** magnitudes spread over 10^-45 .. 10^38, none within 1e-9 decades of a bin edge */
  const spread = (n: number, seed: number, edges: (l: number) => number): Float32Array => {
    const e = randomF32(n, seed, -45, 38)
    const sgn = randomF32(n, seed + 1)
    return Float32Array.from(e, (l, i) => Math.sign(sgn[i]!) * 10 ** l).filter((v) => v === 0 || Math.abs(edges(Math.log10(Math.abs(v)))) > 1e-9)
  }

  it('matches Math.log10 binning over the whole f32 range, subnormals included', () => {
    for (const [lo, hi, bins] of [[-30, 10, 40], [-8, 2, 7], [-40, 0, 3]] as const) {
      const dist = (l: number): number => {
        const u = ((l - lo) * bins) / (hi - lo)
        return Math.abs(u - Math.round(u))
      }
      const x = spread(3000, bins, dist)
      const { h, ok } = hist(x, lo, hi, bins)
      expect(ok).toBe(true)
      expect(Array.from(h)).toEqual(Array.from(refHist(x, lo, hi, bins)))
    }
  })

  it('puts zeros in slot 0, skips NaN and +-Inf, and adds to out', () => {
    const x = Float32Array.from([0, -0, NaN, Infinity, -Infinity, 1, 1e-3, 1e5])
    const init = new Float64Array(6).fill(10)
    const { h, ok } = hist(x, -2, 2, 4, init) // bins of one decade: [-2,-1) [-1,0) [0,1) [1,2)
    expect(ok).toBe(true)
    expect(Array.from(h)).toEqual([10 + 3, 10, 10, 10 + 1, 10, 10 + 1])
  })

  it('agrees with log10 to 1e-9 decades at exact powers of two', () => {
    // a one-bin-per-1e-6-decade histogram around log10(2^k) checks the polynomial's accuracy
    for (const k of [-149, -127, -20, -1, 1, 7, 64, 127]) {
      const l = k * Math.log10(2)
      const { h } = hist(Float32Array.from([2 ** k]), l - 1e-9, l + 1e-9, 2)
      expect(h[1]! + h[2]!, `2^${k}`).toBe(1)
    }
  })
})
