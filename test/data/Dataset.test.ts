import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { batch, fromArrays, size, subset, trainTestSplit } from '../../src/data/Dataset'
import { permutation, uniform } from '../../src/data/random'

const toy = (n: number) => {
  const x = Float32Array.from({ length: n * 3 }, (_, i) => i)
  const y = Int32Array.from({ length: n }, (_, i) => i % 4)
  const ds = fromArrays('toy', x, y, [3], 4)
  if (E.isLeft(ds)) throw new Error('toy')
  return ds.right
}

describe('Dataset', () => {
  it('rejects inconsistent arrays', () => {
    expect(E.isLeft(fromArrays('bad', new Float32Array(7), new Int32Array(2), [3]))).toBe(true)
    expect(E.isLeft(fromArrays('bad', new Float32Array(6), new Int32Array([0, 5]), [3], 4))).toBe(true)
    expect(E.isLeft(fromArrays('bad', new Float32Array(6), new Int32Array(2), [0]))).toBe(true)
  })

  it('batch copies rows in the order asked', () => {
    const ds = toy(5)
    const b = batch(ds, [4, 1])
    expect([...b.x]).toEqual([12, 13, 14, 3, 4, 5])
    expect([...b.y]).toEqual([0, 1])
    b.x[0] = -1
    expect(ds.x[12]).toBe(12)
    expect(() => batch(ds, [5])).toThrow(RangeError)
    expect(size(subset(ds, [0, 2]))).toBe(2)
  })

  it('split is a partition of the examples, for any seed and fraction', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 20, max: 200 }), (seed, f, n) => {
        const ds = toy(n)
        const r = trainTestSplit(ds, seed, f)
        if (E.isLeft(r)) return false
        const ids = [...r.right.train.x.filter((_, i) => i % 3 === 0), ...r.right.test.x.filter((_, i) => i % 3 === 0)].map((v) => v / 3)
        return ids.length === n && new Set(ids).size === n && size(r.right.test) === Math.round(n * f)
      }),
    )
  })

  it('split rejects fractions outside (0, 1)', () => {
    for (const f of [0, 1, -0.5, 2, Number.NaN]) expect(E.isLeft(trainTestSplit(toy(10), 0, f))).toBe(true)
  })
})

describe('random', () => {
  it('is deterministic, seed-dependent and roughly uniform', () => {
    const u = uniform(1)
    expect(u(123)).toBe(uniform(1)(123))
    expect(u(123)).not.toBe(uniform(2)(123))
    const n = 100_000
    const bins = new Array(10).fill(0)
    let mean = 0
    let inRange = true
    for (let i = 0; i < n; i++) {
      const v = u(i)
      inRange &&= v >= 0 && v < 1
      bins[Math.floor(v * 10)]++
      mean += v / n
    }
    expect(inRange).toBe(true)
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005)
    for (const b of bins) expect(Math.abs(b - n / 10)).toBeLessThan(600)
    // counters above 2^32 (example blocks) differ from the low ones
    expect(u(2 ** 33 + 5)).not.toBe(u(5))
  })

  it('permutation is a permutation', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 300 }), (seed, n) => {
        const p = permutation(uniform(seed), n)
        return [...p].sort((a, b) => a - b).every((v, i) => v === i)
      }),
    )
  })
})
