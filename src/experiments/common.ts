/**
 * What the digits experiments share, written on the public API as a user
 * would write it: the data (`Data.Digits`, split 80/20 with a fixed seed,
 * standardised with the training part's moments), training by `Train.fit`
 * with traces of a fixed probe batch at chosen steps, evaluation through
 * `Model.apply`, and small formatting helpers.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { digitsData, figureKey, fmtNum, recordSteps, thin } from './common'
 * const d = digitsData(0.2)
 * assert.deepStrictEqual([d.train.x.shape, d.test.x.shape], [[1438, 64], [359, 64]])
 * assert.strictEqual(d.fit!.x.shape[0]! + d.val!.x.shape[0]!, 1438) // the training part split again
 * assert.deepStrictEqual(recordSteps(100, 5), [0, 6, 25, 56, 100]) // denser early
 * assert.deepStrictEqual(thin([1, 2, 3, 4, 5, 6, 7], 3), [1, 4, 7])
 * assert.strictEqual(fmtNum(0.000123456), '1.23e-4')
 * assert.strictEqual(figureKey('tanh + layerNorm', 'ratio'), 'tanh_layerNorm_ratio')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Err from '../core/Error'
import type * as Key from '../core/Key'
import type * as Params from '../core/Params'
import * as Tensor from '../core/Tensor'
import * as Data from '../data/index'
import type * as Model from '../model/compile'
import type * as Layer from '../model/layers'
import type * as Optim from '../optim/index'
import * as Report from '../report/index'
import * as Trace from '../trace/index'
import * as Train from '../train/index'
import type { Experiment, ExperimentResult, Run, RunOptions } from './Experiment'

// -------------------------------------------------------------------------------------
// data
// -------------------------------------------------------------------------------------

/** An activation's name, as `Layer.dense(n, { activation })` takes it. @category model */
export type ActName = Layer.ActivationSpec['fn']

/** The digits split of the training experiments. @category model */
export interface DigitsData {
  /** the training part (80%), standardised with its own moments */
  readonly train: Train.Data
  /** the test part (20%), standardised with the training moments */
  readonly test: Train.Data
}

const asData = (ds: Data.Dataset.Dataset): Train.Data => ({ x: Tensor.unsafeTensor([ds.y.length, ...ds.shape], ds.x), y: ds.y as Int32Array })

/** a fixed, valid split of data we ship: a defect if it fails */
const split = (ds: Data.Dataset.Dataset, seed: number, fraction: number): { readonly train: Data.Dataset.Dataset; readonly test: Data.Dataset.Dataset } => {
  const parts = Data.Dataset.trainTestSplit(ds, seed, fraction)
  if (E.isLeft(parts)) throw new Error(Err.show(parts.left))
  return parts.right
}

/**
 * Digits, split 80/20 with the fixed seed 0 and standardised with the moments
 * of the training part. With `validation`, the training part is split again
 * (seed 1) into `fit` and `val` (that fraction of it).
 *
 * @category utils
 */
export const digitsData = (validation?: number): DigitsData & { readonly fit?: Train.Data; readonly val?: Train.Data } => {
  const parts = split(Data.Digits.digits(), 0, 0.2)
  const st = Data.Dataset.standardizeWith(Data.Dataset.moments(parts.train))
  const train = st(parts.train)
  const out = { train: asData(train), test: asData(st(parts.test)) }
  if (validation === undefined) return out
  const inner = split(train, 1, validation)
  return { ...out, fit: asData(inner.train), val: asData(inner.test) }
}

/** The first `n` examples of a data set, as a batch (a fixed probe batch). @category utils */
export const headBatch = (d: Train.Data, n: number): Model.Batch => Train.take(d, Int32Array.from({ length: Math.min(n, d.x.shape[0] ?? 0) }, (_, i) => i))

// -------------------------------------------------------------------------------------
// training with traces of a probe batch
// -------------------------------------------------------------------------------------

/** Steps at which to record a trace: 0, then denser early (quadratic spacing), at most `n` distinct steps, ending at `steps`. @category utils */
export const recordSteps = (steps: number, n: number): ReadonlyArray<number> =>
  [...new Set(Array.from({ length: n }, (_, i) => Math.round(steps * (i / Math.max(1, n - 1)) ** 2)))]

/** @category model */
export interface TrainSpec {
  readonly model: Model.Model
  readonly optimizer: Optim.GradientTransformation
  /** draws the parameters and the shuffling order */
  readonly key: Key.Key
  readonly data: Train.Data
  /** traces are gradient evaluations on this fixed batch (no update), after 0, 1, ... updates */
  readonly probe: Model.Batch
  readonly steps: number
  readonly batchSize: number
  /** how many traces to record (default 40; fewer when the run is short or stops) */
  readonly records?: number
  /** end the run at the first step with a non-finite loss or gradient (default false: drop its update and go on) */
  readonly stopOnNonFinite?: boolean
}

/** @category model */
export interface TrainOutcome {
  readonly state: Train.TrainState
  /** traces on the probe batch after 0 .. steps updates (their `step` is the number of updates) */
  readonly traces: ReadonlyArray<Trace.StepTrace>
  /** steps whose loss or gradients were not finite (their update was dropped) */
  readonly nonFiniteSteps: number
  /** the first of them, or null */
  readonly firstNonFinite: number | null
}

/** A full 'norms' trace of the state's parameters on the probe batch, numbered by the updates so far. */
const probeTrace = (s: TrainSpec, state: Train.TrainState): E.Either<Err.GradtraceError, Trace.StepTrace> =>
  E.map((r: Model.ValueAndGrad) => ({ ...r.trace, step: state.step }))(s.model.valueAndGrad(state.params, s.probe, { trace: 'norms' }))

/** The `Train.fit` options of a run of `steps` steps: whole epochs enough to hold them (the run stops at `steps`). */
const fitOptions = (s: TrainSpec): Train.FitOptions => ({
  epochs: Math.ceil(s.steps / Math.max(1, Math.floor((s.data.x.shape[0] ?? 0) / s.batchSize))),
  batchSize: s.batchSize,
  trace: 'off',
  onNonFinite: s.stopOnNonFinite ? 'stop' : 'skip',
})

/**
 * `Train.fit` for `steps` steps (keyed shuffling, the last partial batch of
 * each epoch dropped) with the step's trace off; at the recorded steps, a full
 * 'norms' trace of the current parameters on the fixed probe batch.
 *
 * @category utils
 */
export const trainAndTrace = async (s: TrainSpec): Promise<E.Either<Err.GradtraceError, TrainOutcome>> => {
  const s0 = Train.init(s.model, s.optimizer, s.key)
  if (E.isLeft(s0)) return s0
  const first = probeTrace(s, s0.right)
  if (E.isLeft(first)) return first
  const want = new Set(recordSteps(s.steps, s.records ?? 40))
  const traces = [first.right]
  let state = s0.right
  let firstNonFinite: number | null = null
  let nonFiniteSteps = 0
  for await (const p of Train.fit(s.model, s.optimizer, s0.right, s.data, fitOptions(s))) {
    if (p.error) return E.left(p.error)
    state = p.state
    if (p.trace.nonFinite > 0) {
      nonFiniteSteps++
      firstNonFinite ??= p.step
      if (s.stopOnNonFinite) {
        traces.push({ ...p.trace, step: p.step }) // the step's own trace; fit ends the run after it
        break
      }
    }
    if (want.has(p.step)) {
      const t = probeTrace(s, state)
      if (E.isLeft(t)) return t
      traces.push(t.right)
    }
    if (p.step >= s.steps) break
  }
  return E.right({ state, traces, nonFiniteSteps, firstNonFinite })
}

// -------------------------------------------------------------------------------------
// evaluation
// -------------------------------------------------------------------------------------

/** Fraction classified correctly, and mean softmax cross-entropy. @category model */
export interface Score {
  readonly accuracy: number
  readonly loss: number
}

/** Accuracy and mean softmax cross-entropy of logits (N, C) against labels (N); C is the logits' last dimension. */
const scoreLogits = (logits: Tensor.Tensor, y: Int32Array): Score => {
  const C = logits.shape[logits.shape.length - 1] ?? 1
  const z = logits.data
  let right = 0
  let loss = 0
  for (let i = 0; i < y.length; i++) {
    const row = z.subarray(i * C, (i + 1) * C)
    let best = 0
    let mx = -Infinity
    for (let c = 0; c < C; c++)
      if (row[c]! > mx) {
        mx = row[c]!
        best = c
      }
    let se = 0
    for (let c = 0; c < C; c++) se += Math.exp(row[c]! - mx)
    loss += Math.log(se) + mx - row[y[i]!]!
    right += best === y[i] ? 1 : 0
  }
  return { accuracy: right / y.length, loss: loss / y.length }
}

/**
 * Fraction of `d` classified correctly, and the mean cross-entropy, by the
 * parameters (for a classifier: `d.y` holds labels; any number of classes),
 * with the training state's running statistics when the net has batch norm.
 *
 * @category utils
 */
export const evaluate = (model: Model.Model, params: Params.Params, d: Train.Data, state?: Params.Params): E.Either<Err.GradtraceError, Score> => {
  const y = d.y
  if (!(y instanceof Int32Array)) return E.left(Err.invalidArgument('data.y', 'must hold class labels (an Int32Array) to score a classifier'))
  return E.map((logits: Tensor.Tensor) => scoreLogits(logits, y))(model.apply(params, d.x, state ? { state } : {}))
}

// -------------------------------------------------------------------------------------
// formatting
// -------------------------------------------------------------------------------------

/** Lets the event loop run (progress output) between long synchronous runs. @category utils */
export const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0))

/** Number formatting for paragraphs and tables: 3 significant digits, exponent outside [1e-3, 1e4). @category utils */
export const fmtNum = (x: number, digits = 3): string => {
  if (!Number.isFinite(x)) return String(x)
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4)) return x.toExponential(digits - 1)
  return x.toPrecision(digits).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1')
}

/**
 * A key of `figures`: the parts joined by '_', anything but letters, digits
 * and '.' dropped ('tanh + layerNorm', 'ratio' -> 'tanh_layerNorm_ratio').
 *
 * @category utils
 */
export const figureKey = (...parts: ReadonlyArray<string | number>): string =>
  parts.map((p) => String(p).replace(/[^A-Za-z0-9.]+/g, ' ').trim().replace(/ +/g, '_')).filter((p) => p !== '').join('_')

/** Percent with one decimal. @category utils */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** Thins a list evenly to at most `n` items, keeping the first and the last. @category utils */
export const thin = <A>(xs: ReadonlyArray<A>, n: number): ReadonlyArray<A> =>
  xs.length <= n ? xs : Array.from({ length: n }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (n - 1))]!)

/** Mean of a list (0 for none). @category utils */
export const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)

// -------------------------------------------------------------------------------------
// charts
// -------------------------------------------------------------------------------------

/** The chance loss of ten classes, as a chart's reference line. @category constants */
export const chanceRef = { y: Math.LN10, label: 'chance: ln 10 = 2.30' } as const

/**
 * The loss on the probe batch at each recorded step, one line per run, on a
 * log scale with chance (ln 10) marked; non-finite points and the trace of a
 * step that stopped a run (it has no layers) are left out.
 *
 * @category utils
 */
export const lossChart = (runs: ReadonlyArray<Pick<Run, 'label' | 'traces'>>, title: string, probe: number): string => {
  const points = (ts: ReadonlyArray<Trace.StepTrace>) => ts.filter((t) => Number.isFinite(t.loss) && t.layers.length > 0).map((t) => ({ x: t.step, y: t.loss }))
  const opts = { title, xLabel: 'step', yLabel: `cross-entropy on ${probe} training digits`, yScale: 'log', refs: [chanceRef] } as const
  return Report.lineChart(runs.map((r) => ({ label: r.label, points: points(r.traces) })), opts)
}

// -------------------------------------------------------------------------------------
// findings and the experiment
// -------------------------------------------------------------------------------------

/** The findings of `diagnose` on a run's trace that are not 'healthy', titled by the run and the moment. */
const findingsAt = (label: string, moment: string, t: Trace.StepTrace): ReadonlyArray<Trace.Finding> =>
  Trace.diagnose([t])
    .filter((f) => f.kind !== 'healthy')
    .map((f) => ({ ...f, title: `${label} ${moment}: ${f.title}` }))

/** The findings of `diagnose` on each run's first and last trace, titled by run and moment (healthy ones left out). @category utils */
export const initAndEndFindings = (runs: ReadonlyArray<Pick<Run, 'label' | 'traces'>>): ReadonlyArray<Trace.Finding> =>
  runs.flatMap((r) => [...findingsAt(r.label, 'at initialisation', r.traces[0]!), ...findingsAt(r.label, 'after training', r.traces[r.traces.length - 1]!)])

/**
 * An experiment from its parts: quick and full options, a runner and the
 * section builder. The options get the run's progress callback; a failed run
 * is a defect here (fixed data and settings), thrown with its message.
 *
 * @category constructors
 */
export const experiment = <O extends { readonly onProgress?: RunOptions['onProgress'] }, R>(
  head: Pick<Experiment, 'id' | 'title' | 'weight'>,
  modes: { readonly quick: O; readonly full: O },
  run: (o: O) => Promise<E.Either<Err.GradtraceError, R>>,
  result: (r: R, o: O) => Omit<ExperimentResult, 'id' | 'title'>,
): Experiment => ({
  ...head,
  run: async (ro) => {
    const o: O = { ...(ro.quick ? modes.quick : modes.full), ...(ro.onProgress ? { onProgress: ro.onProgress } : {}) }
    const r = await run(o)
    if (E.isLeft(r)) throw new Error(Err.show(r.left))
    return { id: head.id, title: head.title, ...result(r.right, o) }
  },
})
