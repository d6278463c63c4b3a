/**
 * Ops of convolutions and pooling over NHWC tensors: the patch gather and
 * scatter around the GEMMs (`im2col`, `col2imAcc`) and the pooling kernels.
 * Every op takes the window `Geometry` (b, h, w, c, kh, kw, sh, sw, ph, pw,
 * oh, ow) that `src/layer/convGeometry.ts` works out from a spec.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { im2col } from './convOps'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * // one 4x4x2 image, 3x3 windows, stride 1, no padding: 2x2 outputs of 18 taps each
 * const x = alloc.buf('x', 'input', 32), col = alloc.buf('col', 'act', 4 * 18)
 * const op = im2col(col, x, [1, 4, 4, 2, 3, 3, 1, 1, 0, 0, 2, 2])
 * assert.strictEqual(typeof op, 'function')
 *
 * @since 0.2.0
 */
import type { Geometry } from '../wasm/abi'
import type { Buf, Op } from './Program'

/** col (b*oh*ow, kh*kw*c) = the patches of x (b, h, w, c); padding taps are 0. @category ops */
export const im2col = (col: Buf, x: Buf, g: Geometry): Op => (env) => {
  const pc = env.ptr(col), px = env.ptr(x), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.im2col_f32_simd(pc, px, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
/** dx (b, h, w, c) += col (b*oh*ow, kh*kw*c) scattered back to its pixels. @category ops */
export const col2imAcc = (dx: Buf, col: Buf, g: Geometry): Op => (env) => {
  const pd = env.ptr(dx), pc = env.ptr(col), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.col2im_f32_simd(pd, pc, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
/** y (b, oh, ow, c) = window maxima of x, idx = their window positions (i32). @category ops */
export const maxPool = (y: Buf, idx: Buf, x: Buf, g: Geometry): Op => (env) => {
  const py = env.ptr(y), pi = env.ptr(idx), px = env.ptr(x), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.maxpool_f32_simd(py, pi, px, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
/** dx += dy routed to each window's maximum. @category ops */
export const maxPoolBwd = (dx: Buf, idx: Buf, dy: Buf, g: Geometry): Op => (env) => {
  const pd = env.ptr(dx), pi = env.ptr(idx), pdy = env.ptr(dy), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.maxpool_bwd_f32_simd(pd, pi, pdy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
/** y (b, oh, ow, c) = window means of x over in-image taps. @category ops */
export const avgPool = (y: Buf, x: Buf, g: Geometry): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.avgpool_f32_simd(py, px, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
/** dx += dy / taps over each window's taps. @category ops */
export const avgPoolBwd = (dx: Buf, dy: Buf, g: Geometry): Op => (env) => {
  const pd = env.ptr(dx), pdy = env.ptr(dy), K = env.k
  const [b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow] = g // unpacked once: no spread on each call
  return () => K.avgpool_bwd_f32_simd(pd, pdy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow)
}
