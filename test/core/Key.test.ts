/**
 * Key: Threefry-2x32-20 known answers (Random123 kat_vectors), determinism of
 * key / split / foldIn, separation of their streams, and the uniform helper's
 * moments.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'

// [key0, key1, ctr0, ctr1, out0, out1] (Random123 kat_vectors, threefry2x32_20)
const KAT: ReadonlyArray<readonly [number, number, number, number, number, number]> = [
  [0, 0, 0, 0, 0x6b200159, 0x99ba4efe],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
]

const same = (a: Key.Key, b: Key.Key): boolean => a.k0 === b.k0 && a.k1 === b.k1
const u32 = fc.integer({ min: 0, max: 0xffffffff })
const keyArb = fc.tuple(u32, u32).map(([a, b]) => Key.fromWords(a, b))

describe('threefry2x32', () => {
  it.each(KAT)('key (%i, %i) ctr (%i, %i) gives the known answer', (k0, k1, c0, c1, o0, o1) => {
    expect(Key.threefry2x32(k0, k1, c0, c1)).toEqual([o0, o1])
  })

  it('takes its inputs mod 2^32 and returns u32 words', () => {
    expect(Key.threefry2x32(-1, -1, -1, -1)).toEqual([0x1cb996fc, 0xbb002be7])
    expect(Key.threefry2x32(2 ** 32, 0, 2 ** 32, 0)).toEqual([0x6b200159, 0x99ba4efe])
    fc.assert(fc.property(u32, u32, u32, u32, (a, b, c, d) => Key.threefry2x32(a, b, c, d).every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)))
  })

  it('bits(key, ctr) is the block at counter (ctr, 0)', () => {
    const k = Key.fromWords(0x13198a2e, 0x03707344)
    expect(Key.bits(k, 5)).toEqual(Key.threefry2x32(k.k0, k.k1, 5, 0))
    expect(Key.bits(Key.fromWords(0, 0), 0)).toEqual([0x6b200159, 0x99ba4efe])
    expect(Key.bits(k, 2 ** 32 + 5)).toEqual(Key.bits(k, 5)) // counters wrap like the kernel's
  })
})

describe('key', () => {
  it('is deterministic and is a Key of two u32 words', () => {
    const k = Key.key(42)
    expect(k).toEqual(Key.key(42))
    expect(k._tag).toBe('Key')
    for (const w of [k.k0, k.k1]) expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true)
  })

  it('gives distinct keys for distinct safe-integer seeds, negative and large ones included', () => {
    const seeds = [...Array.from({ length: 2000 }, (_, i) => i - 1000), 2 ** 32, 2 ** 32 + 1, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]
    const ks = new Set(seeds.map((s) => `${Key.key(s).k0}:${Key.key(s).k1}`))
    expect(ks.size).toBe(seeds.length)
  })

  it('hashes the seed: key(s) differs from the seed words', () => {
    expect(Key.key(0)).not.toEqual(Key.fromWords(0, 0))
    expect(Key.key(1.9)).toEqual(Key.key(1)) // non-integers truncate
  })

  it('fromWords keeps u32 words', () => {
    expect(Key.fromWords(-1, 2 ** 32 + 3)).toEqual({ _tag: 'Key', k0: 0xffffffff, k1: 3 })
  })
})

describe('split and foldIn', () => {
  it('split is deterministic, defaults to 2 and extends by prefix', () => {
    const k = Key.key(7)
    expect(Key.split(k)).toHaveLength(2)
    expect(Key.split(k)).toEqual(Key.split(k, 2))
    expect(Key.split(k, 5).slice(0, 2)).toEqual(Key.split(k, 2))
    expect(Key.split(k, 0)).toEqual([])
  })

  it('split keys differ from each other and from the parent (property)', () => {
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 2, max: 16 }), (k, n) => {
        const ks = Key.split(k, n)
        const all = new Set([k, ...ks].map((x) => `${x.k0}:${x.k1}`))
        return all.size === n + 1 && ks.every((c, i) => same(c, Key.split(k, n)[i]!))
      }),
    )
  })

  it('foldIn is deterministic and separates data, splits and sampling (property)', () => {
    fc.assert(
      fc.property(keyArb, fc.maxSafeInteger(), fc.maxSafeInteger(), (k, a, b) => {
        const fa = Key.foldIn(k, a)
        const tags = [Key.split(k, 1)[0]!, Key.fromWords(...Key.bits(k, a))]
        return same(fa, Key.foldIn(k, a)) && (a === b || !same(fa, Key.foldIn(k, b))) && tags.every((t) => !same(fa, t))
      }),
    )
  })

  it('different streams: a key and its children draw different numbers', () => {
    const k = Key.key(0)
    const [a, b] = Key.split(k)
    const draw = (x: Key.Key) => Array.from({ length: 8 }, (_, i) => Key.uniform01(x, i))
    expect(draw(a!)).not.toEqual(draw(b!))
    expect(draw(a!)).not.toEqual(draw(k))
    expect(draw(Key.foldIn(k, 1))).not.toEqual(draw(Key.foldIn(k, 2)))
  })
})

describe('uniform01', () => {
  it('is on the 2^-24 grid in [0, 1) with mean 1/2 and variance 1/12 over 1e5 draws', () => {
    const k = Key.key(2024)
    const n = 100_000
    let [s, q, bad] = [0, 0, 0]
    for (let i = 0; i < n; i++) {
      const u = Key.uniform01(k, i)
      if (!(u >= 0 && u < 1 && Number.isInteger(u * 2 ** 24))) bad++
      s += u
      q += u * u
    }
    expect(bad).toBe(0)
    const mean = s / n
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005)
    expect(Math.abs(q / n - mean * mean - 1 / 12)).toBeLessThan(0.002)
  })

  it('is exactly (word 0 >>> 8) / 2^24, so an f32 holds it', () => {
    const k = Key.key(5)
    for (let i = 0; i < 100; i++) {
      const u = Key.uniform01(k, i)
      expect(u).toBe((Key.bits(k, i)[0] >>> 8) / 2 ** 24)
      expect(Math.fround(u)).toBe(u)
    }
  })
})
