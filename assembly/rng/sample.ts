// Counter-based sampling: element i of every kernel uses the Threefry-2x32-20 block
// of counter (ctr + i mod 2^32, 0) under key (k0, k1), so a slice [ctr, ctr + n) can be
// drawn in any number of calls, in any order, with the same result (src/core/Key.ts
// draws the same numbers in TypeScript).
//
//   rng_bits_u32     out(n) u32 = x0
//   rng_uniform_f32  out(n) f32 = lo + (hi - lo) u,  u = (x0 >>> 8) 2^-24 in [0, 1)
//                    (exact 24-bit grid; the result can round up to hi when hi - lo is
//                    not a power of two times lo's ulp)
//   rng_normal_f32   out(n) f32 = mean + std sqrt(-2 ln u1) cos(2 pi u2)   (Box-Muller)
//                    u1 = 1 - (x0 >>> 8) 2^-24 in (0, 1] (never ln 0), u2 = (x1 >>> 8) 2^-24;
//                    one output per block (the sine half is dropped, so element i still
//                    depends on counter ctr + i alone). |z| <= sqrt(-2 ln 2^-24) = 5.77.
//   dropout_f32      mask(n) = u >= rate ? 1 / (1 - rate) : 0;  y(n) = x mask  (inverted
//                    dropout, u as in rng_uniform_f32 with lo = 0, hi = 1). y may alias x;
//                    mask overlaps nothing. rate in [0, 1]; rate = 1 drops everything.
//
// Kernels are SIMD (threefry4: 4 counters in i32x4 lanes, 8 elements an iteration) with a
// scalar tail (threefry1) that computes the same words and the same f32 arithmetic (ln,
// cos from ../math, scalar and vector twins), so element i is bit-identical whichever path
// draws it; test/assembly/rng.test.ts checks every element against the TypeScript twin.
// Floats are f32 (lo, hi, mean, std, rate rounded once). k0, k1, ctr are u32 (i32 in Wasm).
// Bench: none yet (runs at init and for dropout masks).

import { cosf_s, cosf_v, logf_s, logf_v } from '../math/index';
import { threefry1, threefry4 } from './threefry';

const ULP24: f32 = 5.9604644775390625e-8; // 2^-24
const TWO_PI: f32 = 6.2831854820251465; // f32(2 pi)

// @ts-ignore: decorator
@inline function unit1(w: u32): f32 {
  return <f32>(w >>> 8) * ULP24;
}

// @ts-ignore: decorator
@inline function unit4(vw: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(vw, 8)), f32x4.splat(ULP24));
}

// @ts-ignore: decorator
@inline function counters(ctr: u32, i: i32): v128 {
  return i32x4.add(i32x4.splat(ctr + <u32>i), i32x4(0, 1, 2, 3));
}

// -------------------------------------------------------------------- bits

export function rng_bits_u32(out: usize, n: i32, k0: u32, k1: u32, ctr: u32): void {
  assert(n >= 0 && (out & 3) == 0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = out + (<usize>i << 2);
    v128.store(p, threefry4(counters(ctr, i), k0, k1, 0));
    v128.store(p, threefry4(counters(ctr, i + 4), k0, k1, 0), 16);
  }
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), threefry4(counters(ctr, i), k0, k1, 0));
  for (; i < n; i++) store<u32>(out + (<usize>i << 2), <u32>threefry1(k0, k1, ctr + <u32>i, 0));
}

// ----------------------------------------------------------------- uniform

export function rng_uniform_f32(out: usize, n: i32, k0: u32, k1: u32, ctr: u32, lo: f32, hi: f32): void {
  assert(n >= 0 && (out & 3) == 0);
  const d = hi - lo, vlo = f32x4.splat(lo), vd = f32x4.splat(d);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.add(vlo, f32x4.mul(vd, unit4(threefry4(counters(ctr, i), k0, k1, 0)))));
    v128.store(p, f32x4.add(vlo, f32x4.mul(vd, unit4(threefry4(counters(ctr, i + 4), k0, k1, 0)))), 16);
  }
  for (; i + 4 <= n; i += 4) {
    v128.store(out + (<usize>i << 2), f32x4.add(vlo, f32x4.mul(vd, unit4(threefry4(counters(ctr, i), k0, k1, 0)))));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), lo + d * unit1(<u32>threefry1(k0, k1, ctr + <u32>i, 0)));
}

// ------------------------------------------------------------------ normal

// @ts-ignore: decorator
@inline function normal4(p: usize, vc: v128, k0: u32, k1: u32, vmean: v128, vstd: v128): void {
  const vw0 = threefry4(vc, k0, k1, p); // x1 words parked in the output, read back below
  const vu1 = f32x4.sub(f32x4.splat(1), unit4(vw0)), vu2 = unit4(v128.load(p));
  const vr = f32x4.sqrt(f32x4.mul(f32x4.splat(-2), logf_v(vu1)));
  const vz = f32x4.mul(vr, cosf_v(f32x4.mul(f32x4.splat(TWO_PI), vu2)));
  v128.store(p, f32x4.add(vmean, f32x4.mul(vstd, vz)));
}

// @ts-ignore: decorator
@inline function normal1(p: usize, c: u32, k0: u32, k1: u32, mean: f32, std: f32): void {
  const w = threefry1(k0, k1, c, 0);
  const u1: f32 = 1 - unit1(<u32>w), u2 = unit1(<u32>(w >>> 32));
  const r = Mathf.sqrt(-2 * logf_s(u1));
  const z = r * cosf_s(TWO_PI * u2);
  store<f32>(p, mean + std * z);
}

export function rng_normal_f32(out: usize, n: i32, k0: u32, k1: u32, ctr: u32, mean: f32, std: f32): void {
  assert(n >= 0 && (out & 3) == 0);
  const vmean = f32x4.splat(mean), vstd = f32x4.splat(std);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = out + (<usize>i << 2);
    normal4(p, counters(ctr, i), k0, k1, vmean, vstd);
    normal4(p + 16, counters(ctr, i + 4), k0, k1, vmean, vstd);
  }
  for (; i + 4 <= n; i += 4) normal4(out + (<usize>i << 2), counters(ctr, i), k0, k1, vmean, vstd);
  for (; i < n; i++) normal1(out + (<usize>i << 2), ctr + <u32>i, k0, k1, mean, std);
}

// ----------------------------------------------------------------- dropout

// @ts-ignore: decorator
@inline function dropout4(o: usize, y: usize, mask: usize, x: usize, vc: v128, k0: u32, k1: u32, vrate: v128, vscale: v128): void {
  const vm = v128.and(f32x4.ge(unit4(threefry4(vc, k0, k1, 0)), vrate), vscale);
  v128.store(mask + o, vm);
  v128.store(y + o, f32x4.mul(v128.load(x + o), vm));
}

export function dropout_f32(y: usize, mask: usize, x: usize, n: i32, rate: f32, k0: u32, k1: u32, ctr: u32): void {
  assert(n >= 0 && rate >= 0 && rate <= 1 && ((y | mask | x) & 3) == 0);
  const scale: f32 = 1 / (1 - rate), vrate = f32x4.splat(rate), vscale = f32x4.splat(scale);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    dropout4(o, y, mask, x, counters(ctr, i), k0, k1, vrate, vscale);
    dropout4(o + 16, y, mask, x, counters(ctr, i + 4), k0, k1, vrate, vscale);
  }
  for (; i + 4 <= n; i += 4) dropout4(<usize>i << 2, y, mask, x, counters(ctr, i), k0, k1, vrate, vscale);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const m = select<f32>(scale, 0, unit1(<u32>threefry1(k0, k1, ctr + <u32>i, 0)) >= rate);
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
}
