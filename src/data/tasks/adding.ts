/**
 * The adding problem, in its two published forms. Each step carries a pair
 * (value, marker); exactly two steps are marked and the target, given only at
 * the end, is a function of the two marked values X1 (earlier) and X2.
 *
 * - `adding` — Le, Jaitly & Hinton 2015, §4.1: values U[0, 1], marker 0 or 1
 *   with exactly two ones, target X1 + X2, fixed length T. Marker placement
 *   is a parameter: `'halves'` puts one marker uniformly in `[0, ⌊T/2⌋)` and
 *   one in `[⌊T/2⌋, T)` (the usual codebase convention), `'anywhere'` picks
 *   two distinct steps uniformly. Predicting the constant 1 gives
 *   MSE = Var(X1 + X2) = 1/6 (the paper prints "≈ 0.1767", an arithmetic
 *   slip); a net that remembers only the later value sits at 1/12.
 * - `adding1997` — Hochreiter & Schmidhuber 1997, LSTM paper §5.4,
 *   Experiment 4: values U[−1, 1], markers in {−1, 0, 1}; length uniform in
 *   [T, T + ⌊T/10⌋]; X1 is one of the first 10 pairs, X2 one of the first
 *   ⌊T/2⌋ − 1 still unmarked pairs; the first and last pairs have marker −1
 *   unless marked; if X1 is the first pair its value is set to 0 (the
 *   paper's "X1 := 0"); target 0.5 + (X1 + X2)/4; a sequence counts as correct when
 *   |error| < 0.04. Predicting 0.5 gives MSE = 19/480 ≈ 0.0396 and is "correct" on
 *   ≈ 15.4% of sequences.
 *
 * Inputs are (T, B, 2) time-major: feature 0 the value, feature 1 the marker;
 * the target is `FinalValue` (B, 1). `markers` (B, 2) gives the two marked
 * steps of each sequence, for traces at those steps.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { adding } from './adding'
 * const task = adding({ T: 100, batchSize: 32, seed: 1 })
 * assert.ok(E.isRight(task))
 * const b0 = task.right.batch(0) // x (100, 32, 2), y (32, 1): the sum of the two marked values
 * assert.deepStrictEqual([b0.x.length, b0.target._tag, b0.target.y.length], [100 * 32 * 2, 'FinalValue', 32])
 * assert.ok(E.isLeft(adding({ T: 0, batchSize: 32, seed: 1 }))) // T too short: an error value, not a throw
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../../core/Error'
import { below, exampleStride, fromSeed, type Seed } from '../random'
import { isIntIn, maskOf, type SequenceBatch, type SequenceTask } from './Sequence'

// model

/** A batch of the adding problem. @category model */
export interface AddingBatch extends SequenceBatch {
  /** (B, 2): the steps of X1 and X2 (in the 1997 variant X2 may come first) */
  readonly markers: Int32Array
}

/** @category model */
export interface AddingOptions {
  /** sequence length */
  readonly T: number
  readonly batchSize: number
  readonly seed: Seed
  /** default `'halves'` */
  readonly placement?: 'halves' | 'anywhere'
}

/** @category model */
export interface Adding1997Options {
  /** minimal sequence length (≥ 20) */
  readonly T: number
  readonly batchSize: number
  readonly seed: Seed
  /** lengths uniform in [T, T + ⌊T/10⌋] (default `true`); with `false` every length is T and there is no mask */
  readonly jitter?: boolean
}

// baselines

/** Le et al. 2015 variant: MSE of predicting 1, and of remembering only the later value. @category utils @since 0.1.0 */
export const addingBaselines = Object.freeze({ constantMse: 1 / 6, recencyMse: 1 / 12 } as const)

/**
 * 1997 variant: MSE of predicting the mean 0.5 (Var(X1+X2)/16 = (0.3 + 1/3)/16
 * = 19/480 ≈ 0.0396), the share of sequences that constant gets "correct",
 * the MSE of remembering only X2 (0.3/16), and the tolerance of "correct".
 *
 * @category utils
 * @since 0.1.0
 */
export const adding1997Baselines = Object.freeze({ constantMse: 19 / 480, constantAccuracy: 0.154, x2OnlyMse: 0.3 / 16, tolerance: 0.04 } as const)

// constructors

const checkCommon = (name: string, T: number, batchSize: number, minT: number): E.Either<GradtraceError, void> =>
  !isIntIn(T, minT)
    ? E.left(invalidArgument(name, `T = ${T} must be an integer ≥ ${minT}`))
    : !isIntIn(batchSize, 1)
      ? E.left(invalidArgument(name, `batchSize = ${batchSize} must be a positive integer`))
      : E.right(undefined)

/**
 * The Le et al. (2015) adding problem.
 *
 * @category constructors
 * @since 0.1.0
 */
export const adding = (o: AddingOptions): E.Either<GradtraceError, SequenceTask<AddingBatch>> => {
  const name = 'adding'
  const { T, batchSize: B } = o
  const placement = o.placement ?? 'halves'
  const ok = checkCommon(name, T, B, 2)
  if (E.isLeft(ok)) return ok
  const u = fromSeed(o.seed)
  const h = Math.floor(T / 2)
  const batch = (k: number): AddingBatch => {
    const x = new Float32Array(T * B * 2)
    const y = new Float32Array(B)
    const markers = new Int32Array(B * 2)
    for (let b = 0; b < B; b++) {
      let c = (Math.floor(k) * B + b) * exampleStride
      let p = placement === 'halves' ? below(u(c++), h) : below(u(c++), T)
      let q = placement === 'halves' ? h + below(u(c++), T - h) : below(u(c++), T - 1)
      if (placement === 'anywhere' && q >= p) q++
      if (q < p) [p, q] = [q, p]
      for (let t = 0; t < T; t++) x[(t * B + b) * 2] = u(c++)
      x[(p * B + b) * 2 + 1] = 1
      x[(q * B + b) * 2 + 1] = 1
      y[b] = x[(p * B + b) * 2]! + x[(q * B + b) * 2]!
      markers[2 * b] = p
      markers[2 * b + 1] = q
    }
    return { x, steps: T, batchSize: B, features: 2, lengths: new Int32Array(B).fill(T), target: { _tag: 'FinalValue', y, outputs: 1 }, markers }
  }
  return E.right({ name: `${name}(T=${T}, ${placement})`, batchSize: B, features: 2, batch })
}

/**
 * The Hochreiter & Schmidhuber (1997) adding problem, Experiment 4.
 *
 * @category constructors
 * @since 0.1.0
 */
export const adding1997 = (o: Adding1997Options): E.Either<GradtraceError, SequenceTask<AddingBatch>> => {
  const name = 'adding1997'
  const { T, batchSize: B } = o
  const jitter = o.jitter ?? true
  const ok = checkCommon(name, T, B, 20)
  if (E.isLeft(ok)) return ok
  const u = fromSeed(o.seed)
  const steps = jitter ? T + Math.floor(T / 10) : T
  const h = Math.floor(T / 2) - 1 // X2 is one of the first h unmarked pairs
  const batch = (k: number): AddingBatch => {
    const x = new Float32Array(steps * B * 2)
    const y = new Float32Array(B)
    const lengths = new Int32Array(B)
    const markers = new Int32Array(B * 2)
    for (let b = 0; b < B; b++) {
      let c = (Math.floor(k) * B + b) * exampleStride
      const L = jitter ? T + below(u(c++), steps - T + 1) : T
      const p1 = below(u(c++), 10)
      const r = below(u(c++), h)
      const p2 = r < p1 ? r : r + 1 // the r-th pair not marked by X1
      for (let t = 0; t < L; t++) x[(t * B + b) * 2] = 2 * u(c++) - 1
      x[b * 2 + 1] = -1
      x[((L - 1) * B + b) * 2 + 1] = -1
      x[(p1 * B + b) * 2 + 1] = 1
      x[(p2 * B + b) * 2 + 1] = 1
      if (p1 === 0) x[b * 2] = 0 // "X1 := 0" when X1 is the first pair
      y[b] = 0.5 + (x[(p1 * B + b) * 2]! + x[(p2 * B + b) * 2]!) / 4
      lengths[b] = L
      markers[2 * b] = p1
      markers[2 * b + 1] = p2
    }
    const mask = maskOf(lengths, steps)
    const base = { x, steps, batchSize: B, features: 2, lengths, target: { _tag: 'FinalValue', y, outputs: 1 } as const, markers }
    return mask === undefined ? base : { ...base, mask }
  }
  return E.right({ name: `${name}(T=${T}${jitter ? '' : ', no jitter'})`, batchSize: B, features: 2, batch })
}
