/**
 * Experiment E1 (LITERATURE.md §0.2, §E1): at initialisation, how much of the
 * error signal dL/dz reaches the first hidden layer of a deep MLP, for each
 * activation and initialiser, as a function of depth. No training: one
 * forward and backward pass per network and seed, medians over seeds.
 *
 * Setup (as the calibration table): inputs N(0, 1) with 64 features, L hidden
 * layers of width 64, a 10-way softmax output, random labels, zero biases.
 * The ratio is ||dL/dz_1|| / ||dL/dz_L|| over the hidden layers.
 *
 * @example
 * import { depthSweep } from './depthSweep'
 * // depthSweep({ depths: [10], configs: [{ act: 'sigmoid', init: 'classic' }], seeds: 3, batch: 128 })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError } from '../core/Error'
import { bits, foldIn, key } from '../core/Key'
import { serial } from '../combinator/serial'
import { dense } from '../layer/dense'
import * as Init from '../layer/init'
import { compile } from '../plan/compile'
import { profile } from '../trace/analysis'
import type { StepTrace } from '../trace/Trace'
import type { ActName } from '../wasm/abi'
import type { Runtime } from '../wasm/Runtime'

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
  readonly runtime?: Runtime
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
  readonly trace: StepTrace
  /** every seed's trace (the ratio is their median) */
  readonly traces: ReadonlyArray<StepTrace>
}

/** The initialiser behind a name. @category utils */
export const initOf = (n: InitName): Init.InitSpec =>
  n === 'classic' ? Init.classic : n === 'normal1' ? Init.normal(1) : n === 'glorot' ? Init.glorotUniform : n === 'he' ? Init.heNormal : n === 'orthogonal' ? Init.orthogonal(1) : Init.normal(0.01)

/** A human label, e.g. 'sigmoid + classic U[±1/√n]'. @category utils */
export const label = (c: SweepConfig): string =>
  `${c.act} + ${{ classic: 'classic U[±1/√n]', normal1: 'N(0, 1)', glorot: 'Glorot', he: 'He', orthogonal: 'orthogonal', normalSmall: 'N(0, 0.01²)' }[c.init]}`

/** The MLP of the sweep. @category utils */
export const mlp = (c: SweepConfig, depth: number, width = 64) =>
  serial(...Array.from({ length: depth }, () => dense(width, { activation: c.act, init: initOf(c.init) })), dense(10, { init: initOf(c.init) }))

/** Standard normal inputs and uniform labels from a key (Box-Muller over Threefry bits; plain JS, data generation only). */
const data = (seed: number, batch: number, width: number): { x: Float32Array; y: Int32Array } => {
  const k = foldIn(key(seed), 0xda7a)
  const x = new Float32Array(batch * width)
  for (let i = 0; i < x.length; i += 2) {
    const [a, b] = bits(k, i)
    const u1 = (a + 1) / 4294967297
    const u2 = b / 4294967296
    const r = Math.sqrt(-2 * Math.log(u1))
    x[i] = r * Math.cos(2 * Math.PI * u2)
    if (i + 1 < x.length) x[i + 1] = r * Math.sin(2 * Math.PI * u2)
  }
  const y = new Int32Array(batch).map((_, i) => bits(k, x.length + i)[0] % 10)
  return { x, y }
}

const median = (xs: ReadonlyArray<number>): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[m]! : Math.sqrt(s[m - 1]! * s[m]!) // geometric middle: ratios span decades
}

/** Runs the sweep. @category constructors */
export const depthSweep = (o: SweepOptions): E.Either<GradtraceError, ReadonlyArray<SweepPoint>> => {
  const width = o.width ?? 64
  const batch = o.batch ?? 512
  const seeds = o.seeds ?? 10
  const out: SweepPoint[] = []
  const total = o.depths.length * o.configs.length
  const inputs = Array.from({ length: seeds }, (_, s) => data(s, batch, width))
  for (const config of o.configs)
    for (const depth of o.depths) {
      const m = compile(mlp(config, depth, width), { input: [width], loss: 'softmaxCrossEntropy', ...(o.runtime ? { runtime: o.runtime } : {}) })
      if (E.isLeft(m)) return m
      const ratios: number[] = []
      const wratios: number[] = []
      const traces: StepTrace[] = []
      for (let s = 0; s < seeds; s++) {
        const params = m.right.init(foldIn(key(1000 + s), depth))
        const r = m.right.valueAndGrad(params, { x: { shape: [batch, width], data: inputs[s]!.x }, y: inputs[s]!.y })
        if (E.isLeft(r)) return r
        const hidden = profile(r.right.trace, 'gradPre').slice(0, depth)
        const whidden = profile(r.right.trace, 'weight').slice(0, depth)
        ratios.push(hidden[0]! / hidden[depth - 1]!)
        wratios.push(whidden[0]! / whidden[depth - 1]!)
        traces.push(r.right.trace)
      }
      out.push({ config, depth, ratio: median(ratios), weightRatio: median(wratios), trace: traces[0]!, traces })
      o.onProgress?.(out.length, total)
    }
  return E.right(out)
}

/** The calibration values of LITERATURE.md §0.2 (10 hidden layers, width 64, batch 512, 10 seeds): δ1/δ10. @category utils */
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
