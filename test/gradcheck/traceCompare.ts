/**
 * A step trace against the float64 reference (traceReference.ts), field by
 * field: for every layer entry gradOut (dL/dy), gradPre (dL/dz), gradIn
 * (dL/dx), the activation mean and std, the saturated and dead fractions, and
 * per parameter the gradient statistics (n, mean, std, l2, rms, maxAbs,
 * nonFinite, zeroFrac), the parameter norm and the update-to-parameter ratio;
 * per time step ||dL/dh_t||, ||dL/dc_t||, ||h_t|| and the gate means; and the
 * global loss, gradNorm and gradNormClipped. Norms are compared to a relative
 * tolerance (f32 kernels against f64); means and standard deviations, which
 * can cancel, against the tensor's rms; counts (saturated units) within the
 * band of values that lie within the tolerance of the threshold.
 */
import { hasDeadUnits, saturationOnOutput, saturationThreshold } from '../../src/layer/activation'
import { type Builtin, flatten, type GradientTransformation } from '../../src/optim/Transform'
import type { StepTrace, TensorStats } from '../../src/trace/Trace'
import { grads, gradSizes, type Node, values } from './tape'
import type { RefRun } from './traceReference'

// statistics -------------------------------------------------------------------

/** The TensorStats of values in float64, as the trace defines them (std over n, zeroFrac of exact zeros). */
export const stats = (x: ArrayLike<number>): TensorStats => {
  const n = x.length
  let sum = 0, sq = 0, mx = 0, zeros = 0
  for (let i = 0; i < n; i++) {
    const v = x[i]!
    sum += v
    sq += v * v
    mx = Math.max(mx, Math.abs(v))
    if (v === 0) zeros++
  }
  const mean = n > 0 ? sum / n : 0
  return { n, mean, std: n > 0 ? Math.sqrt(Math.max(sq / n - mean * mean, 0)) : 0, l2: Math.sqrt(sq), rms: n > 0 ? Math.sqrt(sq / n) : 0, maxAbs: mx, nonFinite: 0, zeroFrac: n > 0 ? zeros / n : 0 }
}

const l2 = (xs: ReadonlyArray<Node>, f: (n: Node) => number): number => Math.sqrt(xs.reduce((s, n) => s + f(n) ** 2, 0))

// comparison -------------------------------------------------------------------

export interface Tolerance {
  /** relative tolerance of norms and their ratios (default 1e-4) */
  readonly rel: number
}

interface Ctx {
  readonly tol: number
  readonly out: string[]
}

const near = (c: Ctx, what: string, got: number, want: number, scale = 0): void => {
  if (!(Math.abs(got - want) <= c.tol * (Math.abs(want) + scale) + 1e-300)) c.out.push(`${what}: trace ${got} vs f64 ${want} (rel ${(Math.abs(got - want) / Math.max(Math.abs(want), 1e-300)).toExponential(2)})`)
}

/**
 * Statistics of a gradient against the f64 values `want`; `size` holds the statistics of the
 * sizes of the terms each element sums (ga, tape.ts): an element that is a small remainder of
 * cancelling terms carries f32 rounding of the terms' size, so each norm is allowed tol of its
 * value plus tol of the same norm of the sizes.
 */
const sameStats = (c: Ctx, what: string, got: TensorStats, want: TensorStats, size: TensorStats = want, zeros?: readonly [number, number]): void => {
  if (got.n !== want.n) c.out.push(`${what}.n: trace ${got.n} vs f64 ${want.n}`)
  if (got.nonFinite !== 0) c.out.push(`${what}.nonFinite: ${got.nonFinite}`)
  near(c, `${what}.l2`, got.l2, want.l2, size.l2)
  near(c, `${what}.rms`, got.rms, want.rms, size.rms)
  near(c, `${what}.maxAbs`, got.maxAbs, want.maxAbs, size.maxAbs)
  near(c, `${what}.mean`, got.mean, want.mean, want.rms + size.rms)
  // std = sqrt(E x^2 - mean^2) cancels when the spread is small: compare the variance against rms^2
  near(c, `${what}.std^2`, got.std ** 2, want.std ** 2, want.rms ** 2 + size.rms ** 2)
  const [lo, hi] = zeros ?? [want.zeroFrac * want.n, want.zeroFrac * want.n]
  if (!(got.zeroFrac * want.n >= lo - 1e-9 && got.zeroFrac * want.n <= hi + 1e-9)) c.out.push(`${what}.zeroFrac: trace ${got.zeroFrac} vs f64 band [${lo / want.n}, ${hi / want.n}]`)
}

/**
 * A gradient's statistics. Exact zeros: an element below 1e-6 of the tensor's largest may come out
 * as 0 in f32 (tanh(z) rounds to 1 beyond |z| = 9: f' = 0), and an f64 zero through a derivative
 * that only underflowed (gelu far below 0) may not; zeros with nothing flowing (ga = 0: ReLU, masks,
 * truncation) must be zeros.
 */
const gradOf = (c: Ctx, what: string, got: TensorStats, nodes: ReadonlyArray<Node>): void => {
  const tiny = 1e-6 * nodes.reduce((m, n) => Math.max(m, Math.abs(n.g)), 0)
  const zeros = [nodes.filter((n) => n.g === 0 && n.ga === 0).length, nodes.filter((n) => Math.abs(n.g) <= tiny).length] as const
  sameStats(c, what, got, stats(grads(nodes)), stats(gradSizes(nodes)), zeros)
}

/** A fraction of units beyond a threshold: the trace's count must lie in the f64 band [count beyond thr (1 + tol), count beyond thr (1 - tol)]. */
const fractionIn = (c: Ctx, what: string, got: number | null, xs: ArrayLike<number>, thr: number): void => {
  let lo = 0, hi = 0
  for (let i = 0; i < xs.length; i++) {
    const a = Math.abs(xs[i]!)
    if (a > thr * (1 + c.tol)) lo++
    if (a > thr * (1 - c.tol)) hi++
  }
  const n = xs.length
  if (got === null || !(got * n >= lo - 1e-9 && got * n <= hi + 1e-9)) c.out.push(`${what}: trace ${got} vs f64 band [${lo / n}, ${hi / n}]`)
}

/** The reference update of each parameter for a training step (f64), given the f32 state the step starts from. */
export interface RefUpdate {
  readonly u: ReadonlyArray<Float64Array>
  /** the global norm after clipping */
  readonly clippedNorm: number
}

/** SGD, Adam / AdamW (PyTorch's form, exact b1 and b2) and clipByGlobalNorm, chained, in f64. `state` holds each transformation's slots per parameter. */
export const refUpdate = (opt: GradientTransformation, p: ReadonlyArray<Float64Array>, g: ReadonlyArray<Float64Array>, state: ReadonlyArray<ReadonlyArray<Float64Array>>, step: number): RefUpdate => {
  const items = flatten(opt) as ReadonlyArray<Builtin>
  let u = g.map((x) => Float64Array.from(x))
  let norm = Math.sqrt(u.reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0))
  let slot = 0
  for (const x of items) {
    if (x.kind === 'clipByGlobalNorm') {
      if (norm > x.max) {
        u = u.map((a) => a.map((v) => (v * x.max) / norm))
        norm = x.max
      }
    } else if (x.kind === 'sgd' && typeof x.lr === 'number') {
      const lr = x.lr
      u = u.map((a) => a.map((v) => -lr * v))
    } else if (x.kind === 'adam' && typeof x.lr === 'number') {
      const { b1, b2, eps, wd } = x, lr = x.lr
      const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step
      u = u.map((a, i) => {
        const [m0, v0] = [state[i]![slot]!, state[i]![slot + 1]!]
        return a.map((gj, j) => {
          const m = b1 * m0[j]! + (1 - b1) * gj, v = b2 * v0[j]! + (1 - b2) * gj * gj
          return -lr * wd * p[i]![j]! - (lr / bc1) * (m / (Math.sqrt(v) / Math.sqrt(bc2) + eps))
        })
      })
      slot += 2
    } else throw new Error(`refUpdate: ${x.kind} (with this schedule) is not in the reference`)
  }
  return { u, clippedNorm: norm }
}

/** Every failure of a trace against the reference, as readable lines (empty: it matches). */
export const compareTrace = (got: StepTrace, ref: RefRun, o: { readonly tol?: number; readonly update?: RefUpdate } = {}): ReadonlyArray<string> => {
  const c: Ctx = { tol: o.tol ?? 1e-4, out: [] }
  // a loss near 0 is a difference (lse - z): 1e-6 absolute, as the gradient checks allow
  near(c, 'loss', got.loss, ref.loss, 1e-2)
  const gnorm = Math.sqrt(ref.params.reduce((s, p) => s + p.nodes.reduce((a, n) => a + n.g * n.g, 0), 0))
  const gsize = Math.sqrt(ref.params.reduce((s, p) => s + p.nodes.reduce((a, n) => a + n.ga * n.ga, 0), 0))
  near(c, 'gradNorm', got.gradNorm, gnorm, gsize)
  near(c, 'gradNormClipped', got.gradNormClipped, o.update ? o.update.clippedNorm : gnorm, o.update ? o.update.clippedNorm * (gsize / Math.max(gnorm, 1e-300)) : gsize)
  if (got.layers.map((l) => `${l.path}:${l.kind}`).join() !== ref.probes.map((p) => `${p.path}:${p.kind}`).join())
    return [...c.out, `layers: trace ${got.layers.map((l) => l.path).join()} vs f64 ${ref.probes.map((p) => p.path).join()}`]
  got.layers.forEach((l, k) => {
    const r = ref.probes[k]!
    const at = (f: string) => `${l.path} ${f}`
    gradOf(c, at('gradOut'), l.gradOut, r.out)
    gradOf(c, at('gradPre'), l.gradPre, r.pre ?? r.out)
    if ((l.gradIn === null) !== (r.input === null)) c.out.push(`${at('gradIn')}: trace ${l.gradIn === null ? 'null' : 'present'} vs f64 ${r.input === null ? 'null' : 'present'}`)
    else if (l.gradIn && r.input) gradOf(c, at('gradIn'), l.gradIn, r.input)
    const y = stats(values(r.act ? r.act.y : r.out))
    near(c, at('act.mean'), l.act!.mean, y.mean, y.rms)
    near(c, at('act.std^2'), l.act!.std ** 2, y.std ** 2, y.rms ** 2)
    const fn = r.act?.fn
    const onY = fn ? saturationOnOutput(fn) : null, onZ = fn ? saturationThreshold(fn) : null
    if (r.act && onY !== null) fractionIn(c, at('act.saturated'), l.act!.saturated, values(r.act.y), onY)
    else if (r.act && onZ !== null) fractionIn(c, at('act.saturated'), l.act!.saturated, values(r.act.z), onZ)
    else if (l.act!.saturated !== null) c.out.push(`${at('act.saturated')}: trace ${l.act!.saturated} vs f64 null`)
    if (fn && hasDeadUnits(fn)) near(c, at('act.dead'), l.act!.dead ?? NaN, y.zeroFrac)
    else if (l.act!.dead !== null) c.out.push(`${at('act.dead')}: trace ${l.act!.dead} vs f64 null`)
    if (l.params.map((p) => p.name).join() !== r.params.map((p) => p.name).join()) c.out.push(`${at('params')}: ${l.params.map((p) => p.name)} vs ${r.params.map((p) => p.name)}`)
    else
      l.params.forEach((p, i) => {
        const rp = r.params[i]!
        const norm = l2(rp.nodes, (n) => n.v)
        gradOf(c, at(`${p.name}.grad`), p.grad, rp.nodes)
        near(c, at(`${p.name}.norm`), p.norm, norm)
        const ui = o.update ? o.update.u[ref.params.findIndex((q) => q.nodes === rp.nodes)] : undefined
        if (ui === undefined) {
          if (p.updateRatio !== null) c.out.push(`${at(`${p.name}.updateRatio`)}: trace ${p.updateRatio} vs f64 null`)
        } else {
          const want = Math.sqrt(ui.reduce((s, v) => s + v * v, 0)) / (norm > 0 ? norm : 1)
          // as inexact as the gradient it comes from: tol (1 + ||ga|| / ||g||) relative
          const cond = l2(rp.nodes, (n) => n.ga) / Math.max(l2(rp.nodes, (n) => n.g), 1e-300)
          near(c, at(`${p.name}.updateRatio`), p.updateRatio ?? NaN, want, want * Math.min(cond, 1e4))
        }
      })
    if ((l.time === undefined) !== (r.time === null)) c.out.push(`${at('time')}: trace ${l.time ? 'present' : 'absent'} vs f64 ${r.time ? 'present' : 'absent'}`)
    else if (l.time && r.time) {
      const tm = r.time, lt = l.time
      const series = (f: string, got: ReadonlyArray<number> | undefined, want: ReadonlyArray<number>, scale: (t: number) => number = () => 0) => {
        if (!got || got.length !== want.length) c.out.push(`${at(f)}: trace length ${got?.length} vs f64 ${want.length}`)
        else want.forEach((w, t) => near(c, at(`${f}[${t}]`), got[t]!, w, scale(t)))
      }
      series('gradH', lt.gradH, tm.h.map((h) => l2(h, (n) => n.g)), (t) => l2(tm.h[t]!, (n) => n.ga))
      series('stateNorm', lt.stateNorm, tm.h.map((h) => l2(h, (n) => n.v)))
      if (tm.c) {
        const cs = tm.c
        series('gradC', lt.gradC, cs.map((cc) => l2(cc, (n) => n.g)), (t) => l2(cs[t]!, (n) => n.ga))
      } else if (lt.gradC !== undefined) c.out.push(`${at('gradC')}: present in the trace, not in f64`)
      const names = Object.keys(lt.gates ?? {})
      if (names.join() !== tm.gates.map((g) => g.name).join()) c.out.push(`${at('gates')}: trace ${names} vs f64 ${tm.gates.map((g) => g.name)}`)
      else tm.gates.forEach((g) => series(`gates.${g.name}`, lt.gates![g.name], g.a.map((a) => stats(values(a)).mean), (t) => stats(values(g.a[t]!)).rms))
    }
  })
  return c.out
}
