/**
 * eltwise kernels: every SIMD kernel against its scalar twin (bitwise) at the
 * tail sizes, with canaries and in-place runs; activations forward against an
 * f64 reference, backward against the analytic f64 derivative and central
 * differences of the f64 forward; accumulation; and the release .wat snapshot.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ActKind, type ActName } from '../../src/wasm/abi'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

const b = bench()
const k = b.k
const W_ACT = 8 // act kernels: two f32x4 per main-loop step
const W_BLAS = 16 // add, mul, axpy, scale, fill, copy, bias_add, col_sum: four f32x4
const W_ROW = 8 // row_sum

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length)
const expectSameBits = (got: Float32Array, want: Float32Array, what: string): void => {
  expect(got.length).toBe(want.length)
  const g = bits(got)
  const w = bits(want)
  for (let i = 0; i < got.length; i++) {
    if (g[i] === w[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue
    expect.fail(`${what}: element ${i} of ${got.length}: ${got[i]} vs ${want[i]}`)
  }
}

// ---------------------------------------------------------------- f64 references

const SELU_L = 1.0507009873554805
const SELU_A = 1.6732632423543772
const GELU_K = Math.sqrt(2 / Math.PI)
const sig = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
// gelu, tanh form, written as x sigmoid(2u) (= 0.5 x (1 + tanh u)) so the f64 reference has no cancellation for x << 0
const geluU = (x: number): number => GELU_K * (x + 0.044715 * x ** 3)
const geluTanhForm = (x: number): number => 0.5 * x * (1 + Math.tanh(geluU(x)))

interface Ref {
  readonly f: (x: number, a: number) => number
  readonly df: (x: number, a: number) => number
  readonly kinks: ReadonlyArray<number>
}
const REF: Record<ActName, Ref> = {
  identity: { f: (x) => x, df: () => 1, kinks: [] },
  sigmoid: { f: sig, df: (x) => sig(x) * (1 - sig(x)), kinks: [] },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, kinks: [] },
  hardTanh: { f: (x) => Math.min(Math.max(x, -1), 1), df: (x) => (x > -1 && x < 1 ? 1 : 0), kinks: [-1, 1] },
  softsign: { f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / (1 + Math.abs(x)) ** 2, kinks: [] },
  relu: { f: (x) => Math.max(x, 0), df: (x) => (x > 0 ? 1 : 0), kinks: [0] },
  leakyRelu: { f: (x, a) => (x > 0 ? x : a * x), df: (x, a) => (x > 0 ? 1 : a), kinks: [0] },
  elu: { f: (x, a) => (x > 0 ? x : a * Math.expm1(x)), df: (x, a) => (x > 0 ? 1 : a * Math.exp(x)), kinks: [0] },
  selu: { f: (x) => SELU_L * (x > 0 ? x : SELU_A * Math.expm1(x)), df: (x) => SELU_L * (x > 0 ? 1 : SELU_A * Math.exp(x)), kinks: [0] },
  gelu: {
    f: (x) => x * sig(2 * geluU(x)),
    df: (x) => {
      const s = sig(2 * geluU(x))
      return s + 2 * x * s * (1 - s) * GELU_K * (1 + 3 * 0.044715 * x * x)
    },
    kinks: [],
  },
  softplus: { f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), df: sig, kinks: [] },
}
const KINDS = Object.keys(ActKind) as ActName[]
// alpha as the kernel sees it (an f32 argument)
const ALPHA: Partial<Record<ActName, number>> = { leakyRelu: Math.fround(0.1), elu: Math.fround(1.3) }
const alphaOf = (name: ActName): number => ALPHA[name] ?? 0

// ---------------------------------------------------------------- runners

type Form = 'simd' | 'scalar'
const actFwd = (form: Form, name: ActName, x: Float32Array, inPlace = false): Float32Array => {
  b.reset()
  const px = b.put(x)
  const py = inPlace ? px : b.alloc(x.length)
  k[`act_f32_${form}`](py, px, x.length, ActKind[name], alphaOf(name))
  expect(b.canaryOk(py, x.length)).toBe(true)
  return b.f32(py, x.length)
}
const actBwd = (form: Form, name: ActName, x: Float32Array, y: Float32Array, dy: Float32Array, dx0: Float32Array, aliasDy = false): Float32Array => {
  b.reset()
  const px = b.put(x)
  const py = b.put(y)
  const pdy = b.put(dy)
  const pdx = aliasDy ? pdy : b.put(dx0)
  k[`act_bwd_f32_${form}`](pdx, px, py, pdy, x.length, ActKind[name], alphaOf(name))
  expect(b.canaryOk(pdx, x.length)).toBe(true)
  return b.f32(pdx, x.length)
}

/** inputs that reach every branch: random, near 0, near the kinks, large, and a few specials */
const actInputs = (n: number, seed: number): Float32Array => {
  const x = randomF32(n, seed, -6, 6)
  const sp = [0, -0, 1, -1, 0.5, -0.5, 1e-8, -1e-8, 30, -30, 100, -100, 1e30, -1e30, 9.5, -9.5]
  for (let i = 0; i < n; i += 7) x[i] = sp[(i / 7) % sp.length]!
  return x
}

// ---------------------------------------------------------------- activations: twins

describe('act_f32 / act_bwd_f32: SIMD == scalar twin, bitwise, at every tail size', () => {
  for (const name of KINDS) {
    it(`${name}: forward, in place, backward (accumulating), dx aliasing dy`, () => {
      for (const n of tailSizes(W_ACT)) {
        const x = actInputs(n, n)
        const ys = actFwd('scalar', name, x)
        const yv = actFwd('simd', name, x)
        expectSameBits(yv, ys, `${name} fwd n=${n}`)
        expectSameBits(actFwd('simd', name, x, true), ys, `${name} fwd in place n=${n}`)
        expectSameBits(actFwd('scalar', name, x, true), ys, `${name} fwd scalar in place n=${n}`)
        const dy = randomF32(n, n + 1)
        const dx0 = randomF32(n, n + 2)
        const gs = actBwd('scalar', name, x, ys, dy, dx0)
        expectSameBits(actBwd('simd', name, x, ys, dy, dx0), gs, `${name} bwd n=${n}`)
        expectSameBits(actBwd('simd', name, x, ys, dy, dx0, true), actBwd('scalar', name, x, ys, dy, dy), `${name} bwd dx=dy n=${n}`)
      }
    })
  }
  it('random sizes, kinds and data (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 10 }), fc.integer(), (n, kind, seed) => {
        const name = KINDS[kind]!
        const x = randomF32(n, seed, -20, 20)
        const ys = actFwd('scalar', name, x)
        expectSameBits(actFwd('simd', name, x), ys, name)
        const dy = randomF32(n, seed + 1)
        expectSameBits(actBwd('simd', name, x, ys, dy, dy), actBwd('scalar', name, x, ys, dy, dy), name)
      }),
      { numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------- activations: accuracy

const grid = (): Float32Array => {
  const lin = Array.from({ length: 4001 }, (_, i) => -12 + (24 * i) / 4000)
  const small = Array.from({ length: 200 }, (_, i) => 10 ** (-12 + (11 * i) / 199))
  return Float32Array.from([...lin, ...small, ...small.map((v) => -v), 0, 1e-3, -1e-3, 20, -20, 40, -40])
}
const nearKink = (x: number, kinks: ReadonlyArray<number>): boolean => kinks.some((c) => Math.abs(x - c) < 1e-3)

describe('activations against f64 references', () => {
  const xs = grid()
  it('gelu: the x sigmoid(2u) reference is the tanh form 0.5 x (1 + tanh u)', () => {
    for (let x = -6; x <= 6; x += 0.01) expect(Math.abs(REF.gelu.f(x, 0) - geluTanhForm(x))).toBeLessThan(1e-14)
  })
  for (const name of KINDS) {
    const r = REF[name]
    const a = alphaOf(name)
    it(`${name}: f64 reference derivative vs central differences (h = 1e-6)`, () => {
      const h = 1e-6
      for (const x of xs) {
        if (nearKink(x, r.kinks) || Math.abs(x) > 15) continue
        const fd = (r.f(x + h, a) - r.f(x - h, a)) / (2 * h)
        const an = r.df(x, a)
        if (!(Math.abs(fd - an) < 1e-6 * Math.max(1, Math.abs(an)))) expect.fail(`${name}'(${x}): analytic ${an} vs FD ${fd}`)
      }
    })
    it(`${name}: forward rel err < 1e-6 (gelu 2e-6; abs below |y| = 1e-3); backward vs analytic f64 and vs central differences`, () => {
      // gelu's tail (x near -3.4, |y| near 1e-3) reaches ~1.2e-6: the f32 rounding of
      // t = 2u (about 2 ulp) is amplified by |t| ~ 7 in sigmoid(t)
      const fwdTol = name === 'gelu' ? 2e-6 : 1e-6
      const y = actFwd('simd', name, xs)
      let worst = 0
      for (let i = 0; i < xs.length; i++) {
        const want = r.f(xs[i]!, a)
        const err = Math.abs(y[i]! - want) / Math.max(Math.abs(want), 1e-3)
        worst = Math.max(worst, err)
        if (!(err < fwdTol)) expect.fail(`${name}(${xs[i]}) = ${y[i]}, want ${want}`)
      }
      const dy = randomF32(xs.length, 7, 0.5, 1.5)
      const dx0 = randomF32(xs.length, 8)
      const dx = actBwd('simd', name, xs, y, dy, dx0)
      let worstD = 0
      const h = 1e-6
      for (let i = 0; i < xs.length; i++) {
        const x = xs[i]!
        if (nearKink(x, r.kinks)) continue
        const an = r.df(x, a)
        const got = (dx[i]! - dx0[i]!) / dy[i]! // accumulation: dx0 is added to
        const err = Math.abs(got - an)
        worstD = Math.max(worstD, err / Math.max(Math.abs(an), 1e-2))
        // 1e-4 relative, plus the f32 rounding of y in y(1 - y) and 1 - y^2 (about 1e-7 absolute)
        if (!(err < 1e-4 * Math.abs(an) + 1e-6)) expect.fail(`${name}'(${x}) = ${got}, want ${an}`)
        if (Math.abs(x) < 15) {
          const fd = (r.f(x + h, a) - r.f(x - h, a)) / (2 * h)
          if (!(Math.abs(got - fd) < 1e-4 * Math.abs(fd) + 1e-6)) expect.fail(`${name}'(${x}) = ${got} vs FD ${fd}`)
        }
      }
      console.log(`act ${name}: forward max rel err ${worst.toExponential(2)}, backward max err ${worstD.toExponential(2)} (rel, abs below 1e-2)`)
    })
  }
  it('stays finite for large inputs (no NaN from overflow), and saturates', () => {
    const big = Float32Array.of(88, -88, 89, -89, 100, -100, 1e30, -1e30, 3e38, -3e38)
    for (const name of KINDS) {
      const y = actFwd('simd', name, big)
      const dx = actBwd('simd', name, big, y, new Float32Array(big.length).fill(1), new Float32Array(big.length))
      for (let i = 0; i < big.length; i++) {
        expect(Number.isNaN(y[i]), `${name}(${big[i]})`).toBe(false)
        expect(Number.isNaN(dx[i]), `${name}'(${big[i]})`).toBe(false)
      }
    }
    expect(Array.from(actFwd('simd', 'tanh', Float32Array.of(10, -10)))).toEqual([1, -1])
    expect(Array.from(actFwd('simd', 'sigmoid', Float32Array.of(100, -200)))).toEqual([1, 0])
  })
})

// ---------------------------------------------------------------- bias_add, col_sum, row_sum

describe('bias_add / col_sum / row_sum', () => {
  const shapes = (w: number): ReadonlyArray<readonly [number, number]> =>
    tailSizes(w).flatMap((cols) => [[1, cols], [3, cols], ...(cols < 200 ? [[33, cols] as const] : [])] as Array<readonly [number, number]>)
  it('bias_add: twins bitwise, in place, exact f32 reference', () => {
    for (const [rows, cols] of shapes(W_BLAS)) {
      const x = randomF32(rows * cols, rows * 7 + cols)
      const bias = randomF32(cols, cols)
      const run = (form: Form, inPlace: boolean): Float32Array => {
        b.reset()
        const px = b.put(x)
        const pb = b.put(bias)
        const py = inPlace ? px : b.alloc(x.length)
        k[`bias_add_f32_${form}`](py, px, pb, rows, cols)
        expect(b.canaryOk(py, x.length)).toBe(true)
        return b.f32(py, x.length)
      }
      const want = x.map((v, i) => Math.fround(v + bias[i % cols]!))
      expectSameBits(run('scalar', false), want, `bias_add scalar ${rows}x${cols}`)
      expectSameBits(run('simd', false), want, `bias_add simd ${rows}x${cols}`)
      expectSameBits(run('simd', true), want, `bias_add simd in place ${rows}x${cols}`)
    }
  })
  it('col_sum (bias gradient): twins bitwise, acc = 0 overwrites, acc = 1 adds, f64 reference', () => {
    for (const [rows, cols] of shapes(W_BLAS)) {
      const x = randomF32(rows * cols, rows + cols * 3)
      const out0 = randomF32(cols, cols + 5)
      const run = (form: Form, acc: number): Float32Array => {
        b.reset()
        const px = b.put(x)
        const po = b.put(out0)
        k[`col_sum_f32_${form}`](po, px, rows, cols, acc)
        expect(b.canaryOk(po, cols)).toBe(true)
        return b.f32(po, cols)
      }
      for (const acc of [0, 1]) {
        const s = run('scalar', acc)
        expectSameBits(run('simd', acc), s, `col_sum ${rows}x${cols} acc=${acc}`)
        for (let j = 0; j < cols; j++) {
          let want = acc ? out0[j]! : 0
          for (let i = 0; i < rows; i++) want += x[i * cols + j]!
          if (!(Math.abs(s[j]! - want) < 1e-5 * (rows + 1))) expect.fail(`col_sum ${rows}x${cols} col ${j}: ${s[j]} vs ${want}`)
        }
      }
    }
  })
  it('row_sum: twins bitwise (same lane order), acc, f64 reference', () => {
    for (const [rows, cols] of shapes(W_ROW)) {
      const x = randomF32(rows * cols, rows * 11 + cols)
      const out0 = randomF32(rows, rows + 3)
      const run = (form: Form, acc: number): Float32Array => {
        b.reset()
        const px = b.put(x)
        const po = b.put(out0)
        k[`row_sum_f32_${form}`](po, px, rows, cols, acc)
        expect(b.canaryOk(po, rows)).toBe(true)
        return b.f32(po, rows)
      }
      for (const acc of [0, 1]) {
        const s = run('scalar', acc)
        expectSameBits(run('simd', acc), s, `row_sum ${rows}x${cols} acc=${acc}`)
        for (let i = 0; i < rows; i++) {
          let want = acc ? out0[i]! : 0
          for (let j = 0; j < cols; j++) want += x[i * cols + j]!
          if (!(Math.abs(s[i]! - want) < 1e-6 * (cols + 1))) expect.fail(`row_sum ${rows}x${cols} row ${i}: ${s[i]} vs ${want}`)
        }
      }
    }
  })
})

// ---------------------------------------------------------------- add, mul, axpy, scale, fill, copy

describe('add / mul / axpy / scale / fill / copy', () => {
  const alpha = Math.fround(-0.37)
  // [name, run(form, y, a, b) on pointers, exact f32 reference, in place allowed]
  type Case = readonly [string, (form: Form, py: number, pa: number, pb: number, n: number) => void, (y0: number, a: number, c: number) => number, boolean]
  const cases: ReadonlyArray<Case> = [
    ['add', (f, py, pa, pb, n) => k[`add_f32_${f}`](py, pa, pb, n), (_y, a, c) => Math.fround(a + c), true],
    ['mul', (f, py, pa, pb, n) => k[`mul_f32_${f}`](py, pa, pb, n), (_y, a, c) => Math.fround(a * c), true],
    ['axpy', (f, py, pa, _pb, n) => k[`axpy_f32_${f}`](py, pa, n, alpha), (y, a) => Math.fround(y + Math.fround(alpha * a)), true],
    ['scale', (f, py, pa, _pb, n) => k[`scale_f32_${f}`](py, pa, n, alpha), (_y, a) => Math.fround(alpha * a), true],
    ['fill', (f, py, _pa, _pb, n) => k[`fill_f32_${f}`](py, n, alpha), () => alpha, false],
    ['copy', (f, py, pa, _pb, n) => k[`copy_f32_${f}`](py, pa, n), (_y, a) => a, false],
  ]
  for (const [name, call, ref, inPlace] of cases) {
    it(`${name}: twins bitwise at every tail size, exact f32 reference${inPlace ? ', in place' : ''}, canary`, () => {
      for (const n of tailSizes(W_BLAS)) {
        const a = randomF32(n, n)
        const c = randomF32(n, n + 1)
        const y0 = randomF32(n, n + 2)
        const want = y0.map((y, i) => ref(y, a[i]!, c[i]!))
        for (const form of ['simd', 'scalar'] as const) {
          b.reset()
          const pa = b.put(a)
          const pc = b.put(c)
          const py = b.put(y0)
          call(form, py, pa, pc, n)
          expect(b.canaryOk(py, n)).toBe(true)
          expectSameBits(b.f32(py, n), want, `${name} ${form} n=${n}`)
          if (inPlace) {
            b.reset()
            const pa2 = b.put(a) // y aliases a (x for axpy and scale)
            const pc2 = b.put(c)
            call(form, pa2, pa2, pc2, n)
            const self = a.map((v, i) => (name === 'axpy' ? Math.fround(v + Math.fround(alpha * v)) : ref(v, v, c[i]!)))
            expectSameBits(b.f32(pa2, n), self, `${name} ${form} in place n=${n}`)
          }
        }
      }
    })
  }
})

// ---------------------------------------------------------------- release .wat snapshot

describe('release build', () => {
  it('act_f32_simd and its tanh path use f32x4 in the release .wat', () => {
    const shared = fileURLToPath(new URL('../../build/gradtrace.wat', import.meta.url))
    const own = fileURLToPath(new URL('../../build/elt/eltwise.wat', import.meta.url))
    const file = [shared, own].find((f) => existsSync(f) && readFileSync(f, 'utf8').includes('act_f32_simd'))
    if (file === undefined) return expect.fail('no release .wat with act_f32_simd: run node scripts/build.mjs wasm')
    const wat = readFileSync(file, 'utf8')
    // the exported kernel dispatches to one loop per kind; the tanh loop (kind 2) must be vectorised
    const fn = (name: string): string => {
      const start = wat.search(new RegExp(`\\n \\(func \\$[^ ]*/${name} `))
      if (start < 0) return ''
      const end = wat.indexOf('\n (func ', start + 1)
      return wat.slice(start, end < 0 ? undefined : end)
    }
    const tanhLoop = fn('fwd_simd_2') || fn('act_f32_simd')
    expect(tanhLoop).toContain('f32x4')
    expect(tanhLoop).toMatch(/f32x4\.(add|mul|div)/)
    expect(fn('bwd_simd_2') || fn('act_bwd_f32_simd')).toContain('f32x4')
  })
})
