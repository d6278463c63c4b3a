/**
 * From the time-major sequence tasks (`src/data/tasks`, x (T, B, F)) to model
 * batches, which are batch-first: x (B, T, F), or (B, T, F + 1) with the mask
 * as the last feature for layers built with `mask: true`. Data preparation,
 * not a hot path.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { adding } from '../../data/tasks/adding'
 * import { toBatch } from './sequence'
 * const task = adding({ T: 50, batchSize: 32, seed: 0 }) // time-major: x (50, 32, 2)
 * assert.ok(E.isRight(task))
 * const batch = toBatch(task.right.batch(0))
 * assert.deepStrictEqual(batch.x.shape, [32, 50, 2]) // batch-first, as models take it
 * assert.ok(!(batch.y instanceof Int32Array) && batch.y.shape.join() === '32,1')
 * assert.deepStrictEqual(toBatch(task.right.batch(0), { mask: true }).x.shape, [32, 50, 3]) // the mask as the last feature
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, shapeMismatch } from '../../core/Error'
import type { Tensor } from '../../core/Tensor'
import type { SequenceBatch } from '../../data/tasks/Sequence'

/** (A, B, F) -> (B, A, F + extra), leaving the extra features 0. @category utils */
export const swapLeading = (x: ArrayLike<number>, A: number, B: number, F: number, extra = 0): Float32Array => {
  const out = new Float32Array(A * B * (F + extra))
  const ld = F + extra
  for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) out[(b * A + a) * ld + f] = x[(a * B + b) * F + f]!
  return out
}

/**
 * Appends a mask channel to a batch-first input x (B, T, F): mask is (B, T),
 * 1 on real steps and 0 on padding. A mask of another size is an error value.
 * @category utils
 */
export const withMask = (x: Tensor, mask: ArrayLike<number>, path = 'mask'): E.Either<GradtraceError, Tensor> => {
  const [B = 0, T = 0, F = 0] = x.shape
  if (x.shape.length !== 3) return E.left(shapeMismatch('x', [B, T, F], x.shape, 'a batch of sequences (B, T, F)'))
  if (mask.length !== B * T) return E.left(shapeMismatch(path, [B, T], [mask.length], 'mask (B, T) matching the input'))
  const out = new Float32Array(B * T * (F + 1))
  for (let i = 0; i < B * T; i++) {
    for (let f = 0; f < F; f++) out[i * (F + 1) + f] = x.data[i * F + f]!
    out[i * (F + 1) + F] = mask[i]!
  }
  return E.right({ shape: [B, T, F + 1], data: out })
}

/**
 * A task batch as a model batch (`Model.Batch`, written out: layers sit below
 * the model); with `mask: true` the (T, B) mask (all ones when absent) becomes
 * the last feature.
 * @category utils
 */
export const toBatch = (s: SequenceBatch, opts: { readonly mask?: boolean } = {}): { readonly x: Tensor; readonly y: Tensor | Int32Array } => {
  const T = s.steps, B = s.batchSize, F = s.features
  const extra = opts.mask ? 1 : 0
  const data = swapLeading(s.x, T, B, F, extra)
  if (opts.mask) for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) data[(b * T + t) * (F + 1) + F] = s.mask ? s.mask[t * B + b]! : 1
  const x: Tensor = { shape: [B, T, F + extra], data }
  const tg = s.target
  switch (tg._tag) {
    case 'FinalValue':
      return { x, y: { shape: [B, tg.outputs], data: tg.y } }
    case 'FinalClass':
      return { x, y: tg.y }
    case 'NextSymbols':
      return { x, y: { shape: [B, T, tg.outputs], data: swapLeading(tg.y, T, B, tg.outputs) } }
  }
}
