/**
 * Annealed importance sampling of log Z (Salakhutdinov & Murray 2008, "On the
 * quantitative analysis of deep belief networks", ICML; Neal 2001). The base model has
 * visible biases aA only (`baseBias`, default 0; the paper uses the data's log-odds),
 * so log Z_A = sum_i softplus(aA_i) + nHidden log 2. Particles run from the base model
 * through p_beta(v) ∝ exp((1 - beta) aA.v + beta aB.v) prod_j (1 + exp(beta (b_j + v.W_j))),
 * each transition a Gibbs sweep at beta (the `rbm_bern` kernel with beta and gamma);
 * the log weights accumulate in f64 in Wasm (`rbm_ais`).
 *
 * Gaussian visible units (unit variance): the base model is N(aA, I), log Z_A =
 * nVisible/2 log 2 pi + nHidden log 2, and p_beta(v) ∝ exp(-(1 - beta)|v - aA|^2 / 2 -
 * beta |v - aB|^2 / 2) prod_j (1 + exp(beta (b_j + v.W_j))): the visible conditional is
 * N((1 - beta) aA + beta (aB + W h), I), and the log weights gain (aB - aA).v per unit
 * of beta, as in the Bernoulli case, plus (|aA|^2 - |aB|^2) / 2 over the whole run.
 *
 * The default schedule has the paper's shape: of n inverse temperatures (14,500 in
 * the paper), 1/29 spaced uniformly over [0, 0.5], 8/29 over [0.5, 0.9] and 20/29 over
 * [0.9, 1] (500, 4,000 and 10,000 there).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import { ais, schedule } from './ais'
 * import { exactLogZ } from './measure'
 * import { init } from './Rbm'
 * import { spec } from './spec'
 * const s = spec({ nVisible: 6, nHidden: 4, initStd: 0.5 })
 * assert.ok(E.isRight(s))
 * const st = init(s.right, Key.key(3))
 * assert.ok(E.isRight(st))
 * const est = ais(s.right, st.right.params, { key: Key.key(4), particles: 64, betas: schedule(290) })
 * const exact = exactLogZ(s.right, st.right.params)
 * assert.ok(E.isRight(est) && E.isRight(exact))
 * assert.ok(Math.abs(est.right.logZ - exact.right) < 0.5)
 * assert.strictEqual(schedule(14500).length, 14501) // 0 and then the paper's 14,500 steps
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { foldIn, type Key } from '../core/Key'
import type { ReadonlyFloat32Array } from '../core/Tensor'
import { defaultRuntime } from '../model/runtime'
import * as Ops from '../plan/ops'
import { allocator, runCtx, setting } from '../plan/Program'
import * as R from '../plan/rbmOps'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import { cached } from './program'
import { checkParams, type RbmParams } from './Rbm'
import type { RbmSpec } from './spec'

/** @category model */
export interface AisOptions {
  readonly key: Key
  /** independent runs (default 100, the paper's) */
  readonly particles?: number
  /** inverse temperatures from 0 to 1 (default schedule(14500)) */
  readonly betas?: ReadonlyArray<number>
  /** the base model's visible biases (default 0; the paper uses the data's log-odds) */
  readonly baseBias?: ReadonlyFloat32Array
}

/** @category model */
export interface AisEstimate {
  readonly logZ: number
  readonly logZBase: number
  /** the particles' log importance weights */
  readonly logWeights: ReadonlyArray<number>
  /** effective sample size of the weights, (sum w)^2 / sum w^2 */
  readonly ess: number
}

/**
 * n + 1 inverse temperatures from 0 to 1 in the paper's proportions (1 : 8 : 20 over
 * [0, 0.5], [0.5, 0.9], [0.9, 1]).
 *
 * @category constructors
 * @since 0.1.0
 */
export const schedule = (n: number): ReadonlyArray<number> => {
  const n1 = Math.max(1, Math.round(n / 29)), n2 = Math.max(1, Math.round((8 * n) / 29)), n3 = Math.max(1, n - n1 - n2)
  const seg = (lo: number, hi: number, m: number) => Array.from({ length: m }, (_, i) => lo + ((hi - lo) * (i + 1)) / m)
  return [0, ...seg(0, 0.5, n1), ...seg(0.5, 0.9, n2), ...seg(0.9, 1, n3)]
}

const program = (s: RbmSpec, M: number) => (rt: Runtime) => {
  const V = s.nVisible, H = s.nHidden, al = allocator(), S = M * Math.max(V, H)
  const w = al.buf('W', 'param', V * H), aB = al.buf('a', 'param', V), b = al.buf('b', 'param', H), aA = al.buf('aA', 'param', V)
  const v = al.buf('v', 'act', M * V), vp = al.buf('vp', 'act', M * V), vz = al.buf('vz', 'act', M * V)
  const h = al.buf('h', 'act', M * H), hp = al.buf('hp', 'act', M * H), hs = al.buf('hs', 'act', M * H), logw = al.buf('logw', 'stats', 2 * M)
  const B0 = setting(0, 0), B1 = setting(0, 1), G1 = setting(0, 2)
  const gauss = s.visible === 'gaussian', c = al.buf('c', 'act', V) // c = beta aB + (1 - beta) aA (Gaussian)
  const base = gauss ? R.gauss(vp, v, vz, aA, M, V, 0) : R.bern(vp, v, vz, aA, null, M, V, 1, 0, 0)
  const start = [Ops.fill(vz, M * V, 0), base, Ops.fill(logw, 2 * M, 0)]
  const weigh = [Ops.gemmNN(h, v, w, M, V, H, false), Ops.biasAdd(h, h, b, M, H), R.ais(logw, v, aA, aB, h, M, V, H, B0, B1)]
  const visible = gauss
    ? [Ops.scale(vz, vz, M * V, B1), Ops.scale(c, aB, V, B1), Ops.axpy(c, aA, V, G1), R.gauss(vp, v, vz, c, M, V, S)]
    : [R.bern(vp, v, vz, aB, aA, M, V, B1, G1, S)]
  const move = [R.bern(hp, hs, h, null, null, M, H, B1, 0, 0), Ops.gemmNT(vz, hs, w, M, H, V, false), ...visible]
  const baked = R.bakeOps(al.buffers, start, [...weigh, ...move], rt)
  return E.map((prog: R.Program) => ({ prog, bufs: { w, aB, b, aA, logw }, nWeigh: weigh.length }))(baked)
}

const logMeanExp = (xs: ReadonlyArray<number>): number => {
  const m = Math.max(...xs)
  return m + Math.log(xs.reduce((acc, x) => acc + Math.exp(x - m), 0) / xs.length)
}

const checkOptions = (s: RbmSpec, M: number, betas: ReadonlyArray<number>, base: ReadonlyFloat32Array): E.Either<GradtraceError, void> => {
  if (!Number.isInteger(M) || M < 1) return E.left(invalidArgument('opts.particles', `must be a positive integer, got ${M}`))
  if (betas.length < 2 || betas[0] !== 0 || betas[betas.length - 1] !== 1 || betas.some((b, i) => i > 0 && !(b >= betas[i - 1]!)))
    return E.left(invalidArgument('opts.betas', 'must rise from 0 to 1'))
  return base.length === s.nVisible ? E.right(undefined) : E.left(invalidArgument('opts.baseBias', `must have ${s.nVisible} entries, got ${base.length}`))
}

/**
 * An AIS estimate of log Z; the same key gives the same estimate, bit for bit.
 *
 * @category utils
 * @since 0.1.0
 */
export const ais = (s: RbmSpec, p: RbmParams, opts: AisOptions): E.Either<GradtraceError, AisEstimate> => {
  const M = opts.particles ?? 100, betas = opts.betas ?? schedule(14500), base = opts.baseBias ?? new Float32Array(s.nVisible)
  const ok = E.chain(() => checkOptions(s, M, betas, base))(checkParams(s, p))
  if (E.isLeft(ok)) return ok
  const rt = defaultRuntime()
  if (E.isLeft(rt)) return rt
  const built = cached(rt.right, JSON.stringify(['ais', s.visible, s.nVisible, s.nHidden, M]), () => program(s, M)(rt.right))
  if (E.isLeft(built)) return built
  const { prog, bufs, nWeigh } = built.right, k = rt.right.kernels
  for (const [buf, data] of [[bufs.w, p.W], [bufs.aB, p.a], [bufs.b, p.b], [bufs.aA, base]] as const) W.write(k, prog.ptr(buf), data)
  const ctx = runCtx(1, false, opts.key.k0, opts.key.k1)
  for (const f of prog.check) f(ctx)
  for (let t = 1; t < betas.length; t++) {
    const kt = foldIn(opts.key, t)
    ;[ctx.k0, ctx.k1, ctx.settings] = [kt.k0, kt.k1, [[betas[t - 1]!, betas[t]!, 1 - betas[t]!]]]
    const last = t === betas.length - 1
    prog.main.forEach((f, i) => (i < nWeigh || !last) && f(ctx))
  }
  const logWeights = Array.from(W.readF64(k, prog.ptr(bufs.logw), M))
  const sq = (x: ReadonlyFloat32Array) => Array.from(x).reduce((acc, y) => acc + y * y, 0) / 2
  const [logZBase, shift] =
    s.visible === 'gaussian'
      ? [(s.nVisible / 2) * Math.log(2 * Math.PI) + s.nHidden * Math.LN2, sq(base) - sq(p.a)]
      : [Array.from(base).reduce((acc, x) => acc + Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), 0) + s.nHidden * Math.LN2, 0]
  const lm = logMeanExp(logWeights), l2 = logMeanExp(logWeights.map((x) => 2 * x))
  return E.right({ logZ: logZBase + lm + shift, logZBase, logWeights, ess: M * Math.exp(2 * lm - l2) })
}
