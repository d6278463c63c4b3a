/**
 * Training steps: `(state, batch) -> [state, trace]`, pure — the same inputs
 * give bit-identical outputs, and nothing handed in is changed. Divergence is
 * not an exception: a non-finite loss or gradient is in the trace, and the
 * step's policy decides whether its update is kept ('apply') or dropped
 * ('skip', the default).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { init, step } from './step'
 * import { sgd } from '../optim/Transform'
 * // const s0 = init(model, sgd(0.1), key(0)); const r = step(model, sgd(0.1))(s0.right, batch)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn, type Key, split } from '../core/Key'
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import { size } from '../core/Tensor'
import { type GradientTransformation, slots, validate } from '../optim/Transform'
import type { Batch, Model } from '../plan/compile'
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
}

/** @category model */
export interface StepOptions {
  readonly trace?: TraceLevel
  /** what to do with a step whose loss or gradients are not finite (default 'skip': keep the old state, count the step) */
  readonly onNonFinite?: 'skip' | 'apply'
}

/** A first training state: parameters drawn from the key and zeroed optimizer state. An invalid optimizer setting is an error value. @category constructors */
export const init = (model: Model, optimizer: GradientTransformation, key: Key): E.Either<GradtraceError, TrainState> => {
  const bad = validate(optimizer)
  if (bad) return E.left(bad)
  const [kp, kt] = split(key, 2) as [Key, Key]
  return E.right(fromParams(model, optimizer, model.init(kp), kt))
}

/** A training state around given parameters. @category constructors */
export const fromParams = (model: Model, optimizer: GradientTransformation, params: Params, key: Key): TrainState => ({
  params,
  opt: model.params.map((p) => Array.from({ length: slots(optimizer) }, () => new Float32Array(size(p.shape)))),
  step: 0,
  key,
})

/** One training step. @category constructors */
export const step =
  (model: Model, optimizer: GradientTransformation, opts: StepOptions = {}) =>
  (state: TrainState, batch: Batch): E.Either<GradtraceError, readonly [TrainState, StepTrace]> => {
    const bad = validate(optimizer)
    if (bad) return E.left(bad)
    const n = state.step + 1
    const k = foldIn(state.key, n)
    const out = model.run('train', batch, { params: state.params, opt: state.opt as ReadonlyArray<ReadonlyArray<Float32Array>>, step: n, key: [k.k0, k.k1] }, { trace: opts.trace ?? model.trace, optimizer })
    if (E.isLeft(out)) return out
    const o = out.right
    const keep = o.nonFinite > 0 && (opts.onNonFinite ?? 'skip') === 'skip'
    const next: TrainState = keep
      ? { ...state, step: n }
      : {
          params: model.params.map((p, i) => ({ path: p.path, shape: p.shape, data: o.params![i]! })),
          opt: o.opt ?? state.opt,
          step: n,
          key: state.key,
        }
    return E.right([next, o.trace] as const)
  }
