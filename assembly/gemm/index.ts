// GEMM kernels: C(M,N) (+)= op(A) . op(B), f32, row-major, contiguous.
//
//   gemm_nn: C(M,N) (+)= A(M,K)   . B(K,N)     (dense forward, dX = dY . W^T is NT)
//   gemm_nt: C(M,N) (+)= A(M,K)   . B(N,K)^T
//   gemm_tn: C(M,N) (+)= A(K,M)^T . B(K,N)     (dW = X^T . dY)
// Signature (c, a, b, m, k, n, acc, ws): byte offsets, sizes in elements.
// acc = 1 adds to C, 0 overwrites C (k = 0 then writes zeros). ws is scratch
// of gemm_ws_bytes() bytes (16-byte aligned) for packing; nothing is allocated.
// Aliasing: C must not alias A, B or ws; A may alias B.
// Tails: any m, k, n >= 0 (1, odd, k > KC, n > NC, m % 4, n % 8): partial
// panels are zero-padded, partial tiles go through a 4x8 scratch tile.
// Up to SMALL = 32^3 (m*k*n) an unpacked 4x8 kernel runs (NT first transposes B into
// ws); above, the packed GotoBLAS path (pack.ts, packed.ts, micro.ts).
// The relaxed build (ASC_FEATURE_RELAXED_SIMD) uses f32x4.relaxed_madd in the
// inner loops; the release and debug builds use mul + add only.
// Bench: node --expose-gc bench/run.mjs --filter gemm
import { KC, NC, WS_A, WS_BYTES } from './config';
import { gemmPacked } from './packed';
import { gemmScalar } from './scalar';
import { gemmSmall, transposeInto } from './small';

/** Up to this m*k*n the unpacked kernel runs: above it packing pays (measured: bench/README.md). */
const SMALL: i64 = 32 * 32 * 32;

// @ts-ignore: decorator
@inline function useSmall(m: i32, k: i32, n: i32): bool {
  return <i64>m * k * n <= SMALL;
}

/** Preconditions and empty shapes; false when there is nothing left to compute. */
function prologue(c: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): bool {
  assert(m >= 0 && k >= 0 && n >= 0, 'gemm: negative size');
  assert((ws & 15) == 0, 'gemm: ws not 16-byte aligned');
  if (m == 0 || n == 0) return false;
  if (k == 0) {
    if (!acc) memory.fill(c, 0, <usize>m * n << 2); // C = 0 . 0
    return false;
  }
  return true;
}

/** Bytes of scratch the gemm_* kernels need at `ws`. */
export function gemm_ws_bytes(): i32 {
  return <i32>WS_BYTES;
}

/** C(M,N) (+)= A(M,K) . B(K,N) */
export function gemm_nn_f32_simd(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  if (!prologue(c, m, k, n, acc, ws)) return;
  if (useSmall(m, k, n)) gemmSmall(c, a, b, m, k, n, acc, k, 1);
  else gemmPacked(c, a, b, m, k, n, acc, ws, false, false);
}

/** C(M,N) (+)= A(M,K) . B(N,K)^T */
export function gemm_nt_f32_simd(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  if (!prologue(c, m, k, n, acc, ws)) return;
  if (useSmall(m, k, n) && k <= KC && n <= NC) {
    const bt = ws + WS_A; // B^T (K,N) in the packed-B region: k * n <= KC * NC
    transposeInto(bt, b, n, k);
    gemmSmall(c, a, bt, m, k, n, acc, k, 1);
  } else gemmPacked(c, a, b, m, k, n, acc, ws, false, true);
}

/** C(M,N) (+)= A(K,M)^T . B(K,N) */
export function gemm_tn_f32_simd(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  if (!prologue(c, m, k, n, acc, ws)) return;
  if (useSmall(m, k, n)) gemmSmall(c, a, b, m, k, n, acc, 1, m);
  else gemmPacked(c, a, b, m, k, n, acc, ws, true, false);
}

/** Scalar twin of gemm_nn_f32_simd (ws ignored). */
export function gemm_nn_f32_scalar(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  gemmScalar(c, a, b, m, k, n, acc, k, 1, n, 1);
}

/** Scalar twin of gemm_nt_f32_simd (ws ignored). */
export function gemm_nt_f32_scalar(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  gemmScalar(c, a, b, m, k, n, acc, k, 1, 1, k);
}

/** Scalar twin of gemm_tn_f32_simd (ws ignored). */
export function gemm_tn_f32_scalar(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize): void {
  gemmScalar(c, a, b, m, k, n, acc, 1, m, n, 1);
}
