/**
 * An executable plan: a graph for one batch size plus the loss, the trace ops
 * and (for training) the optimizer, laid out in one workspace. `run` copies
 * inputs in, runs the baked thunks and copies results out; nothing it returns
 * refers to Wasm memory. Plans are built once per model, mode, batch size and
 * optimizer *structure* (its state slots per parameter): the optimizer's
 * hyperparameters (learning rate, betas, clip norms) are inputs of each call,
 * so a schedule written by hand — a new optimizer value every step — reuses
 * one plan (#9).
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
  /** training: the optimizer's state slots per parameter (its settings come with each call) */
  readonly optimizer?: { readonly slots: number }
}

/** What a call hands in. @category model */
export interface Inputs {
  readonly x: Float32Array
  readonly y?: Float32Array | Int32Array
  readonly params: Params
  /** optimizer state: per parameter, one array per slot */
  readonly opt?: ReadonlyArray<ReadonlyArray<Float32Array>>
  /** training: the optimizer of this call (its slots must be the plan's) */
  readonly optimizer?: Opt.GradientTransformation
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
  /** the parameters as the optimizer sees them (training plans), for the ops each optimizer value emits */
  readonly groups: ReadonlyArray<Opt.ParamGroup>
  readonly stats: StatPlan
  /** check: the input scan; main: forward, loss, backward, trace; then the optimizer's ops; update: p += u */
  readonly phases: { readonly check: ReadonlyArray<Op>; readonly main: ReadonlyArray<Op>; readonly update: ReadonlyArray<Op> }
}

/** Adds the loss, trace and optimizer buffers to a graph. @category constructors */
export const compilePlan = (graph: Graph, spec: PlanSpec): Compiled => {
  const alloc = allocator(graph.buffers)
  const rows = graph.batch * (size(graph.output.shape) / (graph.output.shape[graph.output.shape.length - 1] ?? 1))
  const cols = graph.output.shape[graph.output.shape.length - 1] ?? 1
  const needsTarget = spec.mode !== 'apply'
  const target = needsTarget ? alloc.buf('target', 'input', spec.targets === 'labels' ? rows : rows * cols) : null
  const inputCheck = alloc.buf('input.stats', 'stats', 16)
  const training = spec.mode === 'train' && spec.optimizer !== undefined
  const opt = training ? graph.params.map((p) => Array.from({ length: spec.optimizer!.slots }, (_, j) => alloc.buf(`${p.path}.opt${j}`, 'opt', size(p.shape)))) : []
  const stats = statPlan(graph, spec, alloc)
  const check: Op[] = [Ops.stats(inputCheck, graph.input, graph.input.floats, Infinity)]
  const main: Op[] = [...graph.forward]
  const groups = training ? graph.params.map((p, i) => ({ p: p.value, u: p.grad, n: size(p.shape), state: opt[i]! })) : []
  if (spec.mode !== 'apply') {
    const dy = graph.output.dy!
    main.push(zeroGrads, lossOp(spec.loss, spec.targets, dy, graph.output.y, target!, rows, cols), ...graph.backward, ...stats.afterBackward)
  }
  const update = groups.map((g, i) => Ops.applyUpdate(stats.applied![i]!, g.p, g.u, g.n))
  return { spec, graph, buffers: alloc.buffers, target, inputCheck, opt, groups, stats, phases: { check, main, update } }
}

/** Zero every gradient (parameter gradients and error signals): one fill over the slab. */
const zeroGrads: Op = (env) => {
  const [start] = env.region('pgrad')
  const [, end] = env.region('grad')
  const K = env.k
  return () => K.fill_f32_simd(start, (end - start) / 4, 0)
}

type Thunk = (ctx: RunCtx) => void

interface Baked {
  readonly layout: W.Layout
  readonly env: Env
  readonly check: ReadonlyArray<Thunk>
  readonly main: ReadonlyArray<Thunk>
  readonly update: ReadonlyArray<Thunk>
  /** the optimizer ops baked for the latest optimizer values, most recent last (at most OPTIMIZERS_KEPT) */
  readonly optimizers: Map<string, ReadonlyArray<Thunk>>
}

/**
 * How many optimizer values a baked plan keeps the ops of. Baking them again is
 * cheap (a closure per parameter and transformation), so the bound only spares
 * a step that alternates between a few optimizers the re-baking; a schedule
 * written by hand makes a new value every step and needs none kept (#9).
 * @category utils
 */
export const OPTIMIZERS_KEPT = 4

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
  const bakeAll = (ops: ReadonlyArray<Op>) => ops.map((op) => op(env))
  const baked: Baked = { layout: lay.right, env, check: bakeAll(c.phases.check), main: bakeAll(c.phases.main), update: bakeAll(c.phases.update), optimizers: new Map() }
  const m = bakeCache.get(c) ?? new WeakMap<Runtime, Baked>()
  m.set(rt, baked)
  bakeCache.set(c, m)
  return E.right(baked)
}

/** A key that tells optimizer values apart exactly (JSON would merge NaN and Infinity into null). */
const optimizerKey = (g: Opt.GradientTransformation): string =>
  JSON.stringify(g, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `#${String(v)}` : Object.is(v, -0) ? '#-0' : v))

/** The optimizer's ops of a baked plan for the value `g`: from the few kept, or baked now. */
const optimizerOps = (c: Compiled, b: Baked, g: Opt.GradientTransformation): ReadonlyArray<Thunk> => {
  const id = optimizerKey(g)
  const hit = b.optimizers.get(id)
  b.optimizers.delete(id)
  const ops = hit ?? Opt.emit(g, c.groups).map((op) => op(b.env))
  b.optimizers.set(id, ops) // most recent last
  if (b.optimizers.size > OPTIMIZERS_KEPT) b.optimizers.delete(b.optimizers.keys().next().value!)
  return ops
}

/** How many optimizer values a plan keeps baked on a runtime now (for tests of the bound). @category utils */
export const optimizersKept = (c: Compiled, rt: Runtime): number => bakeCache.get(c)?.get(rt)?.optimizers.size ?? 0

/**
 * Runs a plan once: copy in, run, copy out. Parameters and optimizer state are
 * copied in on every call: no state stays resident between calls, so an array
 * handed back after being changed in place is read as it is now (#9).
 * @category utils
 */
export const run = (c: Compiled, rt: Runtime, inp: Inputs): E.Either<GradtraceError, Outputs> => {
  const b = bake(c, rt)
  if (E.isLeft(b)) return b
  const k = rt.kernels
  const grown = W.ensure(k, b.right.layout.end) // another plan on this runtime may have been larger; never shrinks
  if (E.isLeft(grown)) return grown
  const training = c.spec.optimizer !== undefined
  if (training && (inp.optimizer === undefined || Opt.slots(inp.optimizer) !== c.spec.optimizer!.slots)) throw new Error('gradtrace: a training plan was run without an optimizer of its structure')
  const ptr = (buf: Buf) => b.right.layout.ptr[buf.id]!
  c.graph.params.forEach((p, i) => W.write(k, ptr(p.value), inp.params[i]!.data as Float32Array))
  W.write(k, ptr(c.graph.input), inp.x)
  if (c.target && inp.y) W.write(k, ptr(c.target), inp.y)
  c.opt.forEach((slots, i) => slots.forEach((s, j) => W.write(k, ptr(s), inp.opt![i]![j]!)))
  const step = inp.step ?? 1
  const ctx = runCtx(step, c.spec.mode === 'train' || c.spec.mode === 'grad', inp.key?.[0] ?? 0, inp.key?.[1] ?? 0)
  for (const f of b.right.check) f(ctx)
  const bad = W.readF64(k, ptr(c.inputCheck), 8)[4]!
  if (bad > 0) return E.left(nonFinite('input', bad))
  for (const f of b.right.main) f(ctx)
  if (training) {
    for (const f of optimizerOps(c, b.right, inp.optimizer!)) f(ctx)
    for (const f of b.right.update) f(ctx)
  }
  return E.right(collect(c, rt, b.right, ctx, inp.optimizer))
}

const sliceRegion = (k: Runtime['kernels'], lay: W.Layout, r: 'param' | 'pgrad' | 'opt'): { data: Float32Array; at: (b: Buf, n: number) => Float32Array } => {
  const [start, end] = lay.regions[r]
  const data = W.read(k, start, (end - start) / 4)
  return { data, at: (b, n) => data.subarray((lay.ptr[b.id]! - start) / 4, (lay.ptr[b.id]! - start) / 4 + n) }
}

const collect = (c: Compiled, rt: Runtime, b: Baked, ctx: RunCtx, optimizer: Opt.GradientTransformation | undefined): Outputs => {
  const k = rt.kernels
  const mode = c.spec.mode
  const y = mode === 'apply' ? W.read(k, b.layout.ptr[c.graph.output.y.id]!, c.graph.output.y.floats) : undefined
  const [sStart, sEnd] = b.layout.regions.stats
  const statsData = W.readF64(k, sStart, (sEnd - sStart) / 8)
  const trace = assembleTrace(c.stats, statsData, (buf) => (b.layout.ptr[buf.id]! - sStart) / 8, ctx, { mode, ...(optimizer ? { optimizer } : {}) }, mode === 'apply' ? NaN : ctx.loss)
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
