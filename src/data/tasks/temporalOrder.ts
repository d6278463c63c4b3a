/**
 * The temporal order problem: Hochreiter & Schmidhuber 1997, LSTM paper
 * §5.6, Experiment 6 (task 6a: two relevant symbols, 4 classes; task 6b:
 * three, 8 classes). A sequence starts with `E`, ends with the trigger `B`,
 * and is otherwise random symbols from {a, b, c, d}, except at one step in
 * each of the given ranges, which holds `X` or `Y`. The class, asked for at
 * the last step, is the order of those: for 6a XX → 0, XY → 1, YX → 2,
 * YY → 3 (the paper's Q, R, S, U); in general the relevant symbols read as
 * binary digits, X = 0, Y = 1, first one most significant. Paper settings:
 * length uniform in [100, 110]; 6a: t1 ∈ [10, 20], t2 ∈ [50, 60]; 6b: t1 ∈
 * [10, 20], t2 ∈ [33, 43], t3 ∈ [66, 76] (steps counted from 0, the `E`).
 * The paper calls a sequence correct when every output is within 0.3 of its
 * target. `length` and `positions` scale the task down or up.
 *
 * Inputs are one-hot, (T, B, 8) time-major with T the longest possible
 * length, symbols in the order of `temporalOrderSymbols` (a b c d X Y B E);
 * the target is `FinalClass` (B); `mask` marks real steps.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { temporalOrder } from './temporalOrder'
 * const task = temporalOrder({ batchSize: 32, seed: 7 }) // 6a: x (110, 32, 8), y (32) in 0..3
 * assert.ok(E.isRight(task))
 * const b = task.right.batch(0)
 * assert.deepStrictEqual([b.steps, b.target._tag, b.target.y.every((c) => c >= 0 && c < 4)], [110, 'FinalClass', true])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../../core/Error'
import { below, exampleStride, fromSeed, type Seed } from '../random'
import { isIntIn, maskOf, type SequenceBatch, type SequenceTask } from './Sequence'

// model

/** A batch of the temporal order problem. @category model */
export interface TemporalOrderBatch extends SequenceBatch {
  /** (B, k): the steps holding the k relevant symbols */
  readonly positions: Int32Array
}

/** @category model */
export interface TemporalOrderOptions {
  readonly batchSize: number
  readonly seed: Seed
  /** paper defaults for lengths and positions (default `'6a'`) */
  readonly variant?: '6a' | '6b'
  /** inclusive range of the sequence length */
  readonly length?: readonly [number, number]
  /** inclusive ranges of the relevant steps, increasing and disjoint */
  readonly positions?: ReadonlyArray<readonly [number, number]>
}

/** Input symbols, in the order of the one-hot features. @category utils @since 0.1.0 */
export const temporalOrderSymbols = Object.freeze(['a', 'b', 'c', 'd', 'X', 'Y', 'B', 'E'] as const)

const X = 4
const TRIGGER = 6
const START = 7

const defaults = {
  '6a': { length: [100, 110], positions: [[10, 20], [50, 60]] },
  '6b': { length: [100, 110], positions: [[10, 20], [33, 43], [66, 76]] },
} as const

/** Chance level for k relevant symbols: accuracy 2^-k, cross-entropy k·ln 2; and the paper's 0.3 tolerance. @category utils @since 0.1.0 */
export const temporalOrderBaselines = (k: number) => ({ chanceAccuracy: 2 ** -k, chanceCrossEntropy: k * Math.LN2, tolerance: 0.3 }) as const

// constructors

const validate = (o: TemporalOrderOptions, lo: number, hi: number, pos: ReadonlyArray<readonly [number, number]>): string | undefined => {
  if (!isIntIn(o.batchSize, 1)) return `batchSize = ${o.batchSize} must be a positive integer`
  if (!isIntIn(lo, 3) || !isIntIn(hi, lo)) return `length [${lo}, ${hi}] must be integers with 3 ≤ min ≤ max`
  if (pos.length < 1 || pos.length > 8) return `${pos.length} relevant ranges: give 1 to 8`
  for (let i = 0; i < pos.length; i++) {
    const [a, b] = pos[i]!
    const prev = i === 0 ? 0 : pos[i - 1]![1]
    if (!isIntIn(a, prev + 1) || !isIntIn(b, a, lo - 2))
      return `position range ${i} [${a}, ${b}] must be integers after ${prev} and ≤ ${lo - 2} (before the trigger of the shortest sequence)`
  }
  return undefined
}

/**
 * The temporal order problem (Experiment 6a by default).
 *
 * @category constructors
 * @since 0.1.0
 */
export const temporalOrder = (o: TemporalOrderOptions): E.Either<GradtraceError, SequenceTask<TemporalOrderBatch>> => {
  const variant = o.variant ?? '6a'
  const [lo, hi] = o.length ?? defaults[variant].length
  const ranges = o.positions ?? defaults[variant].positions
  const bad = validate(o, lo, hi, ranges)
  if (bad !== undefined) return E.left(invalidArgument('temporalOrder', bad))
  const u = fromSeed(o.seed)
  const B = o.batchSize
  const k = ranges.length
  const batch = (n: number): TemporalOrderBatch => {
    const x = new Float32Array(hi * B * 8)
    const y = new Int32Array(B)
    const lengths = new Int32Array(B)
    const positions = new Int32Array(B * k)
    for (let b = 0; b < B; b++) {
      let c = (Math.floor(n) * B + b) * exampleStride
      const L = lo + below(u(c++), hi - lo + 1)
      const sym = new Int32Array(L)
      for (let t = 1; t < L - 1; t++) sym[t] = below(u(c++), 4)
      sym[0] = START
      sym[L - 1] = TRIGGER
      let label = 0
      ranges.forEach(([a, z], i) => {
        const t = a + below(u(c++), z - a + 1)
        const bit = u(c++) < 0.5 ? 0 : 1
        sym[t] = X + bit
        label = 2 * label + bit
        positions[b * k + i] = t
      })
      for (let t = 0; t < L; t++) x[(t * B + b) * 8 + sym[t]!] = 1
      y[b] = label
      lengths[b] = L
    }
    const mask = maskOf(lengths, hi)
    const base = { x, steps: hi, batchSize: B, features: 8, lengths, target: { _tag: 'FinalClass', y, classes: 2 ** k } as const, positions }
    return mask === undefined ? base : { ...base, mask }
  }
  const shape = o.positions === undefined && o.length === undefined ? variant : `${k} symbols, length ${lo}..${hi}`
  return E.right({ name: `temporalOrder(${shape})`, batchSize: B, features: 8, batch })
}
