/**
 * Experiment E15 (docs/experiments.md, with the per-block view of E16): plain
 * against residual MLPs of width 64 on the 8x8 digits, with 10, 30 and 50
 * dense layers in their body, trained with the same SGD + momentum, learning
 * rate, batch and number of steps.
 *
 * Architecture: a stem dense(64, relu), then depth/2 blocks, then dense(10).
 * A block is dense(64, relu) followed by dense(64) (no activation). Residual
 * nets wrap each block in `residual` (identity shortcut: y = x + F(x)); plain
 * nets are the same layers without the shortcuts. Initialisation: He
 * N(0, 2/n) for the ReLU layers; for the block's last (linear) layer,
 * N(0, 1/n) in the plain net (variance-preserving for a linear layer, so the
 * plain net starts healthy) and N(0, 1/(n·blocks)) in the residual net, so
 * that each block adds 1/blocks to the signal's variance and the sum over
 * blocks stays bounded (about e; the "Fixup"-like scaling; without it the
 * residual signal doubles its variance at every block).
 *
 * What it shows: training loss after the fixed budget against depth, and
 * ‖dL/dx‖ at each block's input at initialisation and at the end. The runs
 * are in ./residualRuns.ts; this module makes the section from them.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { residualExperiment } from './residual'
 * const r = await residualExperiment.run({ quick: true }) // 10 and 50 layers, 80 steps (about 2 s)
 * assert.deepStrictEqual(r.table.rows.map((row) => `${row[1]} ${row[0]}`), ['plain 10', 'residual 10', 'plain 50', 'residual 50'])
 * assert.ok(r.figures['residual_d50_trainLoss']! < r.figures['plain_d50_trainLoss']!) // at 50 layers the shortcuts train further
 *
 * @since 0.1.0
 */
import * as Report from '../report/index'
import { chanceRef, experiment, figureKey, fmtNum, initAndEndFindings, lossChart, pct, thin } from './common'
import type { Experiment, Run } from './Experiment'
import { type Arch, type ResidualOptions, residualFull, residualQuick, type ResidualRow, runResidual, spread } from './residualRuns'

/** The pictures: loss after the budget against depth, the block profiles at init and at the end, the loss during the runs. */
const residualCharts = (rows: ReadonlyArray<ResidualRow>, o: ResidualOptions): ReadonlyArray<string> => {
  const finalLoss = (arch: Arch) => rows.filter((r) => r.arch === arch && Number.isFinite(r.trainLoss)).map((r) => ({ x: r.depth, y: r.trainLoss }))
  const lossVsDepth = Report.lineChart(
    (['plain', 'residual'] as const).map((arch) => ({ label: arch, points: finalLoss(arch) })),
    {
      title: `Training loss after ${o.steps} steps against depth`,
      xLabel: 'dense layers in the body',
      yLabel: 'cross-entropy on the training set',
      yScale: 'log',
      refs: [chanceRef],
    },
  )
  const flow = (r: ResidualRow, which: 'profileInit' | 'profileEnd'): Report.FlowSeries =>
    ({ label: r.label, layers: r[which].map((_, i) => `block ${i + 1}`), values: r[which] })
  const yLabel = '‖dL/dx‖ at block input'
  const profiles = Report.gradientFlowChart(rows.map((r) => flow(r, 'profileInit')), {
    title: 'Error signal at the input of each block',
    panelTitle: 'at initialisation',
    yLabel,
    compare: { title: `after ${o.steps} steps`, yLabel, series: rows.filter((r) => r.diverged === null).map((r) => flow(r, 'profileEnd')) },
  })
  const curves = lossChart(rows, `Training loss during the run (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize})`, o.probe)
  return [lossVsDepth, profiles, curves]
}

const lossText = (r: ResidualRow) => (r.diverged === null ? fmtNum(r.trainLoss) : `diverged at step ${r.diverged}`)

/** The training loss of one kind of net at each depth, and how it changes from the shallowest to the deepest. */
const trend = (rs: ReadonlyArray<ResidualRow>): string => {
  const first = rs[0]!.trainLoss, last = rs[rs.length - 1]!.trainLoss
  const change = last > first ? `${fmtNum(last / first)}× higher` : `${fmtNum(first / last)}× lower`
  const across = Number.isFinite(first) && Number.isFinite(last) ? ` (${change} at ${rs[rs.length - 1]!.depth} than at ${rs[0]!.depth} layers)` : ''
  return rs.map((r) => `${lossText(r)} at ${r.depth}`).join(', ') + across
}

/** The paragraph: loss against depth, the block profiles at init and in training, and the deepest pair. */
const residualWords = (rows: ReadonlyArray<ResidualRow>, o: ResidualOptions): string => {
  const of = (arch: Arch) => rows.filter((r) => r.arch === arch)
  const maxOf = (arch: Arch, f: (r: ResidualRow) => number) => fmtNum(Math.max(...of(arch).map(f).filter(Number.isFinite)))
  const predicted = (r: ResidualRow) => (1 + 1 / r.profileInit.length) ** ((r.profileInit.length - 1) / 2)
  const parts = [
    `With the same optimizer and budget (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize}, ${o.steps} steps), ` +
      `the training loss of the plain nets is ${trend(of('plain'))}, and of the residual nets ${trend(of('residual'))}.`,
    'At initialisation the error signal ‖dL/dx‖ at the block inputs varies over the blocks ' +
      `by at most ${maxOf('plain', (r) => spread(r.profileInit))}× (max/min) in the plain nets, whose initialisation preserves the signal's variance, ` +
      `and by ${maxOf('residual', (r) => spread(r.profileInit))}× in the residual nets, ` +
      'whose profile rises toward the input by the factor √(1 + 1/blocks) per block that the scaled branches predict ' +
      `(predicted: ${fmtNum(Math.max(...of('residual').map(predicted)))}× over all the blocks).`,
    `During training the plain profiles become uneven, up to ${maxOf('plain', (r) => r.spreadMax)}× between blocks at a recorded step, ` +
      `the residual ones up to ${maxOf('residual', (r) => r.spreadMax)}×.`,
  ]
  const deepest = Math.max(...o.depths)
  const pd = rows.find((r) => r.arch === 'plain' && r.depth === deepest), rd = rows.find((r) => r.arch === 'residual' && r.depth === deepest)
  const firstToLast = (p: ReadonlyArray<number>) => fmtNum(p[0]! / p[p.length - 1]!)
  if (pd && rd && pd.profileInit.length > 0 && rd.profileInit.length > 0)
    parts.push(
      `At ${deepest} layers, block 1 receives ${firstToLast(pd.profileInit)} of the last block's ‖dL/dx‖ in the plain net ` +
        `and ${firstToLast(rd.profileInit)} in the residual one at initialisation; ` +
        `test accuracy ${pct(pd.testAccuracy)} (plain) against ${pct(rd.testAccuracy)} (residual).`,
    )
  return parts.join(' ')
}

const residualTable = (rows: ReadonlyArray<ResidualRow>) => ({
  head: ['depth', 'net', 'train loss after budget', 'train accuracy', 'test accuracy']
    .concat(['block ‖dL/dx‖ max/min at init', 'at end', 'largest during run', 'time (s)']),
  rows: rows.map((r) => [
    String(r.depth),
    r.arch,
    lossText(r),
    pct(r.trainAccuracy),
    pct(r.testAccuracy),
    fmtNum(spread(r.profileInit)),
    r.profileEnd.length > 0 && r.diverged === null ? fmtNum(spread(r.profileEnd)) : '—',
    fmtNum(r.spreadMax),
    r.seconds.toFixed(1),
  ]),
})

const residualFigures = (rows: ReadonlyArray<ResidualRow>): Readonly<Record<string, number>> =>
  Object.fromEntries(
    rows.flatMap((r) => {
      const k = (name: string) => figureKey(r.arch, `d${r.depth}`, name)
      return [
        ...(r.diverged === null ? [[k('trainLoss'), r.trainLoss]] : []),
        [k('divergedStep'), r.diverged ?? -1],
        [k('trainAccuracy'), r.trainAccuracy],
        [k('testAccuracy'), r.testAccuracy],
        [k('spreadInit'), spread(r.profileInit)],
        [k('spreadMax'), r.spreadMax],
        [k('seconds'), r.seconds],
      ]
    }),
  )

/** The report section. @category utils */
export const residualResult = (rows: ReadonlyArray<ResidualRow>, o: ResidualOptions) => ({
  paragraph: residualWords(rows, o),
  svgs: residualCharts(rows, o),
  table: residualTable(rows),
  findings: initAndEndFindings(rows),
  runs: rows.map((r): Run => ({ label: r.label, traces: thin(r.traces, o.keep) })),
  figures: residualFigures(rows),
})

const residualTitle = 'Plain against residual MLPs (He et al. 2016)'

/**
 * The experiment: full mode 10, 30 and 50 layers (about 11 s on one core);
 * quick mode 10 and 30 layers, 60 steps.
 *
 * @category experiments
 */
export const residualExperiment: Experiment = experiment(
  { id: 'residual', title: residualTitle, weight: 11 }, // weight: seconds in full mode on one core
  { quick: residualQuick, full: residualFull },
  runResidual,
  residualResult,
)
