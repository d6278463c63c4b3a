// Applying an update, fused with the statistics the trace needs of it.
//
//   apply_update   p += u, and out (f64[4]) = [ sum u^2, sum p_before^2, count of non-finite p_after, 0 ]
//                  p, u f32 (n,); u must not alias p; out 8-byte aligned, 32 bytes.
//
// One pass instead of four (the norm of the update, the norm of the parameter, the
// update itself, the non-finite check of the result) — the update-to-parameter ratio
// of the trace and the overflow check of the 'skip' policy come for free (#3).
// Lanes: element i adds into f64 partial sum i mod 4 (two f64x2 accumulators), folded
// as (s0 + s2) + (s1 + s3), then the tail in order; the scalar twin keeps the same four
// sums and fold, so the twins are bit-identical.
// Tail: 4 elements an iteration, then scalar. Bench: part of the training steps (bench/mlp.mjs).

// @ts-ignore: decorator
@inline function sq(x: f32): f64 {
  const d = <f64>x;
  return d * d;
}

export function apply_update_f32_simd(out: usize, p: usize, u: usize, n: i32): void {
  assert(n >= 0 && ((p | u) & 15) == 0 && (out & 7) == 0);
  let vu01 = f64x2.splat(0), vu23 = f64x2.splat(0), vp01 = f64x2.splat(0), vp23 = f64x2.splat(0);
  let vbad = i32x4.splat(0);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    const vp = v128.load(p + o), vu = v128.load(u + o);
    const vnew = f32x4.add(vp, vu);
    v128.store(p + o, vnew);
    const vuh = f32x4.shuffle(vu, vu, 2, 3, 0, 1), vph = f32x4.shuffle(vp, vp, 2, 3, 0, 1);
    const u01 = f64x2.promote_low_f32x4(vu), u23 = f64x2.promote_low_f32x4(vuh);
    const p01 = f64x2.promote_low_f32x4(vp), p23 = f64x2.promote_low_f32x4(vph);
    vu01 = f64x2.add(vu01, f64x2.mul(u01, u01));
    vu23 = f64x2.add(vu23, f64x2.mul(u23, u23));
    vp01 = f64x2.add(vp01, f64x2.mul(p01, p01));
    vp23 = f64x2.add(vp23, f64x2.mul(p23, p23));
    const vd = f32x4.sub(vnew, vnew); // 0 for finite values, NaN for NaN and +-Infinity
    vbad = i32x4.sub(vbad, f32x4.ne(vd, vd));
  }
  const su = f64x2.add(vu01, vu23), sp = f64x2.add(vp01, vp23);
  let sumU = f64x2.extract_lane(su, 0) + f64x2.extract_lane(su, 1);
  let sumP = f64x2.extract_lane(sp, 0) + f64x2.extract_lane(sp, 1);
  let bad = i32x4.extract_lane(vbad, 0) + i32x4.extract_lane(vbad, 1) + i32x4.extract_lane(vbad, 2) + i32x4.extract_lane(vbad, 3);
  for (; o < end; o += 4) {
    const vp = load<f32>(p + o), vu = load<f32>(u + o);
    const vnew = vp + vu;
    store<f32>(p + o, vnew);
    sumU += sq(vu);
    sumP += sq(vp);
    bad += isFinite<f32>(vnew) ? 0 : 1;
  }
  store<f64>(out, sumU);
  store<f64>(out, sumP, 8);
  store<f64>(out, <f64>bad, 16);
  store<f64>(out, 0, 24);
}

export function apply_update_f32_scalar(out: usize, p: usize, u: usize, n: i32): void {
  assert(n >= 0 && ((p | u) & 3) == 0 && (out & 7) == 0);
  let u0: f64 = 0, u1: f64 = 0, u2: f64 = 0, u3: f64 = 0, p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0;
  let bad: i32 = 0;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    for (let j: usize = 0; j < 16; j += 4) {
      const vp = load<f32>(p + o + j), vu = load<f32>(u + o + j);
      const vnew = vp + vu;
      store<f32>(p + o + j, vnew);
      bad += isFinite<f32>(vnew) ? 0 : 1;
      const su = sq(vu), sp = sq(vp);
      if (j == 0) { u0 += su; p0 += sp; } else if (j == 4) { u1 += su; p1 += sp; } else if (j == 8) { u2 += su; p2 += sp; } else { u3 += su; p3 += sp; }
    }
  }
  let sumU = (u0 + u2) + (u1 + u3), sumP = (p0 + p2) + (p1 + p3);
  for (; o < end; o += 4) {
    const vp = load<f32>(p + o), vu = load<f32>(u + o);
    const vnew = vp + vu;
    store<f32>(p + o, vnew);
    sumU += sq(vu);
    sumP += sq(vp);
    bad += isFinite<f32>(vnew) ? 0 : 1;
  }
  store<f64>(out, sumU);
  store<f64>(out, sumP, 8);
  store<f64>(out, <f64>bad, 16);
  store<f64>(out, 0, 24);
}
