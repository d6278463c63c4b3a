/**
 * An executable plan: a graph for one batch size plus the loss, the trace ops
 * and (for training) the optimizer, laid out in one workspace. `run` copies
 * inputs in, runs the baked thunks and copies results out; nothing it returns
 * refers to Wasm memory. Plans are built once per model, mode and batch size.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, nonFinite } from '../core/Error'
import type { Params } from '../core/Params'
import { size } from '../core/Tensor'
import * as Opt from '../optim/Transform'
import type { StepTrace, TraceLevel } from '../trace/Trace'
import { type Loss, lossOp, type TargetKind } from '../train/loss'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import type { Graph } from './graph'
import * as Ops from './ops'
import { allocator, type Buf, type Env, type Op, type RunCtx, runCtx } from './Program'
import { assembleTrace, type StatPlan, statPlan } from './tracePlan'

/** @category model */
export type Mode = 'apply' | 'grad' | 'train'

/** @category model */
export interface PlanSpec {
  readonly mode: Mode
  readonly level: TraceLevel
  readonly loss: Loss
  readonly targets: TargetKind
  readonly optimizer?: Opt.GradientTransformation
}

/** What a call hands in. @category model */
export interface Inputs {
  readonly x: Float32Array
  readonly y?: Float32Array | Int32Array
  readonly params: Params
  /** optimizer state: per parameter, one array per slot */
  readonly opt?: ReadonlyArray<ReadonlyArray<Float32Array>>
  readonly step?: number
  readonly key?: readonly [number, number]
}

/** What a call hands back. @category model */
export interface Outputs {
  readonly y?: Float32Array
  readonly loss: number
  readonly grads?: ReadonlyArray<Float32Array>
  readonly params?: ReadonlyArray<Float32Array>
  readonly opt?: ReadonlyArray<ReadonlyArray<Float32Array>>
  readonly trace: StepTrace
  readonly nonFinite: number
}

interface Compiled {
  readonly spec: PlanSpec
  readonly graph: Graph
  readonly buffers: ReadonlyArray<Buf>
  readonly target: Buf | null
  readonly inputCheck: Buf
  readonly opt: ReadonlyArray<ReadonlyArray<Buf>>
  readonly stats: StatPlan
  readonly phases: { readonly check: ReadonlyArray<Op>; readonly main: ReadonlyArray<Op> }
}

/** Adds the loss, trace and optimizer to a graph. @category constructors */
export const compilePlan = (graph: Graph, spec: PlanSpec): Compiled => {
  const alloc = allocator(graph.buffers)
  const rows = graph.batch * (size(graph.output.shape) / (graph.output.shape[graph.output.shape.length - 1] ?? 1))
  const cols = graph.output.shape[graph.output.shape.length - 1] ?? 1
  const needsTarget = spec.mode !== 'apply'
  const target = needsTarget ? alloc.buf('target', 'input', spec.targets === 'labels' ? rows : rows * cols) : null
  const inputCheck = alloc.buf('input.stats', 'stats', 16)
  const opt = spec.mode === 'train' && spec.optimizer ? graph.params.map((p) => Array.from({ length: Opt.slots(spec.optimizer!) }, (_, j) => alloc.buf(`${p.path}.opt${j}`, 'opt', size(p.shape)))) : []
  const stats = statPlan(graph, spec, alloc)
  const check: Op[] = [Ops.stats(inputCheck, graph.input, graph.input.floats, Infinity)]
  const main: Op[] = [...graph.forward]
  if (spec.mode !== 'apply') {
    const dy = graph.output.dy!
    main.push(zeroGrads, lossOp(spec.loss, spec.targets, dy, graph.output.y, target!, rows, cols), ...graph.backward, ...stats.afterBackward)
    if (spec.mode === 'train' && spec.optimizer) {
      const groups = graph.params.map((p, i) => ({ p: p.value, u: p.grad, n: size(p.shape), state: opt[i]! }))
      main.push(...Opt.emit(spec.optimizer, groups), ...groups.map((g, i) => Ops.applyUpdate(stats.applied![i]!, g.p, g.u, g.n)))
    }
  }
  return { spec, graph, buffers: alloc.buffers, target, inputCheck, opt, stats, phases: { check, main } }
}

/** Zero every gradient (parameter gradients and error signals): one fill over the slab. */
const zeroGrads: Op = (env) => {
  const [start] = env.region('pgrad')
  const [, end] = env.region('grad')
  const K = env.k
  return () => K.fill_f32_simd(start, (end - start) / 4, 0)
}

/** The state a training step left in a runtime's memory (see `run`). */
interface Resident {
  readonly plan: Compiled
  readonly params: ReadonlyArray<Float32Array>
  readonly opt: ReadonlyArray<ReadonlyArray<Float32Array>>
}
const resident = new WeakMap<Runtime, Resident>()

/** Forgets what a runtime's memory holds: for code that writes it outside a plan (initialisation). @category utils */
export const invalidate = (rt: Runtime): void => void resident.delete(rt)

interface Baked {
  readonly layout: W.Layout
  readonly check: ReadonlyArray<(ctx: RunCtx) => void>
  readonly main: ReadonlyArray<(ctx: RunCtx) => void>
}

const bakeCache = new WeakMap<Compiled, WeakMap<Runtime, Baked>>()

const bake = (c: Compiled, rt: Runtime): E.Either<GradtraceError, Baked> => {
  const cached = bakeCache.get(c)?.get(rt)
  if (cached) return E.right(cached)
  const k = rt.kernels
  const lay = W.layout(c.buffers, k.heap_base(), k.gemm_ws_bytes())
  if (E.isLeft(lay)) return lay
  const grown = W.ensure(k, lay.right.end)
  if (E.isLeft(grown)) return grown
  const env: Env = { k, ptr: (b) => lay.right.ptr[b.id]!, ws: lay.right.ws, region: (r) => lay.right.regions[r] }
  const baked: Baked = { layout: lay.right, check: c.phases.check.map((op) => op(env)), main: c.phases.main.map((op) => op(env)) }
  const m = bakeCache.get(c) ?? new WeakMap<Runtime, Baked>()
  m.set(rt, baked)
  bakeCache.set(c, m)
  return E.right(baked)
}

/** Runs a plan once: copy in, run, copy out. @category utils */
export const run = (c: Compiled, rt: Runtime, inp: Inputs): E.Either<GradtraceError, Outputs> => {
  const b = bake(c, rt)
  if (E.isLeft(b)) return b
  const k = rt.kernels
  const grown = W.ensure(k, b.right.layout.end) // another plan on this runtime may have been larger; never shrinks
  if (E.isLeft(grown)) return grown
  const ptr = (buf: Buf) => b.right.layout.ptr[buf.id]!
  // Resident state (DESIGN decision 2): when a training step is handed back the very
  // arrays the previous call on this runtime returned, Wasm memory still holds them;
  // skip copying them in. Every other call invalidates first.
  const res = resident.get(rt)
  resident.delete(rt)
  const warm = res !== undefined && res.plan === c && inp.params.every((p, i) => p.data === res.params[i]) && c.opt.every((slots, i) => slots.every((_, j) => inp.opt?.[i]?.[j] === res.opt[i]?.[j]))
  if (!warm) c.graph.params.forEach((p, i) => W.write(k, ptr(p.value), inp.params[i]!.data as Float32Array))
  W.write(k, ptr(c.graph.input), inp.x)
  if (c.target && inp.y) W.write(k, ptr(c.target), inp.y)
  if (!warm) c.opt.forEach((slots, i) => slots.forEach((s, j) => W.write(k, ptr(s), inp.opt![i]![j]!)))
  const step = inp.step ?? 1
  const ctx = runCtx(step, c.spec.mode === 'train' || c.spec.mode === 'grad', inp.key?.[0] ?? 0, inp.key?.[1] ?? 0)
  for (const f of b.right.check) f(ctx)
  const bad = W.readF64(k, ptr(c.inputCheck), 8)[4]!
  if (bad > 0) return E.left(nonFinite('input', bad))
  for (const f of b.right.main) f(ctx)
  const out = collect(c, rt, b.right, ctx)
  if (out.params) resident.set(rt, { plan: c, params: out.params, opt: out.opt ?? [] })
  return E.right(out)
}

const sliceRegion = (k: Runtime['kernels'], lay: W.Layout, r: 'param' | 'pgrad' | 'opt'): { data: Float32Array; at: (b: Buf, n: number) => Float32Array } => {
  const [start, end] = lay.regions[r]
  const data = W.read(k, start, (end - start) / 4)
  return { data, at: (b, n) => data.subarray((lay.ptr[b.id]! - start) / 4, (lay.ptr[b.id]! - start) / 4 + n) }
}

const collect = (c: Compiled, rt: Runtime, b: Baked, ctx: RunCtx): Outputs => {
  const k = rt.kernels
  const mode = c.spec.mode
  const y = mode === 'apply' ? W.read(k, b.layout.ptr[c.graph.output.y.id]!, c.graph.output.y.floats) : undefined
  const [sStart, sEnd] = b.layout.regions.stats
  const statsData = W.readF64(k, sStart, (sEnd - sStart) / 8)
  const trace = assembleTrace(c.stats, statsData, (buf) => (b.layout.ptr[buf.id]! - sStart) / 8, ctx, c.spec, mode === 'apply' ? NaN : ctx.loss)
  const out: { -readonly [K in keyof Outputs]: Outputs[K] } = { loss: ctx.loss, trace, nonFinite: trace.nonFinite }
  if (y) out.y = y
  if (mode === 'grad') {
    const g = sliceRegion(k, b.layout, 'pgrad')
    out.grads = c.graph.params.map((p) => g.at(p.grad, size(p.shape)))
  }
  if (mode === 'train') {
    const p = sliceRegion(k, b.layout, 'param')
    out.params = c.graph.params.map((q) => p.at(q.value, size(q.shape)))
    if (c.opt.length > 0) {
      const o = sliceRegion(k, b.layout, 'opt')
      out.opt = c.opt.map((slots, i) => slots.map((s) => o.at(s, size(c.graph.params[i]!.shape))))
    }
  }
  return out
}

