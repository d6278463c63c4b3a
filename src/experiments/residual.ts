/**
 * Experiment E15 (LITERATURE.md §E15, with the per-block view of §E16): plain
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
 * ‖dL/dx‖ at each block's input at initialisation and at the end.
 *
 * @example
 * import { residualExperiment } from './residual'
 * // const r = await residualExperiment.run({ quick: true }); console.log(r.paragraph)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn, key } from '../core/Key'
import { residual } from '../combinator/residual'
import { serial } from '../combinator/serial'
import { dense } from '../layer/dense'
import * as Init from '../layer/init'
import type { LayerSpec } from '../layer/Layer'
import { momentum } from '../optim/Transform'
import { compile } from '../plan/compile'
import { type FlowSeries, gradientFlowChart, lineChart } from '../report/charts'
import type { StepTrace } from '../trace/Trace'
import type { Experiment, ExperimentResult, Run, RunOptions } from './Experiment'
import { digitsData, evaluate, experiment, figureKey, fmtNum, headBatch, initAndEndFindings, pct, thin, tick, trainAndTrace } from './common'

/** @category model */
export type Arch = 'plain' | 'residual'

/** @category model */
export interface ResidualOptions {
  /** dense layers in the body (twice the number of blocks) */
  readonly depths: ReadonlyArray<number>
  readonly width: number
  readonly lr: number
  readonly steps: number
  readonly batchSize: number
  readonly probe: number
  readonly records: number
  /** traces per run kept in the result (evenly thinned, first and last kept) */
  readonly keep: number
  readonly onProgress?: RunOptions['onProgress']
}

/**
 * Full mode: 10, 30, 50 layers, lr 0.002, 300 steps of batch 64. The rate is
 * the largest of {0.01, 0.005, 0.002} at which none of the six nets diverged
 * in 400-step calibration runs (at 0.01 plain-30 and residual-50 diverge, at
 * 0.005 plain-50 does, at step 321).
 * @category utils
 */
export const residualFull: ResidualOptions = { depths: [10, 30, 50], width: 64, lr: 0.002, steps: 300, batchSize: 64, probe: 200, records: 30, keep: 5 }
/** Quick mode: 10 and 50 layers, 80 steps. @category utils */
export const residualQuick: ResidualOptions = { ...residualFull, depths: [10, 50], steps: 80, probe: 128, records: 10 }

/** The network: stem, depth/2 blocks (plain or residual), head. @category utils */
export const blockNet = (arch: Arch, depth: number, width = 64): LayerSpec => {
  const blocks = Math.max(1, Math.round(depth / 2))
  const last = arch === 'plain' ? Init.normal(1 / Math.sqrt(width)) : Init.normal(1 / Math.sqrt(width * blocks))
  const block = (): LayerSpec => {
    const f = serial(dense(width, { activation: 'relu', init: Init.heNormal }), dense(width, { init: last }))
    return arch === 'residual' ? residual(f) : f
  }
  return serial(dense(width, { activation: 'relu', init: Init.heNormal }), ...Array.from({ length: blocks }, block), dense(10, { init: Init.glorotUniform }))
}

/**
 * ‖dL/dx‖ at the input of each block, input first: for a residual net the
 * `residual` trace entries' gradIn; for a plain net the gradIn of each block's
 * first dense layer (the dense layers after the stem, taken two by two).
 *
 * @category utils
 */
export const blockProfile = (t: StepTrace, arch: Arch): ReadonlyArray<number> => {
  if (arch === 'residual') return t.layers.filter((l) => l.kind === 'residual').map((l) => l.gradIn?.l2 ?? NaN)
  const ds = t.layers.filter((l) => l.kind === 'dense')
  return ds.slice(1, ds.length - 1).filter((_, i) => i % 2 === 0).map((l) => l.gradIn?.l2 ?? NaN)
}

/** max / min of a profile (1 = flat). @category utils */
export const spread = (xs: ReadonlyArray<number>): number => Math.max(...xs) / Math.min(...xs)

/** Measurements of one network. @category model */
export interface ResidualRow {
  readonly arch: Arch
  readonly depth: number
  readonly label: string
  readonly profileInit: ReadonlyArray<number>
  readonly profileEnd: ReadonlyArray<number>
  /** the largest max/min of the profile over the recorded steps */
  readonly spreadMax: number
  /** loss and accuracy on the whole training part after the budget */
  readonly trainLoss: number
  readonly trainAccuracy: number
  readonly testAccuracy: number
  readonly diverged: number | null
  readonly traces: ReadonlyArray<StepTrace>
  readonly seconds: number
}

/** Trains plain and residual nets at every depth. @category utils */
export const runResidual = async (o: ResidualOptions): Promise<E.Either<GradtraceError, ReadonlyArray<ResidualRow>>> => {
  const d = digitsData()
  const probe = headBatch(d.train, o.probe)
  const rows: ResidualRow[] = []
  const total = 2 * o.depths.length
  for (const depth of o.depths)
    for (const arch of ['plain', 'residual'] as const) {
      const t0 = Date.now()
      const m = compile(blockNet(arch, depth, o.width), { input: [64], loss: 'softmaxCrossEntropy' })
      if (E.isLeft(m)) return m
      const r = trainAndTrace({ model: m.right, optimizer: momentum(o.lr, 0.9), key: foldIn(key(2016), depth), data: d.train, probe, steps: o.steps, batchSize: o.batchSize, records: o.records, stopOnNonFinite: true })
      if (E.isLeft(r)) return r
      const tr = evaluate(m.right, r.right.state.params, d.train)
      const te = evaluate(m.right, r.right.state.params, d.test)
      if (E.isLeft(tr)) return tr
      if (E.isLeft(te)) return te
      const ts = r.right.traces
      const lastFull = [...ts].reverse().find((t) => t.layers.length > 0)!
      rows.push({
        arch,
        depth,
        label: `${arch}, ${depth} layers`,
        profileInit: blockProfile(ts[0]!, arch),
        profileEnd: blockProfile(lastFull, arch),
        spreadMax: Math.max(...ts.filter((t) => t.layers.length > 0 && t.nonFinite === 0).map((t) => spread(blockProfile(t, arch)))),
        trainLoss: r.right.firstNonFinite === null ? tr.right.loss : NaN,
        trainAccuracy: tr.right.accuracy,
        testAccuracy: te.right.accuracy,
        diverged: r.right.firstNonFinite,
        traces: ts,
        seconds: (Date.now() - t0) / 1000,
      })
      o.onProgress?.(rows.length / total, rows[rows.length - 1]!.label)
      await tick()
    }
  return E.right(rows)
}

/** The report section. @category utils */
export const residualResult = (rows: ReadonlyArray<ResidualRow>, o: ResidualOptions): ExperimentResult => {
  const of = (arch: Arch) => rows.filter((r) => r.arch === arch)
  const lossVsDepth = lineChart(
    (['plain', 'residual'] as const).map((arch) => ({ label: arch, points: of(arch).filter((r) => Number.isFinite(r.trainLoss)).map((r) => ({ x: r.depth, y: r.trainLoss })) })),
    { title: `Training loss after ${o.steps} steps against depth`, xLabel: 'dense layers in the body', yLabel: 'cross-entropy on the training set', yScale: 'log', refs: [{ y: Math.LN10, label: 'chance: ln 10 = 2.30' }] },
  )
  const flow = (r: ResidualRow, which: 'profileInit' | 'profileEnd'): FlowSeries => ({ label: r.label, layers: r[which].map((_, i) => `block ${i + 1}`), values: r[which] })
  const profiles = gradientFlowChart(rows.map((r) => flow(r, 'profileInit')), {
    title: 'Error signal at the input of each block',
    panelTitle: 'at initialisation',
    yLabel: '‖dL/dx‖ at block input',
    compare: { title: `after ${o.steps} steps`, yLabel: '‖dL/dx‖ at block input', series: rows.filter((r) => r.diverged === null).map((r) => flow(r, 'profileEnd')) },
  })
  const curves = lineChart(
    rows.map((r) => ({ label: r.label, points: r.traces.filter((t) => Number.isFinite(t.loss) && t.layers.length > 0).map((t) => ({ x: t.step, y: t.loss })) })),
    { title: `Training loss during the run (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize})`, xLabel: 'step', yLabel: `cross-entropy on ${o.probe} training digits`, yScale: 'log', refs: [{ y: Math.LN10, label: 'chance: ln 10 = 2.30' }] },
  )
  const lossText = (r: ResidualRow) => (r.diverged === null ? fmtNum(r.trainLoss) : `diverged at step ${r.diverged}`)
  const trend = (arch: Arch): string => {
    const rs = of(arch)
    const ls = rs.map((r) => r.trainLoss)
    const first = ls[0]!, last = ls[ls.length - 1]!
    return `${rs.map((r) => `${lossText(r)} at ${r.depth}`).join(', ')}` + (Number.isFinite(first) && Number.isFinite(last) ? ` (${last > first ? `${fmtNum(last / first)}× higher` : `${fmtNum(first / last)}× lower`} at ${rs[rs.length - 1]!.depth} than at ${rs[0]!.depth} layers)` : '')
  }
  const maxOf = (arch: Arch, f: (r: ResidualRow) => number) => Math.max(...of(arch).map(f).filter(Number.isFinite))
  const blocksOf = (r: ResidualRow) => r.profileInit.length
  const parts = [
    `With the same optimizer and budget (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize}, ${o.steps} steps), the training loss of the plain nets is ${trend('plain')}, and of the residual nets ${trend('residual')}.`,
    `At initialisation the error signal ‖dL/dx‖ at the block inputs varies over the blocks by at most ${fmtNum(maxOf('plain', (r) => spread(r.profileInit)))}× (max/min) in the plain nets, whose initialisation preserves the signal's variance, and by ${fmtNum(maxOf('residual', (r) => spread(r.profileInit)))}× in the residual nets, whose profile rises toward the input by the factor √(1 + 1/blocks) per block that the scaled branches predict (predicted: ${fmtNum(Math.max(...of('residual').map((r) => (1 + 1 / blocksOf(r)) ** ((blocksOf(r) - 1) / 2))))}× over all the blocks).`,
    `During training the plain profiles become uneven, up to ${fmtNum(maxOf('plain', (r) => r.spreadMax))}× between blocks at a recorded step, the residual ones up to ${fmtNum(maxOf('residual', (r) => r.spreadMax))}×.`,
  ]
  const deepest = Math.max(...o.depths)
  const pd = rows.find((r) => r.arch === 'plain' && r.depth === deepest), rd = rows.find((r) => r.arch === 'residual' && r.depth === deepest)
  if (pd && rd && pd.profileInit.length > 0 && rd.profileInit.length > 0)
    parts.push(
      `At ${deepest} layers, block 1 receives ${fmtNum(pd.profileInit[0]! / pd.profileInit[pd.profileInit.length - 1]!)} of the last block's ‖dL/dx‖ in the plain net and ${fmtNum(rd.profileInit[0]! / rd.profileInit[rd.profileInit.length - 1]!)} in the residual one at initialisation; test accuracy ${pct(pd.testAccuracy)} (plain) against ${pct(rd.testAccuracy)} (residual).`,
    )
  const table = {
    head: ['depth', 'net', 'train loss after budget', 'train accuracy', 'test accuracy', 'block ‖dL/dx‖ max/min at init', 'at end', 'largest during run', 'time (s)'],
    rows: rows.map((r) => [String(r.depth), r.arch, lossText(r), pct(r.trainAccuracy), pct(r.testAccuracy), fmtNum(spread(r.profileInit)), r.profileEnd.length > 0 && r.diverged === null ? fmtNum(spread(r.profileEnd)) : '—', fmtNum(r.spreadMax), r.seconds.toFixed(1)]),
  }
  const findings = initAndEndFindings(rows)
  const figures = Object.fromEntries(rows.flatMap((r) => {
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
  }))
  return { id: 'residual', title: residualTitle, paragraph: parts.join(' '), svgs: [lossVsDepth, profiles, curves], table, findings, runs: rows.map((r): Run => ({ label: r.label, traces: thin(r.traces, o.keep) })), figures }
}

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
