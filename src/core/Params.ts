/**
 * Parameters: an ordered list of named tensors (paths like
 * 'serial/0/dense/W'), immutable like every value a user holds.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as O from 'fp-ts/lib/Option.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * import { get, hash, modify } from './Params'
 * const model = Model.compile(Layer.serial(Layer.dense(4), Layer.dense(2)), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const params = model.right.init(Key.key(0))
 * const W = get('serial/1/dense/W')(params)
 * assert.ok(O.isSome(W) && W.value.shape.join() === '4,2')
 * const zeroed = modify('serial/1/dense/W', (w) => w.fill(0))(params) // a new list
 * assert.ok(zeroed[2]!.data.every((x) => x === 0))
 * assert.ok(params[2]!.data.some((x) => x !== 0)) // params is unchanged
 * assert.notStrictEqual(hash(zeroed), hash(params))
 *
 * @since 0.1.0
 */
import * as O from 'fp-ts/lib/Option.js'
import type { ReadonlyFloat32Array, Shape } from './Tensor'

/** @category model */
export interface Param {
  readonly path: string
  readonly shape: Shape
  readonly data: ReadonlyFloat32Array
}

/** @category model */
export type Params = ReadonlyArray<Param>

/** The parameter at a path. @category utils */
export const get = (path: string) => (ps: Params): O.Option<Param> => O.fromNullable(ps.find((p) => p.path === path))

/** A copy of the parameters with the one at `path` replaced by f of its data (f gets a copy it may change). @category utils */
export const modify = (path: string, f: (data: Float32Array) => Float32Array) => (ps: Params): Params =>
  ps.map((p) => (p.path === path ? { ...p, data: f((p.data as Float32Array).slice()) } : p))

/** Total number of scalars. @category utils */
export const count = (ps: Params): number => ps.reduce((s, p) => s + p.data.length, 0)

/** A 32-bit FNV-1a hash of all parameter bits, in order (for bit-identity checks across runtimes). @category utils */
export const hash = (ps: Params): string => {
  let h = 0x811c9dc5
  for (const p of ps) {
    const bytes = new Uint8Array((p.data as Float32Array).buffer, (p.data as Float32Array).byteOffset, p.data.length * 4)
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}
