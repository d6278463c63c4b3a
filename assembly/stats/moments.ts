// Trace statistics of one f32 tensor in ONE pass, f64 accumulators.
//
//   out[StatSlot] (8 f64, 8-byte aligned), x is f32 (n,):
//     0 count      finite values                 4 nonFinite  NaN, +-Infinity (= n - count)
//     1 sum        sum of finite x               5 above      finite |x| > threshold
//     2 sumSq      sum of finite x^2             6 zeros      x == 0 (+0 and -0)
//     3 maxAbs     max finite |x| (0 when none)  7 minAbs     min finite |x| (+Inf when none)
//
// Non-finite values are masked to +0 before the sums and to (0 | +Inf) before max | min, so
// one NaN never poisons a norm (why: a trace must still say where the NaN came from).
// threshold arrives as f32 and is compared with |x| in f32. x is promoted to f64, so x and
// x^2 are exact; only the additions round.
// Lanes: element i of each aligned group of 4 goes to partial sum i mod 4 (both SIMD loops
// feed the same f64x2 pair, the 8-wide loop vector 0 first); the partial sums fold as
// (s0 + s2) + (s1 + s3); the tail (n mod 4) is added in order. stats_f32_scalar keeps the
// same four partial sums, so the twins are bit-identical in every slot.
// Aliasing: out must not overlap x. n = 0 writes count = 0, sums 0, maxAbs 0, minAbs Inf.
// Source: Optax `monitor`-style measurements as values; Welford is not needed with f64 sums
// of f32 data at trace sizes. Bench: none yet (one f32 stream, compute bound on promotions).

const INF = f32.POSITIVE_INFINITY;

export function stats_f32_simd(out: usize, x: usize, n: i32, threshold: f32): void {
  assert(n >= 0 && (out & 7) == 0 && (x & 3) == 0);
  const vthr = f32x4.splat(threshold), vinf = f32x4.splat(INF), vzero = f32x4.splat(0);
  let vsum01 = f64x2.splat(0), vsum23 = f64x2.splat(0), vsq01 = f64x2.splat(0), vsq23 = f64x2.splat(0);
  let vcnt = i32x4.splat(0), vabove = i32x4.splat(0), vzeros = i32x4.splat(0);
  let vmax = f32x4.splat(0), vmin = vinf;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    const vx0123 = v128.load(x + o), vx4567 = v128.load(x + o, 16);
    const va0123 = f32x4.abs(vx0123), va4567 = f32x4.abs(vx4567);
    const vfin0123 = f32x4.lt(va0123, vinf), vfin4567 = f32x4.lt(va4567, vinf);
    const vxf0123 = v128.and(vx0123, vfin0123), vxf4567 = v128.and(vx4567, vfin4567);
    const vxf01 = f64x2.promote_low_f32x4(vxf0123), vxf23 = f64x2.promote_low_f32x4(f32x4.shuffle(vxf0123, vxf0123, 2, 3, 0, 1));
    const vxf45 = f64x2.promote_low_f32x4(vxf4567), vxf67 = f64x2.promote_low_f32x4(f32x4.shuffle(vxf4567, vxf4567, 2, 3, 0, 1));
    vsum01 = f64x2.add(f64x2.add(vsum01, vxf01), vxf45);
    vsum23 = f64x2.add(f64x2.add(vsum23, vxf23), vxf67);
    vsq01 = f64x2.add(f64x2.add(vsq01, f64x2.mul(vxf01, vxf01)), f64x2.mul(vxf45, vxf45));
    vsq23 = f64x2.add(f64x2.add(vsq23, f64x2.mul(vxf23, vxf23)), f64x2.mul(vxf67, vxf67));
    vcnt = i32x4.sub(i32x4.sub(vcnt, vfin0123), vfin4567);
    vabove = i32x4.sub(i32x4.sub(vabove, v128.and(f32x4.gt(va0123, vthr), vfin0123)), v128.and(f32x4.gt(va4567, vthr), vfin4567));
    vzeros = i32x4.sub(i32x4.sub(vzeros, f32x4.eq(vx0123, vzero)), f32x4.eq(vx4567, vzero));
    // pmax/pmin: the operands are never NaN or -0 here (finite |x| or +Inf), so they equal max/min, in one instruction each on x86
    vmax = f32x4.pmax(vmax, f32x4.pmax(v128.and(va0123, vfin0123), v128.and(va4567, vfin4567)));
    vmin = f32x4.pmin(vmin, f32x4.pmin(v128.bitselect(va0123, vinf, vfin0123), v128.bitselect(va4567, vinf, vfin4567)));
  }
  for (; o + 16 <= end; o += 16) {
    const vx0123 = v128.load(x + o);
    const va0123 = f32x4.abs(vx0123);
    const vfin0123 = f32x4.lt(va0123, vinf); // false for NaN and +-Inf; true lanes are -1
    const vxf0123 = v128.and(vx0123, vfin0123);
    const vxf01 = f64x2.promote_low_f32x4(vxf0123), vxf23 = f64x2.promote_low_f32x4(f32x4.shuffle(vxf0123, vxf0123, 2, 3, 0, 1));
    vsum01 = f64x2.add(vsum01, vxf01);
    vsum23 = f64x2.add(vsum23, vxf23);
    vsq01 = f64x2.add(vsq01, f64x2.mul(vxf01, vxf01));
    vsq23 = f64x2.add(vsq23, f64x2.mul(vxf23, vxf23));
    vcnt = i32x4.sub(vcnt, vfin0123);
    vabove = i32x4.sub(vabove, v128.and(f32x4.gt(va0123, vthr), vfin0123));
    vzeros = i32x4.sub(vzeros, f32x4.eq(vx0123, vzero));
    vmax = f32x4.pmax(vmax, v128.and(va0123, vfin0123));
    vmin = f32x4.pmin(vmin, v128.bitselect(va0123, vinf, vfin0123));
  }
  const vsum = f64x2.add(vsum01, vsum23), vsq = f64x2.add(vsq01, vsq23);
  let sum = f64x2.extract_lane(vsum, 0) + f64x2.extract_lane(vsum, 1);
  let sq = f64x2.extract_lane(vsq, 0) + f64x2.extract_lane(vsq, 1);
  let cnt = i32x4.extract_lane(vcnt, 0) + i32x4.extract_lane(vcnt, 1) + i32x4.extract_lane(vcnt, 2) + i32x4.extract_lane(vcnt, 3);
  let above = i32x4.extract_lane(vabove, 0) + i32x4.extract_lane(vabove, 1) + i32x4.extract_lane(vabove, 2) + i32x4.extract_lane(vabove, 3);
  let zeros = i32x4.extract_lane(vzeros, 0) + i32x4.extract_lane(vzeros, 1) + i32x4.extract_lane(vzeros, 2) + i32x4.extract_lane(vzeros, 3);
  let mx = Mathf.max(Mathf.max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), Mathf.max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  let mn = Mathf.min(Mathf.min(f32x4.extract_lane(vmin, 0), f32x4.extract_lane(vmin, 1)), Mathf.min(f32x4.extract_lane(vmin, 2), f32x4.extract_lane(vmin, 3)));
  for (; o < end; o += 4) {
    const xi = load<f32>(x + o), di = fin64(xi), fl = flags(xi, threshold);
    sum += di;
    sq += di * di;
    cnt += fl & 0xff; above += (fl >> 8) & 0xff; zeros += fl >> 16;
    mx = Mathf.max(mx, absOr(xi, 0));
    mn = Mathf.min(mn, absOr(xi, INF));
  }
  write(out, n, cnt, sum, sq, mx, above, zeros, mn);
}

export function stats_f32_scalar(out: usize, x: usize, n: i32, threshold: f32): void {
  assert(n >= 0 && (out & 7) == 0 && (x & 3) == 0);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, q0: f64 = 0, q1: f64 = 0, q2: f64 = 0, q3: f64 = 0;
  let cnt = 0, above = 0, zeros = 0, mx: f32 = 0, mn: f32 = INF;
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    const x0 = load<f32>(x + o), x1 = load<f32>(x + o, 4), x2 = load<f32>(x + o, 8), x3 = load<f32>(x + o, 12);
    const d0 = fin64(x0), d1 = fin64(x1), d2 = fin64(x2), d3 = fin64(x3);
    s0 += d0; s1 += d1; s2 += d2; s3 += d3;
    q0 += d0 * d0; q1 += d1 * d1; q2 += d2 * d2; q3 += d3 * d3;
    const fl = flags(x0, threshold) + flags(x1, threshold) + flags(x2, threshold) + flags(x3, threshold);
    cnt += fl & 0xff; above += (fl >> 8) & 0xff; zeros += fl >> 16;
    mx = Mathf.max(mx, Mathf.max(Mathf.max(absOr(x0, 0), absOr(x1, 0)), Mathf.max(absOr(x2, 0), absOr(x3, 0))));
    mn = Mathf.min(mn, Mathf.min(Mathf.min(absOr(x0, INF), absOr(x1, INF)), Mathf.min(absOr(x2, INF), absOr(x3, INF))));
  }
  let sum = (s0 + s2) + (s1 + s3), sq = (q0 + q2) + (q1 + q3);
  for (; o < end; o += 4) {
    const xi = load<f32>(x + o), di = fin64(xi), fl = flags(xi, threshold);
    sum += di;
    sq += di * di;
    cnt += fl & 0xff; above += (fl >> 8) & 0xff; zeros += fl >> 16;
    mx = Mathf.max(mx, absOr(xi, 0));
    mn = Mathf.min(mn, absOr(xi, INF));
  }
  write(out, n, cnt, sum, sq, mx, above, zeros, mn);
}

/** x promoted to f64, or +0 when it is NaN or +-Inf. */
// @ts-ignore: decorator
@inline function fin64(xi: f32): f64 {
  return Mathf.abs(xi) < INF ? <f64>xi : 0;
}

/** |x|, or `none` when x is NaN or +-Inf. */
// @ts-ignore: decorator
@inline function absOr(xi: f32, none: f32): f32 {
  const ai = Mathf.abs(xi);
  return ai < INF ? ai : none;
}

/** One byte a count (up to 4 elements summed): finite | above << 8 | zero << 16. */
// @ts-ignore: decorator
@inline function flags(xi: f32, thr: f32): i32 {
  const ai = Mathf.abs(xi), fin = ai < INF;
  return i32(fin) | (i32(fin && ai > thr) << 8) | (i32(xi == 0) << 16);
}

// @ts-ignore: decorator
@inline function write(out: usize, n: i32, cnt: i32, sum: f64, sq: f64, mx: f32, above: i32, zeros: i32, mn: f32): void {
  store<f64>(out, <f64>cnt, 0);
  store<f64>(out, sum, 8);
  store<f64>(out, sq, 16);
  store<f64>(out, <f64>mx, 24);
  store<f64>(out, <f64>(n - cnt), 32);
  store<f64>(out, <f64>above, 40);
  store<f64>(out, <f64>zeros, 48);
  store<f64>(out, <f64>mn, 56);
}
