/**
 * The Rbm namespace against float64 references: the CD-1 gradient on a fixed sample
 * (the samples re-drawn from Key's uniforms), free energies and log Z against brute
 * force over both layers, the exact likelihood summing to one, AIS within 0.5 nats of
 * the exact log Z, the stochastic pseudo-log-likelihood; bit-identical runs for one key;
 * PCD chains, Gaussian visible units, the codec, errors that name their field, purity.
 */
import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import type { Tensor } from '../../src/core/Tensor'
import * as Rbm from '../../src/rbm/index'
import * as Wasm from '../../src/wasm/index'
import { randomF32 } from '../helpers/kernels'
import { bruteLogZ, bruteNegFreeEnergy, freeEnergy, hidPre, sigmoid, softplus, type Tiny } from './reference'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const binary = (rows: number, cols: number, seed: number): Tensor => ({ shape: [rows, cols], data: Float32Array.from(randomF32(rows * cols, seed, 0, 1), (u) => (u < 0.4 ? 1 : 0)) })
const tinyOf = (s: Rbm.RbmSpec, p: Rbm.RbmParams): Tiny => ({ nv: s.nVisible, nh: s.nHidden, W: p.W, a: p.a, b: p.b })
const stateWith = (input: Rbm.RbmSpecInput, seed: number, data?: Tensor): Rbm.RbmState => right(Rbm.init(right(Rbm.spec(input)), Key.key(seed), data))

/** The CD-1 gradient in float64, samples drawn as the kernels draw them: stage 0 at counters 0 + i. */
const cd1Reference = (m: Tiny, v0: Float32Array, B: number, key: Key.Key, decay: number) => {
  const { nv: V, nh: H } = m
  const hp0 = Array.from(hidPre(m, v0, B), sigmoid)
  const hs = hp0.map((p, i) => (Key.uniform01(key, i) < Math.fround(p) ? 1 : 0))
  const vp = Float64Array.from({ length: B * V }, (_, q) => {
    const r = Math.floor(q / V), i = q % V
    let z = m.a[i]!
    for (let j = 0; j < H; j++) z += hs[r * H + j]! * m.W[i * H + j]!
    return sigmoid(z)
  })
  const hkp = Array.from(hidPre(m, vp, B), sigmoid)
  const gW = Float64Array.from({ length: V * H }, (_, q) => {
    const i = Math.floor(q / H), j = q % H
    let s = 0
    for (let r = 0; r < B; r++) s += vp[r * V + i]! * hkp[r * H + j]! - v0[r * V + i]! * hp0[r * H + j]!
    return s / B + decay * m.W[q]!
  })
  const col = (x: ArrayLike<number>, y: ArrayLike<number>, n: number) =>
    Float64Array.from({ length: n }, (_, j) => Array.from({ length: B }, (_, r) => x[r * n + j]! - y[r * n + j]!).reduce((s, d) => s + d, 0) / B)
  const recon = Array.from(v0, (x, q) => (x - vp[q]!) ** 2).reduce((s, d) => s + d, 0) / B
  return { gW, ga: col(vp, v0, V), gb: col(hkp, hp0, H), recon }
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number): number =>
  Array.from(want).reduce((worst, w, i) => Math.max(worst, Math.abs(got[i]! - w) / (tol + Math.abs(w))), 0)

describe('CD-1', () => {
  it('gradient, momentum buffer, update and trace against float64 on a fixed sample', () => {
    const x = binary(7, 13, 5), st = stateWith({ nVisible: 13, nHidden: 9, initStd: 0.3 }, 2, x)
    const [s1, trace] = right(Rbm.step(st, x))
    const ref = cd1Reference(tinyOf(st.spec, st.params), x.data as Float32Array, 7, Key.foldIn(st.key, 0), 2e-4)
    // the first step: velocity = 0.5 * 0 + g, and the parameters move by -lr g
    expect(close(s1.velocity.W, ref.gW, 1e-3)).toBeLessThan(1e-4)
    expect(close(s1.velocity.a, ref.ga, 1e-3)).toBeLessThan(1e-4)
    expect(close(s1.velocity.b, ref.gb, 1e-3)).toBeLessThan(1e-4)
    expect(close(s1.params.W, Array.from(st.params.W, (w, q) => w - 0.1 * ref.gW[q]!), 1e-3)).toBeLessThan(1e-4)
    expect(Math.abs(trace.reconstruction - ref.recon)).toBeLessThan(1e-4)
    const fe = freeEnergy(tinyOf(st.spec, st.params), x.data, 7).reduce((s, f) => s + f, 0) / 7
    expect(Math.abs(trace.freeEnergy - fe)).toBeLessThan(1e-4)
    const dW = Math.hypot(...Array.from(s1.params.W, (w, q) => w - st.params.W[q]!)), nW = Math.hypot(...st.params.W)
    expect(Math.abs(trace.updateRatio.W - dW / nW)).toBeLessThan(1e-3 * trace.updateRatio.W)
    expect(trace.hidden.histogram.reduce((s, c) => s + c, 0)).toBe(7 * 9)
    expect([trace.momentum, trace.learningRate, trace.nonFinite]).toEqual([0.5, 0.1, 0])
  })

  it('the same key gives the same bits; another key other samples; inputs are not changed', () => {
    const x = binary(10, 12, 1), st = stateWith({ nVisible: 12, nHidden: 6, k: 3 }, 4, x)
    const before = JSON.stringify([Array.from(x.data), Array.from(st.params.W)])
    const run = (s: Rbm.RbmState) => {
      let cur = s
      const traces: Rbm.RbmTrace[] = []
      for (let i = 0; i < 5; i++) {
        const [n, t] = right(Rbm.step(cur, x))
        ;[cur, traces[i]] = [n, t]
      }
      return { cur, traces }
    }
    const a = run(st), b = run(st), c = run({ ...st, key: Key.key(99) })
    expect(Array.from(a.cur.params.W)).toEqual(Array.from(b.cur.params.W))
    expect(a.traces).toEqual(b.traces)
    expect(Array.from(a.cur.params.W)).not.toEqual(Array.from(c.cur.params.W))
    expect(JSON.stringify([Array.from(x.data), Array.from(st.params.W)])).toBe(before)
  })

  it('bit-identical on another runtime and on the debug build (asserts on, optimised less)', () => {
    const x = binary(9, 11, 6), st = stateWith({ nVisible: 11, nHidden: 7, k: 2, persistent: true, initStd: 0.5 }, 8, x)
    const debug = readFileSync(new URL('../../build/gradtrace.debug.wasm', import.meta.url))
    const runtimes = [undefined, right(Wasm.loadSync()), right(Wasm.loadSync({ wasm: debug }))]
    const results = runtimes.map((rt) => {
      let cur = st
      for (let i = 0; i < 3; i++) cur = right(Rbm.step(cur, x, rt))[0]
      return [...cur.params.W, ...cur.params.a, ...cur.params.b, ...cur.chains!]
    })
    expect(results[1]).toEqual(results[0])
    expect(results[2]).toEqual(results[0])
  })

  it('momentum switches from 0.5 to 0.9 at spec.momentumSwitch (epochs)', () => {
    const x = binary(4, 5, 3), st = stateWith({ nVisible: 5, nHidden: 3, momentumSwitch: 2 }, 1, x)
    expect(right(Rbm.step(Rbm.nextEpoch(Rbm.nextEpoch(st)), x))[1].momentum).toBe(0.9)
    expect(right(Rbm.step(Rbm.nextEpoch(st), x))[1].momentum).toBe(0.5)
  })
})

describe('PCD and Gaussian visible units', () => {
  it('PCD carries its chains from step to step, starting from the batch', () => {
    // weights large enough that the chains' next states depend on where they are (with std 0.01 they barely do)
    const x = binary(6, 8, 2), st = stateWith({ nVisible: 8, nHidden: 5, persistent: true, initStd: 2 }, 3, x)
    const [s1] = right(Rbm.step(st, x))
    expect(s1.chains?.length).toBe(48)
    expect(Array.from(s1.chains!).every((v) => v === 0 || v === 1)).toBe(true)
    const [s2a] = right(Rbm.step(s1, x)), [s2b] = right(Rbm.step({ ...s1, chains: null }, x))
    expect(Array.from(s2a.chains!)).not.toEqual(Array.from(s2b.chains!)) // the chains are read
    expect(Array.from(s2a.params.W)).not.toEqual(Array.from(s2b.params.W))
  })

  it('PCD chains with frozen weights sample the model: their visible states follow p(v) by enumeration', () => {
    const rows = 4000, nv = 4, s = right(Rbm.spec({ nVisible: nv, nHidden: 3, persistent: true, learningRate: 1e-30, weightDecay: 0 }))
    const st0 = right(Rbm.init(s, Key.key(5)))
    const params = { W: Float32Array.from({ length: 12 }, (_, q) => 1.5 * Math.sin(q + 1)), a: new Float32Array([0.5, -1, 0, 1]), b: new Float32Array([-0.5, 0.3, 0]) }
    const x: Tensor = { shape: [rows, nv], data: new Float32Array(rows * nv) } // chains start all off
    let st = Rbm.fromParams(s, params, st0.key)
    for (let i = 0; i < 30; i++) st = right(Rbm.step(st, x))[0]
    expect(Array.from(st.params.W)).toEqual(Array.from(params.W)) // frozen
    const counts = new Array(16).fill(0)
    for (let r = 0; r < rows; r++) counts[Array.from(st.chains!.subarray(r * nv, (r + 1) * nv)).reduce((c, v, i) => c + (v << i), 0)]++
    const logZ = bruteLogZ(tinyOf(s, params))
    counts.forEach((c, code) => {
      const v = Array.from({ length: nv }, (_, i) => (code >> i) & 1)
      expect(Math.abs(c / rows - Math.exp(bruteNegFreeEnergy(tinyOf(s, params), v) - logZ))).toBeLessThan(0.03)
    })
  })

  it('Gaussian-Bernoulli: free energy and log Z against f64 and quadrature-free identities; training lowers reconstruction', () => {
    const rows = 50, x: Tensor = { shape: [rows, 4], data: Float32Array.from(randomF32(rows * 4, 8), (u, i) => u + (i % 4 < 2 ? 1 : -1)) }
    const s = right(Rbm.spec({ visible: 'gaussian', nVisible: 4, nHidden: 3, learningRate: 0.01 }))
    const st = right(Rbm.init(s, Key.key(1), x))
    const fe = freeEnergy(tinyOf(s, st.params), x.data, rows, true).reduce((a, f) => a + f, 0) / rows
    expect(Math.abs(right(Rbm.freeEnergy(s, st.params, x)) - fe)).toBeLessThan(1e-4)
    // log Z with W = 0: (nv/2) log 2 pi + nh log 2
    const zero = { W: new Float32Array(12), a: new Float32Array(4), b: new Float32Array(3) }
    expect(Math.abs(right(Rbm.exactLogZ(s, zero)) - (2 * Math.log(2 * Math.PI) + 3 * Math.LN2))).toBeLessThan(1e-9)
    let cur = st
    const recon: number[] = []
    for (let i = 0; i < 200; i++) {
      const [n, t] = right(Rbm.step(cur, x))
      ;[cur, recon[i]] = [n, t.reconstruction]
    }
    expect(recon[199]!).toBeLessThan(recon[0]!)
  })
})

describe('measurements against brute force', () => {
  const s = right(Rbm.spec({ nVisible: 6, nHidden: 5, initStd: 1 }))
  const p = stateWith({ nVisible: 6, nHidden: 5, initStd: 1 }, 7).params
  const m = tinyOf(s, { ...p, a: Float32Array.from({ length: 6 }, (_, i) => 0.3 * i - 0.8), b: Float32Array.from({ length: 5 }, (_, j) => 0.5 - 0.2 * j) })
  const params = { W: Float32Array.from(m.W), a: Float32Array.from(m.a), b: Float32Array.from(m.b) }
  const all: Tensor = { shape: [64, 6], data: Float32Array.from({ length: 384 }, (_, q) => (Math.floor(q / 6) >> q % 6) & 1) }

  it('free energy of every visible vector equals -log sum_h exp(-E(v, h))', () => {
    for (let r = 0; r < 64; r += 9) {
      const row: Tensor = { shape: [1, 6], data: all.data.slice(r * 6, r * 6 + 6) }
      expect(Math.abs(right(Rbm.freeEnergy(s, params, row)) + bruteNegFreeEnergy(m, Array.from(row.data)))).toBeLessThan(1e-5)
    }
  })

  it('exact log Z equals brute force over both layers; the likelihood of all 2^nv vectors sums to 1', () => {
    expect(Math.abs(right(Rbm.exactLogZ(s, params)) - bruteLogZ(m))).toBeLessThan(1e-9)
    const meanLL = right(Rbm.logLikelihood(s, params, all))
    const total = Array.from({ length: 64 }, (_, r) => Math.exp(right(Rbm.logLikelihood(s, params, { shape: [1, 6], data: all.data.slice(r * 6, r * 6 + 6) })))).reduce((a, b) => a + b, 0)
    expect(Math.abs(total - 1)).toBeLessThan(1e-5)
    expect(meanLL).toBeLessThan(0)
  })

  it('the stochastic pseudo-log-likelihood flips unit bits(r) mod nv of row r', () => {
    const key = Key.key(5)
    const ref = Array.from({ length: 64 }, (_, r) => {
      const v = Array.from(all.data.slice(r * 6, r * 6 + 6)), k = Key.bits(key, r)[0] % 6
      const f = -bruteNegFreeEnergy(m, v)
      v[k] = 1 - v[k]!
      return -6 * softplus(-(-bruteNegFreeEnergy(m, v) - f))
    }).reduce((a, b) => a + b, 0) / 64
    expect(Math.abs(right(Rbm.pseudoLogLikelihood(s, params, all, key)) - ref)).toBeLessThan(1e-4)
  })

  it('AIS is within 0.5 nats of the exact log Z of an RBM small enough to enumerate (fixed seed), and repeatable', () => {
    const big = right(Rbm.spec({ nVisible: 24, nHidden: 12, initStd: 1.5 }))
    const q = stateWith({ nVisible: 24, nHidden: 12, initStd: 1.5 }, 11).params
    const exact = right(Rbm.exactLogZ(big, q))
    const est = right(Rbm.ais(big, q, { key: Key.key(12), particles: 100, betas: Rbm.schedule(2000) }))
    expect(Math.abs(est.logZ - exact)).toBeLessThan(0.5)
    expect(est).toEqual(right(Rbm.ais(big, q, { key: Key.key(12), particles: 100, betas: Rbm.schedule(2000) })))
    expect(est.ess).toBeGreaterThan(1)
  })
})

describe('AIS on Gaussian visible units', () => {
  it('is within 0.5 nats of the exact log Z, from a zero base mean and from another one', () => {
    const g = right(Rbm.spec({ visible: 'gaussian', nVisible: 10, nHidden: 12, initStd: 0.4 }))
    const p0 = right(Rbm.init(g, Key.key(21))).params
    const q = { ...p0, a: Float32Array.from({ length: 10 }, (_, i) => 0.2 * i - 1), b: Float32Array.from({ length: 12 }, (_, j) => 0.1 * j - 0.5) }
    const exact = right(Rbm.exactLogZ(g, q))
    for (const baseBias of [undefined, Float32Array.from({ length: 10 }, (_, i) => 0.1 * i)]) {
      const est = right(Rbm.ais(g, q, { key: Key.key(22), particles: 100, betas: Rbm.schedule(2000), ...(baseBias ? { baseBias } : {}) }))
      expect(Math.abs(est.logZ - exact)).toBeLessThan(0.5)
    }
  })
})

describe('specs, errors and fit', () => {
  it('codec: round trip, unknown fields named, bad values named', () => {
    const s = right(Rbm.spec({ nVisible: 3, nHidden: 2, persistent: true, k: 5 }))
    expect(right(Rbm.decodeSpec(Rbm.encodeSpec(s)))).toEqual(s)
    expect(Rbm.decodeSpec({ nVisible: 3, nHidden: 2, persistant: true })).toMatchObject(E.left({ _tag: 'DecodeError', path: 'persistant' }))
    expect(Rbm.decodeSpec({ nVisible: 3, nHidden: 2, k: 0 })).toMatchObject(E.left({ _tag: 'InvalidArgument', path: 'rbm.k' }))
    expect(Rbm.decodeSpec({ nVisible: 3, nHidden: 2, momentum: [0.5, 1] })).toMatchObject(E.left({ path: 'rbm.momentum' }))
  })

  it('a non-finite batch, a wrong width, wrong parameter sizes and too many hidden units for enumeration are error values', () => {
    const st = stateWith({ nVisible: 3, nHidden: 2 }, 0)
    expect(Rbm.step(st, { shape: [1, 3], data: new Float32Array([0, NaN, 1]) })).toMatchObject(E.left({ _tag: 'NonFinite', path: 'batch' }))
    expect(Rbm.step(st, { shape: [1, 4], data: new Float32Array(4) })).toMatchObject(E.left({ path: 'batch' }))
    expect(Rbm.exactLogZ(st.spec, { ...st.params, b: new Float32Array(5) })).toMatchObject(E.left({ path: 'params.b' }))
    const wide = right(Rbm.spec({ nVisible: 3, nHidden: 30 }))
    expect(Rbm.exactLogZ(wide, { W: new Float32Array(90), a: new Float32Array(3), b: new Float32Array(30) })).toMatchObject(E.left({ path: 'rbm.nHidden' }))
  })

  it('fit trains (log-likelihood rises), reports the held-out gap each epoch, and names a bad option', async () => {
    const x = binary(60, 10, 9)
    const proto: Tensor = { shape: [60, 10], data: Float32Array.from(x.data, (v, q) => (Math.floor(q / 10) % 2 === 0 ? (q % 10 < 5 ? 1 : 0) : q % 10 >= 5 ? 1 : 0) * 0.9 + v * 0.1 > 0.5 ? 1 : 0) }
    const st = stateWith({ nVisible: 10, nHidden: 4, learningRate: 0.1 }, 1, proto)
    const ll0 = right(Rbm.logLikelihood(st.spec, st.params, proto))
    const seen: Rbm.RbmProgress[] = []
    for await (const p of Rbm.fit(st, proto, { epochs: 20, batchSize: 10, heldOut: { shape: [10, 10], data: proto.data.slice(0, 100) }, every: 6 })) seen.push(p)
    const last = seen[seen.length - 1]!
    expect(last.error).toBeUndefined()
    expect(seen.filter((p) => p.gap !== undefined).length).toBe(20)
    expect(right(Rbm.logLikelihood(st.spec, last.state.params, proto))).toBeGreaterThan(ll0 + 1)
    const bad: Rbm.RbmProgress[] = []
    for await (const p of Rbm.fit(st, proto, { epochs: 1, batchSize: 61 })) bad.push(p)
    expect(bad).toHaveLength(1)
    expect(bad[0]!.error).toMatchObject({ path: 'opts.batchSize' })
  })
})
