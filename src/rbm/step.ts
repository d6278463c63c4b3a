/**
 * One training step of an RBM, pure: `step(state, batch)` is
 * `Either<GradtraceError, [state, trace]>`, like `Train.step`. The step's samples come
 * from `foldIn(state.key, state.step)`, so the same state and batch give the same bits.
 * The trace holds what an RBM user measures each step (Hinton 2010, sections 5, 7, 15):
 * the reconstruction error, the batch's mean free energy, the hidden units' mean
 * activations and a histogram of p(h = 1 | v), and update-to-weight ratios.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import { init } from './Rbm'
 * import { spec } from './spec'
 * import { step } from './step'
 * const s = spec({ nVisible: 4, nHidden: 3 })
 * assert.ok(E.isRight(s))
 * const batch = { shape: [2, 4], data: new Float32Array([1, 1, 0, 0, 0, 0, 1, 1]) }
 * const s0 = init(s.right, Key.key(1), batch)
 * assert.ok(E.isRight(s0))
 * const r = step(s0.right, batch)
 * assert.ok(E.isRight(r))
 * const [s1, trace] = r.right
 * assert.strictEqual(s1.step, 1)
 * assert.ok(trace.reconstruction > 0 && trace.updateRatio.W > 0 && trace.hidden.histogram.length === 10)
 * assert.deepStrictEqual(step(s0.right, batch), r) // pure: the same state and batch, the same bits
 * assert.ok(E.isLeft(step(s0.right, { shape: [2, 5], data: new Float32Array(10) }))) // a wrong width is named
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, nonFinite, shapeMismatch } from '../core/Error'
import { foldIn } from '../core/Key'
import type { Tensor } from '../core/Tensor'
import { runCtx } from '../plan/Program'
import { StatSlot } from '../plan/statOps'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import { type StepProgram, stepProgram } from './program'
import type { RbmParams, RbmState } from './Rbm'

/** The hidden layer's activity on the batch. @category model */
export interface HiddenStats {
  /** mean of p(h_j = 1 | v) over units and rows */
  readonly mean: number
  /** the least and most active unit's mean probability */
  readonly min: number
  readonly max: number
  /** units whose mean probability is below 0.01 or above 0.99 (stuck off or on) */
  readonly stuckOff: number
  readonly stuckOn: number
  /** counts of p(h_j = 1 | v) over the batch, 10 bins over [0, 1] */
  readonly histogram: ReadonlyArray<number>
}

/** What one step measured: plain JSON. @category model */
export interface RbmTrace {
  readonly step: number
  readonly epoch: number
  readonly learningRate: number
  readonly momentum: number
  /** squared error between the batch and its mean-field reconstruction, summed over units, averaged over rows */
  readonly reconstruction: number
  /** the batch's mean free energy F(v) */
  readonly freeEnergy: number
  readonly hidden: HiddenStats
  /** |update| / |parameter| per parameter (Hinton 2010, section 7: about 1e-3 for the weights); 0 while a parameter is all zeros */
  readonly updateRatio: { readonly W: number; readonly a: number; readonly b: number }
  /** non-finite values in the updated parameters */
  readonly nonFinite: number
}

const hiddenStats = (means: Float32Array, rows: number, hist: Float64Array): HiddenStats => {
  const m = Array.from(means, (x) => x / rows)
  return {
    mean: m.reduce((s, x) => s + x, 0) / m.length,
    min: Math.min(...m),
    max: Math.max(...m),
    stuckOff: m.filter((x) => x < 0.01).length,
    stuckOn: m.filter((x) => x > 0.99).length,
    histogram: Array.from(hist),
  }
}

const copyIn = (p: StepProgram, st: RbmState, x: Tensor): void => {
  const k = p.prog.runtime.kernels, ptr = p.prog.ptr, { W: w, a, b } = st.params, v = st.velocity
  const pairs = [[p.W, w], [p.a, a], [p.b, b], [p.vel[0], v.W], [p.vel[1], v.a], [p.vel[2], v.b], [p.v0, x.data]] as const
  for (const [buf, data] of pairs) W.write(k, ptr(buf), data)
  if (p.chainIn) W.write(k, ptr(p.chainIn), st.chains && st.chains.length === x.data.length ? st.chains : x.data)
}

// 0 for a parameter still all zeros (the hidden biases at first): nothing to compare the update with
const ratio = (rec: Float64Array): number => (rec[1]! > 0 ? Math.sqrt(rec[0]! / rec[1]!) : 0)

const readOut = (p: StepProgram, st: RbmState, lr: number, mu: number): [RbmState, RbmTrace] => {
  const k = p.prog.runtime.kernels, ptr = p.prog.ptr
  const f32 = (b: { readonly floats: number } & Parameters<typeof ptr>[0]) => W.read(k, ptr(b), b.floats)
  const params: RbmParams = { W: f32(p.W), a: f32(p.a), b: f32(p.b) }
  const velocity: RbmParams = { W: f32(p.vel[0]), a: f32(p.vel[1]), b: f32(p.vel[2]) }
  const upd = p.upd.map((u) => W.readF64(k, ptr(u), 4))
  const next: RbmState = { ...st, params, velocity, chains: p.chainOut ? f32(p.chainOut) : null, step: st.step + 1 }
  const trace: RbmTrace = {
    step: st.step + 1,
    epoch: st.epoch,
    learningRate: lr,
    momentum: mu,
    reconstruction: p.sink[1]! / p.rows,
    freeEnergy: p.sink[0]! / p.rows,
    hidden: hiddenStats(f32(p.hmean), p.rows, W.readF64(k, ptr(p.hist), p.hist.floats / 2)),
    updateRatio: { W: ratio(upd[0]!), a: ratio(upd[1]!), b: ratio(upd[2]!) },
    nonFinite: upd.reduce((s, u) => s + u[2]!, 0),
  }
  return [next, trace]
}

/**
 * One CD-k (or PCD) step on a batch (rows, nVisible), on `runtime` if given (e.g. the
 * relaxed-SIMD build, faster and not bit-identical across CPUs), else the shared default.
 *
 * @category constructors
 * @since 0.1.0
 */
export const step = (st: RbmState, batch: Tensor, runtime?: Runtime): E.Either<GradtraceError, readonly [RbmState, RbmTrace]> => {
  const s = st.spec, rows = batch.shape[0] ?? 0
  if (batch.shape.length !== 2 || batch.shape[1] !== s.nVisible || rows < 1 || batch.data.length !== rows * s.nVisible)
    return E.left(shapeMismatch('batch', [-1, s.nVisible], batch.shape))
  const prog = stepProgram(s, rows, runtime)
  if (E.isLeft(prog)) return prog
  const p = prog.right, k = p.prog.runtime.kernels
  copyIn(p, st, batch)
  const sk = foldIn(st.key, st.step), lr = s.learningRate, mu = s.momentum[st.epoch >= s.momentumSwitch ? 1 : 0]
  const ctx = runCtx(st.step + 1, true, sk.k0, sk.k1, [[lr, mu, s.weightDecay]])
  for (const f of p.prog.check) f(ctx)
  const bad = W.readF64(k, p.prog.ptr(p.check), 8)[StatSlot.nonFinite] ?? 0
  if (bad > 0) return E.left(nonFinite('batch', bad))
  for (const f of p.prog.main) f(ctx)
  return E.right(readOut(p, st, lr, mu))
}
