/**
 * Ops of losses: each computes a loss into the run context (`ctx.loss`) and
 * writes dL/dy into `dy`, overwriting it. Averaged as PyTorch does by
 * default: cross-entropy over the rows, MSE and BCE over every element. The
 * kernels are fused and stable (log-sum-exp, log1p(exp(-|z|))).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as Ops from './ops'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * const y = alloc.buf('y', 'act', 6), dy = alloc.buf('dy', 'grad', 6), labels = alloc.buf('labels', 'input', 2)
 * // 2 rows of 3 logits against integer labels
 * const op = Ops.softmaxCrossEntropy(dy, y, labels, 2, 3)
 * assert.strictEqual(typeof op, 'function')
 *
 * @since 0.1.0
 */
import type { Buf, Op } from './Program'

/** Softmax cross-entropy of logits y (rows, cols) against integer labels (rows, i32), averaged over the rows. @category ops */
export const softmaxCrossEntropy = (dy: Buf, y: Buf, labels: Buf, rows: number, cols: number): Op => (env) => {
  const pdy = env.ptr(dy), py = env.ptr(y), pt = env.ptr(labels), K = env.k
  return (ctx) => void (ctx.loss = K.softmax_xent_f32_simd(pdy, py, pt, rows, cols, 1 / rows) / rows)
}

/** Softmax cross-entropy of logits y (rows, cols) against soft targets (rows, cols), averaged over the rows. @category ops */
export const softmaxCrossEntropySoft = (dy: Buf, y: Buf, targets: Buf, rows: number, cols: number): Op => (env) => {
  const pdy = env.ptr(dy), py = env.ptr(y), pt = env.ptr(targets), K = env.k
  return (ctx) => void (ctx.loss = K.softmax_xent_soft_f32_simd(pdy, py, pt, rows, cols, 1 / rows) / rows)
}

/** Mean squared error of y against targets, n elements each. @category ops */
export const meanSquaredError = (dy: Buf, y: Buf, targets: Buf, n: number): Op => (env) => {
  const pdy = env.ptr(dy), py = env.ptr(y), pt = env.ptr(targets), K = env.k
  return (ctx) => void (ctx.loss = K.mse_f32_simd(pdy, py, pt, n, 1 / n) / n)
}

/** Binary cross-entropy of logits y against targets in [0, 1], n elements each. @category ops */
export const binaryCrossEntropy = (dy: Buf, y: Buf, targets: Buf, n: number): Op => (env) => {
  const pdy = env.ptr(dy), py = env.ptr(y), pt = env.ptr(targets), K = env.k
  return (ctx) => void (ctx.loss = K.bce_logits_f32_simd(pdy, py, pt, n, 1 / n) / n)
}
