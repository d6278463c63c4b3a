/**
 * Base64 without Buffer: agrees with Node's Buffer (used here only as the
 * reference) on random bytes, keeps float32 bits exactly, handles arrays of
 * millions of floats, and names bad input.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64, decodeF32, encodeBase64, encodeF32 } from '../../src/codec/index'

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length)

describe('base64', () => {
  it('agrees with Buffer both ways, for every length 0..64 and random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const s = encodeBase64(b)
        expect(s).toBe(Buffer.from(b).toString('base64'))
        expect(decodeBase64(s)).toEqual(E.right(new Uint8Array(b)))
      }),
      { numRuns: 500 },
    )
  })

  it('refuses bad characters, misplaced padding and bad lengths, naming the place', () => {
    expect(decodeBase64('a*k=')).toEqual(E.left('invalid base64: character 1 is "*"'))
    expect(decodeBase64('aGk')).toEqual(E.left('invalid base64: length 3 is not a multiple of 4'))
    expect(E.isLeft(decodeBase64('a=k='))).toBe(true)
    expect(E.isLeft(decodeBase64('aGk=aGk='))).toBe(true)
    expect(E.isLeft(decodeBase64('aG\u00e9='))).toBe(true)
    expect(decodeBase64('')).toEqual(E.right(new Uint8Array(0)))
  })
})

describe('float32 data', () => {
  it('refuses bits set past the data in the last character (#9: one string, one meaning)', () => {
    expect(decodeBase64('aGk=')).toEqual(E.right(new Uint8Array([104, 105])))
    expect(decodeBase64('aGl=')).toEqual(E.left('invalid base64: character 2 has bits set beyond the data (not the canonical encoding)'))
    expect(decodeBase64('aA==')).toEqual(E.right(new Uint8Array([104])))
    expect(decodeBase64('aB==')).toEqual(E.left('invalid base64: character 1 has bits set beyond the data (not the canonical encoding)'))
    // every one-character change of a canonical string either fails or changes the bytes
    const s = encodeBase64(new Uint8Array([1, 2, 3, 4, 5]))
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    for (let i = 0; i < s.length; i++)
      for (const ch of alphabet) {
        if (ch === s[i] || s[i] === '=') continue
        const r = decodeBase64(s.slice(0, i) + ch + s.slice(i + 1))
        if (E.isRight(r)) expect([...r.right]).not.toEqual([1, 2, 3, 4, 5])
      }
  })

  it('keeps every bit pattern, NaN payloads, -0 and subnormals included', () => {
    fc.assert(
      fc.property(fc.uint32Array({ maxLength: 100 }), (words) => {
        const a = new Float32Array(Uint32Array.from(words).buffer)
        const r = decodeF32(encodeF32(a))
        expect(E.isRight(r) && [...bits(r.right)]).toEqual([...words])
      }),
    )
  })

  it('reads views at an offset and writes little-endian bytes', () => {
    const big = new Float32Array([9, 1, 2, 9])
    expect(encodeF32(big.subarray(1, 3))).toBe(Buffer.from(new Float32Array([1, 2]).buffer).toString('base64'))
    expect(encodeF32(new Float32Array([1]))).toBe('AACAPw==')
  })

  it('handles millions of floats in chunks', () => {
    const n = 1 << 21 // 2M floats, 8 MiB
    const a = new Float32Array(n)
    for (let i = 0; i < n; i++) a[i] = Math.sin(i) * 1e-3
    const t0 = performance.now()
    const s = encodeF32(a)
    const r = decodeF32(s)
    const ms = performance.now() - t0
    expect(s.length).toBe(Math.ceil((n * 4) / 3) * 4)
    expect(E.isRight(r) && Buffer.compare(Buffer.from(bits(r.right).buffer), Buffer.from(bits(a).buffer))).toBe(0)
    expect(ms).toBeLessThan(5000)
  })

  it('refuses a byte count that is not a multiple of 4', () => {
    expect(decodeF32(encodeBase64(new Uint8Array(5)))).toEqual(E.left('5 bytes is not a whole number of float32s (a multiple of 4)'))
  })
})
