/**
 * Ops of optimizer updates: the fused optimizer kernels, scaling, clipping,
 * sign, and applying an update to a parameter. Optimizer transformations
 * (built-in or a user's) emit these; their numbers are `Scalar`s, so a
 * learning rate or a beta can be a setting read at each call and one plan
 * serves every value of it. Each op works in place on the update buffer `u`
 * where its kernel allows (`u` holds the gradient when the first
 * transformation runs).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as Ops from './ops'
 * import { allocator, setting } from './Program'
 * const alloc = allocator()
 * const u = alloc.buf('u', 'pgrad', 16), m = alloc.buf('m', 'opt', 16)
 * // u = -lr sign(0.9 m + 0.1 u), with lr the first setting of transformation 0
 * const ops = [Ops.axpy(u, m, 16, 0.9 / 0.1), Ops.sign(u, u, 16), Ops.scale(u, u, 16, setting(0, 0))]
 * assert.strictEqual(ops.length, 3)
 *
 * @since 0.1.0
 */
import { type Buf, type Op, read, type Scalar } from './Program'

/** y = factor x; y may alias x. @category ops */
export const scale = (y: Buf, x: Buf, n: number, factor: Scalar): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k, f = read(factor)
  return (ctx) => K.scale_f32_simd(py, px, n, f(ctx))
}

/** y = min(max(x, lo), hi); y may alias x. @category ops */
export const clip = (y: Buf, x: Buf, n: number, lo: Scalar, hi: Scalar): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k, a = read(lo), b = read(hi)
  return (ctx) => K.clip_f32_simd(py, px, n, a(ctx), b(ctx))
}

/**
 * y = sign(x): -1, 0 or 1 (-0 stays -0, NaN stays NaN, as torch.sign). Two
 * exact power-of-two scalings take every nonzero |x| >= 2^-149 (the smallest
 * f32) to at least 1, then clipping to [-1, 1] leaves the sign. y may alias x.
 * @category ops
 */
export const sign = (y: Buf, x: Buf, n: number): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k
  return () => {
    K.scale_f32_simd(py, px, n, 2 ** 127)
    K.scale_f32_simd(py, py, n, 2 ** 22)
    K.clip_f32_simd(py, py, n, -1, 1)
  }
}

/** Heavy-ball momentum (PyTorch's form): v = mu v + g; u = -lr (nesterov ? g + mu v : v), nesterov 0 or 1. u may alias g. @category ops */
export const momentum = (u: Buf, v: Buf, g: Buf, n: number, lr: Scalar, mu: Scalar, nesterov: Scalar): Op => (env) => {
  const pu = env.ptr(u), pv = env.ptr(v), pg = env.ptr(g), K = env.k, a = read(lr), b = read(mu), c = read(nesterov)
  return (ctx) => K.momentum_f32_simd(pu, pv, pg, n, a(ctx), b(ctx), c(ctx))
}

/** RMSProp: s = rho s + (1 - rho) g^2; u = -lr g / (sqrt(s) + eps). u may alias g. @category ops */
export const rmsprop = (u: Buf, s: Buf, g: Buf, n: number, lr: Scalar, rho: Scalar, eps: Scalar): Op => (env) => {
  const pu = env.ptr(u), ps = env.ptr(s), pg = env.ptr(g), K = env.k, a = read(lr), b = read(rho), c = read(eps)
  return (ctx) => K.rmsprop_f32_simd(pu, ps, pg, n, a(ctx), b(ctx), c(ctx))
}

/**
 * The scalars of the Adam kernel (see `adamScalars` in src/optim/adam.ts):
 * decay rates, step, sqrt of the second bias correction, eps, decoupled decay.
 * @category model
 */
export interface AdamArgs {
  readonly omb1: Scalar
  readonly omb2: Scalar
  readonly step: Scalar
  readonly sbc2: Scalar
  readonly eps: Scalar
  readonly decay: Scalar
}

/** Adam in one pass: m += omb1 (g - m); v += omb2 (g^2 - v); u = step m / (sqrt(v) / sbc2 + eps) + decay p. u may alias g. @category ops */
export const adam = (u: Buf, m: Buf, v: Buf, g: Buf, p: Buf, n: number, s: AdamArgs): Op => (env) => {
  const pu = env.ptr(u), pm = env.ptr(m), pv = env.ptr(v), pg = env.ptr(g), pp = env.ptr(p), K = env.k
  const omb1 = read(s.omb1), omb2 = read(s.omb2), step = read(s.step), sbc2 = read(s.sbc2), eps = read(s.eps), decay = read(s.decay)
  return (ctx) => K.adam_f32_simd(pu, pm, pv, pg, pp, n, omb1(ctx), omb2(ctx), step(ctx), sbc2(ctx), eps(ctx), decay(ctx))
}

/**
 * Scales the updates `us` (each with its length) together so their global L2
 * norm is at most `max` (Pascanu et al. 2013); when it scales them, the run
 * context records the norm after (`clippedSumSq`) for the trace.
 * @category ops
 */
export const clipByGlobalNorm = (us: ReadonlyArray<readonly [Buf, number]>, max: Scalar): Op => (env) => {
  const ptrs = us.map(([u, n]) => [env.ptr(u), n] as const)
  const K = env.k, limit = read(max)
  return (ctx) => {
    let s = 0
    for (const [u, n] of ptrs) s += K.sumsq_f32_simd(u, n)
    const norm = Math.sqrt(s), m = limit(ctx)
    if (norm > m) {
      const f = m / norm
      for (const [u, n] of ptrs) K.scale_f32_simd(u, u, n, f)
      ctx.clippedSumSq = m * m
    }
  }
}

/** p += u, writing [sum u^2, sum p^2 before, non-finite count after] (f64) into `out`: one pass. u must not alias p. @category ops */
export const applyUpdate = (out: Buf, p: Buf, u: Buf, n: number): Op => (env) => {
  const po = env.ptr(out), pp = env.ptr(p), pu = env.ptr(u), K = env.k
  return () => K.apply_update_f32_simd(po, pp, pu, n)
}
