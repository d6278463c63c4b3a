/**
 * Experiment E3 (LITERATURE.md §E3): He et al. 2015 scaled down. Deep ReLU
 * MLPs of width 64 on the 8x8 digits, initialised with He N(0, 2/fan_in),
 * Glorot U (Var 2/(fan_in + fan_out) = 1/64 here, half of He's) or He × 2
 * (Var 4/fan_in), trained with the same SGD + momentum 0.9, learning rate,
 * batch 64 and number of steps.
 *
 * What it shows: at initialisation He keeps ‖dL/dz‖ level across 30 layers
 * while Glorot loses a factor √½ per layer; in training the Glorot net sits
 * at the chance loss ln 10 while the He net learns; the He × 2 net starts with
 * a signal that grows by √2 per layer; and the fraction of dead (zero) ReLU
 * outputs per layer at the end.
 *
 * @example
 * import { reluExperiment } from './relu'
 * // const r = await reluExperiment.run({ quick: true }); console.log(r.table)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn, key } from '../core/Key'
import { serial } from '../combinator/serial'
import { dense } from '../layer/dense'
import * as Init from '../layer/init'
import { momentum } from '../optim/Transform'
import { compile } from '../plan/compile'
import { type FlowSeries, gradientFlowChart, heatmap, lineChart } from '../report/charts'
import { layerStepMatrix } from '../report/traceViews'
import type { StepTrace } from '../trace/Trace'
import type { Experiment, ExperimentResult, Run, RunOptions } from './Experiment'
import { digitsData, evaluate, experiment, figureKey, fmtNum, headBatch, initAndEndFindings, pct, thin, tick, trainAndTrace } from './common'

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
  configs: [
    { depth: 10, init: 'he' },
    { depth: 10, init: 'glorot' },
    { depth: 30, init: 'he' },
    { depth: 30, init: 'glorot' },
    { depth: 30, init: 'he2' },
  ],
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

/** The ReLU MLP of a configuration; every layer (the output too) uses the initialiser under test. @category utils */
export const reluNet = (c: ReluConfig, width = 64) => {
  // He × 2: twice He's variance, N(0, 4/fan_in); every layer here has fan-in `width` except the first (64 inputs)
  const spec = (fanIn: number): Init.InitSpec => (c.init === 'he' ? Init.heNormal : c.init === 'glorot' ? Init.glorotUniform : Init.normal(2 / Math.sqrt(fanIn)))
  return serial(...Array.from({ length: c.depth }, (_, i) => dense(width, { activation: 'relu', init: spec(i === 0 ? 64 : width) })), dense(10, { init: spec(width) }))
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
  readonly traces: ReadonlyArray<StepTrace>
  readonly seconds: number
}

const hidden = (t: StepTrace, depth: number) => t.layers.filter((l) => l.params.length > 0).slice(0, depth)

/** Trains every configuration. @category utils */
export const runRelu = async (o: ReluOptions): Promise<E.Either<GradtraceError, ReadonlyArray<ReluRow>>> => {
  const d = digitsData()
  const probe = headBatch(d.train, o.probe)
  const rows: ReluRow[] = []
  for (const [i, c] of o.configs.entries()) {
    const t0 = Date.now()
    const m = compile(reluNet(c, o.width), { input: [64], loss: 'softmaxCrossEntropy' })
    if (E.isLeft(m)) return m
    const r = trainAndTrace({ model: m.right, optimizer: momentum(o.lr, 0.9), key: foldIn(key(2015), c.depth), data: d.train, probe, steps: o.steps, batchSize: o.batchSize, records: o.records, stopOnNonFinite: true })
    if (E.isLeft(r)) return r
    const te = evaluate(m.right, r.right.state.params, d.test)
    const tr = evaluate(m.right, r.right.state.params, d.train)
    if (E.isLeft(te)) return te
    if (E.isLeft(tr)) return tr
    const ts = r.right.traces
    const prof = hidden(ts[0]!, c.depth).map((l) => l.gradPre.l2)
    const dead = (t: StepTrace) => hidden(t, c.depth).map((l) => l.act?.dead ?? NaN)
    rows.push({
      config: c,
      label: `depth ${c.depth}, ${initLabel(c.init)}`,
      initProfile: prof,
      firstToLast: prof[0]! / prof[prof.length - 1]!,
      deadInit: dead(ts[0]!),
      deadEnd: dead(ts[ts.length - 1]!),
      leftChance: ts.find((t) => t.loss < 2)?.step ?? null,
      trainLoss: tr.right.loss,
      testAccuracy: te.right.accuracy,
      nonFiniteSteps: r.right.nonFiniteSteps,
      diverged: r.right.firstNonFinite,
      traces: ts,
      seconds: (Date.now() - t0) / 1000,
    })
    o.onProgress?.((i + 1) / o.configs.length, rows[rows.length - 1]!.label)
    await tick()
  }
  return E.right(rows)
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

/** The report section. @category utils */
export const reluResult = (rows: ReadonlyArray<ReluRow>, o: ReluOptions): ExperimentResult => {
  const deepest = Math.max(...rows.map((r) => r.config.depth))
  const deep = rows.filter((r) => r.config.depth === deepest)
  const flow = gradientFlowChart(
    rows.map((r): FlowSeries => ({ label: r.label, layers: r.initProfile.map((_, i) => String(i + 1)), values: r.initProfile })),
    { title: 'ReLU nets at initialisation: error signal per hidden layer', yLabel: '‖dL/dz‖ on a fixed batch' },
  )
  const ok = rows.filter((r) => r.diverged === null)
  const loss = lineChart(
    ok.map((r) => ({ label: r.label, points: r.traces.filter((t) => Number.isFinite(t.loss)).map((t) => ({ x: t.step, y: t.loss })) })),
    { title: `Training loss (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize})`, xLabel: 'step', yLabel: `cross-entropy on ${o.probe} training digits`, yScale: 'log', refs: [{ y: Math.LN10, label: 'chance: ln 10 = 2.30' }] },
  )
  const dead = lineChart(
    ok.map((r) => ({ label: r.label, points: r.deadEnd.map((v, i) => ({ x: i + 1, y: v })) })),
    { title: `Dead ReLU outputs per layer after ${o.steps} steps`, xLabel: 'hidden layer (input → output)', yLabel: 'fraction of outputs exactly 0', refs: [{ y: 0.5, label: 'at initialisation ≈ 0.5' }] },
  )
  const he = deep.find((r) => r.config.init === 'he'), gl = deep.find((r) => r.config.init === 'glorot'), h2 = deep.find((r) => r.config.init === 'he2')
  // the error signal of every layer through training, for the two deepest nets side by side on one colour scale
  const maps = [he, gl].flatMap((r) => (r ? [r] : [])).map((r) => {
    const m = layerStepMatrix(r.traces.filter((t) => Number.isFinite(t.loss)), 'gradPre')
    return { ...m, rows: m.rows.map((p, i) => (i === m.rows.length - 1 ? 'output' : `hidden ${i + 1}`)) }
  })
  const all = maps.flatMap((m) => m.values.flat()).filter((v) => v > 0 && Number.isFinite(v))
  const domain = all.length > 0 ? ([Math.min(...all), Math.max(...all)] as const) : undefined
  const heat = maps.map((m, i) =>
    heatmap(m, { title: `${[he, gl].filter(Boolean)[i]!.label}: ‖dL/dz‖ of every layer during training`, xLabel: 'training step', yLabel: 'layer (input at the top)', valueLabel: '‖dL/dz‖', ...(domain ? { domain } : {}) }),
  )
  const parts: string[] = []
  if (he && gl)
    parts.push(
      `At initialisation, with ${deepest} ReLU layers of ${o.width} units, He's N(0, 2/n) ${he.firstToLast > 0.1 && he.firstToLast < 10 ? 'passes the error signal down within a decade' : 'does not pass the error signal down intact'} (hidden layer 1 gets ${fmtNum(he.firstToLast)} of layer ${deepest}'s ‖dL/dz‖), while Glorot's, with half that variance, loses about √½ per layer: layer 1 gets ${fmtNum(gl.firstToLast)} (√½^${deepest - 1} = ${fmtNum(Math.SQRT1_2 ** (deepest - 1))}).`,
    )
  if (h2)
    parts.push(
      `He × 2 (variance 4/n) gives ${fmtNum(h2.firstToLast)} instead: the error signal grows toward the input by about √2 per layer (√2^${deepest - 1} = ${fmtNum(Math.SQRT2 ** (deepest - 1))}), and so does the forward signal (initial loss ${fmtNum(h2.traces[0]!.loss)}).`,
    )
  const stall = (r: ReluRow) => (r.leftChance === null ? `stays above loss 2 for all ${o.steps} steps (ends at ${fmtNum(r.trainLoss)}; chance is ln 10 = 2.30)` : `first drops below loss 2 at step ${r.leftChance}`)
  if (he && gl)
    parts.push(
      `In training (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize}, ${o.steps} steps, the same for all), the depth-${deepest} He net ${stall(he)} and ends at loss ${fmtNum(he.trainLoss)} with ${pct(he.testAccuracy)} test accuracy; the Glorot net ${stall(gl)}, ${pct(gl.testAccuracy)} test accuracy.`,
    )
  if (h2) parts.push(h2.diverged === null ? `He × 2 ${stall(h2)}, ${pct(h2.testAccuracy)} test accuracy.` : `He × 2 diverges: step ${h2.diverged} is the first with non-finite values (after ${h2.diverged - 1} update${h2.diverged - 1 === 1 ? '' : 's'} of a net whose loss was ${fmtNum(h2.traces[0]!.loss)}), so its run stops there and it is left out of the loss and dead-unit charts.`)
  const shallow = rows.filter((r) => r.config.depth !== deepest)
  if (shallow.length > 0) parts.push(`At depth ${[...new Set(shallow.map((r) => r.config.depth))].join(' and ')}: ${shallow.map((r) => `${initLabel(r.config.init)} layer 1 / last ${fmtNum(r.firstToLast)}, loss below 2 from step ${r.leftChance ?? 'never'}, final loss ${fmtNum(r.trainLoss)}, test ${pct(r.testAccuracy)}`).join('; ')}.`)
  const deadInit = rows.flatMap((r) => r.deadInit)
  parts.push(`Dead outputs at initialisation: ${pct(Math.min(...deadInit))} to ${pct(Math.max(...deadInit))} per layer (mean ${pct(mean(deadInit))}), and at the end ${ok.map((r) => `${r.label} ${pct(mean(r.deadEnd))} on average, at most ${pct(Math.max(...r.deadEnd))}`).join('; ')}.`)
  const table = {
    head: ['depth', 'init', 'layer 1 / last dL/dz at init', 'first recorded step with loss < 2', 'final train loss', 'test accuracy', 'mean dead at end', 'time (s)'],
    rows: rows.map((r) => [String(r.config.depth), initLabel(r.config.init), fmtNum(r.firstToLast), r.leftChance === null ? `never (≤ ${o.steps})` : String(r.leftChance), r.diverged === null ? fmtNum(r.trainLoss) : `diverged (step ${r.diverged})`, pct(r.testAccuracy), r.diverged === null ? pct(mean(r.deadEnd)) : '—', r.seconds.toFixed(1)]),
  }
  const findings = initAndEndFindings(rows)
  const figures = Object.fromEntries(rows.flatMap((r) => {
    const k = (name: string) => figureKey(`d${r.config.depth}`, r.config.init, name)
    return [
      [k('firstToLastInit'), r.firstToLast],
      [k('leftChanceStep'), r.leftChance ?? -1],
      [k('divergedStep'), r.diverged ?? -1],
      ...(r.diverged === null ? [[k('trainLoss'), r.trainLoss], [k('deadEndMean'), mean(r.deadEnd)]] : []),
      [k('testAccuracy'), r.testAccuracy],
      [k('seconds'), r.seconds],
    ]
  }))
  return { id: 'relu', title: reluTitle, paragraph: parts.join(' '), svgs: [flow, loss, ...heat, dead], table, findings, runs: rows.map((r): Run => ({ label: r.label, traces: thin(r.traces, o.keep) })), figures }
}

const reluTitle = 'Deep ReLU nets: He against Glorot initialisation (He et al. 2015)'

/**
 * The experiment: full mode depth 10 and 30 (about 9 s on one core); quick
 * mode depth 30 only, 60 steps.
 *
 * @category experiments
 */
export const reluExperiment: Experiment = experiment(
  { id: 'relu', title: reluTitle, weight: 9 }, // weight: seconds in full mode on one core
  { quick: reluQuick, full: reluFull },
  runRelu,
  reluResult,
)
