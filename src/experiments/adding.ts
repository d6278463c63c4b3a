/**
 * Experiments E7, E10, E11 (docs/experiments.md): the adding problem (Le et al.
 * 2015 form: values U[0, 1], two markers, one in each half, target X1 + X2;
 * predicting 1 scores MSE 1/6). For each cell: the per-time-step decay of
 * dL/dh_t at initialisation (decades per 10 steps, fitted over all t), and
 * training by `Train.fit` within a fixed budget (Adam, clipByGlobalNorm(1),
 * batch 32, each training sequence seen once) scored on 2,560 fresh test
 * sequences; "solved" means test MSE < 0.01.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { addingRun, addingSweep, largestSolved } from './adding'
 * const r = await addingRun('gru', 10, { steps: 20 })
 * assert.ok(E.isRight(r))
 * assert.ok(r.right.decayAtInit < 0) // at initialisation dL/dh_t shrinks going back in time
 * assert.strictEqual(r.right.losses.length, 20) // the training loss every steps / 50 steps (at least every step)
 * const sweep = await addingSweep({ cells: ['rnn'], Ts: [10, 5], steps: 10 })
 * assert.ok(E.isRight(sweep))
 * assert.strictEqual(sweep.right[0]!.T, 5) // ascending T; stops at the first T it does not solve
 * assert.deepStrictEqual(largestSolved(sweep.right), { rnn: null }) // ten steps solve nothing
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import type * as Tensor from '../core/Tensor'
import * as Data from '../data/index'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import * as Trace from '../trace/index'
import * as Train from '../train/index'
import type * as Wasm from '../wasm/index'

/** @category model */
export type CellName = 'rnn' | 'irnn' | 'lstm' | 'lstm1997' | 'gru'

/** @category model */
export interface AddingOptions {
  readonly cells: ReadonlyArray<CellName>
  readonly Ts: ReadonlyArray<number>
  /** training steps per run (default 1500) */
  readonly steps?: number
  readonly batch?: number
  readonly lr?: number
  readonly seed?: number
  /** stop a cell at its first unsolved T (default true) */
  readonly stopAtFirstFailure?: boolean
  readonly runtime?: Wasm.Runtime
  readonly onRun?: (r: AddingRun) => void
  /** called with the steps done and the steps of the run, every `steps / 50` steps of a run (or every step) */
  readonly onStep?: (done: number, total: number) => void
}

/** One training run. @category model */
export interface AddingRun {
  readonly cell: CellName
  readonly T: number
  /** decades per 10 steps of ||dL/dh_t|| at initialisation (negative: vanishing into the past) */
  readonly decayAtInit: number
  /** ||dL/dh_0|| / ||dL/dh_{T-1}|| at initialisation */
  readonly firstToLastAtInit: number
  /** decades per 10 steps after training (the gates learn to carry the signal) */
  readonly decayTrained: number
  readonly testMse: number
  /** the traces at initialisation and after training (level 'norms', on the first training batch) */
  readonly initTrace: Trace.StepTrace
  readonly trainedTrace: Trace.StepTrace
  /** training loss every `steps / 50` steps */
  readonly losses: ReadonlyArray<{ readonly step: number; readonly loss: number }>
  readonly solved: boolean
  readonly seconds: number
}

const cells: Readonly<Record<CellName, () => Layer.LayerSpec>> = {
  rnn: () => Layer.rnn(32),
  irnn: () => Layer.irnn(32),
  lstm: () => Layer.lstm(16),
  lstm1997: () => Layer.lstm(16, { forgetGate: false, inputGateBias: -3 }),
  gru: () => Layer.gru(16),
}

/** The network of a cell: the cell, then dense(1). Sizes: tanh RNN 32, gated cells 16. @category utils */
export const netOf = (c: CellName): Layer.LayerSpec => Layer.serial(cells[c](), Layer.dense(1))

/** Mean squared error on 10 fresh batches of 256 (seed + 7919: sequences the run never trained on). */
const testMse = (m: Model.Model, params: Train.TrainState['params'], T: number, seed: number): E.Either<Err.GradtraceError, number> => {
  const task = Data.Adding.adding({ T, batchSize: 256, seed: seed + 7919 })
  if (E.isLeft(task)) return task
  let sum = 0
  for (let k = 0; k < 10; k++) {
    const b = Layer.Seq.toBatch(task.right.batch(k))
    const y = m.apply(params, b.x)
    if (E.isLeft(y)) return y
    const t = (b.y as Tensor.Tensor).data
    for (let i = 0; i < t.length; i++) sum += (y.right.data[i]! - t[i]!) ** 2
  }
  return E.right(sum / 2560)
}

/**
 * The training set of a run: the sequences of batches 0 .. steps-1 of the
 * task, in one data set (the task numbers its sequences, so a batch of
 * `steps × B` holds exactly the batches of B it would stream).
 */
const trainingSet = (T: number, B: number, steps: number, seed: number): E.Either<Err.GradtraceError, Train.Data> =>
  E.map((task: Data.Sequence.SequenceTask) => Layer.Seq.toBatch(task.batch(0)))(Data.Adding.adding({ T, batchSize: steps * B, seed }))

/** ||dL/dh_t|| per time step of the recurrent layer, from a 'norms' trace. */
const gradH = (t: Trace.StepTrace): ReadonlyArray<number> => t.layers[0]!.time!.gradH

type Loss = { readonly step: number; readonly loss: number }

interface Trained {
  readonly state: Train.TrainState
  readonly losses: ReadonlyArray<Loss>
}

/** What a run trains with. */
interface Setting {
  readonly model: Model.Model
  readonly optimizer: Optim.GradientTransformation
  readonly data: Train.Data
  readonly batch: number
  readonly steps: number
  readonly onStep?: AddingOptions['onStep']
}

/** One epoch of `Train.fit` over the training set (each sequence seen once): the trained state and the loss every `steps / 50` steps. */
const train = async (s0: Train.TrainState, o: Setting): Promise<E.Either<Err.GradtraceError, Trained>> => {
  const every = Math.max(1, Math.floor(o.steps / 50))
  const losses: Loss[] = []
  let state = s0
  for await (const p of Train.fit(o.model, o.optimizer, s0, o.data, { epochs: 1, batchSize: o.batch, trace: 'off', onNonFinite: 'skip', every })) {
    if (p.error) return E.left(p.error)
    state = p.state
    if (p.step % every === 0) losses.push({ step: p.step, loss: p.loss })
    o.onStep?.(p.step, o.steps)
  }
  return E.right({ state, losses })
}

/** The options of one run. @category model */
export type RunSettings = Omit<AddingOptions, 'cells' | 'Ts'>

/** Trains one cell at one T; returns the run. @category constructors */
export const addingRun = async (cell: CellName, T: number, o: RunSettings = {}): Promise<E.Either<Err.GradtraceError, AddingRun>> => {
  const seed = o.seed ?? 1
  const batch = o.batch ?? 32
  const steps = o.steps ?? 1500
  const data = trainingSet(T, batch, steps, seed)
  if (E.isLeft(data)) return data
  const m = Model.compile(netOf(cell), { input: [T, 2], loss: 'mse', trace: 'off', ...(o.runtime ? { runtime: o.runtime } : {}) })
  if (E.isLeft(m)) return m
  const opt = Optim.chain(Optim.clipByGlobalNorm(1), Optim.adam(o.lr ?? 1e-2))
  const s0 = Train.init(m.right, opt, Key.key(seed))
  if (E.isLeft(s0)) return s0
  const probe = Train.take(data.right, Int32Array.from({ length: batch }, (_, i) => i)) // the first batch the stream would give
  const traceOf = (s: Train.TrainState) => E.map((g: Model.ValueAndGrad) => g.trace)(m.right.valueAndGrad(s.params, probe, { trace: 'norms' }))
  const g0 = traceOf(s0.right)
  if (E.isLeft(g0)) return g0
  const t0 = Date.now()
  const r = await train(s0.right, { model: m.right, optimizer: opt, data: data.right, batch, steps, ...(o.onStep ? { onStep: o.onStep } : {}) })
  if (E.isLeft(r)) return r
  const mse = testMse(m.right, r.right.state.params, T, seed)
  if (E.isLeft(mse)) return mse
  const g1 = traceOf(r.right.state)
  if (E.isLeft(g1)) return g1
  const h0 = gradH(g0.right)
  return E.right({
    cell,
    T,
    decayAtInit: Trace.decadesPer10Steps(h0),
    firstToLastAtInit: h0[0]! / h0[h0.length - 1]!,
    decayTrained: Trace.decadesPer10Steps(gradH(g1.right)),
    testMse: mse.right,
    solved: mse.right < 0.01,
    initTrace: g0.right,
    trainedTrace: g1.right,
    losses: r.right.losses,
    seconds: (Date.now() - t0) / 1000,
  })
}

/** Every cell at every T (ascending), stopping a cell at its first failure unless told otherwise. @category constructors */
export const addingSweep = async (o: AddingOptions): Promise<E.Either<Err.GradtraceError, ReadonlyArray<AddingRun>>> => {
  const out: AddingRun[] = []
  for (const cell of o.cells)
    for (const T of [...o.Ts].sort((a, b) => a - b)) {
      const r = await addingRun(cell, T, o)
      if (E.isLeft(r)) return r
      out.push(r.right)
      o.onRun?.(r.right)
      if (!r.right.solved && (o.stopAtFirstFailure ?? true)) break
    }
  return E.right(out)
}

/** The largest solved T of each cell. @category utils */
export const largestSolved = (runs: ReadonlyArray<AddingRun>): Readonly<Record<string, number | null>> =>
  Object.fromEntries(
    [...new Set(runs.map((r) => r.cell))].map((c) => [c, Math.max(0, ...runs.filter((r) => r.cell === c && r.solved).map((r) => r.T)) || null]),
  )

/** MSE of predicting 1 (1/6) and of remembering only the later value (1/12). @category constants */
export const addingBaselines = Data.Adding.addingBaselines
