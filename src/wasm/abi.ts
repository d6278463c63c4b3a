/**
 * The kernel ABI: the exports of `assembly/index.ts` as TypeScript sees them.
 * Pointers are byte offsets into the module's memory (16-byte aligned by the
 * arena), sizes are element counts, outputs come first. Only `src/wasm/` and
 * `src/plan/` may use this interface.
 *
 * Every SIMD kernel `x_f32_simd` has a scalar twin `x_f32_scalar` with the same
 * signature; the twins exist for tests and for hosts without SIMD.
 *
 * @since 0.1.0
 */

import type { BatchNormKernels, ConvKernels } from './convAbi'

export type { BatchNormKernels, ConvKernels, Geometry } from './convAbi'

type Ptr = number

/** Activation kinds shared by `act_*` kernels; the numbers are the ABI. @category model */
export const ActKind = {
  identity: 0,
  sigmoid: 1,
  tanh: 2,
  hardTanh: 3,
  softsign: 4,
  relu: 5,
  leakyRelu: 6,
  elu: 7,
  selu: 8,
  gelu: 9,
  softplus: 10,
} as const
export type ActName = keyof typeof ActKind

/** Indices into the 8-slot f64 record written by `stats_f32_*`. @category model */
export const StatSlot = Object.freeze({
  count: 0, // finite values counted
  sum: 1, // sum of finite values
  sumSq: 2, // sum of squares of finite values
  maxAbs: 3, // max |x| over finite values
  nonFinite: 4, // count of NaN and +-Infinity
  above: 5, // count of finite |x| > threshold
  zeros: 6, // count of exact zeros (+0 and -0)
  minAbs: 7, // min |x| over finite values (Infinity when none)
} as const)

/** GEMM: row-major, contiguous. `acc` = 1 adds to C, 0 overwrites it. `ws` is a scratch region of `gemm_ws_bytes()` bytes. */
export interface GemmKernels {
  gemm_ws_bytes(): number
  /** C(M,N) (+)= A(M,K) . B(K,N) */
  gemm_nn_f32_simd(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
  gemm_nn_f32_scalar(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
  /** C(M,N) (+)= A(M,K) . B(N,K)^T */
  gemm_nt_f32_simd(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
  gemm_nt_f32_scalar(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
  /** C(M,N) (+)= A(K,M)^T . B(K,N) */
  gemm_tn_f32_simd(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
  gemm_tn_f32_scalar(c: Ptr, a: Ptr, b: Ptr, m: number, k: number, n: number, acc: number, ws: Ptr): void
}

/** Elementwise. `y` may alias `x` (and `a`/`b`) unless a line says otherwise. */
export interface EltwiseKernels {
  /** y = f(x); alpha parametrises leakyRelu (slope), elu (alpha); ignored otherwise. */
  act_f32_simd(y: Ptr, x: Ptr, n: number, kind: number, alpha: number): void
  act_f32_scalar(y: Ptr, x: Ptr, n: number, kind: number, alpha: number): void
  /** dx += dy * f'(x), given x (input) and y = f(x) (output). dx may alias dy only if acc semantics are respected by the caller (dx zeroed). */
  act_bwd_f32_simd(dx: Ptr, x: Ptr, y: Ptr, dy: Ptr, n: number, kind: number, alpha: number): void
  act_bwd_f32_scalar(dx: Ptr, x: Ptr, y: Ptr, dy: Ptr, n: number, kind: number, alpha: number): void
  /** y(rows,cols) = x(rows,cols) + b(cols) broadcast over rows */
  bias_add_f32_simd(y: Ptr, x: Ptr, b: Ptr, rows: number, cols: number): void
  bias_add_f32_scalar(y: Ptr, x: Ptr, b: Ptr, rows: number, cols: number): void
  /** out(cols) (+)= sum over rows of x(rows,cols) (bias gradient) */
  col_sum_f32_simd(out: Ptr, x: Ptr, rows: number, cols: number, acc: number): void
  col_sum_f32_scalar(out: Ptr, x: Ptr, rows: number, cols: number, acc: number): void
  /** out(rows) (+)= sum over cols of x(rows,cols) */
  row_sum_f32_simd(out: Ptr, x: Ptr, rows: number, cols: number, acc: number): void
  row_sum_f32_scalar(out: Ptr, x: Ptr, rows: number, cols: number, acc: number): void
  /** y = a + b */
  add_f32_simd(y: Ptr, a: Ptr, b: Ptr, n: number): void
  add_f32_scalar(y: Ptr, a: Ptr, b: Ptr, n: number): void
  /** y = a * b */
  mul_f32_simd(y: Ptr, a: Ptr, b: Ptr, n: number): void
  mul_f32_scalar(y: Ptr, a: Ptr, b: Ptr, n: number): void
  /** y += alpha * x */
  axpy_f32_simd(y: Ptr, x: Ptr, n: number, alpha: number): void
  axpy_f32_scalar(y: Ptr, x: Ptr, n: number, alpha: number): void
  /** y = alpha * x */
  scale_f32_simd(y: Ptr, x: Ptr, n: number, alpha: number): void
  scale_f32_scalar(y: Ptr, x: Ptr, n: number, alpha: number): void
  /** y = value */
  fill_f32_simd(y: Ptr, n: number, value: number): void
  fill_f32_scalar(y: Ptr, n: number, value: number): void
  /** y = x (no overlap) */
  copy_f32_simd(y: Ptr, x: Ptr, n: number): void
  copy_f32_scalar(y: Ptr, x: Ptr, n: number): void
}

/** Losses return the SUM of per-element (or per-row) losses as f64 and write the gradient of (scale * sum) into the gradient buffer (overwriting it). */
export interface LossKernels {
  /** softmax cross-entropy with integer labels (i32, one per row); dlogits = scale * (softmax - onehot). Labels out of [0, cols) are the caller's fault. */
  softmax_xent_f32_simd(dlogits: Ptr, logits: Ptr, labels: Ptr, rows: number, cols: number, scale: number): number
  softmax_xent_f32_scalar(dlogits: Ptr, logits: Ptr, labels: Ptr, rows: number, cols: number, scale: number): number
  /** softmax cross-entropy with soft targets (rows,cols), each row summing to 1; dlogits = scale * (softmax * sum(t) - t). */
  softmax_xent_soft_f32_simd(dlogits: Ptr, logits: Ptr, targets: Ptr, rows: number, cols: number, scale: number): number
  softmax_xent_soft_f32_scalar(dlogits: Ptr, logits: Ptr, targets: Ptr, rows: number, cols: number, scale: number): number
  /** y(rows,cols) = softmax(x) per row; y may alias x */
  softmax_f32_simd(y: Ptr, x: Ptr, rows: number, cols: number): void
  softmax_f32_scalar(y: Ptr, x: Ptr, rows: number, cols: number): void
  /** sum (y - t)^2; dy = scale * 2 (y - t) */
  mse_f32_simd(dy: Ptr, y: Ptr, t: Ptr, n: number, scale: number): number
  mse_f32_scalar(dy: Ptr, y: Ptr, t: Ptr, n: number, scale: number): number
  /** sum of max(z,0) - z t + log(1 + exp(-|z|)); dz = scale * (sigmoid(z) - t) */
  bce_logits_f32_simd(dz: Ptr, z: Ptr, t: Ptr, n: number, scale: number): number
  bce_logits_f32_scalar(dz: Ptr, z: Ptr, t: Ptr, n: number, scale: number): number
  /** out(rows) i32 = argmax over cols (first max wins) */
  argmax_f32_scalar(out: Ptr, x: Ptr, rows: number, cols: number): void
}

/**
 * Optimizer updates in the Optax form: state is updated in place and the
 * update `u` (already multiplied by -lr) is written out; `u` may alias `g`.
 * Apply with `add_f32_*(p, p, u, n)`.
 */
export interface OptimKernels {
  /** v = mu v + g;  u = -lr (nesterov ? g + mu v : v)  (PyTorch's convention) */
  momentum_f32_simd(u: Ptr, v: Ptr, g: Ptr, n: number, lr: number, mu: number, nesterov: number): void
  momentum_f32_scalar(u: Ptr, v: Ptr, g: Ptr, n: number, lr: number, mu: number, nesterov: number): void
  /** s = rho s + (1 - rho) g^2;  u = -lr g / (sqrt(s) + eps) */
  rmsprop_f32_simd(u: Ptr, s: Ptr, g: Ptr, n: number, lr: number, rho: number, eps: number): void
  rmsprop_f32_scalar(u: Ptr, s: Ptr, g: Ptr, n: number, lr: number, rho: number, eps: number): void
  /** m += omb1 (g - m); v += omb2 (g^2 - v); u = step (m / (sqrt(v) / sbc2 + eps)) + decay p, with omb = 1 - b, step = -lr / bc1, sbc2 = sqrt(bc2), decay = -lr wd (0: Adam, p unread) from `adamScalars` (src/optim/adam.ts). */
  adam_f32_simd(u: Ptr, m: Ptr, v: Ptr, g: Ptr, p: Ptr, n: number, omb1: number, omb2: number, step: number, sbc2: number, eps: number, decay: number): void
  adam_f32_scalar(u: Ptr, m: Ptr, v: Ptr, g: Ptr, p: Ptr, n: number, omb1: number, omb2: number, step: number, sbc2: number, eps: number, decay: number): void
  /** y = min(max(x, lo), hi) */
  clip_f32_simd(y: Ptr, x: Ptr, n: number, lo: number, hi: number): void
  clip_f32_scalar(y: Ptr, x: Ptr, n: number, lo: number, hi: number): void
  /** p += u; out (f64[4]) = [sum u^2, sum p_before^2, count of non-finite p_after, 0]. u must not alias p. */
  apply_update_f32_simd(out: Ptr, p: Ptr, u: Ptr, n: number): void
  apply_update_f32_scalar(out: Ptr, p: Ptr, u: Ptr, n: number): void
  /** sum of x^2 in f64 (for global norms) */
  sumsq_f32_simd(x: Ptr, n: number): number
  sumsq_f32_scalar(x: Ptr, n: number): number
}

/** Statistics for traces, one pass, f64 accumulators. */
export interface StatsKernels {
  /** writes 8 f64 (see StatSlot) at out (8-byte aligned) */
  stats_f32_simd(out: Ptr, x: Ptr, n: number, threshold: number): void
  stats_f32_scalar(out: Ptr, x: Ptr, n: number, threshold: number): void
  /** light statistics: out (8 f64, the layout of stats) = [n, sum, sum of squares, 0, 0, 0, 0, 0]; non-finite values summed as they are */
  sums_f32_simd(out: Ptr, x: Ptr, n: number): void
  sums_f32_scalar(out: Ptr, x: Ptr, n: number): void
  /** counts (f64[bins+2]) of log10|x| in bins of width (hi-lo)/bins over [lo,hi); slot 0 = below lo (including zeros), slot bins+1 = at/above hi; non-finite values are not counted. Adds to out. */
  log_hist_f32_scalar(out: Ptr, x: Ptr, n: number, lo: number, hi: number, bins: number): void
}

/**
 * Counter-based PRNG: Threefry-2x32 (20 rounds, Salmon et al. 2011), keyed by
 * (k0, k1); element i uses counter (ctr + i). Matches `src/core/Key.ts`.
 */
export interface RngKernels {
  /** out(n) u32 random bits: element i = first word of threefry(key, (ctr + i, 0)) */
  rng_bits_u32(out: Ptr, n: number, k0: number, k1: number, ctr: number): void
  /** out(n) f32 uniform in [lo, hi) */
  rng_uniform_f32(out: Ptr, n: number, k0: number, k1: number, ctr: number, lo: number, hi: number): void
  /** out(n) f32 normal(mean, std) by Box-Muller */
  rng_normal_f32(out: Ptr, n: number, k0: number, k1: number, ctr: number, mean: number, std: number): void
  /** inverted dropout: mask(n) = (u >= rate) / (1 - rate); y = x * mask. y may alias x. */
  dropout_f32(y: Ptr, mask: Ptr, x: Ptr, n: number, rate: number, k0: number, k1: number, ctr: number): void
}

/** Layer normalisation over the last axis (assembly/norm/layernorm.ts). */
export interface NormKernels {
  /** y = gamma (x - mean) rstd + beta per row; writes xhat (rows, cols) and rstd (rows) for the backward pass */
  layernorm_f32_simd(y: Ptr, xhat: Ptr, rstd: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, rows: number, cols: number, eps: number): void
  layernorm_f32_scalar(y: Ptr, xhat: Ptr, rstd: Ptr, x: Ptr, gamma: Ptr, beta: Ptr, rows: number, cols: number, eps: number): void
  /** dgamma += sum dy xhat; dbeta += sum dy; dx += rstd (g - mean(g) - xhat mean(g xhat)), g = dy gamma */
  layernorm_bwd_f32_simd(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, xhat: Ptr, rstd: Ptr, gamma: Ptr, rows: number, cols: number): void
  layernorm_bwd_f32_scalar(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, xhat: Ptr, rstd: Ptr, gamma: Ptr, rows: number, cols: number): void
}

/** The module's memory: a `WebAssembly.Memory`, typed without the DOM lib. @category model */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
  grow(delta: number): number
}

export interface BaseKernels {
  readonly memory: WasmMemory
  heap_base(): number
  simd_relaxed(): number
}

/** Everything the module exports. @category model */
export interface Kernels
  extends BaseKernels, NormKernels, ConvKernels, BatchNormKernels, GemmKernels, EltwiseKernels, LossKernels, OptimKernels, StatsKernels, RngKernels,
    RecurrentKernels, RbmKernels, MdlstmKernels {}

/**
 * Recurrent cells, one time step (#4): the pre-activation block z (B, nG*H)
 * comes from GEMMs; each kernel applies the gate nonlinearities and the state
 * update in one pass, writing the activated gates gate-major (nG, B, H) so each
 * gate of a step is contiguous. `mask` is (B) (a step is real where mask != 0;
 * 0 pointer: all real); on a masked row the state carries over. Backward
 * kernels ACCUMULATE; a 0 `dcp` / `dhp` passes no signal to step t-1.
 */
export interface RecurrentKernels {
  /** z (B,H) := a = f(z) (kind: sigmoid, tanh or relu); h = m ? a : hp */
  rnn_cell_f32_simd(h: Ptr, z: Ptr, hp: Ptr, mask: Ptr, b: number, hidden: number, kind: number): void
  rnn_cell_f32_scalar(h: Ptr, z: Ptr, hp: Ptr, mask: Ptr, b: number, hidden: number, kind: number): void
  /** dz += dh f'(a) on real rows; dhp += dh on masked rows */
  rnn_cell_bwd_f32_simd(dz: Ptr, dhp: Ptr, a: Ptr, dh: Ptr, mask: Ptr, b: number, hidden: number, kind: number): void
  rnn_cell_bwd_f32_scalar(dz: Ptr, dhp: Ptr, a: Ptr, dh: Ptr, mask: Ptr, b: number, hidden: number, kind: number): void
  /** gates a (nG,B,H) [i,f,g,o] or [i,g,o] (forget = 0, LSTM 1997), c, h, tc = tanh(c~) (B,H); peep (nP,H) or 0 */
  lstm_cell_f32_simd(a: Ptr, c: Ptr, h: Ptr, tc: Ptr, z: Ptr, cp: Ptr, hp: Ptr, peep: Ptr, mask: Ptr, b: number, hidden: number, forget: number): void
  lstm_cell_f32_scalar(a: Ptr, c: Ptr, h: Ptr, tc: Ptr, z: Ptr, cp: Ptr, hp: Ptr, peep: Ptr, mask: Ptr, b: number, hidden: number, forget: number): void
  /** dz, dcp, dhp, dpeep += ...; dc holds dL/dc_t from the future on entry, the total on exit */
  lstm_cell_bwd_f32_simd(dz: Ptr, dc: Ptr, dcp: Ptr, dhp: Ptr, dpeep: Ptr, a: Ptr, c: Ptr, cp: Ptr, tc: Ptr, dh: Ptr, peep: Ptr, mask: Ptr, b: number, hidden: number, forget: number): void
  lstm_cell_bwd_f32_scalar(dz: Ptr, dc: Ptr, dcp: Ptr, dhp: Ptr, dpeep: Ptr, a: Ptr, c: Ptr, cp: Ptr, tc: Ptr, dh: Ptr, peep: Ptr, mask: Ptr, b: number, hidden: number, forget: number): void
  /** GRU (reset after the matmul): gates a (3,B,H) [r,z,n]; gx = x Wx + bx, gh = hp Wh + bh (B,3H) */
  gru_cell_f32_simd(a: Ptr, h: Ptr, gx: Ptr, gh: Ptr, hp: Ptr, mask: Ptr, b: number, hidden: number): void
  gru_cell_f32_scalar(a: Ptr, h: Ptr, gx: Ptr, gh: Ptr, hp: Ptr, mask: Ptr, b: number, hidden: number): void
  /** dgx, dgh (B,3H) += ...; dhp += z dh (direct path) or dh (masked row) */
  gru_cell_bwd_f32_simd(dgx: Ptr, dgh: Ptr, dhp: Ptr, a: Ptr, gh: Ptr, hp: Ptr, dh: Ptr, mask: Ptr, b: number, hidden: number): void
  gru_cell_bwd_f32_scalar(dgx: Ptr, dgh: Ptr, dhp: Ptr, a: Ptr, gh: Ptr, hp: Ptr, dh: Ptr, mask: Ptr, b: number, hidden: number): void
  /** y(B,A,ldy)[b,a,f] (+)= x(A,B,ldx)[a,b,f] for f < F; acc = 1 adds */
  seq_transpose_f32_simd(y: Ptr, x: Ptr, a: number, b: number, f: number, ldy: number, ldx: number, acc: number): void
  seq_transpose_f32_scalar(y: Ptr, x: Ptr, a: number, b: number, f: number, ldy: number, ldx: number, acc: number): void
}

/**
 * The 2-D recurrent layers' kernels (assembly/mdlstm/, #13): the MD-LSTM cell over the rows of one anti-diagonal
 * (gates i, f2, g, o, f1; c1, c2 the predecessors' cells along i and j) and the grid <-> wavefront reorderings
 * (blocks of bi x bj pixels, flip bit 0 reverses i, bit 1 reverses j). @category model
 */
export interface MdlstmKernels {
  mdlstm_cell_f32_simd(a: Ptr, c: Ptr, h: Ptr, tc: Ptr, z: Ptr, c1: Ptr, c2: Ptr, rows: number, hidden: number): void
  mdlstm_cell_f32_scalar(a: Ptr, c: Ptr, h: Ptr, tc: Ptr, z: Ptr, c1: Ptr, c2: Ptr, rows: number, hidden: number): void
  /** dz, dc1, dc2 += ...; dc := the total dL/dc; dc1, dc2 may be 0 */
  mdlstm_cell_bwd_f32_simd(dz: Ptr, dc: Ptr, dc1: Ptr, dc2: Ptr, a: Ptr, c1: Ptr, c2: Ptr, tc: Ptr, dh: Ptr, rows: number, hidden: number): void
  mdlstm_cell_bwd_f32_scalar(dz: Ptr, dc: Ptr, dc1: Ptr, dc2: Ptr, a: Ptr, c1: Ptr, c2: Ptr, tc: Ptr, dh: Ptr, rows: number, hidden: number): void
  /** y (P, B, bi*bj*f) (+)= x (B, I*bi, J*bj, ldx) in wavefront order */
  grid_gather_f32_simd(y: Ptr, x: Ptr, b: number, i: number, j: number, f: number, bi: number, bj: number, ldx: number, flip: number, acc: number): void
  grid_gather_f32_scalar(y: Ptr, x: Ptr, b: number, i: number, j: number, f: number, bi: number, bj: number, ldx: number, flip: number, acc: number): void
  /** x (+)= y: the gather's adjoint */
  grid_scatter_f32_simd(x: Ptr, y: Ptr, b: number, i: number, j: number, f: number, bi: number, bj: number, ldx: number, flip: number, acc: number): void
  grid_scatter_f32_scalar(x: Ptr, y: Ptr, b: number, i: number, j: number, f: number, bi: number, bj: number, ldx: number, flip: number, acc: number): void
}

/**
 * Restricted Boltzmann machines (#11, assembly/rbm/): Gibbs sampling from keys (element i of a
 * sample uses counter ctr + i, as the rng kernels), free energies, the CD gradient, AIS weights.
 * A 0 pointer leaves an optional term out.
 */
export interface RbmKernels {
  /** p = sigmoid(beta (z + b) + gamma c) (rows, cols); s = (uniform_i < p) unless s = 0; b, c (cols) optional */
  rbm_bern_f32_simd(
    p: Ptr, s: Ptr, z: Ptr, b: Ptr, c: Ptr, rows: number, cols: number, beta: number, gamma: number, k0: number, k1: number, ctr: number,
  ): void
  rbm_bern_f32_scalar(
    p: Ptr, s: Ptr, z: Ptr, b: Ptr, c: Ptr, rows: number, cols: number, beta: number, gamma: number, k0: number, k1: number, ctr: number,
  ): void
  /** m = z + b (rows, cols); s = m + normal_i unless s = 0 */
  rbm_gauss_f32_simd(m: Ptr, s: Ptr, z: Ptr, b: Ptr, rows: number, cols: number, k0: number, k1: number, ctr: number): void
  rbm_gauss_f32_scalar(m: Ptr, s: Ptr, z: Ptr, b: Ptr, rows: number, cols: number, k0: number, k1: number, ctr: number): void
  /** free energy per row into out (f32, rows; 0: not written), h = v W + b given; returns the sum (f64) */
  rbm_free_energy_f32_simd(out: Ptr, v: Ptr, a: Ptr, h: Ptr, rows: number, nv: number, nh: number, gaussian: number): number
  rbm_free_energy_f32_scalar(out: Ptr, v: Ptr, a: Ptr, h: Ptr, rows: number, nv: number, nh: number, gaussian: number): number
  /** g = (neg - pos) inv + decay w */
  rbm_grad_f32_simd(g: Ptr, pos: Ptr, neg: Ptr, w: Ptr, n: number, inv: number, decay: number): void
  rbm_grad_f32_scalar(g: Ptr, pos: Ptr, neg: Ptr, w: Ptr, n: number, inv: number, decay: number): void
  /** logw (f64, rows) += (beta1 - beta0) (aB - aA) . v + sum_j softplus(beta1 h) - softplus(beta0 h) */
  rbm_ais_f32_simd(logw: Ptr, v: Ptr, aA: Ptr, aB: Ptr, h: Ptr, rows: number, nv: number, nh: number, beta0: number, beta1: number): void
  rbm_ais_f32_scalar(logw: Ptr, v: Ptr, aA: Ptr, aB: Ptr, h: Ptr, rows: number, nv: number, nh: number, beta0: number, beta1: number): void
  /** exact log Z by enumerating 2^nh hidden configurations; work is f64 (nv) */
  rbm_log_z_f32_scalar(work: Ptr, w: Ptr, a: Ptr, b: Ptr, nv: number, nh: number, gaussian: number): number
  /** y = x with one unit per row flipped (1 - x), unit bits(ctr + r) mod cols */
  rbm_flip_f32_scalar(y: Ptr, x: Ptr, rows: number, cols: number, k0: number, k1: number, ctr: number): void
  /** out (f64, bins) += counts of x over [0, 1] */
  rbm_hist_f32_scalar(out: Ptr, x: Ptr, n: number, bins: number): void
}
