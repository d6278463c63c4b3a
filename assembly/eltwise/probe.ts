// TEST-ONLY probe of ../math/: out[i] = fn(x[i]), so the tests can reach the
// shared transcendentals (which are @inline helpers, not kernels). Not part of
// the ABI (src/wasm/abi.ts); nothing in src/ calls it.
//   fn: 2k = scalar form, 2k+1 = f32x4 form of
//   k = 0 exp, 1 expm1, 2 log, 3 log1p, 4 tanh, 5 sigmoid, 6 sin, 7 cos
// The f32x4 form runs on every element: a partial last vector is gathered
// into lanes (zeros after n) and only the first n lanes are stored.
import { cosf_s, cosf_v, expf_s, expf_v, expm1f_s, expm1f_v, log1pf_s, log1pf_v, logf_s, logf_v, sigmoidf_s, sigmoidf_v, sinf_s, sinf_v, tanhf_s, tanhf_v } from '../math/index';

// @ts-ignore: decorator
@inline function probe_s(k: i32, x: f32): f32 {
  switch (k) {
    case 0: return expf_s(x);
    case 1: return expm1f_s(x);
    case 2: return logf_s(x);
    case 3: return log1pf_s(x);
    case 4: return tanhf_s(x);
    case 5: return sigmoidf_s(x);
    case 6: return sinf_s(x);
    default: return cosf_s(x);
  }
}

// @ts-ignore: decorator
@inline function probe_v(k: i32, x: v128): v128 {
  switch (k) {
    case 0: return expf_v(x);
    case 1: return expm1f_v(x);
    case 2: return logf_v(x);
    case 3: return log1pf_v(x);
    case 4: return tanhf_v(x);
    case 5: return sigmoidf_v(x);
    case 6: return sinf_v(x);
    default: return cosf_v(x);
  }
}

/** out(n) = fn(x(n)); see the table above. Test-only. */
export function math_probe_f32(out: usize, x: usize, n: i32, fn: i32): void {
  assert(n >= 0 && fn >= 0 && fn < 16);
  const k = fn >> 1;
  if ((fn & 1) == 0) {
    for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), probe_s(k, load<f32>(x + (<usize>i << 2))));
    return;
  }
  for (let i = 0; i < n; i += 4) {
    const p = x + (<usize>i << 2);
    const m = n - i;
    let v = f32x4.splat(0);
    v = f32x4.replace_lane(v, 0, load<f32>(p));
    if (m > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
    if (m > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
    if (m > 3) v = f32x4.replace_lane(v, 3, load<f32>(p, 12));
    const r = probe_v(k, v);
    const q = out + (<usize>i << 2);
    store<f32>(q, f32x4.extract_lane(r, 0));
    if (m > 1) store<f32>(q, f32x4.extract_lane(r, 1), 4);
    if (m > 2) store<f32>(q, f32x4.extract_lane(r, 2), 8);
    if (m > 3) store<f32>(q, f32x4.extract_lane(r, 3), 12);
  }
}
