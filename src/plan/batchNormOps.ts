/**
 * Ops of batch normalisation (#12): one forward op that reads the call's
 * mode, since a plan serves both. Training calls normalise with the batch's
 * statistics and move the running statistics toward them; inference calls
 * normalise with the running statistics. The running statistics are state
 * buffers (copied in and out by the runner), never parameters.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { batchNorm } from './batchNormOps'
 * import { allocator } from './Program'
 * const a = allocator()
 * const [rows, cols] = [8, 3]
 * const f = (name: string, n: number) => a.buf(name, 'act', n)
 * const bufs = { y: f('y', rows * cols), xhat: f('xhat', rows * cols), rstd: f('rstd', cols), mean: f('mean', cols), var: f('var', cols) }
 * const running = { mean: a.buf('rm', 'param', cols), var: a.buf('rv', 'param', cols) }
 * const op = batchNorm(bufs, running, f('x', rows * cols), a.buf('g', 'param', cols), a.buf('b', 'param', cols), rows, cols, 1e-5, 0.1)
 * assert.strictEqual(op.length, 1) // an op: given the buffers' addresses, the call's thunk
 *
 * @since 0.2.0
 */
import type { Buf, Op } from './Program'

/** What the forward pass writes: y, xhat (rows, cols), and per column rstd and the batch mean and variance. @category model */
export interface BatchNormBufs {
  readonly y: Buf
  readonly xhat: Buf
  readonly rstd: Buf
  readonly mean: Buf
  readonly var: Buf
}

/** The running mean and variance (cols): state buffers. @category model */
export interface RunningStats {
  readonly mean: Buf
  readonly var: Buf
}

/**
 * y = gamma (x - mean) / sqrt(var + eps) + beta per column of x (rows, cols). Training: the batch's mean and
 * (biased) variance, then running = (1 - momentum) running + momentum batch (the variance unbiased, rows / (rows - 1),
 * as PyTorch). Inference: the running mean and variance. @category ops
 */
export const batchNorm =
  (b: BatchNormBufs, running: RunningStats, x: Buf, gamma: Buf, beta: Buf, rows: number, cols: number, eps: number, momentum: number): Op =>
  (env) => {
    const [py, ph, pr, pm, pv] = [b.y, b.xhat, b.rstd, b.mean, b.var].map(env.ptr) as [number, number, number, number, number]
    const px = env.ptr(x), pg = env.ptr(gamma), pb = env.ptr(beta), prm = env.ptr(running.mean), prv = env.ptr(running.var), K = env.k
    const unbias = rows > 1 ? rows / (rows - 1) : 1
    return (ctx) => {
      if (!ctx.training) return K.batchnorm_f32_simd(py, ph, pr, px, prm, prv, pg, pb, rows, cols, eps)
      K.batchnorm_stats_f32_simd(pm, pv, px, rows, cols)
      K.batchnorm_f32_simd(py, ph, pr, px, pm, pv, pg, pb, rows, cols, eps)
      K.scale_f32_simd(prm, prm, cols, 1 - momentum)
      K.axpy_f32_simd(prm, pm, cols, momentum)
      K.scale_f32_simd(prv, prv, cols, 1 - momentum)
      K.axpy_f32_simd(prv, pv, cols, momentum * unbias)
    }
  }

/** The training-mode backward of batchNorm, accumulating into dx, dgamma and dbeta. @category ops */
export const batchNormBwd = (dx: Buf, dgamma: Buf, dbeta: Buf, dy: Buf, xhat: Buf, rstd: Buf, gamma: Buf, rows: number, cols: number): Op => (env) => {
  const pdx = env.ptr(dx), pdg = env.ptr(dgamma), pdb = env.ptr(dbeta), pdy = env.ptr(dy)
  const ph = env.ptr(xhat), pr = env.ptr(rstd), pg = env.ptr(gamma), K = env.k
  return () => K.batchnorm_bwd_f32_simd(pdx, pdg, pdb, pdy, ph, pr, pg, rows, cols)
}
