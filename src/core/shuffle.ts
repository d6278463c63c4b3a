/**
 * Keyed permutations for shuffling data: Fisher–Yates driven by Threefry
 * bits, so the same key gives the same order in every runtime.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { foldIn, key } from './Key'
 * import { permutation } from './shuffle'
 * const epoch = (e: number) => permutation(foldIn(key(0), e), 5) // the order of the rows in epoch e
 * assert.deepStrictEqual([...epoch(0)].sort(), [0, 1, 2, 3, 4]) // each row once
 * assert.deepStrictEqual(epoch(0), epoch(0)) // the same key, the same order, in every runtime
 * assert.notDeepStrictEqual(epoch(0), epoch(1))
 *
 * @since 0.1.0
 */
import { bits, type Key } from './Key'

/** A permutation of 0..n-1 drawn from the key. @category utils */
export const permutation = (k: Key, n: number): Int32Array => {
  const p = new Int32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    // 53 random bits scaled to [0, i]; the modulo bias of 32 bits would be visible at n ~ 1e6.
    const [a, b] = bits(k, i)
    const u = (a * 2 ** 21 + (b >>> 11)) / 2 ** 53
    const j = Math.floor(u * (i + 1))
    const t = p[i]!
    p[i] = p[j]!
    p[j] = t
  }
  return p
}
