/**
 * Ops of the recurrent layers (#4): the batch-first <-> time-major transpose
 * and the scans that unroll a cell over time. Each scan is one op whose thunk
 * loops over t calling kernels (one GEMM and one fused cell kernel a step);
 * nothing in JS touches a tensor element. Buffers are time-major:
 * `S` (T+1, B, H) holds h_{-1} = 0 then h_0 .. h_{T-1}; `G` (T, B, nG*H) the
 * pre-activations, `A` (T, nG, B, H) the activated gates, `dH` (T, B, H) the
 * total dL/dh_t.
 *
 * Truncation (BPTT(k)): the error signal through the recurrent connection
 * (h and c) from step t to step t-1 is cut when (T - t) is a multiple of k,
 * i.e. windows of k steps counted back from the last step. For a loss at the
 * last step this is Williams & Peng's (1990) BPTT(k): the error injected at
 * T-1 reaches h_{T-1} .. h_{T-k} and no further.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { passes } from './recurrentOps'
 * // BPTT(3) over T = 10 steps: the signal into step t-1 is cut where (T - t) is a multiple of 3
 * assert.deepStrictEqual([...Array(10).keys()].filter((t) => !passes(t, 10, 3)), [0, 1, 4, 7])
 * assert.deepStrictEqual([...Array(10).keys()].filter((t) => !passes(t, 10, undefined)), [0]) // full BPTT: only h_{-1}
 *
 * @since 0.1.0
 */
import type { Buf, Op } from './Program'

/** y(B', A, ldy)[b, a, f] (+)= x(A, B', ldx)[a, b, f] for f < F, at float offsets yOff, xOff. @category ops */
export const transposeSeq =
  (y: Buf, yOff: number, x: Buf, xOff: number, A: number, B: number, F: number, ldy: number, ldx: number, acc: boolean): Op =>
  (env) => {
  const py = env.ptr(y) + 4 * yOff, px = env.ptr(x) + 4 * xOff, K = env.k, f = acc ? 1 : 0
  return () => K.seq_transpose_f32_simd(py, px, A, B, F, ldy, ldx, f)
}

/** Whether the signal from step t to t-1 passes (t > 0 and no truncation boundary). @category utils */
export const passes = (t: number, T: number, truncate: number | undefined): boolean => t > 0 && (truncate === undefined || (T - t) % truncate !== 0)

/** Sizes shared by the scans. @category model */
export interface Dims {
  readonly T: number
  readonly B: number
  readonly H: number
  readonly truncate?: number
}

/** RNN forward over t: G_t += h_{t-1} Wh; G_t := f(G_t); h_t = m ? G_t : h_{t-1}. @category ops */
export const rnnScan = (d: Dims, b: { S: Buf; G: Buf; Wh: Buf; M: Buf | null }, kind: number): Op => (env) => {
  const { T, B, H } = d, K = env.k, ws = env.ws
  const S = env.ptr(b.S), G = env.ptr(b.G), Wh = env.ptr(b.Wh), M = b.M ? env.ptr(b.M) : 0
  const sb = 4 * B * H
  return () => {
    K.fill_f32_simd(S, B * H, 0)
    for (let t = 0; t < T; t++) {
      const g = G + t * sb, s = S + t * sb
      K.gemm_nn_f32_simd(g, s, Wh, B, H, H, 1, ws)
      K.rnn_cell_f32_simd(s + sb, g, s, M ? M + 4 * t * B : 0, B, H, kind)
    }
  }
}

/** RNN backward over t (from T-1 down): dG_t, and dH_{t-1} through the mask carry and through Wh. @category ops */
export const rnnScanBwd = (d: Dims, b: { dG: Buf; dH: Buf; G: Buf; Wh: Buf; M: Buf | null }, kind: number): Op => (env) => {
  const { T, B, H, truncate } = d, K = env.k, ws = env.ws
  const dG = env.ptr(b.dG), dH = env.ptr(b.dH), G = env.ptr(b.G), Wh = env.ptr(b.Wh), M = b.M ? env.ptr(b.M) : 0
  const sb = 4 * B * H
  return () => {
    for (let t = T - 1; t >= 0; t--) {
      const pass = passes(t, T, truncate)
      const dhp = pass ? dH + (t - 1) * sb : 0
      K.rnn_cell_bwd_f32_simd(dG + t * sb, dhp, G + t * sb, dH + t * sb, M ? M + 4 * t * B : 0, B, H, kind)
      if (pass) K.gemm_nt_f32_simd(dhp, dG + t * sb, Wh, B, H, H, 1, ws)
    }
  }
}

/** LSTM forward over t. `C` (T+1, B, H) like S; `TC` (T, B, H) = tanh c~. @category ops */
export const lstmScan = (d: Dims, b: { S: Buf; C: Buf; TC: Buf; A: Buf; G: Buf; Wh: Buf; P: Buf | null; M: Buf | null }, forget: boolean): Op => (env) => {
  const { T, B, H } = d, K = env.k, ws = env.ws, nG = forget ? 4 : 3
  const S = env.ptr(b.S), C = env.ptr(b.C), TC = env.ptr(b.TC), A = env.ptr(b.A), G = env.ptr(b.G), Wh = env.ptr(b.Wh)
  const P = b.P ? env.ptr(b.P) : 0, M = b.M ? env.ptr(b.M) : 0, f = forget ? 1 : 0
  const sb = 4 * B * H
  return () => {
    K.fill_f32_simd(S, B * H, 0)
    K.fill_f32_simd(C, B * H, 0)
    for (let t = 0; t < T; t++) {
      const g = G + t * nG * sb, s = S + t * sb, c = C + t * sb
      K.gemm_nn_f32_simd(g, s, Wh, B, H, nG * H, 1, ws)
      K.lstm_cell_f32_simd(A + t * nG * sb, c + sb, s + sb, TC + t * sb, g, c, s, P, M ? M + 4 * t * B : 0, B, H, f)
    }
  }
}

/** LSTM backward over t. `dC` (T, B, H) ends as the total dL/dc_t; `dP` accumulates the peephole gradients. @category ops */
/** The buffers of the LSTM's backward scan. @category model */
export interface LstmBwdBufs {
  dG: Buf
  dH: Buf
  dC: Buf
  dP: Buf | null
  A: Buf
  C: Buf
  TC: Buf
  Wh: Buf
  P: Buf | null
  M: Buf | null
}

export const lstmScanBwd = (d: Dims, b: LstmBwdBufs, forget: boolean): Op => (env) => {
  const { T, B, H, truncate } = d, K = env.k, ws = env.ws, nG = forget ? 4 : 3
  const dG = env.ptr(b.dG), dH = env.ptr(b.dH), dC = env.ptr(b.dC), A = env.ptr(b.A), C = env.ptr(b.C), TC = env.ptr(b.TC), Wh = env.ptr(b.Wh)
  const dP = b.dP ? env.ptr(b.dP) : 0, P = b.P ? env.ptr(b.P) : 0, M = b.M ? env.ptr(b.M) : 0, f = forget ? 1 : 0
  const sb = 4 * B * H
  return () => {
    for (let t = T - 1; t >= 0; t--) {
      const pass = passes(t, T, truncate)
      const dg = dG + t * nG * sb
      const dhp = pass ? dH + (t - 1) * sb : 0, dcp = pass ? dC + (t - 1) * sb : 0
      const m = M ? M + 4 * t * B : 0
      K.lstm_cell_bwd_f32_simd(dg, dC + t * sb, dcp, dhp, dP, A + t * nG * sb, C + (t + 1) * sb, C + t * sb, TC + t * sb, dH + t * sb, P, m, B, H, f)
      if (pass) K.gemm_nt_f32_simd(dhp, dg, Wh, B, nG * H, H, 1, ws)
    }
  }
}

/** GRU forward over t: Gh_t = h_{t-1} Wh + bh, then the cell. @category ops */
export const gruScan = (d: Dims, b: { S: Buf; A: Buf; Gx: Buf; Gh: Buf; Wh: Buf; bh: Buf; M: Buf | null }): Op => (env) => {
  const { T, B, H } = d, K = env.k, ws = env.ws
  const S = env.ptr(b.S), A = env.ptr(b.A), Gx = env.ptr(b.Gx), Gh = env.ptr(b.Gh), Wh = env.ptr(b.Wh), bh = env.ptr(b.bh), M = b.M ? env.ptr(b.M) : 0
  const sb = 4 * B * H
  return () => {
    K.fill_f32_simd(S, B * H, 0)
    for (let t = 0; t < T; t++) {
      const s = S + t * sb, gh = Gh + 3 * t * sb
      K.gemm_nn_f32_simd(gh, s, Wh, B, H, 3 * H, 0, ws)
      K.bias_add_f32_simd(gh, gh, bh, B, 3 * H)
      K.gru_cell_f32_simd(A + 3 * t * sb, s + sb, Gx + 3 * t * sb, gh, s, M ? M + 4 * t * B : 0, B, H)
    }
  }
}

/** GRU backward over t. @category ops */
export const gruScanBwd = (d: Dims, b: { dGx: Buf; dGh: Buf; dH: Buf; A: Buf; Gh: Buf; S: Buf; Wh: Buf; M: Buf | null }): Op => (env) => {
  const { T, B, H, truncate } = d, K = env.k, ws = env.ws
  const dGx = env.ptr(b.dGx), dGh = env.ptr(b.dGh), dH = env.ptr(b.dH), A = env.ptr(b.A)
  const Gh = env.ptr(b.Gh), S = env.ptr(b.S), Wh = env.ptr(b.Wh), M = b.M ? env.ptr(b.M) : 0
  const sb = 4 * B * H
  return () => {
    for (let t = T - 1; t >= 0; t--) {
      const pass = passes(t, T, truncate)
      const dhp = pass ? dH + (t - 1) * sb : 0
      const dgh = dGh + 3 * t * sb
      K.gru_cell_bwd_f32_simd(dGx + 3 * t * sb, dgh, dhp, A + 3 * t * sb, Gh + 3 * t * sb, S + t * sb, dH + t * sb, M ? M + 4 * t * B : 0, B, H)
      if (pass) K.gemm_nt_f32_simd(dhp, dgh, Wh, B, 3 * H, H, 1, ws)
    }
  }
}
