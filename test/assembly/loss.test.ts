/**
 * loss kernels: SIMD against the scalar twin (bitwise, values and gradients)
 * at the tail sizes with canaries and aliasing; values and gradients against
 * f64 references, including logits of +-100; the f64 reference gradients
 * against central differences of the f64 reference losses; argmax.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

const b = bench()
const k = b.k
const W = 4 // loss kernels: one f32x4 per main-loop step
type Form = 'simd' | 'scalar'

const expectSameBits = (got: Float32Array, want: Float32Array, what: string): void => {
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length)
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length)
  for (let i = 0; i < got.length; i++) {
    if (g[i] === w[i] || (Number.isNaN(got[i]) && Number.isNaN(want[i]))) continue
    expect.fail(`${what}: element ${i} of ${got.length}: ${got[i]} vs ${want[i]}`)
  }
}
const close = (got: number, want: number, rtol: number, atol: number, what: string): void => {
  if (!(Math.abs(got - want) <= rtol * Math.abs(want) + atol)) expect.fail(`${what}: ${got} vs ${want}`)
}

// ---------------------------------------------------------------- f64 references

const softmax64 = (x: ArrayLike<number>): { p: number[]; lse: number } => {
  const m = Math.max(...Array.from(x))
  const e = Array.from(x, (v) => Math.exp(v - m))
  const s = e.reduce((a, c) => a + c, 0)
  return { p: e.map((v) => v / s), lse: m + Math.log(s) }
}
const rowsOf = (x: Float32Array | Float64Array, rows: number, cols: number): number[][] =>
  Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * cols, (i + 1) * cols)))

/** sum over rows of lse - x[label]; gradient of scale * loss */
const xent64 = (x: number[][], labels: Int32Array, scale: number): { loss: number; g: number[][] } => {
  let loss = 0
  const g = x.map((row, i) => {
    const { p, lse } = softmax64(row)
    loss += lse - row[labels[i]!]!
    return p.map((v, j) => scale * (v - (j === labels[i] ? 1 : 0)))
  })
  return { loss, g }
}
const xentSoft64 = (x: number[][], t: number[][], scale: number): { loss: number; g: number[][] } => {
  let loss = 0
  const g = x.map((row, i) => {
    const { p, lse } = softmax64(row)
    const st = t[i]!.reduce((a, c) => a + c, 0)
    row.forEach((v, j) => (loss += t[i]![j]! * (lse - v)))
    return p.map((v, j) => scale * (v * st - t[i]![j]!))
  })
  return { loss, g }
}
const mse64 = (y: number[], t: number[], scale: number): { loss: number; g: number[] } => ({
  loss: y.reduce((a, v, i) => a + (v - t[i]!) ** 2, 0),
  g: y.map((v, i) => scale * 2 * (v - t[i]!)),
})
const sig = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))
const bce64 = (z: number[], t: number[], scale: number): { loss: number; g: number[] } => ({
  loss: z.reduce((a, v, i) => a + Math.max(v, 0) - v * t[i]! + Math.log1p(Math.exp(-Math.abs(v))), 0),
  g: z.map((v, i) => scale * (sig(v) - t[i]!)),
})

// ---------------------------------------------------------------- runners

const labelsFor = (rows: number, cols: number, seed: number): Int32Array => Int32Array.from(randomF32(rows, seed, 0, cols), Math.floor)
const softTargets = (rows: number, cols: number, seed: number): Float32Array => {
  const t = randomF32(rows * cols, seed, 0, 1)
  for (let i = 0; i < rows; i++) {
    const s = t.subarray(i * cols, (i + 1) * cols).reduce((a, c) => a + c, 0)
    for (let j = 0; j < cols; j++) t[i * cols + j]! /= s
  }
  return t
}

const runXent = (form: Form, x: Float32Array, labels: Int32Array, rows: number, cols: number, scale: number, alias = false) => {
  b.reset()
  const px = b.put(x)
  const pl = b.put(labels)
  const pd = alias ? px : b.alloc(x.length)
  const loss = k[`softmax_xent_f32_${form}`](pd, px, pl, rows, cols, scale)
  expect(b.canaryOk(pd, x.length)).toBe(true)
  return { loss, g: b.f32(pd, x.length) }
}
const runSoft = (form: Form, x: Float32Array, t: Float32Array, rows: number, cols: number, scale: number, alias = false) => {
  b.reset()
  const px = b.put(x)
  const pt = b.put(t)
  const pd = alias ? px : b.alloc(x.length)
  const loss = k[`softmax_xent_soft_f32_${form}`](pd, px, pt, rows, cols, scale)
  expect(b.canaryOk(pd, x.length)).toBe(true)
  return { loss, g: b.f32(pd, x.length) }
}
const runSoftmax = (form: Form, x: Float32Array, rows: number, cols: number, alias = false): Float32Array => {
  b.reset()
  const px = b.put(x)
  const py = alias ? px : b.alloc(x.length)
  k[`softmax_f32_${form}`](py, px, rows, cols)
  expect(b.canaryOk(py, x.length)).toBe(true)
  return b.f32(py, x.length)
}
const runPointwise = (name: 'mse' | 'bce_logits', form: Form, y: Float32Array, t: Float32Array, scale: number, alias = false) => {
  b.reset()
  const py = b.put(y)
  const pt = b.put(t)
  const pd = alias ? py : b.alloc(y.length)
  const loss = k[`${name}_f32_${form}`](pd, py, pt, y.length, scale)
  expect(b.canaryOk(pd, y.length)).toBe(true)
  return { loss, g: b.f32(pd, y.length) }
}

// ---------------------------------------------------------------- twins

describe('loss kernels: SIMD == scalar twin, bitwise (values and gradients), at every tail size', () => {
  const scale = Math.fround(1 / 3)
  it('softmax, softmax_xent, softmax_xent_soft: rows x cols for cols in tailSizes(4), aliasing dl = logits', () => {
    for (const cols of tailSizes(W)) {
      const rows = cols > 512 ? 2 : 5
      const x = randomF32(rows * cols, cols, -8, 8)
      const lab = labelsFor(rows, cols, cols + 1)
      const t = softTargets(rows, cols, cols + 2)
      const ys = runSoftmax('scalar', x, rows, cols)
      expectSameBits(runSoftmax('simd', x, rows, cols), ys, `softmax ${rows}x${cols}`)
      expectSameBits(runSoftmax('simd', x, rows, cols, true), ys, `softmax in place ${rows}x${cols}`)
      const hs = runXent('scalar', x, lab, rows, cols, scale)
      for (const alias of [false, true]) {
        const hv = runXent('simd', x, lab, rows, cols, scale, alias)
        expect(hv.loss).toBe(hs.loss)
        expectSameBits(hv.g, hs.g, `xent ${rows}x${cols} alias=${alias}`)
      }
      expectSameBits(runXent('scalar', x, lab, rows, cols, scale, true).g, hs.g, `xent scalar alias ${cols}`)
      const ss = runSoft('scalar', x, t, rows, cols, scale)
      for (const alias of [false, true]) {
        const sv = runSoft('simd', x, t, rows, cols, scale, alias)
        expect(sv.loss).toBe(ss.loss)
        expectSameBits(sv.g, ss.g, `xent_soft ${rows}x${cols} alias=${alias}`)
      }
    }
  })
  it('mse, bce_logits: n in tailSizes(4), aliasing the gradient onto y / z', () => {
    for (const n of tailSizes(W)) {
      const y = randomF32(n, n, -10, 10)
      const t = randomF32(n, n + 1, 0, 1)
      for (const name of ['mse', 'bce_logits'] as const) {
        const s = runPointwise(name, 'scalar', y, t, scale)
        for (const alias of [false, true]) {
          const v = runPointwise(name, 'simd', y, t, scale, alias)
          expect(v.loss).toBe(s.loss)
          expectSameBits(v.g, s.g, `${name} n=${n} alias=${alias}`)
        }
      }
    }
  })
  it('random shapes and data (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 70 }), fc.integer(), fc.double({ min: -100, max: 100, noNaN: true }), (rows, cols, seed, spread) => {
        const x = randomF32(rows * cols, seed, -Math.abs(spread), Math.abs(spread) + 1e-3)
        const lab = labelsFor(rows, cols, seed + 1)
        const a = runXent('scalar', x, lab, rows, cols, 0.5)
        const v = runXent('simd', x, lab, rows, cols, 0.5)
        expect(v.loss).toBe(a.loss)
        expectSameBits(v.g, a.g, 'xent')
        const t = softTargets(rows, cols, seed + 2)
        const c = runSoft('scalar', x, t, rows, cols, 0.5)
        const d = runSoft('simd', x, t, rows, cols, 0.5)
        expect(d.loss).toBe(c.loss)
        expectSameBits(d.g, c.g, 'xent_soft')
      }),
      { numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------- f64 references

describe('losses against f64 references (value and gradient), stable for logits of +-100', () => {
  const shapes: ReadonlyArray<readonly [number, number, number]> = [
    [4, 10, 8], // rows, cols, logit spread
    [3, 37, 3],
    [5, 10, 100],
    [2, 1000, 100],
  ]
  for (const [rows, cols, spread] of shapes) {
    it(`softmax / softmax_xent / softmax_xent_soft, ${rows}x${cols}, logits in [-${spread}, ${spread}]`, () => {
      const x = randomF32(rows * cols, rows * cols + spread, -spread, spread)
      const lab = labelsFor(rows, cols, cols)
      const t = softTargets(rows, cols, cols + 9)
      const scale = 1 / rows
      const X = rowsOf(x, rows, cols)
      const ref = xent64(X, lab, scale)
      const got = runXent('simd', x, lab, rows, cols, Math.fround(scale))
      close(got.loss, ref.loss, 1e-5, 1e-6, 'xent loss')
      ref.g.flat().forEach((g, i) => close(got.g[i]!, g, 1e-5, 1e-7 * scale, `xent grad ${i}`))
      const refS = xentSoft64(X, rowsOf(t, rows, cols), scale)
      const gotS = runSoft('simd', x, t, rows, cols, Math.fround(scale))
      close(gotS.loss, refS.loss, 1e-5, 1e-6, 'soft loss')
      refS.g.flat().forEach((g, i) => close(gotS.g[i]!, g, 1e-5, 1e-7 * scale, `soft grad ${i}`))
      const p = runSoftmax('simd', x, rows, cols)
      X.forEach((row, i) => softmax64(row).p.forEach((v, j) => close(p[i * cols + j]!, v, 1e-5, 1e-8, `softmax ${i},${j}`)))
      for (const v of [...got.g, ...gotS.g, ...p, got.loss, gotS.loss]) expect(Number.isFinite(v)).toBe(true)
    })
  }
  it('softmax_xent on extreme rows: confident right (loss ~ 0), confident wrong (loss ~ 200), all equal', () => {
    const x = Float32Array.of(100, -100, -100, -100, -100, 100, 100, -100, 7, 7, 7, 7)
    const lab = Int32Array.of(0, 0, 2)
    const got = runXent('simd', x, lab, 3, 4, 1)
    const ref = xent64(rowsOf(x, 3, 4), lab, 1)
    close(got.loss, ref.loss, 1e-6, 1e-6, 'loss')
    expect(got.loss).toBeCloseTo(200 + Math.log(2) + Math.log(4), 4)
    ref.g.flat().forEach((g, i) => close(got.g[i]!, g, 1e-6, 1e-7, `grad ${i}`))
  })
  it('mse and bce_logits, including z = +-100', () => {
    const n = 203
    const y = randomF32(n, 5, -3, 3)
    const z = Float32Array.from([...randomF32(n - 6, 6, -12, 12), 100, -100, 50, -50, 0, 1e-6])
    const t = randomF32(n, 7, 0, 1)
    t[n - 6] = 0
    t[n - 5] = 1
    const scale = 1 / n
    const Y = Array.from(y)
    const T = Array.from(t)
    const m = runPointwise('mse', 'simd', y, t, Math.fround(scale))
    const mr = mse64(Y, T, scale)
    close(m.loss, mr.loss, 1e-6, 0, 'mse loss')
    mr.g.forEach((g, i) => close(m.g[i]!, g, 1e-6, 1e-12, `mse grad ${i}`))
    const c = runPointwise('bce_logits', 'simd', z, t, Math.fround(scale))
    const cr = bce64(Array.from(z), T, scale)
    close(c.loss, cr.loss, 1e-6, 0, 'bce loss')
    cr.g.forEach((g, i) => close(c.g[i]!, g, 1e-6, 1e-7 * scale, `bce grad ${i}`))
    for (const v of [...c.g, c.loss]) expect(Number.isFinite(v)).toBe(true)
  })
})

// ---------------------------------------------------------------- f64 gradient check of the references

describe('f64 reference gradients vs central differences (h = 1e-6)', () => {
  const h = 1e-6
  /** relative error of the analytic gradient g of f at x, over up to 64 coordinates */
  const check = (f: (x: number[]) => number, x: number[], g: number[], what: string): void => {
    const idx = x.length <= 64 ? x.map((_, i) => i) : Array.from(randomF32(64, x.length, 0, x.length), Math.floor)
    for (const i of idx) {
      const xp = x.slice()
      const xm = x.slice()
      xp[i]! += h
      xm[i]! -= h
      const fd = (f(xp) - f(xm)) / (2 * h)
      close(g[i]!, fd, 1e-6, 1e-8, `${what} coordinate ${i}`)
    }
  }
  const rows = 3
  const cols = 7
  const scale = 0.25
  const x = Array.from(randomF32(rows * cols, 11, -4, 4), Number)
  const split = (v: number[]): number[][] => Array.from({ length: rows }, (_, i) => v.slice(i * cols, (i + 1) * cols))
  it('softmax_xent', () => {
    const lab = Int32Array.of(1, 6, 0)
    check((v) => scale * xent64(split(v), lab, 1).loss, x, xent64(split(x), lab, scale).g.flat(), 'xent')
  })
  it('softmax_xent_soft', () => {
    const t = split(Array.from(softTargets(rows, cols, 3), Number))
    check((v) => scale * xentSoft64(split(v), t, 1).loss, x, xentSoft64(split(x), t, scale).g.flat(), 'xent_soft')
  })
  it('mse and bce_logits', () => {
    const t = Array.from(randomF32(x.length, 4, 0, 1), Number)
    check((v) => scale * mse64(v, t, 1).loss, x, mse64(x, t, scale).g, 'mse')
    check((v) => scale * bce64(v, t, 1).loss, x, bce64(x, t, scale).g, 'bce')
  })
})

// ---------------------------------------------------------------- argmax

describe('argmax_f32_scalar', () => {
  it('matches the first max, per row; ties go to the first; NaN never wins', () => {
    for (const cols of tailSizes(W).slice(0, 20)) {
      const rows = 4
      const x = randomF32(rows * cols, cols, -1, 1)
      if (cols > 3) {
        x[1] = 5 // row 0: tie between 1 and 3
        x[3] = 5
        x[cols] = NaN // row 1 starts with NaN
      }
      b.reset()
      const px = b.put(x)
      const po = b.alloc(rows)
      k.argmax_f32_scalar(po, px, rows, cols)
      expect(b.canaryOk(po, rows)).toBe(true)
      const got = b.i32(po, rows)
      for (let i = 0; i < rows; i++) {
        let best = -Infinity
        let at = 0
        for (let j = 0; j < cols; j++) if (x[i * cols + j]! > best) [best, at] = [x[i * cols + j]!, j]
        expect(got[i], `row ${i} cols ${cols}`).toBe(at)
      }
      if (cols > 3) expect(got[0]).toBe(1)
    }
  })
})
