/**
 * Normalisation as a remedy (docs/experiments.md, E17, with layer normalisation,
 * Ba et al. 2016, in place of batch normalisation): deep sigmoid and tanh
 * MLPs with the classic U[±1/√n] initialisation, with and without
 * `layerNorm()` before each nonlinearity, trained alike on the digits.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { normalisationExperiment } from './normalisation'
 * const r = await normalisationExperiment.run({ quick: true }) // four nets, 60 steps (about 1 s)
 * assert.deepStrictEqual(r.table.rows.map((row) => row[0]), ['sigmoid', 'sigmoid + layerNorm', 'tanh', 'tanh + layerNorm'])
 * // layerNorm lifts the first-to-last ratio of dL/dz at initialisation by orders of magnitude
 * assert.ok(r.figures['sigmoid_layerNorm_ratioInit']! > 100 * r.figures['sigmoid_ratioInit']!)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import * as Report from '../report/index'
import type * as Trace from '../trace/index'
import { digitsData, evaluate, experiment, figureKey, fmtNum, headBatch, initAndEndFindings, lossChart, pct, thin, tick, trainAndTrace } from './common'
import type { Experiment, Run, RunOptions } from './Experiment'

const DEPTH = 10
const WIDTH = 64
const LR = 0.05
const PROBE = 128

interface Condition {
  readonly act: 'sigmoid' | 'tanh'
  readonly norm: boolean
}
const conditions: ReadonlyArray<Condition> = [
  { act: 'sigmoid', norm: false },
  { act: 'sigmoid', norm: true },
  { act: 'tanh', norm: false },
  { act: 'tanh', norm: true },
]
const labelOf = (c: Condition): string => `${c.act}${c.norm ? ' + layerNorm' : ''}`

/** The options of a run: training steps (1,500 in full mode, 60 in quick mode). */
interface Options {
  readonly steps: number
  readonly onProgress?: RunOptions['onProgress']
}

/** 10 hidden layers of 64 with the classic initialisation; with `norm`, dense -> layerNorm -> activation. */
const netOf = (c: Condition): Layer.LayerSpec => {
  const init = Layer.init.classic
  const hidden = () => (c.norm ? [Layer.dense(WIDTH, { init }), Layer.layerNorm(), Layer.activation(c.act)] : [Layer.dense(WIDTH, { activation: c.act, init })])
  return Layer.serial(...Array.from({ length: DEPTH }, hidden).flat(), Layer.dense(10, { init }))
}

interface Row {
  readonly c: Condition
  readonly label: string
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly profile: ReadonlyArray<number>
  readonly ratio: number
  readonly loss: number
  readonly accuracy: number
}

/** ‖dL/dz‖ at the hidden dense layers (the output of each dense layer: its pre-activation or the input of its layerNorm). */
const hiddenProfile = (t: Trace.StepTrace): ReadonlyArray<number> => t.layers.filter((l) => l.kind === 'dense').slice(0, DEPTH).map((l) => l.gradPre.l2)

/** One net trained and measured. */
const row = async (c: Condition, o: Options, data: ReturnType<typeof digitsData>): Promise<E.Either<Err.GradtraceError, Row>> => {
  const m = Model.compile(netOf(c), { input: [64], loss: 'softmaxCrossEntropy' })
  if (E.isLeft(m)) return m
  const spec = { model: m.right, optimizer: Optim.momentum(LR, 0.9), key: Key.key(11), data: data.train, probe: headBatch(data.train, PROBE) }
  const r = await trainAndTrace({ ...spec, steps: o.steps, batchSize: 32, records: 30 })
  if (E.isLeft(r)) return r
  const test = evaluate(m.right, r.right.state.params, data.test)
  if (E.isLeft(test)) return test
  const p0 = hiddenProfile(r.right.traces[0]!)
  const last = r.right.traces[r.right.traces.length - 1]!
  return E.right({ c, label: labelOf(c), traces: r.right.traces, profile: p0, ratio: p0[0]! / p0[DEPTH - 1]!, loss: last.loss, accuracy: test.right.accuracy })
}

/** Trains the four nets. */
const runAll = async (o: Options): Promise<E.Either<Err.GradtraceError, ReadonlyArray<Row>>> => {
  const data = digitsData()
  const rows: Row[] = []
  for (const [i, c] of conditions.entries()) {
    const r = await row(c, o, data)
    if (E.isLeft(r)) return r
    rows.push(r.right)
    o.onProgress?.((i + 1) / conditions.length, labelOf(c))
    await tick()
  }
  return E.right(rows)
}

/** The paragraph: the first-to-last ratio at initialisation, then the training outcome, with and without layerNorm. */
const words = (rows: ReadonlyArray<Row>, o: Options): string => {
  const at = (act: string, norm: boolean) => rows.find((r) => r.c.act === act && r.c.norm === norm)!
  const sp = at('sigmoid', false), sn = at('sigmoid', true), tp = at('tanh', false), tn = at('tanh', true)
  const sigmoid =
    sp.loss > 2 && sn.loss > 2
      ? "neither sigmoid net leaves chance (ln 10 = 2.30) within the budget: normalising the pre-activations does not undo σ' ≤ 1/4 over ten layers."
      : `sigmoid goes from ${fmtNum(sp.loss)} (${pct(sp.accuracy)}) to ${fmtNum(sn.loss)} (${pct(sn.accuracy)}).`
  return (
    `Ten sigmoid layers with the classic initialisation hand the first layer ${fmtNum(sp.ratio)} of the last layer's error signal at initialisation; ` +
    `with layerNorm before each sigmoid it is ${fmtNum(sn.ratio)}` +
    (sn.ratio < 1e-2 ? " — the pre-activations stay at unit scale, but σ' ≤ 1/4 still shrinks the signal at every layer. " : '. ') +
    `For tanh the ratio goes from ${fmtNum(tp.ratio)} to ${fmtNum(tn.ratio)}. ` +
    `After ${o.steps} steps of the same SGD, tanh goes from loss ${fmtNum(tp.loss)} (${pct(tp.accuracy)} test accuracy) ` +
    `to ${fmtNum(tn.loss)} (${pct(tn.accuracy)}) with layerNorm; ${sigmoid}`
  )
}

/** The section from the four rows. */
const section = (rows: ReadonlyArray<Row>, o: Options) => ({
  paragraph: words(rows, o),
  svgs: [
    Report.gradientFlowChart(
      rows.map((r) => ({ label: r.label, layers: r.profile.map((_, i) => `hidden ${i + 1}`), values: r.profile })),
      { title: `Error signal per hidden layer at initialisation (${DEPTH} × ${WIDTH}, classic init)`, yLabel: '‖dL/dz‖ on a fixed batch' },
    ),
    lossChart(rows, `Training loss (SGD + momentum 0.9, lr ${LR}, batch 32)`, PROBE),
  ],
  table: {
    head: ['net', 'layer 1 / layer 10 ‖dL/dz‖ at init', 'final train loss', 'test accuracy'],
    rows: rows.map((r) => [r.label, fmtNum(r.ratio), fmtNum(r.loss), pct(r.accuracy)]),
  },
  findings: initAndEndFindings(rows),
  runs: rows.map((r): Run => ({ label: r.label, traces: thin(r.traces, 12) })),
  figures: Object.fromEntries(
    rows.flatMap((r) => [
      [figureKey(r.label, 'ratioInit'), r.ratio],
      [figureKey(r.label, 'trainLoss'), r.loss],
      [figureKey(r.label, 'testAccuracy'), r.accuracy],
    ]),
  ),
})

/** @category experiments */
export const normalisationExperiment: Experiment = experiment(
  { id: 'normalisation', title: 'Normalisation: layer norm in deep sigmoid and tanh nets', weight: 8 }, // weight: seconds in full mode on one core
  { quick: { steps: 60 }, full: { steps: 1500 } },
  runAll,
  section,
)
