/**
 * optim kernels: SIMD against the scalar twin (bit for bit) at every tail size,
 * with canaries after the update and after the in-place state; u aliasing g;
 * three successive steps against an f64 reference of each formula; clip and
 * sumsq against exact references.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { adamScalars } from '../../src/optim/Transform'
import type { Kernels } from '../../src/wasm/abi'
import { bench, randomF32, tailSizes } from '../helpers/kernels'

const B = bench()
const W = 8 // elements per main-loop iteration
const f = Math.fround

type Isa = 'simd' | 'scalar'
type Ptrs = Record<string, number>
type Params = Readonly<Record<string, number>>

interface Spec {
  readonly name: string
  /** buffers in signature order; `u` first */
  readonly bufs: ReadonlyArray<string>
  /** state buffers updated in place */
  readonly state: ReadonlyArray<string>
  /** non-negative buffers (second moments) */
  readonly positive: ReadonlyArray<string>
  readonly params: Params
  readonly call: (k: Kernels, isa: Isa, p: Ptrs, n: number, q: Params) => void
  /** one f64 step on element arrays; mutates state, returns u */
  readonly ref: (s: Record<string, Float64Array>, g: Float64Array, p: Float64Array, q: Params) => Float64Array
}

const momentum = (nesterov: number): Spec => ({
  name: `momentum nesterov=${nesterov}`,
  bufs: ['u', 'v', 'g'],
  state: ['v'],
  positive: [],
  params: { lr: 0.05, mu: 0.9, nesterov },
  call: (k, isa, p, n, q) => k[`momentum_f32_${isa}`](p.u!, p.v!, p.g!, n, q.lr!, q.mu!, q.nesterov!),
  ref: (s, g, _p, q) => {
    const [lr, mu] = [f(q.lr!), f(q.mu!)]
    const v = s.v!
    return g.map((gi, i) => {
      v[i] = mu * v[i]! + gi
      return -lr * (q.nesterov ? gi + mu * v[i]! : v[i]!)
    })
  },
})

const rmsprop: Spec = {
  name: 'rmsprop',
  bufs: ['u', 's', 'g'],
  state: ['s'],
  positive: ['s'],
  params: { lr: 0.01, rho: 0.9, eps: 1e-8 },
  call: (k, isa, p, n, q) => k[`rmsprop_f32_${isa}`](p.u!, p.s!, p.g!, n, q.lr!, q.rho!, q.eps!),
  ref: (st, g, _p, q) => {
    const [lr, rho, eps] = [f(q.lr!), f(q.rho!), f(q.eps!)]
    const s = st.s!
    return g.map((gi, i) => {
      s[i] = rho * s[i]! + (1 - rho) * gi * gi
      return (-lr * gi) / (Math.sqrt(s[i]!) + eps)
    })
  },
}

const adam = (wd: number): Spec => ({
  name: `adam wd=${wd}`,
  bufs: ['u', 'm', 'v', 'g', 'p'],
  state: ['m', 'v'],
  positive: ['v'],
  params: { lr: 0.001, b1: 0.9, b2: 0.999, eps: 1e-8, wd, t: 1 },
  call: (k, isa, p, n, q) => callAdam(k, isa, p, n, q),
  ref: (s, g, p, q) => torchAdam(s.m!, s.v!, g, p, q),
})

/** The kernel called as the library calls it (scalars from `adamScalars`). */
const callAdam = (k: Kernels, isa: Isa, p: Ptrs, n: number, q: Params): void => {
  const s = adamScalars({ b1: q.b1!, b2: q.b2!, wd: q.wd! }, q.lr!, q.t!)
  k[`adam_f32_${isa}`](p.u!, p.m!, p.v!, p.g!, p.p!, n, s.omb1, s.omb2, s.step, s.sbc2, q.eps!, s.decay)
}

/** PyTorch's Adam / AdamW step (torch.optim, decoupled decay) in f64 with the exact b1, b2: mutates m, v; returns p_new - p. */
const torchAdam = (m: Float64Array, v: Float64Array, g: Float64Array, p: Float64Array, q: Params): Float64Array => {
  const [lr, b1, b2, eps, wd, t] = [q.lr!, q.b1!, q.b2!, q.eps!, q.wd!, q.t!]
  const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t
  return g.map((gi, i) => {
    m[i] = b1 * m[i]! + (1 - b1) * gi
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi
    const decayed = p[i]! * (1 - lr * wd)
    return decayed - (lr / bc1) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + eps)) - p[i]!
  })
}

const specs: ReadonlyArray<Spec> = [momentum(0), momentum(1), rmsprop, adam(0), adam(0.01)]

const initial = (spec: Spec, name: string, n: number, seed: number): Float32Array =>
  spec.positive.includes(name) ? randomF32(n, seed, 0, 0.5) : randomF32(n, seed)

/** Runs one step on fresh buffers; returns the written buffers and whether every canary held. */
const run = (spec: Spec, isa: Isa, n: number, seed: number, q: Params, aliasUG = false) => {
  B.reset()
  const p: Ptrs = {}
  spec.bufs.forEach((b, j) => {
    if (b !== 'u' || !aliasUG) p[b] = B.put(initial(spec, b, n, seed * 31 + j))
  })
  if (aliasUG) p.u = p.g!
  else p.u = B.alloc(n)
  spec.call(B.k, isa, p, n, q)
  const written = ['u', ...spec.state]
  return {
    out: Object.fromEntries(written.map((b) => [b, B.f32(p[b]!, n)])),
    canaries: written.every((b) => B.canaryOk(p[b]!, n)) && B.canaryOk(p.g!, n),
  }
}

const bitsEqual = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length && new Uint32Array(a.buffer, a.byteOffset, a.length).every((w, i) => w === new Uint32Array(b.buffer, b.byteOffset, b.length)[i])

describe.each(specs)('$name', (spec) => {
  it('SIMD matches the scalar twin bit for bit at every tail size, canaries intact', () => {
    for (const n of tailSizes(W)) {
      const a = run(spec, 'simd', n, n, spec.params)
      const b = run(spec, 'scalar', n, n, spec.params)
      expect(a.canaries && b.canaries, `canary n=${n}`).toBe(true)
      for (const k of Object.keys(a.out)) expect(bitsEqual(a.out[k]!, b.out[k]!), `${k} n=${n}`).toBe(true)
    }
  })

  it('u may alias g (both ISAs)', () => {
    for (const n of [1, 7, 8, 9, 33, 100]) {
      for (const isa of ['simd', 'scalar'] as const) {
        const a = run(spec, isa, n, n, spec.params, true)
        const b = run(spec, isa, n, n, spec.params)
        expect(a.canaries, `canary n=${n}`).toBe(true)
        for (const k of Object.keys(a.out)) expect(bitsEqual(a.out[k]!, b.out[k]!), `${isa} ${k} n=${n}`).toBe(true)
      }
    }
  })

  it('SIMD matches scalar for random hyper-parameters (property)', () => {
    const hp = fc.record({ n: fc.integer({ min: 0, max: 77 }), seed: fc.nat(), a: fc.float({ min: f(1e-4), max: 1, noNaN: true }), b: fc.float({ min: 0, max: f(0.999), noNaN: true }) })
    fc.assert(
      fc.property(hp, ({ n, seed, a, b }) => {
        const q = { ...spec.params, lr: a, mu: b, rho: b, b1: b, t: 1 + (seed % 5), wd: spec.params.wd ? a : 0 }
        const x = run(spec, 'simd', n, seed, q)
        const y = run(spec, 'scalar', n, seed, q)
        return x.canaries && y.canaries && Object.keys(x.out).every((k) => bitsEqual(x.out[k]!, y.out[k]!))
      }),
      { numRuns: 60 },
    )
  })

  it('three successive steps agree with an f64 reference of the formula', () => {
    const n = 37
    for (const isa of ['simd', 'scalar'] as const) {
      B.reset()
      const p: Ptrs = {}
      const host: Record<string, Float64Array> = {}
      for (const [j, b] of spec.bufs.entries()) {
        if (b === 'u' || b === 'g') continue
        const x = initial(spec, b, n, 100 + j)
        p[b] = B.put(x)
        host[b] = Float64Array.from(x)
      }
      p.u = B.alloc(n)
      for (let t = 1; t <= 3; t++) {
        const g = randomF32(n, 1000 + t, -2, 2)
        p.g = B.put(g)
        const q = { ...spec.params, t }
        spec.call(B.k, isa, p, n, q)
        const want = spec.ref(host, Float64Array.from(g), host.p ?? new Float64Array(n), q)
        const got = B.f32(p.u, n)
        const scale = Math.max(...want.map(Math.abs))
        want.forEach((w, i) => expect(Math.abs(got[i]! - w), `${isa} step ${t} u[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-6 * scale))
        for (const s of spec.state) {
          const gs = B.f32(p[s]!, n)
          host[s]!.forEach((w, i) => expect(Math.abs(gs[i]! - w), `${isa} step ${t} ${s}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.abs(w) + 1e-7))
        }
        expect(B.canaryOk(p.u, n) && spec.state.every((s) => B.canaryOk(p[s]!, n))).toBe(true)
      }
    }
  })
})

describe('adam', () => {
  it('wd = 0 never reads p (p may be 0)', () => {
    const n = 13
    const run0 = (pp: (g: number) => number) => {
      B.reset()
      const [m, v, g] = [B.put(randomF32(n, 1)), B.put(randomF32(n, 2, 0, 1)), B.put(randomF32(n, 3))]
      const u = B.alloc(n)
      B.k.adam_f32_simd(u, m, v, g, pp(g), n, 0.1, 0.001, -0.1, 0.03, 1e-8, 0)
      return B.f32(u, n)
    }
    expect(bitsEqual(run0(() => 0), run0((g) => g))).toBe(true)
  })

  // #9: 1 - b2 rounded to f32 (9.99987e-4) against an exact bias correction made every
  // update 6.4e-6 larger than PyTorch's. A bias is invisible element by element (f32
  // rounding is 6e-8 a step and v remembers ~1000 steps); it shows in the mean.
  it.each([0, 0.01])("matches PyTorch's Adam (f64) with no bias over 1024 elements x 3000 steps, wd = %s", (wd) => {
    const n = 1024, steps = 3000
    const q0 = { lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd }
    // gradient scales from 1e-9 (eps matters) to 1e2, signs and sizes changing every step
    const scale = Float64Array.from(randomF32(n, 7, -9, 2), (e) => 10 ** e)
    const p = randomF32(n, 8, -1, 1)
    B.reset()
    const ptr: Ptrs = { m: B.put(new Float32Array(n)), v: B.put(new Float32Array(n)), g: B.alloc(n), p: B.put(p), u: B.alloc(n) }
    const m = new Float64Array(n), v = new Float64Array(n), p64 = Float64Array.from(p)
    let signed = 0, size = 0, worst = 0
    for (let t = 1; t <= steps; t++) {
      const g = Float32Array.from(randomF32(n, 1000 + t, -1, 1), (r, i) => (r + 0.3) * scale[i]!)
      new Float32Array(B.k.memory.buffer, ptr.g!, n).set(g)
      const q = { ...q0, t }
      callAdam(B.k, t % 2 === 0 ? 'simd' : 'scalar', ptr, n, q)
      const want = torchAdam(m, v, Float64Array.from(g), p64, q)
      const got = B.f32(ptr.u!, n)
      want.forEach((w, i) => {
        signed += (got[i]! - w) * Math.sign(w)
        size += Math.abs(w)
        worst = Math.max(worst, Math.abs(got[i]! - w) / q.lr)
      })
    }
    // magnitude-weighted mean signed relative error: sum (u - u_ref) sign(u_ref) / sum |u_ref|
    expect(Math.abs(signed / size)).toBeLessThan(1e-7)
    // (what is left, 4e-8 here, is lr = 1e-3 rounded to f32 in the step size, as in PyTorch's f32 kernels)
    // and every element within 1e-5 lr of the reference at every step
    expect(worst).toBeLessThan(1e-5)
  })
})

describe('clip', () => {
  const special = [NaN, Infinity, -Infinity, -0, 0, 0.5, -0.5, 3, -3]
  it('SIMD matches the scalar twin and min(max(x, lo), hi), y may alias x', () => {
    for (const n of tailSizes(W)) {
      const x = randomF32(n, n, -3, 3)
      special.forEach((s, i) => i < n && (x[(i * 7) % n] = s))
      const want = x.map((xi) => (Number.isNaN(xi) ? NaN : f(Math.min(Math.max(xi, -1), 2))))
      for (const isa of ['simd', 'scalar'] as const) {
        B.reset()
        const [px, py] = [B.put(x), B.alloc(n)]
        B.k[`clip_f32_${isa}`](py, px, n, -1, 2)
        expect(B.canaryOk(py, n)).toBe(true)
        expect(B.f32(py, n), `${isa} n=${n}`).toEqual(want)
        B.k[`clip_f32_${isa}`](px, px, n, -1, 2)
        expect(bitsEqual(B.f32(px, n), B.f32(py, n)), `in place ${isa} n=${n}`).toBe(true)
        expect(B.canaryOk(px, n)).toBe(true)
      }
    }
  })
})

describe('sumsq', () => {
  const exact = (x: Float32Array): number => {
    // f64 sum of exact squares, compensated (Neumaier)
    let s = 0
    let c = 0
    for (const xi of x) {
      const y = xi * xi
      const t = s + y
      c += Math.abs(s) >= Math.abs(y) ? s - t + y : y - t + s
      s = t
    }
    return s + c
  }
  it('SIMD equals the scalar twin bit for bit and the exact sum to 1e-13', () => {
    for (const n of [0, ...tailSizes(W)]) {
      B.reset()
      const x = randomF32(n, n + 5, -1e3, 1e3)
      const px = B.put(x)
      const a = B.k.sumsq_f32_simd(px, n)
      const b = B.k.sumsq_f32_scalar(px, n)
      expect(Object.is(a, b), `n=${n}: ${a} vs ${b}`).toBe(true)
      expect(Math.abs(a - exact(x))).toBeLessThanOrEqual(1e-13 * exact(x))
    }
  })
  it('keeps tiny and huge magnitudes that f32 would lose (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 64 }), (xs) => {
        B.reset()
        const x = Float32Array.from(xs)
        const px = B.put(x)
        const a = B.k.sumsq_f32_simd(px, x.length)
        return Object.is(a, B.k.sumsq_f32_scalar(px, x.length)) && Math.abs(a - exact(x)) <= 1e-13 * exact(x)
      }),
      { numRuns: 200 },
    )
  })
})
