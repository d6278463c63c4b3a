/**
 * The vocabulary of plans: symbolic buffers, ops over them, and the run
 * context. Layers, losses and optimizers emit ops against `Buf`s; the layout
 * later gives every `Buf` a byte offset, and baking turns ops into thunks with
 * the pointers captured, so a step is one pass over an array of closures with
 * no allocation.
 *
 * A number an op passes to a kernel is a `Scalar`: fixed when the op is
 * emitted, or a `Setting` read from the call's run context. Optimizer
 * settings (learning rates, betas, clip norms) are settings, so one plan
 * serves every value of them (#9, #10).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { allocator, read, runCtx, setting } from './Program'
 * const alloc = allocator()
 * const x = alloc.buf('x', 'act', 8)
 * assert.deepStrictEqual([x.id, x.region, x.floats], [0, 'act', 8])
 * const ctx = { ...runCtx(1, true), settings: [[0.5, 0.25]] }
 * assert.strictEqual(read(setting(0, 1))(ctx), 0.25) // transformation 0, its second setting
 * assert.strictEqual(read(3)(ctx), 3) // a number is fixed
 *
 * @since 0.1.0
 */
import type { Kernels } from '../wasm/abi'
import type { Region } from '../wasm/Workspace'

export type { Region }

/** A symbolic buffer of `floats` 4-byte slots (f32 or i32; `stats` buffers hold f64 pairs). @category model */
export interface Buf {
  readonly id: number
  readonly name: string
  readonly region: Region
  readonly floats: number
}

/** What an op sees once buffers have addresses. @category model */
export interface Env {
  readonly k: Kernels
  readonly ptr: (b: Buf) => number
  /** GEMM packing scratch */
  readonly ws: number
  /** [start, end) byte range of a region */
  readonly region: (r: Region) => readonly [number, number]
}

/** Per-call values that thunks read (step count, dropout key, settings) and write (loss, clipped norm). @category model */
export interface RunCtx {
  /** 1-based optimizer step */
  step: number
  /** dropout key words and a per-call counter base */
  k0: number
  k1: number
  training: boolean
  /** the settings of this call, one list per optimizer transformation (read through `Setting`s) */
  settings: ReadonlyArray<ReadonlyArray<number>>
  /** the squared global norm after clipping, or -1 when no clip scaled the updates */
  clippedSumSq: number
  loss: number
}

/** An op: given addresses, a thunk to run each call. @category model */
export type Op = (env: Env) => (ctx: RunCtx) => void

/** A setting of a call: the `index`-th number of transformation `group`'s settings in `RunCtx.settings`. @category model */
export interface Setting {
  readonly _tag: 'Setting'
  readonly group: number
  readonly index: number
}

/** A number a kernel is passed: fixed when the op is emitted, or a setting read at each call. @category model */
export type Scalar = number | Setting

/** The `index`-th setting of transformation `group`. @category constructors */
export const setting = (group: number, index: number): Setting => ({ _tag: 'Setting', group, index })

/** How a thunk reads a scalar (NaN for a setting the call did not give, so a missing one shows in the results). @category utils */
export const read = (s: Scalar): ((ctx: RunCtx) => number) => {
  if (typeof s === 'number') return () => s
  const { group, index } = s
  return (ctx) => ctx.settings[group]?.[index] ?? NaN
}

/** Allocates symbolic buffers. @category model */
export interface Alloc {
  readonly buf: (name: string, region: Region, floats: number) => Buf
}

/** A fresh allocator and the list of buffers it made. @category constructors */
export const allocator = (initial: ReadonlyArray<Buf> = []): Alloc & { readonly buffers: ReadonlyArray<Buf> } => {
  const buffers: Buf[] = [...initial]
  return {
    buffers,
    buf: (name, region, floats) => {
      const b: Buf = { id: buffers.length, name, region, floats }
      buffers.push(b)
      return b
    },
  }
}

/** A fresh run context. @category constructors */
export const runCtx = (step: number, training: boolean, k0 = 0, k1 = 0, settings: ReadonlyArray<ReadonlyArray<number>> = []): RunCtx => ({
  step,
  k0,
  k1,
  training,
  settings,
  clippedSumSq: -1,
  loss: 0,
})
