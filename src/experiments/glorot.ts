/**
 * Experiment E2 (docs/experiments.md): Glorot & Bengio 2010, scaled down to the
 * 8x8 digits. Five hidden layers of 64 units, softmax output, plain SGD with
 * minibatches of 10 and no momentum, as in the paper; the learning rate of
 * each model is picked from a small grid by the error on a validation part
 * of the training set. Five conditions: sigmoid + classic U[±1/√n], tanh +
 * classic, tanh + Glorot (normalised), softsign + classic, softsign + Glorot.
 * The runs are in ./glorotRuns.ts; this module makes the section from them.
 *
 * What it shows: the per-layer spread of dL/dz at initialisation (the classic
 * init shrinks it toward the input, Glorot keeps it level), the saturated
 * fraction of each layer during training (the top sigmoid layer saturates
 * early), and the test error of each model.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { glorotExperiment } from './glorot'
 * const r = await glorotExperiment.run({ quick: true }) // the five conditions, 2 epochs at lr 0.3 (about 1 s)
 * assert.strictEqual(r.table.rows.length, 5)
 * assert.ok(r.figures['tanh_classic_spreadInit']! > r.figures['tanh_Glorot_spreadInit']!) // the classic init spreads dL/dz over the layers
 *
 * @since 0.1.0
 */
import * as Report from '../report/index'
import { type ActName, experiment, figureKey, fmtNum, initAndEndFindings, pct, thin } from './common'
import type { Experiment, Run } from './Experiment'
import { glorotFull, type GlorotOptions, glorotQuick, type GlorotRow, hiddenOf, runGlorot } from './glorotRuns'

/** The rows of the three conditions the words compare (any may be missing). */
const keyRows = (rows: ReadonlyArray<GlorotRow>) => {
  const by = (act: ActName, ini: 'classic' | 'glorot') => rows.find((r) => r.condition.act === act && r.condition.init === ini)
  return { sig: by('sigmoid', 'classic'), tc: by('tanh', 'classic'), tg: by('tanh', 'glorot') }
}

const hiddenNames = (depth: number): ReadonlyArray<string> => Array.from({ length: depth }, (_, i) => `hidden ${i + 1}`)

/** Mean activation of each hidden layer at each recorded step [layer][record]. */
const meanAct = (r: GlorotRow, depth: number) => Array.from({ length: depth }, (_, l) => r.traces.map((t) => hiddenOf(t, depth)[l]?.act?.mean ?? NaN))

const steps = (r: GlorotRow): ReadonlyArray<string> => r.traces.map((t) => String(t.step))
const xLabel = 'SGD step (updates so far)'

/** The pictures: the error signal per layer at init, the sigmoid net's mean activations, the tanh nets' saturation. */
const glorotCharts = (rows: ReadonlyArray<GlorotRow>, o: GlorotOptions): ReadonlyArray<string> => {
  const { sig, tc, tg } = keyRows(rows)
  const hidden = hiddenNames(o.depth)
  const flow = Report.gradientFlowChart(
    rows.map((r): Report.FlowSeries => ({ label: r.label, layers: hidden, values: r.initProfile })),
    { title: `Error signal per hidden layer at initialisation (${o.depth} × ${o.width}, digits)`, yLabel: '‖dL/dz‖ on a fixed batch' },
  )
  const activations = (r: GlorotRow) =>
    Report.heatmap(
      { rows: hidden, cols: steps(r), values: meanAct(r, o.depth) },
      { title: `${r.label}: mean activation of each layer during training`, valueLabel: 'mean activation σ(z)', xLabel, yLabel: 'layer (input at the top)' },
    )
  const tanhRows = [tc, tg].filter((r): r is GlorotRow => r !== undefined)
  const saturation = (rs: ReadonlyArray<GlorotRow>) =>
    Report.heatmap(
      { rows: rs.flatMap((r) => hidden.map((h) => `${r.label} · ${h}`)), cols: steps(rs[0]!), values: rs.flatMap((r) => r.saturation) },
      {
        title: 'tanh: fraction of saturated units (|h| > 0.99) during training',
        valueLabel: 'fraction saturated',
        xLabel,
        yLabel: 'condition · layer',
        domain: [1e-3, 1],
      },
    )
  return [flow, ...(sig ? [activations(sig)] : []), ...(tanhRows.length > 0 ? [saturation(tanhRows)] : [])]
}

const maxOf = (xs: ReadonlyArray<number>): number => Math.max(...xs.filter(Number.isFinite))

/** The sentence on tanh at initialisation, classic against Glorot. */
const tanhInitSentence = (tc: GlorotRow, tg: GlorotRow, depth: number): string =>
  `At initialisation the error signal ‖dL/dz‖ of tanh + classic U[±1/√n] ${tc.firstToTop < 1 ? 'shrinks' : 'grows'} toward the input: ` +
  `hidden layer 1 gets ${fmtNum(tc.firstToTop)} of the top hidden layer's, a ${fmtNum(tc.spread)}× spread over ${depth} layers, ` +
  `while tanh + Glorot keeps it within ${fmtNum(tg.spread)}× (layer 1 / top = ${fmtNum(tg.firstToTop)}).`

const satNote = (peak: number): string =>
  peak < 0.01
    ? `yet by the trace's measure (σ < 0.01 or > 0.99) at most ${pct(peak)} of it is saturated: it approaches 0 without crossing 0.01 within the budget`
    : `and at most ${pct(peak)} of it is saturated (σ < 0.01 or > 0.99)`

/** The sentence on the sigmoid net: its signal at init, its top layer in training, its saturation and loss. */
const sigmoidSentence = (sig: GlorotRow, tc: GlorotRow | undefined, depth: number): string => {
  const m = meanAct(sig, depth)
  const top = m[depth - 1]!
  const lowest = Math.min(...top.filter(Number.isFinite))
  const more = tc ? (sig.firstToTop < tc.firstToTop ? 'loses more' : 'does not lose more') : 'gives'
  const from = `its mean activation goes from ${fmtNum(top[0]!)} to`
  const driven =
    lowest < 0.5 * top[0]!
      ? `in training its top hidden layer is driven toward 0, as in the paper: ${from} ${fmtNum(lowest)}`
      : `in training its top hidden layer is not driven toward 0 within the budget (the paper's effect): ${from} at lowest ${fmtNum(lowest)}`
  return (
    `Sigmoid + classic ${more} (layer 1 / top = ${fmtNum(sig.firstToTop)}), and ${driven}, while layer 1 ends at ${fmtNum(m[0]![top.length - 1]!)}; ` +
    `${satNote(maxOf(sig.saturation[depth - 1]!))}, and the loss ends at ${fmtNum(sig.trainLoss)} (ln 10 = 2.303 is chance).`
  )
}

/** The sentence on the tanh nets' saturation at the end of training. */
const tanhEndSentence = (tc: GlorotRow, tg: GlorotRow, depth: number): string => {
  const endSat = (r: GlorotRow) => r.saturation.map((s) => s[s.length - 1]!)
  const falling = (xs: ReadonlyArray<number>) => xs.every((x, i) => i === 0 || x <= xs[i - 1]!)
  const sequential = 'falling from layer 1 to the top (the sequential saturation from layer 1 up that the paper saw)'
  const shape = (r: GlorotRow) => (maxOf(endSat(r)) < 0.02 ? 'hardly any' : falling(endSat(r)) ? sequential : 'not ordered by layer')
  const of = (r: GlorotRow) => endSat(r).map(pct).join(' / ')
  return `At the end of training, tanh + classic has ${of(tc)} saturated units (|h| > 0.99) in layers 1…${depth}, ${shape(tc)}; ` +
    `tanh + Glorot has ${of(tg)}, ${shape(tg)}.`
}

/** The sentence on the test errors, and whether they keep the paper's ordering. */
const errorSentence = (rows: ReadonlyArray<GlorotRow>, o: GlorotOptions): string => {
  const { sig, tc, tg } = keyRows(rows)
  const lrNote = o.lrs.length > 1 ? `the learning rate of each model picked from {${o.lrs.join(', ')}} by validation error` : `learning rate ${o.lrs[0]}`
  const n = rows[0]?.testSize ?? 0
  const ordering = (ordered: boolean) =>
    ` — ${ordered ? '' : 'not '}the paper's ordering sigmoid > tanh-classic ≥ tanh-Glorot; ` +
    `with ${n} test digits one error is ${(100 / n).toFixed(2)} points, so gaps of a point or two are noise.`
  const errors = rows.map((r) => `${r.label} ${pct(r.testError)}`).join(', ')
  const tail = sig && tc && tg ? ordering(sig.testError > tc.testError && tc.testError >= tg.testError) : '.'
  return `After ${o.epochs} epoch${o.epochs === 1 ? '' : 's'} of SGD (batch ${o.batchSize}, ${lrNote}) the test errors are ${errors}${tail}`
}

/** The paragraph: each sentence when the rows it reads were run. */
const glorotWords = (rows: ReadonlyArray<GlorotRow>, o: GlorotOptions): string => {
  const { sig, tc, tg } = keyRows(rows)
  return [
    ...(tc && tg ? [tanhInitSentence(tc, tg, o.depth)] : []),
    ...(sig ? [sigmoidSentence(sig, tc, o.depth)] : []),
    ...(tc && tg ? [tanhEndSentence(tc, tg, o.depth)] : []),
    errorSentence(rows, o),
  ].join(' ')
}

const topSaturated = (r: GlorotRow): number => maxOf(r.saturation[r.saturation.length - 1]!)

const glorotTable = (rows: ReadonlyArray<GlorotRow>) => ({
  head: ['condition', 'lr', 'dL/dz spread at init (max/min)', 'layer 1 / top at init', 'top layer max saturated']
    .concat(['final train loss', 'val error', 'test error']),
  rows: rows.map((r) => [
    r.label,
    String(r.lr),
    fmtNum(r.spread),
    fmtNum(r.firstToTop),
    pct(topSaturated(r)),
    fmtNum(r.trainLoss),
    pct(r.valError),
    pct(r.testError),
  ]),
})

const glorotFigures = (rows: ReadonlyArray<GlorotRow>): Readonly<Record<string, number>> =>
  Object.fromEntries(
    rows.flatMap((r) => [
      [figureKey(r.label, 'lr'), r.lr],
      [figureKey(r.label, 'spreadInit'), r.spread],
      [figureKey(r.label, 'firstToTopInit'), r.firstToTop],
      [figureKey(r.label, 'topSaturatedMax'), topSaturated(r)],
      [figureKey(r.label, 'trainLoss'), r.trainLoss],
      [figureKey(r.label, 'valError'), r.valError],
      [figureKey(r.label, 'testError'), r.testError],
    ]),
  )

/** The report section from the measured rows. @category utils */
export const glorotResult = (rows: ReadonlyArray<GlorotRow>, o: GlorotOptions) => ({
  paragraph: glorotWords(rows, o),
  svgs: glorotCharts(rows, o),
  table: glorotTable(rows),
  findings: initAndEndFindings(rows),
  runs: rows.map((r): Run => ({ label: `${r.label} (lr ${r.lr})`, traces: thin(r.traces, o.keep) })),
  figures: glorotFigures(rows),
})

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
