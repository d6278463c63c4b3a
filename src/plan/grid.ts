/**
 * Ops of the 2-D recurrent layers (#13): the wavefront schedule of an I x J
 * grid, the grid <-> wavefront reorderings, and the scans of the 2-D tanh RNN
 * and of the MD-LSTM. h(i, j) depends on h(i-1, j) and h(i, j-1), so every
 * position of the anti-diagonal d = i + j depends only on diagonal d - 1: a
 * scan runs over the I + J - 1 diagonals, and each step is one GEMM per
 * predecessor and one cell kernel over all the positions of the diagonal
 * (M = positions x batch rows), as a 1-D scan's step is over the batch.
 * Measured against the same scans run one position at a time (M = batch
 * rows; valueAndGrad medians, AMD EPYC, shared load): the MD-LSTM
 * (7 x 7 grid of 4 x 4 blocks, H 16, 4 directions, B 16) 3.8 ms against
 * 5.9 ms; 8 x 8, H 16, B 16 1.05 against 1.21 ms: fewer, taller GEMMs and
 * kernel calls per step; the gap grows with the grid (diagonal length).
 *
 * Layout (per scan direction): positions in wavefront order (diagonal d, then
 * i ascending), each a block of B rows. `S` (P, B, H) the states, `SU` / `SL`
 * (P, B, H) the states of each position's predecessor along i (up) and along
 * j (left), zero at the edge; `C`, `CU`, `CL` the same for the MD-LSTM's
 * cells. The predecessor copies make dL/dWh one GEMM over all positions,
 * as the 1-D scans do, so a 1 x T grid computes what a 1-D scan of T steps
 * computes, bit for bit: the left predecessor is the 1-D recurrence.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { waves } from './grid'
 * // a 2 x 3 grid: diagonals {(0,0)}, {(0,1),(1,0)}, {(0,2),(1,1)}, {(1,2)}
 * const w = waves(2, 3)
 * assert.deepStrictEqual(w.map((d) => d.n), [1, 2, 2, 1])
 * // diagonal 1: (1,0) has its up neighbour (0,0) = position 0; (0,1) has its left neighbour, position 0 too
 * assert.deepStrictEqual([w[1]!.up, w[1]!.left], [{ dst: 2, src: 0, n: 1 }, { dst: 1, src: 0, n: 1 }])
 *
 * @since 0.4.0
 */
import type { Buf, Env, Op } from './Program'

/** Rows [dst, dst + n) of a diagonal read their predecessor from positions [src, src + n) of the previous diagonal. @category model */
export interface Run {
  readonly dst: number
  readonly src: number
  readonly n: number
}

/** One anti-diagonal: its first position, its length and its two runs of predecessors (null: none). @category model */
export interface Wave {
  readonly d: number
  readonly off: number
  readonly n: number
  readonly lo: number
  readonly up: Run | null
  readonly left: Run | null
}

/** The wavefront schedule of an I x J grid. @category utils */
export const waves = (I: number, J: number): ReadonlyArray<Wave> => {
  const out: Wave[] = []
  let off = 0, prevOff = 0, prevLo = 0
  for (let d = 0; d <= I + J - 2; d++) {
    const lo = Math.max(0, d - J + 1), hi = Math.min(I - 1, d), n = hi - lo + 1
    const u0 = Math.max(lo, 1), nu = hi - u0 + 1, nl = Math.min(hi, d - 1) - lo + 1
    const up = nu > 0 ? { dst: off + u0 - lo, src: prevOff + u0 - 1 - prevLo, n: nu } : null
    const left = nl > 0 ? { dst: off, src: prevOff + lo - prevLo, n: nl } : null
    out.push({ d, off, n, lo, up, left })
    prevOff = off
    prevLo = lo
    off += n
  }
  return out
}

/** The grid position (i, j) of each wavefront position, in scan coordinates. @category utils */
export const positions = (I: number, J: number): ReadonlyArray<readonly [number, number]> =>
  waves(I, J).flatMap((w) => Array.from({ length: w.n }, (_, k) => [w.lo + k, w.d - w.lo - k] as const))

/** The block grid and its reading: I x J positions of bi x bj pixels of F features in rows of ldx floats; flip bit 0 reverses i, bit 1 j. @category model */
export interface GridGeom {
  readonly B: number
  readonly I: number
  readonly J: number
  readonly F: number
  readonly bi: number
  readonly bj: number
  readonly ldx: number
  readonly flip: number
}

/** y (P, B, bi*bj*F) (+)= x (B, I*bi, J*bj, ldx) read in wavefront order; offsets in floats. @category ops */
export const gridGather = (y: Buf, yOff: number, x: Buf, xOff: number, g: GridGeom, acc: boolean): Op => (env) => {
  const py = env.ptr(y) + 4 * yOff, px = env.ptr(x) + 4 * xOff, K = env.k, a = acc ? 1 : 0
  return () => K.grid_gather_f32_simd(py, px, g.B, g.I, g.J, g.F, g.bi, g.bj, g.ldx, g.flip, a)
}

/** x (B, I*bi, J*bj, ldx) (+)= y (P, B, bi*bj*F): the gather's adjoint; offsets in floats. @category ops */
export const gridScatter = (x: Buf, xOff: number, y: Buf, yOff: number, g: GridGeom, acc: boolean): Op => (env) => {
  const px = env.ptr(x) + 4 * xOff, py = env.ptr(y) + 4 * yOff, K = env.k, a = acc ? 1 : 0
  return () => K.grid_scatter_f32_simd(px, py, g.B, g.I, g.J, g.F, g.bi, g.bj, g.ldx, g.flip, a)
}

/** Sizes of a scan: the grid, the batch, the units and the gate count (1 for the RNN, 5 for the MD-LSTM). @category model */
export interface ScanDims {
  readonly I: number
  readonly J: number
  readonly B: number
  readonly H: number
  readonly nG: number
}

/** A buffer and where this direction's part of it starts, in floats. @category model */
export interface At {
  readonly buf: Buf
  readonly off: number
}

const at = (env: Env, a: At): number => env.ptr(a.buf) + 4 * a.off

/** The states and their predecessor copies of one direction. @category model */
export interface StateBufs {
  readonly S: At
  readonly SU: At
  readonly SL: At
}

/** Copies the predecessors' rows of diagonal w into the copies U, L of a state buffer X (byte pointers, rb bytes a position). */
const copyPreds = (env: Env, w: Wave, X: number, U: number, L: number, rb: number): void => {
  if (w.up) env.k.copy_f32_simd(U + w.up.dst * rb, X + w.up.src * rb, (w.up.n * rb) / 4)
  if (w.left) env.k.copy_f32_simd(L + w.left.dst * rb, X + w.left.src * rb, (w.left.n * rb) / 4)
}

/** G_w += SL_w W2 (every row: a zero row at the edge, as a 1-D scan's first step) and SU_w W1 (the rows with an up neighbour). */
const recur = (env: Env, w: Wave, dm: ScanDims, G: number, SU: number, SL: number, W1: number, W2: number): void => {
  const { B, H, nG } = dm, K = env.k, rb = 4 * B * H, gb = rb * nG
  K.gemm_nn_f32_simd(G + w.off * gb, SL + w.off * rb, W2, w.n * B, H, nG * H, 1, env.ws)
  if (w.up) K.gemm_nn_f32_simd(G + w.up.dst * gb, SU + w.up.dst * rb, W1, w.up.n * B, H, nG * H, 1, env.ws)
}

/** dH of the predecessors += dG_w W^T, straight into dH (as the 1-D scans do), left then up. */
const recurBwd = (env: Env, w: Wave, dm: ScanDims, dH: number, dG: number, W1: number, W2: number): void => {
  const { B, H, nG } = dm, K = env.k, rb = 4 * B * H, gb = rb * nG
  if (w.left) K.gemm_nt_f32_simd(dH + w.left.src * rb, dG + w.left.dst * gb, W2, w.left.n * B, nG * H, H, 1, env.ws)
  if (w.up) K.gemm_nt_f32_simd(dH + w.up.src * rb, dG + w.up.dst * gb, W1, w.up.n * B, nG * H, H, 1, env.ws)
}

/** 2-D RNN forward: G holds x Wx + b on entry and f(G) after; h = f(G + h(i-1,j) W1 + h(i,j-1) W2). @category ops */
export const rnn2dScan = (dm: ScanDims, s: StateBufs, G: At, W1: Buf, W2: Buf, kind: number): Op => (env) => {
  const ws = waves(dm.I, dm.J), rb = 4 * dm.B * dm.H, P = dm.I * dm.J, K = env.k
  const pS = at(env, s.S), pU = at(env, s.SU), pL = at(env, s.SL), pG = at(env, G), w1 = env.ptr(W1), w2 = env.ptr(W2)
  return () => {
    K.fill_f32_simd(pU, (P * rb) / 4, 0)
    K.fill_f32_simd(pL, (P * rb) / 4, 0)
    for (const w of ws) {
      copyPreds(env, w, pS, pU, pL, rb)
      recur(env, w, dm, pG, pU, pL, w1, w2)
      K.rnn_cell_f32_simd(pS + w.off * rb, pG + w.off * rb, pL + w.off * rb, 0, w.n * dm.B, dm.H, kind)
    }
  }
}

/** 2-D RNN backward over the diagonals from the last: dG = dH f'(a), then dH of the predecessors. @category ops */
export const rnn2dScanBwd = (dm: ScanDims, dG: At, dH: At, G: At, W1: Buf, W2: Buf, kind: number): Op => (env) => {
  const ws = [...waves(dm.I, dm.J)].reverse(), rb = 4 * dm.B * dm.H, K = env.k
  const pdG = at(env, dG), pdH = at(env, dH), pG = at(env, G), w1 = env.ptr(W1), w2 = env.ptr(W2)
  return () => {
    for (const w of ws) {
      K.rnn_cell_bwd_f32_simd(pdG + w.off * rb, 0, pG + w.off * rb, pdH + w.off * rb, 0, w.n * dm.B, dm.H, kind)
      recurBwd(env, w, dm, pdH, pdG, w1, w2)
    }
  }
}

/** The MD-LSTM's buffers of one direction: states, cells (with their predecessor copies), gates A (per diagonal (5, n*B, H)), tanh c. @category model */
export interface MdBufs extends StateBufs {
  readonly C: At
  readonly CU: At
  readonly CL: At
  readonly A: At
  readonly TC: At
  readonly G: At
}

type Nine = [number, number, number, number, number, number, number, number, number]

/** MD-LSTM forward over the diagonals (G holds x Wx + b on entry). @category ops */
export const mdlstmScan = (dm: ScanDims, b: MdBufs, W1: Buf, W2: Buf): Op => (env) => {
  const ws = waves(dm.I, dm.J), rb = 4 * dm.B * dm.H, P = dm.I * dm.J, K = env.k, gb = 5 * rb
  const [S, SU, SL, C, CU, CL, A, TC, G] = [b.S, b.SU, b.SL, b.C, b.CU, b.CL, b.A, b.TC, b.G].map((a) => at(env, a)) as Nine
  const w1 = env.ptr(W1), w2 = env.ptr(W2)
  return () => {
    for (const p of [SU, SL, CU, CL]) K.fill_f32_simd(p, (P * rb) / 4, 0)
    for (const w of ws) {
      copyPreds(env, w, S, SU, SL, rb)
      copyPreds(env, w, C, CU, CL, rb)
      recur(env, w, dm, G, SU, SL, w1, w2)
      const o = w.off * rb
      K.mdlstm_cell_f32_simd(A + w.off * gb, C + o, S + o, TC + o, G + w.off * gb, CU + o, CL + o, w.n * dm.B, dm.H)
    }
  }
}

/** The MD-LSTM's backward buffers of one direction: dC ends as the total dL/dc; dCU, dCL collect what each position sends its predecessors. @category model */
export interface MdBwdBufs {
  readonly dG: At
  readonly dH: At
  readonly dC: At
  readonly dCU: At
  readonly dCL: At
}

/** MD-LSTM backward over the diagonals from the last. @category ops */
export const mdlstmScanBwd = (dm: ScanDims, d: MdBwdBufs, b: MdBufs, W1: Buf, W2: Buf): Op => (env) => {
  const ws = [...waves(dm.I, dm.J)].reverse(), rb = 4 * dm.B * dm.H, K = env.k, gb = 5 * rb
  const [dG, dH, dC, dCU, dCL] = [d.dG, d.dH, d.dC, d.dCU, d.dCL].map((a) => at(env, a)) as [number, number, number, number, number]
  const [CU, CL, A, TC] = [b.CU, b.CL, b.A, b.TC].map((a) => at(env, a)) as [number, number, number, number]
  const w1 = env.ptr(W1), w2 = env.ptr(W2)
  return () => {
    for (const w of ws) {
      const o = w.off * rb
      const dcu = w.up ? dCU + o : 0, dcl = w.left ? dCL + o : 0
      K.mdlstm_cell_bwd_f32_simd(dG + w.off * gb, dC + o, dcu, dcl, A + w.off * gb, CU + o, CL + o, TC + o, dH + o, w.n * dm.B, dm.H)
      if (w.left) K.axpy_f32_simd(dC + w.left.src * rb, dCL + w.left.dst * rb, (w.left.n * rb) / 4, 1)
      if (w.up) K.axpy_f32_simd(dC + w.up.src * rb, dCU + w.up.dst * rb, (w.up.n * rb) / 4, 1)
      recurBwd(env, w, dm, dH, dG, w1, w2)
    }
  }
}
