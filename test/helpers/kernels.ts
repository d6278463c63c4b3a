/**
 * Kernel test bench: instantiates a build of the kernels directly (debug build
 * with asserts by default) and gives a tiny bump allocator with canaries, so
 * kernel tests can place inputs, run a kernel and check that nothing past an
 * output was written.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Kernels } from '../../src/wasm/abi'

export type Build = 'debug' | 'release' | 'relaxed'

const file = (b: Build): string =>
  fileURLToPath(new URL(`../../build/gradtrace${b === 'release' ? '' : '.' + b}.wasm`, import.meta.url))

// KERNEL_WASM=path runs the kernel tests against another build (a family's
// own partial build while it is being written).
export const instantiate = (b: Build = 'debug'): Kernels => {
  const override = b === 'debug' ? process.env.KERNEL_WASM : undefined
  const mod = new WebAssembly.Module(readFileSync(override ?? file(b)))
  return new WebAssembly.Instance(mod, {}).exports as unknown as Kernels
}

export const CANARY = 0x7fc0dead // a NaN pattern no kernel writes

export interface Bench {
  readonly k: Kernels
  /** reserve n f32 (or i32) slots plus 4 canary words; returns the byte pointer */
  alloc(n: number): number
  /** copy data in; returns its pointer (canary written after it) */
  put(data: Float32Array | Int32Array | Uint32Array): number
  f32(ptr: number, n: number): Float32Array
  i32(ptr: number, n: number): Int32Array
  u32(ptr: number, n: number): Uint32Array
  f64(ptr: number, n: number): Float64Array
  /** true when the 4 canary words after (ptr, n) are intact */
  canaryOk(ptr: number, n: number): boolean
  reset(): void
}

export const bench = (b: Build = 'debug'): Bench => {
  const k = instantiate(b)
  const base = ((typeof k.heap_base === 'function' ? k.heap_base() : 65536) + 63) & ~63
  let top = base
  const ensure = (end: number): void => {
    const have = k.memory.buffer.byteLength
    if (end > have) k.memory.grow(Math.ceil((end - have) / 65536))
  }
  const alloc = (n: number): number => {
    const ptr = top
    const bytes = n * 4
    ensure(ptr + bytes + 16 + 64)
    new Uint32Array(k.memory.buffer, ptr + bytes, 4).fill(CANARY)
    top = (ptr + bytes + 16 + 63) & ~63
    return ptr
  }
  const put = (data: Float32Array | Int32Array | Uint32Array): number => {
    const ptr = alloc(data.length)
    new Uint8Array(k.memory.buffer, ptr, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    return ptr
  }
  return {
    k,
    alloc,
    put,
    f32: (p, n) => new Float32Array(k.memory.buffer, p, n).slice(),
    i32: (p, n) => new Int32Array(k.memory.buffer, p, n).slice(),
    u32: (p, n) => new Uint32Array(k.memory.buffer, p, n).slice(),
    f64: (p, n) => new Float64Array(k.memory.buffer, p, n).slice(),
    canaryOk: (p, n) => new Uint32Array(k.memory.buffer, p + n * 4, 4).every((w) => w === CANARY),
    reset: () => {
      top = base
    },
  }
}

/** Deterministic test data (mulberry32), so failures reproduce. */
export const randomF32 = (n: number, seed: number, lo = -1, hi = 1): Float32Array => {
  let s = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296
    out[i] = lo + (hi - lo) * u
  }
  return out
}

/** Tail sizes every SIMD kernel is checked at: 1 .. 2W+1, then a few random sizes up to 4096. */
export const tailSizes = (w: number, seed = 1): ReadonlyArray<number> => {
  const r = randomF32(12, seed, 1, 4096)
  return [...Array.from({ length: 2 * w + 1 }, (_, i) => i + 1), 4 * w, 16 * w, 64 * w + 3, ...Array.from(r, (x) => Math.floor(x))]
}
