/**
 * Running the labelled suite: each case trained by `Train.fit` as a user
 * would, every step's trace kept (level 'norms'), the held-out loss measured
 * a dozen times along the run, and `diagnose` given all of it. The scores
 * come from ./score.ts; `npm run diagnose-suite` (scripts/diagnose-suite.mjs)
 * runs every case and writes bench/diagnose-suite.json.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { suite } from './cases'
 * import { runCase } from './run'
 * const r = await runCase(suite.find((c) => c.name === 'mlp-sgd-lr-1e-7')!) // a run that learns nothing
 * assert.ok(E.isRight(r))
 * assert.ok(r.right.found.includes('stalled'))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import { permutation } from '../core/shuffle'
import * as Data from '../data/index'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Trace from '../trace/index'
import * as Train from '../train/index'
import type { CaseData, SuiteCase } from './cases'
import { type Outcome, score, type Scores } from './score'

/** One run of the suite: what it was built to show, what `diagnose` found, and how long it took. @category model */
export interface CaseRun extends Outcome {
  readonly family: SuiteCase['family']
  readonly findings: ReadonlyArray<Pick<Trace.Finding, 'kind' | 'title' | 'evidence'>>
  /** what `diagnose` read of the curves: the loss's drop and swing, the update ratio, the gradient norm's growth, the held-out loss at its best and last */
  readonly measures: Readonly<Record<string, number>>
  readonly steps: number
  readonly seconds: number
}

interface Split {
  readonly train: Train.Data
  readonly validation: Train.Data
  readonly input: ReadonlyArray<number>
  readonly loss: 'softmaxCrossEntropy' | 'mse'
}

/** Rows of the standardised digits (in a fixed shuffled order), times `scale`, as 64 features or 8 steps of 8. */
const digitRows = (d: Extract<CaseData, { kind: 'digits' }>): Split => {
  const ds = Data.Dataset.standardize(Data.Digits.digits())
  const order = permutation(Key.key(15), Data.Dataset.size(ds))
  const shape = d.asSequence ? [8, 8] : [64]
  const pick = (from: number, n: number): Train.Data => {
    const b = Data.Dataset.batch(ds, order.subarray(from, from + n))
    const x = d.scale === undefined ? b.x : b.x.map((v) => v * d.scale!)
    return { x: { shape: [n, ...shape], data: x }, y: b.y as Int32Array }
  }
  return { train: pick(0, d.rows), validation: pick(d.rows, d.validation), input: shape, loss: 'softmaxCrossEntropy' }
}

const addingRows = (d: Extract<CaseData, { kind: 'adding' }>): E.Either<Err.GradtraceError, Split> => {
  const asBatch = (t: Data.Sequence.SequenceTask): Train.Data => Layer.Seq.toBatch(t.batch(0))
  const set = (n: number, seed: number) => E.map(asBatch)(Data.Adding.adding({ T: d.T, batchSize: n, seed }))
  const train = set(d.rows, 3)
  const validation = set(d.validation, 7919)
  if (E.isLeft(train)) return train
  if (E.isLeft(validation)) return validation
  return E.right({ train: train.right, validation: validation.right, input: [d.T, 2], loss: 'mse' })
}

/** The training and held-out data of a case. @category utils */
export const dataOf = (d: CaseData): E.Either<Err.GradtraceError, Split> => (d.kind === 'digits' ? E.right(digitRows(d)) : addingRows(d))

interface Trained {
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly validation: ReadonlyArray<Trace.LossPoint>
}

/** `steps` steps of `Train.fit` (non-finite steps skipped, as fit's 'skip' policy does), every trace, and the held-out loss 12 times. */
const train = async (c: SuiteCase, m: Model.Model, split: Split): Promise<E.Either<Err.GradtraceError, Trained>> => {
  const s0 = Train.init(m, c.optimizer, Key.key(c.seed))
  if (E.isLeft(s0)) return s0
  const perEpoch = Math.floor(split.train.x.shape[0]! / c.batch)
  const every = Math.max(1, Math.round(c.steps / 12))
  const traces: Trace.StepTrace[] = []
  const validation: Trace.LossPoint[] = []
  const opts = { epochs: Math.ceil(c.steps / perEpoch), batchSize: c.batch, onNonFinite: 'skip' as const }
  for await (const p of Train.fit(m, c.optimizer, s0.right, split.train, opts)) {
    if (p.error) return E.left(p.error)
    traces.push(p.trace)
    if (p.step % every === 0) {
      const v = m.valueAndGrad(p.state.params, split.validation, { trace: 'off' })
      if (E.isLeft(v)) return v
      validation.push({ step: p.step, loss: v.right.loss })
    }
    if (p.step >= c.steps) break
  }
  return E.right({ traces, validation })
}

const measuresOf = (r: Trained): Readonly<Record<string, number>> => {
  const losses = Trace.lossCurve(r.traces).map((p) => p.loss)
  const v = r.validation.map((p) => p.loss).filter((x) => Number.isFinite(x))
  const round = (x: number): number => Number(x.toPrecision(3))
  return Object.fromEntries(
    Object.entries({
      drop: Trace.lossDrop(losses),
      swing: Trace.swing(losses),
      updateRatio: Trace.updateRatio(r.traces),
      normGrowth: Trace.normGrowth(r.traces).growth,
      heldOutBest: Math.min(...v),
      heldOutBestStep: r.validation.reduce((a, b) => (b.loss < a.loss ? b : a), { step: NaN, loss: Infinity }).step,
      heldOutLast: v[v.length - 1] ?? NaN,
      trainLast: losses.slice(-10).reduce((a, b) => a + b, 0) / Math.min(10, losses.length),
    }).map(([k, x]) => [k, round(x)]),
  )
}

/** Trains one case and diagnoses it. @category utils */
export const runCase = async (c: SuiteCase): Promise<E.Either<Err.GradtraceError, CaseRun>> => {
  const t0 = performance.now()
  const split = dataOf(c.data)
  if (E.isLeft(split)) return split
  const m = Model.compile(c.net, { input: split.right.input, loss: split.right.loss, trace: 'norms' })
  if (E.isLeft(m)) return m
  const run = await train(c, m.right, split.right)
  if (E.isLeft(run)) return run
  const findings = Trace.diagnose(run.right.traces, { validation: run.right.validation })
  return E.right({
    name: c.name,
    family: c.family,
    expect: c.expect,
    ...(c.alsoRight ? { alsoRight: c.alsoRight } : {}),
    found: [...new Set(findings.map((f) => f.kind))],
    findings: findings.map((f) => ({ kind: f.kind, title: f.title, evidence: f.evidence })),
    measures: measuresOf(run.right),
    steps: run.right.traces.length,
    seconds: (performance.now() - t0) / 1000,
  })
}

/** Runs cases one after another (`onRun` hears of each) and scores them. @category utils */
export const runSuite = async (
  cases: ReadonlyArray<SuiteCase>,
  onRun: (r: CaseRun) => void = () => undefined,
): Promise<E.Either<Err.GradtraceError, { readonly runs: ReadonlyArray<CaseRun>; readonly scores: Scores }>> => {
  const runs: CaseRun[] = []
  for (const c of cases) {
    const r = await runCase(c)
    if (E.isLeft(r)) return r
    runs.push(r.right)
    onRun(r.right)
  }
  return E.right({ runs, scores: score(runs) })
}
