/**
 * Losses: softmax cross-entropy (integer labels or soft targets), mean squared
 * error and binary cross-entropy with logits. Each is averaged as PyTorch does
 * by default: cross-entropy over the batch, MSE and BCE over every element.
 * The loss kernels are fused and stable (log-sum-exp, log1p(exp(-|z|))).
 *
 * @example
 * import { compile } from '../plan/compile'
 * // compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import type { Buf, Op } from '../plan/Program'

/** @category codecs */
export const LossCodec = t.keyof({ softmaxCrossEntropy: null, mse: null, binaryCrossEntropy: null })
/** @category model */
export type Loss = t.TypeOf<typeof LossCodec>

/** How targets are given: integer class labels (B) or dense targets shaped like the output. @category model */
export type TargetKind = 'labels' | 'dense'

/** The op computing the loss into ctx.loss and writing dL/dy (overwriting dy). @category utils */
export const lossOp = (loss: Loss, kind: TargetKind, dy: Buf, y: Buf, target: Buf, rows: number, cols: number): Op => (env) => {
  const pdy = env.ptr(dy), py = env.ptr(y), pt = env.ptr(target), K = env.k
  const n = rows * cols
  switch (loss) {
    case 'softmaxCrossEntropy':
      return kind === 'labels'
        ? (ctx) => void (ctx.loss = K.softmax_xent_f32_simd(pdy, py, pt, rows, cols, 1 / rows) / rows)
        : (ctx) => void (ctx.loss = K.softmax_xent_soft_f32_simd(pdy, py, pt, rows, cols, 1 / rows) / rows)
    case 'mse':
      return (ctx) => void (ctx.loss = K.mse_f32_simd(pdy, py, pt, n, 1 / n) / n)
    case 'binaryCrossEntropy':
      return (ctx) => void (ctx.loss = K.bce_logits_f32_simd(pdy, py, pt, n, 1 / n) / n)
  }
}
