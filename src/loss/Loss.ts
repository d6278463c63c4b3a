/**
 * Losses: softmax cross-entropy (integer labels or soft targets), mean squared
 * error and binary cross-entropy with logits, as op emitters the plan runs
 * after the forward pass (the loss ops themselves are in src/plan/lossOps.ts,
 * with the kernels behind them). Each is averaged as PyTorch does by default:
 * cross-entropy over the batch, MSE and BCE over every element.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { emitter, LossCodec } from './Loss'
 * assert.ok(E.isRight(LossCodec.decode('mse')) && E.isLeft(LossCodec.decode('hinge')))
 * // integer labels take one slot per row; soft targets one per output
 * assert.strictEqual(emitter('softmaxCrossEntropy', 'labels').targetFloats(32, 10), 32)
 * assert.strictEqual(emitter('softmaxCrossEntropy', 'dense').targetFloats(32, 10), 320)
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import type { LossBufs, LossEmitter } from '../plan/assemble'
import * as Ops from '../plan/ops'

/** @category codecs */
export const LossCodec = t.keyof({ softmaxCrossEntropy: null, mse: null, binaryCrossEntropy: null })
/** @category model */
export type Loss = t.TypeOf<typeof LossCodec>

/** How targets are given: integer class labels (B) or dense targets shaped like the output. @category model */
export type TargetKind = 'labels' | 'dense'

/** The loss with its targets as the plan takes it: the size of the target buffer and the op. @category constructors */
export const emitter = (loss: Loss, targets: TargetKind): LossEmitter => {
  const labels = loss === 'softmaxCrossEntropy' && targets === 'labels'
  return {
    targetFloats: (rows, cols) => (labels ? rows : rows * cols),
    emit: ({ dy, y, target, rows, cols }: LossBufs) => {
      switch (loss) {
        case 'softmaxCrossEntropy':
          return labels ? Ops.softmaxCrossEntropy(dy, y, target, rows, cols) : Ops.softmaxCrossEntropySoft(dy, y, target, rows, cols)
        case 'mse':
          return Ops.meanSquaredError(dy, y, target, rows * cols)
        case 'binaryCrossEntropy':
          return Ops.binaryCrossEntropy(dy, y, target, rows * cols)
      }
    },
  }
}
