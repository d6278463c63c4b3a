// RBM measurements that enumerate or pick (#11), scalar only: they run at evaluation, not per step.
//
//   rbm_log_z_f32_scalar  log Z of an RBM with nh <= 30 hidden units, by enumerating the 2^nh hidden
//                         configurations in Gray-code order (one unit flips per step, so c = W h is
//                         updated in O(nv)); returns, in f64,
//                           Bernoulli visible: log sum_h exp(b . h + sum_i softplus(a_i + c_i))
//                           Gaussian visible:  log sum_h exp(b . h + sum_i (a_i c_i + c_i^2 / 2)) + nv/2 log 2 pi
//                         (unit variance: the integral over v of exp(-|v - a|^2 / 2 + v . c)). work is f64 (nv)
//                         scratch holding c; W is (nv, nh) row-major, a (nv), b (nh). Cost 2^nh nv.
//   rbm_flip_f32_scalar   y = x, then y[r, k_r] = 1 - x[r, k_r], k_r = bits(ctr + r) mod cols (the first word of
//                         the Threefry block at counter ctr + r): one visible unit per row flipped at random,
//                         for the stochastic pseudo-log-likelihood. y must not overlap x.
//   rbm_hist_f32_scalar   out (f64, bins) += counts of x in [0, 1] over bins of width 1/bins; values below 0
//                         count in bin 0, at or above 1 in the last; NaN is not counted.
// Bench: none (evaluation only).

import { threefry1 } from '../rng/threefry';

// @ts-ignore: decorator
@inline function softplus64(x: f64): f64 {
  return max<f64>(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** The log of the unnormalised weight of the hidden configuration whose c = W h is in work. */
// @ts-ignore: decorator
@inline function term(work: usize, a: usize, nv: i32, bh: f64, gaussian: i32): f64 {
  let t = bh;
  for (let i = 0; i < nv; i++) {
    const c = load<f64>(work + (<usize>i << 3)), ai = <f64>load<f32>(a + (<usize>i << 2));
    t += gaussian != 0 ? ai * c + 0.5 * c * c : softplus64(ai + c);
  }
  return t;
}

export function rbm_log_z_f32_scalar(work: usize, w: usize, a: usize, b: usize, nv: i32, nh: i32, gaussian: i32): f64 {
  assert(nv >= 0 && nh >= 0 && nh <= 30 && (work & 7) == 0 && ((w | a | b) & 3) == 0);
  for (let i = 0; i < nv; i++) store<f64>(work + (<usize>i << 3), 0);
  let bh: f64 = 0, h: u32 = 0;
  let m = term(work, a, nv, 0, gaussian), s: f64 = 1; // running max and sum of exp(t - m)
  const count: u32 = <u32>1 << <u32>nh;
  for (let g: u32 = 1; g < count; g++) {
    const j = <i32>ctz(g), sign: f64 = (h >> j) & 1 ? -1 : 1; // Gray code: step g flips unit ctz(g)
    h ^= <u32>1 << j;
    bh += sign * <f64>load<f32>(b + (<usize>j << 2));
    for (let i = 0; i < nv; i++) {
      const p = work + (<usize>i << 3);
      store<f64>(p, load<f64>(p) + sign * <f64>load<f32>(w + ((<usize>i * <usize>nh + <usize>j) << 2)));
    }
    const t = term(work, a, nv, bh, gaussian);
    if (t > m) {
      s = s * Math.exp(m - t) + 1;
      m = t;
    } else s += Math.exp(t - m);
  }
  const base = gaussian != 0 ? 0.5 * <f64>nv * Math.log(2 * Math.PI) : 0;
  return m + Math.log(s) + base;
}

// ------------------------------------------------------------------- flip

export function rbm_flip_f32_scalar(y: usize, x: usize, rows: i32, cols: i32, k0: u32, k1: u32, ctr: u32): void {
  assert(rows >= 0 && cols >= 1 && ((y | x) & 3) == 0);
  memory.copy(y, x, <usize>rows * <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const k = (<u32>threefry1(k0, k1, ctr + <u32>r, 0)) % <u32>cols;
    const p = y + ((<usize>r * <usize>cols + <usize>k) << 2);
    store<f32>(p, 1 - load<f32>(p));
  }
}

// ------------------------------------------------------------------- hist

export function rbm_hist_f32_scalar(out: usize, x: usize, n: i32, bins: i32): void {
  assert(n >= 0 && bins >= 1 && (out & 7) == 0 && (x & 3) == 0);
  for (let i = 0; i < n; i++) {
    const xi = load<f32>(x + (<usize>i << 2));
    if (xi != xi) continue;
    const k = <i32>min<f32>(max<f32>(xi * <f32>bins, 0), <f32>(bins - 1));
    const p = out + (<usize>k << 3);
    store<f64>(p, load<f64>(p) + 1);
  }
}
