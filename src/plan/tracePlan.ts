/**
 * The trace ops of a plan and the assembly of their results: for every probe
 * (layer) the statistics of dL/dy, dL/dz, dL/dx, the activations and each
 * parameter and its gradient, computed in Wasm in one pass each after the
 * backward pass; the update norms after the optimizer. Level 'off' keeps only
 * the global gradient statistics.
 *
 * @since 0.1.0
 */
import { size } from '../core/Tensor'
import { hasDeadUnits, saturationOnOutput, saturationThreshold } from '../layer/activation'
import * as Opt from '../optim/Transform'
import type { Histogram, LayerTrace, StepTrace, TensorStats, TimeTrace, TraceLevel } from '../trace/Trace'
import { StatSlot } from '../wasm/abi'
import type { Graph, Probe } from './graph'
import * as Ops from './ops'
import type { StepSlice } from '../layer/Layer'
import type { Alloc, Buf, Op, RunCtx } from './Program'

const HIST = { lo: -12, hi: 2, bins: 28 } as const

interface ProbeStats {
  readonly probe: Probe
  readonly gradOut: Buf
  readonly gradPre: Buf | null
  readonly gradIn: Buf | null
  readonly act: Buf
  readonly sat: Buf | null
  /** per parameter: its gradient's statistics, and its value's (gradient evaluations) or the fused update's (training steps) */
  readonly params: ReadonlyArray<{ readonly grad: Buf; readonly value: Buf | null; readonly applied: Buf | null }>
  readonly hist: Buf | null
  readonly time: { readonly dh: Buf; readonly dc: Buf | null; readonly h: Buf; readonly gates: ReadonlyArray<{ readonly name: string; readonly buf: Buf }>; readonly T: number } | null
}

/** @category model */
export interface StatPlan {
  readonly level: TraceLevel
  /** the slab statistics of all parameter gradients, or null when the per-parameter statistics cover every parameter (their sums give the global figures: one pass less) */
  readonly global: Buf | null
  /** the per-parameter gradient statistics, when they stand in for the slab */
  readonly paramGrads: ReadonlyArray<Buf>
  readonly probes: ReadonlyArray<ProbeStats>
  readonly afterBackward: ReadonlyArray<Op>
  /** training steps: per parameter (graph order), where `apply_update` writes [sum u^2, sum p^2, non-finite p after] */
  readonly applied: ReadonlyArray<Buf> | null
}

/** Statistics over the whole parameter-gradient slab: global norm and non-finite count, at every level. */
const slabStats = (out: Buf): Op => (env) => {
  const [start, end] = env.region('pgrad')
  const po = env.ptr(out), K = env.k
  return () => K.stats_f32_simd(po, start, (end - start) / 4, Infinity)
}

/** Plans the trace ops of a graph. @category constructors */
export const statPlan = (g: Graph, spec: { readonly mode: string; readonly level: TraceLevel; readonly optimizer?: { readonly slots: number } }, alloc: Alloc): StatPlan => {
  const afterBackward: Op[] = []
  // One pass per distinct (buffer, threshold): in a serial stack a layer's dL/dx
  // is the previous layer's dL/dy, measured once and read by both entries.
  const seen = new Map<string, Buf>()
  const stat = (name: string, x: Buf, n: number, thr: number, list: Op[]): Buf => {
    const id = `${x.id}|${n}|${thr}`
    const hit = seen.get(id)
    if (hit) return hit
    const s = alloc.buf(`stats/${name}`, 'stats', 16)
    list.push(Ops.stats(s, x, n, thr))
    seen.set(id, s)
    return s
  }
  const applied = spec.mode === 'train' && spec.optimizer ? g.params.map((q) => alloc.buf(`stats/${q.path}.applied`, 'stats', 16)) : null
  const probes: ProbeStats[] = []
  if (spec.level !== 'off' && spec.mode !== 'apply') {
    for (const p of g.probes) {
      const n = p.out.y.floats
      const thr = p.act ? saturationThreshold(p.act.fn) : null
      // odd, monotonic activations saturate where |y| does: one pass over y gives both its statistics and the count
      const onY = p.act ? saturationOnOutput(p.act.fn) : null
      const act = stat(`${p.path}/y`, p.act ? p.act.y : p.out.y, n, onY ?? Infinity, afterBackward)
      const training = spec.mode === 'train' && spec.optimizer !== undefined
      probes.push({
        probe: p,
        gradOut: stat(`${p.path}/dy`, p.out.dy!, n, Infinity, afterBackward),
        gradPre: p.pre ? stat(`${p.path}/dz`, p.pre.dz, p.pre.dz.floats, Infinity, afterBackward) : null,
        gradIn: p.input ? stat(`${p.path}/dx`, p.input.dy!, p.input.dy!.floats, Infinity, afterBackward) : null,
        act,
        sat: onY !== null ? act : p.act && thr !== null ? stat(`${p.path}/z`, p.act.z, p.act.z.floats, thr, afterBackward) : null,
        params: p.params.map((q) => ({
          grad: stat(`${q.path}.grad`, q.grad, size(q.shape), Infinity, afterBackward),
          value: training ? null : stat(`${q.path}`, q.value, size(q.shape), Infinity, afterBackward),
          applied: applied ? applied[g.params.indexOf(q)]! : null,
        })),
        hist: spec.level === 'full' ? histOf(alloc, p, afterBackward) : null,
        time: p.time ? timeOf(alloc, p, afterBackward) : null,
      })
    }
  }
  const perParam = new Map(probes.flatMap((ps) => ps.probe.params.map((q, i) => [q, ps.params[i]!.grad] as const)))
  const covered = spec.mode !== 'apply' && g.params.length > 0 && g.params.every((q) => perParam.has(q))
  const global = spec.mode === 'apply' || covered ? null : alloc.buf('stats/global', 'stats', 16)
  if (global) afterBackward.unshift(slabStats(global))
  return { level: spec.level, global, paramGrads: covered ? g.params.map((q) => perParam.get(q)!) : [], probes, afterBackward, applied }
}

/** Per-step statistics: T slots per probed buffer. */
const timeOf = (alloc: Alloc, p: Probe, list: Op[]): NonNullable<ProbeStats['time']> => {
  const tp = p.time!
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

const histOf = (alloc: Alloc, p: Probe, list: Op[]): Buf => {
  const src = p.pre ? p.pre.dz : p.out.dy!
  const h = alloc.buf(`stats/${p.path}/hist`, 'stats', 2 * (HIST.bins + 2))
  list.push(Ops.logHist(h, src, src.floats, HIST.lo, HIST.hi, HIST.bins))
  return h
}

/** TensorStats from the 8 f64 slots at `o`. @category utils */
export const tensorStats = (d: Float64Array, o: number): TensorStats => {
  const count = d[o + StatSlot.count]!
  const sum = d[o + StatSlot.sum]!
  const sumSq = d[o + StatSlot.sumSq]!
  const bad = d[o + StatSlot.nonFinite]!
  const n = count + bad
  const mean = count > 0 ? sum / count : 0
  return {
    n,
    mean,
    std: count > 0 ? Math.sqrt(Math.max(sumSq / count - mean * mean, 0)) : 0,
    l2: Math.sqrt(sumSq),
    rms: count > 0 ? Math.sqrt(sumSq / count) : 0,
    maxAbs: d[o + StatSlot.maxAbs]!,
    nonFinite: bad,
    zeroFrac: n > 0 ? d[o + StatSlot.zeros]! / n : 0,
  }
}

/** Builds the step trace from the stats region. @category utils */
export const assembleTrace = (
  sp: StatPlan,
  d: Float64Array,
  at: (b: Buf) => number,
  ctx: RunCtx,
  spec: { readonly optimizer?: Opt.GradientTransformation; readonly mode: string },
  loss: number,
): StepTrace => {
  const globalOf = (): { readonly sumSq: number; readonly nonFinite: number } => {
    if (sp.global) {
      const s = tensorStats(d, at(sp.global))
      return { sumSq: s.l2 * s.l2, nonFinite: s.nonFinite }
    }
    return sp.paramGrads.reduce((a, b) => ({ sumSq: a.sumSq + d[at(b) + StatSlot.sumSq]!, nonFinite: a.nonFinite + d[at(b) + StatSlot.nonFinite]! }), { sumSq: 0, nonFinite: 0 })
  }
  const global = globalOf()
  const gradSumSq = global.sumSq
  const clipped = ctx.clippedSumSq >= 0 ? ctx.clippedSumSq : gradSumSq
  const layers: LayerTrace[] = sp.probes.map((ps) => {
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
        saturated: ps.sat ? d[at(ps.sat) + StatSlot.above]! / Math.max(1, a.n) : null,
        dead: fn && hasDeadUnits(fn) ? a.zeroFrac : null,
      },
      params: ps.probe.params.map((q, i) => {
        const st = ps.params[i]!
        const norm = st.applied ? Math.sqrt(d[at(st.applied) + 1]!) : tensorStats(d, at(st.value!)).l2
        return {
          name: q.name,
          grad: tensorStats(d, at(st.grad)),
          norm,
          updateRatio: st.applied ? Math.sqrt(d[at(st.applied)]!) / (norm > 0 ? norm : 1) : null,
        }
      }),
    }
    const withHist = ps.hist ? { ...lt, hist: histogram(d, at(ps.hist)) } : lt
    return ps.time ? { ...withHist, time: timeTrace(d, at, ps.time) } : withHist
  })
  const lr = spec.mode === 'train' && spec.optimizer ? Opt.learningRate(spec.optimizer, ctx.step) : undefined
  const base: StepTrace = {
    step: ctx.step,
    loss,
    gradNorm: global.nonFinite > 0 ? NaN : Math.sqrt(gradSumSq), // as PyTorch's clip_grad_norm_: a non-finite gradient makes the norm non-finite
    gradNormClipped: Math.sqrt(clipped),
    nonFinite: (Number.isFinite(loss) || spec.mode === 'apply' ? 0 : 1) + global.nonFinite + (sp.applied ? sp.applied.reduce((s, b) => s + d[at(b) + 2]!, 0) : 0),
    level: sp.level,
    layers,
  }
  return lr === undefined ? base : { ...base, lr }
}

const timeTrace = (d: Float64Array, at: (b: Buf) => number, tm: NonNullable<ProbeStats['time']>): TimeTrace => {
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
