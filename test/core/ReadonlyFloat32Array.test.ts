/**
 * `ReadonlyFloat32Array` has no hole: no mutating method, no writable index,
 * and no mutable view through `subarray`. The `@ts-expect-error` lines are the
 * test (`npm run typecheck` fails when one of them stops being an error); the
 * runtime assertions check that what stays allowed reads the same memory.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { type ReadonlyFloat32Array, tensor } from '../../src/core/Tensor'

const data = (): ReadonlyFloat32Array => {
  const t = tensor([4], [1, 2, 3, 4])
  if (E.isLeft(t)) throw new Error('tensor')
  return t.right.data
}

describe('ReadonlyFloat32Array', () => {
  it('subarray is a read-only view on the same memory', () => {
    const d = data()
    const view = d.subarray(1, 3)
    expectTypeOf(view).toEqualTypeOf<ReadonlyFloat32Array>()
    expectTypeOf(view.subarray(0, 1)).toEqualTypeOf<ReadonlyFloat32Array>()
    // @ts-expect-error a view on a tensor's memory is as read-only as the tensor
    const writeView = () => (d.subarray(0, 4)[0] = 1)
    // @ts-expect-error nor can a view of a view be written
    const writeViewOfView = () => (view.subarray(0, 1)[0] = 1)
    expect([writeView, writeViewOfView].every((f) => typeof f === 'function')).toBe(true)
    expect([...view]).toEqual([2, 3])
    expect(view.length).toBe(2)
  })

  it('has no writable index and no mutating method', () => {
    const d = data()
    const mutations = [
      // @ts-expect-error index writes
      () => (d[0] = 1),
      // @ts-expect-error set
      () => d.set([1]),
      // @ts-expect-error fill
      () => d.fill(0),
      // @ts-expect-error copyWithin
      () => d.copyWithin(0, 1),
      // @ts-expect-error reverse (in place)
      () => d.reverse(),
      // @ts-expect-error sort (in place)
      () => d.sort(),
    ]
    expect(mutations.length).toBe(6)
    expect([...d]).toEqual([1, 2, 3, 4])
  })

  it('copies (slice, map) are plain Float32Arrays, the caller\'s to change', () => {
    const d = data()
    const copy = d.slice()
    expectTypeOf(copy).toMatchTypeOf<Float32Array>()
    copy[0] = 9
    expect(d[0]).toBe(1)
    // a Float32Array is a ReadonlyFloat32Array (functions accept either)
    const asReadonly: ReadonlyFloat32Array = new Float32Array(2)
    expect(asReadonly.subarray(1).length).toBe(1)
  })
})
