/**
 * Reading a step's trace: from the f64 records the trace ops wrote (see
 * ./traceOps.ts) to a `StepTrace` of plain numbers, per layer and per time
 * step, with the global gradient norm before and after clipping.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { tensorStats } from './traceRead'
 * // count, sum, sum of squares, max |x|, non-finite, above, zeros, min |x| of [3, -4]
 * const s = tensorStats(new Float64Array([2, -1, 25, 4, 0, 0, 0, 3]), 0)
 * assert.deepStrictEqual([s.n, s.mean, s.l2, s.maxAbs], [2, -0.5, 5, 4])
 *
 * @since 0.1.0
 */
import type { Histogram, LayerTrace, StepTrace, TensorStats, TimeTrace } from '../trace/Trace'
import { gridTrace } from './gridTrace'
import type { Buf, RunCtx } from './Program'
import { hasDeadUnits } from './saturation'
import { StatSlot } from './statOps'
import { HIST, type ProbeStats, type StatPlan, type TimeStats } from './traceOps'

/** What the trace says of the call beside the statistics: its mode, and a training step's learning rate. @category model */
export interface TraceCall {
  readonly mode: string
  readonly lr?: number
}

/** Where a stats buffer starts, in f64 slots of the stats region. @category model */
export type At = (b: Buf) => number

/** TensorStats from the 8 f64 slots at `o`. @category utils */
export const tensorStats = (d: Float64Array, o: number): TensorStats => {
  const count = d[o + StatSlot.count] ?? 0
  const sum = d[o + StatSlot.sum] ?? 0
  const sumSq = d[o + StatSlot.sumSq] ?? 0
  const bad = d[o + StatSlot.nonFinite] ?? 0
  const n = count + bad
  const mean = count > 0 ? sum / count : 0
  return {
    n,
    mean,
    std: count > 0 ? Math.sqrt(Math.max(sumSq / count - mean * mean, 0)) : 0,
    l2: bad > 0 ? NaN : Math.sqrt(sumSq), // a NaN gradient's norm is NaN, not the norm of its finite part (which read as vanishing)
    rms: count > 0 ? Math.sqrt(sumSq / count) : 0,
    maxAbs: d[o + StatSlot.maxAbs] ?? 0,
    nonFinite: bad,
    zeroFrac: n > 0 ? (d[o + StatSlot.zeros] ?? 0) / n : 0,
  }
}

/** The squared global gradient norm and its non-finite count: from the slab's statistics, or summed over the parameters'. */
const globalOf = (sp: StatPlan, d: Float64Array, at: At): { readonly sumSq: number; readonly nonFinite: number } => {
  if (sp.global) {
    const s = tensorStats(d, at(sp.global))
    return { sumSq: s.l2 * s.l2, nonFinite: s.nonFinite }
  }
  const slot = (b: Buf, k: number): number => d[at(b) + k] ?? 0
  type Sums = { readonly sumSq: number; readonly nonFinite: number }
  const add = (a: Sums, b: Buf): Sums => ({ sumSq: a.sumSq + slot(b, StatSlot.sumSq), nonFinite: a.nonFinite + slot(b, StatSlot.nonFinite) })
  return sp.paramGrads.reduce(add, { sumSq: 0, nonFinite: 0 })
}

const layerTrace = (ps: ProbeStats, d: Float64Array, at: At): LayerTrace => {
  const gradOut = tensorStats(d, at(ps.gradOut))
  const a = tensorStats(d, at(ps.act))
  const fn = ps.probe.act?.fn
  const lt: LayerTrace = {
    path: ps.probe.path,
    kind: ps.probe.kind,
    gradOut,
    gradPre: ps.gradPre ? tensorStats(d, at(ps.gradPre)) : gradOut,
    gradIn: ps.gradIn ? tensorStats(d, at(ps.gradIn)) : null,
    act: {
      mean: a.mean,
      std: a.std,
      saturated: ps.sat ? (d[at(ps.sat) + StatSlot.above] ?? 0) / Math.max(1, a.n) : null,
      dead: fn && hasDeadUnits(fn) ? a.zeroFrac : null,
    },
    params: ps.params.map(({ param, grad, value, applied }) => {
      // the fused update wrote [sum u^2, sum p^2]; a gradient evaluation measured the value
      const norm = applied ? Math.sqrt(d[at(applied) + 1] ?? 0) : value ? tensorStats(d, at(value)).l2 : 0
      return { name: param.name, grad: tensorStats(d, at(grad)), norm, updateRatio: applied ? Math.sqrt(d[at(applied)] ?? 0) / (norm > 0 ? norm : 1) : null }
    }),
  }
  const withHist = ps.hist ? { ...lt, hist: histogram(d, at(ps.hist)) } : lt
  if (ps.time && ps.grid) return { ...withHist, ...gridTrace(ps.grid, ps.time, (b, k) => tensorStats(d, at(b) + 8 * k)) } // #13: the grid read as time
  return ps.time ? { ...withHist, time: timeTrace(d, at, ps.time) } : withHist
}

/** Builds the step trace from the stats region: `lr` is the training step's learning rate (none for gradient evaluations). @category utils */
export const assembleTrace = (sp: StatPlan, d: Float64Array, at: At, ctx: RunCtx, call: TraceCall, loss: number): StepTrace => {
  const global = globalOf(sp, d, at)
  const clipped = ctx.clippedSumSq >= 0 ? ctx.clippedSumSq : global.sumSq
  const overflowed = sp.applied ? sp.applied.reduce((s, b) => s + (d[at(b) + 2] ?? 0), 0) : 0
  const base: StepTrace = {
    step: ctx.step,
    loss,
    gradNorm: global.nonFinite > 0 ? NaN : Math.sqrt(global.sumSq), // as PyTorch's clip_grad_norm_: a non-finite gradient makes the norm non-finite
    gradNormClipped: Math.sqrt(clipped),
    nonFinite: (Number.isFinite(loss) || call.mode === 'apply' ? 0 : 1) + global.nonFinite + overflowed,
    level: sp.level,
    layers: sp.probes.map((ps) => layerTrace(ps, d, at)),
  }
  return call.lr === undefined ? base : { ...base, lr: call.lr }
}

const timeTrace = (d: Float64Array, at: At, tm: TimeStats): TimeTrace => {
  const series = (b: Buf, f: (s: TensorStats) => number) => Array.from({ length: tm.T }, (_, t) => f(tensorStats(d, at(b) + 8 * t)))
  const rowNorm = (s: TensorStats) => s.l2
  const base: TimeTrace = { gradH: series(tm.dh, rowNorm), stateNorm: series(tm.h, rowNorm) }
  const withC = tm.dc ? { ...base, gradC: series(tm.dc, rowNorm) } : base
  return tm.gates.length > 0 ? { ...withC, gates: Object.fromEntries(tm.gates.map((g) => [g.name, series(g.buf, (s) => s.mean)])) } : withC
}

const histogram = (d: Float64Array, o: number): Histogram => ({
  lo: HIST.lo,
  hi: HIST.hi,
  counts: Array.from(d.subarray(o, o + HIST.bins + 2)),
})
