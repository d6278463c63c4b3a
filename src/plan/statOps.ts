/**
 * Ops of the trace's statistics, computed in Wasm in one pass each: the
 * 8-slot record of `stats_f32_*` (count, sum, sum of squares, max |x|,
 * non-finite count, count above a threshold, zeros, min |x|), its light
 * form (sums only, for per-time-step series) and a log10 histogram.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as Ops from './ops'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * const x = alloc.buf('x', 'act', 100), out = alloc.buf('stats/x', 'stats', 16)
 * const op = Ops.stats(out, x, 100, Infinity) // no threshold: nothing counts as saturated
 * assert.strictEqual(typeof op, 'function')
 *
 * @since 0.1.0
 */
import { StatSlot } from '../wasm/abi'
import type { Buf, Op, Region } from './Program'

/** Writes the 8-slot statistics of x into the stats buffer `out` (16 f32 slots = 8 f64). @category ops */
export const stats = (out: Buf, x: Buf, n: number, threshold: number): Op => (env) => {
  const po = env.ptr(out), px = env.ptr(x), K = env.k
  return () => K.stats_f32_simd(po, px, n, threshold)
}
/** Writes statistics of x[xOff .. xOff + n) into slot `slot` (8 f64 each) of the stats buffer `out`. @category ops */
export const statsAt = (out: Buf, slot: number, x: Buf, xOff: number, n: number, threshold: number): Op => (env) => {
  const po = env.ptr(out) + 64 * slot, px = env.ptr(x) + 4 * xOff, K = env.k
  return () => K.stats_f32_simd(po, px, n, threshold)
}
/** Writes statistics of a whole region (e.g. every parameter gradient at once) into `out`. @category ops */
export const regionStats = (out: Buf, region: Region): Op => (env) => {
  const [start, end] = env.region(region)
  const po = env.ptr(out), K = env.k
  return () => K.stats_f32_simd(po, start, (end - start) / 4, Infinity)
}
/** Writes the sum and sum of squares of x[xOff .. xOff + n) into slot `slot` of `out` (the layout of `stats`, other fields 0). @category ops */
export const sumsAt = (out: Buf, slot: number, x: Buf, xOff: number, n: number): Op => (env) => {
  const po = env.ptr(out) + 64 * slot, px = env.ptr(x) + 4 * xOff, K = env.k
  return () => K.sums_f32_simd(po, px, n)
}
/** Adds the log10|x| histogram of x into `out` (bins + 2 f64 counts). @category ops */
export const logHist = (out: Buf, x: Buf, n: number, lo: number, hi: number, bins: number): Op => (env) => {
  const po = env.ptr(out), px = env.ptr(x), K = env.k
  return () => {
    K.fill_f32_simd(po, 2 * (bins + 2), 0)
    K.log_hist_f32_scalar(po, px, n, lo, hi, bins)
  }
}

export { StatSlot }
