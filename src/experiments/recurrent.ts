/**
 * The demo's recurrent section (E7, E11): the adding problem (Le et al. 2015
 * form) for a tanh RNN, an LSTM and a GRU at a long lag, and the tanh RNN at
 * a short lag as the control — so the failure is the lag, not the task. The
 * per-time-step error signal ||dL/dh_t|| at initialisation and after
 * training shows why.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { recurrentExperiment } from './recurrent'
 * const r = await recurrentExperiment.run({ quick: true }) // T = 30 and the control T = 10, 150 steps each (about 2 s)
 * assert.deepStrictEqual(r.table.rows.map((row) => `${row[0]} ${row[1]}`), ['tanh RNN (32) 10', 'tanh RNN (32) 30', 'LSTM (16) 30', 'GRU (16) 30'])
 * assert.ok(r.figures['rnn_T30_decayAtInit']! < 0) // at initialisation the RNN's dL/dh_t vanishes going back in time
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Report from '../report/index'
import * as Trace from '../trace/index'
import { addingBaselines, addingRun, type AddingRun, type CellName } from './adding'
import { experiment, tick } from './common'
import type { Experiment, RunOptions } from './Experiment'
import { cellNames, cellStyle, recurrentSummary } from './recurrentText'

const title = 'Recurrent nets through time: RNN, LSTM and GRU on the adding problem'

/** The long lag, the short lag of the control, and the training steps of each run. */
interface Options {
  readonly long: number
  readonly short: number
  readonly steps: number
  readonly onProgress?: RunOptions['onProgress']
}

const label = (r: Pick<AddingRun, 'cell' | 'T'>): string => `${cellNames[r.cell]}, T = ${r.T}`

/** The tanh RNN at the short and the long lag, then the LSTM and the GRU at the long lag. */
const runAll = async (o: Options): Promise<E.Either<Err.GradtraceError, ReadonlyArray<AddingRun>>> => {
  const plan: ReadonlyArray<readonly [CellName, number]> = [['rnn', o.short], ['rnn', o.long], ['lstm', o.long], ['gru', o.long]]
  const runs: AddingRun[] = []
  for (const [k, [cell, T]] of plan.entries()) {
    const r = await addingRun(cell, T, { steps: o.steps, onStep: (d, n) => o.onProgress?.((k + d / n) / plan.length, `${cellNames[cell]}, T = ${T}`) })
    if (E.isLeft(r)) return r
    runs.push(r.right)
    await tick()
  }
  return E.right(runs)
}

/** The pictures: ||dL/dh_t|| at the long lag at initialisation and after training, and every run's training loss. */
const charts = (runs: ReadonlyArray<AddingRun>, o: Options): ReadonlyArray<string> => {
  // one colour per cell kind in every chart; the short-lag control keeps its cell's colour with another dash
  const style = (r: AddingRun): number => (r.T === o.long ? cellStyle[r.cell] : Report.sameColour(cellStyle[r.cell]))
  const series = (which: 'initTrace' | 'trainedTrace') =>
    runs
      .filter((r) => r.T === o.long)
      .flatMap((r) => {
        const l = r[which].layers.find((x) => x.time)
        return l ? [{ label: cellNames[r.cell], style: style(r), values: l.time!.gradH }] : []
      })
  const refs = [
    { y: addingBaselines.constantMse, label: 'predict-1 baseline 1/6' },
    { y: addingBaselines.recencyMse, label: 'remember-one plateau 1/12' },
  ]
  const losses = runs.map((r) => ({ label: label(r), style: style(r), points: r.losses.map((p) => ({ x: p.step, y: p.loss })) }))
  return [
    Report.decayChart(series('initTrace'), { title: `||dL/dh_t|| relative to the last step, at initialisation (T = ${o.long})` }),
    Report.decayChart(series('trainedTrace'), { title: `||dL/dh_t|| relative to the last step, after ${o.steps} steps (T = ${o.long})` }),
    Report.lineChart(losses, { title: 'Training loss (MSE) on the adding problem', xLabel: 'training step', yLabel: 'MSE', yScale: 'log', refs }),
  ]
}

const section = (runs: ReadonlyArray<AddingRun>, o: Options) => {
  const summary = recurrentSummary(runs, o)
  const rnnLong = runs.find((r) => r.cell === 'rnn' && r.T === o.long)!
  return {
    paragraph: summary.paragraph,
    svgs: charts(runs, o),
    table: summary.table,
    findings: Trace.diagnose([rnnLong.trainedTrace]),
    runs: runs.map((r) => ({ label: label(r), traces: [r.initTrace, r.trainedTrace] })),
    figures: summary.figures,
  }
}

/** @category experiments */
export const recurrentExperiment: Experiment = experiment(
  { id: 'recurrent', title, weight: 30 }, // weight: seconds in full mode on one core
  { quick: { long: 30, short: 10, steps: 150 }, full: { long: 100, short: 10, steps: 1500 } },
  runAll,
  section,
)
