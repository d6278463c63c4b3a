/**
 * The layout shared by the synthetic sequence tasks. Inputs are
 * **time-major**: `x` is (T, B, F), element `x[(t·B + b)·F + f]`, so the
 * inputs of one time step for the whole batch are one contiguous slice
 * (`x.subarray(t·B·F, (t+1)·B·F)`), which is what a recurrent `scan` reads.
 * Sequences shorter than `T` are padded with zeros **at the end**; `mask`
 * (T, B) is 1 on real steps and 0 on padding, and `lengths[b]` is the length
 * of sequence `b`, so a task whose target comes at the end reads the output
 * at step `lengths[b] − 1`. When every sequence has length `T`, `mask` is
 * absent.
 *
 * A `SequenceTask` is validated once and then total: `task.batch(k)` gives
 * examples `k·B … k·B + B − 1`, each a pure function of the seed and its
 * index, so batch `k` is the same whenever it is asked for.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { adding } from './adding'
 * import type { SequenceBatch } from './Sequence'
 * // input feature f of sequence b at time t:
 * const at = (s: SequenceBatch, t: number, b: number, f: number) => s.x[(t * s.batchSize + b) * s.features + f]!
 * const task = adding({ T: 20, batchSize: 4, seed: 0 })
 * assert.ok(E.isRight(task))
 * const s = task.right.batch(0)
 * let marked = 0 // feature 1 marks the two numbers to add, in each sequence
 * for (let t = 0; t < s.steps; t++) marked += at(s, t, 3, 1)
 * assert.strictEqual(marked, 2)
 *
 * @since 0.1.0
 */

// model

/** What the network is asked for. @category model */
export type Target =
  /** one real vector per sequence, at its last step: `y` is (B, outputs) */
  | { readonly _tag: 'FinalValue'; readonly y: Float32Array; readonly outputs: number }
  /** one class per sequence, at its last step: `y` is (B) in [0, classes) */
  | { readonly _tag: 'FinalClass'; readonly y: Int32Array; readonly classes: number }
  /** a multi-hot vector at every step: `y` is (T, B, outputs), 1 for each allowed next symbol */
  | { readonly _tag: 'NextSymbols'; readonly y: Float32Array; readonly outputs: number }

/** One batch of sequences. @category model */
export interface SequenceBatch {
  /** (T, B, F) time-major */
  readonly x: Float32Array
  /** T: steps in the layout (the longest sequence, or a fixed bound) */
  readonly steps: number
  /** B */
  readonly batchSize: number
  /** F */
  readonly features: number
  /** (B) length of each sequence, ≤ T */
  readonly lengths: Int32Array
  /** (T, B) 1 on real steps, 0 on padding; absent when all lengths are T */
  readonly mask?: Float32Array
  readonly target: Target
}

/** A validated task: `batch(k)` is deterministic and total. @category model */
export interface SequenceTask<A extends SequenceBatch = SequenceBatch> {
  readonly name: string
  readonly batchSize: number
  readonly features: number
  readonly batch: (k: number) => A
}

// utils

/** Builds the (T, B) mask from lengths, or `undefined` if all are `steps`. @category utils @since 0.1.0 */
export const maskOf = (lengths: Int32Array, steps: number): Float32Array | undefined => {
  if (lengths.every((l) => l === steps)) return undefined
  const B = lengths.length
  const m = new Float32Array(steps * B)
  for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]!; t++) m[t * B + b] = 1
  return m
}

/** True when `n` is an integer in [lo, hi]. @category utils @since 0.1.0 */
export const isIntIn = (n: number, lo: number, hi = Number.MAX_SAFE_INTEGER): boolean => Number.isInteger(n) && n >= lo && n <= hi
