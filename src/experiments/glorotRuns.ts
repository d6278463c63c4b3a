/**
 * The runs of experiment E2 (Glorot & Bengio 2010, scaled down to the 8x8
 * digits; the section is ./glorot.ts): five conditions (an activation and an
 * initialiser), the nets (five hidden layers of 64, softmax output), and
 * training each by `Train.fit` with plain SGD at every rate of a small grid,
 * keeping the rate with the lowest validation error.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { conditionLabel, glorotConditions, glorotNet, glorotQuick } from './glorotRuns'
 * const labels = glorotConditions.map(conditionLabel)
 * assert.deepStrictEqual(labels, ['sigmoid + classic', 'tanh + classic', 'tanh + Glorot', 'softsign + classic', 'softsign + Glorot'])
 * assert.strictEqual(glorotNet(glorotConditions[2]!).layers.length, 6) // five hidden layers and the read-out
 * assert.deepStrictEqual([glorotQuick.epochs, glorotQuick.lrs], [2, [0.3]])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import type * as Trace from '../trace/index'
import type * as Train from '../train/index'
import { type ActName, digitsData, evaluate, headBatch, type Score, tick, trainAndTrace } from './common'
import type { RunOptions } from './Experiment'

/** One condition of the experiment. @category model */
export interface GlorotCondition {
  readonly act: ActName
  readonly init: 'classic' | 'glorot'
}

/** The five conditions of Glorot & Bengio's Table 1 (minus the sigmoid + normalised variant they did not run). @category utils */
export const glorotConditions: ReadonlyArray<GlorotCondition> = [
  { act: 'sigmoid', init: 'classic' },
  { act: 'tanh', init: 'classic' },
  { act: 'tanh', init: 'glorot' },
  { act: 'softsign', init: 'classic' },
  { act: 'softsign', init: 'glorot' },
]

/** 'tanh + Glorot'. @category utils */
export const conditionLabel = (c: GlorotCondition): string => `${c.act} + ${c.init === 'classic' ? 'classic' : 'Glorot'}`

/** @category model */
export interface GlorotOptions {
  readonly width: number
  readonly depth: number
  readonly batchSize: number
  readonly epochs: number
  /** the learning-rate grid; each model keeps the rate with the lowest validation error */
  readonly lrs: ReadonlyArray<number>
  /** fraction of the training part held out for choosing the learning rate */
  readonly validation: number
  /** probe batch for traces (first examples of the fit part) */
  readonly probe: number
  readonly records: number
  /** traces per run kept in the result (evenly thinned, first and last kept) */
  readonly keep: number
  readonly conditions: ReadonlyArray<GlorotCondition>
  readonly onProgress?: RunOptions['onProgress']
}

/** Full mode: 5 x 64, batch 10, 12 epochs, lr from {0.1, 0.3, 1}. @category utils */
export const glorotFull: GlorotOptions = {
  width: 64,
  depth: 5,
  batchSize: 10,
  epochs: 12,
  lrs: [0.1, 0.3, 1],
  validation: 0.2,
  probe: 300,
  records: 40,
  keep: 16,
  conditions: glorotConditions,
}
/** Quick mode: two epochs at lr 0.3. @category utils */
export const glorotQuick: GlorotOptions = { ...glorotFull, epochs: 2, lrs: [0.3], probe: 200, records: 12 }

/** The measurements of one condition. @category model */
export interface GlorotRow {
  readonly condition: GlorotCondition
  readonly label: string
  readonly lr: number
  /** ||dL/dz|| of each hidden layer at init, input first */
  readonly initProfile: ReadonlyArray<number>
  /** max / min of initProfile */
  readonly spread: number
  /** hidden layer 1 / top hidden layer, at init */
  readonly firstToTop: number
  /** saturated fraction of each hidden layer at each recorded step [layer][record] */
  readonly saturation: ReadonlyArray<ReadonlyArray<number>>
  readonly valError: number
  readonly testError: number
  /** number of test examples */
  readonly testSize: number
  /** mean cross-entropy on the training examples used (the fit part) after training */
  readonly trainLoss: number
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly seconds: number
}

const initOf = (c: GlorotCondition): Layer.init.InitSpec => (c.init === 'classic' ? Layer.init.classic : Layer.init.glorotUniform)

/** The network of a condition. @category utils */
export const glorotNet = (c: GlorotCondition, depth = 5, width = 64): Layer.SerialSpec =>
  Layer.serial(...Array.from({ length: depth }, () => Layer.dense(width, { activation: c.act, init: initOf(c) })), Layer.dense(10, { init: initOf(c) }))

/** The hidden layers of a trace (the weight layers but the read-out). @category utils */
export const hiddenOf = (t: Trace.StepTrace, depth: number): ReadonlyArray<Trace.LayerTrace> => t.layers.filter((l) => l.params.length > 0).slice(0, depth)

/** The fit and validation parts, the test part and the probe batch of the runs. */
interface Parts {
  readonly fit: Train.Data
  readonly val: Train.Data
  readonly test: Train.Data
  readonly probe: Model.Batch
}

type RowResult = Promise<E.Either<Err.GradtraceError, GlorotRow>>

/** A model of one condition (the `ci`-th) trained at one learning rate, and measured. */
const glorotRow = async (c: GlorotCondition, ci: number, m: Model.Model, lr: number, o: GlorotOptions, d: Parts): RowResult => {
  const t0 = Date.now()
  const steps = o.epochs * Math.floor((d.fit.x.shape[0] ?? 0) / o.batchSize)
  const key = Key.foldIn(Key.key(2010), ci)
  const r = await trainAndTrace({ model: m, optimizer: Optim.sgd(lr), key, data: d.fit, probe: d.probe, steps, batchSize: o.batchSize, records: o.records })
  if (E.isLeft(r)) return r
  const scores = E.sequenceArray([d.val, d.test, d.fit].map((part) => evaluate(m, r.right.state.params, part)))
  if (E.isLeft(scores)) return scores
  const [ev, te, tr] = scores.right as readonly [Score, Score, Score]
  const ts = r.right.traces
  const prof = hiddenOf(ts[0]!, o.depth).map((l) => l.gradPre.l2)
  return E.right({
    condition: c,
    label: conditionLabel(c),
    lr,
    initProfile: prof,
    spread: Math.max(...prof) / Math.min(...prof),
    firstToTop: prof[0]! / prof[prof.length - 1]!,
    saturation: Array.from({ length: o.depth }, (_, l) => ts.map((t) => hiddenOf(t, o.depth)[l]?.act?.saturated ?? NaN)),
    valError: 1 - ev.accuracy,
    testError: 1 - te.accuracy,
    testSize: d.test.x.shape[0] ?? 0,
    trainLoss: tr.loss,
    traces: ts,
    seconds: (Date.now() - t0) / 1000,
  })
}

/** Lowest validation error; ties go to the lower final training loss. */
const better = (a: GlorotRow, b: GlorotRow | undefined): boolean => !b || a.valError < b.valError || (a.valError === b.valError && a.trainLoss < b.trainLoss)

/** Runs every condition at every learning rate and keeps the best rate per condition. @category utils */
export const runGlorot = async (o: GlorotOptions): Promise<E.Either<Err.GradtraceError, ReadonlyArray<GlorotRow>>> => {
  const d = digitsData(o.validation)
  const parts: Parts = { fit: d.fit!, val: d.val!, test: d.test, probe: headBatch(d.fit!, o.probe) }
  const rows: GlorotRow[] = []
  const total = o.conditions.length * o.lrs.length
  let done = 0
  for (const [ci, c] of o.conditions.entries()) {
    const m = Model.compile(glorotNet(c, o.depth, o.width), { input: [64], loss: 'softmaxCrossEntropy' })
    if (E.isLeft(m)) return m
    let best: GlorotRow | undefined
    for (const lr of o.lrs) {
      const row = await glorotRow(c, ci, m.right, lr, o, parts)
      if (E.isLeft(row)) return row
      if (better(row.right, best)) best = row.right
      o.onProgress?.(++done / total, `${row.right.label}, lr ${lr}`)
      await tick()
    }
    rows.push(best!)
  }
  return E.right(rows)
}
