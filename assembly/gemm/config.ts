// GEMM blocking constants and the layout of the `ws` scratch region.
//
// GotoBLAS / BLIS blocking (Goto & van de Geijn, "Anatomy of High-Performance
// Matrix Multiplication", TOMS 2008): a KC x NC block of B is packed into
// NR-wide panels (kept in L2/L3, one panel in L1), an MC x KC block of A into
// MR-row panels (kept in L2), and an MR x NR micro-kernel keeps its tile of C
// in 8 f32x4 registers. MR x NR = 4 x 8: larger tiles make V8 spill v128
// registers (TOOLCHAIN.md: 4x16, 5x8, 6x8 measured slower).
//
// ws layout (byte offsets from ws, each part 64-byte aligned):
//   [0, WS_A)            packed A block: MC x KC floats, panels [p][MR]
//   [WS_A, WS_A + WS_B)  packed B block: KC x NC floats, panels [p][NR]
//                        (the small NT path reuses it for B^T, K x N)
//   [.., + WS_T)         one MR x NR tile for partial (edge) tiles
// MC, NC are multiples of MR, NR, so a zero-padded partial panel always fits.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 96;
export const NC: i32 = 1024;

export const WS_A: usize = <usize>(MC * KC) << 2;
export const WS_B: usize = <usize>(KC * NC) << 2;
export const WS_T: usize = <usize>(MR * NR) << 2;
export const WS_BYTES: usize = WS_A + WS_B + WS_T;

/** ceil(x / d) for x >= 0, d > 0 */
// @ts-ignore: decorator
@inline export function cdiv(x: i32, d: i32): i32 {
  return (x + d - 1) / d;
}

/** x rounded up to a multiple of the power of two d */
// @ts-ignore: decorator
@inline export function roundUp(x: i32, d: i32): i32 {
  return (x + d - 1) & ~(d - 1);
}

/** a * b + c on f32x4: one fused relaxed_madd in the relaxed build, mul + add elsewhere. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(f32x4.mul(a, b), c);
  }
}
