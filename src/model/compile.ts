/**
 * `compile(net, { input, loss })`: checks a network against an input shape and
 * returns a Model of pure functions — `init(key)`, `apply(params, x)`,
 * `valueAndGrad(params, batch)`, and the training step's `train` — or an
 * error value naming the layer path. Behind them, plans are built once per
 * batch size and reused, so a call makes no per-op allocations. The model
 * owns a frozen deep copy of the spec: changing the spec afterwards changes
 * nothing (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { compile } from './compile'
 * import { dense, serial } from './layers'
 * import { key } from '../core/Key'
 * const model = compile(serial(dense(32, { activation: 'tanh' }), dense(10)), { input: [64], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const params = model.right.init(key(0))
 * assert.deepStrictEqual(params.map((p) => p.shape), [[64, 32], [32], [32, 10], [10]])
 * const wrong = compile(serial(dense(32), dense(10)), { input: [0], loss: 'mse' })
 * assert.ok(E.isLeft(wrong) && wrong.left._tag === 'InvalidArgument' && wrong.left.path === 'input')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { type GradtraceError, invalidArgument, outOfMemory } from '../core/Error'
import { frozenCopy } from '../core/frozen'
import { MAX_NESTING } from '../core/strict'
import { checkShape, type Shape, size } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import { type Loss, LossCodec } from '../loss/Loss'
import { isTransformKind } from '../optim/Transform'
import { guardProbe } from '../plan/guard'
import type { Runtime } from '../wasm/Runtime'
import { MAX_BYTES } from '../wasm/Workspace'
import { calls, type Compiled } from './calls'
import { buildGraph, type ModelGraph } from './graph'
import { initialise } from './initialise'
import type { CompileOptions, Model, UserKind } from './Model'
import { defaultRuntime } from './runtime'

export type { Batch, Cached, CompileOptions, Model, Trained, TrainInputs, UserKind, ValueAndGrad } from './Model'
export { GRAPHS_KEPT, PLANS_KEPT } from './plans'

// steps ------------------------------------------------------------------------

const checkLoss = (loss: unknown): E.Either<GradtraceError, Loss> =>
  E.mapLeft(() => invalidArgument('loss', `unknown loss "${String(loss)}" (softmaxCrossEntropy, mse, binaryCrossEntropy)`))(LossCodec.decode(loss))

const runtimeOf = (opts: CompileOptions): E.Either<GradtraceError, Runtime> => (opts.runtime ? E.right(opts.runtime) : defaultRuntime())

/** The user's kinds, frozen, and its layer kinds among them. */
const userKinds = (kinds: ReadonlyArray<UserKind> = []): { readonly all: ReadonlyArray<UserKind>; readonly layers: ReadonlyArray<Kind> } => {
  const all = Object.freeze([...kinds])
  return { all, layers: all.filter((k): k is Kind => !isTransformKind(k)) }
}

/** Bytes of the parameters and their gradients: a lower bound of any workspace of the network. */
const paramBytes = (g: ModelGraph): number => g.params.reduce((s, p) => s + 8 * size(p.shape), 0)

/** The graph of one example: shapes checked, parameters within a 32-bit memory, something to differentiate. */
const probeGraph = (net: LayerSpec, input: Shape, layers: ReadonlyArray<Kind>): E.Either<GradtraceError, ModelGraph> =>
  E.chain((g: ModelGraph) => {
    const bytes = paramBytes(g)
    if (bytes > MAX_BYTES) return E.left(outOfMemory(bytes, MAX_BYTES))
    const through = 'the network passes its input straight through: there is nothing to differentiate (add a layer)'
    if (g.output.dy === null) return E.left(invalidArgument(String(net.kind), through))
    return E.right(g)
  })(buildGraph(net, input, 1, layers))

/**
 * A user's layer kind runs once on a layout with guard words after every
 * buffer: one that writes past its buffers is an error here, not silent
 * corruption later (#9).
 */
const guardUserKinds = (g: ModelGraph, rt: Runtime, layers: ReadonlyArray<Kind>): E.Either<GradtraceError, void> =>
  layers.length > 0 ? guardProbe(g, rt) : E.right(undefined)

/** The model of a compiled network. */
const modelOf = (c: Compiled): Model => ({
  spec: c.net,
  input: c.input,
  output: c.output,
  loss: c.loss,
  trace: c.level,
  params: c.probe.params.map((s) => ({ path: s.path, shape: s.shape })),
  runtime: c.runtime,
  kinds: c.kinds,
  init: (key) => {
    // Only a memory refusal can fail here, for parameters the size checks at compile already accepted: a defect.
    const ps = initialise(c.runtime, c.probe.params, key)
    if (E.isLeft(ps)) throw new Error(`gradtrace: cannot initialise parameters: ${ps.left._tag}`)
    return ps.right
  },
  state: (c.probe.state ?? []).map((s) => ({ path: s.path, shape: [s.buf.floats] })),
  initState: () => (c.probe.state ?? []).map((s) => ({ path: s.path, shape: [s.buf.floats], data: new Float32Array(s.buf.floats).fill(s.init) })),
  ...calls(c),
})

// compile ----------------------------------------------------------------------

/** Compiles a network for inputs of feature shape `input`. @category constructors */
export const compile = (spec: LayerSpec, opts: CompileOptions): E.Either<GradtraceError, Model> =>
  pipe(
    E.Do,
    E.bind('net', () => frozenCopy(spec, MAX_NESTING, 'spec')),
    E.bind('input', () => checkShape('input', opts.input)),
    E.bind('loss', () => checkLoss(opts.loss)),
    E.bind('runtime', () => runtimeOf(opts)),
    E.let('kinds', () => userKinds(opts.kinds)),
    E.bind('probe', ({ net, input, kinds }) => probeGraph(net, input, kinds.layers)),
    E.chainFirst(({ probe, runtime, kinds }) => guardUserKinds(probe, runtime, kinds.layers)),
    E.map(({ net, input, loss, runtime, kinds, probe }) =>
      modelOf({ net, input, output: probe.output.shape, loss, level: opts.trace ?? 'norms', runtime, kinds: kinds.all, layerKinds: kinds.layers, probe }),
    ),
  )
