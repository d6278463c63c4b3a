/**
 * The copies between JavaScript values and a baked plan's workspace: inputs,
 * targets, parameters and optimizer state in before a call; outputs out after
 * it, each region read with one copy and handed out as views of that copy.
 * Everything is copied in on every call: no state stays resident between
 * calls, so an array changed in place and handed back is read as it is now
 * (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { viewsOf } from './copies'
 * // two buffers of a region starting at byte 64: 2 floats at 64, 3 floats at 128
 * const data = Float32Array.from({ length: 32 }, (_, i) => i)
 * const at = viewsOf(data, 64, (b) => (b.id === 0 ? 64 : 128))
 * assert.deepStrictEqual(Array.from(at({ id: 1, name: 'b', region: 'param', floats: 3 }, 3)), [16, 17, 18])
 *
 * @since 0.1.0
 */
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import * as W from '../wasm/Workspace'
import type { Baked } from './bake'
import type { Buf, Region } from './Program'

/** What a call copies in. @category model */
export interface CopyIn {
  readonly x: ReadonlyFloat32Array
  /** targets: integer labels or a tensor's data (gradient and training calls) */
  readonly y?: ReadonlyFloat32Array | Int32Array
  readonly params: Params
  /** optimizer state: per parameter, one array per slot (training calls) */
  readonly opt?: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  /** the model's state, one array per state buffer (absent: each buffer's initial value) */
  readonly state?: ReadonlyArray<ReadonlyFloat32Array>
}

/** Copies a call's values into the workspace of a baked plan (whose checks the caller has made: sizes match). @category utils */
export const copyIn = (b: Baked, c: CopyIn): void => {
  const k = b.runtime.kernels, plan = b.plan
  plan.graph.params.forEach((p, i) => {
    const v = c.params[i]
    if (v) W.write(k, b.ptr(p.value), v.data)
  })
  W.write(k, b.ptr(plan.graph.input), c.x)
  if (plan.target && c.y) W.write(k, b.ptr(plan.target), c.y)
  plan.opt.forEach((slots, i) => slots.forEach((s, j) => {
    const v = c.opt?.[i]?.[j]
    if (v) W.write(k, b.ptr(s), v)
  }))
  plan.graph.state?.forEach((s, i) => W.write(k, b.ptr(s.buf), c.state?.[i] ?? new Float32Array(s.buf.floats).fill(s.init)))
}

/** Views into one copy of a region's floats: `at(buf, n)` is buf's first n floats. @category utils */
export const viewsOf = (data: Float32Array, start: number, ptr: (b: Buf) => number) => (b: Buf, n: number): Float32Array => {
  const from = (ptr(b) - start) / 4
  return data.subarray(from, from + n)
}

/** One copy of a region of the workspace, read through `viewsOf`. @category utils */
export const readRegion = (b: Baked, r: Region): ((buf: Buf, n: number) => Float32Array) => {
  const [start, end] = b.layout.regions[r]
  return viewsOf(W.read(b.runtime.kernels, start, (end - start) / 4), start, b.ptr)
}

/** The statistics region as f64, and where each stats buffer starts in it (in f64 slots). @category utils */
export const readStats = (b: Baked): { readonly data: Float64Array; readonly at: (buf: Buf) => number } => {
  const [start, end] = b.layout.regions.stats
  return { data: W.readF64(b.runtime.kernels, start, (end - start) / 8), at: (buf) => (b.ptr(buf) - start) / 8 }
}
