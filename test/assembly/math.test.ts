/**
 * assembly/math/ (reached through the test-only `math_probe_f32` kernel):
 * each f32 transcendental against f64 `Math` over wide ranges (relative error
 * < 3e-7, about 2.5 ulp; the contract is 1e-6), special values, and the scalar form against the
 * f32x4 form bit for bit.
 */
import { describe, expect, it } from 'vitest'
import { bench, randomF32 } from '../helpers/kernels'

type Probe = { math_probe_f32(out: number, x: number, n: number, fn: number): void }
const b = bench()
const k = b.k as unknown as Probe

const FN = { exp: 0, expm1: 1, log: 2, log1p: 3, tanh: 4, sigmoid: 5, sin: 6, cos: 7 } as const
type Fn = keyof typeof FN

/** runs fn on xs in its scalar (simd = false) or f32x4 form */
const run = (fn: Fn, xs: Float32Array, simd: boolean): Float32Array => {
  b.reset()
  const px = b.put(xs)
  const po = b.alloc(xs.length)
  k.math_probe_f32(po, px, xs.length, FN[fn] * 2 + (simd ? 1 : 0))
  expect(b.canaryOk(po, xs.length)).toBe(true)
  return b.f32(po, xs.length)
}

const sigmoid64 = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
const ref: Record<Fn, (x: number) => number> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  sigmoid: sigmoid64,
  sin: Math.sin,
  cos: Math.cos,
}

const linspace = (lo: number, hi: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1))
const logspace = (lo: number, hi: number, n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)))
const both = (a: Float32Array): Float32Array => Float32Array.from([...a, ...a.map((v) => -v)])
/** random finite positive floats with exponents spread over the whole range (denormals included) */
const anyPositive = (n: number, seed: number): Float32Array => {
  const u = randomF32(n, seed, 0, 1)
  const bits = new Uint32Array(n)
  for (let i = 0; i < n; i++) bits[i] = Math.floor(u[i]! * 0x7f800000) // below +Inf
  return new Float32Array(bits.buffer)
}

/** max relative error of got vs f64 ref (|ref| >= floor; below it, absolute error against floor) */
const maxRel = (fn: Fn, xs: Float32Array, got: Float32Array, floor = 1e-30): { err: number; at: number } => {
  let err = 0
  let at = NaN
  for (let i = 0; i < xs.length; i++) {
    const r = ref[fn](xs[i]!)
    const e = Math.abs(got[i]! - r) / Math.max(Math.abs(r), floor)
    if (!(e <= err)) {
      err = e
      at = xs[i]!
    }
  }
  return { err, at }
}

const sameBits = (a: Float32Array, b2: Float32Array): void => {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length)
  const ub = new Uint32Array(b2.buffer, b2.byteOffset, b2.length)
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b2[i])) continue
    if (ua[i] !== ub[i]) expect.fail(`lane ${i}: scalar ${a[i]} vs simd ${b2[i]}`)
  }
}

// [fn, inputs, relative-error bound, floor below which the error is absolute]
const cases: ReadonlyArray<readonly [Fn, Float32Array, number, number]> = [
  ['exp', Float32Array.from([...linspace(-87, 88.7, 40001), ...randomF32(4000, 1, -87.3, 88.72)]), 3e-7, 1e-30],
  ['exp', both(logspace(-10, -1, 2001)), 3e-7, 1e-30],
  ['expm1', Float32Array.from([...linspace(-20, 20, 20001), ...both(logspace(-12, 0, 4001))]), 3e-7, 1e-30],
  ['log', Float32Array.from([...anyPositive(40000, 2), ...linspace(0.5, 2, 20001), ...logspace(-44, 38, 2001)]), 3e-7, 1e-30],
  ['log1p', Float32Array.from([...linspace(-0.999, 10, 20001), ...both(logspace(-12, -1, 4001)), ...logspace(0, 30, 1001)]), 3e-7, 1e-30],
  ['tanh', Float32Array.from([...linspace(-12, 12, 40001), ...both(logspace(-12, 1.5, 4001))]), 3e-7, 1e-30],
  ['sigmoid', Float32Array.from([...linspace(-87, 100, 40001), ...both(logspace(-12, 1.9, 2001))]), 3e-7, 1e-30],
  ['sin', Float32Array.from([...linspace(0, 2 * Math.PI, 20001), ...randomF32(4000, 3, 0, 2 * Math.PI)]), 3e-7, 1],
  ['cos', Float32Array.from([...linspace(0, 2 * Math.PI, 20001), ...randomF32(4000, 4, 0, 2 * Math.PI)]), 3e-7, 1],
  ['sin', linspace(-100, 100, 20001), 3e-7, 1],
  ['cos', linspace(-100, 100, 20001), 3e-7, 1],
]

describe('math/ transcendentals vs f64 Math', () => {
  for (const [fn, xs, bound, floor] of cases) {
    it(`${fn} on ${xs.length} points in [${Math.min(...xs).toPrecision(3)}, ${Math.max(...xs).toPrecision(3)}]: rel err < ${bound}, scalar == simd`, () => {
      const s = run(fn, xs, false)
      const v = run(fn, xs, true)
      sameBits(s, v)
      const { err, at } = maxRel(fn, xs, s, floor)
      console.log(`math ${fn}: max ${floor === 1 ? 'abs' : 'rel'} err ${err.toExponential(2)} at x=${at}`)
      expect(err, `worst at x = ${at}`).toBeLessThan(bound)
    })
  }
})

describe('math/ special values', () => {
  const specials = Float32Array.from([NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-45, 1, -1, 89, -104, 88.8, -88, 3e38, -3e38, 1e-38])
  const expect1 = (fn: Fn, x: number, want: number): void => {
    for (const simd of [false, true]) {
      const got = run(fn, Float32Array.of(x), simd)[0]!
      if (Number.isNaN(want)) expect(got, `${fn}(${x}) simd=${simd}`).toBeNaN()
      else expect(got, `${fn}(${x}) simd=${simd}`).toBe(want)
    }
  }
  it('exp: NaN passes, +-Inf, overflow to +Inf, underflow to 0, denormal results kept', () => {
    expect1('exp', NaN, NaN)
    expect1('exp', Infinity, Infinity)
    expect1('exp', -Infinity, 0)
    expect1('exp', 0, 1)
    expect1('exp', 89, Infinity)
    expect1('exp', 1000, Infinity)
    expect1('exp', -104, 0)
    expect1('exp', -1000, 0)
    const d = run('exp', Float32Array.of(-95), false)[0]!
    expect(Math.abs(d - Math.exp(-95)) / Math.exp(-95)).toBeLessThan(1e-3) // denormal: few mantissa bits left
  })
  it('log: 0 -> -Inf, negative -> NaN, Inf -> Inf, NaN -> NaN, denormals, 1 -> 0', () => {
    expect1('log', 0, -Infinity)
    expect1('log', -0, -Infinity)
    expect1('log', -1, NaN)
    expect1('log', -Infinity, NaN)
    expect1('log', Infinity, Infinity)
    expect1('log', NaN, NaN)
    expect1('log', 1, 0)
    const x = Math.fround(1e-45)
    expect(Math.abs(run('log', Float32Array.of(x), true)[0]! - Math.log(x))).toBeLessThan(1e-5)
  })
  it('log1p: tiny x is x, -1 -> -Inf, Inf -> Inf', () => {
    expect1('log1p', Math.fround(1e-10), Math.fround(1e-10))
    expect1('log1p', Math.fround(-1e-10), Math.fround(-1e-10))
    expect1('log1p', -1, -Infinity)
    expect1('log1p', Infinity, Infinity)
    expect1('log1p', NaN, NaN)
  })
  it('tanh: tanh(1e-8) = 1e-8, saturates to exactly +-1, NaN passes', () => {
    expect1('tanh', Math.fround(1e-8), Math.fround(1e-8))
    expect1('tanh', Math.fround(-1e-8), Math.fround(-1e-8))
    expect1('tanh', 9.5, 1)
    expect1('tanh', -9.5, -1)
    expect1('tanh', 1e30, 1)
    expect1('tanh', Infinity, 1)
    expect1('tanh', -Infinity, -1)
    expect1('tanh', NaN, NaN)
  })
  it('sigmoid: no overflow for either sign, 0.5 at 0', () => {
    expect1('sigmoid', 0, 0.5)
    expect1('sigmoid', Infinity, 1)
    expect1('sigmoid', -Infinity, 0)
    expect1('sigmoid', 1000, 1)
    expect1('sigmoid', -1000, 0)
    expect1('sigmoid', NaN, NaN)
    const s = run('sigmoid', Float32Array.of(-100), false)[0]!
    expect(s).toBeGreaterThan(0) // e^-100 is a denormal f32, not flushed
  })
  it('every form agrees on the specials', () => {
    for (const fn of Object.keys(FN) as Fn[]) sameBits(run(fn, specials, false), run(fn, specials, true))
  })
})
