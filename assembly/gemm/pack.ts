// Packing: copy a block of A or B into the panel format of micro4x8.
//
//   A panel (MR = 4 rows):    dst[p][r] = A(i0 + r, p0 + p),  p < kc, r < 4
//   B panel (NR = 8 columns): dst[p][j] = B(p0 + p, j0 + j),  p < kc, j < 8
// Panels follow each other (A: mc/4 panels of kc*4 floats; B: nc/8 panels of
// kc*8 floats). A partial last panel (mc % 4 rows, nc % 8 columns) is padded
// with zeros, so the micro-kernel never needs a bound.
// "direct" packs read the panel's rows contiguously (A given as (K,M) for TN,
// B given as (K,N) for NN/TN): one v128 load per 4 floats.
// "transposed" packs read columns (A given as (M,K) for NN/NT, B given as
// (N,K) for NT): 4x4 blocks transposed in registers with f32x4.shuffle, so NT
// and TN pay about what NN pays. ld is the row stride of the source in floats.
// src and dst must not overlap.
import { MR, NR } from './config';

/** 4x4 transpose of rows r0..r3 (each 4 consecutive floats) stored as 4 rows of dst with byte stride s. */
// @ts-ignore: decorator
@inline function transpose4(dst: usize, s: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t01lo = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t23lo = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t01hi = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t23hi = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t01lo, t23lo, 0, 1, 4, 5));
  v128.store(dst + s, f32x4.shuffle(t01lo, t23lo, 2, 3, 6, 7));
  v128.store(dst + 2 * s, f32x4.shuffle(t01hi, t23hi, 0, 1, 4, 5));
  v128.store(dst + 3 * s, f32x4.shuffle(t01hi, t23hi, 2, 3, 6, 7));
}

/** Scalar panel copy with zero padding: dst[p][w] = src[w*ldw + p*ldp] for w < width, 0 up to W. */
function packScalar(dst: usize, src: usize, ldw: usize, ldp: usize, kc: i32, p0: i32, width: i32, W: i32): void {
  for (let p = p0; p < kc; p++) {
    const d = dst + (<usize>(p * W) << 2);
    for (let w = 0; w < W; w++) {
      store<f32>(d + (<usize>w << 2), w < width ? load<f32>(src + ((<usize>w * ldw + <usize>p * ldp) << 2)) : 0);
    }
  }
}

/** Direct pack, panel width W (4 or 8): dst[p][w] = src[p*ld + w]; src is (kc, cols) with row stride ld. */
export function packDirect(dst: usize, src: usize, ld: i32, kc: i32, cols: i32, W: i32): void {
  const rowBytes = <usize>ld << 2;
  for (let j = 0; j < cols; j += W) {
    const width = min(W, cols - j);
    const s = src + (<usize>j << 2);
    if (width == 8) {
      let d = dst;
      let q = s;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(q));
        v128.store(d, v128.load(q, 16), 16);
        d += 32;
        q += rowBytes;
      }
    } else if (width == 4 && W == 4) {
      let d = dst;
      let q = s;
      for (let p = 0; p < kc; p++) {
        v128.store(d, v128.load(q));
        d += 16;
        q += rowBytes;
      }
    } else {
      packScalar(dst, s, 1, ld, kc, 0, width, W);
    }
    dst += <usize>(kc * W) << 2;
  }
}

/** Transposed pack, panel width W (4 or 8): dst[p][w] = src[w*ld + p]; src is (cols, kc) with row stride ld. */
export function packTransposed(dst: usize, src: usize, ld: i32, kc: i32, cols: i32, W: i32): void {
  const rowBytes = <usize>ld << 2;
  const stride = <usize>W << 2; // bytes between dst[p] and dst[p+1]
  const kc4 = kc & ~3;
  for (let j = 0; j < cols; j += W) {
    const width = min(W, cols - j);
    const s = src + <usize>j * rowBytes;
    if (width == W) {
      for (let g = 0; g < W; g += 4) {
        const s0 = s + <usize>g * rowBytes;
        const s1 = s0 + rowBytes;
        const s2 = s1 + rowBytes;
        const s3 = s2 + rowBytes;
        let d = dst + (<usize>g << 2);
        for (let p = 0; p < kc4; p += 4) {
          const o = <usize>p << 2;
          transpose4(d, stride, v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o));
          d += stride << 2;
        }
      }
      packScalar(dst, s, ld, 1, kc, kc4, width, W);
    } else {
      packScalar(dst, s, ld, 1, kc, 0, width, W);
    }
    dst += <usize>(kc * W) << 2;
  }
}

// The four packs the GEMM forms need, named by operand and source layout.
// @ts-ignore: decorator
@inline export function packA_MK(dst: usize, a: usize, lda: i32, mc: i32, kc: i32): void {
  packTransposed(dst, a, lda, kc, mc, MR); // A is (M,K): NN, NT
}
// @ts-ignore: decorator
@inline export function packA_KM(dst: usize, a: usize, lda: i32, mc: i32, kc: i32): void {
  packDirect(dst, a, lda, kc, mc, MR); // A is (K,M): TN
}
// @ts-ignore: decorator
@inline export function packB_KN(dst: usize, b: usize, ldb: i32, kc: i32, nc: i32): void {
  packDirect(dst, b, ldb, kc, nc, NR); // B is (K,N): NN, TN
}
// @ts-ignore: decorator
@inline export function packB_NK(dst: usize, b: usize, ldb: i32, kc: i32, nc: i32): void {
  packTransposed(dst, b, ldb, kc, nc, NR); // B is (N,K): NT
}
