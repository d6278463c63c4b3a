/**
 * One digits classifier trained as the ReLU and residual sections train
 * theirs: SGD with momentum 0.9, traced on a probe batch of the first
 * training examples, stopped at the first non-finite step, then scored on the
 * training and test sets.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import * as Layer from '../model/layers'
 * import { digitsData } from './common'
 * import { trainDigitsNet } from './digitsRun'
 * const net = Layer.serial(Layer.dense(16, { activation: 'relu', init: Layer.init.heNormal }), Layer.dense(10))
 * const o = { lr: 0.05, probe: 32, steps: 20, batchSize: 32, records: 3 }
 * const r = await trainDigitsNet(net, Key.key(1), o, digitsData())
 * assert.ok(E.isRight(r))
 * assert.strictEqual(r.right.outcome.traces[r.right.outcome.traces.length - 1]!.step, 20)
 * assert.ok(r.right.test.accuracy > 0.5 && r.right.train.loss < 2.3)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import type * as Key from '../core/Key'
import * as Model from '../model/compile'
import type * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import { type DigitsData, evaluate, headBatch, type Score, trainAndTrace, type TrainOutcome } from './common'

/** The settings of one run. @category model */
export interface DigitsRunOptions {
  readonly lr: number
  /** probe batch of the traces (the first training examples) */
  readonly probe: number
  readonly steps: number
  readonly batchSize: number
  readonly records: number
}

/** What one run leaves: the training outcome (state, traces, non-finite steps) and its scores. @category model */
export interface DigitsRun {
  readonly outcome: TrainOutcome
  readonly train: Score
  readonly test: Score
}

/** Compiles `spec` for the 64 digit features and 10 classes, trains and scores it. @category utils */
export const trainDigitsNet = async (
  spec: Layer.LayerSpec,
  key: Key.Key,
  o: DigitsRunOptions,
  d: DigitsData,
): Promise<E.Either<Err.GradtraceError, DigitsRun>> => {
  const m = Model.compile(spec, { input: [64], loss: 'softmaxCrossEntropy' })
  if (E.isLeft(m)) return m
  const probe = headBatch(d.train, o.probe)
  const run = { steps: o.steps, batchSize: o.batchSize, records: o.records, stopOnNonFinite: true }
  const r = await trainAndTrace({ model: m.right, optimizer: Optim.momentum(o.lr, 0.9), key, data: d.train, probe, ...run })
  if (E.isLeft(r)) return r
  const train = evaluate(m.right, r.right.state.params, d.train)
  if (E.isLeft(train)) return train
  const test = evaluate(m.right, r.right.state.params, d.test)
  if (E.isLeft(test)) return test
  return E.right({ outcome: r.right, train: train.right, test: test.right })
}
