import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { SequenceBatch } from '../../src/data/tasks/Sequence'
import { temporalOrder, temporalOrderBaselines, temporalOrderSymbols } from '../../src/data/tasks/temporalOrder'

const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

/** Decodes sequence b back to text; checks one-hot on real steps and zeros on padding. */
const decode = (s: SequenceBatch, b: number): string => {
  let out = ''
  for (let t = 0; t < s.steps; t++) {
    const v = s.x.subarray((t * s.batchSize + b) * 8, (t * s.batchSize + b + 1) * 8)
    const hot = [...v].flatMap((x, i) => (x === 1 ? [i] : x === 0 ? [] : [NaN]))
    if (t < s.lengths[b]!) {
      expect(hot.length).toBe(1)
      out += temporalOrderSymbols[hot[0]!]
    } else expect(hot.length).toBe(0)
  }
  return out
}

describe('temporal order (Exp. 6)', () => {
  it('6a: E … B, X/Y at the two ranges, label = order', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(100), (seed, k) => {
        const s = right(temporalOrder({ batchSize: 8, seed })).batch(k)
        expect(s.steps).toBe(110)
        const y = s.target._tag === 'FinalClass' ? s.target.y : new Int32Array()
        for (let b = 0; b < 8; b++) {
          const str = decode(s, b)
          expect(str.length >= 100 && str.length <= 110).toBe(true)
          expect(str).toMatch(/^E[abcd]+[XY][abcd]+[XY][abcd]+B$/)
          const t1 = str.search(/[XY]/)
          const t2 = str.slice(t1 + 1).search(/[XY]/) + t1 + 1
          expect(t1 >= 10 && t1 <= 20 && t2 >= 50 && t2 <= 60).toBe(true)
          expect([...s.positions.subarray(2 * b, 2 * b + 2)]).toEqual([t1, t2])
          expect(y[b]).toBe(['XX', 'XY', 'YX', 'YY'].indexOf(str[t1]! + str[t2]!))
        }
      }),
      { numRuns: 30 },
    )
  })

  it('6b has 8 classes; classes are balanced', () => {
    const task = right(temporalOrder({ batchSize: 200, seed: 1, variant: '6b' }))
    const s = task.batch(0)
    expect(s.target._tag === 'FinalClass' && s.target.classes).toBe(8)
    const counts = new Array(8).fill(0)
    for (let k = 0; k < 10; k++) {
      const t = task.batch(k).target
      if (t._tag === 'FinalClass') for (const c of t.y) counts[c]++
    }
    for (const c of counts) expect(Math.abs(c - 250)).toBeLessThan(60)
    for (let b = 0; b < 20; b++) {
      const str = decode(s, b)
      const bits = [...str].filter((ch) => ch === 'X' || ch === 'Y').map((ch) => (ch === 'Y' ? 1 : 0))
      expect(bits.length).toBe(3)
      expect(s.target._tag === 'FinalClass' && s.target.y[b]).toBe(bits[0]! * 4 + bits[1]! * 2 + bits[2]!)
    }
    expect(temporalOrderBaselines(2).chanceCrossEntropy).toBeCloseTo(Math.log(4), 12)
  })

  it('scales down and validates', () => {
    const s = right(temporalOrder({ batchSize: 4, seed: 2, length: [20, 20], positions: [[2, 5], [10, 15]] })).batch(0)
    expect(s.steps).toBe(20)
    expect(s.mask).toBeUndefined()
    expect(E.isLeft(temporalOrder({ batchSize: 4, seed: 2, length: [20, 20], positions: [[10, 15], [2, 5]] }))).toBe(true)
    expect(E.isLeft(temporalOrder({ batchSize: 4, seed: 2, length: [20, 20], positions: [[2, 19]] }))).toBe(true)
    expect(E.isLeft(temporalOrder({ batchSize: 0, seed: 2 }))).toBe(true)
  })
})
