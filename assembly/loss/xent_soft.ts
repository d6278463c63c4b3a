// Softmax cross-entropy with soft targets t (rows, cols), fused and stable (see softmax.ts):
//   returns sum_rows sum_j t[j] (lse - x[j]) = log s * sum(t) - sum_j t[j] (x[j] - m)
//   dl = scale (softmax sum(t) - t); dl may alias x, not t. e is parked in dl between passes.
// Three row sums (s, sum t, sum t (x - m)) keep 4 lanes each, combined as
// (s0 + s1) + (s2 + s3); the scalar twin keeps the same partial sums. W = 4.
import { expf_s, expf_v, logf_s } from '../math/index';
import { hsum_v } from '../eltwise/lanes';
import { rowmax_scalar, rowmax_simd } from './rows';

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
