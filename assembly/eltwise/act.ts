// Activation kernels, forward and backward side by side, SIMD beside its scalar twin.
//   act_f32_*(y, x, n, kind, alpha):            y = f(x)                       // x, y are (n)
//   act_bwd_f32_*(dx, x, y, dy, n, kind, alpha): dx += dy * f'(x)             // all (n); y = f(x)
// kind is ActKind (src/wasm/abi.ts); alpha is leakyRelu's slope and elu's
// alpha, ignored otherwise (selu has fixed lambda, alpha). f' uses y where
// cheaper: sigmoid y(1-y), tanh 1-y^2, elu/selu y + (lambda) alpha for x <= 0.
// Kinks: relu, hardTanh, leakyRelu, elu, selu take the x <= 0 (outside) branch at the kink.
// Aliasing: y may alias x; dx may alias dy (then dx = dy + dy f', the caller's choice).
// Tails: W = 8 (two f32x4 per main-loop step), then one f32x4, then scalars;
// the scalar twin uses the same per-element arithmetic, so results are bitwise equal.
// `kind` is dispatched once, outside the loop: each case inlines its own loop.
// Math: ../math/ (Cephes-style exp/log/tanh). Bench: none yet (no bench/ entry).
import { act_s, act_v, dact_s, dact_v } from './act_ops';

// @ts-ignore: decorator
@inline function fwd_simd(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const vx0123 = v128.load(x + o);
    const vx4567 = v128.load(x + o, 16);
    v128.store(y + o, act_v(kind, vx0123, va));
    v128.store(y + o, act_v(kind, vx4567, va), 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, act_v(kind, v128.load(x + o), va));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, act_s(kind, load<f32>(x + o), alpha));
  }
}

// @ts-ignore: decorator
@inline function fwd_scalar(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, act_s(kind, load<f32>(x + o), alpha));
  }
}

// @ts-ignore: decorator
@inline function bwd_simd(dx: usize, x: usize, y: usize, dy: usize, n: i32, kind: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const d0123 = dact_v(kind, v128.load(x + o), v128.load(y + o), va);
    const d4567 = dact_v(kind, v128.load(x + o, 16), v128.load(y + o, 16), va);
    const g0123 = f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), d0123));
    const g4567 = f32x4.add(v128.load(dx + o, 16), f32x4.mul(v128.load(dy + o, 16), d4567));
    v128.store(dx + o, g0123);
    v128.store(dx + o, g4567, 16);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = dact_v(kind, v128.load(x + o), v128.load(y + o), va);
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), d)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const d = dact_s(kind, load<f32>(x + o), load<f32>(y + o), alpha);
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * d);
  }
}

// @ts-ignore: decorator
@inline function bwd_scalar(dx: usize, x: usize, y: usize, dy: usize, n: i32, kind: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const d = dact_s(kind, load<f32>(x + o), load<f32>(y + o), alpha);
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * d);
  }
}

// One (not inlined) function per kind: the constant kind specialises each
// loop, and the exported kernels below dispatch once, outside the loops.
function fwd_simd_0(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 0, alpha); }
function fwd_simd_1(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 1, alpha); }
function fwd_simd_2(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 2, alpha); }
function fwd_simd_3(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 3, alpha); }
function fwd_simd_4(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 4, alpha); }
function fwd_simd_5(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 5, alpha); }
function fwd_simd_6(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 6, alpha); }
function fwd_simd_7(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 7, alpha); }
function fwd_simd_8(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 8, alpha); }
function fwd_simd_9(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 9, alpha); }
function fwd_simd_10(y: usize, x: usize, n: i32, alpha: f32): void { fwd_simd(y, x, n, 10, alpha); }
function fwd_scalar_0(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 0, alpha); }
function fwd_scalar_1(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 1, alpha); }
function fwd_scalar_2(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 2, alpha); }
function fwd_scalar_3(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 3, alpha); }
function fwd_scalar_4(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 4, alpha); }
function fwd_scalar_5(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 5, alpha); }
function fwd_scalar_6(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 6, alpha); }
function fwd_scalar_7(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 7, alpha); }
function fwd_scalar_8(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 8, alpha); }
function fwd_scalar_9(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 9, alpha); }
function fwd_scalar_10(y: usize, x: usize, n: i32, alpha: f32): void { fwd_scalar(y, x, n, 10, alpha); }
function bwd_simd_0(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 0, alpha); }
function bwd_simd_1(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 1, alpha); }
function bwd_simd_2(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 2, alpha); }
function bwd_simd_3(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 3, alpha); }
function bwd_simd_4(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 4, alpha); }
function bwd_simd_5(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 5, alpha); }
function bwd_simd_6(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 6, alpha); }
function bwd_simd_7(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 7, alpha); }
function bwd_simd_8(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 8, alpha); }
function bwd_simd_9(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 9, alpha); }
function bwd_simd_10(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_simd(dx, x, y, dy, n, 10, alpha); }
function bwd_scalar_0(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 0, alpha); }
function bwd_scalar_1(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 1, alpha); }
function bwd_scalar_2(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 2, alpha); }
function bwd_scalar_3(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 3, alpha); }
function bwd_scalar_4(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 4, alpha); }
function bwd_scalar_5(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 5, alpha); }
function bwd_scalar_6(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 6, alpha); }
function bwd_scalar_7(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 7, alpha); }
function bwd_scalar_8(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 8, alpha); }
function bwd_scalar_9(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 9, alpha); }
function bwd_scalar_10(dx: usize, x: usize, y: usize, dy: usize, n: i32, alpha: f32): void { bwd_scalar(dx, x, y, dy, n, 10, alpha); }

/** y = f(x), f32x4. */
export function act_f32_simd(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  assert(n >= 0 && kind >= 0 && kind <= 10);
  switch (kind) {
    case 0: fwd_simd_0(y, x, n, alpha); break;
    case 1: fwd_simd_1(y, x, n, alpha); break;
    case 2: fwd_simd_2(y, x, n, alpha); break;
    case 3: fwd_simd_3(y, x, n, alpha); break;
    case 4: fwd_simd_4(y, x, n, alpha); break;
    case 5: fwd_simd_5(y, x, n, alpha); break;
    case 6: fwd_simd_6(y, x, n, alpha); break;
    case 7: fwd_simd_7(y, x, n, alpha); break;
    case 8: fwd_simd_8(y, x, n, alpha); break;
    case 9: fwd_simd_9(y, x, n, alpha); break;
    default: fwd_simd_10(y, x, n, alpha);
  }
}

/** y = f(x), scalar twin. */
export function act_f32_scalar(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  assert(n >= 0 && kind >= 0 && kind <= 10);
  switch (kind) {
    case 0: fwd_scalar_0(y, x, n, alpha); break;
    case 1: fwd_scalar_1(y, x, n, alpha); break;
    case 2: fwd_scalar_2(y, x, n, alpha); break;
    case 3: fwd_scalar_3(y, x, n, alpha); break;
    case 4: fwd_scalar_4(y, x, n, alpha); break;
    case 5: fwd_scalar_5(y, x, n, alpha); break;
    case 6: fwd_scalar_6(y, x, n, alpha); break;
    case 7: fwd_scalar_7(y, x, n, alpha); break;
    case 8: fwd_scalar_8(y, x, n, alpha); break;
    case 9: fwd_scalar_9(y, x, n, alpha); break;
    default: fwd_scalar_10(y, x, n, alpha);
  }
}

/** dx += dy * f'(x), f32x4. */
export function act_bwd_f32_simd(dx: usize, x: usize, y: usize, dy: usize, n: i32, kind: i32, alpha: f32): void {
  assert(n >= 0 && kind >= 0 && kind <= 10);
  switch (kind) {
    case 0: bwd_simd_0(dx, x, y, dy, n, alpha); break;
    case 1: bwd_simd_1(dx, x, y, dy, n, alpha); break;
    case 2: bwd_simd_2(dx, x, y, dy, n, alpha); break;
    case 3: bwd_simd_3(dx, x, y, dy, n, alpha); break;
    case 4: bwd_simd_4(dx, x, y, dy, n, alpha); break;
    case 5: bwd_simd_5(dx, x, y, dy, n, alpha); break;
    case 6: bwd_simd_6(dx, x, y, dy, n, alpha); break;
    case 7: bwd_simd_7(dx, x, y, dy, n, alpha); break;
    case 8: bwd_simd_8(dx, x, y, dy, n, alpha); break;
    case 9: bwd_simd_9(dx, x, y, dy, n, alpha); break;
    default: bwd_simd_10(dx, x, y, dy, n, alpha);
  }
}

/** dx += dy * f'(x), scalar twin. */
export function act_bwd_f32_scalar(dx: usize, x: usize, y: usize, dy: usize, n: i32, kind: i32, alpha: f32): void {
  assert(n >= 0 && kind >= 0 && kind <= 10);
  switch (kind) {
    case 0: bwd_scalar_0(dx, x, y, dy, n, alpha); break;
    case 1: bwd_scalar_1(dx, x, y, dy, n, alpha); break;
    case 2: bwd_scalar_2(dx, x, y, dy, n, alpha); break;
    case 3: bwd_scalar_3(dx, x, y, dy, n, alpha); break;
    case 4: bwd_scalar_4(dx, x, y, dy, n, alpha); break;
    case 5: bwd_scalar_5(dx, x, y, dy, n, alpha); break;
    case 6: bwd_scalar_6(dx, x, y, dy, n, alpha); break;
    case 7: bwd_scalar_7(dx, x, y, dy, n, alpha); break;
    case 8: bwd_scalar_8(dx, x, y, dy, n, alpha); break;
    case 9: bwd_scalar_9(dx, x, y, dy, n, alpha); break;
    default: bwd_scalar_10(dx, x, y, dy, n, alpha);
  }
}
