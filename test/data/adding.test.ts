import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { uniform } from '../../src/data/random'
import { adding, adding1997, adding1997Baselines, addingBaselines, type AddingBatch } from '../../src/data/tasks/adding'
import type { SequenceTask } from '../../src/data/tasks/Sequence'

const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const value = (s: AddingBatch, t: number, b: number) => s.x[(t * s.batchSize + b) * 2]!
const marker = (s: AddingBatch, t: number, b: number) => s.x[(t * s.batchSize + b) * 2 + 1]!
const targets = (s: AddingBatch) => (s.target._tag === 'FinalValue' ? s.target.y : new Float32Array())

/** Checks the layout of every sequence of a batch; returns the marked steps. */
const marked = (s: AddingBatch, b: number): number[] => {
  const out: number[] = []
  for (let t = 0; t < s.lengths[b]!; t++) if (marker(s, t, b) === 1) out.push(t)
  return out
}

const mse = (task: SequenceTask<AddingBatch>, batches: number, predict: (s: AddingBatch, b: number) => number) => {
  let sum = 0
  let n = 0
  let hits = 0
  for (let k = 0; k < batches; k++) {
    const s = task.batch(k)
    const y = targets(s)
    for (let b = 0; b < s.batchSize; b++) {
      const e = predict(s, b) - y[b]!
      sum += e * e
      hits += Math.abs(e) < 0.04 ? 1 : 0
      n++
    }
  }
  return { mse: sum / n, accuracy: hits / n }
}

describe('adding problem (Le et al. 2015)', () => {
  it('has exactly two markers and the target is the sum of their values', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 2, max: 60 }), fc.integer({ min: 1, max: 8 }), fc.constantFrom('halves' as const, 'anywhere' as const), fc.nat(1000), (seed, T, B, placement, k) => {
        const s = right(adding({ T, batchSize: B, seed, placement })).batch(k)
        expect(s.x.length).toBe(T * B * 2)
        expect(s.mask).toBeUndefined()
        for (let b = 0; b < B; b++) {
          const m = marked(s, b)
          expect(m.length).toBe(2)
          expect([...s.markers.subarray(2 * b, 2 * b + 2)]).toEqual(m)
          if (placement === 'halves') expect(m[0]! < Math.floor(T / 2) && m[1]! >= Math.floor(T / 2)).toBe(true)
          expect(targets(s)[b]).toBeCloseTo(value(s, m[0]!, b) + value(s, m[1]!, b), 6)
          for (let t = 0; t < T; t++) expect(value(s, t, b) >= 0 && value(s, t, b) < 1).toBe(true)
        }
      }),
      { numRuns: 50 },
    )
  })

  it('is deterministic: example n depends on the seed and n only', () => {
    const a = right(adding({ T: 30, batchSize: 8, seed: 5 })).batch(0)
    const b = right(adding({ T: 30, batchSize: 4, seed: 5 })).batch(1)
    expect(right(adding({ T: 30, batchSize: 8, seed: 5 })).batch(0)).toEqual(a)
    expect([...targets(a).subarray(4)]).toEqual([...targets(b)])
    expect(right(adding({ T: 30, batchSize: 8, seed: uniform(5) })).batch(0)).toEqual(a)
    expect(right(adding({ T: 30, batchSize: 8, seed: 6 })).batch(0).x).not.toEqual(a.x)
  })

  it('predicting 1 gives MSE near 1/6, remembering the later value 1/12', () => {
    for (const placement of ['halves', 'anywhere'] as const) {
      const task = right(adding({ T: 20, batchSize: 100, seed: 11, placement }))
      expect(mse(task, 200, () => 1).mse).toBeCloseTo(addingBaselines.constantMse, 2)
      expect(mse(task, 200, (s, b) => 0.5 + value(s, s.markers[2 * b + 1]!, b)).mse).toBeCloseTo(addingBaselines.recencyMse, 2)
    }
  })

  it('rejects bad options', () => {
    expect(E.isLeft(adding({ T: 1, batchSize: 2, seed: 0 }))).toBe(true)
    expect(E.isLeft(adding({ T: 10, batchSize: 0, seed: 0 }))).toBe(true)
    expect(E.isLeft(adding({ T: 10.5, batchSize: 2, seed: 0 }))).toBe(true)
  })

  it('generates a batch of 32 x 200 quickly', () => {
    const task = right(adding({ T: 200, batchSize: 32, seed: 0 }))
    task.batch(0)
    const t0 = performance.now()
    for (let k = 0; k < 20; k++) task.batch(k)
    expect((performance.now() - t0) / 20).toBeLessThan(20)
  })
})

describe('adding problem (Hochreiter & Schmidhuber 1997, Exp. 4)', () => {
  it('follows the paper: lengths, marker placement, -1 ends, X1 := 0, target', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 20, max: 120 }), fc.integer({ min: 1, max: 6 }), fc.nat(1000), (seed, T, B, k) => {
        const s = right(adding1997({ T, batchSize: B, seed })).batch(k)
        expect(s.steps).toBe(T + Math.floor(T / 10))
        for (let b = 0; b < B; b++) {
          const L = s.lengths[b]!
          expect(L >= T && L <= T + Math.floor(T / 10)).toBe(true)
          const m = marked(s, b)
          const [x1, x2] = [s.markers[2 * b]!, s.markers[2 * b + 1]!]
          expect(m).toEqual([Math.min(x1, x2), Math.max(x1, x2)])
          expect(x1).toBeLessThan(10)
          expect(x2).toBeLessThan(Math.floor(T / 2))
          if (x1 === 0) expect(value(s, 0, b)).toBe(0)
          else if (x2 !== 0) expect(marker(s, 0, b)).toBe(-1)
          expect(marker(s, L - 1, b)).toBe(-1)
          for (let t = 1; t < L - 1; t++) if (!m.includes(t)) expect(marker(s, t, b)).toBe(0)
          for (let t = 0; t < s.steps; t++) {
            expect(s.mask?.[t * B + b] ?? 1).toBe(t < L ? 1 : 0)
            if (t >= L) expect(value(s, t, b) === 0 && marker(s, t, b) === 0).toBe(true)
          }
          expect(targets(s)[b]).toBeCloseTo(0.5 + (value(s, m[0]!, b) + value(s, m[1]!, b)) / 4, 6)
        }
      }),
      { numRuns: 50 },
    )
  })

  it('without jitter every length is T and there is no mask', () => {
    const s = right(adding1997({ T: 50, batchSize: 16, seed: 2, jitter: false })).batch(3)
    expect(s.steps).toBe(50)
    expect(s.mask).toBeUndefined()
    expect([...s.lengths]).toEqual(new Array(16).fill(50))
  })

  it('predicting 0.5 gives MSE near 0.0396 and about 15% "correct"', () => {
    const r = mse(right(adding1997({ T: 40, batchSize: 100, seed: 3 })), 200, () => 0.5)
    expect(Math.abs(r.mse - adding1997Baselines.constantMse)).toBeLessThan(0.0015)
    expect(Math.abs(r.accuracy - adding1997Baselines.constantAccuracy)).toBeLessThan(0.012)
  })

  it('rejects T below 20', () => {
    expect(E.isLeft(adding1997({ T: 19, batchSize: 2, seed: 0 }))).toBe(true)
  })
})
