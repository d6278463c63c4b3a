// Activations, one element (or 4 lanes) at a time: y = f(x) and f'(x), the
// f32x4 form beside its scalar twin with the same arithmetic. The loops in
// act.ts inline these with a constant `kind`, so every `if` below is resolved
// at compile time and each kind gets its own loop. Numbers are ActKind
// (src/wasm/abi.ts). gelu is the tanh form written as x sigmoid(2u), which is
// the same function (1 + tanh u = 2 sigmoid(2u)) without the cancellation of
// 1 + tanh u for x << 0; its input is clamped to +-20, where it is exactly x
// or 0 in f32 (gelu(-Inf) is NaN, as in the tanh form).
import { expf_s, expf_v, expm1f_s, expm1f_v, log1pf_s, log1pf_v, sigmoidf_s, sigmoidf_v, tanhf_s, tanhf_v } from '../math/index';

export const IDENTITY = 0, SIGMOID = 1, TANH = 2, HARDTANH = 3, SOFTSIGN = 4, RELU = 5, LEAKY = 6, ELU = 7, SELU = 8, GELU = 9, SOFTPLUS = 10;

const SELU_L: f32 = 1.0507009873554805; // lambda
const SELU_LA: f32 = 1.7580993408473766; // lambda * alpha
const GELU_A: f32 = 1.5957691216057308; // 2 sqrt(2/pi)
const GELU_B: f32 = 0.07135481627159168; // 2 sqrt(2/pi) 0.044715
const GELU_B3: f32 = 0.21406444881477505; // 3 GELU_B
const GELU_CLAMP: f32 = 20.0;

// ---------------------------------------------------------------- forward

// @ts-ignore: decorator
@inline export function act_v(kind: i32, x: v128, va: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1.0);
  if (kind == SIGMOID) return sigmoidf_v(x);
  if (kind == TANH) return tanhf_v(x);
  if (kind == HARDTANH) return f32x4.max(f32x4.min(x, one), f32x4.splat(-1.0));
  if (kind == SOFTSIGN) return f32x4.div(x, f32x4.add(one, f32x4.abs(x)));
  if (kind == RELU) return f32x4.max(x, zero);
  if (kind == LEAKY) return v128.bitselect(x, f32x4.mul(va, x), f32x4.gt(x, zero));
  if (kind == ELU) return v128.bitselect(x, f32x4.mul(va, expm1f_v(x)), f32x4.gt(x, zero));
  if (kind == SELU) return v128.bitselect(f32x4.mul(f32x4.splat(SELU_L), x), f32x4.mul(f32x4.splat(SELU_LA), expm1f_v(x)), f32x4.gt(x, zero));
  if (kind == GELU) {
    const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(GELU_CLAMP)), f32x4.splat(-GELU_CLAMP));
    const t = f32x4.mul(xc, f32x4.add(f32x4.splat(GELU_A), f32x4.mul(f32x4.splat(GELU_B), f32x4.mul(xc, xc))));
    return f32x4.mul(x, sigmoidf_v(t));
  }
  if (kind == SOFTPLUS) return f32x4.add(f32x4.max(x, zero), log1pf_v(expf_v(f32x4.neg(f32x4.abs(x)))));
  return x; // IDENTITY
}

// @ts-ignore: decorator
@inline export function act_s(kind: i32, x: f32, alpha: f32): f32 {
  if (kind == SIGMOID) return sigmoidf_s(x);
  if (kind == TANH) return tanhf_s(x);
  if (kind == HARDTANH) return max<f32>(min<f32>(x, 1.0), -1.0);
  if (kind == SOFTSIGN) return x / (1.0 + abs<f32>(x));
  if (kind == RELU) return max<f32>(x, 0);
  if (kind == LEAKY) return select<f32>(x, alpha * x, x > 0);
  if (kind == ELU) return select<f32>(x, alpha * expm1f_s(x), x > 0);
  if (kind == SELU) return select<f32>(SELU_L * x, SELU_LA * expm1f_s(x), x > 0);
  if (kind == GELU) {
    const xc = max<f32>(min<f32>(x, GELU_CLAMP), -GELU_CLAMP);
    const t = xc * (GELU_A + GELU_B * (xc * xc));
    return x * sigmoidf_s(t);
  }
  if (kind == SOFTPLUS) return max<f32>(x, 0) + log1pf_s(expf_s(-abs<f32>(x)));
  return x;
}

// ---------------------------------------------------------------- backward: f'(x), from x or y

// @ts-ignore: decorator
@inline export function dact_v(kind: i32, x: v128, y: v128, va: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1.0);
  if (kind == SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (kind == TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (kind == HARDTANH) return v128.and(one, v128.and(f32x4.gt(x, f32x4.splat(-1.0)), f32x4.lt(x, one)));
  if (kind == SOFTSIGN) {
    const q = f32x4.div(one, f32x4.add(one, f32x4.abs(x)));
    return f32x4.mul(q, q);
  }
  if (kind == RELU) return v128.and(one, f32x4.gt(x, zero));
  if (kind == LEAKY) return v128.bitselect(one, va, f32x4.gt(x, zero));
  if (kind == ELU) return v128.bitselect(one, f32x4.add(y, va), f32x4.gt(x, zero));
  if (kind == SELU) return v128.bitselect(f32x4.splat(SELU_L), f32x4.add(y, f32x4.splat(SELU_LA)), f32x4.gt(x, zero));
  if (kind == GELU) {
    // d/dx x s(t) = s + x s (1 - s) t', t = x (A + B x^2), t' = A + 3 B x^2
    const xc = f32x4.pmax(f32x4.pmin(x, f32x4.splat(GELU_CLAMP)), f32x4.splat(-GELU_CLAMP));
    const x2 = f32x4.mul(xc, xc);
    const t = f32x4.mul(xc, f32x4.add(f32x4.splat(GELU_A), f32x4.mul(f32x4.splat(GELU_B), x2)));
    const e = expf_v(f32x4.neg(f32x4.abs(t)));
    const sp = f32x4.div(one, f32x4.add(one, e));
    const es = f32x4.mul(e, sp);
    const pos = f32x4.ge(t, zero);
    const s = v128.bitselect(sp, es, pos);
    const sm = v128.bitselect(es, sp, pos); // 1 - s without cancellation
    const dt = f32x4.add(f32x4.splat(GELU_A), f32x4.mul(f32x4.splat(GELU_B3), x2));
    return f32x4.add(s, f32x4.mul(f32x4.mul(f32x4.mul(xc, s), sm), dt));
  }
  if (kind == SOFTPLUS) return sigmoidf_v(x);
  return one; // IDENTITY
}

// @ts-ignore: decorator
@inline export function dact_s(kind: i32, x: f32, y: f32, alpha: f32): f32 {
  if (kind == SIGMOID) return y * (1.0 - y);
  if (kind == TANH) return 1.0 - y * y;
  if (kind == HARDTANH) return select<f32>(1.0, 0, x > -1.0 && x < 1.0);
  if (kind == SOFTSIGN) {
    const q: f32 = 1.0 / (1.0 + abs<f32>(x));
    return q * q;
  }
  if (kind == RELU) return select<f32>(1.0, 0, x > 0);
  if (kind == LEAKY) return select<f32>(1.0, alpha, x > 0);
  if (kind == ELU) return select<f32>(1.0, y + alpha, x > 0);
  if (kind == SELU) return select<f32>(SELU_L, y + SELU_LA, x > 0);
  if (kind == GELU) {
    const xc = max<f32>(min<f32>(x, GELU_CLAMP), -GELU_CLAMP);
    const x2 = xc * xc;
    const t = xc * (GELU_A + GELU_B * x2);
    const e = expf_s(-abs<f32>(t));
    const sp: f32 = 1.0 / (1.0 + e);
    const es = e * sp;
    const pos = t >= 0;
    const s = select<f32>(sp, es, pos);
    const sm = select<f32>(es, sp, pos);
    const dt = GELU_A + GELU_B3 * x2;
    return s + xc * s * sm * dt;
  }
  if (kind == SOFTPLUS) return sigmoidf_s(x);
  return 1.0;
}
