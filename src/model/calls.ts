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
import { pipe } from 'fp-ts/lib/function.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array, Shape, Tensor } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import { emitter, type Loss } from '../loss/Loss'
import * as Opt from '../optim/Transform'
import { assemble, type PlanSpec } from '../plan/assemble'
import { bake, type Baked } from '../plan/bake'
import * as Run from '../plan/run'
import type { TraceLevel } from '../trace/Trace'
import type { Runtime } from '../wasm/Runtime'
import { type BatchShape, checkBatch, checkOpt, checkParams } from './checks'
import { buildGraph, type ModelGraph, type ParamSlot } from './graph'
import type { Batch, Cached, Model, TrainInputs, UserKind } from './Model'
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

/** The calls of a compiled network, with the caches they keep. @category constructors */
export const calls = (c: Compiled): Pick<Model, 'apply' | 'valueAndGrad' | 'train' | 'cached'> => {
  const slots = c.probe.params
  const graphs = lru<ModelGraph>(GRAPHS_KEPT)
  graphs.get('1', () => E.right(c.probe))
  const cache = { apply: lru<Baked<Of<'apply'>>>(PLANS_KEPT), grad: lru<Baked<Of<'grad'>>>(PLANS_KEPT), train: lru<Baked<Of<'train'>>>(PLANS_KEPT) }
  const graphFor = (B: number) => graphs.get(String(B), () => buildGraph(c.net, c.input, B, c.layerKinds))
  const planFor = <S extends PlanSpec>(B: number, spec: S) => E.chain((g: ModelGraph) => bake(assemble(g, spec), c.runtime))(graphFor(B))
  const checked = (params: Params, b: { readonly x: Tensor; readonly y?: Tensor | Int32Array }): E.Either<GradtraceError, BatchShape> => {
    const bad = checkParams(slots, params)
    return bad ? E.left(bad) : checkBatch(c.input, c.output, c.loss, b)
  }
  const gradPlan = (s: BatchShape, level: TraceLevel) =>
    cache.grad.get(`${s.rows}|${s.targets}|${level}`, () => planFor(s.rows, { mode: 'grad', level, loss: emitter(c.loss, s.targets) }))
  const trainPlan = (s: BatchShape, level: TraceLevel, r: Opt.Resolved) =>
    cache.train.get(`${s.rows}|${s.targets}|${level}|${Opt.structure(r)}`, () =>
      planFor(s.rows, { mode: 'train', level, loss: emitter(c.loss, s.targets), update: Opt.program(r) }))
  return {
    apply: (params, x) =>
      pipe(
        checked(params, { x }),
        E.chain((s) => E.map((b: Baked<Of<'apply'>>) => [s.rows, b] as const)(cache.apply.get(String(s.rows), () => planFor(s.rows, { mode: 'apply' })))),
        E.chain(([rows, b]) => E.map((y: Float32Array): Tensor => ({ shape: [rows, ...c.output], data: y }))(Run.apply(b, { x: x.data, params }))),
      ),
    valueAndGrad: (params, batch, o = {}) =>
      pipe(
        E.Do,
        E.bind('shape', () => checked(params, batch)),
        E.bind('y', () => targetsOf(batch)),
        E.bind('plan', ({ shape }) => gradPlan(shape, o.trace ?? c.level)),
        E.chain(({ y, plan }) => Run.grad(plan, { x: batch.x.data, y, params, ...(o.key ? { key: o.key } : {}) })),
        E.map((out) => ({ loss: out.loss, grads: paramsOf(slots, out.grads), trace: out.trace })),
      ),
    train: (batch, inp) => train(c, batch, inp, { checked, trainPlan }),
    cached: (): Cached => ({ plans: cache.apply.keys().length + cache.grad.keys().length + cache.train.keys().length, graphs: graphs.keys().length }),
  }
}

interface TrainDeps {
  readonly checked: (params: Params, b: Batch) => E.Either<GradtraceError, BatchShape>
  readonly trainPlan: (s: BatchShape, level: TraceLevel, r: Opt.Resolved) => E.Either<GradtraceError, Baked<Of<'train'>>>
}

/** One training step: the optimizer resolved against the model's kinds, its state checked, its settings at this step the call's inputs. */
const train = (c: Compiled, batch: Batch, inp: TrainInputs, d: TrainDeps) =>
  pipe(
    E.Do,
    E.bind('shape', () => d.checked(inp.params, batch)),
    E.bind('y', () => targetsOf(batch)),
    E.bind('opt', () => Opt.resolve(inp.optimizer, c.kinds)),
    E.chainFirst(({ opt }) => {
      const bad = checkOpt(c.probe.params, Opt.slotsOf(opt), inp.opt)
      return bad ? E.left(bad) : E.right(opt)
    }),
    E.bind('plan', ({ shape, opt }) => d.trainPlan(shape, inp.trace, opt)),
    E.chain(({ y, opt, plan }) => {
      const lr = Opt.learningRate(opt, inp.step)
      const call = { x: batch.x.data, y, params: inp.params, opt: inp.opt, step: inp.step, key: inp.key, settings: Opt.settingsAt(opt, inp.step) }
      return Run.train(plan, lr === undefined ? call : { ...call, lr })
    }),
    E.map((out) => ({ loss: out.loss, params: paramsOf(c.probe.params, out.params), opt: out.opt, trace: out.trace, nonFinite: out.nonFinite })),
  )
