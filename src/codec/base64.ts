/**
 * Float32 arrays as base64 of their little-endian bytes, without Node's
 * `Buffer` (so it runs in browsers, workers and edge runtimes). Bits are kept
 * exactly: NaN payloads, -0 and subnormals survive. Large arrays are encoded
 * in chunks, so no call builds an argument list or a string piece by piece.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeF32, encodeF32 } from './base64'
 * const a = new Float32Array([1, -0, NaN, 1e-45]) // 1e-45 is a subnormal
 * const s = encodeF32(a)
 * assert.strictEqual(s, 'AACAPwAAAIAAAMB/AQAAAA==')
 * const back = decodeF32(s)
 * assert.ok(E.isRight(back))
 * assert.deepStrictEqual(new Uint32Array(back.right.buffer), new Uint32Array(a.buffer)) // the same bits
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ReadonlyFloat32Array } from '../core/Tensor'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const ENC = Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0))
const DEC = new Int16Array(128).fill(-1)
for (let i = 0; i < 64; i++) DEC[ENC[i]!] = i
const PAD = 61 // '='
const CHUNK = 0x8000 // characters per String.fromCharCode call (below every engine's argument limit)

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

// ------------------------------------------------------------------- bytes

/** The little-endian bytes of a float32 array (a view when the platform is little-endian). */
const f32Bytes = (a: ReadonlyFloat32Array): Uint8Array => {
  const f = a as Float32Array
  if (LITTLE) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength)
  const out = new Uint8Array(f.length * 4)
  const dv = new DataView(out.buffer)
  const src = new DataView(f.buffer, f.byteOffset, f.byteLength)
  for (let i = 0; i < f.length; i++) dv.setUint32(i * 4, src.getUint32(i * 4, false), true)
  return out
}

/** A float32 array from little-endian bytes (whose length is a multiple of 4). */
const bytesF32 = (b: Uint8Array): Float32Array => {
  if (LITTLE)
    return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength
      ? new Float32Array(b.buffer, 0, b.length / 4)
      : new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))
  const out = new Float32Array(b.length / 4)
  const dv = new DataView(out.buffer)
  const src = new DataView(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i < out.length; i++) dv.setUint32(i * 4, src.getUint32(i * 4, true), false)
  return out
}

// ------------------------------------------------------------------- base64

/**
 * Standard base64 (RFC 4648, with padding) of bytes.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { encodeBase64 } from './base64'
 * assert.strictEqual(encodeBase64(new TextEncoder().encode('hi')), 'aGk=')
 *
 * @category utils
 * @since 0.1.0
 */
export const encodeBase64 = (bytes: Uint8Array): string => {
  const n = bytes.length
  const out = new Uint8Array(Math.ceil(n / 3) * 4)
  let o = 0
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o++] = ENC[v >>> 18]!
    out[o++] = ENC[(v >>> 12) & 63]!
    out[o++] = ENC[(v >>> 6) & 63]!
    out[o++] = ENC[v & 63]!
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8)
    out[o++] = ENC[v >>> 18]!
    out[o++] = ENC[(v >>> 12) & 63]!
    out[o++] = i + 1 < n ? ENC[(v >>> 6) & 63]! : PAD
    out[o] = PAD
  }
  const parts: string[] = []
  for (let c = 0; c < out.length; c += CHUNK) parts.push(String.fromCharCode.apply(null, out.subarray(c, c + CHUNK) as unknown as number[]))
  return parts.join('')
}

/**
 * Bytes from standard base64 (with padding, no whitespace); the first bad
 * character, a bad length or bits set past the data in the last character
 * (a non-canonical string) is an error message.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeBase64 } from './base64'
 * assert.deepStrictEqual(decodeBase64('aGk='), E.right(new TextEncoder().encode('hi')))
 * assert.deepStrictEqual(decodeBase64('a*k='), E.left('invalid base64: character 1 is "*"'))
 * // 'aGl=' would also read as 'hi' if the spare bits were ignored: one string, one meaning
 * assert.deepStrictEqual(decodeBase64('aGl='), E.left('invalid base64: character 2 has bits set beyond the data (not the canonical encoding)'))
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeBase64 = (s: string): E.Either<string, Uint8Array> => {
  const n = s.length
  if (n % 4 !== 0) return E.left(`invalid base64: length ${n} is not a multiple of 4`)
  const pad = n === 0 ? 0 : s.charCodeAt(n - 1) !== PAD ? 0 : s.charCodeAt(n - 2) !== PAD ? 1 : 2
  const out = new Uint8Array((n / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < n; i += 4) {
    let v = 0
    for (let k = 0; k < 4; k++) {
      const ch = s.charCodeAt(i + k)
      const d = ch < 128 ? DEC[ch]! : -1
      const padded = ch === PAD && i + 4 === n && k >= 4 - pad
      if (d < 0 && !padded) return E.left(`invalid base64: character ${i + k} is ${JSON.stringify(s[i + k])}`)
      v = (v << 6) | (d < 0 ? 0 : d)
    }
    // #9: the bits padding leaves over must be 0, so each string has one meaning and a changed character never passes unseen
    if (i + 4 === n && pad > 0 && (v & (pad === 1 ? 0xff : 0xffff)) !== 0)
      return E.left(`invalid base64: character ${n - 1 - pad} has bits set beyond the data (not the canonical encoding)`)
    out[o++] = v >>> 16
    if (o < out.length) out[o++] = (v >>> 8) & 255
    if (o < out.length) out[o++] = v & 255
  }
  return E.right(out)
}

/**
 * A float32 array as base64 of its little-endian bytes.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { encodeF32 } from './base64'
 * assert.strictEqual(encodeF32(new Float32Array([1])), 'AACAPw==') // the bytes 00 00 80 3f
 *
 * @category utils
 * @since 0.1.0
 */
export const encodeF32 = (a: ReadonlyFloat32Array): string => encodeBase64(f32Bytes(a))

/**
 * A float32 array from base64 of little-endian bytes, bit for bit; bad base64
 * or a byte count that is not a multiple of 4 is an error message.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeF32 } from './base64'
 * assert.deepStrictEqual(decodeF32('AACAPw=='), E.right(new Float32Array([1])))
 * assert.deepStrictEqual(decodeF32('aGk='), E.left('2 bytes is not a whole number of float32s (a multiple of 4)'))
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeF32 = (s: string): E.Either<string, Float32Array> =>
  E.chain((b: Uint8Array) =>
    b.length % 4 === 0 ? E.right(bytesF32(b)) : E.left(`${b.length} bytes is not a whole number of float32s (a multiple of 4)`),
  )(decodeBase64(s))
