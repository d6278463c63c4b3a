// sin x and cos x (Cephes sinf/cosf, S. L. Moshier): x = j pi/2 + r with
// |r| <= pi/4, pi/2 in three parts (Cephes DP1..3 doubled, Cody-Waite), for
// |x| < ~1e5; absolute error ~1e-7 on [0, 2 pi) (Box-Muller's range). With
// quadrant q = j + shift (shift 0 for sin, 1 for cos), odd q takes the cosine
// polynomial and q & 2 flips the sign. Each polynomial is written once
// (sinPoly, cosPoly, generic); the reduction once per form (sincos_s, sincos_v).
import { MAGIC, MAGIC_BITS, add, mul, muladd, splat, sub } from './common';

const TWO_OVER_PI: f32 = 0.636619772367581343;
const PIO2_1: f32 = 1.5703125;
const PIO2_2: f32 = 4.837512969970703125e-4;
const PIO2_3: f32 = 7.54978995489188216e-8;
const SIN_P0: f32 = -1.9515295891e-4;
const SIN_P1: f32 = 8.3321608736e-3;
const SIN_P2: f32 = -1.6666654611e-1;
const COS_P0: f32 = 2.443315711809948e-5;
const COS_P1: f32 = -1.388731625493765e-3;
const COS_P2: f32 = 4.166664568298827e-2;

/** sin r = r + r z P(z) with z = r^2, |r| <= pi/4. */
// @ts-ignore: decorator
@inline function sinPoly<T>(r: T, z: T): T {
  let p = muladd<T>(splat<T>(SIN_P0), z, splat<T>(SIN_P1));
  p = muladd<T>(p, z, splat<T>(SIN_P2));
  return muladd<T>(mul<T>(p, z), r, r);
}

/** cos r = 1 - z/2 + z^2 P(z) with z = r^2. */
// @ts-ignore: decorator
@inline function cosPoly<T>(z: T): T {
  let p = muladd<T>(splat<T>(COS_P0), z, splat<T>(COS_P1));
  p = muladd<T>(p, z, splat<T>(COS_P2));
  return add<T>(sub<T>(mul<T>(mul<T>(p, z), z), mul<T>(splat<T>(0.5), z)), splat<T>(1.0));
}

// @ts-ignore: decorator
@inline function sincos_s(x: f32, shift: i32): f32 {
  const t = x * TWO_OVER_PI + MAGIC;
  const jf = t - MAGIC;
  const q = reinterpret<i32>(t) - MAGIC_BITS + shift;
  const r = x - jf * PIO2_1 - jf * PIO2_2 - jf * PIO2_3;
  const z = r * r;
  const v = select<f32>(cosPoly<f32>(z), sinPoly<f32>(r, z), (q & 1) != 0);
  return reinterpret<f32>(reinterpret<i32>(v) ^ ((q & 2) << 30));
}

// @ts-ignore: decorator
@inline function sincos_v(x: v128, shift: i32): v128 {
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(TWO_OVER_PI)), f32x4.splat(MAGIC));
  const jf = f32x4.sub(t, f32x4.splat(MAGIC));
  const q = i32x4.add(i32x4.sub(t, i32x4.splat(MAGIC_BITS)), i32x4.splat(shift));
  let r = f32x4.sub(x, f32x4.mul(jf, f32x4.splat(PIO2_1)));
  r = f32x4.sub(r, f32x4.mul(jf, f32x4.splat(PIO2_2)));
  r = f32x4.sub(r, f32x4.mul(jf, f32x4.splat(PIO2_3)));
  const z = f32x4.mul(r, r);
  const odd = i32x4.ne(v128.and(q, i32x4.splat(1)), i32x4.splat(0));
  const v = v128.bitselect(cosPoly<v128>(z), sinPoly<v128>(r, z), odd);
  return v128.xor(v, i32x4.shl(v128.and(q, i32x4.splat(2)), 30));
}

/** sin x (scalar twin of sinf_v). */
// @ts-ignore: decorator
@inline export function sinf_s(x: f32): f32 {
  return sincos_s(x, 0);
}

/** sin x on 4 lanes. */
// @ts-ignore: decorator
@inline export function sinf_v(x: v128): v128 {
  return sincos_v(x, 0);
}

/** cos x (scalar twin of cosf_v). */
// @ts-ignore: decorator
@inline export function cosf_s(x: f32): f32 {
  return sincos_s(x, 1);
}

/** cos x on 4 lanes. */
// @ts-ignore: decorator
@inline export function cosf_v(x: v128): v128 {
  return sincos_v(x, 1);
}
