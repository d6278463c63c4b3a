// Packed, cache-blocked GEMM driver (GotoBLAS loop order), shared by NN, NT, TN.
//
//   C(M,N) (+)= op(A)(M,K) . op(B)(K,N)
//   transA: A is given as (K,M) (TN), else (M,K); transB: B is given as (N,K)
//   (NT), else (K,N). C is (M,N) row-major; C must not alias A, B or ws.
// Loops: jc over N in blocks of <= NC, pc over K in blocks of <= KC (pack B),
// ic over M in blocks of <= MC (pack A), then 8-column panels x 4-row panels
// into micro4x8. Block sizes are balanced (K = 784 runs as 4 x 196, not
// 3 x 256 + 16) so no block is a sliver. The first K block honours `acc`;
// later K blocks always add. Partial tiles go through microEdge.
// Bench: node --expose-gc bench/run.mjs --filter gemm
import { KC, MC, MR, NC, NR, WS_A, WS_B, cdiv, roundUp } from './config';
import { micro4x8, microEdge } from './micro';
import { packA_KM, packA_MK, packB_KN, packB_NK } from './pack';

/** One MC x NC block of C from packed pa (mc x kc) and pb (kc x nc). */
function macro(c: usize, ldc: usize, pa: usize, pb: usize, mc: i32, nc: i32, kc: i32, acc: i32, tile: usize): void {
  const aPanel = <usize>(kc * MR) << 2;
  const bPanel = <usize>(kc * NR) << 2;
  const rowsBytes = ldc * MR;
  const mFull = mc & ~(MR - 1);
  for (let j = 0; j < nc; j += NR) {
    const nr = min(NR, nc - j);
    let cp = c + (<usize>j << 2);
    let ap = pa;
    if (nr == NR) {
      for (let i = 0; i < mFull; i += MR) {
        micro4x8(cp, ldc, ap, pb, kc, acc);
        cp += rowsBytes;
        ap += aPanel;
      }
    } else {
      for (let i = 0; i < mFull; i += MR) {
        microEdge(cp, ldc, ap, pb, kc, acc, MR, nr, tile);
        cp += rowsBytes;
        ap += aPanel;
      }
    }
    if (mFull < mc) microEdge(cp, ldc, ap, pb, kc, acc, mc - mFull, nr, tile);
    pb += bPanel;
  }
}

export function gemmPacked(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, ws: usize, transA: bool, transB: bool): void {
  const pa = ws;
  const pb = ws + WS_A;
  const tile = pb + WS_B;
  const ldc = <usize>n << 2;
  const ncb = roundUp(cdiv(n, cdiv(n, NC)), NR);
  const kcb = cdiv(k, cdiv(k, KC));
  const mcb = roundUp(cdiv(m, cdiv(m, MC)), MR);
  for (let jc = 0; jc < n; jc += ncb) {
    const nc = min(ncb, n - jc);
    for (let pc = 0; pc < k; pc += kcb) {
      const kc = min(kcb, k - pc);
      if (transB) packB_NK(pb, b + (<usize>jc * k + pc << 2), k, kc, nc);
      else packB_KN(pb, b + (<usize>pc * n + jc << 2), n, kc, nc);
      const accBlock = pc > 0 ? 1 : acc;
      for (let ic = 0; ic < m; ic += mcb) {
        const mc = min(mcb, m - ic);
        if (transA) packA_KM(pa, a + (<usize>pc * m + ic << 2), m, mc, kc);
        else packA_MK(pa, a + (<usize>ic * k + pc << 2), k, mc, kc);
        macro(c + (<usize>ic * n + jc << 2), ldc, pa, pb, mc, nc, kc, accBlock, tile);
      }
    }
  }
}
