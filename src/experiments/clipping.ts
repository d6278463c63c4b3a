/**
 * Exploding gradients and clipping (docs/experiments.md, E9; Pascanu, Mikolov &
 * Bengio 2013): a tanh RNN whose recurrent weights are an orthogonal matrix
 * scaled to spectral radius 1.5, on the adding problem (T = 50), trained by
 * plain SGD with and without clipByGlobalNorm(1). Without clipping the global
 * gradient norm spikes by orders of magnitude and the run turns non-finite;
 * with clipping the same run stays finite, and the trace shows the norm
 * before and after the clip at every step.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { clippingExperiment } from './clipping'
 * const r = await clippingExperiment.run({ quick: true }) // 60 steps with and without clipping (under 1 s)
 * assert.ok(r.figures['decayAtInit']! > 0) // ρ = 1.5: the error signal grows going back in time
 * assert.ok(r.figures['clip_maxNorm']! > 1) // the norm before the clip; after it, at most 1
 * assert.strictEqual(r.table.rows.length, 2)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Data from '../data/index'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import * as Report from '../report/index'
import * as Trace from '../trace/index'
import * as Train from '../train/index'
import { experiment, figureKey } from './common'
import type { Experiment, Run, RunOptions } from './Experiment'

const T = 50
const RHO = 1.5
const LR = 0.2
const B = 32

/** The training steps of each run (60 in quick mode, 300 in full mode). */
interface Options {
  readonly steps: number
  readonly onProgress?: RunOptions['onProgress']
}

type Traces = ReadonlyArray<Trace.StepTrace>

interface Outcome {
  readonly label: string
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly firstNonFinite: number | null
  readonly maxNorm: number
  readonly medianNorm: number
  readonly finalLoss: number
}

/** The training set: `steps × 32` sequences of the task (the batches 0 .. steps-1 it would stream), each seen once. */
const trainingSet = (steps: number): E.Either<Err.GradtraceError, Train.Data> =>
  E.map((task: Data.Sequence.SequenceTask) => Layer.Seq.toBatch(task.batch(0)))(Data.Adding.adding({ T, batchSize: steps * B, seed: 3 }))

/** Every step's trace (level 'norms') of one epoch of `Train.fit`, up to the first non-finite step, where fit ends the run. */
const stepTraces = async (clip: boolean, data: Train.Data, onStep: (done: number) => void): Promise<E.Either<Err.GradtraceError, Traces>> => {
  const net = Layer.serial(Layer.rnn(32, { recurrentInit: Layer.init.orthogonal(RHO) }), Layer.dense(1))
  const m = Model.compile(net, { input: [T, 2], loss: 'mse', trace: 'norms' })
  if (E.isLeft(m)) return m
  const opt: Optim.GradientTransformation = clip ? Optim.chain(Optim.clipByGlobalNorm(1), Optim.sgd(LR)) : Optim.sgd(LR)
  const s0 = Train.init(m.right, opt, Key.key(0))
  if (E.isLeft(s0)) return s0
  const traces: Trace.StepTrace[] = []
  for await (const p of Train.fit(m.right, opt, s0.right, data, { epochs: 1, batchSize: B, onNonFinite: 'stop' })) {
    if (p.error) return E.left(p.error)
    traces.push(p.trace)
    onStep(p.step)
  }
  return E.right(traces)
}

/** The measures of one run: the norms before the clip, where it turned non-finite, and the loss at the end. */
const outcome = (clip: boolean, traces: ReadonlyArray<Trace.StepTrace>): Outcome => {
  const norms = traces.map((t) => t.gradNorm).filter((n) => Number.isFinite(n) && n > 0).sort((a, b) => a - b)
  const finite = traces.filter((t) => Number.isFinite(t.loss))
  const tail = finite.slice(-Math.max(1, Math.floor(finite.length / 6)))
  const firstNonFinite = traces.find((t) => t.nonFinite > 0)?.step ?? null
  return {
    label: clip ? 'SGD + clipByGlobalNorm(1)' : 'SGD, no clipping',
    traces,
    firstNonFinite,
    maxNorm: norms[norms.length - 1] ?? NaN,
    medianNorm: norms[Math.floor(norms.length / 2)] ?? NaN,
    finalLoss: firstNonFinite !== null ? NaN : tail.reduce((a, t) => a + t.loss, 0) / tail.length,
  }
}

/** Plain SGD, then SGD with clipping, on the same sequences from the same initial parameters. */
const runBoth = async (o: Options): Promise<E.Either<Err.GradtraceError, readonly [Outcome, Outcome]>> => {
  const data = trainingSet(o.steps)
  if (E.isLeft(data)) return data
  const out: Outcome[] = []
  for (const [k, clip] of [false, true].entries()) {
    const r = await stepTraces(clip, data.right, (i) => o.onProgress?.((k + i / o.steps) / 2, clip ? 'with clipping' : 'without clipping'))
    if (E.isLeft(r)) return r
    out.push(outcome(clip, r.right))
  }
  return E.right([out[0]!, out[1]!] as const)
}

const e = (x: number): string => (Number.isFinite(x) ? x.toExponential(1) : String(x))
const lossText = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'NaN')
const thin = (ts: ReadonlyArray<Trace.StepTrace>, n: number): ReadonlyArray<Trace.StepTrace> =>
  ts.filter((_, i) => i % Math.max(1, Math.ceil(ts.length / n)) === 0 || i === ts.length - 1)

/** The clipped run's recurrent layer at its first step: ||dL/dh_t|| at initialisation. */
const initLayer = (clipped: Outcome): Trace.LayerTrace => clipped.traces[0]!.layers.find((l) => l.time)!

/** The pictures: the global norm per step, the loss, and ||dL/dh_t|| at initialisation. */
const charts = ([plain, clipped]: readonly [Outcome, Outcome]): ReadonlyArray<string> => {
  const norms = (ts: ReadonlyArray<Trace.StepTrace>, which: 'gradNorm' | 'gradNormClipped') => ts.map((t) => ({ x: t.step, y: t[which] }))
  const normChart = Report.lineChart(
    [
      { label: 'no clipping: ||g||', points: norms(plain.traces, 'gradNorm') },
      { label: 'clipping: ||g|| before the clip', points: norms(clipped.traces, 'gradNorm') },
      { label: 'clipping: ||g|| after the clip', points: norms(clipped.traces, 'gradNormClipped') },
    ],
    {
      title: `Global gradient norm per step (tanh RNN, ρ = ${RHO})`,
      xLabel: 'training step',
      yLabel: '||g||',
      yScale: 'log',
      refs: [{ y: 1, label: 'clip threshold 1' }],
    },
  )
  const finiteLoss = (r: Outcome) => r.traces.filter((t) => Number.isFinite(t.loss)).map((t) => ({ x: t.step, y: t.loss }))
  const lossChart = Report.lineChart(
    [plain, clipped].map((r) => ({ label: r.label, points: finiteLoss(r) })),
    {
      title: `Loss on the adding problem, T = ${T}`,
      xLabel: 'training step',
      yLabel: 'MSE',
      yScale: 'log',
      refs: [{ y: Data.Adding.addingBaselines.constantMse, label: 'predict-1 baseline 1/6' }],
    },
  )
  const ts = Report.timeDecaySeries(initLayer(clipped), 'tanh RNN, ρ = 1.5, at init')
  const decay = ts._tag === 'Some' ? [Report.decayChart([ts.value], { title: '||dL/dh_t|| relative to the last step, at initialisation' })] : []
  return [normChart, lossChart, ...decay]
}

/** The paragraph: growth at initialisation, the unclipped run's norms and divergence, the clipped run's norms and loss. */
const words = ([plain, clipped]: readonly [Outcome, Outcome]): string => {
  const decay = Trace.decadesPer10Steps(initLayer(clipped).time!.gradH)
  return (
    `A tanh RNN with recurrent weights scaled to spectral radius ${RHO} passes the error signal backward ${decay > 0 ? 'with growth' : 'without growth'}: ` +
    `at initialisation ||dL/dh_t|| changes by ${decay.toFixed(2)} decades per 10 steps back in time. ` +
    `Trained by SGD (lr ${LR}) without clipping, the global gradient norm (median ${e(plain.medianNorm)}) reaches ${e(plain.maxNorm)}` +
    (plain.firstNonFinite !== null ? ` and the run turns non-finite at step ${plain.firstNonFinite} — the trace reports it, nothing throws.` : '.') +
    (clipped.firstNonFinite === null
      ? ` With clipByGlobalNorm(1) the same run stays finite for all ${clipped.traces.length} steps: the trace`
      : ` With clipByGlobalNorm(1) the run still turns non-finite, at step ${clipped.firstNonFinite}: the trace`) +
    ` records the norm before the clip (up to ${e(clipped.maxNorm)}) and after it (at most 1), ` +
    `and the loss ends at ${lossText(clipped.finalLoss)} (baseline 1/6 = 0.167).`
  )
}

const figures = (results: readonly [Outcome, Outcome]): Readonly<Record<string, number>> =>
  Object.fromEntries([
    ['decayAtInit', Trace.decadesPer10Steps(initLayer(results[1]).time!.gradH)],
    ...results.flatMap((r, i) => {
      const k = (name: string) => figureKey(i === 0 ? 'noClip' : 'clip', name)
      const always = [[k('steps'), r.traces.length], [k('medianNorm'), r.medianNorm], [k('maxNorm'), r.maxNorm], [k('firstNonFinite'), r.firstNonFinite ?? -1]]
      return [...always, ...(Number.isFinite(r.finalLoss) ? [[k('finalLoss'), r.finalLoss]] : [])]
    }),
  ])

const section = (results: readonly [Outcome, Outcome]) => ({
  paragraph: words(results),
  svgs: charts(results),
  table: {
    head: ['run', 'steps', 'median ||g||', 'max ||g||', 'first non-finite step', 'final loss'],
    rows: results.map((r) => [r.label, String(r.traces.length), e(r.medianNorm), e(r.maxNorm), String(r.firstNonFinite ?? '-'), lossText(r.finalLoss)]),
  },
  findings: Trace.diagnose(results[0].traces),
  runs: results.map((r): Run => ({ label: r.label, traces: thin(r.traces, 60) })),
  figures: figures(results),
})

/** @category experiments */
export const clippingExperiment: Experiment = experiment(
  { id: 'clipping', title: 'Exploding gradients and clipping', weight: 2 }, // weight: seconds in full mode on one core
  { quick: { steps: 60 }, full: { steps: 300 } },
  runBoth,
  section,
)
