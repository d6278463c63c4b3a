// Softmax and softmax cross-entropy, fused and stable, one row at a time:
//   m = max_j x[j];  e[j] = exp(x[j] - m);  s = sum_j e[j];  lse = m + log s
//   softmax_f32_*(y, x, rows, cols):                          y = e / s                 // x, y (rows,cols); y may alias x
//   softmax_xent_f32_*(dl, x, labels, rows, cols, scale):      returns sum_rows (lse - x[label])      // labels (rows) i32
//       dl = scale (softmax - onehot)                                                   // dl may alias x
//   softmax_xent_soft_f32_*(dl, x, t, rows, cols, scale):      returns sum_rows sum_j t[j] (lse - x[j])
//       = log s * sum(t) - sum_j t[j] (x[j] - m);   dl = scale (softmax sum(t) - t)   // t (rows,cols); dl may alias x, not t
// e is parked in dl (or y) between passes. Row sums keep 4 lanes (one f32x4)
// combined as (s0 + s1) + (s2 + s3), then the scalar tail; the scalar twin
// keeps the same 4 partial sums, so the twins agree bit for bit. The returned
// loss is accumulated in f64. W = 4 (one f32x4 per step), then scalars.
// Labels outside [0, cols) trap in the debug build (assert) and are the caller's fault.
import { expf_s, expf_v, logf_s } from '../math';
import { hmax_v, hsum_v } from '../eltwise/lanes';

// ---------------------------------------------------------------- row passes, SIMD and scalar twin

// @ts-ignore: decorator
@inline function rowmax_simd(x: usize, cols: i32): f32 {
  let vm = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) vm = f32x4.max(vm, v128.load(x + (<usize>j << 2)));
  let m = hmax_v(vm);
  for (; j < cols; j++) m = max<f32>(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

// @ts-ignore: decorator
@inline function rowmax_scalar(x: usize, cols: i32): f32 {
  let m: f32 = -Infinity;
  for (let j = 0; j < cols; j++) m = max<f32>(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** out[j] = exp(x[j] - m); returns sum_j out[j] */
// @ts-ignore: decorator
@inline function expsum_simd(out: usize, x: usize, cols: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let vs = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    const e = expf_v(f32x4.sub(v128.load(x + o), vm));
    v128.store(out + o, e);
    vs = f32x4.add(vs, e);
  }
  let s = hsum_v(vs);
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    const e = expf_s(load<f32>(x + o) - m);
    store<f32>(out + o, e);
    s += e;
  }
  return s;
}

// @ts-ignore: decorator
@inline function expsum_scalar(out: usize, x: usize, cols: i32, m: f32): f32 {
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    const e0 = expf_s(load<f32>(x + o) - m), e1 = expf_s(load<f32>(x + o, 4) - m);
    const e2 = expf_s(load<f32>(x + o, 8) - m), e3 = expf_s(load<f32>(x + o, 12) - m);
    store<f32>(out + o, e0); store<f32>(out + o, e1, 4); store<f32>(out + o, e2, 8); store<f32>(out + o, e3, 12);
    s0 += e0; s1 += e1; s2 += e2; s3 += e3;
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    const e = expf_s(load<f32>(x + o) - m);
    store<f32>(out + o, e);
    s += e;
  }
  return s;
}

/** y[j] *= c */
// @ts-ignore: decorator
@inline function scale_simd(y: usize, cols: i32, c: f32): void {
  const vc = f32x4.splat(c);
  let j = 0;
  for (; j + 4 <= cols; j += 4) { const o = <usize>j << 2; v128.store(y + o, f32x4.mul(v128.load(y + o), vc)); }
  for (; j < cols; j++) { const o = <usize>j << 2; store<f32>(y + o, load<f32>(y + o) * c); }
}

// @ts-ignore: decorator
@inline function scale_scalar(y: usize, cols: i32, c: f32): void {
  for (let j = 0; j < cols; j++) { const o = <usize>j << 2; store<f32>(y + o, load<f32>(y + o) * c); }
}

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

// ---------------------------------------------------------------- cross-entropy, soft targets

/** sum over rows of -sum_j t[j] log softmax(x)[j]; dl = scale (softmax sum(t) - t), f32x4. */
export function softmax_xent_soft_f32_simd(dl: usize, x: usize, t: usize, rows: i32, cols: i32, scale: f32): f64 {
  assert(rows >= 0 && cols >= 0);
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const xr = x + row, tr = t + row, dr = dl + row;
    const m = rowmax_simd(xr, cols);
    const vm = f32x4.splat(m);
    let vs = f32x4.splat(0), vst = f32x4.splat(0), vsd = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const d = f32x4.sub(v128.load(xr + o), vm);
      const vt = v128.load(tr + o);
      const e = expf_v(d);
      v128.store(dr + o, e);
      vs = f32x4.add(vs, e);
      vst = f32x4.add(vst, vt);
      vsd = f32x4.add(vsd, f32x4.mul(vt, d));
    }
    let s = hsum_v(vs), st = hsum_v(vst), sd = hsum_v(vsd);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(xr + o) - m;
      const tj = load<f32>(tr + o);
      const e = expf_s(d);
      store<f32>(dr + o, e);
      s += e; st += tj; sd += tj * d;
    }
    const inv: f32 = 1.0 / s;
    const vinv = f32x4.splat(inv), vst1 = f32x4.splat(st), vsc = f32x4.splat(scale);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const p = f32x4.mul(v128.load(dr + o), vinv);
      v128.store(dr + o, f32x4.mul(f32x4.sub(f32x4.mul(p, vst1), v128.load(tr + o)), vsc));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dr + o, (load<f32>(dr + o) * inv * st - load<f32>(tr + o)) * scale);
    }
    loss += <f64>logf_s(s) * <f64>st - <f64>sd;
  }
  return loss;
}

/** softmax_xent_soft, scalar twin. */
export function softmax_xent_soft_f32_scalar(dl: usize, x: usize, t: usize, rows: i32, cols: i32, scale: f32): f64 {
  assert(rows >= 0 && cols >= 0);
  let loss: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const xr = x + row, tr = t + row, dr = dl + row;
    const m = rowmax_scalar(xr, cols);
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
    let t0: f32 = 0, t1: f32 = 0, t2: f32 = 0, t3: f32 = 0;
    let d0: f32 = 0, d1: f32 = 0, d2: f32 = 0, d3: f32 = 0;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const a0 = load<f32>(xr + o) - m, a1 = load<f32>(xr + o, 4) - m, a2 = load<f32>(xr + o, 8) - m, a3 = load<f32>(xr + o, 12) - m;
      const u0 = load<f32>(tr + o), u1 = load<f32>(tr + o, 4), u2 = load<f32>(tr + o, 8), u3 = load<f32>(tr + o, 12);
      const e0 = expf_s(a0), e1 = expf_s(a1), e2 = expf_s(a2), e3 = expf_s(a3);
      store<f32>(dr + o, e0); store<f32>(dr + o, e1, 4); store<f32>(dr + o, e2, 8); store<f32>(dr + o, e3, 12);
      s0 += e0; s1 += e1; s2 += e2; s3 += e3;
      t0 += u0; t1 += u1; t2 += u2; t3 += u3;
      d0 += u0 * a0; d1 += u1 * a1; d2 += u2 * a2; d3 += u3 * a3;
    }
    let s = (s0 + s1) + (s2 + s3), st = (t0 + t1) + (t2 + t3), sd = (d0 + d1) + (d2 + d3);
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      const d = load<f32>(xr + o) - m;
      const tj = load<f32>(tr + o);
      const e = expf_s(d);
      store<f32>(dr + o, e);
      s += e; st += tj; sd += tj * d;
    }
    const inv: f32 = 1.0 / s;
    for (j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dr + o, (load<f32>(dr + o) * inv * st - load<f32>(tr + o)) * scale);
    }
    loss += <f64>logf_s(s) * <f64>st - <f64>sd;
  }
  return loss;
}
