/**
 * The demo's first section: the depth sweep at initialisation (E1), drawn as
 * the per-layer profile of dL/dz at depth 20 and the first-to-last ratio as a
 * function of depth, and the calibration (docs/experiments.md) measured in its
 * own setting.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { depthExperiment } from './depth'
 * const r = await depthExperiment.run({ quick: true }) // depths 2, 6, 10; 2 seeds; and the calibration (about 1 s)
 * assert.deepStrictEqual(r.table.head, ['activation + init', 'L=2', 'L=6', 'L=10'])
 * assert.ok(r.figures['sigmoid_classic_L10_ratio']! < r.figures['sigmoid_classic_L2_ratio']!) // the deeper, the less reaches layer 1
 * assert.ok(r.findings.some((f) => f.kind === 'vanishing'))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Report from '../report/index'
import * as Trace from '../trace/index'
import { experiment, figureKey } from './common'
import { calibration, depthSweep, label, type SweepConfig, type SweepPoint } from './depthSweep'
import type { Experiment, RunOptions } from './Experiment'

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

/** The depths, seeds and batch of the sweep. */
interface Options {
  readonly depths: ReadonlyArray<number>
  readonly seeds: number
  readonly batch: number
  readonly onProgress?: RunOptions['onProgress']
}

/** The sweep, and the calibration points (10 hidden layers, batch 512, 10 seeds), in the order of `calibration`. */
interface Measured {
  readonly sweep: ReadonlyArray<SweepPoint>
  readonly cal: ReadonlyArray<SweepPoint>
}

const measure = async (o: Options): Promise<E.Either<Err.GradtraceError, Measured>> => {
  const sweep = depthSweep({ depths: o.depths, configs, seeds: o.seeds, batch: o.batch, onProgress: (d, t) => o.onProgress?.(d / t, 'depth sweep') })
  if (E.isLeft(sweep)) return sweep
  // the calibration (docs/experiments.md) in its own setting: 10 hidden layers, batch 512, 10 seeds
  const cal = depthSweep({ depths: [10], configs: calibration, seeds: 10, batch: 512 })
  return E.map((c: ReadonlyArray<SweepPoint>) => ({ sweep: sweep.right, cal: c }))(cal)
}

const pointOf = (m: Measured) => (c: SweepConfig, d: number): SweepPoint => m.sweep.find((p) => p.config === c && p.depth === d)!

const charts = (m: Measured, o: Options): ReadonlyArray<string> => {
  const at = pointOf(m)
  const deepest = o.depths[o.depths.length - 1]!
  const flow = Report.gradientFlowChart(
    configs.map((c) => Report.flowSeries(at(c, deepest).trace, label(c), 'gradPre')),
    {
      title: `Error signal ||dL/dz|| per layer at initialisation, ${deepest} hidden layers of 64`,
      yLabel: '||dL/dz||',
      compare: {
        title: 'Weight gradient ||dL/dW|| per layer (it can look flat while dL/dz vanishes)',
        yLabel: '||dL/dW||',
        series: configs.map((c) => Report.flowSeries(at(c, deepest).trace, label(c), 'weight')),
      },
    },
  )
  const ratios = Report.lineChart(
    configs.map((c) => ({ label: label(c), points: o.depths.map((d) => ({ x: d, y: at(c, d).ratio })) })),
    {
      title: 'First-to-last ratio ||dL/dz_1|| / ||dL/dz_L|| against depth',
      xLabel: 'hidden layers L',
      yLabel: 'ratio',
      yScale: 'log',
      refs: [{ y: 1, label: 'no loss' }],
    },
  )
  return [flow, ratios]
}

const near1 = (x: number): boolean => x > 0.1 && x < 10 // within a decade of no change

/** The sentences on sigmoid and tanh with the classic initialisation. */
const classicSentences = (m: Measured, o: Options): string => {
  const at = pointOf(m)
  const mid = Math.min(10, o.depths[o.depths.length - 1]!)
  const sig = at(configs[0]!, mid), tanhC = at(configs[2]!, mid)
  const sigRatios = o.depths.map((d) => at(configs[0]!, d).ratio)
  const list = o.depths.map((d, i) => `${e(sigRatios[i]!)} at ${d}`).join(', ')
  const shrinking = sigRatios.every((r, i) => i === 0 || r < sigRatios[i - 1]!)
  const whyShrinking = "every layer multiplies the signal by σ' ≤ 1/4 times weights of variance 1/(3n)"
  return (
    `One forward and backward pass at initialisation, no training. With sigmoid and the classic U[±1/√n] initialisation ` +
    `the first of ${sig.depth} hidden layers receives ${e(sig.ratio)} of the error signal of the last` +
    (shrinking ? `, and the ratio falls at every depth (${list}): ${whyShrinking}. ` : ` (${list}). `) +
    `tanh with the same initialisation loses less (${e(tanhC.ratio)} at depth ${tanhC.depth})` +
    (near1(tanhC.weightRatio) && !near1(tanhC.ratio)
      ? `, and its weight gradients look flat (first to last ${e(tanhC.weightRatio)}): only dL/dz shows the decay. `
      : `; its weight gradients go from first to last by ${e(tanhC.weightRatio)}. `)
  )
}

/** The sentences on ReLU with He, tanh with N(0, 1), and the calibration. */
const otherSentences = (m: Measured, o: Options): string => {
  const at = pointOf(m)
  const deepest = o.depths[o.depths.length - 1]!
  const he = at(configs[6]!, deepest), tanhN = at(configs[4]!, deepest)
  const factors = m.cal.map((p, i) => p.ratio / calibration[i]!.ratio)
  return (
    `ReLU with He initialisation ${near1(he.ratio) ? 'keeps' : 'does not keep'} the signal within a decade (${e(he.ratio)} at depth ${deepest}); ` +
    `tanh with N(0, 1) weights ${tanhN.ratio > 10 ? `explodes instead (${e(tanhN.ratio)})` : `gives ${e(tanhN.ratio)}`}.` +
    ` In the setting of the independent calibration (10 hidden layers, batch 512, medians of 10 seeds) ` +
    `the ${calibration.length} measured ratios are within a factor ${Math.min(...factors).toFixed(2)}–${Math.max(...factors).toFixed(2)} of it.`
  )
}

const figures = (m: Measured, o: Options): Readonly<Record<string, number>> => {
  const at = pointOf(m)
  return Object.fromEntries([
    ...configs.flatMap((c) =>
      o.depths.flatMap((d) => [
        [figureKey(c.act, c.init, `L${d}`, 'ratio'), at(c, d).ratio],
        [figureKey(c.act, c.init, `L${d}`, 'weightRatio'), at(c, d).weightRatio],
      ]),
    ),
    ...m.cal.flatMap((p, i) => [
      [figureKey('calibration', p.config.act, p.config.init, 'measured'), p.ratio],
      [figureKey('calibration', p.config.act, p.config.init, 'published'), calibration[i]!.ratio],
    ]),
  ])
}

const section = (m: Measured, o: Options) => {
  const at = pointOf(m)
  const deepest = o.depths[o.depths.length - 1]!
  return {
    paragraph: classicSentences(m, o) + otherSentences(m, o),
    svgs: charts(m, o),
    table: { head: ['activation + init', ...o.depths.map((d) => `L=${d}`)], rows: configs.map((c) => [label(c), ...o.depths.map((d) => e(at(c, d).ratio))]) },
    // over every seed, so the finding's ratio is the table's median
    findings: Trace.diagnose(at(configs[0]!, Math.min(10, deepest)).traces).filter((f) => f.kind !== 'healthy'),
    runs: configs.map((c) => ({ label: `${label(c)}, L=${deepest}, at init`, traces: [at(c, deepest).trace] })),
    figures: figures(m, o),
  }
}

/** @category experiments */
export const depthExperiment: Experiment = experiment(
  { id: 'depth', title: 'Depth and activation at initialisation', weight: 5 }, // weight: seconds in full mode on one core
  { quick: { depths: [2, 6, 10], seeds: 2, batch: 64 }, full: { depths: [2, 4, 6, 8, 10, 15, 20], seeds: 5, batch: 256 } },
  measure,
  section,
)
