// ln x and ln(1 + x) (Cephes logf, S. L. Moshier; the branch-free mantissa split
// follows musl's logf): x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1,
// ln x = k ln2 + f - f^2/2 + f^3 P(f). Denormal x is scaled by 2^23 first;
// ln 0 = -Inf, ln(x < 0) = NaN, ln Inf = Inf, NaN passes. log1p adds the
// rounding error of w = 1 + x back: ln w + (x - (w - 1)) / w, accurate near 0
// (softplus, BCE). The polynomial is written once (logPoly, generic).
import { LN2_HI, LN2_LO, muladd, splat } from './common';

const LOG_P0: f32 = 7.0376836292e-2;
const LOG_P1: f32 = -1.1514610310e-1;
const LOG_P2: f32 = 1.1676998740e-1;
const LOG_P3: f32 = -1.2420140846e-1;
const LOG_P4: f32 = 1.4249322787e-1;
const LOG_P5: f32 = -1.6668057665e-1;
const LOG_P6: f32 = 2.0000714765e-1;
const LOG_P7: f32 = -2.4999993993e-1;
const LOG_P8: f32 = 3.3333331174e-1;
const SQRTH_BITS: i32 = 0x3f3504f3; // sqrt(1/2)
const FLT_MIN: f32 = 1.17549435e-38;
const TWO23: f32 = 8388608.0;

/** P(f), on one f32 or on f32x4 lanes. */
// @ts-ignore: decorator
@inline function logPoly<T>(f: T): T {
  let p = muladd<T>(splat<T>(LOG_P0), f, splat<T>(LOG_P1));
  p = muladd<T>(p, f, splat<T>(LOG_P2));
  p = muladd<T>(p, f, splat<T>(LOG_P3));
  p = muladd<T>(p, f, splat<T>(LOG_P4));
  p = muladd<T>(p, f, splat<T>(LOG_P5));
  p = muladd<T>(p, f, splat<T>(LOG_P6));
  p = muladd<T>(p, f, splat<T>(LOG_P7));
  return muladd<T>(p, f, splat<T>(LOG_P8));
}

/** ln x (scalar twin of logf_v). */
// @ts-ignore: decorator
@inline export function logf_s(x: f32): f32 {
  const sub = x < FLT_MIN; // denormal (or <= 0: overridden below)
  const xs = select<f32>(x * TWO23, x, sub);
  const ix = reinterpret<i32>(xs) + (0x3f800000 - SQRTH_BITS);
  const k = (ix >> 23) - 127 - select<i32>(23, 0, sub);
  const f = reinterpret<f32>((ix & 0x007fffff) + SQRTH_BITS) - 1.0;
  const fe = <f32>k;
  const z = f * f;
  let y = logPoly<f32>(f) * f * z;
  y = y + LN2_LO * fe;
  y = y + -0.5 * z;
  let r = f + y;
  r = r + LN2_HI * fe;
  r = select<f32>(x, r, x != x || x == Infinity);
  r = select<f32>(-Infinity, r, x == 0);
  return select<f32>(NaN, r, x < 0);
}

/** ln x on 4 lanes. */
// @ts-ignore: decorator
@inline export function logf_v(x: v128): v128 {
  const sub = f32x4.lt(x, f32x4.splat(FLT_MIN));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(TWO23)), x, sub);
  const ix = i32x4.add(xs, i32x4.splat(0x3f800000 - SQRTH_BITS));
  const k = i32x4.sub(i32x4.sub(i32x4.shr_s(ix, 23), i32x4.splat(127)), v128.and(sub, i32x4.splat(23)));
  const f = f32x4.sub(i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(SQRTH_BITS)), f32x4.splat(1.0));
  const fe = f32x4.convert_i32x4_s(k);
  const z = f32x4.mul(f, f);
  let y = f32x4.mul(f32x4.mul(logPoly<v128>(f), f), z);
  y = f32x4.add(y, f32x4.mul(f32x4.splat(LN2_LO), fe));
  y = f32x4.add(y, f32x4.mul(f32x4.splat(-0.5), z));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(f32x4.splat(LN2_HI), fe));
  const pass = v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity)));
  r = v128.bitselect(x, r, pass);
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  return v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
}

/** ln(1 + x) (scalar twin of log1pf_v). */
// @ts-ignore: decorator
@inline export function log1pf_s(x: f32): f32 {
  const w = x + 1.0;
  const c = x - (w - 1.0);
  return logf_s(w) + select<f32>(c / w, 0, abs<f32>(c) > 0);
}

/** ln(1 + x) on 4 lanes. */
// @ts-ignore: decorator
@inline export function log1pf_v(x: v128): v128 {
  const w = f32x4.add(x, f32x4.splat(1.0));
  const c = f32x4.sub(x, f32x4.sub(w, f32x4.splat(1.0)));
  const corr = v128.and(f32x4.div(c, w), f32x4.gt(f32x4.abs(c), f32x4.splat(0)));
  return f32x4.add(logf_v(w), corr);
}
