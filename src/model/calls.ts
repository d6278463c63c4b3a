/**
 * A compiled network's calls — inference, gradient evaluation, training step
 * — over its bounded caches of graphs and baked plans (./plans.ts). Each
 * call checks what it is handed (parameters, optimizer and its state, the
 * batch) before any byte reaches Wasm memory, finds or builds its plan, runs
 * it and hands back plain values.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim } from 'gradtrace/core'
 * const m = Model.compile(Layer.dense(2), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(m))
 * const params = m.right.init(Key.key(0))
 * const batch = { x: { shape: [4, 3], data: new Float32Array(12).fill(1) }, y: { shape: [4, 2], data: new Float32Array(8) } }
 * const opt = [[new Float32Array(6)], [new Float32Array(2)]] // momentum's one slot per parameter
 * for (const lr of [0.1, 0.05, 0.025]) // a new optimizer value each step: one plan
 *   assert.ok(E.isRight(m.right.train(batch, { params, opt, optimizer: Optim.momentum(lr), step: 1, key: Key.key(1), trace: 'off' })))
 * assert.deepStrictEqual(m.right.cached(), { plans: 1, graphs: 2 }) // the training plan; graphs of batch 1 (compile's probe) and 4
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array, Shape, Tensor } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import type { StateBuf } from '../plan/Graph'
import { emitter, type Loss } from '../loss/Loss'
import * as Opt from '../optim/Transform'
import { assemble, type PlanSpec } from '../plan/assemble'
import { bake, type Baked } from '../plan/bake'
import * as Run from '../plan/run'
import type { TraceLevel } from '../trace/Trace'
import type { Runtime } from '../wasm/Runtime'
import { type BatchShape, checkBatch, checkOpt, checkParams } from './checks'
import { buildGraph, type ModelGraph, type ParamSlot } from './graph'
import type { Batch, Cached, Model, Trained, TrainInputs, UserKind } from './Model'
import { GRAPHS_KEPT, lru, PLANS_KEPT } from './plans'

/** A network that passed compile's checks. @category model */
export interface Compiled {
  readonly net: LayerSpec
  readonly input: Shape
  readonly output: Shape
  readonly loss: Loss
  readonly level: TraceLevel
  readonly runtime: Runtime
  readonly kinds: ReadonlyArray<UserKind>
  readonly layerKinds: ReadonlyArray<Kind>
  /** the graph of one example, built at compile */
  readonly probe: ModelGraph
}

type Of<M extends PlanSpec['mode']> = Extract<PlanSpec, { readonly mode: M }>

/** Parameters with their paths and shapes, around arrays a plan copied out. */
const paramsOf = (slots: ReadonlyArray<ParamSlot>, data: ReadonlyArray<Float32Array>): Params =>
  slots.map((s, i) => ({ path: s.path, shape: s.shape, data: data[i] ?? new Float32Array(0) }))

/** The targets of a gradient or training call: labels or a tensor's data. */
const targetsOf = (b: Batch): E.Either<GradtraceError, ReadonlyFloat32Array | Int32Array> =>
  b.y instanceof Int32Array
    ? E.right(b.y)
    : typeof b.y === 'object' && b.y !== null
      ? E.right(b.y.data)
      : E.left(invalidArgument('batch.y', 'the targets are missing: integer labels (Int32Array) or a tensor shaped like the output'))

/** The state a call brings, as the plan's arrays in order, or an error naming the entry that does not fit (#12: running statistics). */
type StateIn = { readonly state?: ReadonlyArray<ReadonlyFloat32Array> }
const stateOf = (slots: ReadonlyArray<StateBuf>, state: Params | undefined): E.Either<GradtraceError, StateIn> => {
  if (state === undefined) return E.right({})
  if (!Array.isArray(state) || state.length !== slots.length) {
    const got = Array.isArray(state) ? state.length : typeof state
    return E.left(invalidArgument('state', `expected ${slots.length} arrays (model.initState() gives one), got ${got}`))
  }
  const bad = slots.findIndex((s, i) => state[i]?.path !== s.path || !(state[i]?.data instanceof Float32Array) || state[i]?.data.length !== s.buf.floats)
  if (bad >= 0) return E.left(invalidArgument(`state[${bad}]`, `expected ${slots[bad]!.path} with ${slots[bad]!.buf.floats} floats`))
  return E.right({ state: state.map((s) => s.data) })
}

/** A call's parameters, batch and state checked: the batch's shape and the state's arrays. */
const checkedIn =
  (c: Compiled) =>
  (params: Params, b: { readonly x: Tensor; readonly y?: Tensor | Int32Array }, state?: Params): E.Either<GradtraceError, BatchShape & StateIn> => {
    const bad = checkParams(c.probe.params, params)
    if (bad) return E.left(bad)
    const st = stateOf(c.probe.state ?? [], state)
    return E.isLeft(st) ? st : E.map((s: BatchShape) => ({ ...s, ...st.right }))(checkBatch(c.input, c.output, c.loss, b))
  }

/** The calls of a compiled network, with the caches they keep. @category constructors */
export const calls = (c: Compiled): Pick<Model, 'apply' | 'valueAndGrad' | 'train' | 'cached'> => {
  const slots = c.probe.params
  const graphs = lru<ModelGraph>(GRAPHS_KEPT)
  graphs.get('1', () => E.right(c.probe))
  const cache = { apply: lru<Baked<Of<'apply'>>>(PLANS_KEPT), grad: lru<Baked<Of<'grad'>>>(PLANS_KEPT), train: lru<Baked<Of<'train'>>>(PLANS_KEPT) }
  const graphFor = (B: number) => graphs.get(String(B), () => buildGraph(c.net, c.input, B, c.layerKinds))
  const planFor = <S extends PlanSpec>(B: number, spec: S) => E.chain((g: ModelGraph) => bake(assemble(g, spec), c.runtime))(graphFor(B))
  const checked = checkedIn(c)
  const gradPlan = (s: BatchShape, level: TraceLevel) =>
    cache.grad.get(`${s.rows}|${s.targets}|${level}`, () => planFor(s.rows, { mode: 'grad', level, loss: emitter(c.loss, s.targets) }))
  const trainPlan = (s: BatchShape, level: TraceLevel, r: Opt.Resolved) =>
    cache.train.get(`${s.rows}|${s.targets}|${level}|${Opt.structure(r)}`, () =>
      planFor(s.rows, { mode: 'train', level, loss: emitter(c.loss, s.targets), update: Opt.program(r) }))
  // The calls below run every step: plain early returns, no fp-ts combinators (their closures and argument copies cost more than a small step's kernels).
  return {
    apply: (params, x, o = {}) => {
      const shape = checked(params, { x }, o.state)
      if (E.isLeft(shape)) return shape
      const plan = cache.apply.get(String(shape.right.rows), () => planFor(shape.right.rows, { mode: 'apply' }))
      if (E.isLeft(plan)) return plan
      const y = Run.apply(plan.right, { x: x.data, params, state: shape.right.state })
      return E.isLeft(y) ? y : E.right({ shape: [shape.right.rows, ...c.output], data: y.right })
    },
    valueAndGrad: (params, batch, o = {}) => {
      const shape = checked(params, batch, o.state)
      if (E.isLeft(shape)) return shape
      const y = targetsOf(batch)
      if (E.isLeft(y)) return y
      const plan = gradPlan(shape.right, o.trace ?? c.level)
      if (E.isLeft(plan)) return plan
      const out = Run.grad(plan.right, { x: batch.x.data, y: y.right, params, state: shape.right.state, ...(o.key ? { key: o.key } : {}) })
      return E.isLeft(out) ? out : E.right({ loss: out.right.loss, grads: paramsOf(slots, out.right.grads), trace: out.right.trace })
    },
    train: (batch, inp) => train(c, batch, inp, { checked, trainPlan }),
    cached: (): Cached => ({ plans: cache.apply.keys().length + cache.grad.keys().length + cache.train.keys().length, graphs: graphs.keys().length }),
  }
}

interface TrainDeps {
  readonly checked: (params: Params, b: Batch) => E.Either<GradtraceError, BatchShape>
  readonly trainPlan: (s: BatchShape, level: TraceLevel, r: Opt.Resolved) => E.Either<GradtraceError, Baked<Of<'train'>>>
}

/** One training step: the optimizer resolved against the model's kinds, its state checked, its settings at this step the call's inputs. */
const train = (c: Compiled, batch: Batch, inp: TrainInputs, d: TrainDeps): E.Either<GradtraceError, Trained> => {
  const shape = d.checked(inp.params, batch)
  if (E.isLeft(shape)) return shape
  const y = targetsOf(batch)
  if (E.isLeft(y)) return y
  const opt = Opt.resolve(inp.optimizer, c.kinds)
  if (E.isLeft(opt)) return opt
  const bad = checkOpt(c.probe.params, Opt.slotsOf(opt.right), inp.opt)
  if (bad) return E.left(bad)
  const slots = c.probe.state ?? []
  const st = stateOf(slots, inp.state)
  if (E.isLeft(st)) return st
  const plan = d.trainPlan(shape.right, inp.trace, opt.right)
  if (E.isLeft(plan)) return plan
  const lr = Opt.learningRate(opt.right, inp.step)
  const settings = Opt.settingsAt(opt.right, inp.step)
  const call = { x: batch.x.data, y: y.right, params: inp.params, opt: inp.opt, step: inp.step, key: inp.key, settings, ...st.right }
  const out = Run.train(plan.right, lr === undefined ? call : { ...call, lr })
  if (E.isLeft(out)) return out
  const o = out.right
  const state = o.state.map((data, i) => ({ path: slots[i]!.path, shape: [data.length], data }))
  return E.right({ loss: o.loss, params: paramsOf(c.probe.params, o.params), opt: o.opt, trace: o.trace, nonFinite: o.nonFinite, state })
}
