// Lane helpers shared by the eltwise and loss families: horizontal reductions
// in one fixed order, so that a scalar twin that keeps 4 lane accumulators
// (s0..s3) and combines them as (s0 + s1) + (s2 + s3) matches bit for bit.

/** (l0 + l1) + (l2 + l3) */
// @ts-ignore: decorator
@inline export function hsum_v(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** max(max(l0, l1), max(l2, l3)) (max is order-free; kept explicit anyway) */
// @ts-ignore: decorator
@inline export function hmax_v(v: v128): f32 {
  return max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** Sum of an f32x4's lanes promoted to f64, as two f64x2 halves: (lo + hi) then lane 0 + lane 1. */
// @ts-ignore: decorator
@inline export function hsum_f64_v(lo: v128, hi: v128): f64 {
  const s = f64x2.add(lo, hi);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** The high two f32 lanes of v moved to the low half (for f64x2.promote_low_f32x4). */
// @ts-ignore: decorator
@inline export function high_f32(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 2, 3);
}
