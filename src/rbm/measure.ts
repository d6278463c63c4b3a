/**
 * What an RBM user measures beyond the step's trace (Hinton 2010, section 6;
 * Salakhutdinov & Murray 2008): mean free energies, and the overfitting gap between
 * training data and held-out data; the stochastic pseudo-log-likelihood; the exact
 * log partition function of RBMs with up to MAX_EXACT_HIDDEN hidden units, by
 * enumerating the hidden layer in Wasm, and with it the exact mean log-likelihood.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import { exactLogZ, freeEnergy, logLikelihood } from './measure'
 * import { init } from './Rbm'
 * import { spec } from './spec'
 * const s = spec({ nVisible: 3, nHidden: 2, initStd: 0 })
 * assert.ok(E.isRight(s))
 * const st = init(s.right, Key.key(0)) // all parameters 0: every one of the 2^5 joint states has weight 1
 * assert.ok(E.isRight(st))
 * assert.deepStrictEqual(E.map((z: number) => Math.abs(z - 5 * Math.log(2)) < 1e-9)(exactLogZ(s.right, st.right.params)), E.right(true))
 * const data = { shape: [1, 3], data: new Float32Array([1, 0, 1]) }
 * assert.ok(E.isRight(freeEnergy(s.right, st.right.params, data)))
 * const ll = logLikelihood(s.right, st.right.params, data) // uniform over 8 visible vectors
 * assert.ok(E.isRight(ll) && Math.abs(ll.right - Math.log(1 / 8)) < 1e-6)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../core/Error'
import type { Key } from '../core/Key'
import type { Tensor } from '../core/Tensor'
import { defaultRuntime } from '../model/runtime'
import * as Ops from '../plan/ops'
import { allocator, type Buf, runCtx } from '../plan/Program'
import * as R from '../plan/rbmOps'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import { cached } from './program'
import { checkParams, type RbmParams } from './Rbm'
import type { RbmSpec } from './spec'

/** The largest hidden layer `exactLogZ` enumerates (2^24 configurations). @category model */
export const MAX_EXACT_HIDDEN = 24

interface Eval {
  readonly prog: R.Program
  readonly sink: Float64Array
  readonly bufs: Readonly<Record<string, Buf>>
}

const withProgram = (name: string, s: RbmSpec, rows: number, build: (rt: Runtime) => E.Either<GradtraceError, Eval>): E.Either<GradtraceError, Eval> => {
  const rt = defaultRuntime()
  return E.isLeft(rt) ? rt : cached(rt.right, JSON.stringify([name, s.visible, s.nVisible, s.nHidden, rows]), () => build(rt.right))
}

/** A program on (rows) visible vectors: W, a, b, v in; per-row free energies of v (and, for PLL, of v with one bit flipped) out. */
const energies = (s: RbmSpec, rows: number, flipped: boolean) => (rt: Runtime): E.Either<GradtraceError, Eval> => {
  const V = s.nVisible, H = s.nHidden, al = allocator(), g = s.visible === 'gaussian', sink = new Float64Array(2)
  const w = al.buf('W', 'param', V * H), a = al.buf('a', 'param', V), b = al.buf('b', 'param', H), v = al.buf('v', 'input', rows * V)
  const vf = al.buf('vf', 'act', rows * V), h = al.buf('h', 'act', rows * H), f = al.buf('f', 'act', rows), ff = al.buf('ff', 'act', rows)
  const fe = (x: Buf, out: Buf, slot: number) => [
    Ops.gemmNN(h, x, w, rows, V, H, false),
    Ops.biasAdd(h, h, b, rows, H),
    R.freeEnergy(sink, slot, out, x, a, h, rows, V, H, g),
  ]
  const main = [...fe(v, f, 0), ...(flipped ? [R.flip(vf, v, rows, V, 0), ...fe(vf, ff, 1)] : [])]
  return E.map((prog: R.Program) => ({ prog, sink, bufs: { w, a, b, v, f, ff } }))(R.bakeOps(al.buffers, [], main, rt))
}

const checkData = (s: RbmSpec, p: RbmParams, x: Tensor): E.Either<GradtraceError, number> => {
  const rows = x.shape[0] ?? 0
  if (x.shape.length !== 2 || x.shape[1] !== s.nVisible || rows < 1) return E.left(shapeMismatch('data', [-1, s.nVisible], x.shape))
  return E.map(() => rows)(checkParams(s, p))
}

const run = (e: Eval, p: RbmParams, x: Tensor | null, key?: Key): void => {
  const k = e.prog.runtime.kernels, ptr = e.prog.ptr, { w, a, b, v } = e.bufs
  for (const [buf, data] of [[w!, p.W], [a!, p.a], [b!, p.b]] as const) W.write(k, ptr(buf), data)
  if (x) W.write(k, ptr(v!), x.data)
  const ctx = runCtx(1, false, key?.k0, key?.k1)
  for (const f of e.prog.main) f(ctx)
}

/**
 * The mean free energy F(v) of the rows of `data`.
 *
 * @category utils
 * @since 0.1.0
 */
export const freeEnergy = (s: RbmSpec, p: RbmParams, data: Tensor): E.Either<GradtraceError, number> =>
  E.chain((rows: number) =>
    E.map((e: Eval) => {
      run(e, p, data)
      return e.sink[0]! / rows
    })(withProgram('fe', s, rows, energies(s, rows, false))),
  )(checkData(s, p, data))

/**
 * The overfitting gap of Hinton's guide (section 6): mean free energy of held-out data
 * minus that of training data (use as many training rows as held-out ones). It grows
 * when the model starts to overfit.
 *
 * @category utils
 * @since 0.1.0
 */
export const freeEnergyGap = (s: RbmSpec, p: RbmParams, train: Tensor, heldOut: Tensor): E.Either<GradtraceError, number> =>
  E.chain((t: number) => E.map((h: number) => h - t)(freeEnergy(s, p, heldOut)))(freeEnergy(s, p, train))

/**
 * The stochastic pseudo-log-likelihood of binary data, mean over rows: nVisible log
 * sigmoid(F(v~) - F(v)), v~ being v with one unit, drawn with `key`, flipped.
 *
 * @category utils
 * @since 0.1.0
 */
export const pseudoLogLikelihood = (s: RbmSpec, p: RbmParams, data: Tensor, key: Key): E.Either<GradtraceError, number> => {
  if (s.visible !== 'bernoulli') return E.left(invalidArgument('rbm.visible', 'the pseudo-log-likelihood is for Bernoulli visible units'))
  return E.chain((rows: number) =>
    E.map((e: Eval) => {
      run(e, p, data, key)
      const k = e.prog.runtime.kernels, f = W.read(k, e.prog.ptr(e.bufs.f!), rows), ff = W.read(k, e.prog.ptr(e.bufs.ff!), rows)
      // log sigmoid(d) = -softplus(-d); one term per row, not per element
      const sum = f.reduce((acc, fi, r) => {
        const d = ff[r]! - fi
        return acc - (Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d))))
      }, 0)
      return (s.nVisible * sum) / rows
    })(withProgram('pll', s, rows, energies(s, rows, true))),
  )(checkData(s, p, data))
}

const logZProgram = (s: RbmSpec) => (rt: Runtime): E.Either<GradtraceError, Eval> => {
  const V = s.nVisible, H = s.nHidden, al = allocator(), sink = new Float64Array(1)
  const w = al.buf('W', 'param', V * H), a = al.buf('a', 'param', V), b = al.buf('b', 'param', H), work = al.buf('work', 'scratch', 2 * V)
  const main = [R.logZ(sink, 0, work, w, a, b, V, H, s.visible === 'gaussian')]
  return E.map((prog: R.Program) => ({ prog, sink, bufs: { w, a, b } }))(R.bakeOps(al.buffers, [], main, rt))
}

/**
 * The exact log Z, summing over the 2^nHidden hidden configurations (nHidden at most
 * MAX_EXACT_HIDDEN; cost 2^nHidden nVisible).
 *
 * @category utils
 * @since 0.1.0
 */
export const exactLogZ = (s: RbmSpec, p: RbmParams): E.Either<GradtraceError, number> => {
  const why = `exact log Z enumerates 2^nHidden states: at most ${MAX_EXACT_HIDDEN} hidden units (use ais)`
  if (s.nHidden > MAX_EXACT_HIDDEN) return E.left(invalidArgument('rbm.nHidden', why))
  return E.chain(() =>
    E.map((e: Eval) => {
      run(e, p, null)
      return e.sink[0]!
    })(withProgram('logz', s, 0, logZProgram(s))),
  )(checkParams(s, p))
}

/**
 * The mean log-likelihood of the rows of `data`, -F(v) - log Z, given log Z (exact by
 * default; pass an AIS estimate for large RBMs). For Gaussian visible units it is a
 * log density.
 *
 * @category utils
 * @since 0.1.0
 */
export const logLikelihood = (s: RbmSpec, p: RbmParams, data: Tensor, logZ?: number): E.Either<GradtraceError, number> =>
  E.chain((z: number) => E.map((f: number) => -f - z)(freeEnergy(s, p, data)))(logZ === undefined ? exactLogZ(s, p) : E.right(logZ))
