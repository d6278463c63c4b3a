/**
 * Tensors are immutable values: a shape and float32 data that nothing mutates
 * after creation. Constructors copy what they are given; `unsafeTensor` does
 * not (its name says so).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { tensor } from './Tensor'
 * const data = [1, 2, 3, 4]
 * const t = tensor([2, 2], data)
 * data[0] = 9 // the tensor holds its own copy
 * assert.deepStrictEqual(t, E.right({ shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }))
 * assert.deepStrictEqual(tensor([2, 2], [1, 2, 3]), E.left({ _tag: 'ShapeMismatch', path: 'tensor', what: 'data length', expected: [4], actual: [3] }))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, shapeMismatch } from './Error'

/**
 * A Float32Array without its mutating methods; a `subarray` of it is a view
 * on the same memory, so it is read-only too. (`slice`, `map` and `filter`
 * return fresh copies, which are the caller's to change.)
 *
 * @category model
 */
export type ReadonlyFloat32Array = Omit<Float32Array, 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort' | 'subarray' | number> & {
  readonly [i: number]: number
  subarray(begin?: number, end?: number): ReadonlyFloat32Array
}

/** Feature shape of one example (the batch dimension is not part of it). @category model */
export type Shape = ReadonlyArray<number>

/** @category model */
export interface Tensor {
  readonly shape: Shape
  readonly data: ReadonlyFloat32Array
}

/** Number of elements of a shape. @category utils */
export const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1)

/** Checks that every dimension is a positive integer. @category constructors */
export const checkShape = (path: string, shape: ReadonlyArray<number>): E.Either<GradtraceError, Shape> =>
  shape.every((d) => Number.isInteger(d) && d > 0)
    ? E.right([...shape])
    : E.left(invalidArgument(path, `shape [${shape.join(', ')}] must hold positive integers`))

/** A tensor from a shape and data (copied); the data length must match. @category constructors */
export const tensor = (shape: ReadonlyArray<number>, data: ArrayLike<number>): E.Either<GradtraceError, Tensor> => {
  const s = checkShape('tensor', shape)
  if (E.isLeft(s)) return s
  if (data.length !== size(shape)) return E.left(shapeMismatch('tensor', [size(shape)], [data.length], 'data length'))
  return E.right({ shape: s.right, data: Float32Array.from(data) })
}

/** A tensor over the given array, not copied: the caller promises never to change it. @category constructors */
export const unsafeTensor = (shape: Shape, data: Float32Array): Tensor => ({ shape, data })

/** Copies the data out as a fresh, mutable Float32Array. @category utils */
export const toFloat32Array = (t: Tensor): Float32Array => (t.data as Float32Array).slice()
