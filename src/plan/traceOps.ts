/**
 * Planning the trace: for every probe (layer) the statistics ops of dL/dy,
 * dL/dz, dL/dx, the activations and each parameter and its gradient, run in
 * Wasm in one pass each after the backward pass; in training plans the
 * update norms come from the fused update (`applied`). Level 'off' keeps
 * only the global gradient statistics. ./traceRead.ts turns what these ops
 * write into a `StepTrace`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { HIST } from './traceOps'
 * assert.deepStrictEqual(HIST, { lo: -12, hi: 2, bins: 28 }) // log10 |dL/dz| from 1e-12 to 1e2, in half decades
 *
 * @since 0.1.0
 */
import { size } from '../core/Tensor'
import type { TraceLevel } from '../trace/Trace'
import type { Graph, ParamBuf, Probe, StepSlice } from './Graph'
import { type GridStats, gridStats } from './gridTrace'
import * as Ops from './ops'
import type { Alloc, Buf, Op } from './Program'
import { saturationOnOutput, saturationThreshold } from './saturation'

/** The bins of `full` traces' histograms of log10 |dL/dz|. @category utils */
export const HIST = { lo: -12, hi: 2, bins: 28 } as const

/** The statistics buffers of one probe. @category model */
export interface ProbeStats {
  readonly probe: Probe
  readonly gradOut: Buf
  readonly gradPre: Buf | null
  readonly gradIn: Buf | null
  readonly act: Buf
  readonly sat: Buf | null
  /** per parameter: its gradient's statistics, and its value's (gradient evaluations) or the fused update's (training steps) */
  readonly params: ReadonlyArray<{ readonly param: ParamBuf; readonly grad: Buf; readonly value: Buf | null; readonly applied: Buf | null }>
  readonly hist: Buf | null
  readonly time: TimeStats | null
  /** a 2-D recurrent layer's gate statistics per (direction, anti-diagonal) (#13) */
  readonly grid: GridStats | null
}

/** Per-time-step statistics buffers: T slots each. @category model */
export interface TimeStats {
  readonly dh: Buf
  readonly dc: Buf | null
  readonly h: Buf
  readonly gates: ReadonlyArray<{ readonly name: string; readonly buf: Buf }>
  readonly T: number
}

/** @category model */
export interface StatPlan {
  readonly level: TraceLevel
  /**
   * the slab statistics of all parameter gradients, or null when the
   * per-parameter statistics cover every parameter (their sums give the
   * global figures: one pass less)
   */
  readonly global: Buf | null
  /** the per-parameter gradient statistics, when they stand in for the slab */
  readonly paramGrads: ReadonlyArray<Buf>
  readonly probes: ReadonlyArray<ProbeStats>
  readonly afterBackward: ReadonlyArray<Op>
  /** training steps: per parameter (graph order), where `apply_update` writes [sum u^2, sum p^2, non-finite p after] */
  readonly applied: ReadonlyArray<Buf> | null
}

/** What the trace plan depends on: the mode and the level. @category model */
export interface StatSpec {
  readonly mode: 'apply' | 'grad' | 'train'
  readonly level: TraceLevel
}

/** One statistics pass per distinct (buffer, size, threshold): in a serial stack a layer's dL/dx is the previous layer's dL/dy, measured once. */
const statsOnce = (alloc: Alloc, ops: Op[]) => {
  const seen = new Map<string, Buf>()
  return (name: string, x: Buf, n: number, thr: number): Buf => {
    const id = `${x.id}|${n}|${thr}`
    const hit = seen.get(id)
    if (hit) return hit
    const s = alloc.buf(`stats/${name}`, 'stats', 16)
    ops.push(Ops.stats(s, x, n, thr))
    seen.set(id, s)
    return s
  }
}

type Stat = ReturnType<typeof statsOnce>

/** A probe with a gradient at its output: the only kind the trace measures (a layer on no path to the loss has none). */
type Measured = Probe & { readonly out: { readonly dy: Buf } }
const measured = (p: Probe): p is Measured => p.out.dy !== null

const probeStats = (p: Measured, spec: StatSpec, stat: Stat, alloc: Alloc, ops: Op[], appliedOf: (q: ParamBuf) => Buf | null): ProbeStats => {
  const n = p.out.y.floats
  const thr = p.act ? saturationThreshold(p.act.fn) : null
  // odd, monotonic activations saturate where |y| does: one pass over y gives both its statistics and the count
  const onY = p.act ? saturationOnOutput(p.act.fn) : null
  const act = stat(`${p.path}/y`, p.act ? p.act.y : p.out.y, p.act ? p.act.y.floats : n, onY ?? Infinity) // a recurrent layer's f(z) spans every step
  const dx = p.input?.dy
  return {
    probe: p,
    gradOut: stat(`${p.path}/dy`, p.out.dy, n, Infinity),
    gradPre: p.pre ? stat(`${p.path}/dz`, p.pre.dz, p.pre.dz.floats, Infinity) : null,
    gradIn: dx ? stat(`${p.path}/dx`, dx, dx.floats, Infinity) : null,
    act,
    sat: onY !== null ? act : p.act && thr !== null ? stat(`${p.path}/z`, p.act.z, p.act.z.floats, thr) : null,
    params: p.params.map((q) => ({
      param: q,
      grad: stat(`${q.path}.grad`, q.grad, size(q.shape), Infinity),
      value: spec.mode === 'train' ? null : stat(`${q.path}`, q.value, size(q.shape), Infinity),
      applied: appliedOf(q),
    })),
    hist: spec.level === 'full' ? histOf(alloc, p, ops) : null,
    time: p.time ? timeOf(alloc, p, ops) : null,
    grid: p.grid ? gridStats(alloc, p.path, p.grid, ops) : null,
  }
}

/** Plans the trace ops of a graph. @category constructors */
export const statPlan = (g: Graph, spec: StatSpec, alloc: Alloc): StatPlan => {
  const afterBackward: Op[] = []
  const stat = statsOnce(alloc, afterBackward)
  const applied = spec.mode === 'train' ? g.params.map((q) => alloc.buf(`stats/${q.path}.applied`, 'stats', 16)) : null
  const appliedOf = (q: ParamBuf): Buf | null => applied?.[g.params.indexOf(q)] ?? null
  const probed = spec.level !== 'off' && spec.mode !== 'apply'
  const probes = probed ? g.probes.filter(measured).map((p) => probeStats(p, spec, stat, alloc, afterBackward, appliedOf)) : []
  const perParam = new Map(probes.flatMap((ps) => ps.params.map((q) => [q.param, q.grad] as const)))
  const paramGrads = g.params.flatMap((q) => perParam.get(q) ?? [])
  const covered = spec.mode !== 'apply' && g.params.length > 0 && paramGrads.length === g.params.length
  const global = spec.mode === 'apply' || covered ? null : alloc.buf('stats/global', 'stats', 16)
  if (global) afterBackward.unshift(Ops.regionStats(global, 'pgrad'))
  return { level: spec.level, global, paramGrads: covered ? paramGrads : [], probes, afterBackward, applied }
}

/** Per-step statistics: T slots per probed buffer. */
const timeOf = (alloc: Alloc, p: Probe, list: Op[]): TimeStats | null => {
  const tp = p.time
  if (!tp) return null
  const per = (name: string, sl: StepSlice): Buf => {
    const out = alloc.buf(`stats/${p.path}/${name}[t]`, 'stats', 16 * tp.T)
    for (let t = 0; t < tp.T; t++) list.push(Ops.sumsAt(out, t, sl.buf, t * sl.stepFloats + sl.offset, sl.n))
    return out
  }
  return {
    T: tp.T,
    dh: per('dh', tp.dh),
    dc: tp.dc ? per('dc', tp.dc) : null,
    h: per('h', tp.h),
    gates: (tp.gates ?? []).map((g) => ({ name: g.name, buf: per(`gate.${g.name}`, g) })),
  }
}

const histOf = (alloc: Alloc, p: Measured, list: Op[]): Buf => {
  const src = p.pre ? p.pre.dz : p.out.dy
  const h = alloc.buf(`stats/${p.path}/hist`, 'stats', 2 * (HIST.bins + 2))
  list.push(Ops.logHist(h, src, src.floats, HIST.lo, HIST.hi, HIST.bins))
  return h
}
