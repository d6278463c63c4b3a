/**
 * Primitive ops: the only way layers, losses and optimizers (built-in or
 * user-defined) reach the kernels. Each takes symbolic buffers and sizes and
 * returns an `Op`; none sees a pointer. Backward ops accumulate (`+=`), as
 * the kernels do. The families of losses, optimizer updates and statistics
 * live in their own files and are exported from here, so `Ops` is the one
 * namespace of them all.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as Ops from './ops'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * const [B, I, O] = [4, 3, 2]
 * const x = alloc.buf('x', 'input', B * I), W = alloc.buf('W', 'param', I * O), b = alloc.buf('b', 'param', O), y = alloc.buf('y', 'act', B * O)
 * // y = x . W + b, for x (B, I), W (I, O), b (O):
 * const forward = [Ops.gemmNN(y, x, W, B, I, O, false), Ops.biasAdd(y, y, b, B, O)]
 * assert.strictEqual(forward.length, 2)
 *
 * @since 0.1.0
 */
import { ActKind, type ActName } from '../wasm/abi'
import { type Buf, type Op, read, type Region, type Scalar } from './Program'

export * from './batchNormOps'
export * from './convOps'
export * from './lossOps'
export * from './statOps'
export * from './updateOps'

// gemm -----------------------------------------------------------------------

/** C(M,N) (+)= A(M,K) . B(K,N) @category ops */
export const gemmNN = (c: Buf, a: Buf, b: Buf, m: number, k: number, n: number, acc: boolean): Op => (env) => {
  const pc = env.ptr(c), pa = env.ptr(a), pb = env.ptr(b), ws = env.ws, f = acc ? 1 : 0, K = env.k
  return () => K.gemm_nn_f32_simd(pc, pa, pb, m, k, n, f, ws)
}
/** C(M,N) (+)= A(M,K) . B(N,K)^T @category ops */
export const gemmNT = (c: Buf, a: Buf, b: Buf, m: number, k: number, n: number, acc: boolean): Op => (env) => {
  const pc = env.ptr(c), pa = env.ptr(a), pb = env.ptr(b), ws = env.ws, f = acc ? 1 : 0, K = env.k
  return () => K.gemm_nt_f32_simd(pc, pa, pb, m, k, n, f, ws)
}
/** C(M,N) (+)= A(K,M)^T . B(K,N) @category ops */
export const gemmTN = (c: Buf, a: Buf, b: Buf, m: number, k: number, n: number, acc: boolean): Op => (env) => {
  const pc = env.ptr(c), pa = env.ptr(a), pb = env.ptr(b), ws = env.ws, f = acc ? 1 : 0, K = env.k
  return () => K.gemm_tn_f32_simd(pc, pa, pb, m, k, n, f, ws)
}

// elementwise ----------------------------------------------------------------

/** y = f(x) @category ops */
export const act = (y: Buf, x: Buf, n: number, fn: ActName, alpha: number): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), kind = ActKind[fn], K = env.k
  return () => K.act_f32_simd(py, px, n, kind, alpha)
}
/** dx += dy * f'(x), with y = f(x) @category ops */
export const actBwd = (dx: Buf, x: Buf, y: Buf, dy: Buf, n: number, fn: ActName, alpha: number): Op => (env) => {
  const pdx = env.ptr(dx), px = env.ptr(x), py = env.ptr(y), pdy = env.ptr(dy), kind = ActKind[fn], K = env.k
  return () => K.act_bwd_f32_simd(pdx, px, py, pdy, n, kind, alpha)
}
/** y(R,C) = x(R,C) + b(C) @category ops */
export const biasAdd = (y: Buf, x: Buf, b: Buf, rows: number, cols: number): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), pb = env.ptr(b), K = env.k
  return () => K.bias_add_f32_simd(py, px, pb, rows, cols)
}
/** out(C) += column sums of x(R,C) @category ops */
export const colSumAcc = (out: Buf, x: Buf, rows: number, cols: number): Op => (env) => {
  const po = env.ptr(out), px = env.ptr(x), K = env.k
  return () => K.col_sum_f32_simd(po, px, rows, cols, 1)
}
/** y = a + b @category ops */
export const add = (y: Buf, a: Buf, b: Buf, n: number): Op => (env) => {
  const py = env.ptr(y), pa = env.ptr(a), pb = env.ptr(b), K = env.k
  return () => K.add_f32_simd(py, pa, pb, n)
}
/** Layer normalisation of x (rows, cols): y, and xhat and rstd kept for the backward pass. @category ops */
export const layerNorm = (y: Buf, xhat: Buf, rstd: Buf, x: Buf, gamma: Buf, beta: Buf, rows: number, cols: number, eps: number): Op => (env) => {
  const py = env.ptr(y), ph = env.ptr(xhat), pr = env.ptr(rstd), px = env.ptr(x), pg = env.ptr(gamma), pb = env.ptr(beta), K = env.k
  return () => K.layernorm_f32_simd(py, ph, pr, px, pg, pb, rows, cols, eps)
}
/** Backward of layerNorm, accumulating into dx, dgamma and dbeta. @category ops */
export const layerNormBwd = (dx: Buf, dgamma: Buf, dbeta: Buf, dy: Buf, xhat: Buf, rstd: Buf, gamma: Buf, rows: number, cols: number): Op => (env) => {
  const pdx = env.ptr(dx), pdg = env.ptr(dgamma), pdb = env.ptr(dbeta), pdy = env.ptr(dy)
  const ph = env.ptr(xhat), pr = env.ptr(rstd), pg = env.ptr(gamma), K = env.k
  return () => K.layernorm_bwd_f32_simd(pdx, pdg, pdb, pdy, ph, pr, pg, rows, cols)
}
/** y = a * b @category ops */
export const mul = (y: Buf, a: Buf, b: Buf, n: number): Op => (env) => {
  const py = env.ptr(y), pa = env.ptr(a), pb = env.ptr(b), K = env.k
  return () => K.mul_f32_simd(py, pa, pb, n)
}
/** y += alpha x @category ops */
export const axpy = (y: Buf, x: Buf, n: number, alpha: Scalar): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k
  if (typeof alpha === 'number') return () => K.axpy_f32_simd(py, px, n, alpha) // a layer's: no read per call
  const a = read(alpha)
  return (ctx) => K.axpy_f32_simd(py, px, n, a(ctx))
}
/** y[yOff..] += alpha x[xOff..] over n elements @category ops */
export const axpyAt = (y: Buf, x: Buf, n: number, yOff: number, xOff: number, alpha = 1): Op => (env) => {
  const py = env.ptr(y) + 4 * yOff, px = env.ptr(x) + 4 * xOff, K = env.k
  return () => K.axpy_f32_simd(py, px, n, alpha)
}
/** y = x (n elements, starting `yOff` / `xOff` elements into the buffers) @category ops */
export const copy = (y: Buf, x: Buf, n: number, yOff = 0, xOff = 0): Op => (env) => {
  const py = env.ptr(y) + 4 * yOff, px = env.ptr(x) + 4 * xOff, K = env.k
  return () => K.copy_f32_simd(py, px, n)
}
/** Zero-fills a region from its start to the end of region `last` (the gradient slab: 'pgrad' through 'grad'). @category ops */
export const fillRegion = (first: Region, last: Region, value: number): Op => (env) => {
  const [start] = env.region(first)
  const [, end] = env.region(last)
  const K = env.k
  return () => K.fill_f32_simd(start, (end - start) / 4, value)
}
/** y = value @category ops */
export const fill = (y: Buf, n: number, value: number): Op => (env) => {
  const py = env.ptr(y), K = env.k
  return () => K.fill_f32_simd(py, n, value)
}
/** Inverted dropout with the call's key; in inference calls y = x. @category ops */
export const dropout = (y: Buf, mask: Buf, x: Buf, n: number, rate: number, salt: number): Op => (env) => {
  const py = env.ptr(y), pm = env.ptr(mask), px = env.ptr(x), K = env.k
  return (ctx) => {
    if (ctx.training && rate > 0) K.dropout_f32(py, pm, px, n, rate, ctx.k0, ctx.k1 ^ salt, 0)
    else {
      K.copy_f32_simd(py, px, n)
      K.fill_f32_simd(pm, n, 1)
    }
  }
}
