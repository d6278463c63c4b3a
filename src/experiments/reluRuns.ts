/**
 * The runs of experiment E3 (the ReLU section of the demo): the
 * configurations (an initialiser at a depth), the ReLU MLPs, and training
 * each by `Train.fit` with traces of a fixed probe batch, measured into rows.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { initLabel, reluNet, reluQuick } from './reluRuns'
 * const net = reluNet({ depth: 30, init: 'he' })
 * assert.strictEqual(net.layers.length, 31) // 30 ReLU layers, then the read-out
 * assert.strictEqual(JSON.stringify(net).match(/"activation":"relu"/g)!.length, 30)
 * assert.deepStrictEqual(reluQuick.configs.map((c) => initLabel(c.init)), ['He', 'Glorot', 'He × 2'])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Layer from '../model/layers'
import type * as Trace from '../trace/index'
import { digitsData, tick } from './common'
import { trainDigitsNet } from './digitsRun'
import type { RunOptions } from './Experiment'

/** The initialisers compared. @category model */
export type ReluInit = 'he' | 'glorot' | 'he2'

/** One configuration: an initialiser at a depth. @category model */
export interface ReluConfig {
  readonly depth: number
  readonly init: ReluInit
}

/** @category model */
export interface ReluOptions {
  readonly configs: ReadonlyArray<ReluConfig>
  readonly width: number
  readonly lr: number
  readonly steps: number
  readonly batchSize: number
  /** probe batch of the traces (the first training examples) */
  readonly probe: number
  readonly records: number
  /** traces per run kept in the result (evenly thinned, first and last kept) */
  readonly keep: number
  readonly onProgress?: RunOptions['onProgress']
}

/** Full mode: depth 10 and 30, lr 0.005, 500 steps of batch 64. @category utils */
export const reluFull: ReluOptions = {
  configs: [{ depth: 10, init: 'he' }, { depth: 10, init: 'glorot' }, { depth: 30, init: 'he' }, { depth: 30, init: 'glorot' }, { depth: 30, init: 'he2' }],
  width: 64,
  lr: 0.005,
  steps: 500,
  batchSize: 64,
  probe: 256,
  records: 50,
  keep: 10,
}

/** Quick mode: depth 30 only, 60 steps. @category utils */
export const reluQuick: ReluOptions = { ...reluFull, configs: reluFull.configs.filter((c) => c.depth === 30), steps: 60, probe: 128, records: 12 }

/** 'He N(0, 2/n)' etc. @category utils */
export const initLabel = (i: ReluInit): string => (i === 'he' ? 'He' : i === 'glorot' ? 'Glorot' : 'He × 2')

/** The initialiser of a layer with `fanIn` inputs. He × 2 is twice He's variance, N(0, 4/fan_in). */
const initOf = (i: ReluInit, fanIn: number): Layer.init.InitSpec =>
  i === 'he' ? Layer.init.heNormal : i === 'glorot' ? Layer.init.glorotUniform : Layer.init.normal(2 / Math.sqrt(fanIn))

/** The ReLU MLP of a configuration; every layer (the output too) uses the initialiser under test. @category utils */
export const reluNet = (c: ReluConfig, width = 64): Layer.SerialSpec => {
  // every layer here has fan-in `width` except the first (64 inputs)
  const hidden = Array.from({ length: c.depth }, (_, i) => Layer.dense(width, { activation: 'relu', init: initOf(c.init, i === 0 ? 64 : width) }))
  return Layer.serial(...hidden, Layer.dense(10, { init: initOf(c.init, width) }))
}

/** Measurements of one configuration. @category model */
export interface ReluRow {
  readonly config: ReluConfig
  readonly label: string
  /** ||dL/dz|| of each hidden layer at init */
  readonly initProfile: ReadonlyArray<number>
  /** hidden layer 1 / last hidden layer, at init */
  readonly firstToLast: number
  /** dead fraction (outputs exactly 0 on the probe batch) of each hidden layer, at init and at the end */
  readonly deadInit: ReadonlyArray<number>
  readonly deadEnd: ReadonlyArray<number>
  /** first recorded step with probe loss below 2 (ln 10 = 2.30 is chance), or null */
  readonly leftChance: number | null
  /** mean cross-entropy on the whole training part after the budget */
  readonly trainLoss: number
  readonly testAccuracy: number
  readonly nonFiniteSteps: number
  /** the first step whose loss or gradients were not finite, or null */
  readonly diverged: number | null
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly seconds: number
}

const hidden = (t: Trace.StepTrace, depth: number) => t.layers.filter((l) => l.params.length > 0).slice(0, depth)

/** One configuration trained and measured. */
const reluRow = async (c: ReluConfig, o: ReluOptions, d: ReturnType<typeof digitsData>): Promise<E.Either<Err.GradtraceError, ReluRow>> => {
  const t0 = Date.now()
  const r = await trainDigitsNet(reluNet(c, o.width), Key.foldIn(Key.key(2015), c.depth), o, d)
  if (E.isLeft(r)) return r
  const { outcome, train: tr, test: te } = r.right
  const ts = outcome.traces
  const prof = hidden(ts[0]!, c.depth).map((l) => l.gradPre.l2)
  const dead = (t: Trace.StepTrace) => hidden(t, c.depth).map((l) => l.act?.dead ?? NaN)
  return E.right({
    config: c,
    label: `depth ${c.depth}, ${initLabel(c.init)}`,
    initProfile: prof,
    firstToLast: prof[0]! / prof[prof.length - 1]!,
    deadInit: dead(ts[0]!),
    deadEnd: dead(ts[ts.length - 1]!),
    leftChance: ts.find((t) => t.loss < 2)?.step ?? null,
    trainLoss: tr.loss,
    testAccuracy: te.accuracy,
    nonFiniteSteps: outcome.nonFiniteSteps,
    diverged: outcome.firstNonFinite,
    traces: ts,
    seconds: (Date.now() - t0) / 1000,
  })
}

/** Trains every configuration. @category utils */
export const runRelu = async (o: ReluOptions): Promise<E.Either<Err.GradtraceError, ReadonlyArray<ReluRow>>> => {
  const d = digitsData()
  const rows: ReluRow[] = []
  for (const [i, c] of o.configs.entries()) {
    const r = await reluRow(c, o, d)
    if (E.isLeft(r)) return r
    rows.push(r.right)
    o.onProgress?.((i + 1) / o.configs.length, r.right.label)
    await tick()
  }
  return E.right(rows)
}

