/**
 * Keys: explicit, splittable, counter-based randomness (JAX's design). A `Key`
 * is a plain value of two u32 words; every random number is a pure function
 * of a key and a counter, computed by Threefry-2x32 with 20 rounds (Salmon et
 * al., SC 2011; Random123). The Wasm kernels (`rng_*`, `dropout_f32`) compute
 * the very same function, so the same seed gives bit-identical numbers in
 * Node, browsers and edge runtimes.
 *
 * Streams never overlap: sampling uses counters (ctr, 0), `split` uses
 * (i, 'SPLT'), `foldIn` uses (data, 'FOLD' ^ high word of data), and `key`
 * hashes the seed under a fixed key of its own.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as Key from './Key'
 * const [init, noise] = Key.split(Key.key(42), 2)
 * assert.strictEqual(Key.uniform01(init!, 0), Key.uniform01(init!, 0)) // a pure function of key and counter
 * assert.notStrictEqual(Key.uniform01(init!, 0), Key.uniform01(noise!, 0)) // split keys: unrelated streams
 * assert.deepStrictEqual(Key.split(Key.key(42), 2), [init, noise]) // splitting is deterministic too
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------- model

/**
 * A PRNG key: two u32 words. Build it with `key`, derive new ones with `split`
 * and `foldIn`; never reuse one key for two purposes.
 *
 * @category model
 * @since 0.1.0
 */
export interface Key {
  readonly _tag: 'Key'
  readonly k0: number
  readonly k1: number
}

// ---------------------------------------------------------------- threefry

const PARITY = 0x1bd11bda
const R = [13, 15, 26, 6, 17, 29, 16, 24] as const
const SEED_K0 = 0x6a09e667 // key for hashing seeds (SHA-256's first IV words)
const SEED_K1 = 0xbb67ae85
const SPLIT_TAG = 0x53504c54 // 'SPLT'
const FOLD_TAG = 0x464f4c44 // 'FOLD'
const TWO32 = 4294967296

/**
 * Threefry-2x32-20: the two u32 output words for key (k0, k1) and counter
 * (c0, c1). Inputs are taken mod 2^32. Bit-identical to `assembly/rng/threefry.ts`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { threefry2x32 } from './Key'
 * // Random123's known answers for threefry2x32_20 (key words, then counter words)
 * assert.deepStrictEqual(threefry2x32(0, 0, 0, 0), [0x6b200159, 0x99ba4efe])
 * assert.deepStrictEqual(threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3), [0xc4923a9c, 0x483df7a0])
 *
 * @category utils
 * @since 0.1.0
 */
export const threefry2x32 = (k0: number, k1: number, c0: number, c1: number): readonly [number, number] => {
  const ks = [k0 | 0, k1 | 0, (k0 ^ k1 ^ PARITY) | 0] as const
  let x0 = (c0 + ks[0]) | 0
  let x1 = (c1 + ks[1]) | 0
  for (let r = 0; r < 20; r++) {
    const rot = R[r % 8]!
    x0 = (x0 + x1) | 0
    x1 = ((x1 << rot) | (x1 >>> (32 - rot))) ^ x0
    if (r % 4 === 3) {
      const s = (r + 1) / 4
      x0 = (x0 + ks[s % 3]!) | 0
      x1 = (x1 + ks[(s + 1) % 3]! + s) | 0
    }
  }
  return [x0 >>> 0, x1 >>> 0]
}

// low and high u32 words of a (safe) integer, two's complement; non-integers truncate, NaN is 0
const lo32 = (x: number): number => Math.trunc(x) >>> 0
const hi32 = (x: number): number => Math.floor(Math.trunc(x) / TWO32) >>> 0

const fromPair = ([k0, k1]: readonly [number, number]): Key => ({ _tag: 'Key', k0, k1 })

// ------------------------------------------------------------- constructors

/**
 * A key from a seed. Any safe integer works (negative ones too); its 64-bit
 * two's complement is hashed by Threefry under a fixed key, so nearby seeds
 * give unrelated keys.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { key } from './Key'
 * assert.deepStrictEqual(key(0), key(0))
 * assert.ok(key(0).k0 !== key(1).k0 && key(0).k1 !== key(1).k1) // nearby seeds, unrelated keys
 *
 * @category constructors
 * @since 0.1.0
 */
export const key = (seed: number): Key => fromPair(threefry2x32(SEED_K0, SEED_K1, lo32(seed), hi32(seed)))

/**
 * A key from its two words as stored (a checkpoint, a trace); taken mod 2^32.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { fromWords, key } from './Key'
 * const k = key(7)
 * const stored = JSON.parse(JSON.stringify({ k0: k.k0, k1: k.k1 }))
 * assert.deepStrictEqual(fromWords(stored.k0, stored.k1), k)
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromWords = (k0: number, k1: number): Key => ({ _tag: 'Key', k0: k0 >>> 0, k1: k1 >>> 0 })

// --------------------------------------------------------------- combinators

/**
 * `n` new independent keys (default 2), child i = threefry(key, (i, 'SPLT')).
 * Deterministic: the same key always splits the same way. `n` is truncated; n <= 0 gives [].
 *
 * @example
 * import * as assert from 'node:assert'
 * import { key, split } from './Key'
 * const [init, dropout] = split(key(0)) // one key for the weights, one for dropout
 * assert.notDeepStrictEqual(init, dropout)
 * assert.deepStrictEqual(split(key(0), 3).slice(0, 2), [init, dropout]) // child i does not depend on n
 *
 * @category combinators
 * @since 0.1.0
 */
export const split = (k: Key, n = 2): ReadonlyArray<Key> =>
  Array.from({ length: Math.max(0, Math.trunc(n)) }, (_, i) => fromPair(threefry2x32(k.k0, k.k1, i, SPLIT_TAG)))

/**
 * A new key that depends on `key` and the integer `data` (a step number, a
 * layer index), as JAX's `fold_in`. Any safe integer works; non-integers truncate.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { foldIn, key } from './Key'
 * const stepKey = (step: number) => foldIn(key(0), step) // a fresh key per training step, no state kept
 * assert.deepStrictEqual(stepKey(10), stepKey(10))
 * assert.notDeepStrictEqual(stepKey(10), stepKey(11))
 *
 * @category combinators
 * @since 0.1.0
 */
export const foldIn = (k: Key, data: number): Key => fromPair(threefry2x32(k.k0, k.k1, lo32(data), (FOLD_TAG ^ hi32(data)) >>> 0))

// --------------------------------------------------------------------- utils

/**
 * The two u32 words of the block at counter `ctr` (taken mod 2^32, high counter
 * word 0): word 0 is what `rng_bits_u32(out, n, k0, k1, c)` writes at element
 * `ctr - c`; word 1 feeds the angle of `rng_normal_f32`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { bits, key, threefry2x32 } from './Key'
 * const k = key(1)
 * const [w0, w1] = bits(k, 5)
 * assert.deepStrictEqual([w0, w1], threefry2x32(k.k0, k.k1, 5, 0))
 * assert.ok(w0 === w0 >>> 0 && w1 === w1 >>> 0) // u32 words
 *
 * @category utils
 * @since 0.1.0
 */
export const bits = (k: Key, ctr: number): readonly [number, number] => threefry2x32(k.k0, k.k1, ctr >>> 0, 0)

/**
 * A uniform number in [0, 1) on the 2^-24 grid: (bits(key, i)[0] >>> 8) / 2^24,
 * exactly the f32 that `rng_uniform_f32` (lo 0, hi 1) writes at counter i.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { key, uniform01 } from './Key'
 * const u = Array.from({ length: 1000 }, (_, i) => uniform01(key(3), i))
 * assert.ok(u.every((x) => x >= 0 && x < 1 && x * 2 ** 24 === Math.floor(x * 2 ** 24))) // in [0, 1), on the 2^-24 grid
 * assert.ok(Math.abs(u.reduce((a, b) => a + b) / u.length - 0.5) < 0.05)
 *
 * @category utils
 * @since 0.1.0
 */
export const uniform01 = (k: Key, i: number): number => (bits(k, i)[0] >>> 8) / 16777216
