// Convolution by im2col + GEMM, NHWC. The convolution itself is the existing
// GEMM (assembly/gemm): these kernels only gather and scatter patches.
//
//   x   is (B, H, W, C) row-major (NHWC: channels contiguous).
//   col is (B*OH*OW, KH*KW*C): row r = (b, oy, ox), column (ky, kx, c), the
//       layout of a filter W (KH, KW, C, O) read as a (KH*KW*C, O) matrix, so
//       y (B*OH*OW, O) = col . W is the NHWC output with no transpose.
//   input pixel of (oy, ky) is iy = oy*SH - PH + ky (likewise x); outside
//   [0, H) x [0, W) it is padding, read as 0.
//
//   im2col_f32      col = patches of x (overwrites col; padding written as 0)
//   col2im_f32      dx += col scattered back (the data gradient after
//                   dcol = dy . W^T; accumulates, patches that overlap sum)
//
// Why NHWC: for a fixed (oy, ky) the in-bounds taps kx0..kx1 of a patch row are
// ONE contiguous run of (kx1 - kx0)*C floats in x and in col, so both kernels
// are runs of v128 copies/adds even at C = 1 (runs of KW floats), and the
// output of the GEMM is already NHWC for the next layer (no transposes).
// Runs go 16 floats an iteration, then 4, then a scalar tail; the scalar twins
// do the same float operations in the same order (copies and one add per
// element), so the twins are bit-identical. col must not alias x; dx must not
// alias col. Bench: node --expose-gc bench/run.mjs --filter conv
import { addRun, copyRun, zeroRun } from './runs';

/** In-bounds taps [k0, k1) of a window starting at input coordinate i0 over an axis of n. */
// @ts-ignore: decorator
@inline function lo(i0: i32): i32 {
  return i0 < 0 ? -i0 : 0;
}
// @ts-ignore: decorator
@inline function hi(i0: i32, k: i32, n: i32): i32 {
  return i0 + k > n ? n - i0 : k;
}

function gather(col: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, simd: bool): void {
  assert(b >= 0 && h > 0 && w > 0 && c > 0 && kh > 0 && kw > 0 && sh > 0 && sw > 0 && oh >= 0 && ow >= 0);
  const rowLen = <usize>kw * c; // floats of one ky slice of a patch
  const pixel = <usize>c << 2;
  let out = col;
  for (let bi = 0; bi < b; bi++) {
    const xb = x + <usize>bi * h * w * pixel;
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - pw;
        const kx0 = lo(ix0), kx1 = hi(ix0, kw, w);
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h || kx1 <= kx0) {
            zeroRun(out, <i32>rowLen, simd);
          } else {
            zeroRun(out, kx0 * c, simd);
            copyRun(out + <usize>kx0 * pixel, xb + (<usize>iy * w + ix0 + kx0) * pixel, (kx1 - kx0) * c, simd);
            zeroRun(out + <usize>kx1 * pixel, (kw - kx1) * c, simd);
          }
          out += rowLen << 2;
        }
      }
    }
  }
}

function scatter(dx: usize, col: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, simd: bool): void {
  assert(b >= 0 && h > 0 && w > 0 && c > 0 && kh > 0 && kw > 0 && sh > 0 && sw > 0 && oh >= 0 && ow >= 0);
  const rowLen = <usize>kw * c;
  const pixel = <usize>c << 2;
  let src = col;
  for (let bi = 0; bi < b; bi++) {
    const xb = dx + <usize>bi * h * w * pixel;
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - ph;
      for (let ox = 0; ox < ow; ox++) {
        const ix0 = ox * sw - pw;
        const kx0 = lo(ix0), kx1 = hi(ix0, kw, w);
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy >= 0 && iy < h && kx1 > kx0) addRun(xb + (<usize>iy * w + ix0 + kx0) * pixel, src + <usize>kx0 * pixel, (kx1 - kx0) * c, simd);
          src += rowLen << 2;
        }
      }
    }
  }
}

/** col (B*OH*OW, KH*KW*C) = patches of x (B, H, W, C); padding as 0. */
export function im2col_f32_simd(col: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  gather(col, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true);
}

/** Scalar twin of im2col_f32_simd. */
export function im2col_f32_scalar(col: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  gather(col, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false);
}

/** dx (B, H, W, C) += col (B*OH*OW, KH*KW*C) scattered back to its pixels (padding taps dropped). */
export function col2im_f32_simd(dx: usize, col: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  scatter(dx, col, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true);
}

/** Scalar twin of col2im_f32_simd. */
export function col2im_f32_scalar(dx: usize, col: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  scatter(dx, col, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false);
}
