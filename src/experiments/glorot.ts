/**
 * Experiment E2 (LITERATURE.md §E2): Glorot & Bengio 2010, scaled down to the
 * 8x8 digits. Five hidden layers of 64 units, softmax output, plain SGD with
 * minibatches of 10 and no momentum, as in the paper; the learning rate of
 * each model is picked from a small grid by the error on a validation part
 * of the training set. Five conditions: sigmoid + classic U[±1/√n], tanh +
 * classic, tanh + Glorot (normalised), softsign + classic, softsign + Glorot.
 *
 * What it shows: the per-layer spread of dL/dz at initialisation (the classic
 * init shrinks it toward the input, Glorot keeps it level), the saturated
 * fraction of each layer during training (the top sigmoid layer saturates
 * early), and the test error of each model.
 *
 * The module also holds the few helpers the three training experiments share
 * (digits data, a keyed training loop that records traces on a fixed probe
 * batch, accuracy).
 *
 * @example
 * import { glorotExperiment } from './glorot'
 * // const r = await glorotExperiment.run({ quick: true }); console.log(r.paragraph)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { foldIn, key } from '../core/Key'
import { serial } from '../combinator/serial'
import { digits } from '../data/digits'
import { dense } from '../layer/dense'
import * as Init from '../layer/init'
import { sgd } from '../optim/Transform'
import { compile } from '../plan/compile'
import { type FlowSeries, gradientFlowChart, heatmap } from '../report/charts'
import type { StepTrace } from '../trace/Trace'
import { init, step } from '../train/step'
import type { ActName } from '../wasm/abi'
import type { Experiment, ExperimentResult, Run, RunOptions } from './Experiment'
import { digitsData, evaluate, experiment, figureKey, fmtNum, headBatch, initAndEndFindings, pct, thin, tick, trainAndTrace } from './common'

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
export const glorotFull: GlorotOptions = { width: 64, depth: 5, batchSize: 10, epochs: 12, lrs: [0.1, 0.3, 1], validation: 0.2, probe: 300, records: 40, keep: 16, conditions: glorotConditions }
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
  readonly traces: ReadonlyArray<StepTrace>
  readonly seconds: number
}

const initOf = (c: GlorotCondition): Init.InitSpec => (c.init === 'classic' ? Init.classic : Init.glorotUniform)

/** The network of a condition. @category utils */
export const glorotNet = (c: GlorotCondition, depth = 5, width = 64) =>
  serial(...Array.from({ length: depth }, () => dense(width, { activation: c.act, init: initOf(c) })), dense(10, { init: initOf(c) }))

const hiddenLayers = (t: StepTrace, depth: number) => t.layers.filter((l) => l.params.length > 0).slice(0, depth)

/** Runs every condition at every learning rate and keeps the best rate per condition. @category utils */
export const runGlorot = async (o: GlorotOptions): Promise<E.Either<GradtraceError, ReadonlyArray<GlorotRow>>> => {
  const d = digitsData(o.validation)
  const fit = d.fit!, val = d.val!
  const probe = headBatch(fit, o.probe)
  const steps = o.epochs * Math.floor((fit.x.shape[0] ?? 0) / o.batchSize)
  const rows: GlorotRow[] = []
  const total = o.conditions.length * o.lrs.length
  let done = 0
  for (const [ci, c] of o.conditions.entries()) {
    const m = compile(glorotNet(c, o.depth, o.width), { input: [64], loss: 'softmaxCrossEntropy' })
    if (E.isLeft(m)) return m
    let best: GlorotRow | undefined
    for (const lr of o.lrs) {
      const t0 = Date.now()
      const r = trainAndTrace({ model: m.right, optimizer: sgd(lr), key: foldIn(key(2010), ci), data: fit, probe, steps, batchSize: o.batchSize, records: o.records })
      if (E.isLeft(r)) return r
      const ev = evaluate(m.right, r.right.state.params, val)
      const te = evaluate(m.right, r.right.state.params, d.test)
      const tr = evaluate(m.right, r.right.state.params, fit)
      if (E.isLeft(ev)) return ev
      if (E.isLeft(te)) return te
      if (E.isLeft(tr)) return tr
      const ts = r.right.traces
      const prof = hiddenLayers(ts[0]!, o.depth).map((l) => l.gradPre.l2)
      const row: GlorotRow = {
        condition: c,
        label: conditionLabel(c),
        lr,
        initProfile: prof,
        spread: Math.max(...prof) / Math.min(...prof),
        firstToTop: prof[0]! / prof[prof.length - 1]!,
        saturation: Array.from({ length: o.depth }, (_, l) => ts.map((t) => hiddenLayers(t, o.depth)[l]?.act?.saturated ?? NaN)),
        valError: 1 - ev.right.accuracy,
        testError: 1 - te.right.accuracy,
        testSize: d.test.x.shape[0] ?? 0,
        trainLoss: tr.right.loss,
        traces: ts,
        seconds: (Date.now() - t0) / 1000,
      }
      // lowest validation error; ties go to the lower final probe loss
      if (!best || row.valError < best.valError || (row.valError === best.valError && row.trainLoss < best.trainLoss)) best = row
      o.onProgress?.(++done / total, `${row.label}, lr ${lr}`)
      await tick()
    }
    rows.push(best!)
  }
  return E.right(rows)
}

const maxOf = (xs: ReadonlyArray<number>): number => Math.max(...xs.filter(Number.isFinite))

const satNote = (peak: number): string =>
  peak < 0.01
    ? `yet by the trace's measure (σ < 0.01 or > 0.99) at most ${pct(peak)} of it is saturated: it approaches 0 without crossing 0.01 within the budget`
    : `and at most ${pct(peak)} of it is saturated (σ < 0.01 or > 0.99)`

/** The report section from the measured rows. @category utils */
export const glorotResult = (rows: ReadonlyArray<GlorotRow>, o: GlorotOptions): ExperimentResult => {
  const depth = o.depth
  const hidden = Array.from({ length: depth }, (_, i) => `hidden ${i + 1}`)
  const by = (act: ActName, ini: 'classic' | 'glorot') => rows.find((r) => r.condition.act === act && r.condition.init === ini)
  const sig = by('sigmoid', 'classic'), tc = by('tanh', 'classic'), tg = by('tanh', 'glorot')
  const meanAct = (r: GlorotRow) => Array.from({ length: depth }, (_, l) => r.traces.map((t) => hiddenLayers(t, depth)[l]?.act?.mean ?? NaN))

  const svgs: string[] = [
    gradientFlowChart(
      rows.map((r): FlowSeries => ({ label: r.label, layers: hidden, values: r.initProfile })),
      { title: `Error signal per hidden layer at initialisation (${depth} × ${o.width}, digits)`, yLabel: '‖dL/dz‖ on a fixed batch' },
    ),
  ]
  if (sig)
    svgs.push(
      heatmap(
        { rows: hidden, cols: sig.traces.map((t) => String(t.step)), values: meanAct(sig) },
        { title: `${sig.label}: mean activation of each layer during training`, valueLabel: 'mean activation σ(z)', xLabel: 'SGD step (updates so far)', yLabel: 'layer (input at the top)' },
      ),
    )
  const tanhRows = [tc, tg].filter((r): r is GlorotRow => r !== undefined)
  if (tanhRows.length > 0)
    svgs.push(
      heatmap(
        { rows: tanhRows.flatMap((r) => hidden.map((h) => `${r.label} · ${h}`)), cols: tanhRows[0]!.traces.map((t) => String(t.step)), values: tanhRows.flatMap((r) => r.saturation) },
        { title: 'tanh: fraction of saturated units (|h| > 0.99) during training', valueLabel: 'fraction saturated', xLabel: 'SGD step (updates so far)', yLabel: 'condition · layer', domain: [1e-3, 1] },
      ),
    )

  const parts: string[] = []
  if (tc && tg)
    parts.push(
      `At initialisation the error signal ‖dL/dz‖ of tanh + classic U[±1/√n] ${tc.firstToTop < 1 ? 'shrinks' : 'grows'} toward the input: hidden layer 1 gets ${fmtNum(tc.firstToTop)} of the top hidden layer's, a ${fmtNum(tc.spread)}× spread over ${depth} layers, while tanh + Glorot keeps it within ${fmtNum(tg.spread)}× (layer 1 / top = ${fmtNum(tg.firstToTop)}).`,
    )
  if (sig) {
    const m = meanAct(sig)
    const top = m[depth - 1]!
    const end = top.length - 1
    const lowest = Math.min(...top.filter(Number.isFinite))
    const more = tc ? (sig.firstToTop < tc.firstToTop ? 'loses more' : 'does not lose more') : 'gives'
    const driven = lowest < 0.5 * top[0]!
      ? `in training its top hidden layer is driven toward 0, as in the paper: its mean activation goes from ${fmtNum(top[0]!)} to ${fmtNum(lowest)}`
      : `in training its top hidden layer is not driven toward 0 within the budget (the paper's effect): its mean activation goes from ${fmtNum(top[0]!)} to at lowest ${fmtNum(lowest)}`
    parts.push(
      `Sigmoid + classic ${more} (layer 1 / top = ${fmtNum(sig.firstToTop)}), and ${driven}, while layer 1 ends at ${fmtNum(m[0]![end]!)}; ${satNote(maxOf(sig.saturation[depth - 1]!))}, and the loss ends at ${fmtNum(sig.trainLoss)} (ln 10 = 2.303 is chance).`,
    )
  }
  if (tc && tg) {
    const endSat = (r: GlorotRow) => r.saturation.map((s) => s[s.length - 1]!)
    const shape = (xs: ReadonlyArray<number>) =>
      maxOf(xs) < 0.02
        ? 'hardly any'
        : xs.every((x, i) => i === 0 || x <= xs[i - 1]!)
          ? 'falling from layer 1 to the top (the sequential saturation from layer 1 up that the paper saw)'
          : 'not ordered by layer'
    parts.push(
      `At the end of training, tanh + classic has ${endSat(tc).map(pct).join(' / ')} saturated units (|h| > 0.99) in layers 1…${depth}, ${shape(endSat(tc))}; tanh + Glorot has ${endSat(tg).map(pct).join(' / ')}, ${shape(endSat(tg))}.`,
    )
  }
  const lrNote = o.lrs.length > 1 ? `the learning rate of each model picked from {${o.lrs.join(', ')}} by validation error` : `learning rate ${o.lrs[0]}`
  const ordered = sig && tc && tg ? sig.testError > tc.testError && tc.testError >= tg.testError : false
  const n = rows[0]?.testSize ?? 0
  parts.push(
    `After ${o.epochs} epoch${o.epochs === 1 ? '' : 's'} of SGD (batch ${o.batchSize}, ${lrNote}) the test errors are ${rows.map((r) => `${r.label} ${pct(r.testError)}`).join(', ')}` +
      (sig && tc && tg ? ` — ${ordered ? 'the paper\'s ordering sigmoid > tanh-classic ≥ tanh-Glorot' : 'not the paper\'s ordering sigmoid > tanh-classic ≥ tanh-Glorot'}; with ${n} test digits one error is ${(100 / n).toFixed(2)} points, so gaps of a point or two are noise.` : '.'),
  )
  const table = {
    head: ['condition', 'lr', 'dL/dz spread at init (max/min)', 'layer 1 / top at init', 'top layer max saturated', 'final train loss', 'val error', 'test error'],
    rows: rows.map((r) => [r.label, String(r.lr), fmtNum(r.spread), fmtNum(r.firstToTop), pct(maxOf(r.saturation[depth - 1]!)), fmtNum(r.trainLoss), pct(r.valError), pct(r.testError)]),
  }
  const findings = initAndEndFindings(rows)
  return {
    id: 'glorot',
    title: glorotTitle,
    paragraph: parts.join(' '),
    svgs,
    table,
    findings,
    runs: rows.map((r): Run => ({ label: `${r.label} (lr ${r.lr})`, traces: thin(r.traces, o.keep) })),
    figures: Object.fromEntries(rows.flatMap((r) => [
      [figureKey(r.label, 'lr'), r.lr],
      [figureKey(r.label, 'spreadInit'), r.spread],
      [figureKey(r.label, 'firstToTopInit'), r.firstToTop],
      [figureKey(r.label, 'topSaturatedMax'), maxOf(r.saturation[depth - 1]!)],
      [figureKey(r.label, 'trainLoss'), r.trainLoss],
      [figureKey(r.label, 'valError'), r.valError],
      [figureKey(r.label, 'testError'), r.testError],
    ])),
  }
}

const glorotTitle = 'Saturation and the normalised initialisation (Glorot & Bengio 2010)'

/**
 * The experiment: full mode trains 5 conditions × 3 learning rates (about
 * 9 s on one core); quick mode two epochs at one learning rate (under 1 s).
 *
 * @category experiments
 */
export const glorotExperiment: Experiment = experiment(
  { id: 'glorot', title: glorotTitle, weight: 9 }, // weight: seconds in full mode on one core
  { quick: glorotQuick, full: glorotFull },
  runGlorot,
  glorotResult,
)
