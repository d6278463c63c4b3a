// The 4x8 micro-kernel shared by the NN, NT and TN packed paths.
//
//   C(4,8) (+)= Apanel(4,kc) . Bpanel(kc,8)
//   ap is a packed A panel, [p][4] (4 rows of A for each p: 16 bytes per p);
//   bp is a packed B panel, [p][8] (8 columns of B for each p: 32 bytes per p);
//   c points at C(i,j), ldc is the row stride of C in BYTES; kc >= 0.
// Eight f32x4 accumulators (rows 0..3 x columns 0123, 4567) + two B vectors
// + one splatted A value = 11 live v128: fits V8's 16 XMM registers.
// acc = 1 adds the tile to C, 0 overwrites it. C must not alias ap or bp.
// Edge tiles (fewer than 4 rows or 8 columns of C) go through microEdge:
// the panels are zero-padded, the full tile is computed into `tile` (32
// floats in ws) and only the valid mr x nr part is merged into C.
// In the relaxed build madd() is f32x4.relaxed_madd (FMA on x86/ARM).
// Bench: node --expose-gc bench/run.mjs --filter gemm
import { madd } from './config';

export function micro4x8(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, acc: i32): void {
  let vacc0x0123 = f32x4.splat(0);
  let vacc0x4567 = f32x4.splat(0);
  let vacc1x0123 = f32x4.splat(0);
  let vacc1x4567 = f32x4.splat(0);
  let vacc2x0123 = f32x4.splat(0);
  let vacc2x4567 = f32x4.splat(0);
  let vacc3x0123 = f32x4.splat(0);
  let vacc3x4567 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const vb0123 = v128.load(bp);
    const vb4567 = v128.load(bp, 16);
    const va0 = v128.load32_splat(ap);
    vacc0x0123 = madd(va0, vb0123, vacc0x0123);
    vacc0x4567 = madd(va0, vb4567, vacc0x4567);
    const va1 = v128.load32_splat(ap, 4);
    vacc1x0123 = madd(va1, vb0123, vacc1x0123);
    vacc1x4567 = madd(va1, vb4567, vacc1x4567);
    const va2 = v128.load32_splat(ap, 8);
    vacc2x0123 = madd(va2, vb0123, vacc2x0123);
    vacc2x4567 = madd(va2, vb4567, vacc2x4567);
    const va3 = v128.load32_splat(ap, 12);
    vacc3x0123 = madd(va3, vb0123, vacc3x0123);
    vacc3x4567 = madd(va3, vb4567, vacc3x4567);
    ap += 16;
    bp += 32;
  }
  const c0 = c;
  const c1 = c0 + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (acc) {
    vacc0x0123 = f32x4.add(v128.load(c0), vacc0x0123);
    vacc0x4567 = f32x4.add(v128.load(c0, 16), vacc0x4567);
    vacc1x0123 = f32x4.add(v128.load(c1), vacc1x0123);
    vacc1x4567 = f32x4.add(v128.load(c1, 16), vacc1x4567);
    vacc2x0123 = f32x4.add(v128.load(c2), vacc2x0123);
    vacc2x4567 = f32x4.add(v128.load(c2, 16), vacc2x4567);
    vacc3x0123 = f32x4.add(v128.load(c3), vacc3x0123);
    vacc3x4567 = f32x4.add(v128.load(c3, 16), vacc3x4567);
  }
  v128.store(c0, vacc0x0123);
  v128.store(c0, vacc0x4567, 16);
  v128.store(c1, vacc1x0123);
  v128.store(c1, vacc1x4567, 16);
  v128.store(c2, vacc2x0123);
  v128.store(c2, vacc2x4567, 16);
  v128.store(c3, vacc3x0123);
  v128.store(c3, vacc3x4567, 16);
}

/** Partial tile: mr <= 4 rows, nr <= 8 columns of C; tile is 32 floats of scratch. */
export function microEdge(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, acc: i32, mr: i32, nr: i32, tile: usize): void {
  micro4x8(tile, 32, ap, bp, kc, 0);
  for (let r = 0; r < mr; r++) {
    const crow = c + <usize>r * ldc;
    const trow = tile + (<usize>r << 5);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      const v = load<f32>(trow + o);
      store<f32>(crow + o, acc ? load<f32>(crow + o) + v : v);
    }
  }
}
