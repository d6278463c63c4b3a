/**
 * CRC-32 (IEEE 802.3, the polynomial of zip and PNG) of float32 data, as
 * checkpoints store it (#9): a changed bit, a changed base64 character or two
 * swapped floats change the checksum, so the decoder can name the field that
 * was damaged instead of resuming from it.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { crc32F32 } from './crc32'
 * assert.strictEqual(crc32F32(new Float32Array([1])), 'aca16a6a') // the CRC-32 of the bytes 00 00 80 3f
 * assert.notStrictEqual(crc32F32(new Float32Array([1, 2])), crc32F32(new Float32Array([2, 1]))) // order counts
 *
 * @since 0.1.0
 */
import type { ReadonlyFloat32Array } from '../core/Tensor'

const TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

const LITTLE = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/**
 * The CRC-32 of bytes, as an unsigned integer.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { crc32 } from './crc32'
 * assert.strictEqual(crc32(new TextEncoder().encode('123456789')), 0xcbf43926) // the standard check value
 *
 * @category utils
 * @since 0.1.0
 */
export const crc32 = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** The little-endian bytes of float32 data (a view on little-endian platforms). */
const bytesOf = (a: ReadonlyFloat32Array): Uint8Array => {
  const f = a as Float32Array
  if (LITTLE) return new Uint8Array(f.buffer, f.byteOffset, f.byteLength)
  const out = new Uint8Array(f.byteLength)
  const dv = new DataView(out.buffer)
  const words = new Uint32Array(f.buffer, f.byteOffset, f.length) // the bits, NaN payloads included
  for (let i = 0; i < words.length; i++) dv.setUint32(i * 4, words[i]!, true)
  return out
}

/**
 * The CRC-32 of float32 data's little-endian bytes (the bytes its base64
 * encodes), as 8 lowercase hex digits.
 *
 * @category utils
 * @since 0.1.0
 */
export const crc32F32 = (a: ReadonlyFloat32Array): string => crc32(bytesOf(a)).toString(16).padStart(8, '0')
