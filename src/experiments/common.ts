/**
 * What the digits experiments share: the data (digits, split 80/20 with a
 * fixed seed, standardised with the training part's moments), a training loop
 * that records traces on a fixed probe batch at chosen steps, evaluation, and
 * small formatting helpers.
 *
 * @example
 * import { digitsData } from './common'
 * const d = digitsData() // { train, test } as model data
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, show } from '../core/Error'
import { foldIn, type Key, key } from '../core/Key'
import { permutation } from '../core/shuffle'
import { unsafeTensor } from '../core/Tensor'
import { digits, moments, standardizeWith, trainTestSplit } from '../data/digits'
import type { GradientTransformation } from '../optim/Transform'
import { type Batch, type Model } from '../plan/compile'
import { diagnose, type Finding } from '../trace/analysis'
import type { StepTrace } from '../trace/Trace'
import type { Experiment, ExperimentResult, RunOptions } from './Experiment'
import { type Data, take } from '../train/fit'
import { init, step, type TrainState } from '../train/step'

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
  /** draws the parameters and the shuffling order */
  readonly key: Key
  readonly data: Data
  /** traces are gradient evaluations on this fixed batch (no update), after 0, 1, ... updates */
  readonly probe: Batch
  readonly steps: number
  readonly batchSize: number
  /** how many traces to record (default 40; fewer when the run is short or stops) */
  readonly records?: number
  /** end the run at the first step with a non-finite loss or gradient (default false: drop its update and go on) */
  readonly stopOnNonFinite?: boolean
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
  let state: TrainState = s0.right
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

/** A key of `figures`: the parts joined by '_', anything but letters, digits and '.' dropped ('tanh + layerNorm', 'ratio' -> 'tanh_layerNorm_ratio'). @category utils */
export const figureKey = (...parts: ReadonlyArray<string | number>): string =>
  parts.map((p) => String(p).replace(/[^A-Za-z0-9.]+/g, ' ').trim().replace(/ +/g, '_')).filter((p) => p !== '').join('_')

/** Percent with one decimal. @category utils */
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`

/** Thins a list evenly to at most `n` items, keeping the first and the last. @category utils */
export const thin = <A>(xs: ReadonlyArray<A>, n: number): ReadonlyArray<A> =>
  xs.length <= n ? xs : Array.from({ length: n }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (n - 1))]!)

// -------------------------------------------------------------------------------------
// the experiment
// -------------------------------------------------------------------------------------

/** The findings of `diagnose` on each run's first and last trace, titled by run and moment (healthy ones left out). */
export const initAndEndFindings = (runs: ReadonlyArray<{ readonly label: string; readonly traces: ReadonlyArray<StepTrace> }>): ReadonlyArray<Finding> =>
  runs.flatMap((r) => [
    ...diagnose([r.traces[0]!]).filter((f) => f.kind !== 'healthy').map((f) => ({ ...f, title: `${r.label} at initialisation: ${f.title}` })),
    ...diagnose([r.traces[r.traces.length - 1]!]).filter((f) => f.kind !== 'healthy').map((f) => ({ ...f, title: `${r.label} after training: ${f.title}` })),
  ])

/**
 * An experiment from its parts: quick and full options, a runner and the
 * section builder. The options get the run's progress callback; a failed run
 * is a defect here (fixed data and settings), thrown with its message.
 */
export const experiment = <O extends { readonly onProgress?: RunOptions['onProgress'] }, R>(
  head: Pick<Experiment, 'id' | 'title' | 'weight'>,
  modes: { readonly quick: O; readonly full: O },
  run: (o: O) => Promise<E.Either<GradtraceError, R>>,
  result: (r: R, o: O) => ExperimentResult,
): Experiment => ({
  ...head,
  run: async (ro) => {
    const o: O = { ...(ro.quick ? modes.quick : modes.full), ...(ro.onProgress ? { onProgress: ro.onProgress } : {}) }
    const r = await run(o)
    if (E.isLeft(r)) throw new Error(show(r.left))
    return result(r.right, o)
  },
})
