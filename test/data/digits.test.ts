import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { size } from '../../src/data/Dataset'
import { digits, moments, raw, standardize, trainTestSplit } from '../../src/data/digits'
import { checksum, count } from '../../src/data/digits.generated'

// the original CSV the generated module was made from (test/data/fixtures/README.md)
const csv = new URL('./fixtures/digits.csv.gz', import.meta.url)

const fnv1a = (bytes: Iterable<number>): number => {
  let h = 0x811c9dc5
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0
  return h
}

describe('digits', () => {
  const ds = digits()

  it('has 1797 rows of 64 features in [0, 1] and labels 0..9', () => {
    expect(count).toBe(1797)
    expect(size(ds)).toBe(1797)
    expect(ds.x.length).toBe(1797 * 64)
    expect(ds.y).toBeInstanceOf(Int32Array)
    expect(ds.shape).toEqual([64])
    expect(ds.classes).toBe(10)
    expect(Math.min(...ds.x)).toBe(0)
    expect(Math.max(...ds.x)).toBe(1)
    expect(ds.x.every((v) => Number.isInteger(v * 16))).toBe(true)
  })

  it('has about 180 examples of each class', () => {
    const counts = new Array(10).fill(0)
    for (const c of ds.y) counts[c]++
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
  })

  it('decodes to the bytes the generator hashed', () => {
    const { pixels, labels } = raw()
    expect(fnv1a([...pixels, ...labels])).toBe(checksum)
  })

  it('round-trips every pixel and label of the original CSV', () => {
    const rows = gunzipSync(readFileSync(csv)).toString('latin1').trim().split('\n')
    expect(rows.length).toBe(1797)
    rows.forEach((r, i) => {
      const v = r.split(',').map(Number)
      for (let j = 0; j < 64; j++) if (ds.x[i * 64 + j] !== v[j]! / 16) throw new Error(`row ${i} pixel ${j}`)
      expect(ds.y[i]).toBe(v[64])
    })
  })

  it('hands out copies', () => {
    const a = digits()
    a.x[0] = 42
    expect(digits().x[0]).toBe(0)
  })

  it('standardizes to mean 0 and std 1 (blank pixels stay 0)', () => {
    const m = moments(standardize(ds))
    for (let j = 0; j < 64; j++) {
      expect(Math.abs(m.mean[j]!)).toBeLessThan(1e-5)
      const s = m.std[j]!
      expect(s < 1e-8 || Math.abs(s - 1) < 1e-4).toBe(true)
    }
  })

  it('splits deterministically by seed', () => {
    const a = trainTestSplit(ds, 7, 0.2)
    const b = trainTestSplit(ds, 7, 0.2)
    if (E.isLeft(a) || E.isLeft(b)) throw new Error('split failed')
    expect(size(a.right.test)).toBe(359)
    expect(size(a.right.train)).toBe(1438)
    expect(a.right.test.x).toEqual(b.right.test.x)
    const c = trainTestSplit(ds, 8, 0.2)
    expect(E.isRight(c) && c.right.test.y).not.toEqual(a.right.test.y)
  })
})
