/**
 * Running a baked plan once: copy in, run the thunks, copy out. The input is
 * scanned first: a non-finite input is an error value and the main phase
 * does not run. Each mode has its call and its outputs: `apply` gives the
 * network's output, `grad` the loss, the gradients and the trace, `train`
 * the loss, the updated parameters and optimizer state and the trace.
 * Nothing returned refers to Wasm memory.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadSync } from '../wasm/Runtime'
 * import { assemble } from './assemble'
 * import { bake } from './bake'
 * import * as Ops from './ops'
 * import { allocator } from './Program'
 * import { apply } from './run'
 * const alloc = allocator()
 * const x = alloc.buf('input', 'input', 3), y = alloc.buf('y', 'act', 3)
 * const output = { _tag: 'port' as const, shape: [3], y, dy: null }
 * const graph = {
 *   batch: 1, buffers: alloc.buffers, input: x, output, params: [], probes: [],
 *   forward: [Ops.scale(y, x, 3, 2)], backward: [], owners: { forward: [], backward: [] },
 * }
 * const rt = loadSync()
 * assert.ok(E.isRight(rt))
 * const baked = bake(assemble(graph, { mode: 'apply' }), rt.right)
 * assert.ok(E.isRight(baked))
 * assert.deepStrictEqual(apply(baked.right, { x: new Float32Array([1, 2, 3]), params: [] }), E.right(new Float32Array([2, 4, 6])))
 * assert.ok(E.isLeft(apply(baked.right, { x: new Float32Array([1, NaN, 3]), params: [] }))) // a non-finite input is refused
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, nonFinite } from '../core/Error'
import type { Key } from '../core/Key'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import type { StepTrace } from '../trace/Trace'
import * as W from '../wasm/Workspace'
import type { PlanSpec } from './assemble'
import type { Baked } from './bake'
import { type CopyIn, copyIn, readRegion, readStats } from './copies'
import { type RunCtx, runCtx } from './Program'
import { StatSlot } from './statOps'
import { assembleTrace } from './traceRead'

type Of<M extends PlanSpec['mode']> = Extract<PlanSpec, { readonly mode: M }>

/** An inference call: inputs and parameters. @category model */
export interface ApplyCall {
  readonly x: ReadonlyFloat32Array
  readonly params: CopyIn['params']
  /** the model's state (running statistics); absent: its initial values */
  readonly state?: CopyIn['state']
}

/** A gradient evaluation: targets too, and the key of its dropout masks. @category model */
export interface GradCall extends ApplyCall {
  readonly y: ReadonlyFloat32Array | Int32Array
  readonly key?: Key
}

/** A training step: the optimizer state, the 1-based step, the optimizer's settings at that step and its learning rate (for the trace). @category model */
export interface TrainCall extends GradCall {
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  readonly step: number
  readonly settings: ReadonlyArray<ReadonlyArray<number>>
  readonly lr?: number
}

/** @category model */
export interface GradOutputs {
  readonly loss: number
  readonly grads: ReadonlyArray<Float32Array>
  readonly trace: StepTrace
}

/** @category model */
export interface TrainOutputs {
  readonly loss: number
  readonly params: ReadonlyArray<Float32Array>
  /** per parameter, one array per optimizer state slot */
  readonly opt: ReadonlyArray<ReadonlyArray<Float32Array>>
  readonly trace: StepTrace
  /** non-finite values seen: the loss, the gradients, the updated parameters */
  readonly nonFinite: number
  /** the model's state after the step (running statistics), one array per state buffer */
  readonly state: ReadonlyArray<Float32Array>
}

/** Copies in, scans the input, and runs the main phase; the run context holds the loss after. */
const execute = (b: Baked, c: CopyIn, ctx: RunCtx): E.Either<GradtraceError, RunCtx> => {
  copyIn(b, c) // memory only grows, so the plan baked on this runtime still fits
  for (const f of b.check) f(ctx)
  const bad = W.readF64(b.runtime.kernels, b.ptr(b.plan.inputCheck), 8)[StatSlot.nonFinite] ?? 0
  if (bad > 0) return E.left(nonFinite('input', bad))
  for (const f of b.main) f(ctx)
  return E.right(ctx)
}

/** The network's output for a batch of inputs. @category utils */
export const apply = (b: Baked<Of<'apply'>>, c: ApplyCall): E.Either<GradtraceError, Float32Array> => {
  const out = b.plan.graph.output.y
  const ran = execute(b, c, runCtx(1, false))
  return E.isLeft(ran) ? ran : E.right(W.read(b.runtime.kernels, b.ptr(out), out.floats))
}

const traceOf = (b: Baked, ctx: RunCtx, lr?: number): StepTrace => {
  const s = readStats(b)
  return assembleTrace(b.plan.stats, s.data, s.at, ctx, lr === undefined ? { mode: b.plan.spec.mode } : { mode: b.plan.spec.mode, lr }, ctx.loss)
}

/** Loss, gradients and trace of a batch. @category utils */
export const grad = (b: Baked<Of<'grad'>>, c: GradCall): E.Either<GradtraceError, GradOutputs> => {
  const ran = execute(b, c, runCtx(1, true, c.key?.k0, c.key?.k1))
  if (E.isLeft(ran)) return ran
  const at = readRegion(b, 'pgrad')
  return E.right({ loss: ran.right.loss, grads: b.plan.graph.params.map((p) => at(p.grad, p.grad.floats)), trace: traceOf(b, ran.right) })
}

/** One training step: loss, updated parameters and optimizer state, trace. @category utils */
export const train = (b: Baked<Of<'train'>>, c: TrainCall): E.Either<GradtraceError, TrainOutputs> => {
  const ran = execute(b, c, runCtx(c.step, true, c.key?.k0, c.key?.k1, c.settings))
  if (E.isLeft(ran)) return ran
  const params = readRegion(b, 'param'), graph = b.plan.graph
  const opt = b.plan.opt.some((slots) => slots.length > 0) ? readRegion(b, 'opt') : null
  const trace = traceOf(b, ran.right, c.lr)
  return E.right({
    loss: ran.right.loss,
    params: graph.params.map((p) => params(p.value, p.value.floats)),
    opt: b.plan.opt.map((slots) => (opt ? slots.map((s) => opt(s, s.floats)) : [])),
    trace,
    nonFinite: trace.nonFinite,
    state: (graph.state ?? []).map((s) => params(s.buf, s.buf.floats)),
  })
}
