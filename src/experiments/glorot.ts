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
import { type GradtraceError, show } from '../core/Error'
import { foldIn, type Key, key } from '../core/Key'
import { permutation } from '../core/shuffle'
import { unsafeTensor } from '../core/Tensor'
import { serial } from '../combinator/serial'
import { digits, moments, standardizeWith, trainTestSplit } from '../data/digits'
import { subset } from '../data/Dataset'
import { dense } from '../layer/dense'
import * as Init from '../layer/init'
import type { GradientTransformation } from '../optim/Transform'
import { sgd } from '../optim/Transform'
import { type Batch, compile, type Model } from '../plan/compile'
import { type FlowSeries, gradientFlowChart, heatmap } from '../report/charts'
import { diagnose, type Finding } from '../trace/analysis'
import type { StepTrace } from '../trace/Trace'
import { type Data, take } from '../train/fit'
import { init, step, type TrainState } from '../train/step'
import type { ActName } from '../wasm/abi'
import type { Experiment, ExperimentResult, Run, RunOptions } from './Experiment'

// -------------------------------------------------------------------------------------
// shared helpers (used by relu.ts and residual.ts too)
// -------------------------------------------------------------------------------------

/** The digits split of the training experiments. @category model */
export interface DigitsData {
  /** the training part (80%), standardised with its own moments */
  readonly train: Data
  /** the test part (20%), standardised with the training moments */
  readonly test: Data
}

/**
 * Digits, split 80/20 with the fixed seed 0 and standardised with the moments
 * of the training part. With `validation`, the training part is split again
 * (seed 1) into `fit` and `val` (that fraction of it).
 *
 * @category utils
 */
export const digitsData = (validation?: number): DigitsData & { readonly fit?: Data; readonly val?: Data } => {
  const parts = trainTestSplit(digits(), 0, 0.2)
  if (E.isLeft(parts)) throw new Error(show(parts.left)) // a fixed, valid split of data we ship: a defect if it fails
  const st = standardizeWith(moments(parts.right.train))
  const asData = (ds: { x: Float32Array; y: Int32Array | Float32Array }): Data => ({ x: unsafeTensor([ds.y.length, 64], ds.x), y: ds.y as Int32Array })
  const train = st(parts.right.train)
  const out = { train: asData(train), test: asData(st(parts.right.test)) }
  if (validation === undefined) return out
  const inner = trainTestSplit(train, 1, validation)
  if (E.isLeft(inner)) throw new Error(show(inner.left))
  return { ...out, fit: asData(inner.right.train), val: asData(inner.right.test) }
}

/** The first `n` examples of a data set, as a batch (a fixed probe batch). @category utils */
export const headBatch = (d: Data, n: number): Batch => take(d, Int32Array.from({ length: Math.min(n, d.x.shape[0] ?? 0) }, (_, i) => i))

/** Steps at which to record a trace: 0, then denser early (quadratic spacing), at most `n` distinct steps, ending at `steps`. @category utils */
export const recordSteps = (steps: number, n: number): ReadonlyArray<number> =>
  [...new Set(Array.from({ length: n }, (_, i) => Math.round(steps * (i / Math.max(1, n - 1)) ** 2)))]

/** @category model */
export interface TrainSpec {
  readonly model: Model
  readonly optimizer: GradientTransformation
  /** parameters, shuffling */
  readonly key: Key
  readonly data: Data
  /** traces are gradient evaluations on this fixed batch (no update), after 0, 1, ... updates */
  readonly probe: Batch
  readonly steps: number
  readonly batchSize: number
  /** how many traces to keep (default 40) */
  readonly records?: number
  /** end the run at the first step with a non-finite loss or gradient (default false: drop its update and go on) */
  readonly stopOnNonFinite?: boolean
  /** parameters to start from instead of drawing them from `key` */
  readonly params?: TrainState['params']
}

/** @category model */
export interface TrainOutcome {
  readonly state: TrainState
  /** traces on the probe batch after 0 .. steps updates (their `step` is the number of updates) */
  readonly traces: ReadonlyArray<StepTrace>
  /** steps whose loss or gradients were not finite (their update was dropped) */
  readonly nonFiniteSteps: number
  /** the first of them, or null */
  readonly firstNonFinite: number | null
}

/**
 * Keyed minibatch training (epochs of a keyed permutation, the last partial
 * batch dropped) with the step's trace off; at the recorded steps, a full
 * 'norms' trace of the current parameters on the fixed probe batch.
 *
 * @category utils
 */
export const trainAndTrace = (s: TrainSpec): E.Either<GradtraceError, TrainOutcome> => {
  const s0 = init(s.model, s.optimizer, s.key)
  if (E.isLeft(s0)) return s0
  let state: TrainState = s.params ? { ...s0.right, params: s.params } : s0.right
  const run = step(s.model, s.optimizer, { trace: 'off' })
  const want = new Set(recordSteps(s.steps, s.records ?? 40))
  const traces: StepTrace[] = []
  const record = (n: number): GradtraceError | null => {
    const r = s.model.valueAndGrad(state.params, s.probe, { trace: 'norms' })
    if (E.isLeft(r)) return r.left
    traces.push({ ...r.right.trace, step: n })
    return null
  }
  const N = s.data.x.shape[0] ?? 0
  const per = Math.max(1, Math.floor(N / s.batchSize))
  let order: Int32Array = new Int32Array(0)
  let bad = 0
  let firstBad: number | null = null
  const e0 = record(0)
  if (e0) return E.left(e0)
  for (let n = 1; n <= s.steps; n++) {
    const b = (n - 1) % per
    if (b === 0) order = permutation(foldIn(state.key, 0x5eed0000 + Math.floor((n - 1) / per) + 1), N)
    const r = run(state, take(s.data, order.subarray(b * s.batchSize, (b + 1) * s.batchSize)))
    if (E.isLeft(r)) return r
    state = r.right[0]
    if (r.right[1].nonFinite > 0) {
      bad++
      firstBad ??= n
      if (s.stopOnNonFinite) {
        traces.push({ ...r.right[1], step: n })
        break
      }
    }
    if (want.has(n)) {
      const e = record(n)
      if (e) return E.left(e)
    }
  }
  return E.right({ state, traces, nonFiniteSteps: bad, firstNonFinite: firstBad })
}

/** Fraction of `d` classified correctly, and the mean cross-entropy, by the parameters. @category utils */
export const evaluate = (model: Model, params: TrainState['params'], d: Data): E.Either<GradtraceError, { readonly accuracy: number; readonly loss: number }> =>
  E.map((out: { data: ArrayLike<number> }) => {
    const y = d.y as Int32Array
    const C = 10
    let right = 0
    let loss = 0
    for (let i = 0; i < y.length; i++) {
      let best = 0
      let mx = -Infinity
      for (let c = 0; c < C; c++) {
        const v = out.data[i * C + c]!
        if (v > mx) (mx = v), (best = c)
      }
      let se = 0
      for (let c = 0; c < C; c++) se += Math.exp(out.data[i * C + c]! - mx)
      loss += Math.log(se) + mx - out.data[i * C + y[i]!]!
      right += best === y[i] ? 1 : 0
    }
    return { accuracy: right / y.length, loss: loss / y.length }
  })(model.apply(params, d.x))

/** Lets the event loop run (progress output) between long synchronous runs. @category utils */
export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** Number formatting for paragraphs and tables: 3 significant digits, exponent outside [1e-3, 1e4). @category utils */
export const fmtNum = (x: number, digits = 3): string =>
  !Number.isFinite(x) ? String(x) : x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4) ? x.toExponential(digits - 1) : x.toPrecision(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1')

/** Percent with one decimal. @category utils */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** Thins a list evenly to at most `n` items, keeping the first and the last. @category utils */
export const thin = <A>(xs: ReadonlyArray<A>, n: number): ReadonlyArray<A> =>
  xs.length <= n ? xs : Array.from({ length: n }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (n - 1))]!)

// -------------------------------------------------------------------------------------
// the experiment
// -------------------------------------------------------------------------------------

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
  readonly conditions: ReadonlyArray<GlorotCondition>
  readonly onProgress?: RunOptions['onProgress']
}

/** Full mode: 5 x 64, batch 10, 12 epochs, lr from {0.1, 0.3, 1}. @category utils */
export const glorotFull: GlorotOptions = { width: 64, depth: 5, batchSize: 10, epochs: 12, lrs: [0.1, 0.3, 1], validation: 0.2, probe: 300, records: 40, conditions: glorotConditions }
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
      if (E.isLeft(ev)) return ev
      if (E.isLeft(te)) return te
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
        trainLoss: ts[ts.length - 1]!.loss,
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
      `At initialisation the error signal ‖dL/dz‖ of tanh + classic U[±1/√n] shrinks toward the input: hidden layer 1 gets ${fmtNum(tc.firstToTop)} of the top hidden layer's, a ${fmtNum(tc.spread)}× spread over ${depth} layers, while tanh + Glorot keeps it within ${fmtNum(tg.spread)}× (layer 1 / top = ${fmtNum(tg.firstToTop)}).`,
    )
  if (sig) {
    const m = meanAct(sig)
    const top = m[depth - 1]!
    const end = top.length - 1
    const lowest = Math.min(...top.filter(Number.isFinite))
    parts.push(
      `Sigmoid + classic loses far more (layer 1 / top = ${fmtNum(sig.firstToTop)}), and in training its top hidden layer is driven toward 0, as in the paper: its mean activation goes from ${fmtNum(top[0]!)} to ${fmtNum(lowest)}, while layer 1 stays at ${fmtNum(m[0]![end]!)}; its saturated fraction (σ < 0.01 or > 0.99) reaches ${pct(maxOf(sig.saturation[depth - 1]!))}, and the loss ends at ${fmtNum(sig.trainLoss)} (ln 10 = 2.303 is chance).`,
    )
  }
  if (tc && tg) {
    const endSat = (r: GlorotRow) => r.saturation.map((s) => s[s.length - 1]!)
    const shape = (xs: ReadonlyArray<number>) =>
      maxOf(xs) < 0.01 ? 'hardly any saturated unit' : xs[0]! > xs[xs.length - 1]! ? 'more in the lower layers (the sequential saturation from layer 1 up that the paper saw)' : 'no more in the lower layers than in the top one'
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
  // what diagnose says at initialisation and after training; 'healthy' notes are left out
  const findings: Finding[] = rows.flatMap((r) => [
    ...diagnose([r.traces[0]!]).filter((f) => f.kind !== 'healthy').map((f) => ({ ...f, title: `${r.label} at initialisation: ${f.title}` })),
    ...diagnose([r.traces[r.traces.length - 1]!]).filter((f) => f.kind !== 'healthy').map((f) => ({ ...f, title: `${r.label} after training: ${f.title}` })),
  ])
  return {
    id: 'glorot',
    title: glorotTitle,
    paragraph: parts.join(' '),
    svgs,
    table,
    findings,
    runs: rows.map((r): Run => ({ label: `${r.label} (lr ${r.lr})`, traces: r.traces })),
  }
}

const glorotTitle = 'Saturation and the normalised initialisation (Glorot & Bengio 2010)'

/**
 * The experiment: full mode trains 5 conditions × 3 learning rates (about
 * 20 s on one core); quick mode one epoch at one learning rate.
 *
 * @category experiments
 */
export const glorotExperiment: Experiment = {
  id: 'glorot',
  title: glorotTitle,
  weight: 20,
  run: async (ro) => {
    const o = { ...(ro.quick ? glorotQuick : glorotFull), ...(ro.onProgress ? { onProgress: ro.onProgress } : {}) }
    const rows = await runGlorot(o)
    if (E.isLeft(rows)) throw new Error(show(rows.left))
    return glorotResult(rows.right, o)
  },
}
