/**
 * `fit`: epochs over a data set with keyed shuffling, yielding progress as an
 * async iterable. Stopping early is just stopping the iteration; a
 * non-finite step is reported in its trace and the `onNonFinite` policy
 * ('stop' ends the run after yielding it, 'skip' drops its update and goes on).
 * Everything handed in is checked before the first step (`checkFit`): a bad
 * input is one progress record whose `error` names the field, and no step is
 * taken. An error during the run ends it the same way.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * const model = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(2)), { input: [2], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * // 64 points, labelled by the sign of x0 * x1
 * const x = Float32Array.from({ length: 128 }, (_, i) => Math.sin(1.3 * i + 0.4))
 * const data = { x: { shape: [64, 2], data: x }, y: Int32Array.from({ length: 64 }, (_, n) => (x[2 * n]! * x[2 * n + 1]! > 0 ? 1 : 0)) }
 * const opt = Optim.adam(0.05)
 * const s0 = Train.init(model.right, opt, Key.key(0))
 * assert.ok(E.isRight(s0))
 * const losses: number[] = []
 * for await (const p of Train.fit(model.right, opt, s0.right, data, { epochs: 20, batchSize: 16 })) losses.push(p.loss)
 * assert.strictEqual(losses.length, 20 * 4) // 4 steps an epoch
 * assert.ok(losses.slice(-4).reduce((a, b) => a + b) < losses.slice(0, 4).reduce((a, b) => a + b))
 * // a bad input is one record naming the field, and nothing trains
 * const refused: Train.Progress[] = []
 * for await (const p of Train.fit(model.right, opt, s0.right, data, { epochs: 1, batchSize: 65 })) refused.push(p)
 * assert.strictEqual(refused.length, 1)
 * assert.ok(refused[0]!.error?._tag === 'InvalidArgument' && refused[0]!.error.path === 'opts.batchSize' && refused[0]!.state === s0.right)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn } from '../core/Key'
import { permutation } from '../core/shuffle'
import type { Tensor } from '../core/Tensor'
import { size } from '../core/Tensor'
import type { GradientTransformation } from '../optim/Transform'
import type { Model } from '../model/compile'
import type { StepTrace, TraceLevel } from '../trace/Trace'
import { checkFit } from './checkFit'
import { step, type TrainState } from './step'

/** A data set in memory: inputs (N, ...input) and labels (N) or targets (N, ...output). @category model */
export interface Data {
  readonly x: Tensor
  readonly y: Tensor | Int32Array
}

/** @category model */
export interface FitOptions {
  readonly epochs: number
  readonly batchSize: number
  readonly trace?: TraceLevel
  /** 'stop' (default) ends the run after the first non-finite step; 'skip' drops that step's update and goes on */
  readonly onNonFinite?: 'stop' | 'skip'
  /** yield every `every` steps (default 1) and at the end of each epoch */
  readonly every?: number
}

/** @category model */
export interface Progress {
  readonly epoch: number
  readonly step: number
  readonly loss: number
  readonly trace: StepTrace
  readonly state: TrainState
  /** the error that ended the run, if one did (epoch 0: found before the first step, by `checkFit`) */
  readonly error?: GradtraceError
}

/** Rows `idx` of a data set, as a batch (copies). @category utils */
export const take = (data: Data, idx: ArrayLike<number>): { x: Tensor; y: Tensor | Int32Array } => {
  const fx = size(data.x.shape.slice(1))
  const x = new Float32Array(idx.length * fx)
  const src = data.x.data as Float32Array
  for (let i = 0; i < idx.length; i++) x.set(src.subarray(idx[i]! * fx, idx[i]! * fx + fx), i * fx)
  if (data.y instanceof Int32Array) {
    const y = new Int32Array(idx.length)
    for (let i = 0; i < idx.length; i++) y[i] = data.y[idx[i]!]!
    return { x: { shape: [idx.length, ...data.x.shape.slice(1)], data: x }, y }
  }
  const fy = size(data.y.shape.slice(1))
  const y = new Float32Array(idx.length * fy)
  const ysrc = data.y.data as Float32Array
  for (let i = 0; i < idx.length; i++) y.set(ysrc.subarray(idx[i]! * fy, idx[i]! * fy + fy), i * fy)
  return { x: { shape: [idx.length, ...data.x.shape.slice(1)], data: x }, y: { shape: [idx.length, ...data.y.shape.slice(1)], data: y } }
}

/**
 * Trains for `epochs` epochs, yielding progress. The last partial batch of an
 * epoch is dropped. Inputs that do not fit (see `checkFit`) give one record
 * with `error` set and train nothing.
 * @category constructors
 */
export async function* fit(
  model: Model,
  optimizer: GradientTransformation,
  state0: TrainState,
  data: Data,
  opts: FitOptions,
): AsyncGenerator<Progress, TrainState> {
  const ok = checkFit(model, optimizer, state0, data, opts)
  if (E.isLeft(ok)) {
    yield { epoch: 0, step: state0?.step ?? 0, loss: NaN, trace: emptyTrace(state0?.step ?? 0), state: state0, error: ok.left }
    return state0
  }
  const N = ok.right.rows
  const B = opts.batchSize
  const per = ok.right.steps
  const every = opts.every ?? 1
  const run = step(model, optimizer, { trace: opts.trace ?? model.trace, onNonFinite: 'skip' })
  let state = state0
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const order = permutation(foldIn(state.key, 0x5eed0000 + epoch), N)
    for (let b = 0; b < per; b++) {
      const r = run(state, take(data, order.subarray(b * B, (b + 1) * B)))
      if (E.isLeft(r)) {
        yield { epoch, step: state.step, loss: NaN, trace: emptyTrace(state.step), state, error: r.left }
        return state
      }
      const [next, trace] = r.right
      state = next // a non-finite step's update was already dropped by the 'skip' policy of `run`
      if (trace.nonFinite > 0 && (opts.onNonFinite ?? 'stop') === 'stop') {
        yield { epoch, step: next.step, loss: trace.loss, trace, state }
        return state
      }
      if (next.step % every === 0 || b === per - 1) yield { epoch, step: next.step, loss: trace.loss, trace, state }
    }
  }
  return state
}

const emptyTrace = (s: number): StepTrace => ({ step: s, loss: NaN, gradNorm: NaN, gradNormClipped: NaN, nonFinite: 0, level: 'off', layers: [] })
