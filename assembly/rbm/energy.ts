// RBM energies and updates (#11).
//
//   rbm_free_energy_f32  F(v_r) = V(v_r) - sum_j softplus(h[r,j]),  h = v W + b (pre-activations, given)
//                        V(v) = -sum_i a_i v_i (Bernoulli visible)  or  1/2 sum_i (v_i - a_i)^2 (Gaussian,
//                        unit variance); writes F(v_r) to out[r] (f32) unless out = 0, returns sum_r F (f64)
//   rbm_grad_f32         g = (neg - pos) inv + decay w   (decay = 0: w unread)  the CD gradient of -log p,
//                        descent direction, with L2 weight decay (Hinton 2010, section 10)
//   rbm_ais_f32          logw[r] += (beta1 - beta0) (aB - aA) . v_r
//                                 + sum_j softplus(beta1 h[r,j]) - softplus(beta0 h[r,j])
//                        h = v W + b; the log-weight increment of annealed importance sampling from a
//                        base-rate model with visible biases aA (Salakhutdinov & Murray 2008, eq. 13-15)
//
// v, h are (rows, nv) and (rows, nh) row-major; a, aA, aB are (nv); logw is f64 (rows). softplus(x) =
// max(x, 0) + log1p(exp(-|x|)) in f32 (../math), summed per row in f64. The SIMD twins sum 4 lanes
// then the tail, the scalar twins in element order: sums agree to f64 rounding, not bit for bit;
// each build always runs the same one, so runs stay bit-identical. rbm_grad is elementwise and
// bit-identical between twins; g may alias pos or neg.
// Bench: node --expose-gc bench/run.mjs --filter rbm.

import { expf_s, expf_v, log1pf_s, log1pf_v } from '../math/index';

// @ts-ignore: decorator
@inline function softplus1(x: f32): f32 {
  return max<f32>(x, 0) + log1pf_s(expf_s(-Mathf.abs(x)));
}

// @ts-ignore: decorator
@inline function softplus4(x: v128): v128 {
  return f32x4.add(f32x4.max(x, f32x4.splat(0)), log1pf_v(expf_v(f32x4.neg(f32x4.abs(x)))));
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/** Sum over j of softplus(beta h_j) for one row (simd: 4 lanes, then the tail). */
// @ts-ignore: decorator
@inline function spRow(h: usize, n: i32, beta: f32, simd: bool): f64 {
  let acc: f64 = 0, j = 0;
  if (simd) {
    const vb = f32x4.splat(beta);
    for (; j + 4 <= n; j += 4) acc += hsum(softplus4(f32x4.mul(vb, v128.load(h + (<usize>j << 2)))));
  }
  for (; j < n; j++) acc += <f64>softplus1(beta * load<f32>(h + (<usize>j << 2)));
  return acc;
}

/** The visible term of one row: -a . v, or 1/2 |v - a|^2 (Gaussian). */
// @ts-ignore: decorator
@inline function visRow(v: usize, a: usize, n: i32, gaussian: bool, simd: bool): f64 {
  let acc: f64 = 0, i = 0;
  if (simd) {
    for (; i + 4 <= n; i += 4) {
      const vv = v128.load(v + (<usize>i << 2)), va = v128.load(a + (<usize>i << 2));
      const d = f32x4.sub(vv, va);
      acc += gaussian ? 0.5 * hsum(f32x4.mul(d, d)) : -hsum(f32x4.mul(va, vv));
    }
  }
  for (; i < n; i++) {
    const vi = load<f32>(v + (<usize>i << 2)), ai = load<f32>(a + (<usize>i << 2)), d = vi - ai;
    acc += gaussian ? 0.5 * <f64>(d * d) : -<f64>(ai * vi);
  }
  return acc;
}

// @ts-ignore: decorator
@inline function freeEnergy(out: usize, v: usize, a: usize, h: usize, rows: i32, nv: i32, nh: i32, gaussian: i32, simd: bool): f64 {
  assert(rows >= 0 && nv >= 0 && nh >= 0 && ((out | v | a | h) & 3) == 0);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const pv = v + (<usize>r * <usize>nv << 2), ph = h + (<usize>r * <usize>nh << 2);
    const f = visRow(pv, a, nv, gaussian != 0, simd) - spRow(ph, nh, 1, simd);
    if (out != 0) store<f32>(out + (<usize>r << 2), <f32>f);
    total += f;
  }
  return total;
}

export function rbm_free_energy_f32_simd(out: usize, v: usize, a: usize, h: usize, rows: i32, nv: i32, nh: i32, gaussian: i32): f64 {
  return freeEnergy(out, v, a, h, rows, nv, nh, gaussian, true);
}

export function rbm_free_energy_f32_scalar(out: usize, v: usize, a: usize, h: usize, rows: i32, nv: i32, nh: i32, gaussian: i32): f64 {
  return freeEnergy(out, v, a, h, rows, nv, nh, gaussian, false);
}

// ------------------------------------------------------------------- grad

export function rbm_grad_f32_simd(g: usize, pos: usize, neg: usize, w: usize, n: i32, inv: f32, decay: f32): void {
  assert(n >= 0 && ((g | pos | neg | w) & 3) == 0);
  const vinv = f32x4.splat(inv), vdec = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let vg = f32x4.mul(f32x4.sub(v128.load(neg + o), v128.load(pos + o)), vinv);
    if (decay != 0) vg = f32x4.add(vg, f32x4.mul(vdec, v128.load(w + o)));
    v128.store(g + o, vg);
  }
  for (; i < n; i++) grad1(g, pos, neg, w, <usize>i << 2, inv, decay);
}

// @ts-ignore: decorator
@inline function grad1(g: usize, pos: usize, neg: usize, w: usize, o: usize, inv: f32, decay: f32): void {
  let gi = (load<f32>(neg + o) - load<f32>(pos + o)) * inv;
  if (decay != 0) gi = gi + decay * load<f32>(w + o);
  store<f32>(g + o, gi);
}

export function rbm_grad_f32_scalar(g: usize, pos: usize, neg: usize, w: usize, n: i32, inv: f32, decay: f32): void {
  assert(n >= 0 && ((g | pos | neg | w) & 3) == 0);
  for (let i = 0; i < n; i++) grad1(g, pos, neg, w, <usize>i << 2, inv, decay);
}

// -------------------------------------------------------------------- ais

// @ts-ignore: decorator
@inline function ais(logw: usize, v: usize, aA: usize, aB: usize, h: usize, rows: i32, nv: i32, nh: i32, beta0: f32, beta1: f32, simd: bool): void {
  assert(rows >= 0 && nv >= 0 && nh >= 0 && (logw & 7) == 0 && ((v | aA | aB | h) & 3) == 0);
  const db = <f64>beta1 - <f64>beta0;
  for (let r = 0; r < rows; r++) {
    const pv = v + (<usize>r * <usize>nv << 2), ph = h + (<usize>r * <usize>nh << 2);
    // (aB - aA) . v = -(-aB . v) + (-aA . v), each by visRow
    const lin = visRow(pv, aA, nv, false, simd) - visRow(pv, aB, nv, false, simd);
    const inc = db * lin + spRow(ph, nh, beta1, simd) - spRow(ph, nh, beta0, simd);
    const p = logw + (<usize>r << 3);
    store<f64>(p, load<f64>(p) + inc);
  }
}

export function rbm_ais_f32_simd(logw: usize, v: usize, aA: usize, aB: usize, h: usize, rows: i32, nv: i32, nh: i32, beta0: f32, beta1: f32): void {
  ais(logw, v, aA, aB, h, rows, nv, nh, beta0, beta1, true);
}

export function rbm_ais_f32_scalar(logw: usize, v: usize, aA: usize, aB: usize, h: usize, rows: i32, nv: i32, nh: i32, beta0: f32, beta1: f32): void {
  ais(logw, v, aA, aB, h, rows, nv, nh, beta0, beta1, false);
}
