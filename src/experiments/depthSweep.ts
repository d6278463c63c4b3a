/**
 * Experiment E1 (docs/experiments.md): at initialisation, how much of the
 * error signal dL/dz reaches the first hidden layer of a deep MLP, for each
 * activation and initialiser, as a function of depth. No training: one
 * forward and backward pass per network and seed, medians over seeds.
 *
 * Setup (as the calibration table): inputs N(0, 1) with 64 features, L hidden
 * layers of width 64, a 10-way softmax output, random labels, zero biases.
 * The ratio is ||dL/dz_1|| / ||dL/dz_L|| over the hidden layers.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { depthSweep } from './depthSweep'
 * const r = depthSweep({ depths: [10], configs: [{ act: 'sigmoid', init: 'classic' }, { act: 'relu', init: 'he' }], seeds: 3, batch: 128 })
 * assert.ok(E.isRight(r))
 * const [sigmoid, relu] = r.right
 * assert.ok(sigmoid!.ratio < 1e-6) // sigmoid with the classic init: layer 1 gets less than a millionth of layer 10's dL/dz
 * assert.ok(relu!.ratio > 0.1 && relu!.ratio < 10) // ReLU with He: within a decade
 * assert.strictEqual(sigmoid!.traces.length, 3) // one trace per seed; the ratio is their median
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Model from '../model/compile'
import * as Layer from '../model/layers'
import * as Trace from '../trace/index'
import type * as Wasm from '../wasm/index'
import type { ActName } from './common'

/** @category model */
export type InitName = 'classic' | 'normal1' | 'glorot' | 'he' | 'orthogonal' | 'normalSmall'

/** @category model */
export interface SweepConfig {
  readonly act: ActName
  readonly init: InitName
}

/** @category model */
export interface SweepOptions {
  readonly depths: ReadonlyArray<number>
  readonly configs: ReadonlyArray<SweepConfig>
  readonly width?: number
  readonly batch?: number
  readonly seeds?: number
  readonly runtime?: Wasm.Runtime
  readonly onProgress?: (done: number, total: number) => void
}

/** One cell of the sweep. @category model */
export interface SweepPoint {
  readonly config: SweepConfig
  readonly depth: number
  /** median over seeds of ||dL/dz_1|| / ||dL/dz_L|| (hidden layers) */
  readonly ratio: number
  /** median ratio of weight-gradient norms, first / last hidden layer */
  readonly weightRatio: number
  /** the first seed's trace (for per-layer pictures) */
  readonly trace: Trace.StepTrace
  /** every seed's trace (the ratio is their median) */
  readonly traces: ReadonlyArray<Trace.StepTrace>
}

const inits: Readonly<Record<InitName, Layer.init.InitSpec>> = {
  classic: Layer.init.classic,
  normal1: Layer.init.normal(1),
  glorot: Layer.init.glorotUniform,
  he: Layer.init.heNormal,
  orthogonal: Layer.init.orthogonal(1),
  normalSmall: Layer.init.normal(0.01),
}

const initLabels: Readonly<Record<InitName, string>> = {
  classic: 'classic U[±1/√n]',
  normal1: 'N(0, 1)',
  glorot: 'Glorot',
  he: 'He',
  orthogonal: 'orthogonal',
  normalSmall: 'N(0, 0.01²)',
}

/** The initialiser behind a name. @category utils */
export const initOf = (n: InitName): Layer.init.InitSpec => inits[n]

/** A human label, e.g. 'sigmoid + classic U[±1/√n]'. @category utils */
export const label = (c: SweepConfig): string => `${c.act} + ${initLabels[c.init]}`

/** The MLP of the sweep. @category utils */
export const mlp = (c: SweepConfig, depth: number, width = 64): Layer.SerialSpec => {
  const init = initOf(c.init)
  return Layer.serial(...Array.from({ length: depth }, () => Layer.dense(width, { activation: c.act, init })), Layer.dense(10, { init }))
}

/** Inputs and labels of one seed. */
interface Sample {
  readonly x: Float32Array
  readonly y: Int32Array
}

/** Standard normal inputs and uniform labels from a key (Box-Muller over Threefry bits; plain JS, data generation only). */
const data = (seed: number, batch: number, width: number): Sample => {
  const k = Key.foldIn(Key.key(seed), 0xda7a)
  const x = new Float32Array(batch * width)
  for (let i = 0; i < x.length; i += 2) {
    const [a, b] = Key.bits(k, i)
    const u1 = (a + 1) / 4294967297
    const u2 = b / 4294967296
    const r = Math.sqrt(-2 * Math.log(u1))
    x[i] = r * Math.cos(2 * Math.PI * u2)
    if (i + 1 < x.length) x[i + 1] = r * Math.sin(2 * Math.PI * u2)
  }
  const y = new Int32Array(batch).map((_, i) => Key.bits(k, x.length + i)[0] % 10)
  return { x, y }
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : Math.sqrt(s[m - 1]! * s[m]!) // geometric middle: ratios span decades
}

/** One network of the sweep at every seed: the median ratios and the traces. */
const point = (config: SweepConfig, depth: number, o: SweepOptions, inputs: ReadonlyArray<Sample>): E.Either<Err.GradtraceError, SweepPoint> => {
  const width = o.width ?? 64
  const m = Model.compile(mlp(config, depth, width), { input: [width], loss: 'softmaxCrossEntropy', ...(o.runtime ? { runtime: o.runtime } : {}) })
  if (E.isLeft(m)) return m
  const traces: Trace.StepTrace[] = []
  for (const [s, input] of inputs.entries()) {
    const r = m.right.valueAndGrad(m.right.init(Key.foldIn(Key.key(1000 + s), depth)), { x: { shape: [input.y.length, width], data: input.x }, y: input.y })
    if (E.isLeft(r)) return r
    traces.push(r.right.trace)
  }
  const ratio = (t: Trace.StepTrace, signal: Trace.Signal) => {
    const hidden = Trace.profile(t, signal).slice(0, depth)
    return hidden[0]! / hidden[depth - 1]!
  }
  const ratios = traces.map((t) => ratio(t, 'gradPre'))
  return E.right({ config, depth, ratio: median(ratios), weightRatio: median(traces.map((t) => ratio(t, 'weight'))), trace: traces[0]!, traces })
}

/** Runs the sweep. @category constructors */
export const depthSweep = (o: SweepOptions): E.Either<Err.GradtraceError, ReadonlyArray<SweepPoint>> => {
  const inputs = Array.from({ length: o.seeds ?? 10 }, (_, s) => data(s, o.batch ?? 512, o.width ?? 64))
  const out: SweepPoint[] = []
  const total = o.depths.length * o.configs.length
  for (const config of o.configs)
    for (const depth of o.depths) {
      const p = point(config, depth, o, inputs)
      if (E.isLeft(p)) return p
      out.push(p.right)
      o.onProgress?.(out.length, total)
    }
  return E.right(out)
}

/** The calibration values (docs/experiments.md; 10 hidden layers, width 64, batch 512, 10 seeds): δ1/δ10. @category utils */
export const calibration: ReadonlyArray<SweepConfig & { readonly ratio: number }> = [
  { act: 'sigmoid', init: 'classic', ratio: 2.1e-8 },
  { act: 'sigmoid', init: 'glorot', ratio: 1.9e-6 },
  { act: 'sigmoid', init: 'normal1', ratio: 3.0e-1 },
  { act: 'tanh', init: 'classic', ratio: 5.2e-3 },
  { act: 'tanh', init: 'glorot', ratio: 0.28 },
  { act: 'tanh', init: 'normal1', ratio: 8.1e2 },
  { act: 'relu', init: 'he', ratio: 1.0 },
  { act: 'relu', init: 'glorot', ratio: 4.0e-2 },
  { act: 'relu', init: 'normalSmall', ratio: 5.8e-12 },
]
