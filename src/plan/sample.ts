/**
 * Random draws in Wasm from an explicit key (Threefry-2x32 counters, as
 * src/core/Key.ts), so the same key gives the same bits in every runtime:
 * the draws behind parameter initialisers. Each draw uses the memory from
 * the runtime's heap base as scratch and copies its floats out.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { key } from '../core/Key'
 * import { loadSync } from '../wasm/Runtime'
 * import { sample } from './sample'
 * const rt = loadSync()
 * assert.ok(E.isRight(rt))
 * const a = sample(rt.right, 1000, key(7), { _tag: 'uniform', lo: -1, hi: 1 })
 * const b = sample(rt.right, 1000, key(7), { _tag: 'uniform', lo: -1, hi: 1 })
 * assert.ok(E.isRight(a) && E.isRight(b))
 * assert.deepStrictEqual(a.right, b.right) // the same key, the same bits
 * assert.ok(a.right.every((v) => v >= -1 && v < 1))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import type { Key } from '../core/Key'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'

/** A distribution to draw from. @category model */
export type Distribution =
  | { readonly _tag: 'uniform'; readonly lo: number; readonly hi: number }
  | { readonly _tag: 'normal'; readonly mean: number; readonly std: number }

/** n floats drawn from `d` with `key` (counters from 0). @category constructors */
export const sample = (rt: Runtime, n: number, key: Key, d: Distribution): E.Either<GradtraceError, Float32Array> => {
  const k = rt.kernels
  const base = (k.heap_base() + 63) & ~63
  const grown = W.ensure(k, base + 4 * n + 64)
  if (E.isLeft(grown)) return grown
  if (d._tag === 'uniform') k.rng_uniform_f32(base, n, key.k0, key.k1, 0, d.lo, d.hi)
  else k.rng_normal_f32(base, n, key.k0, key.k1, 0, d.mean, d.std)
  return E.right(W.read(k, base, n))
}
