// Softmax and softmax cross-entropy, fused and stable, one row at a time:
//   m = max_j x[j];  e[j] = exp(x[j] - m);  s = sum_j e[j];  lse = m + log s
//   softmax_f32_*(y, x, rows, cols):                          y = e / s                 // x, y (rows,cols); y may alias x
//   softmax_xent_f32_*(dl, x, labels, rows, cols, scale):      returns sum_rows (lse - x[label])      // labels (rows) i32
//       dl = scale (softmax - onehot)                                                   // dl may alias x
//   softmax_xent_soft_f32_*(dl, x, t, rows, cols, scale):      returns sum_rows sum_j t[j] (lse - x[j])
//       = log s * sum(t) - sum_j t[j] (x[j] - m);   dl = scale (softmax sum(t) - t)   // t (rows,cols); dl may alias x, not t
//       (in xent_soft.ts)
// e is parked in dl (or y) between passes. Row sums keep 4 lanes (one f32x4)
// combined as (s0 + s1) + (s2 + s3), then the scalar tail; the scalar twin
// keeps the same 4 partial sums, so the twins agree bit for bit. The returned
// loss is accumulated in f64. W = 4 (one f32x4 per step), then scalars.
// Labels outside [0, cols) trap in the debug build (assert) and are the caller's fault.
import { logf_s } from '../math/index';
import { expsum_scalar, expsum_simd, rowmax_scalar, rowmax_simd, scale_scalar, scale_simd } from './rows';

// ---------------------------------------------------------------- softmax

/** y = softmax(x) per row, f32x4. */
export function softmax_f32_simd(y: usize, x: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const s = expsum_simd(y + row, x + row, cols, rowmax_simd(x + row, cols));
    scale_simd(y + row, cols, <f32>1.0 / s);
  }
}

/** y = softmax(x) per row, scalar twin. */
export function softmax_f32_scalar(y: usize, x: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const s = expsum_scalar(y + row, x + row, cols, rowmax_scalar(x + row, cols));
    scale_scalar(y + row, cols, <f32>1.0 / s);
  }
}

// ---------------------------------------------------------------- cross-entropy, integer labels

/** sum over rows of -log softmax(x)[label]; dl = scale (softmax - onehot), f32x4. */
export function softmax_xent_f32_simd(dl: usize, x: usize, labels: usize, rows: i32, cols: i32, scale: f32): f64 {
  assert(rows >= 0 && cols >= 0);
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const lab = load<i32>(labels + (<usize>i << 2));
    assert(lab >= 0 && lab < cols);
    const lo = <usize>lab << 2;
    const xl = load<f32>(x + row + lo); // read before dl (maybe x) is overwritten
    const m = rowmax_simd(x + row, cols);
    const s = expsum_simd(dl + row, x + row, cols, m);
    const inv: f32 = 1.0 / s;
    const el = load<f32>(dl + row + lo);
    scale_simd(dl + row, cols, inv * scale);
    store<f32>(dl + row + lo, (el * inv - 1.0) * scale);
    loss += (<f64>m - <f64>xl) + <f64>logf_s(s);
  }
  return loss;
}

/** softmax_xent, scalar twin. */
export function softmax_xent_f32_scalar(dl: usize, x: usize, labels: usize, rows: i32, cols: i32, scale: f32): f64 {
  assert(rows >= 0 && cols >= 0);
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const lab = load<i32>(labels + (<usize>i << 2));
    assert(lab >= 0 && lab < cols);
    const lo = <usize>lab << 2;
    const xl = load<f32>(x + row + lo);
    const m = rowmax_scalar(x + row, cols);
    const s = expsum_scalar(dl + row, x + row, cols, m);
    const inv: f32 = 1.0 / s;
    const el = load<f32>(dl + row + lo);
    scale_scalar(dl + row, cols, inv * scale);
    store<f32>(dl + row + lo, (el * inv - 1.0) * scale);
    loss += (<f64>m - <f64>xl) + <f64>logf_s(s);
  }
  return loss;
}
