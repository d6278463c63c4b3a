// e^x and e^x - 1 (Cephes expf, S. L. Moshier): x = n ln2 + r with |r| <= ln2/2,
// e^r - 1 = r + r^2 P(r), e^x = (1 + q) 2^n with 2^n applied as two factors so
// it stays representable. x is clamped to [-104, 89]: +Inf above ~88.72, 0
// below ~-103.9 (denormal results kept), NaN passes. expm1 returns q itself
// when n == 0 (|x| < ~0.35), which keeps it accurate near 0 (ELU, SELU).
// The polynomial is written once (expPoly, generic); the range reduction and
// scaling once per form (exp_s, exp_v), each shared by exp and expm1.
import { LN2_HI, LN2_LO, MAGIC, MAGIC_BITS, mul, muladd, splat } from './common';

const LOG2E: f32 = 1.44269504088896341;
const EXP_HI: f32 = 89.0;
const EXP_LO: f32 = -104.0;
const EXP_P0: f32 = 1.9875691500e-4;
const EXP_P1: f32 = 1.3981999507e-3;
const EXP_P2: f32 = 8.3334519073e-3;
const EXP_P3: f32 = 4.1665795894e-2;
const EXP_P4: f32 = 1.6666665459e-1;
const EXP_P5: f32 = 5.0000001201e-1;

/** e^r - 1 = r + r^2 P(r) for |r| <= ln2/2, on one f32 or on f32x4 lanes. */
// @ts-ignore: decorator
@inline function expPoly<T>(r: T): T {
  let p = muladd<T>(splat<T>(EXP_P0), r, splat<T>(EXP_P1));
  p = muladd<T>(p, r, splat<T>(EXP_P2));
  p = muladd<T>(p, r, splat<T>(EXP_P3));
  p = muladd<T>(p, r, splat<T>(EXP_P4));
  p = muladd<T>(p, r, splat<T>(EXP_P5));
  return muladd<T>(p, mul<T>(r, r), r);
}

/** e^x, or e^x - 1 when minusOne (a constant at every call: the select folds away). */
// @ts-ignore: decorator
@inline function exp_s(x: f32, minusOne: bool): f32 {
  const xc = max<f32>(min<f32>(x, EXP_HI), EXP_LO);
  const t = xc * LOG2E + MAGIC;
  const nf = t - MAGIC;
  const n = reinterpret<i32>(t) - MAGIC_BITS;
  const r = xc - nf * LN2_HI - nf * LN2_LO;
  const q = expPoly<f32>(r);
  const n1 = n >> 1;
  const n2 = n - n1;
  const e = (q + 1.0) * reinterpret<f32>((n1 + 127) << 23) * reinterpret<f32>((n2 + 127) << 23);
  return minusOne ? select<f32>(q, e - 1.0, nf == 0) : e;
}

/** exp_s on 4 lanes. */
// @ts-ignore: decorator
@inline function exp_v(x: v128, minusOne: bool): v128 {
  // pmin/pmax (one minps/maxps) instead of min/max (a NaN fix-up sequence on x86):
  // equal results for a finite, non-zero bound, a NaN x included.
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const nf = f32x4.sub(t, f32x4.splat(MAGIC));
  const n = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(nf, f32x4.splat(LN2_HI))), f32x4.mul(nf, f32x4.splat(LN2_LO)));
  const q = expPoly<v128>(r);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  const e = f32x4.mul(f32x4.mul(f32x4.add(q, f32x4.splat(1.0)), s1), s2);
  return minusOne ? v128.bitselect(q, f32x4.sub(e, f32x4.splat(1.0)), f32x4.eq(nf, f32x4.splat(0))) : e;
}

/** e^x (scalar twin of expf_v). */
// @ts-ignore: decorator
@inline export function expf_s(x: f32): f32 {
  return exp_s(x, false);
}

/** e^x on 4 lanes. */
// @ts-ignore: decorator
@inline export function expf_v(x: v128): v128 {
  return exp_v(x, false);
}

/** e^x - 1 (scalar twin of expm1f_v). */
// @ts-ignore: decorator
@inline export function expm1f_s(x: f32): f32 {
  return exp_s(x, true);
}

/** e^x - 1 on 4 lanes. */
// @ts-ignore: decorator
@inline export function expm1f_v(x: v128): v128 {
  return exp_v(x, true);
}
