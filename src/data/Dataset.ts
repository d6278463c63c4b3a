/**
 * A data set in memory: `n` examples stored row-major in one `Float32Array`,
 * with integer class labels or real-valued targets. The helpers copy: a
 * `Dataset` handed out is never mutated by the library.
 *
 * Layout: `x` is (n, ...shape) row-major; `y` is (n) class labels in
 * `[0, classes)` (`Int32Array`) or (n, k) targets (`Float32Array`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { batch, fromArrays, size } from './Dataset'
 * const ds = fromArrays('xor', new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), new Int32Array([0, 1, 1, 0]), [2], 2)
 * assert.ok(E.isRight(ds))
 * assert.strictEqual(size(ds.right), 4)
 * assert.deepStrictEqual(batch(ds.right, [3, 0]), { x: new Float32Array([1, 1, 0, 0]), y: new Int32Array([0, 0]) })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { fromSeed, permutation, type Seed } from './random'

// model

/** A data set held in memory. @category model */
export interface Dataset {
  /** (n, ...shape) row-major */
  readonly x: Float32Array
  /** (n) class labels, or (n, k) real targets */
  readonly y: Int32Array | Float32Array
  /** features per example, e.g. [64] or [28, 28] */
  readonly shape: ReadonlyArray<number>
  /** number of classes when `y` holds labels */
  readonly classes?: number
  readonly name: string
}

/** Examples picked out of a data set (copies). @category model */
export interface Batch {
  /** (b, ...shape) */
  readonly x: Float32Array
  /** (b) or (b, k) */
  readonly y: Int32Array | Float32Array
}

/** Per-feature mean and standard deviation, for `standardizeWith`. @category model */
export interface Moments {
  readonly mean: Float64Array
  readonly std: Float64Array
}

// utils

const prod = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

/** Number of examples. @category utils @since 0.1.0 */
export const size = (ds: Dataset): number => ds.x.length / prod(ds.shape)

/** Numbers of features per example (the product of `shape`). @category utils @since 0.1.0 */
export const features = (ds: Dataset): number => prod(ds.shape)

const yWidth = (ds: Dataset): number => ds.y.length / size(ds)

// constructors

/**
 * A data set from arrays (copied), checking that `x`, `y`, `shape` and
 * `classes` agree.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArrays = (
  name: string,
  x: ArrayLike<number>,
  y: Int32Array | Float32Array,
  shape: ReadonlyArray<number>,
  classes?: number,
): E.Either<GradtraceError, Dataset> => {
  const f = prod(shape)
  if (!shape.every((d) => Number.isInteger(d) && d > 0)) return E.left(invalidArgument(name, `shape [${shape.join(', ')}] must hold positive integers`))
  if (x.length % f !== 0) return E.left(invalidArgument(name, `x has ${x.length} values, not a multiple of ${f} features per example`))
  const n = x.length / f
  if (n === 0 || y.length % n !== 0) return E.left(invalidArgument(name, `y has ${y.length} values for ${n} examples`))
  if (classes !== undefined) {
    if (!(y instanceof Int32Array) || y.length !== n) return E.left(invalidArgument(name, 'class labels must be an Int32Array with one label per example'))
    const bad = y.findIndex((c) => c < 0 || c >= classes)
    if (bad >= 0) return E.left(invalidArgument(name, `label ${y[bad]} of example ${bad} is outside [0, ${classes})`))
  }
  const base = { x: Float32Array.from(x), y: y.slice(), shape: [...shape], name }
  return E.right(classes === undefined ? base : { ...base, classes })
}

// combinators

/**
 * The examples at `indices`, copied, in that order. An index outside
 * `[0, size)` is a defect and throws a `RangeError`.
 *
 * @category utils
 * @since 0.1.0
 */
export const batch = (ds: Dataset, indices: ArrayLike<number>): Batch => {
  const n = size(ds)
  const f = features(ds)
  const k = yWidth(ds)
  const x = new Float32Array(indices.length * f)
  const y = ds.y instanceof Int32Array ? new Int32Array(indices.length * k) : new Float32Array(indices.length * k)
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${ds.name}: index ${i} outside [0, ${n})`)
    x.set(ds.x.subarray(i * f, (i + 1) * f), r * f)
    y.set(ds.y.subarray(i * k, (i + 1) * k), r * k)
  }
  return { x, y }
}

/** A data set of the examples at `indices` (copied). @category combinators @since 0.1.0 */
export const subset = (ds: Dataset, indices: ArrayLike<number>, name = ds.name): Dataset => ({ ...ds, ...batch(ds, indices), name })

/** Per-feature mean and (population) standard deviation. @category utils @since 0.1.0 */
export const moments = (ds: Dataset): Moments => {
  const f = features(ds)
  const n = size(ds)
  const mean = new Float64Array(f)
  const std = new Float64Array(f)
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) mean[j]! += ds.x[i * f + j]!
  for (let j = 0; j < f; j++) mean[j]! /= n
  for (let i = 0; i < n; i++) for (let j = 0; j < f; j++) std[j]! += (ds.x[i * f + j]! - mean[j]!) ** 2
  for (let j = 0; j < f; j++) std[j] = Math.sqrt(std[j]! / n)
  return { mean, std }
}

/**
 * Subtracts `m.mean` and divides by `m.std` feature by feature (a feature
 * with std < 1e-8, such as an always-blank pixel, is only centred). Use the
 * moments of the training set on both training and test sets.
 *
 * @category combinators
 * @since 0.1.0
 */
export const standardizeWith =
  (m: Moments) =>
  (ds: Dataset): Dataset => {
    const f = features(ds)
    const x = new Float32Array(ds.x.length)
    for (let i = 0; i < x.length; i++) {
      const j = i % f
      const s = m.std[j]!
      x[i] = (ds.x[i]! - m.mean[j]!) / (s < 1e-8 ? 1 : s)
    }
    return { ...ds, x, y: ds.y.slice() }
  }

/** Standardizes a data set with its own moments. @category combinators @since 0.1.0 */
export const standardize = (ds: Dataset): Dataset => standardizeWith(moments(ds))(ds)

/**
 * Shuffles the examples with the seed and puts `round(n · testFraction)` of
 * them in `test`, the rest in `train` (both keep the shuffled order). Not
 * stratified. `testFraction` must lie in (0, 1) and leave both parts
 * non-empty.
 *
 * @category combinators
 * @since 0.1.0
 */
export const trainTestSplit = (
  ds: Dataset,
  seed: Seed,
  testFraction: number,
): E.Either<GradtraceError, { readonly train: Dataset; readonly test: Dataset }> => {
  const n = size(ds)
  const nTest = Math.round(n * testFraction)
  if (!(testFraction > 0 && testFraction < 1) || nTest === 0 || nTest === n) {
    const why = `testFraction ${testFraction} must lie in (0, 1) and leave both parts non-empty for ${n} examples`
    return E.left(invalidArgument(`${ds.name}.trainTestSplit`, why))
  }
  const p = permutation(fromSeed(seed), n)
  return E.right({ train: subset(ds, p.subarray(nTest), `${ds.name}/train`), test: subset(ds, p.subarray(0, nTest), `${ds.name}/test`) })
}
