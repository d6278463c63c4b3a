/**
 * GEMM kernels: NN, NT and TN, SIMD and scalar, against a float64 reference,
 * with acc = 0 and acc = 1, on odd shapes that reach every tail (m % 4, n % 8,
 * k > KC, n > NC, m > MC, the small/packed switch); canaries after C and ws;
 * inputs unchanged; SIMD vs scalar agreement; the release build on one large
 * shape; and a snapshot of the release / relaxed .wat text.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bench, type Bench, randomF32 } from '../helpers/kernels'

type Form = 'nn' | 'nt' | 'tn'
type Isa = 'simd' | 'scalar'
const FORMS: ReadonlyArray<Form> = ['nn', 'nt', 'tn']

// During development KERNEL_WASM points at build/gemm/debug.wasm; its release
// and relaxed siblings (and .wat texts) sit beside it.
const devWasm = process.env.KERNEL_WASM
const root = fileURLToPath(new URL('../../', import.meta.url))

const wasmFile = (b: 'release' | 'relaxed'): string =>
  devWasm !== undefined ? join(dirname(devWasm), `${b}.wasm`) : join(root, `build/gradtrace${b === 'relaxed' ? '.relaxed' : ''}.wasm`)

const buildBench = (b: 'release' | 'relaxed'): Bench => {
  if (devWasm === undefined) return bench(b)
  process.env.KERNEL_WASM = wasmFile(b) // the helper's override applies to its 'debug' slot
  try {
    return bench('debug')
  } finally {
    process.env.KERNEL_WASM = devWasm
  }
}

/** Stored element index of op(A)(i,p) and op(B)(p,j) for each form. */
const layout = (form: Form, m: number, k: number, n: number) => ({
  a: form === 'tn' ? (i: number, p: number) => p * m + i : (i: number, p: number) => i * k + p,
  b: form === 'nt' ? (p: number, j: number) => j * k + p : (p: number, j: number) => p * n + j,
})

/** x[i], NaN when out of range (noUncheckedIndexedAccess; a NaN fails every check). */
const get = (x: ArrayLike<number>, i: number): number => x[i] ?? NaN

interface Case {
  readonly got: Float32Array
  readonly ref: Float64Array
  readonly scale: Float64Array // sum |a||b| (+ |c0|) per element
  readonly canaries: boolean
  readonly inputsKept: boolean
}

const run = (tb: Bench, form: Form, isa: Isa, m: number, k: number, n: number, acc: 0 | 1, seed: number): Case => {
  tb.reset()
  const wsBytes = tb.k.gemm_ws_bytes()
  const ws = tb.alloc(wsBytes / 4)
  const a = randomF32(m * k, seed)
  const b = randomF32(k * n, seed + 1)
  const c0 = randomF32(m * n, seed + 2, -4, 4)
  const pa = tb.put(a)
  const pb = tb.put(b)
  const pc = tb.put(c0)
  tb.k[`gemm_${form}_f32_${isa}`](pc, pa, pb, m, k, n, acc, ws)
  // op(A) as (M,K) and op(B)^T as (N,K), in f64, so the reference loop is contiguous
  const at = layout(form, m, k, n)
  const ra = Float64Array.from({ length: m * k }, (_, q) => get(a, at.a(Math.floor(q / k), q % k)))
  const rb = Float64Array.from({ length: n * k }, (_, q) => get(b, at.b(q % k, Math.floor(q / k))))
  const ref = new Float64Array(m * n)
  const scale = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = acc ? get(c0, i * n + j) : 0
      let t = acc ? Math.abs(get(c0, i * n + j)) : 0
      for (let p = 0, ia = i * k, jb = j * k; p < k; p++) {
        const x = get(ra, ia + p) * get(rb, jb + p)
        s += x
        t += Math.abs(x)
      }
      ref[i * n + j] = s
      scale[i * n + j] = t
    }
  }
  const same = (p: number, x: Float32Array): boolean => tb.f32(p, x.length).every((v, i) => Object.is(v, x[i]))
  return {
    got: tb.f32(pc, m * n),
    ref,
    scale,
    canaries: tb.canaryOk(pc, m * n) && tb.canaryOk(ws, wsBytes / 4) && tb.canaryOk(pa, a.length) && tb.canaryOk(pb, b.length),
    inputsKept: same(pa, a) && same(pb, b),
  }
}

/** Index of the first element outside |got - ref| <= 1e-5 sqrt(k) scale, or -1. */
const firstBad = (r: Case, k: number): number => {
  const tol = 1e-5 * Math.sqrt(Math.max(k, 1))
  return r.got.findIndex((g, i) => !(Math.abs(g - get(r.ref, i)) <= tol * get(r.scale, i) + 1e-30))
}

// m, k, n. Up to 32^3 the unpacked kernel runs; above, the packed path
// (KC = 256, MC = 96, NC = 1024, 4x8 tiles).
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1],
  [3, 5, 7],
  [13, 17, 19],
  [4, 8, 8],
  [8, 16, 32],
  [2, 1, 1030], // small path, n > NC
  [5, 300, 11], // small path, k > KC (NT: packed, k > KC)
  [1, 600, 1],
  [32, 32, 32], // the small/packed boundary
  [33, 32, 32],
  [64, 64, 64],
  [7, 600, 67], // packed: k > KC, m % 4 = 3, n % 8 = 3
  [130, 257, 13], // packed: m > MC, k = KC + 1
  [100, 33, 1030], // packed: n > NC, m > MC, n % 8 = 6
  [16, 64, 256], // whole tiles only
]

const tb = bench()

describe.each(FORMS)('gemm_%s_f32', (form) => {
  describe.each(['simd', 'scalar'] as const)('%s', (isa) => {
    it.each(SHAPES)('m=%i k=%i n=%i matches the f64 reference, acc 0 and 1', (m, k, n) => {
      for (const acc of [0, 1] as const) {
        const r = run(tb, form, isa, m, k, n, acc, m * 7919 + k * 31 + n + acc)
        const bad = firstBad(r, k)
        expect(bad, `acc=${acc} C[${bad}] = ${r.got[bad]}, want ${r.ref[bad]}`).toBe(-1)
        expect(r.canaries, 'canary after C, A, B or ws').toBe(true)
        expect(r.inputsKept, 'A and B unchanged').toBe(true)
      }
    })
  })

  it('tail sweep: m = 1..9 (2 MR + 1), n = 1..17 (2 NR + 1), k = 3 (unpacked) and 520 (packed, 2 K blocks)', () => {
    for (const k of [3, 520]) {
      for (let m = 1; m <= 9; m++) {
        for (let n = 1; n <= 17; n++) {
          const r = run(tb, form, 'simd', m, k, n, 1, m * 100 + n)
          expect(firstBad(r, k), `m=${m} k=${k} n=${n}`).toBe(-1)
          expect(r.canaries, `canary m=${m} k=${k} n=${n}`).toBe(true)
        }
      }
    }
  })

  it('simd agrees with the scalar twin', () => {
    for (const [m, k, n] of [
      [13, 17, 19],
      [7, 600, 67],
      [100, 33, 1030],
    ] as const) {
      const s = run(tb, form, 'simd', m, k, n, 1, 5)
      const q = run(tb, form, 'scalar', m, k, n, 1, 5)
      const tol = 2e-5 * Math.sqrt(k)
      const bad = s.got.findIndex((v, i) => !(Math.abs(v - get(q.got, i)) <= tol * get(s.scale, i)))
      expect(bad).toBe(-1)
    }
  })

  it('k = 0 overwrites C with zeros (acc 0) or leaves it (acc 1); m = 0 or n = 0 writes nothing', () => {
    for (const isa of ['simd', 'scalar'] as const) {
      for (const acc of [0, 1] as const) {
        const r = run(tb, form, isa, 5, 0, 9, acc, 3)
        expect(Array.from(r.got)).toEqual(Array.from(r.ref, (x) => Math.fround(x)))
        expect(r.canaries).toBe(true)
      }
      expect(run(tb, form, isa, 0, 4, 9, 0, 3).canaries).toBe(true)
      expect(run(tb, form, isa, 5, 4, 0, 0, 3).canaries).toBe(true)
    }
  })
})

describe('release build', () => {
  const rb = buildBench('release')
  it.each(FORMS)('gemm_%s_f32_simd on 100x260x1030 (m > MC, k > KC, n > NC, edges)', (form) => {
    const r = run(rb, form, 'simd', 100, 260, 1030, 1, 11)
    expect(firstBad(r, 260)).toBe(-1)
    expect(r.canaries).toBe(true)
  })
})

// Node 20 runs relaxed SIMD only with --experimental-wasm-relaxed-simd: vitest.config.ts
// gives it to the test workers (execArgv), so the relaxed kernels run under `npm test`.
describe('relaxed build', () => {
  it('validates in this engine (Node 20: the workers run with --experimental-wasm-relaxed-simd)', () => {
    expect(existsSync(wasmFile('relaxed'))).toBe(true)
    expect(WebAssembly.validate(readFileSync(wasmFile('relaxed')))).toBe(true)
  })
  it.each(FORMS)('gemm_%s_f32_simd on 100x260x1030', (form) => {
    const r = run(buildBench('relaxed'), form, 'simd', 100, 260, 1030, 1, 13)
    expect(firstBad(r, 260)).toBe(-1)
    expect(r.canaries).toBe(true)
  })
})

// ---------------------------------------------------------------------------
// snapshot: the .wat texts

const watFile = (b: 'release' | 'relaxed'): string =>
  devWasm !== undefined
    ? join(dirname(devWasm), `${b}.wat`)
    : join(root, `build/gradtrace${b === 'relaxed' ? '.relaxed' : ''}.wat`)

/** Function bodies of a .wat text by name. */
const funcs = (wat: string): ReadonlyMap<string, string> => {
  const out = new Map<string, string>()
  const parts = wat.split(/\n \(func \$/)
  for (const part of parts.slice(1)) out.set(part.slice(0, part.search(/[\s(]/)), part)
  return out
}

/** Text of an exported function and of every function it calls, transitively. */
const reachable = (wat: string, exported: string): string => {
  const fs = funcs(wat)
  const m = new RegExp(`\\(export "${exported}" \\(func \\$([^)\\s]+)\\)`).exec(wat)
  if (m === null) return ''
  const seen = new Set<string>()
  const todo = [m[1]]
  let text = ''
  while (todo.length > 0) {
    const f = todo.pop() as string
    if (seen.has(f)) continue
    seen.add(f)
    const body = fs.get(f) ?? ''
    text += body
    for (const c of body.matchAll(/\bcall \$([^)\s]+)/g)) todo.push(c[1])
  }
  return text
}

const RELAXED_OP = /\b(?:f32x4|f64x2|i8x16|i16x8|i32x4|i64x2)\.relaxed_/

describe('wat snapshot', () => {
  const release = readFileSync(watFile('release'), 'utf8')
  const relaxed = readFileSync(watFile('relaxed'), 'utf8')

  it.each(FORMS)('release gemm_%s_f32_simd uses f32x4 (mul and add), no relaxed op', (form) => {
    const text = reachable(release, `gemm_${form}_f32_simd`)
    expect(text).toMatch(/f32x4\.mul/)
    expect(text).toMatch(/f32x4\.add/)
    expect(text).toMatch(/v128\.load32_splat/)
  })

  it('the release text has no relaxed-SIMD instruction anywhere; the relaxed text has relaxed_madd in every gemm form', () => {
    expect(release).not.toMatch(RELAXED_OP)
    for (const form of FORMS) expect(reachable(relaxed, `gemm_${form}_f32_simd`)).toMatch(/f32x4\.relaxed_madd/)
  })

  it('the scalar twins use no SIMD', () => {
    for (const form of FORMS) expect(reachable(release, `gemm_${form}_f32_scalar`)).not.toMatch(/v128|f32x4/)
  })
})

// existsSync keeps a missing build an explicit failure, not a crash at import
it('the .wat files exist', () => {
  expect(existsSync(watFile('release')) && existsSync(watFile('relaxed'))).toBe(true)
})
