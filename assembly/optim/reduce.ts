// Clipping by value and the sum of squares behind global-norm clipping.
//
//   clip   y = min(max(x, lo), hi)      x, y f32 (n,); y may alias x. NaN stays NaN
//                                        (wasm min/max propagate it), -0 < +0.
//   sumsq  sum_i x_i^2 in f64           x f32 (n,). Each x_i is promoted to f64, so x_i^2
//                                        is exact; only the additions round.
//
// sumsq lanes: the SIMD loop keeps 8 f64 partial sums (four f64x2: elements i mod 8 in
// lane i mod 8), the single-vector loop adds into lanes 0..3, then the lanes are folded
// as ((s0+s4) + (s2+s6)) + ((s1+s5) + (s3+s7)) and the tail (n mod 4 elements) is added
// in order. sumsq_f32_scalar keeps the same 8 partial sums and folds them the same way,
// so the twins are bit-identical. Against an exact sum the relative error is at most
// about n/8 * 2^-53.
// Tail: 8 elements an iteration, one f32x4, then scalar. Bench: none yet.

// -------------------------------------------------------------------- clip

export function clip_f32_simd(y: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  assert(n >= 0 && ((y | x) & 3) == 0);
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    const vx0123 = v128.load(x + o), vx4567 = v128.load(x + o, 16);
    v128.store(y + o, f32x4.min(f32x4.max(vx0123, vlo), vhi));
    v128.store(y + o, f32x4.min(f32x4.max(vx4567, vlo), vhi), 16);
  }
  for (; o + 16 <= end; o += 16) v128.store(y + o, f32x4.min(f32x4.max(v128.load(x + o), vlo), vhi));
  for (; o < end; o += 4) store<f32>(y + o, Mathf.min(Mathf.max(load<f32>(x + o), lo), hi));
}

export function clip_f32_scalar(y: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  assert(n >= 0 && ((y | x) & 3) == 0);
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) store<f32>(y + o, Mathf.min(Mathf.max(load<f32>(x + o), lo), hi));
}

// ------------------------------------------------------------------- sumsq

// @ts-ignore: decorator
@inline function sq(x: usize, o: usize): f64 {
  const xi = <f64>load<f32>(x + o);
  return xi * xi;
}

export function sumsq_f32_simd(x: usize, n: i32): f64 {
  assert(n >= 0 && (x & 3) == 0);
  let vacc01 = f64x2.splat(0), vacc23 = f64x2.splat(0), vacc45 = f64x2.splat(0), vacc67 = f64x2.splat(0);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    const vx0123 = v128.load(x + o), vx4567 = v128.load(x + o, 16);
    const vx01 = f64x2.promote_low_f32x4(vx0123), vx23 = f64x2.promote_low_f32x4(f32x4.shuffle(vx0123, vx0123, 2, 3, 0, 1));
    const vx45 = f64x2.promote_low_f32x4(vx4567), vx67 = f64x2.promote_low_f32x4(f32x4.shuffle(vx4567, vx4567, 2, 3, 0, 1));
    vacc01 = f64x2.add(vacc01, f64x2.mul(vx01, vx01));
    vacc23 = f64x2.add(vacc23, f64x2.mul(vx23, vx23));
    vacc45 = f64x2.add(vacc45, f64x2.mul(vx45, vx45));
    vacc67 = f64x2.add(vacc67, f64x2.mul(vx67, vx67));
  }
  for (; o + 16 <= end; o += 16) {
    const vx0123 = v128.load(x + o);
    const vx01 = f64x2.promote_low_f32x4(vx0123), vx23 = f64x2.promote_low_f32x4(f32x4.shuffle(vx0123, vx0123, 2, 3, 0, 1));
    vacc01 = f64x2.add(vacc01, f64x2.mul(vx01, vx01));
    vacc23 = f64x2.add(vacc23, f64x2.mul(vx23, vx23));
  }
  // ((s0+s4) + (s2+s6)) + ((s1+s5) + (s3+s7))
  const vs = f64x2.add(f64x2.add(vacc01, vacc45), f64x2.add(vacc23, vacc67));
  let s = f64x2.extract_lane(vs, 0) + f64x2.extract_lane(vs, 1);
  for (; o < end; o += 4) s += sq(x, o);
  return s;
}

export function sumsq_f32_scalar(x: usize, n: i32): f64 {
  assert(n >= 0 && (x & 3) == 0);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, s4: f64 = 0, s5: f64 = 0, s6: f64 = 0, s7: f64 = 0;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    s0 += sq(x, o); s1 += sq(x, o + 4); s2 += sq(x, o + 8); s3 += sq(x, o + 12);
    s4 += sq(x, o + 16); s5 += sq(x, o + 20); s6 += sq(x, o + 24); s7 += sq(x, o + 28);
  }
  for (; o + 16 <= end; o += 16) {
    s0 += sq(x, o); s1 += sq(x, o + 4); s2 += sq(x, o + 8); s3 += sq(x, o + 12);
  }
  let s = ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7));
  for (; o < end; o += 4) s += sq(x, o);
  return s;
}
