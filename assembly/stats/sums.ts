// Sum and sum of squares only: the light statistics of per-time-step traces
// (||dL/dh_t||, ||h_t||, gate means), where the full one-pass `stats` would
// cost a quarter of a recurrent step (#4).
//
//   sums   out (8 f64, the layout of `stats`) = [n, sum x, sum x^2, 0, 0, 0, 0, 0]
//          x f32 (n,); out 8-byte aligned. Non-finite values are summed as they are
//          (a NaN makes the sums NaN: the time series shows it).
//
// Lanes: element i adds into f64 partial sums i mod 4 (two f64x2 accumulators each),
// folded as (s0 + s2) + (s1 + s3), then the tail in order; the scalar twin keeps the
// same partial sums and fold, so the twins are bit-identical.
// Tail: 4 elements an iteration, then scalar. Bench: the recurrent step (bench/recurrent.mjs).

export function sums_f32_simd(out: usize, x: usize, n: i32): void {
  assert(n >= 0 && (x & 3) == 0 && (out & 7) == 0);
  let vs01 = f64x2.splat(0), vs23 = f64x2.splat(0), vq01 = f64x2.splat(0), vq23 = f64x2.splat(0);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    const vx = v128.load(x + o);
    const x01 = f64x2.promote_low_f32x4(vx), x23 = f64x2.promote_low_f32x4(f32x4.shuffle(vx, vx, 2, 3, 0, 1));
    vs01 = f64x2.add(vs01, x01);
    vs23 = f64x2.add(vs23, x23);
    vq01 = f64x2.add(vq01, f64x2.mul(x01, x01));
    vq23 = f64x2.add(vq23, f64x2.mul(x23, x23));
  }
  const vs = f64x2.add(vs01, vs23), vq = f64x2.add(vq01, vq23);
  let s = f64x2.extract_lane(vs, 0) + f64x2.extract_lane(vs, 1);
  let q = f64x2.extract_lane(vq, 0) + f64x2.extract_lane(vq, 1);
  for (; o < end; o += 4) {
    const v = <f64>load<f32>(x + o);
    s += v;
    q += v * v;
  }
  write(out, n, s, q);
}

export function sums_f32_scalar(out: usize, x: usize, n: i32): void {
  assert(n >= 0 && (x & 3) == 0 && (out & 7) == 0);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, q0: f64 = 0, q1: f64 = 0, q2: f64 = 0, q3: f64 = 0;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    const a = <f64>load<f32>(x + o), b = <f64>load<f32>(x + o, 4), c = <f64>load<f32>(x + o, 8), d = <f64>load<f32>(x + o, 12);
    s0 += a; s1 += b; s2 += c; s3 += d;
    q0 += a * a; q1 += b * b; q2 += c * c; q3 += d * d;
  }
  let s = (s0 + s2) + (s1 + s3), q = (q0 + q2) + (q1 + q3);
  for (; o < end; o += 4) {
    const v = <f64>load<f32>(x + o);
    s += v;
    q += v * v;
  }
  write(out, n, s, q);
}

// @ts-ignore: decorator
@inline function write(out: usize, n: i32, s: f64, q: f64): void {
  store<f64>(out, <f64>n);
  store<f64>(out, s, 8);
  store<f64>(out, q, 16);
  for (let k: usize = 24; k < 64; k += 8) store<f64>(out + k, 0);
}
