/**
 * The demo's recurrent section (E7, E11): the adding problem (Le et al. 2015
 * form) for a tanh RNN, an LSTM and a GRU at a long lag, and the tanh RNN at
 * a short lag as the control — so the failure is the lag, not the task. The
 * per-time-step error signal ||dL/dh_t|| at initialisation and after
 * training shows why.
 *
 * @example
 * import { recurrentExperiment } from './recurrent'
 * // const r = await recurrentExperiment.run({ quick: true })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { show } from '../core/Error'
import { decayChart, lineChart } from '../report/charts'
import { sameColour } from '../report/palette'
import { diagnose } from '../trace/analysis'
import { addingBaselines, addingRun, type AddingRun, type CellName } from './adding'
import type { Experiment } from './Experiment'
import { cellNames, cellStyle, recurrentSummary } from './recurrentText'

const label = (r: Pick<AddingRun, 'cell' | 'T'>): string => `${cellNames[r.cell]}, T = ${r.T}`
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** @category experiments */
export const recurrentExperiment: Experiment = {
  id: 'recurrent',
  title: 'Recurrent nets through time: RNN, LSTM and GRU on the adding problem',
  weight: 30, // seconds in full mode on one core
  run: async (o) => {
    const long = o.quick ? 30 : 100
    const short = 10
    const steps = o.quick ? 150 : 1500
    const plan: ReadonlyArray<readonly [CellName, number]> = [['rnn', short], ['rnn', long], ['lstm', long], ['gru', long]]
    const runs: AddingRun[] = []
    for (const [k, [cell, T]] of plan.entries()) {
      const r = addingRun(cell, T, { steps, onStep: (d, n) => (d % 50 === 0 ? o.onProgress?.((k + d / n) / plan.length, `${cellNames[cell]}, T = ${T}`) : undefined) })
      if (E.isLeft(r)) throw new Error(show(r.left))
      runs.push(r.right)
      await tick()
    }
    const longRuns = runs.filter((r) => r.T === long)
    // one colour per cell kind in every chart; the short-lag control keeps its cell's colour with another dash
    const style = (r: AddingRun): number => (r.T === long ? cellStyle[r.cell] : sameColour(cellStyle[r.cell]))
    const series = (which: 'initTrace' | 'trainedTrace') =>
      longRuns.flatMap((r) => {
        const l = r[which].layers.find((x) => x.time)
        return l ? [{ label: cellNames[r.cell], style: style(r), values: l.time!.gradH }] : []
      })
    const summary = recurrentSummary(runs, { long, short, steps })
    const rnnLong = runs.find((r) => r.cell === 'rnn' && r.T === long)!
    return {
      id: 'recurrent',
      title: 'Recurrent nets through time: RNN, LSTM and GRU on the adding problem',
      paragraph: summary.paragraph,
      svgs: [
        decayChart(series('initTrace'), { title: `||dL/dh_t|| relative to the last step, at initialisation (T = ${long})` }),
        decayChart(series('trainedTrace'), { title: `||dL/dh_t|| relative to the last step, after ${steps} steps (T = ${long})` }),
        lineChart(
          runs.map((r) => ({ label: label(r), style: style(r), points: r.losses.map((p) => ({ x: p.step, y: p.loss })) })),
          { title: 'Training loss (MSE) on the adding problem', xLabel: 'training step', yLabel: 'MSE', yScale: 'log', refs: [{ y: addingBaselines.constantMse, label: 'predict-1 baseline 1/6' }, { y: addingBaselines.recencyMse, label: 'remember-one plateau 1/12' }] },
        ),
      ],
      table: summary.table,
      findings: diagnose([rnnLong.trainedTrace]),
      runs: runs.map((r) => ({ label: label(r), traces: [r.initTrace, r.trainedTrace] })),
      figures: summary.figures,
    }
  },
}
