/**
 * The CD-k / PCD step as a program of ops (src/plan): the positive phase on the batch,
 * k Gibbs steps (from the batch, or from the persistent chains), the gradient with
 * weight decay, momentum and the update, and the measurements of the trace, all in
 * Wasm; GEMMs are the library's. Programs are kept per runtime and shape (at most
 * PROGRAMS_KEPT), and laid out from the heap base like every plan: each call copies
 * everything in and out, so nothing stays resident.
 *
 * Counters: every sampling op draws from the step's key at its own counter base,
 * `stage * rows * max(nVisible, nHidden)`, so no two draws of a step share numbers.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { stepProgram } from './program'
 * import { spec } from './spec'
 * const s = spec({ nVisible: 6, nHidden: 4, k: 2 })
 * assert.ok(E.isRight(s))
 * const p = stepProgram(s.right, 3), q = stepProgram(s.right, 3)
 * assert.ok(E.isRight(p) && E.isRight(q) && p.right === q.right) // built once per shape
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { defaultRuntime } from '../model/runtime'
import * as Ops from '../plan/ops'
import { allocator, type Buf, setting } from '../plan/Program'
import * as R from '../plan/rbmOps'
import type { Runtime } from '../wasm/Runtime'
import type { RbmSpec } from './spec'

/** Bins of the hidden-probability histogram in the trace. @category model */
export const HIST_BINS = 10
/** Step and measurement programs kept per runtime. @category model */
export const PROGRAMS_KEPT = 8

/** The buffers a step copies in and out, and its sink slots (0: sum of free energies, 1: squared reconstruction error). @category model */
export interface StepProgram {
  readonly prog: R.Program
  readonly rows: number
  readonly sink: Float64Array
  readonly W: Buf
  readonly a: Buf
  readonly b: Buf
  readonly vel: readonly [Buf, Buf, Buf]
  readonly v0: Buf
  /** the chains read in (PCD) and the chains written out */
  readonly chainIn: Buf | null
  readonly chainOut: Buf | null
  readonly check: Buf
  /** apply_update records (4 f64 each) of W, a, b */
  readonly upd: readonly [Buf, Buf, Buf]
  readonly hist: Buf
  readonly hmean: Buf
}

const cache = new WeakMap<Runtime, Map<string, unknown>>()

/** A program from the cache of `rt`, built on a miss (the oldest one dropped past PROGRAMS_KEPT). @category utils */
export const cached = <A>(rt: Runtime, key: string, build: () => E.Either<GradtraceError, A>): E.Either<GradtraceError, A> => {
  const m = cache.get(rt) ?? new Map<string, unknown>()
  cache.set(rt, m)
  const hit = m.get(key) as A | undefined
  if (hit !== undefined) return E.right(hit)
  const built = build()
  if (E.isRight(built)) {
    m.set(key, built.right)
    if (m.size > PROGRAMS_KEPT) m.delete(m.keys().next().value!)
  }
  return built
}

/** Settings of the step (group 0): learning rate, momentum, weight decay. */
const LR = setting(0, 0), MU = setting(0, 1), DECAY = setting(0, 2)

/** The step's buffers. */
const buffers = (s: RbmSpec, B: number) => {
  const V = s.nVisible, H = s.nHidden, al = allocator()
  const buf = (name: string, region: Parameters<typeof al.buf>[1], n: number) => al.buf(name, region, n)
  const [hz, hp0, hs, hkp] = ['hz', 'hp0', 'hs', 'hkp'].map((n) => buf(n, 'act', B * H)) as [Buf, Buf, Buf, Buf]
  const [vz, vp, vs, dy] = ['vz', 'vp', 'vs', 'dy'].map((n) => buf(n, 'act', B * V)) as [Buf, Buf, Buf, Buf]
  return {
    al, hz, hp0, hs, hkp, vz, vp, vs, dy,
    W: buf('W', 'param', V * H), a: buf('a', 'param', V), b: buf('b', 'param', H),
    vel: [buf('vW', 'opt', V * H), buf('va', 'opt', V), buf('vb', 'opt', H)] as const,
    v0: buf('v0', 'input', B * V), chainIn: s.persistent ? buf('chain', 'input', B * V) : null,
    hmean: buf('hmean', 'act', H), pos: buf('pos', 'scratch', V * H), neg: buf('neg', 'scratch', V * H),
    posA: buf('posA', 'scratch', V), negA: buf('negA', 'scratch', V), posB: buf('posB', 'scratch', H), negB: buf('negB', 'scratch', H),
    check: buf('check', 'stats', 16), hist: buf('hist', 'stats', 2 * HIST_BINS),
    upd: [buf('updW', 'stats', 8), buf('upda', 'stats', 8), buf('updb', 'stats', 8)] as const,
  }
}
type Bufs = ReturnType<typeof buffers>

/** The gradient (CD statistics, weight decay on W only), momentum and the updates with their statistics. */
const learn = (x: Bufs, vUsed: Buf, V: number, H: number, B: number) => [
  Ops.gemmTN(x.pos, x.v0, x.hp0, V, B, H, false),
  Ops.gemmTN(x.neg, vUsed, x.hkp, V, B, H, false),
  R.grad(x.neg, x.pos, x.neg, x.W, V * H, 1 / B, DECAY),
  R.colSum(x.posA, x.v0, B, V),
  R.colSum(x.negA, vUsed, B, V),
  R.grad(x.negA, x.posA, x.negA, null, V, 1 / B, 0),
  R.colSum(x.posB, x.hp0, B, H),
  R.colSum(x.negB, x.hkp, B, H),
  R.grad(x.negB, x.posB, x.negB, null, H, 1 / B, 0),
  ...([[x.W, x.neg, V * H], [x.a, x.negA, V], [x.b, x.negB, H]] as const).flatMap(([p, g, n], i) => [
    Ops.momentum(g, x.vel[i]!, g, n, LR, MU, 0),
    Ops.applyUpdate(x.upd[i]!, p, g, n),
  ]),
]

const build = (s: RbmSpec, B: number, rt: Runtime): E.Either<GradtraceError, StepProgram> => {
  const V = s.nVisible, H = s.nHidden, gauss = s.visible === 'gaussian', pcd = s.persistent, x = buffers(s, B)
  const { hz, hp0, hs, hkp, vz, vp, vs, W, a, b, v0 } = x
  const sink = new Float64Array(2), S = B * Math.max(V, H)
  const hidden = (out: Buf, samples: Buf | null, from: Buf, stage: number) => [
    Ops.gemmNN(hz, from, W, B, V, H, false),
    Ops.biasAdd(hz, hz, b, B, H),
    R.bern(out, samples, hz, null, null, B, H, 1, 0, stage * S),
  ]
  const visible = (samples: Buf | null, stage: number) => [
    Ops.gemmNT(vz, hs, W, B, H, V, false),
    gauss ? R.gauss(vp, samples, vz, a, B, V, stage * S) : R.bern(vp, samples, vz, a, null, B, V, 1, 0, stage * S),
  ]
  const vUsed = pcd || s.sampleVisible ? vs : vp
  // the reconstruction error: one mean-field visible step from the data's hidden samples
  const recon = R.sumSq(sink, 1, x.dy, vp, v0, B * V)
  const positive = [
    ...hidden(hp0, hs, v0, 0).slice(0, 2),
    R.freeEnergy(sink, 0, null, v0, a, hz, B, V, H, gauss),
    R.bern(hp0, hs, hz, null, null, B, H, 1, 0, 0),
    R.hist(x.hist, hp0, B * H, HIST_BINS),
    R.colSum(x.hmean, hp0, B, H),
    // PCD: the reconstruction error needs a visible step of its own (CD's first Gibbs step is that step)
    ...(pcd ? [...visible(null, 1), recon] : []),
  ]
  const chains = pcd ? hidden(hkp, hs, x.chainIn!, 2) : []
  const gibbs = Array.from({ length: s.k }, (_, t) => [
    ...visible(vs, 3 + 2 * t),
    ...(t === 0 && !pcd ? [recon] : []),
    ...hidden(hkp, t < s.k - 1 ? hs : null, vUsed, 4 + 2 * t),
  ]).flat()
  const main = [...positive, ...chains, ...gibbs, ...learn(x, vUsed, V, H, B)]
  const prog = R.bakeOps(x.al.buffers, [Ops.stats(x.check, v0, B * V, 0)], main, rt) // chains come from our own kernels
  return E.map((p: R.Program) => ({ ...x, prog: p, rows: B, sink, chainOut: pcd ? vs : null }))(prog)
}

/**
 * The step program of a spec and batch size on a runtime (default: the shared one), built once per runtime.
 *
 * @category constructors
 * @since 0.1.0
 */
export const stepProgram = (s: RbmSpec, rows: number, runtime?: Runtime): E.Either<GradtraceError, StepProgram> => {
  const rt = runtime ? E.right(runtime) : defaultRuntime()
  if (E.isLeft(rt)) return rt
  const key = JSON.stringify(['step', s.visible, s.nVisible, s.nHidden, s.k, s.persistent, s.sampleVisible, rows])
  return cached(rt.right, key, () => build(s, rows, rt.right))
}
