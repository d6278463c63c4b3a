/**
 * The vocabulary of plans: symbolic buffers, ops over them, and the run
 * context. Layers emit ops against `Buf`s; `layout` later gives every `Buf` a
 * byte offset, and `bake` turns ops into thunks with the pointers captured, so
 * a step is one pass over an array of closures with no allocation.
 *
 * @since 0.1.0
 */
import type { Kernels } from '../wasm/abi'

/** Where a buffer lives; `pgrad` (parameter gradients, contiguous) and `grad` buffers are zero-filled before every backward pass. @category model */
export type Region = 'param' | 'pgrad' | 'grad' | 'act' | 'opt' | 'input' | 'scratch' | 'stats'

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

/** Per-call values that thunks read (step count, learning rate, dropout key) and write (global norms). @category model */
export interface RunCtx {
  /** 1-based optimizer step */
  step: number
  /** dropout key words and a per-call counter base */
  k0: number
  k1: number
  training: boolean
  /** learning rate used this step (set by the optimizer ops) */
  lr: number
  /** sum of squares of all gradients; and after clipping, or -1 when no clip scaled them */
  gradSumSq: number
  clippedSumSq: number
  loss: number
}

/** An op: given addresses, a thunk to run each call. @category model */
export type Op = (env: Env) => (ctx: RunCtx) => void

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
export const runCtx = (step: number, training: boolean, k0 = 0, k1 = 0): RunCtx => ({
  step,
  k0,
  k1,
  training,
  lr: 0,
  gradSumSq: 0,
  clippedSumSq: -1,
  loss: 0,
})
