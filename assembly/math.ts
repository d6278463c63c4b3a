// Shared transcendentals, computed inside Wasm (no imports, no Mathf), each in
// a scalar f32 form `*_s` and an f32x4 form `*_v` with IDENTICAL arithmetic:
// same constants, same operation order, no FMA, branch-free selects. So a SIMD
// kernel and its scalar twin agree bit for bit (NaN payloads aside).
//
//   expf_s(x: f32): f32        expf_v(x: v128): v128      e^x; +Inf above ~88.72, 0 below ~-103.9 (denormals kept), NaN passes
//   expm1f_s(x: f32): f32      expm1f_v(x: v128): v128    e^x - 1, accurate near 0 (ELU, SELU)
//   logf_s(x: f32): f32        logf_v(x: v128): v128      ln x; ln 0 = -Inf, ln(x<0) = NaN, ln Inf = Inf, denormals handled
//   log1pf_s(x: f32): f32      log1pf_v(x: v128): v128    ln(1 + x), accurate near 0 (softplus, BCE)
//   tanhf_s(x: f32): f32       tanhf_v(x: v128): v128     odd polynomial for |x| < 0.625; 1 - 2/(e^2|x| + 1) above; exactly +-1 beyond ~9.01
//   sigmoidf_s(x: f32): f32    sigmoidf_v(x: v128): v128  1/(1+e^-x), stable for both signs (x < 0: e^x/(1+e^x), no overflow)
//   sinf_s(x: f32): f32        sinf_v(x: v128): v128      sin x, |x| < ~1e5 (Cody-Waite pi/2 reduction); abs. error ~1e-7 on [0, 2pi)
//   cosf_s(x: f32): f32        cosf_v(x: v128): v128      cos x, same range and accuracy
//
// All are @inline. Accuracy (test/assembly/math.test.ts, against f64 Math):
// relative error < 1e-6 (about 1-3 ulp) over the ranges the tests sweep.
// Source: Cephes single precision (expf, logf, tanhf, sinf/cosf polynomials,
// S. L. Moshier); the branch-free mantissa split of log follows musl's logf.
// Import: `import { expf_v, expf_s } from '../math'`.

// exp: x = n ln2 + r, |r| <= ln2/2; e^r = 1 + r + r^2 P(r) (Cephes expf)
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375; // few bits: n * LN2_HI is exact
const LN2_LO: f32 = -2.12194440e-4;
const EXP_HI: f32 = 89.0; // clamp so 2^n stays representable as two factors
const EXP_LO: f32 = -104.0;
const EXP_P0: f32 = 1.9875691500e-4;
const EXP_P1: f32 = 1.3981999507e-3;
const EXP_P2: f32 = 8.3334519073e-3;
const EXP_P3: f32 = 4.1665795894e-2;
const EXP_P4: f32 = 1.6666665459e-1;
const EXP_P5: f32 = 5.0000001201e-1;
// round-to-integer by adding 1.5 * 2^23: the low mantissa bits then hold n
const MAGIC: f32 = 12582912.0;
const MAGIC_BITS: i32 = 0x4b400000;

// log: x = 2^k m, m in [sqrt(1/2), sqrt(2)), f = m - 1 (Cephes logf polynomial)
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

// tanh: odd polynomial below 0.625 (Cephes tanhf)
const TANH_P0: f32 = -5.70498872745e-3;
const TANH_P1: f32 = 2.06390887954e-2;
const TANH_P2: f32 = -5.37397155531e-2;
const TANH_P3: f32 = 1.33314422036e-1;
const TANH_P4: f32 = -3.33332819422e-1;
const TANH_SMALL: f32 = 0.625;
const TANH_CLAMP: f32 = 44.0; // e^88 is finite; 1 - 2/(e^88 + 1) == 1

// sin/cos: x = j pi/2 + r, |r| <= pi/4; pi/2 in three parts (Cephes DP1..3 doubled)
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

// ---------------------------------------------------------------- exp, expm1

/** e^x (scalar twin of expf_v). */
// @ts-ignore: decorator
@inline export function expf_s(x: f32): f32 {
  const xc = max<f32>(min<f32>(x, EXP_HI), EXP_LO);
  const t = xc * LOG2E + MAGIC;
  const nf = t - MAGIC;
  const n = reinterpret<i32>(t) - MAGIC_BITS;
  const r = xc - nf * LN2_HI - nf * LN2_LO;
  let p = EXP_P0 * r + EXP_P1;
  p = p * r + EXP_P2;
  p = p * r + EXP_P3;
  p = p * r + EXP_P4;
  p = p * r + EXP_P5;
  const q = p * (r * r) + r;
  const n1 = n >> 1;
  const n2 = n - n1;
  return (q + 1.0) * reinterpret<f32>((n1 + 127) << 23) * reinterpret<f32>((n2 + 127) << 23);
}

/** e^x on 4 lanes. */
// @ts-ignore: decorator
@inline export function expf_v(x: v128): v128 {
  // pmin/pmax (one minps/maxps) instead of min/max (a NaN fix-up sequence on x86):
  // equal results for a finite, non-zero bound, a NaN x included.
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const nf = f32x4.sub(t, f32x4.splat(MAGIC));
  const n = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(nf, f32x4.splat(LN2_HI))), f32x4.mul(nf, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(EXP_P0), r), f32x4.splat(EXP_P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P5));
  const q = f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  return f32x4.mul(f32x4.mul(f32x4.add(q, f32x4.splat(1.0)), s1), s2);
}

/** e^x - 1: the polynomial part alone when n == 0 (|x| < ~0.35), else e^x - 1. */
// @ts-ignore: decorator
@inline export function expm1f_s(x: f32): f32 {
  const xc = max<f32>(min<f32>(x, EXP_HI), EXP_LO);
  const t = xc * LOG2E + MAGIC;
  const nf = t - MAGIC;
  const n = reinterpret<i32>(t) - MAGIC_BITS;
  const r = xc - nf * LN2_HI - nf * LN2_LO;
  let p = EXP_P0 * r + EXP_P1;
  p = p * r + EXP_P2;
  p = p * r + EXP_P3;
  p = p * r + EXP_P4;
  p = p * r + EXP_P5;
  const q = p * (r * r) + r;
  const n1 = n >> 1;
  const n2 = n - n1;
  const e = (q + 1.0) * reinterpret<f32>((n1 + 127) << 23) * reinterpret<f32>((n2 + 127) << 23);
  return select<f32>(q, e - 1.0, nf == 0);
}

/** e^x - 1 on 4 lanes. */
// @ts-ignore: decorator
@inline export function expm1f_v(x: v128): v128 {
  // pmin/pmax (one minps/maxps) instead of min/max (a NaN fix-up sequence on x86):
  // equal results for a finite, non-zero bound, a NaN x included.
  const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(LOG2E)), f32x4.splat(MAGIC));
  const nf = f32x4.sub(t, f32x4.splat(MAGIC));
  const n = i32x4.sub(t, i32x4.splat(MAGIC_BITS));
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(nf, f32x4.splat(LN2_HI))), f32x4.mul(nf, f32x4.splat(LN2_LO)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(EXP_P0), r), f32x4.splat(EXP_P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(EXP_P5));
  const q = f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(n1, bias), 23);
  const s2 = i32x4.shl(i32x4.add(n2, bias), 23);
  const e = f32x4.mul(f32x4.mul(f32x4.add(q, f32x4.splat(1.0)), s1), s2);
  return v128.bitselect(q, f32x4.sub(e, f32x4.splat(1.0)), f32x4.eq(nf, f32x4.splat(0)));
}

// ---------------------------------------------------------------- log, log1p

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
  let p = LOG_P0 * f + LOG_P1;
  p = p * f + LOG_P2;
  p = p * f + LOG_P3;
  p = p * f + LOG_P4;
  p = p * f + LOG_P5;
  p = p * f + LOG_P6;
  p = p * f + LOG_P7;
  p = p * f + LOG_P8;
  let y = p * f * z;
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
  let p = f32x4.add(f32x4.mul(f32x4.splat(LOG_P0), f), f32x4.splat(LOG_P1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P2));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P3));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P4));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P5));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P6));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P7));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(LOG_P8));
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(f32x4.splat(LN2_LO), fe));
  y = f32x4.add(y, f32x4.mul(f32x4.splat(-0.5), z));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(f32x4.splat(LN2_HI), fe));
  const pass = v128.or(f32x4.ne(x, x), f32x4.eq(x, f32x4.splat(Infinity)));
  r = v128.bitselect(x, r, pass);
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  return v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(x, f32x4.splat(0)));
}

/** ln(1 + x): ln w + (x - (w - 1)) / w with w = 1 + x (the rounding error of w corrects the log). */
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

// ---------------------------------------------------------------- tanh, sigmoid

/** tanh x (scalar twin of tanhf_v). */
// @ts-ignore: decorator
@inline export function tanhf_s(x: f32): f32 {
  const a = abs<f32>(x);
  const s = x * x;
  let p = TANH_P0 * s + TANH_P1;
  p = p * s + TANH_P2;
  p = p * s + TANH_P3;
  p = p * s + TANH_P4;
  const small = p * s * x + x;
  const e = expf_s(min<f32>(a, TANH_CLAMP) * 2.0);
  const big = copysign<f32>(1.0 - 2.0 / (e + 1.0), x);
  return select<f32>(small, big, a < TANH_SMALL);
}

/** tanh x on 4 lanes. */
// @ts-ignore: decorator
@inline export function tanhf_v(x: v128): v128 {
  const a = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  let p = f32x4.add(f32x4.mul(f32x4.splat(TANH_P0), s), f32x4.splat(TANH_P1));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(TANH_P2));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(TANH_P3));
  p = f32x4.add(f32x4.mul(p, s), f32x4.splat(TANH_P4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, s), x), x);
  const e = expf_v(f32x4.mul(f32x4.pmin(a, f32x4.splat(TANH_CLAMP)), f32x4.splat(2.0)));
  const one = f32x4.splat(1.0);
  const mag = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const big = v128.bitselect(x, mag, i32x4.splat(0x80000000)); // copysign
  return v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(TANH_SMALL)));
}

/** 1 / (1 + e^-x): with e = e^-|x|, 1/(1+e) for x >= 0 and e/(1+e) for x < 0. */
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

// ---------------------------------------------------------------- sin, cos

/** sin x (scalar twin of sinf_v); Box-Muller calls it with x in [0, 2 pi). */
// @ts-ignore: decorator
@inline export function sinf_s(x: f32): f32 {
  const t = x * TWO_OVER_PI + MAGIC;
  const jf = t - MAGIC;
  const j = reinterpret<i32>(t) - MAGIC_BITS;
  const r = x - jf * PIO2_1 - jf * PIO2_2 - jf * PIO2_3;
  const z = r * r;
  const s = ((SIN_P0 * z + SIN_P1) * z + SIN_P2) * z * r + r;
  const c = ((COS_P0 * z + COS_P1) * z + COS_P2) * z * z - 0.5 * z + 1.0;
  const v = select<f32>(c, s, (j & 1) != 0);
  return reinterpret<f32>(reinterpret<i32>(v) ^ ((j & 2) << 30));
}

/** cos x (scalar twin of cosf_v). */
// @ts-ignore: decorator
@inline export function cosf_s(x: f32): f32 {
  const t = x * TWO_OVER_PI + MAGIC;
  const jf = t - MAGIC;
  const j = reinterpret<i32>(t) - MAGIC_BITS;
  const r = x - jf * PIO2_1 - jf * PIO2_2 - jf * PIO2_3;
  const z = r * r;
  const s = ((SIN_P0 * z + SIN_P1) * z + SIN_P2) * z * r + r;
  const c = ((COS_P0 * z + COS_P1) * z + COS_P2) * z * z - 0.5 * z + 1.0;
  const v = select<f32>(s, c, (j & 1) != 0);
  return reinterpret<f32>(reinterpret<i32>(v) ^ (((j + 1) & 2) << 30));
}

/** sin x on 4 lanes. */
// @ts-ignore: decorator
@inline export function sinf_v(x: v128): v128 {
  return sincos_v(x, 0);
}

/** cos x on 4 lanes. */
// @ts-ignore: decorator
@inline export function cosf_v(x: v128): v128 {
  return sincos_v(x, 1);
}

// quadrant q = j + shift: odd q takes the cosine polynomial, q & 2 flips the sign
// @ts-ignore: decorator
@inline function sincos_v(x: v128, shift: i32): v128 {
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(TWO_OVER_PI)), f32x4.splat(MAGIC));
  const jf = f32x4.sub(t, f32x4.splat(MAGIC));
  const q = i32x4.add(i32x4.sub(t, i32x4.splat(MAGIC_BITS)), i32x4.splat(shift));
  let r = f32x4.sub(x, f32x4.mul(jf, f32x4.splat(PIO2_1)));
  r = f32x4.sub(r, f32x4.mul(jf, f32x4.splat(PIO2_2)));
  r = f32x4.sub(r, f32x4.mul(jf, f32x4.splat(PIO2_3)));
  const z = f32x4.mul(r, r);
  let s = f32x4.add(f32x4.mul(f32x4.splat(SIN_P0), z), f32x4.splat(SIN_P1));
  s = f32x4.add(f32x4.mul(s, z), f32x4.splat(SIN_P2));
  s = f32x4.add(f32x4.mul(f32x4.mul(s, z), r), r);
  let c = f32x4.add(f32x4.mul(f32x4.splat(COS_P0), z), f32x4.splat(COS_P1));
  c = f32x4.add(f32x4.mul(c, z), f32x4.splat(COS_P2));
  c = f32x4.sub(f32x4.mul(f32x4.mul(c, z), z), f32x4.mul(f32x4.splat(0.5), z));
  c = f32x4.add(c, f32x4.splat(1.0));
  const odd = i32x4.ne(v128.and(q, i32x4.splat(1)), i32x4.splat(0));
  const v = v128.bitselect(c, s, odd);
  return v128.xor(v, i32x4.shl(v128.and(q, i32x4.splat(2)), 30));
}
