/**
 * Plan assembly: a graph for one batch size, plus what its mode needs — the
 * loss (gradient and training plans), the trace ops, and the optimizer's
 * ops and the fused update (training plans) — as one list of ops over
 * symbolic buffers. Losses and optimizers come in as op emitters
 * (`LossEmitter`, `UpdateProgram`): the plan knows no loss or optimizer by
 * name. An optimizer's settings are read at each call (`Setting`s), so a plan
 * depends on the optimizer's structure only (its state slots and its ops),
 * never on a learning rate (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { planMode } from './assemble'
 * assert.strictEqual(planMode({ mode: 'apply' }), 'apply')
 *
 * @since 0.1.0
 */
import { size } from '../core/Tensor'
import type { TraceLevel } from '../trace/Trace'
import type { Graph } from './Graph'
import * as Ops from './ops'
import { type Alloc, allocator, type Buf, type Op } from './Program'
import { type StatPlan, statPlan } from './traceOps'

/** @category model */
export type Mode = 'apply' | 'grad' | 'train'

/** What a loss needs to emit its op: the network's output y and dL/dy, the targets, and their sizes. @category model */
export interface LossBufs {
  readonly y: Buf
  readonly dy: Buf
  readonly target: Buf
  readonly rows: number
  readonly cols: number
}

/** A loss as an op emitter: its target buffer's size, and the op computing the loss into `ctx.loss` and dL/dy into `dy` (overwriting it). @category model */
export interface LossEmitter {
  readonly targetFloats: (rows: number, cols: number) => number
  readonly emit: (b: LossBufs) => Op
}

/** One parameter as the optimizer sees it: its value, its update buffer (holding the gradient at first) and its state slots. @category model */
export interface ParamGroup {
  readonly p: Buf
  readonly u: Buf
  readonly n: number
  readonly state: ReadonlyArray<Buf>
}

/** An optimizer as an op emitter: its state slots per parameter, and the ops that turn the gradients into updates in place. @category model */
export interface UpdateProgram {
  readonly slots: number
  readonly emit: (params: ReadonlyArray<ParamGroup>, alloc: Alloc) => ReadonlyArray<Op>
}

/** What a plan is assembled for. @category model */
export type PlanSpec =
  | { readonly mode: 'apply' }
  | { readonly mode: 'grad'; readonly level: TraceLevel; readonly loss: LossEmitter }
  | { readonly mode: 'train'; readonly level: TraceLevel; readonly loss: LossEmitter; readonly update: UpdateProgram }

/** The mode of a plan spec. @category utils */
export const planMode = (s: PlanSpec): Mode => s.mode

/** An assembled plan: every buffer, and the ops of its two phases. @category model */
export interface Plan<S extends PlanSpec = PlanSpec> {
  readonly spec: S
  readonly graph: Graph
  readonly buffers: ReadonlyArray<Buf>
  /** the targets (gradient and training plans) */
  readonly target: Buf | null
  /** the input's statistics: a non-finite input stops the call before the main phase */
  readonly inputCheck: Buf
  /** training plans: per parameter, its optimizer state slots */
  readonly opt: ReadonlyArray<ReadonlyArray<Buf>>
  readonly stats: StatPlan
  /** check: the input scan; main: forward, then loss, backward, trace, optimizer and update as the mode has them */
  readonly phases: { readonly check: ReadonlyArray<Op>; readonly main: ReadonlyArray<Op> }
}

/** Rows and columns of the output as a loss sees it: the last axis is the columns, everything before it (batch first) the rows. */
const outputGrid = (g: Graph): { readonly rows: number; readonly cols: number } => {
  const shape = g.output.shape
  const cols = shape[shape.length - 1] ?? 1
  return { rows: g.batch * (size(shape) / cols), cols }
}

/** Loss, backward pass and trace ops: what a gradient adds to the forward pass. */
const backward = (g: Graph, loss: LossEmitter, stats: StatPlan, alloc: Alloc): { readonly target: Buf; readonly ops: ReadonlyArray<Op> } => {
  const { rows, cols } = outputGrid(g)
  const target = alloc.buf('target', 'input', loss.targetFloats(rows, cols))
  const dy = g.output.dy
  if (dy === null) throw new Error('gradtrace: a gradient plan of a network with nothing to differentiate (compile refuses those)')
  return { target, ops: [Ops.fillRegion('pgrad', 'grad', 0), loss.emit({ y: g.output.y, dy, target, rows, cols }), ...g.backward, ...stats.afterBackward] }
}

/** The optimizer's state slots and ops, then p += u per parameter with the update's statistics. */
interface Updates {
  readonly opt: ReadonlyArray<ReadonlyArray<Buf>>
  readonly ops: ReadonlyArray<Op>
}

const update = (g: Graph, program: UpdateProgram, stats: StatPlan, alloc: Alloc): Updates => {
  const opt = g.params.map((p) => Array.from({ length: program.slots }, (_, j) => alloc.buf(`${p.path}.opt${j}`, 'opt', size(p.shape))))
  const groups = g.params.map((p, i): ParamGroup => ({ p: p.value, u: p.grad, n: size(p.shape), state: opt[i] ?? [] }))
  const applied = stats.applied ?? []
  const apply = groups.flatMap((q, i) => {
    const out = applied[i]
    return out ? [Ops.applyUpdate(out, q.p, q.u, q.n)] : []
  })
  return { opt, ops: [...program.emit(groups, alloc), ...apply] }
}

/** Adds the loss, trace, optimizer and update ops to a graph, as its mode needs. @category constructors */
export const assemble = <S extends PlanSpec>(graph: Graph, spec: S): Plan<S> => {
  const alloc = allocator(graph.buffers)
  const inputCheck = alloc.buf('input.stats', 'stats', 16)
  const check = [Ops.stats(inputCheck, graph.input, graph.input.floats, Infinity)]
  const stats = statPlan(graph, spec.mode === 'apply' ? { mode: 'apply', level: 'off' } : spec, alloc)
  const base = { spec, graph, inputCheck, stats }
  if (spec.mode === 'apply') return { ...base, buffers: alloc.buffers, target: null, opt: [], phases: { check, main: graph.forward } }
  const grad = backward(graph, spec.loss, stats, alloc)
  const upd = spec.mode === 'train' ? update(graph, spec.update, stats, alloc) : { opt: [], ops: [] }
  return { ...base, buffers: alloc.buffers, target: grad.target, opt: upd.opt, phases: { check, main: [...graph.forward, ...grad.ops, ...upd.ops] } }
}
