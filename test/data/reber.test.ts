import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { continualReber, embeddedReber, embeddedReberString, reberSymbols } from '../../src/data/tasks/reber'
import type { SequenceBatch } from '../../src/data/tasks/Sequence'

const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

// The Reber grammar written as a regular expression, derived by hand from the
// transition diagram (independently of the generator's table).
const reber = '(?:(?:TS*X|PT*VP)(?:XT*VP)*(?:S|XT*VV)|PT*VV)'
const isReber = (s: string) => new RegExp(`^B${reber}E$`).test(s)
const isEmbedded = (s: string) => new RegExp(`^B([TP])B${reber}E\\1E$`).test(s)

const at = (a: Float32Array, s: SequenceBatch, t: number, b: number): string =>
  [...a.subarray((t * s.batchSize + b) * 7, (t * s.batchSize + b + 1) * 7)].map((v, i) => (v === 1 ? reberSymbols[i] : '')).join('')

describe('Reber grammar', () => {
  it('the checker accepts and rejects known strings', () => {
    for (const s of ['BTXSE', 'BPVVE', 'BTSSXXTVVE', 'BPTVPXVVE', 'BTXXVPSE']) expect(isReber(s)).toBe(true)
    for (const s of ['BTSE', 'BPVE', 'BTXXVE', 'BTXSEE', 'TXSE']) expect(isReber(s)).toBe(false)
    expect(isEmbedded('BTBTXSETE')).toBe(true)
    expect(isEmbedded('BTBTXSEPE')).toBe(false)
  })

  it('generates embedded Reber strings', () => {
    fc.assert(fc.property(fc.integer(), fc.nat(10_000), (seed, n) => isEmbedded(embeddedReberString(seed, n))))
  })

  it('batches: inputs are the string but its last symbol; targets hold the next symbol', () => {
    const task = right(embeddedReber({ batchSize: 64, seed: 4 }))
    const s = task.batch(0)
    const y = s.target._tag === 'NextSymbols' ? s.target.y : new Float32Array()
    for (let b = 0; b < 64; b++) {
      const str = embeddedReberString(4, b)
      expect(s.lengths[b]).toBe(str.length - 1)
      for (let t = 0; t < s.steps; t++) {
        const real = t < s.lengths[b]!
        expect(at(s.x, s, t, b)).toBe(real ? str[t] : '')
        expect(s.mask?.[t * 64 + b] ?? 1).toBe(real ? 1 : 0)
        if (real) expect(at(y, s, t, b)).toContain(str[t + 1])
        // the critical step is the inner E, and its only legal successor is the embedded symbol
        const critical = s.critical[t * 64 + b] === 1
        expect(critical).toBe(t === str.length - 3)
        if (critical) expect(at(y, s, t, b)).toBe(str[1])
      }
    }
  })

  it('next-symbol targets equal the successors seen in a large sample', () => {
    const seen = new Map<string, { next: Set<string>; target: string; n: number }>()
    const task = right(embeddedReber({ batchSize: 500, seed: 9 }))
    for (let k = 0; k < 10; k++) {
      const s = task.batch(k)
      const y = s.target._tag === 'NextSymbols' ? s.target.y : new Float32Array()
      for (let b = 0; b < 500; b++) {
        const str = embeddedReberString(9, k * 500 + b)
        for (let t = 0; t < str.length - 1; t++) {
          const key = str.slice(0, t + 1)
          const e = seen.get(key) ?? { next: new Set(), target: at(y, s, t, b), n: 0 }
          e.next.add(str[t + 1]!)
          e.n++
          expect(at(y, s, t, b)).toBe(e.target)
          seen.set(key, e)
        }
      }
    }
    let checked = 0
    for (const e of seen.values()) {
      if (e.n < 40) continue
      expect([...e.next].sort().join('')).toBe([...e.target].sort().join(''))
      checked++
    }
    expect(checked).toBeGreaterThan(50)
  })

  it('maxSteps pads to a fixed length and redraws longer strings', () => {
    const s = right(embeddedReber({ batchSize: 200, seed: 1, maxSteps: 12 })).batch(0)
    expect(s.steps).toBe(12)
    for (let b = 0; b < 200; b++) {
      let str = ''
      for (let t = 0; t < s.lengths[b]!; t++) str += at(s.x, s, t, b)
      expect(s.lengths[b]).toBeLessThanOrEqual(12)
      expect(isEmbedded(str + 'E')).toBe(true)
    }
    expect(E.isLeft(embeddedReber({ batchSize: 2, seed: 1, maxSteps: 7 }))).toBe(true)
  })

  it('continual streams are embedded strings back to back, with B after E', () => {
    const s = right(continualReber({ batchSize: 3, seed: 5, steps: 2000 })).batch(0)
    const y = s.target._tag === 'NextSymbols' ? s.target.y : new Float32Array()
    expect(s.mask).toBeUndefined()
    for (let b = 0; b < 3; b++) {
      let text = ''
      const ends: number[] = []
      for (let t = 0; t < 2000; t++) {
        text += at(s.x, s, t, b)
        if (s.boundary[t * 3 + b] === 1) ends.push(t)
        if (t < 1999) expect(at(y, s, t, b)).toContain(at(s.x, s, t + 1, b))
      }
      const strings = ends.map((e, i) => text.slice(i === 0 ? 0 : ends[i - 1]! + 1, e + 1))
      expect(strings.length).toBeGreaterThan(100)
      for (const str of strings) expect(isEmbedded(str)).toBe(true)
      for (const e of ends) expect(at(y, s, e, b)).toBe('B')
      const crit = [...Array(2000).keys()].filter((t) => s.critical[t * 3 + b] === 1)
      expect(crit.length).toBeGreaterThanOrEqual(strings.length)
      for (const t of crit) expect(at(y, s, t, b)).toMatch(/^[TP]$/)
    }
  })

  it('generates quickly: batch 32, stream of 200 and single strings', () => {
    const c = right(continualReber({ batchSize: 32, seed: 0, steps: 200 }))
    const e = right(embeddedReber({ batchSize: 32, seed: 0 }))
    const t0 = performance.now()
    for (let k = 0; k < 20; k++) {
      c.batch(k)
      e.batch(k)
    }
    expect((performance.now() - t0) / 20).toBeLessThan(25)
  })
})
