/**
 * The demo's first section: the depth sweep at initialisation (E1), drawn as
 * the per-layer profile of dL/dz at depth 20 and the first-to-last ratio as a
 * function of depth.
 *
 * @example
 * import { depthExperiment } from './depth'
 * // const r = await depthExperiment.run({ quick: true })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { show } from '../core/Error'
import { gradientFlowChart, lineChart } from '../report/charts'
import { flowSeries } from '../report/traceViews'
import { diagnose } from '../trace/analysis'
import { calibration, depthSweep, label, type SweepConfig } from './depthSweep'
import { figureKey } from './common'
import type { Experiment } from './Experiment'

const configs: ReadonlyArray<SweepConfig> = [
  { act: 'sigmoid', init: 'classic' },
  { act: 'sigmoid', init: 'glorot' },
  { act: 'tanh', init: 'classic' },
  { act: 'tanh', init: 'glorot' },
  { act: 'tanh', init: 'normal1' },
  { act: 'relu', init: 'glorot' },
  { act: 'relu', init: 'he' },
]

const e = (x: number): string => x.toExponential(1)

/** @category experiments */
export const depthExperiment: Experiment = {
  id: 'depth',
  title: 'Depth and activation at initialisation',
  weight: 5, // seconds in full mode on one core
  run: async (o) => {
    const depths = o.quick ? [2, 6, 10] : [2, 4, 6, 8, 10, 15, 20]
    const deepest = depths[depths.length - 1]!
    const r = depthSweep({ depths, configs, seeds: o.quick ? 2 : 5, batch: o.quick ? 64 : 256, onProgress: (d, t) => o.onProgress?.(d / t, 'depth sweep') })
    if (E.isLeft(r)) throw new Error(show(r.left))
    // the calibration of LITERATURE.md §0.2 in its own setting: 10 hidden layers, batch 512, 10 seeds
    const cal = depthSweep({ depths: [10], configs: calibration, seeds: 10, batch: 512 })
    if (E.isLeft(cal)) throw new Error(show(cal.left))
    const factors = cal.right.map((p, i) => p.ratio / calibration[i]!.ratio)
    const at = (c: SweepConfig, d: number) => r.right.find((p) => p.config === c && p.depth === d)!
    const flow = gradientFlowChart(
      configs.map((c) => flowSeries(at(c, deepest).trace, label(c), 'gradPre')),
      {
        title: `Error signal ||dL/dz|| per layer at initialisation, ${deepest} hidden layers of 64`,
        yLabel: '||dL/dz||',
        compare: { title: 'Weight gradient ||dL/dW|| per layer (it can look flat while dL/dz vanishes)', yLabel: '||dL/dW||', series: configs.map((c) => flowSeries(at(c, deepest).trace, label(c), 'weight')) },
      },
    )
    const ratios = lineChart(
      configs.map((c) => ({ label: label(c), points: depths.map((d) => ({ x: d, y: at(c, d).ratio })) })),
      { title: 'First-to-last ratio ||dL/dz_1|| / ||dL/dz_L|| against depth', xLabel: 'hidden layers L', yLabel: 'ratio', yScale: 'log', refs: [{ y: 1, label: 'no loss' }] },
    )
    const mid = 10 <= deepest ? 10 : deepest
    const sig = at(configs[0]!, mid)
    const he = at(configs[6]!, deepest)
    const tanhC = at(configs[2]!, mid)
    const tanhN = at(configs[4]!, deepest)
    const sigRatios = depths.map((d) => at(configs[0]!, d).ratio)
    const shrinking = sigRatios.every((r, i) => i === 0 || r < sigRatios[i - 1]!)
    const near1 = (x: number): boolean => x > 0.1 && x < 10 // within a decade of no change
    const paragraph =
      `One forward and backward pass at initialisation, no training. With sigmoid and the classic U[±1/√n] initialisation the first of ${sig.depth} hidden layers receives ${e(sig.ratio)} of the error signal of the last` +
      (shrinking ? `, and the ratio falls at every depth (${depths.map((d, i) => `${e(sigRatios[i]!)} at ${d}`).join(', ')}): every layer multiplies the signal by σ' ≤ 1/4 times weights of variance 1/(3n). ` : ` (${depths.map((d, i) => `${e(sigRatios[i]!)} at ${d}`).join(', ')}). `) +
      `tanh with the same initialisation loses less (${e(tanhC.ratio)} at depth ${tanhC.depth})` +
      (near1(tanhC.weightRatio) && !near1(tanhC.ratio) ? `, and its weight gradients look flat (first to last ${e(tanhC.weightRatio)}): only dL/dz shows the decay. ` : `; its weight gradients go from first to last by ${e(tanhC.weightRatio)}. `) +
      `ReLU with He initialisation ${near1(he.ratio) ? 'keeps' : 'does not keep'} the signal within a decade (${e(he.ratio)} at depth ${deepest}); tanh with N(0, 1) weights ${tanhN.ratio > 10 ? `explodes instead (${e(tanhN.ratio)})` : `gives ${e(tanhN.ratio)}`}.` +
      ` In the setting of the calibration table of LITERATURE.md §0.2 (10 hidden layers, batch 512, medians of 10 seeds) the ${calibration.length} measured ratios are within a factor ${Math.min(...factors).toFixed(2)}–${Math.max(...factors).toFixed(2)} of it.`
    return {
      id: 'depth',
      title: 'Depth and activation at initialisation',
      paragraph,
      svgs: [flow, ratios],
      table: { head: ['activation + init', ...depths.map((d) => `L=${d}`)], rows: configs.map((c) => [label(c), ...depths.map((d) => e(at(c, d).ratio))]) },
      // over every seed, so the finding's ratio is the table's median
      findings: diagnose(sig.traces).filter((f) => f.kind !== 'healthy'),
      runs: configs.map((c) => ({ label: `${label(c)}, L=${deepest}, at init`, traces: [at(c, deepest).trace] })),
      figures: Object.fromEntries([
        ...configs.flatMap((c) => depths.flatMap((d) => [
          [figureKey(c.act, c.init, `L${d}`, 'ratio'), at(c, d).ratio],
          [figureKey(c.act, c.init, `L${d}`, 'weightRatio'), at(c, d).weightRatio],
        ])),
        ...cal.right.flatMap((p, i) => [
          [figureKey('calibration', p.config.act, p.config.init, 'measured'), p.ratio],
          [figureKey('calibration', p.config.act, p.config.init, 'published'), calibration[i]!.ratio],
        ]),
      ]),
    }
  },
}
