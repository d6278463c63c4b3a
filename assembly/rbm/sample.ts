// RBM Gibbs sampling (#11): unit probabilities and samples in one pass, from counter-based keys.
//
//   rbm_bern_f32   t = beta (z[r,j] + b[j]) + gamma c[j];  p[r,j] = sigmoid(t)
//                  s[r,j] = u_i < p[r,j] ? 1 : 0,  u_i = (x0 >>> 8) 2^-24 of the Threefry block at
//                  counter ctr + i, i = r cols + j (the uniform of rng_uniform_f32 / Key.uniform01)
//   rbm_gauss_f32  m[r,j] = z[r,j] + b[j];  s[r,j] = m[r,j] + n_i, n_i the standard normal that
//                  rng_normal_f32 (mean 0, std 1) draws at counter ctr + i
//
// z, p, m, s are (rows, cols) row-major; b, c are (cols). b = 0 or c = 0 (null pointers) leave
// their term out; s = 0 draws no sample. p (m) may alias z; s overlaps nothing. beta = 1,
// gamma = 0 is the plain conditional; other values serve the annealed chains of AIS
// (Salakhutdinov & Murray 2008: beta scales the RBM's energy, gamma the base model's biases).
// SIMD twin: 4 lanes of one row, scalar tail per row; the same f32 operations in the same
// order (sigmoidf, logf, cosf from ../math), so every element is bit-identical between twins.
// Bench: node --expose-gc bench/run.mjs --filter rbm.

import { cosf_s, logf_s, sigmoidf_s, sigmoidf_v } from '../math/index';
import { threefry1, threefry4 } from '../rng/threefry';
import { rng_normal_f32 } from '../rng/sample';

const ULP24: f32 = 5.9604644775390625e-8; // 2^-24
const TWO_PI: f32 = 6.2831854820251465;

// @ts-ignore: decorator
@inline function pre1(z: usize, b: usize, c: usize, o: usize, oc: usize, beta: f32, gamma: f32): f32 {
  let t = load<f32>(z + o);
  if (b != 0) t = t + load<f32>(b + oc);
  t = beta * t;
  if (c != 0) t = t + gamma * load<f32>(c + oc);
  return t;
}

// @ts-ignore: decorator
@inline function pre4(z: usize, b: usize, c: usize, o: usize, oc: usize, vbeta: v128, vgamma: v128): v128 {
  let t = v128.load(z + o);
  if (b != 0) t = f32x4.add(t, v128.load(b + oc));
  t = f32x4.mul(vbeta, t);
  if (c != 0) t = f32x4.add(t, f32x4.mul(vgamma, v128.load(c + oc)));
  return t;
}

export function rbm_bern_f32_simd(p: usize, s: usize, z: usize, b: usize, c: usize, rows: i32, cols: i32, beta: f32, gamma: f32, k0: u32, k1: u32, ctr: u32): void {
  assert(rows >= 0 && cols >= 0 && ((p | s | z | b | c) & 3) == 0);
  const vbeta = f32x4.splat(beta), vgamma = f32x4.splat(gamma), vulp = f32x4.splat(ULP24);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>cols << 2, base = ctr + <u32>(r * cols);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = row + (<usize>j << 2);
      const vp = sigmoidf_v(pre4(z, b, c, o, <usize>j << 2, vbeta, vgamma));
      v128.store(p + o, vp);
      if (s == 0) continue;
      const vc = i32x4.add(i32x4.splat(base + <u32>j), i32x4(0, 1, 2, 3));
      const vu = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(threefry4(vc, k0, k1, 0), 8)), vulp);
      v128.store(s + o, v128.and(f32x4.lt(vu, vp), f32x4.splat(1)));
    }
    for (; j < cols; j++) bern1(p, s, z, b, c, row + (<usize>j << 2), <usize>j << 2, beta, gamma, k0, k1, base + <u32>j);
  }
}

// @ts-ignore: decorator
@inline function bern1(p: usize, s: usize, z: usize, b: usize, c: usize, o: usize, oc: usize, beta: f32, gamma: f32, k0: u32, k1: u32, i: u32): void {
  const pi = sigmoidf_s(pre1(z, b, c, o, oc, beta, gamma));
  store<f32>(p + o, pi);
  if (s == 0) return;
  const u = <f32>(<u32>threefry1(k0, k1, i, 0) >>> 8) * ULP24;
  store<f32>(s + o, select<f32>(1, 0, u < pi));
}

export function rbm_bern_f32_scalar(p: usize, s: usize, z: usize, b: usize, c: usize, rows: i32, cols: i32, beta: f32, gamma: f32, k0: u32, k1: u32, ctr: u32): void {
  assert(rows >= 0 && cols >= 0 && ((p | s | z | b | c) & 3) == 0);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>cols << 2, base = ctr + <u32>(r * cols);
    for (let j = 0; j < cols; j++) bern1(p, s, z, b, c, row + (<usize>j << 2), <usize>j << 2, beta, gamma, k0, k1, base + <u32>j);
  }
}

// ------------------------------------------------------------------ gauss

export function rbm_gauss_f32_simd(m: usize, s: usize, z: usize, b: usize, rows: i32, cols: i32, k0: u32, k1: u32, ctr: u32): void {
  assert(rows >= 0 && cols >= 0 && ((m | s | z | b) & 3) == 0);
  const n = rows * cols;
  if (s != 0) rng_normal_f32(s, n, k0, k1, ctr, 0, 1);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>cols << 2;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = row + (<usize>j << 2);
      let vm = v128.load(z + o);
      if (b != 0) vm = f32x4.add(vm, v128.load(b + (<usize>j << 2)));
      v128.store(m + o, vm);
      if (s != 0) v128.store(s + o, f32x4.add(vm, v128.load(s + o)));
    }
    for (; j < cols; j++) {
      const o = row + (<usize>j << 2);
      let mi = load<f32>(z + o);
      if (b != 0) mi = mi + load<f32>(b + (<usize>j << 2));
      store<f32>(m + o, mi);
      if (s != 0) store<f32>(s + o, mi + load<f32>(s + o));
    }
  }
}

// @ts-ignore: decorator
@inline function normal1(c: u32, k0: u32, k1: u32): f32 {
  const w = threefry1(k0, k1, c, 0);
  const u1: f32 = 1 - <f32>(<u32>w >>> 8) * ULP24, u2 = <f32>(<u32>(w >>> 32) >>> 8) * ULP24;
  const r = Mathf.sqrt(-2 * logf_s(u1));
  return 0 + 1 * (r * cosf_s(TWO_PI * u2)); // rng_normal_f32's mean + std z, with mean 0, std 1
}

export function rbm_gauss_f32_scalar(m: usize, s: usize, z: usize, b: usize, rows: i32, cols: i32, k0: u32, k1: u32, ctr: u32): void {
  assert(rows >= 0 && cols >= 0 && ((m | s | z | b) & 3) == 0);
  for (let r = 0; r < rows; r++) {
    const row = <usize>r * <usize>cols << 2;
    for (let j = 0; j < cols; j++) {
      const o = row + (<usize>j << 2);
      let mi = load<f32>(z + o);
      if (b != 0) mi = mi + load<f32>(b + (<usize>j << 2));
      store<f32>(m + o, mi);
      if (s != 0) store<f32>(s + o, mi + normal1(ctr + <u32>(r * cols + j), k0, k1));
    }
  }
}
