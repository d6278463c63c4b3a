/**
 * What `fit` checks before its first step: the data (rows of x matching the
 * labels or targets, nothing empty, finite inputs), the options (whole
 * positive epochs, a batch size from 1 to the number of rows), the optimizer
 * and the starting state against the model. Each problem is an error value
 * naming the field; nothing trains on a bad input (#9: missing labels were
 * read as 0, a batch size above N trained nothing without a word, and a NaN
 * in row 900 stopped a run after the batches before it had trained).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * const model = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(3)), { input: [4], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const opt = Optim.adam(1e-3)
 * const state = Train.init(model.right, opt, Key.key(0))
 * assert.ok(E.isRight(state))
 * const data = { x: { shape: [10, 4], data: new Float32Array(40) }, y: new Int32Array(10) }
 * const check = (epochs: number, batchSize: number, y = data.y) => Train.checkFit(model.right, opt, state.right, { ...data, y }, { epochs, batchSize })
 * assert.deepStrictEqual(check(2, 4), E.right({ rows: 10, steps: 2 }))
 * const field = (r: ReturnType<typeof check>) => (E.isLeft(r) && 'path' in r.left ? r.left.path : 'accepted')
 * assert.strictEqual(field(check(1.5, 4)), 'opts.epochs')
 * assert.strictEqual(field(check(1, 11)), 'opts.batchSize') // more than the 10 rows
 * assert.strictEqual(field(check(1, 4, new Int32Array(9))), 'data.y') // 9 labels for 10 rows
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, nonFinite } from '../core/Error'
import { type GradientTransformation, slots, validate } from '../optim/Transform'
import { checkBatch, checkOpt, checkParams } from '../model/checks'
import type { Model } from '../model/compile'
import type { Data, FitOptions } from './fit'
import type { TrainState } from './step'

/** The sizes of a run `fit` accepted. @category model */
export interface FitPlan {
  /** rows of the data set */
  readonly rows: number
  /** steps per epoch: floor(rows / batchSize), at least 1 */
  readonly steps: number
}

/** Null when `v` is a whole number from 1 to `max`, else the error naming `path`. */
const wholeFrom1 = (path: string, v: unknown, max = Infinity): GradtraceError | null => {
  const whole = typeof v === 'number' && Number.isInteger(v)
  if (whole && v >= 1 && v <= max) return null
  if (whole && v > max) return invalidArgument(path, `${v} is more than the ${max} rows of the data: no batch would be taken`)
  const range = max < Infinity ? `from 1 to ${max}` : 'from 1'
  return invalidArgument(path, `must be a whole number ${range}, got ${String(v)}`)
}

const LEVELS: ReadonlyArray<unknown> = ['off', 'norms', 'full']
const POLICIES: ReadonlyArray<unknown> = ['stop', 'skip']

/** Null when the optional `v` is absent or one of `allowed`, else the error naming `path`. */
const oneOf = (path: string, v: unknown, allowed: ReadonlyArray<unknown>): GradtraceError | null =>
  v === undefined || allowed.includes(v) ? null : invalidArgument(path, `must be ${allowed.map((a) => `'${String(a)}'`).join(', ')}, got ${String(v)}`)

/** The options' first problem, for a data set of `rows` rows, or null. */
const checkOptions = (opts: FitOptions, rows: number): GradtraceError | null => {
  if (typeof opts !== 'object' || opts === null) return invalidArgument('opts', 'must be { epochs, batchSize, ... }')
  const { every, onNonFinite, trace } = opts
  return (
    wholeFrom1('opts.epochs', opts.epochs) ??
    wholeFrom1('opts.batchSize', opts.batchSize, rows) ??
    (every === undefined ? null : wholeFrom1('opts.every', every)) ??
    oneOf('opts.onNonFinite', onNonFinite, POLICIES) ??
    oneOf('opts.trace', trace, LEVELS)
  )
}

/** The state's first problem against the model and optimizer, or null. */
const checkState = (model: Model, optimizer: GradientTransformation, s: TrainState): GradtraceError | null => {
  if (typeof s !== 'object' || s === null) return invalidArgument('state', 'must be a training state (from Train.init or Train.fromParams)')
  const step: unknown = s.step
  if (!(typeof step === 'number' && Number.isInteger(step) && step >= 0)) return invalidArgument('state.step', `must be a whole number >= 0, got ${step}`)
  return checkParams(model.params, s.params, 'state.params') ?? checkOpt(model.params, slots(optimizer), s.opt)
}

/** NaN and ±Infinity in the inputs, counted once before training rather than met at the batch that holds them. */
const nonFiniteIn = (x: ArrayLike<number>): number => {
  let bad = 0
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) bad++
  return bad
}

/** The data's first problem against the model, or its number of rows. */
const checkData = (model: Model, data: Data): E.Either<GradtraceError, number> => {
  if (typeof data !== 'object' || data === null) return E.left(invalidArgument('data', 'must be { x, y }'))
  if (Array.isArray(data.x?.shape) && data.x.shape[0] === 0) return E.left(invalidArgument('data.x', 'has no rows: there is nothing to train on'))
  if (data.y === undefined || data.y === null) return E.left(invalidArgument('data.y', 'must be labels (Int32Array) or a target tensor: fit needs both'))
  const batch = checkBatch(model.input, model.output, model.loss, data, 'data')
  if (E.isLeft(batch)) return batch
  const bad = nonFiniteIn(data.x.data)
  return bad > 0 ? E.left(nonFinite('data.x', bad)) : E.right(batch.right.rows)
}

/** Checks everything `fit` is handed, before any step: the sizes of the run, or the first problem as an error value. @category utils */
export const checkFit = (
  model: Model,
  optimizer: GradientTransformation,
  state: TrainState,
  data: Data,
  opts: FitOptions,
): E.Either<GradtraceError, FitPlan> => {
  const opt = validate(optimizer)
  if (opt) return E.left(opt)
  const rows = checkData(model, data)
  if (E.isLeft(rows)) return rows
  const N = rows.right
  const bad = checkOptions(opts, N) ?? checkState(model, optimizer, state)
  return bad ? E.left(bad) : E.right({ rows: N, steps: Math.floor(N / opts.batchSize) })
}
