/**
 * Experiments E7, E10, E11 (LITERATURE.md): the adding problem (Le et al.
 * 2015 form: values U[0, 1], two markers, one in each half, target X1 + X2;
 * predicting 1 scores MSE 1/6). For each cell: the per-time-step decay of
 * dL/dh_t at initialisation (decades per 10 steps, fitted over all t), and
 * training within a fixed budget (Adam, clipByGlobalNorm(1), batch 32) scored
 * on 2,560 fresh test sequences; "solved" means test MSE < 0.01.
 *
 * @example
 * import { addingSweep } from './adding'
 * // addingSweep({ cells: ['rnn', 'lstm', 'gru'], Ts: [10, 50, 100], steps: 1500 })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { serial } from '../combinator/serial'
import type { GradtraceError } from '../core/Error'
import { key } from '../core/Key'
import type { Tensor } from '../core/Tensor'
import { adding, addingBaselines } from '../data/tasks/adding'
import { dense } from '../layer/dense'
import type { LayerSpec } from '../layer/Layer'
import { gru, irnn, lstm, rnn, Seq } from '../layer/recurrent/index'
import { adam, chain, clipByGlobalNorm } from '../optim/Transform'
import { compile, type Model } from '../plan/compile'
import { decadesPer10Steps } from '../trace/analysis'
import type { StepTrace } from '../trace/Trace'
import { init, step } from '../train/step'
import type { Runtime } from '../wasm/Runtime'

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
  readonly runtime?: Runtime
  readonly onRun?: (r: AddingRun) => void
  /** called after every training step of a run */
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
  readonly initTrace: StepTrace
  readonly trainedTrace: StepTrace
  /** training loss every `steps / 50` steps */
  readonly losses: ReadonlyArray<{ readonly step: number; readonly loss: number }>
  readonly solved: boolean
  readonly seconds: number
}

/** The network of a cell: the cell, then dense(1). Sizes as LITERATURE.md E7 (tanh RNN 32, gated cells 16). @category utils */
export const netOf = (c: CellName): LayerSpec =>
  serial(c === 'rnn' ? rnn(32) : c === 'irnn' ? irnn(32) : c === 'lstm' ? lstm(16) : c === 'lstm1997' ? lstm(16, { forgetGate: false, inputGateBias: -3 }) : gru(16), dense(1))

const testMse = (m: Model, params: ReturnType<Model['init']>, T: number, seed: number): E.Either<GradtraceError, number> => {
  const task = adding({ T, batchSize: 256, seed: seed + 7919 })
  if (E.isLeft(task)) return task
  let sum = 0
  for (let k = 0; k < 10; k++) {
    const b = Seq.toBatch(task.right.batch(k))
    const y = m.apply(params, b.x)
    if (E.isLeft(y)) return y
    const t = (b.y as Tensor).data
    for (let i = 0; i < t.length; i++) sum += (y.right.data[i]! - t[i]!) ** 2
  }
  return E.right(sum / 2560)
}

/** Trains one cell at one T; returns the run. @category constructors */
export const addingRun = (cell: CellName, T: number, o: Omit<AddingOptions, 'cells' | 'Ts'> = {}): E.Either<GradtraceError, AddingRun> => {
  const seed = o.seed ?? 1
  const B = o.batch ?? 32
  const task = adding({ T, batchSize: B, seed })
  if (E.isLeft(task)) return task
  const m = compile(netOf(cell), { input: [T, 2], loss: 'mse', trace: 'off', ...(o.runtime ? { runtime: o.runtime } : {}) })
  if (E.isLeft(m)) return m
  const opt = chain(clipByGlobalNorm(1), adam(o.lr ?? 1e-2))
  const s0 = init(m.right, opt, key(seed))
  if (E.isLeft(s0)) return s0
  const g0 = m.right.valueAndGrad(s0.right.params, Seq.toBatch(task.right.batch(0)), { trace: 'norms' })
  if (E.isLeft(g0)) return g0
  const gradH = g0.right.trace.layers[0]!.time!.gradH
  const t0 = Date.now()
  let s = s0.right
  const run = step(m.right, opt, { trace: 'off' })
  const steps = o.steps ?? 1500
  const every = Math.max(1, Math.floor(steps / 50))
  const losses: Array<{ step: number; loss: number }> = []
  for (let i = 0; i < steps; i++) {
    const r = run(s, Seq.toBatch(task.right.batch(i)))
    if (E.isLeft(r)) return r
    s = r.right[0]
    if ((i + 1) % every === 0) losses.push({ step: i + 1, loss: r.right[1].loss })
    o.onStep?.(i + 1, steps)
  }
  const mse = testMse(m.right, s.params, T, seed)
  if (E.isLeft(mse)) return mse
  const g1 = m.right.valueAndGrad(s.params, Seq.toBatch(task.right.batch(0)), { trace: 'norms' })
  if (E.isLeft(g1)) return g1
  return E.right({
    cell,
    T,
    decayAtInit: decadesPer10Steps(gradH),
    firstToLastAtInit: gradH[0]! / gradH[gradH.length - 1]!,
    decayTrained: decadesPer10Steps(g1.right.trace.layers[0]!.time!.gradH),
    testMse: mse.right,
    solved: mse.right < 0.01,
    initTrace: g0.right.trace,
    trainedTrace: g1.right.trace,
    losses,
    seconds: (Date.now() - t0) / 1000,
  })
}

/** Every cell at every T (ascending), stopping a cell at its first failure unless told otherwise. @category constructors */
export const addingSweep = (o: AddingOptions): E.Either<GradtraceError, ReadonlyArray<AddingRun>> => {
  const out: AddingRun[] = []
  for (const cell of o.cells)
    for (const T of [...o.Ts].sort((a, b) => a - b)) {
      const r = addingRun(cell, T, o)
      if (E.isLeft(r)) return r
      out.push(r.right)
      o.onRun?.(r.right)
      if (!r.right.solved && (o.stopAtFirstFailure ?? true)) break
    }
  return E.right(out)
}

/** The largest solved T of each cell. @category utils */
export const largestSolved = (runs: ReadonlyArray<AddingRun>): Readonly<Record<string, number | null>> =>
  Object.fromEntries([...new Set(runs.map((r) => r.cell))].map((c) => [c, Math.max(0, ...runs.filter((r) => r.cell === c && r.solved).map((r) => r.T)) || null]))

export { addingBaselines }
