/**
 * What `fit` checks before its first step: the data (rows of x matching the
 * labels or targets, nothing empty), the options (whole positive epochs, a
 * batch size from 1 to the number of rows), the optimizer and the starting
 * state against the model. Each problem is an error value naming the field;
 * nothing trains on a bad input (#9: missing labels were read as 0, and a
 * batch size above N trained nothing without a word).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { checkFit } from './checkFit'
 * // E.isLeft(checkFit(model, adam(1e-3), state, data, { epochs: 1.5, batchSize: 32 })) // true: 'opts.epochs'
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { type GradientTransformation, slots, validate } from '../optim/Transform'
import { checkBatch, checkOpt, checkParams } from '../plan/checks'
import type { Model } from '../plan/compile'
import type { Data, FitOptions } from './fit'
import type { TrainState } from './step'

/** The sizes of a run `fit` accepted. @category model */
export interface FitPlan {
  /** rows of the data set */
  readonly rows: number
  /** steps per epoch: floor(rows / batchSize), at least 1 */
  readonly steps: number
}

const positiveInt = (path: string, v: unknown, max = Infinity): GradtraceError | null =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? null : invalidArgument(path, `must be a whole number from 1${max < Infinity ? ` to ${max}` : ''}, got ${String(v)}`)

const LEVELS: ReadonlyArray<unknown> = ['off', 'norms', 'full']

/** The options' first problem, for a data set of `rows` rows, or null. */
const checkOptions = (opts: FitOptions, rows: number): GradtraceError | null => {
  if (typeof opts !== 'object' || opts === null) return invalidArgument('opts', 'must be { epochs, batchSize, ... }')
  return (
    positiveInt('opts.epochs', opts.epochs) ??
    (typeof opts.batchSize === 'number' && opts.batchSize > rows && Number.isInteger(opts.batchSize)
      ? invalidArgument('opts.batchSize', `${opts.batchSize} is more than the ${rows} rows of the data: no batch would be taken`)
      : positiveInt('opts.batchSize', opts.batchSize, rows)) ??
    (opts.every === undefined ? null : positiveInt('opts.every', opts.every)) ??
    (opts.onNonFinite === undefined || opts.onNonFinite === 'stop' || opts.onNonFinite === 'skip' ? null : invalidArgument('opts.onNonFinite', `must be 'stop' or 'skip', got ${String(opts.onNonFinite)}`)) ??
    (opts.trace === undefined || LEVELS.includes(opts.trace) ? null : invalidArgument('opts.trace', `must be 'off', 'norms' or 'full', got ${String(opts.trace)}`))
  )
}

/** The state's first problem against the model and optimizer, or null. */
const checkState = (model: Model, optimizer: GradientTransformation, s: TrainState): GradtraceError | null => {
  if (typeof s !== 'object' || s === null) return invalidArgument('state', 'must be a training state (from Train.init or Train.fromParams)')
  if (!(typeof s.step === 'number' && Number.isInteger(s.step) && s.step >= 0)) return invalidArgument('state.step', `must be a whole number >= 0, got ${String(s.step)}`)
  return checkParams(model.params, s.params, 'state.params') ?? checkOpt(model.params, slots(optimizer), s.opt)
}

/** Checks everything `fit` is handed, before any step: the sizes of the run, or the first problem as an error value. @category utils */
export const checkFit = (model: Model, optimizer: GradientTransformation, state: TrainState, data: Data, opts: FitOptions): E.Either<GradtraceError, FitPlan> => {
  const opt = validate(optimizer)
  if (opt) return E.left(opt)
  if (typeof data !== 'object' || data === null) return E.left(invalidArgument('data', 'must be { x, y }'))
  const rows = Array.isArray(data.x?.shape) ? data.x.shape[0] : undefined
  if (rows === 0) return E.left(invalidArgument('data.x', 'has no rows: there is nothing to train on'))
  const batch = checkBatch(model.input, model.output, model.loss, data, 'data')
  if (E.isLeft(batch)) return batch
  const N = batch.right.rows
  const bad = checkOptions(opts, N) ?? checkState(model, optimizer, state)
  return bad ? E.left(bad) : E.right({ rows: N, steps: Math.floor(N / opts.batchSize) })
}
