/**
 * The 8x8 handwritten digits (UCI "Optical Recognition of Handwritten
 * Digits", test part, as shipped by scikit-learn: Alpaydin & Kaynak 1998,
 * CC BY 4.0): 1,797 images of 64 pixels, 10 classes of about 180 each.
 * Embedded in the bundle (about 80 KB of base64), so it needs no file system
 * and works in browsers and edge runtimes.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { digits, standardize, trainTestSplit } from './digits'
 * const ds = digits() // x (1797, 64) in [0, 1], y (1797) labels 0..9
 * assert.deepStrictEqual([ds.x.length, ds.y.length, ds.classes], [1797 * 64, 1797, 10])
 * const parts = trainTestSplit(standardize(ds), 0, 0.2)
 * assert.ok(E.isRight(parts))
 * assert.deepStrictEqual([parts.right.train.y.length, parts.right.test.y.length], [1438, 359])
 *
 * @since 0.1.0
 */
import type { Dataset } from './Dataset'
import { count, escapeBits, labelNibbles, pixelNibbles } from './digits.generated'

export { moments, standardize, standardizeWith, trainTestSplit } from './Dataset'

// utils

// A plain decoder rather than `atob`, which is slow in Node and absent from
// some embedded runtimes. Input is our own well-formed, padded base64.
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const fromBase64 = (s: string): Uint8Array => {
  const code = new Uint8Array(128)
  for (let i = 0; i < 64; i++) code[alphabet.charCodeAt(i)] = i
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0
  const out = new Uint8Array((s.length / 4) * 3 - pad)
  for (let i = 0, j = 0; i < s.length; i += 4, j += 3) {
    const n = (code[s.charCodeAt(i)]! << 18) | (code[s.charCodeAt(i + 1)]! << 12) | (code[s.charCodeAt(i + 2)]! << 6) | code[s.charCodeAt(i + 3)]!
    out[j] = n >> 16
    if (j + 1 < out.length) out[j + 1] = (n >> 8) & 255
    if (j + 2 < out.length) out[j + 2] = n & 255
  }
  return out
}

let cache: { readonly pixels: Uint8Array; readonly labels: Uint8Array } | undefined

/**
 * The raw pixels (1797 * 64 bytes, 0..16) and labels (1797 bytes), decoded
 * once and kept; callers get copies.
 *
 * @category utils
 * @since 0.1.0
 */
export const raw = (): { readonly pixels: Uint8Array; readonly labels: Uint8Array } => {
  if (cache === undefined) {
    const nib = fromBase64(pixelNibbles)
    const esc = fromBase64(escapeBits)
    const lab = fromBase64(labelNibbles)
    const pixels = new Uint8Array(count * 64)
    let k = 0
    for (let i = 0; i < pixels.length; i++) {
      const c = (nib[i >> 1]! >> ((i & 1) << 2)) & 15
      pixels[i] = c === 15 ? 15 + ((esc[k >> 3]! >> (k++ & 7)) & 1) : c
    }
    const labels = new Uint8Array(count)
    for (let i = 0; i < count; i++) labels[i] = (lab[i >> 1]! >> ((i & 1) << 2)) & 15
    cache = { pixels, labels }
  }
  return { pixels: cache.pixels.slice(), labels: cache.labels.slice() }
}

// constructors

/**
 * The digits data set: `x` is (1797, 64) row-major, each pixel divided by 16
 * into [0, 1] (row-major within the 8x8 image); `y` holds the labels 0..9.
 *
 * @category constructors
 * @since 0.1.0
 */
export const digits = (): Dataset => {
  const { pixels, labels } = raw()
  const x = new Float32Array(pixels.length)
  for (let i = 0; i < x.length; i++) x[i] = pixels[i]! / 16
  return { x, y: Int32Array.from(labels), shape: [64], classes: 10, name: 'digits' }
}
