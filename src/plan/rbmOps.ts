/**
 * RBM ops (#11): the RBM kernels as `Op`s over symbolic buffers, and `bakeOps`, which
 * lays a list of ops out on a runtime the way `bake` lays out a plan (from the heap
 * base, memory grown first, pointers captured in thunks). An RBM step or measurement
 * is such a program: built once per shape (src/rbm), run many times, everything copied
 * in and out on each call. Kernels that return a number write it into a `sink` slot.
 * Samples take the call's key (`RunCtx.k0, k1`) and a fixed counter base, so two ops
 * never draw the same numbers.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadSync } from '../wasm/Runtime'
 * import * as W from '../wasm/Workspace'
 * import { allocator, runCtx } from './Program'
 * import * as R from './rbmOps'
 * const alloc = allocator()
 * const z = alloc.buf('z', 'input', 4), p = alloc.buf('p', 'act', 4)
 * const rt = loadSync()
 * assert.ok(E.isRight(rt))
 * const prog = R.bakeOps(alloc.buffers, [], [R.bern(p, null, z, null, null, 1, 4, 1, 0, 0)], rt.right)
 * assert.ok(E.isRight(prog))
 * W.write(rt.right.kernels, prog.right.ptr(z), new Float32Array([0, 0, 100, -20]))
 * for (const f of prog.right.main) f(runCtx(1, true))
 * const p4 = W.read(rt.right.kernels, prog.right.ptr(p), 4) // sigmoid
 * assert.ok(p4[0] === 0.5 && p4[1] === 0.5 && p4[2] === 1 && Math.abs(p4[3]! - 2.06e-9) < 1e-11)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import type { Thunk } from './bake'
import { type Buf, type Env, type Op, read, type Scalar } from './Program'

/** A list of ops laid out on a runtime. @category model */
export interface Program {
  readonly runtime: Runtime
  readonly ptr: (b: Buf) => number
  /** runs first (input checks) */
  readonly check: ReadonlyArray<Thunk>
  readonly main: ReadonlyArray<Thunk>
}

/** Lays `buffers` out from the runtime's heap base and bakes the ops. @category constructors */
export const bakeOps = (
  buffers: ReadonlyArray<Buf>,
  check: ReadonlyArray<Op>,
  main: ReadonlyArray<Op>,
  runtime: Runtime,
): E.Either<GradtraceError, Program> => {
  const k = runtime.kernels
  const lay = W.layout(buffers, k.heap_base(), k.gemm_ws_bytes())
  if (E.isLeft(lay)) return lay
  const grown = W.ensure(k, lay.right.end)
  if (E.isLeft(grown)) return grown
  const L = lay.right
  const ptr = (b: Buf): number => L.ptr[b.id] ?? 0
  const env: Env = { k, ptr, ws: L.ws, region: (r) => L.regions[r] }
  return E.right({ runtime, ptr, check: check.map((op) => op(env)), main: main.map((op) => op(env)) })
}

const at = (env: Env, b: Buf | null): number => (b === null ? 0 : env.ptr(b))

/** p = sigmoid(beta (z + b) + gamma c), s = Bernoulli(p) from the call's key at counters ctr + i (s null: no sample). @category ops */
export const bern =
  (p: Buf, s: Buf | null, z: Buf, b: Buf | null, c: Buf | null, rows: number, cols: number, beta: Scalar, gamma: Scalar, ctr: number): Op =>
  (env) => {
  const pp = env.ptr(p), ps = at(env, s), pz = env.ptr(z), pb = at(env, b), pc = at(env, c), K = env.k, rb = read(beta), rg = read(gamma)
  return (ctx) => K.rbm_bern_f32_simd(pp, ps, pz, pb, pc, rows, cols, rb(ctx), rg(ctx), ctx.k0, ctx.k1, ctr)
}
/** m = z + b, s = m + N(0, 1) from the call's key at counters ctr + i (s null: no sample). @category ops */
export const gauss = (m: Buf, s: Buf | null, z: Buf, b: Buf | null, rows: number, cols: number, ctr: number): Op => (env) => {
  const pm = env.ptr(m), ps = at(env, s), pz = env.ptr(z), pb = at(env, b), K = env.k
  return (ctx) => K.rbm_gauss_f32_simd(pm, ps, pz, pb, rows, cols, ctx.k0, ctx.k1, ctr)
}
/** sink[slot] = sum of free energies of the rows of v, given h = v W + b; per row into out unless null. @category ops */
export const freeEnergy =
  (sink: Float64Array, slot: number, out: Buf | null, v: Buf, a: Buf, h: Buf, rows: number, nv: number, nh: number, gaussian: boolean): Op =>
  (env) => {
  const po = at(env, out), pv = env.ptr(v), pa = env.ptr(a), ph = env.ptr(h), K = env.k, g = gaussian ? 1 : 0
  return () => {
    sink[slot] = K.rbm_free_energy_f32_simd(po, pv, pa, ph, rows, nv, nh, g)
  }
}
/** g = (neg - pos) inv + decay w (w null: no decay). @category ops */
export const grad = (g: Buf, pos: Buf, neg: Buf, w: Buf | null, n: number, inv: number, decay: Scalar): Op => (env) => {
  const pg = env.ptr(g), pp = env.ptr(pos), pn = env.ptr(neg), pw = at(env, w), K = env.k, rd = read(decay)
  return (ctx) => K.rbm_grad_f32_simd(pg, pp, pn, pw, n, inv, pw === 0 ? 0 : rd(ctx))
}
/** AIS: logw (f64 rows) += the log-weight increment from beta0 to beta1. @category ops */
export const ais =
  (logw: Buf, v: Buf, aA: Buf, aB: Buf, h: Buf, rows: number, nv: number, nh: number, beta0: Scalar, beta1: Scalar): Op =>
  (env) => {
  const pl = env.ptr(logw), pv = env.ptr(v), pA = env.ptr(aA), pB = env.ptr(aB), ph = env.ptr(h), K = env.k, r0 = read(beta0), r1 = read(beta1)
  return (ctx) => K.rbm_ais_f32_simd(pl, pv, pA, pB, ph, rows, nv, nh, r0(ctx), r1(ctx))
}
/** sink[slot] = exact log Z by enumerating the hidden layer (work: 2 nv floats). @category ops */
export const logZ = (sink: Float64Array, slot: number, work: Buf, w: Buf, a: Buf, b: Buf, nv: number, nh: number, gaussian: boolean): Op => (env) => {
  const pk = env.ptr(work), pw = env.ptr(w), pa = env.ptr(a), pb = env.ptr(b), K = env.k, g = gaussian ? 1 : 0
  return () => {
    sink[slot] = K.rbm_log_z_f32_scalar(pk, pw, pa, pb, nv, nh, g)
  }
}
/** y = x with one unit of each row flipped, chosen by the call's key at counter ctr + row. @category ops */
export const flip = (y: Buf, x: Buf, rows: number, cols: number, ctr: number): Op => (env) => {
  const py = env.ptr(y), px = env.ptr(x), K = env.k
  return (ctx) => K.rbm_flip_f32_scalar(py, px, rows, cols, ctx.k0, ctx.k1, ctr)
}
/** out (f64, bins) = counts of x over [0, 1]. @category ops */
export const hist = (out: Buf, x: Buf, n: number, bins: number): Op => (env) => {
  const po = env.ptr(out), px = env.ptr(x), K = env.k
  return () => {
    K.fill_f32_simd(po, 2 * bins, 0)
    K.rbm_hist_f32_scalar(po, px, n, bins)
  }
}
/** out(C) = column sums of x(R, C) (overwriting). @category ops */
export const colSum = (out: Buf, x: Buf, rows: number, cols: number): Op => (env) => {
  const po = env.ptr(out), px = env.ptr(x), K = env.k
  return () => K.col_sum_f32_simd(po, px, rows, cols, 0)
}
/** sink[slot] = sum (y - t)^2 (scratch receives the gradient the kernel writes). @category ops */
export const sumSq = (sink: Float64Array, slot: number, scratch: Buf, y: Buf, t: Buf, n: number): Op => (env) => {
  const ps = env.ptr(scratch), py = env.ptr(y), pt = env.ptr(t), K = env.k
  return () => {
    sink[slot] = K.mse_f32_simd(ps, py, pt, n, 0)
  }
}
