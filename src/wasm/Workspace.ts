/**
 * The workspace: byte offsets for a plan's buffers, laid out once per plan
 * (one slab per region, as llm.c does), and the copies in and out of Wasm
 * memory. Memory grows before any view is made, and no view outlives a call.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, outOfMemory } from '../core/Error'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import type { Kernels } from './abi'

/** Where a buffer lives; `pgrad` (parameter gradients, contiguous) and `grad` buffers are zero-filled before every backward pass. @category model */
export type Region = 'param' | 'pgrad' | 'grad' | 'act' | 'opt' | 'input' | 'scratch' | 'stats'

/** What the layout needs of a buffer: its index, its region and its size in 4-byte slots. @category model */
export interface Slot {
  readonly id: number
  readonly region: Region
  readonly floats: number
}

/** Region order in memory; `pgrad` then `grad` form one slab, so a single fill zeroes every gradient. */
const ORDER: ReadonlyArray<Region> = ['param', 'opt', 'pgrad', 'grad', 'act', 'input', 'scratch', 'stats']
const ALIGN = 64
/** A 32-bit Wasm memory holds at most 65536 pages of 64 KiB. */
export const MAX_BYTES = 65536 * 65536

/** @category model */
export interface Layout {
  /** byte address of each buffer, by buffer id */
  readonly ptr: ReadonlyArray<number>
  /** [start, end) byte range of each region */
  readonly regions: { readonly [r in Region]: readonly [number, number] }
  /** GEMM scratch address */
  readonly ws: number
  /** first byte past the workspace */
  readonly end: number
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN

/** Lays buffers out from `base`, region by region. @category constructors */
export const layout = (buffers: ReadonlyArray<Slot>, base: number, wsBytes: number): E.Either<GradtraceError, Layout> => {
  const ptr: number[] = new Array(buffers.length).fill(0)
  const regions = {} as { [r in Region]: readonly [number, number] }
  let at = align(base)
  for (const r of ORDER) {
    const start = at
    for (const b of buffers) {
      if (b.region !== r) continue
      ptr[b.id] = at
      at = align(at + 4 * b.floats)
    }
    regions[r] = [start, at]
  }
  const ws = at
  const end = align(ws + wsBytes)
  return end > MAX_BYTES ? E.left(outOfMemory(end, MAX_BYTES)) : E.right({ ptr, regions, ws, end })
}

/** Grows the memory to hold `end` bytes; a refusal is an error value, not a trap. @category utils */
export const ensure = (k: Kernels, end: number): E.Either<GradtraceError, void> => {
  const have = k.memory.buffer.byteLength
  if (end <= have) return E.right(undefined)
  try {
    k.memory.grow(Math.ceil((end - have) / 65536))
    return E.right(undefined)
  } catch {
    return E.left(outOfMemory(end, MAX_BYTES))
  }
}

/** Copies `data` into memory at byte address `ptr`. @category utils */
export const write = (k: Kernels, ptr: number, data: ReadonlyFloat32Array | Int32Array): void => {
  if (data instanceof Int32Array) new Int32Array(k.memory.buffer, ptr, data.length).set(data)
  else new Float32Array(k.memory.buffer, ptr, data.length).set(data)
}

// ArrayBuffer.prototype.slice copies into an uninitialised buffer; TypedArray
// slice zero-fills first: 226 against 334 us for 1.6 MB here (the copy-out of a step).

/** Copies `n` f32 out of memory at `ptr` into a fresh array. @category utils */
export const read = (k: Kernels, ptr: number, n: number): Float32Array => new Float32Array(k.memory.buffer.slice(ptr, ptr + 4 * n))

/** Copies `n` f64 out of memory at `ptr`. @category utils */
export const readF64 = (k: Kernels, ptr: number, n: number): Float64Array => new Float64Array(k.memory.buffer.slice(ptr, ptr + 8 * n))
