// Elementwise losses over (n) vectors, value and gradient in one pass, and argmax.
//   mse_f32_*(dy, y, t, n, scale):        returns sum (y - t)^2;  dy = scale 2 (y - t)
//   bce_logits_f32_*(dz, z, t, n, scale): returns sum max(z,0) - z t + log1p(exp(-|z|));
//                                         dz = scale (sigmoid(z) - t)   (stable for any z; t in [0, 1])
//   argmax_f32_scalar(out, x, rows, cols): out(rows) i32 = first j with the row max (NaN never wins; all -Inf or NaN -> 0)
// Gradients may alias y / z (or t). Per-element losses are summed in f64:
// four lane sums (two f64x2 after promotion), combined as (s0 + s2) + (s1 + s3),
// then the scalar tail; the scalar twin keeps the same four f64 sums, so the
// twins agree bit for bit. W = 4 (one f32x4 per step), then scalars.
// BCE shares e = exp(-|z|) between log1p(e) and sigmoid(z) = (z >= 0 ? 1 : e) / (1 + e).
import { expf_s, expf_v, log1pf_s, log1pf_v } from '../math/index';
import { high_f32, hsum_f64_v } from '../eltwise/lanes';

// ---------------------------------------------------------------- mse

/** sum (y - t)^2 in f64; dy = scale 2 (y - t), f32x4. */
export function mse_f32_simd(dy: usize, y: usize, t: usize, n: i32, scale: f32): f64 {
  assert(n >= 0);
  const c: f32 = scale * 2.0;
  const vc = f32x4.splat(c);
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = f32x4.sub(v128.load(y + o), v128.load(t + o));
    v128.store(dy + o, f32x4.mul(d, vc));
    const d01 = f64x2.promote_low_f32x4(d);
    const d23 = f64x2.promote_low_f32x4(high_f32(d));
    lo = f64x2.add(lo, f64x2.mul(d01, d01));
    hi = f64x2.add(hi, f64x2.mul(d23, d23));
  }
  let sum = hsum_f64_v(lo, hi);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(y + o) - load<f32>(t + o);
    store<f32>(dy + o, d * c);
    sum += <f64>d * <f64>d;
  }
  return sum;
}

/** mse, scalar twin. */
export function mse_f32_scalar(dy: usize, y: usize, t: usize, n: i32, scale: f32): f64 {
  assert(n >= 0);
  const c: f32 = scale * 2.0;
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d0 = load<f32>(y + o) - load<f32>(t + o), d1 = load<f32>(y + o, 4) - load<f32>(t + o, 4);
    const d2 = load<f32>(y + o, 8) - load<f32>(t + o, 8), d3 = load<f32>(y + o, 12) - load<f32>(t + o, 12);
    store<f32>(dy + o, d0 * c); store<f32>(dy + o, d1 * c, 4); store<f32>(dy + o, d2 * c, 8); store<f32>(dy + o, d3 * c, 12);
    s0 += <f64>d0 * <f64>d0; s1 += <f64>d1 * <f64>d1; s2 += <f64>d2 * <f64>d2; s3 += <f64>d3 * <f64>d3;
  }
  let sum = (s0 + s2) + (s1 + s3);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = load<f32>(y + o) - load<f32>(t + o);
    store<f32>(dy + o, d * c);
    sum += <f64>d * <f64>d;
  }
  return sum;
}

// ---------------------------------------------------------------- bce with logits

// @ts-ignore: decorator
@inline function bce_v(z: v128, t: v128, vsc: v128, dz: usize): v128 {
  const one = f32x4.splat(1.0);
  const e = expf_v(f32x4.neg(f32x4.abs(z)));
  const sp = f32x4.div(one, f32x4.add(one, e));
  const s = v128.bitselect(sp, f32x4.mul(e, sp), f32x4.ge(z, f32x4.splat(0)));
  v128.store(dz, f32x4.mul(f32x4.sub(s, t), vsc));
  return f32x4.add(f32x4.sub(f32x4.max(z, f32x4.splat(0)), f32x4.mul(z, t)), log1pf_v(e));
}

// @ts-ignore: decorator
@inline function bce_s(z: f32, t: f32, scale: f32, dz: usize): f32 {
  const e = expf_s(-abs<f32>(z));
  const sp: f32 = 1.0 / (1.0 + e);
  const s = select<f32>(sp, e * sp, z >= 0);
  store<f32>(dz, (s - t) * scale);
  return (max<f32>(z, 0) - z * t) + log1pf_s(e);
}

/** sum of stable BCE-with-logits in f64; dz = scale (sigmoid(z) - t), f32x4. */
export function bce_logits_f32_simd(dz: usize, z: usize, t: usize, n: i32, scale: f32): f64 {
  assert(n >= 0);
  const vsc = f32x4.splat(scale);
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const l = bce_v(v128.load(z + o), v128.load(t + o), vsc, dz + o);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(l));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(high_f32(l)));
  }
  let sum = hsum_f64_v(lo, hi);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    sum += <f64>bce_s(load<f32>(z + o), load<f32>(t + o), scale, dz + o);
  }
  return sum;
}

/** bce_logits, scalar twin. */
export function bce_logits_f32_scalar(dz: usize, z: usize, t: usize, n: i32, scale: f32): f64 {
  assert(n >= 0);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    s0 += <f64>bce_s(load<f32>(z + o), load<f32>(t + o), scale, dz + o);
    s1 += <f64>bce_s(load<f32>(z + o, 4), load<f32>(t + o, 4), scale, dz + o + 4);
    s2 += <f64>bce_s(load<f32>(z + o, 8), load<f32>(t + o, 8), scale, dz + o + 8);
    s3 += <f64>bce_s(load<f32>(z + o, 12), load<f32>(t + o, 12), scale, dz + o + 12);
  }
  let sum = (s0 + s2) + (s1 + s3);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    sum += <f64>bce_s(load<f32>(z + o), load<f32>(t + o), scale, dz + o);
  }
  return sum;
}

// ---------------------------------------------------------------- argmax

/** out(rows) i32 = index of the row max over cols; the first max wins. Scalar only. */
export function argmax_f32_scalar(out: usize, x: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * cols) << 2);
    let best: f32 = -Infinity;
    let at = 0;
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(xr + (<usize>j << 2));
      if (v > best) { best = v; at = j; }
    }
    store<i32>(out + (<usize>i << 2), at);
  }
}
