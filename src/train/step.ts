/**
 * Training steps: `(state, batch) -> [state, trace]`, pure — the same inputs
 * give bit-identical outputs, and nothing handed in is changed. Divergence is
 * not an exception: a non-finite loss or gradient is in the trace, and the
 * step's policy decides whether its update is kept ('apply') or dropped
 * ('skip', the default).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim } from 'gradtrace/core'
 * import { init, step } from './step'
 * const model = Model.compile(Layer.serial(Layer.dense(4, { activation: 'tanh' }), Layer.dense(2)), { input: [3], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const s0 = init(model.right, Optim.sgd(0.1), Key.key(0))
 * assert.ok(E.isRight(s0))
 * const batch = { x: { shape: [2, 3], data: new Float32Array([1, 0, 0, 0, 0, 1]) }, y: new Int32Array([0, 1]) }
 * const r = step(model.right, Optim.sgd(0.1))(s0.right, batch)
 * assert.ok(E.isRight(r) && r.right[0].step === 1 && r.right[1].loss > 0)
 * assert.deepStrictEqual(s0.right.step, 0) // the state handed in is unchanged
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn, type Key, split } from '../core/Key'
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import { size } from '../core/Tensor'
import type { Batch, Model } from '../model/compile'
import { type GradientTransformation, slots, validate } from '../optim/Transform'
import type { StepTrace, TraceLevel } from '../trace/Trace'

/** Everything a training run carries from step to step. @category model */
export interface TrainState {
  readonly params: Params
  /** optimizer state: per parameter, one array per slot */
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  /** steps taken so far */
  readonly step: number
  /** the key for dropout and shuffling; each step folds its step number in */
  readonly key: Key
  /** the model's state: batch norm's running statistics, which evaluation reads (absent when no layer keeps any) */
  readonly state?: Params
  /** steps with non-finite values so far and the first of them (absent while there were none); each trace carries it */
  readonly nonFiniteSteps?: { readonly count: number; readonly first: number }
}

/** @category model */
export interface StepOptions {
  readonly trace?: TraceLevel
  /** what to do with a step whose loss or gradients are not finite (default 'skip': keep the old state, count the step) */
  readonly onNonFinite?: 'skip' | 'apply'
}

/** A first training state: parameters drawn from the key and zeroed optimizer state. An invalid optimizer setting is an error value. @category constructors */
export const init = (model: Model, optimizer: GradientTransformation, key: Key): E.Either<GradtraceError, TrainState> => {
  const bad = validate(optimizer, model.kinds)
  if (bad) return E.left(bad)
  const [kp, kt] = split(key, 2) as [Key, Key]
  return E.right(fromParams(model, optimizer, model.init(kp), kt))
}

/** A training state around given parameters. @category constructors */
export const fromParams = (model: Model, optimizer: GradientTransformation, params: Params, key: Key): TrainState => ({
  params,
  opt: model.params.map((p) => Array.from({ length: slots(optimizer, model.kinds) }, () => new Float32Array(size(p.shape)))),
  step: 0,
  key,
  ...(model.state.length > 0 ? { state: model.initState() } : {}),
})

/** One training step. @category constructors */
export const step =
  (model: Model, optimizer: GradientTransformation, opts: StepOptions = {}) =>
  (state: TrainState, batch: Batch): E.Either<GradtraceError, readonly [TrainState, StepTrace]> => {
    const n = state.step + 1
    const inputs = { params: state.params, opt: state.opt, optimizer, step: n, key: foldIn(state.key, n), trace: opts.trace ?? model.trace }
    const out = model.train(batch, state.state ? { ...inputs, state: state.state } : inputs)
    if (E.isLeft(out)) return out
    const o = out.right
    const skip = o.nonFinite > 0 && (opts.onNonFinite ?? 'skip') === 'skip'
    const seen = o.nonFinite > 0 ? { count: (state.nonFiniteSteps?.count ?? 0) + 1, first: state.nonFiniteSteps?.first ?? n } : state.nonFiniteSteps
    const kept = skip ? { ...state, step: n } : { params: o.params, opt: o.opt, step: n, key: state.key, ...(o.state.length > 0 ? { state: o.state } : {}) }
    const next: TrainState = seen ? { ...kept, nonFiniteSteps: seen } : kept
    return E.right([next, seen ? { ...o.trace, nonFiniteSteps: seen } : o.trace] as const)
  }
