// Row passes shared by the softmax-family losses (see softmax.ts for the
// formulas): row max, exp(x - m) parked in the output with its sum, and a row
// scale; each SIMD pass beside its scalar twin, which keeps the same 4 lane
// sums combined as (s0 + s1) + (s2 + s3), so the twins agree bit for bit.
import { expf_s, expf_v } from '../math/index';
import { hmax_v, hsum_v } from '../eltwise/lanes';

// ---------------------------------------------------------------- row passes, SIMD and scalar twin

// @ts-ignore: decorator
@inline export function rowmax_simd(x: usize, cols: i32): f32 {
  let vm = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) vm = f32x4.max(vm, v128.load(x + (<usize>j << 2)));
  let m = hmax_v(vm);
  for (; j < cols; j++) m = max<f32>(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

// @ts-ignore: decorator
@inline export function rowmax_scalar(x: usize, cols: i32): f32 {
  let m: f32 = -Infinity;
  for (let j = 0; j < cols; j++) m = max<f32>(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** out[j] = exp(x[j] - m); returns sum_j out[j] */
// @ts-ignore: decorator
@inline export function expsum_simd(out: usize, x: usize, cols: i32, m: f32): f32 {
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
@inline export function expsum_scalar(out: usize, x: usize, cols: i32, m: f32): f32 {
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
@inline export function scale_simd(y: usize, cols: i32, c: f32): void {
  const vc = f32x4.splat(c);
  let j = 0;
  for (; j + 4 <= cols; j += 4) { const o = <usize>j << 2; v128.store(y + o, f32x4.mul(v128.load(y + o), vc)); }
  for (; j < cols; j++) { const o = <usize>j << 2; store<f32>(y + o, load<f32>(y + o) * c); }
}

// @ts-ignore: decorator
@inline export function scale_scalar(y: usize, cols: i32, c: f32): void {
  for (let j = 0; j < cols; j++) { const o = <usize>j << 2; store<f32>(y + o, load<f32>(y + o) * c); }
}
