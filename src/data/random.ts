/**
 * Counter-based uniform numbers for data generation and shuffling: a
 * `Uniform` is a pure function from a counter `i` to a number in [0, 1), so
 * draw `i` can be recomputed without replaying draws `0 … i-1`. Every task
 * gives example `n` its own block of `2^24` counters, so example `n` of a
 * seed is the same whatever the batch size.
 *
 * `uniform(seed)` hashes `(seed, i)` with Chris Wellons' `triple32` integer
 * hash (a bijection on 32-bit words, full avalanche), applied twice so the
 * high word of `i` and a second seed word are mixed in. It is small, fast and
 * not cryptographic. When `core/Key` lands, a key plugs in as
 * `i => Key.bits(key, i) / 2 ** 32`; nothing else here needs to change.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { permutation, uniform } from './random'
 * const u = uniform(42)
 * assert.strictEqual(u(0), uniform(42)(0)) // same seed, same counter, same number
 * assert.deepStrictEqual([...permutation(u, 5)].sort(), [0, 1, 2, 3, 4]) // in a seed-determined order
 *
 * @since 0.1.0
 */

// model

/** A deterministic source of uniform numbers in [0, 1), indexed by a counter. @category model */
export type Uniform = (i: number) => number

/** A numeric seed or a ready `Uniform`. @category model */
export type Seed = number | Uniform

// constructors

const triple32 = (v: number): number => {
  let x = v >>> 0
  x ^= x >>> 17
  x = Math.imul(x, 0xed5ad4bb)
  x ^= x >>> 11
  x = Math.imul(x, 0xac4c1b51)
  x ^= x >>> 15
  x = Math.imul(x, 0x31848bab)
  x ^= x >>> 14
  return x >>> 0
}

/**
 * The uniform stream of a numeric seed (any finite number; the integer part
 * and the sign are hashed).
 *
 * @category constructors
 * @since 0.1.0
 */
export const uniform = (seed: number): Uniform => {
  const s = Math.trunc(seed)
  const k1 = triple32(s ^ 0x9e3779b9)
  const k2 = triple32((s / 4294967296) ^ k1 ^ 0x85ebca6b)
  return (i) => {
    const lo = i >>> 0
    const hi = Math.floor(i / 4294967296) >>> 0
    return triple32(triple32(lo ^ k1) ^ hi ^ k2) / 4294967296
  }
}

/** A `Uniform` from a seed or the `Uniform` itself. @category constructors @since 0.1.0 */
export const fromSeed = (seed: Seed): Uniform => (typeof seed === 'number' ? uniform(seed) : seed)

// utils

/** Counters reserved for each example: example `n` draws from `[n·2^24, (n+1)·2^24)`. @category utils @since 0.1.0 */
export const exampleStride = 2 ** 24

/** An integer in [0, n) from a draw. @category utils @since 0.1.0 */
export const below = (u: number, n: number): number => Math.min(n - 1, Math.floor(u * n))

/**
 * A uniformly random permutation of `0 … n-1` (Fisher–Yates, draw `j` uses
 * counter `first + j`).
 *
 * @category utils
 * @since 0.1.0
 */
export const permutation = (u: Uniform, n: number, first = 0): Int32Array => {
  const p = new Int32Array(n)
  for (let i = 0; i < n; i++) p[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = below(u(first + n - 1 - i), i + 1)
    const t = p[i]!
    p[i] = p[j]!
    p[j] = t
  }
  return p
}
