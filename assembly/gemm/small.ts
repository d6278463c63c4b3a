// Unpacked SIMD GEMM for small shapes (no packing pays off below ~128^3).
//
//   C(M,N) (+)= A'(M,K) . B(K,N),  A'(i,p) = A[i*sai + p*sak]
//   NN: sai = K, sak = 1 (A is (M,K));  TN: sai = 1, sak = M (A is (K,M)).
//   B is (K,N) row-major (NT first transposes its (N,K) B into ws, see
//   transposeInto). C is (M,N) row-major and must not alias A or B.
// Tiles: 4 rows x 8 columns (8 f32x4 accumulators, A splatted from memory),
// then a 4-column step, then scalar columns; leftover rows (m % 4) run the
// same column steps one row at a time. acc = 1 adds to C, 0 overwrites.
// Bench: node --expose-gc bench/run.mjs --filter gemm
import { madd } from './config';

/** rows (1..4) of C, columns [j, j+8): A splats from rows a0..a3 (unused rows alias a0). */
function tile8(c: usize, ldc: usize, a: usize, sai: usize, sak: usize, b: usize, ldb: usize, k: i32, acc: i32, rows: i32): void {
  let a0 = a;
  let a1 = rows > 1 ? a0 + sai : a0;
  let a2 = rows > 2 ? a1 + sai : a1;
  let a3 = rows > 3 ? a2 + sai : a2;
  let vacc0x0123 = f32x4.splat(0), vacc0x4567 = f32x4.splat(0);
  let vacc1x0123 = f32x4.splat(0), vacc1x4567 = f32x4.splat(0);
  let vacc2x0123 = f32x4.splat(0), vacc2x4567 = f32x4.splat(0);
  let vacc3x0123 = f32x4.splat(0), vacc3x4567 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const vb0123 = v128.load(b);
    const vb4567 = v128.load(b, 16);
    const va0 = v128.load32_splat(a0);
    vacc0x0123 = madd(va0, vb0123, vacc0x0123);
    vacc0x4567 = madd(va0, vb4567, vacc0x4567);
    const va1 = v128.load32_splat(a1);
    vacc1x0123 = madd(va1, vb0123, vacc1x0123);
    vacc1x4567 = madd(va1, vb4567, vacc1x4567);
    const va2 = v128.load32_splat(a2);
    vacc2x0123 = madd(va2, vb0123, vacc2x0123);
    vacc2x4567 = madd(va2, vb4567, vacc2x4567);
    const va3 = v128.load32_splat(a3);
    vacc3x0123 = madd(va3, vb0123, vacc3x0123);
    vacc3x4567 = madd(va3, vb4567, vacc3x4567);
    a0 += sak;
    a1 += sak;
    a2 += sak;
    a3 += sak;
    b += ldb;
  }
  if (acc) {
    vacc0x0123 = f32x4.add(v128.load(c), vacc0x0123);
    vacc0x4567 = f32x4.add(v128.load(c, 16), vacc0x4567);
  }
  v128.store(c, vacc0x0123);
  v128.store(c, vacc0x4567, 16);
  if (rows < 2) return;
  c += ldc;
  if (acc) {
    vacc1x0123 = f32x4.add(v128.load(c), vacc1x0123);
    vacc1x4567 = f32x4.add(v128.load(c, 16), vacc1x4567);
  }
  v128.store(c, vacc1x0123);
  v128.store(c, vacc1x4567, 16);
  if (rows < 3) return;
  c += ldc;
  if (acc) {
    vacc2x0123 = f32x4.add(v128.load(c), vacc2x0123);
    vacc2x4567 = f32x4.add(v128.load(c, 16), vacc2x4567);
  }
  v128.store(c, vacc2x0123);
  v128.store(c, vacc2x4567, 16);
  if (rows < 4) return;
  c += ldc;
  if (acc) {
    vacc3x0123 = f32x4.add(v128.load(c), vacc3x0123);
    vacc3x4567 = f32x4.add(v128.load(c, 16), vacc3x4567);
  }
  v128.store(c, vacc3x0123);
  v128.store(c, vacc3x4567, 16);
}

/** one row of C, columns [j, j+4) when w == 4, else column j alone (w == 1). */
function row4or1(c: usize, a: usize, sak: usize, b: usize, ldb: usize, k: i32, acc: i32, w: i32): void {
  if (w == 4) {
    let vacc = f32x4.splat(0);
    for (let p = 0; p < k; p++) {
      vacc = madd(v128.load32_splat(a), v128.load(b), vacc);
      a += sak;
      b += ldb;
    }
    v128.store(c, acc ? f32x4.add(v128.load(c), vacc) : vacc);
  } else {
    let sum: f32 = 0;
    for (let p = 0; p < k; p++) {
      sum += load<f32>(a) * load<f32>(b);
      a += sak;
      b += ldb;
    }
    store<f32>(c, acc ? load<f32>(c) + sum : sum);
  }
}

export function gemmSmall(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, sai: i32, sak: i32): void {
  const ldc = <usize>n << 2;
  const ldb = <usize>n << 2;
  const sai4 = <usize>sai << 2;
  const sak4 = <usize>sak << 2;
  const n8 = n & ~7;
  for (let i = 0; i < m; i += 4) {
    const rows = min(4, m - i);
    const ci = c + <usize>i * ldc;
    const ai = a + <usize>i * sai4;
    for (let j = 0; j < n8; j += 8) {
      tile8(ci + (<usize>j << 2), ldc, ai, sai4, sak4, b + (<usize>j << 2), ldb, k, acc, rows);
    }
    for (let r = 0; r < rows; r++) {
      const cr = ci + <usize>r * ldc;
      const ar = ai + <usize>r * sai4;
      let j = n8;
      if (j + 4 <= n) {
        row4or1(cr + (<usize>j << 2), ar, sak4, b + (<usize>j << 2), ldb, k, acc, 4);
        j += 4;
      }
      for (; j < n; j++) row4or1(cr + (<usize>j << 2), ar, sak4, b + (<usize>j << 2), ldb, k, acc, 1);
    }
  }
}

/** dst(cols, rows) = src(rows, cols)^T, both row-major; 4x4 blocks in registers, scalar edges. */
export function transposeInto(dst: usize, src: usize, rows: i32, cols: i32): void {
  const r4 = rows & ~3;
  const c4 = cols & ~3;
  const sRow = <usize>cols << 2;
  const dRow = <usize>rows << 2;
  for (let i = 0; i < r4; i += 4) {
    const s0 = src + <usize>i * sRow;
    for (let j = 0; j < c4; j += 4) {
      const o = <usize>j << 2;
      const r0 = v128.load(s0 + o);
      const r1 = v128.load(s0 + sRow + o);
      const r2 = v128.load(s0 + 2 * sRow + o);
      const r3 = v128.load(s0 + 3 * sRow + o);
      const t01lo = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t23lo = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t01hi = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t23hi = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const d = dst + <usize>j * dRow + (<usize>i << 2);
      v128.store(d, f32x4.shuffle(t01lo, t23lo, 0, 1, 4, 5));
      v128.store(d + dRow, f32x4.shuffle(t01lo, t23lo, 2, 3, 6, 7));
      v128.store(d + 2 * dRow, f32x4.shuffle(t01hi, t23hi, 0, 1, 4, 5));
      v128.store(d + 3 * dRow, f32x4.shuffle(t01hi, t23hi, 2, 3, 6, 7));
    }
  }
  for (let i = 0; i < rows; i++) {
    const j0 = i < r4 ? c4 : 0;
    for (let j = j0; j < cols; j++) {
      store<f32>(dst + ((<usize>j * rows + i) << 2), load<f32>(src + ((<usize>i * cols + j) << 2)));
    }
  }
}
