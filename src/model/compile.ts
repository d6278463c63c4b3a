/**
 * `compile(net, { input, loss })`: checks a network against an input shape and
 * returns a Model of pure functions — `init(key)`, `apply(params, x)`,
 * `valueAndGrad(params, batch)` — or an error value naming the layer path.
 * Behind them, plans are built once per batch size and reused, so a call makes
 * no per-op allocations. The model owns a frozen deep copy of the spec:
 * changing the spec afterwards changes nothing (#9).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { compile } from './compile'
 * import { serial } from '../combinator/serial'
 * import { dense } from '../layer/dense'
 * import { key } from '../core/Key'
 * const model = compile(serial(dense(32, { activation: 'tanh' }), dense(10)), { input: [64], loss: 'softmaxCrossEntropy' })
 * // E.map(m => m.init(key(0)))(model)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { MAX_NESTING } from '../core/strict'
import { type GradtraceError, invalidArgument, outOfMemory } from '../core/Error'
import { frozenCopy } from '../core/frozen'
import type { Key } from '../core/Key'
import type { Params } from '../core/Params'
import { checkShape, type Shape, size, type Tensor } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import { type GradientTransformation, slots as optSlots } from '../optim/Transform'
import type { StepTrace, TraceLevel } from '../trace/Trace'
import { type Loss, LossCodec, type TargetKind } from '../train/loss'
import { loadSync, type Runtime } from '../wasm/Runtime'
import { MAX_BYTES } from '../wasm/Workspace'
import { checkBatch, checkOpt, checkParams } from './checks'
import { guardProbe } from './guard'
import { buildGraph, type Graph, type ParamSlot } from './graph'
import { initialise } from './initialise'
import { compilePlan, type Inputs, type Mode, type Outputs, run } from './Plan'

/** A batch: inputs (B, ...input) and targets: integer labels (B) or a tensor shaped like the output. @category model */
export interface Batch {
  readonly x: Tensor
  readonly y: Tensor | Int32Array
}

/** @category model */
export interface CompileOptions {
  readonly input: ReadonlyArray<number>
  readonly loss: Loss
  /** the kernels to run on (default: the portable build, loaded on first use) */
  readonly runtime?: Runtime
  /** default trace level of valueAndGrad and training steps (default 'norms') */
  readonly trace?: TraceLevel
  /** user-defined layer kinds, besides the built-in ones */
  readonly kinds?: ReadonlyArray<Kind>
}

/** @category model */
export interface ValueAndGrad {
  readonly loss: number
  readonly grads: Params
  readonly trace: StepTrace
}

/** @category model */
export interface Model {
  readonly spec: LayerSpec
  readonly input: Shape
  readonly output: Shape
  readonly loss: Loss
  readonly trace: TraceLevel
  /** path and shape of each parameter, in order */
  readonly params: ReadonlyArray<{ readonly path: string; readonly shape: Shape }>
  readonly runtime: Runtime
  readonly init: (key: Key) => Params
  readonly apply: (params: Params, x: Tensor) => E.Either<GradtraceError, Tensor>
  readonly valueAndGrad: (params: Params, batch: Batch, opts?: { readonly key?: Key; readonly trace?: TraceLevel }) => E.Either<GradtraceError, ValueAndGrad>
  /** low level: run a plan of this model (used by training steps; a training call checks `inputs.opt` against the optimizer) */
  readonly run: (mode: Mode, batch: Batch, inputs: Omit<Inputs, 'x' | 'y'>, opts: { readonly trace: TraceLevel; readonly optimizer?: GradientTransformation }) => E.Either<GradtraceError, Outputs>
}

let defaultRuntime: E.Either<GradtraceError, Runtime> | undefined
/** The shared default runtime (the portable build, compiled once on first use). */
const getDefault = (): E.Either<GradtraceError, Runtime> => (defaultRuntime ??= loadSync())

/** Bytes of the parameters and their gradients: a lower bound of any workspace of the network. */
const slotBytes = (slots: ReadonlyArray<ParamSlot>): number => slots.reduce((s, p) => s + 8 * size(p.shape), 0)

/** Compiles a network for inputs of feature shape `input`. @category constructors */
export const compile = (spec: LayerSpec, opts: CompileOptions): E.Either<GradtraceError, Model> => {
  const owned = frozenCopy(spec, MAX_NESTING, 'spec')
  if (E.isLeft(owned)) return owned
  const net = owned.right
  const shape = checkShape('input', opts.input)
  if (E.isLeft(shape)) return shape
  const lossOk = LossCodec.decode(opts.loss)
  if (E.isLeft(lossOk)) return E.left(invalidArgument('loss', `unknown loss "${String(opts.loss)}" (softmaxCrossEntropy, mse, binaryCrossEntropy)`))
  const rt = opts.runtime ? E.right(opts.runtime) : getDefault()
  if (E.isLeft(rt)) return rt
  const runtime = rt.right
  const kinds = Object.freeze([...(opts.kinds ?? [])])
  const probe = buildGraph(net, shape.right, 1, kinds)
  if (E.isLeft(probe)) return probe
  const bytes = slotBytes(probe.right.params)
  if (bytes > MAX_BYTES) return E.left(outOfMemory(bytes, MAX_BYTES))
  if (probe.right.output.dy === null) return E.left(invalidArgument(String(net.kind), 'the network passes its input straight through: there is nothing to differentiate (add a layer)'))
  // A user's layer kind runs once on a layout with guard words after every buffer: one that writes past its buffers is an error here, not silent corruption later (#9).
  const guarded = kinds.length > 0 ? guardProbe(probe.right, runtime) : E.right(undefined)
  if (E.isLeft(guarded)) return guarded
  const input = shape.right
  const output = probe.right.output.shape
  const slots = probe.right.params
  const level = opts.trace ?? 'norms'
  const graphs = new Map<number, Graph>([[1, probe.right]])
  const plans = new Map<string, ReturnType<typeof compilePlan>>()
  const graphFor = (B: number): E.Either<GradtraceError, Graph> => {
    const hit = graphs.get(B)
    if (hit) return E.right(hit)
    const g = buildGraph(net, input, B, kinds)
    if (E.isRight(g)) graphs.set(B, g.right)
    return g
  }
  // Plans are keyed by structure; an optimizer's settings are inputs of each run, so a schedule written by hand (a new optimizer value every step) reuses one plan (#9).
  const planFor = (mode: Mode, B: number, targets: TargetKind, tl: TraceLevel, optimizer?: { readonly slots: number }) => {
    const id = `${mode}|${B}|${targets}|${tl}|${optimizer ? optimizer.slots : ''}`
    const hit = plans.get(id)
    if (hit) return E.right(hit)
    return E.map((graph: Graph) => {
      const plan = compilePlan(graph, { mode, level: tl, loss: opts.loss, targets, ...(optimizer ? { optimizer } : {}) })
      plans.set(id, plan)
      return plan
    })(graphFor(B))
  }
  const runMode: Model['run'] = (mode, batch, inputs, o) => {
    const bad = checkParams(slots, inputs.params)
    if (bad) return E.left(bad)
    const training = mode === 'train' && o.optimizer !== undefined ? { slots: optSlots(o.optimizer) } : undefined
    const badOpt = training ? checkOpt(slots, training.slots, inputs.opt) : null
    if (badOpt) return E.left(badOpt)
    const chk = checkBatch(input, output, opts.loss, mode === 'apply' ? { x: batch.x } : batch)
    if (E.isLeft(chk)) return chk
    const plan = planFor(mode, chk.right.rows, chk.right.targets, o.trace, training)
    if (E.isLeft(plan)) return plan
    const y = mode === 'apply' ? undefined : batch.y instanceof Int32Array ? batch.y : (batch.y.data as Float32Array)
    return run(plan.right, runtime, { ...inputs, x: batch.x.data as Float32Array, ...(y ? { y } : {}), ...(training ? { optimizer: o.optimizer } : {}) })
  }
  return E.right({
    spec: net,
    input,
    output,
    loss: opts.loss,
    trace: level,
    params: slots.map((s) => ({ path: s.path, shape: s.shape })),
    runtime,
    init: (key) => {
      // Only a memory refusal can fail here, for parameters the size checks at compile already accepted: a defect.
      const ps = initialise(runtime, slots, key)
      if (E.isLeft(ps)) throw new Error(`gradtrace: cannot initialise parameters: ${ps.left._tag}`)
      return ps.right
    },
    apply: (params, x) =>
      E.map((o: Outputs) => ({ shape: [x.shape[0] ?? 1, ...output], data: o.y! }) as Tensor)(runMode('apply', { x, y: new Int32Array(0) }, { params }, { trace: 'off' })),
    valueAndGrad: (params, batch, o = {}) =>
      E.map((out: Outputs) => ({
        loss: out.loss,
        grads: slots.map((s, i) => ({ path: s.path, shape: s.shape, data: out.grads![i]! })),
        trace: out.trace,
      }))(runMode('grad', batch, { params, key: o.key ? [o.key.k0, o.key.k1] : keyWords(undefined) }, { trace: o.trace ?? level })),
    run: runMode,
  })
}

const keyWords = (k: Key | undefined): readonly [number, number] => (k ? [k.k0, k.k1] : [0, 0])
