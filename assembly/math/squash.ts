// The squashing functions, tanh and sigmoid, on top of exp.
// tanh (Cephes tanhf): the odd polynomial x + x^3 P(x^2) for |x| < 0.625 (written
// once, tanhSmall, generic); 1 - 2/(e^2|x| + 1) with x's sign above, exactly
// +-1 beyond ~9.01 (|x| is clamped to 44 first: e^88 is finite). sigmoid:
// 1/(1 + e^-x) as 1/(1 + e) for x >= 0 and e/(1 + e) for x < 0 with
// e = e^-|x|, so neither sign overflows.
import { expf_s, expf_v } from './exp';
import { mul, muladd, splat } from './common';

const TANH_P0: f32 = -5.70498872745e-3;
const TANH_P1: f32 = 2.06390887954e-2;
const TANH_P2: f32 = -5.37397155531e-2;
const TANH_P3: f32 = 1.33314422036e-1;
const TANH_P4: f32 = -3.33332819422e-1;
const TANH_SMALL: f32 = 0.625;
const TANH_CLAMP: f32 = 44.0;

/** x + x^3 P(x^2), on one f32 or on f32x4 lanes. */
// @ts-ignore: decorator
@inline function tanhSmall<T>(x: T): T {
  const s = mul<T>(x, x);
  let p = muladd<T>(splat<T>(TANH_P0), s, splat<T>(TANH_P1));
  p = muladd<T>(p, s, splat<T>(TANH_P2));
  p = muladd<T>(p, s, splat<T>(TANH_P3));
  p = muladd<T>(p, s, splat<T>(TANH_P4));
  return muladd<T>(mul<T>(p, s), x, x);
}

/** tanh x (scalar twin of tanhf_v). */
// @ts-ignore: decorator
@inline export function tanhf_s(x: f32): f32 {
  const a = abs<f32>(x);
  const e = expf_s(min<f32>(a, TANH_CLAMP) * 2.0);
  const big = copysign<f32>(1.0 - 2.0 / (e + 1.0), x);
  return select<f32>(tanhSmall<f32>(x), big, a < TANH_SMALL);
}

/** tanh x on 4 lanes. */
// @ts-ignore: decorator
@inline export function tanhf_v(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = expf_v(f32x4.mul(f32x4.pmin(a, f32x4.splat(TANH_CLAMP)), f32x4.splat(2.0)));
  const one = f32x4.splat(1.0);
  const mag = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const big = v128.bitselect(x, mag, i32x4.splat(0x80000000)); // copysign
  return v128.bitselect(tanhSmall<v128>(x), big, f32x4.lt(a, f32x4.splat(TANH_SMALL)));
}

/** 1 / (1 + e^-x) (scalar twin of sigmoidf_v). */
// @ts-ignore: decorator
@inline export function sigmoidf_s(x: f32): f32 {
  const e = expf_s(-abs<f32>(x));
  const s: f32 = 1.0 / (1.0 + e);
  return select<f32>(s, e * s, x >= 0);
}

/** sigmoid on 4 lanes. */
// @ts-ignore: decorator
@inline export function sigmoidf_v(x: v128): v128 {
  const e = expf_v(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, f32x4.splat(0)));
}
