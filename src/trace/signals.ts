/**
 * The signals `diagnose` reads off a trace: which layers carry weights, the
 * norm of dL/dz (or dL/dy, or the weight gradient) at each hidden layer, the
 * first-to-last ratio and the decay in decades per layer or per 10 time steps.
 * Re-exported by ./analysis.ts.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { decadesPer10Steps, log10Slope } from './signals'
 * assert.strictEqual(log10Slope([1, 10, 100]), 1) // one decade per index
 * assert.strictEqual(decadesPer10Steps([1e-3, 1e-2, 1e-1, 1]), -10) // ten decades lost every 10 steps back in time
 *
 * @since 0.1.0
 */
import type { LayerTrace, StepTrace } from './Trace'

/** Which norm to read from a layer: dL/dz (pre-activation), dL/dy (output), or the weight gradient. @category model */
export type Signal = 'gradPre' | 'gradOut' | 'weight'

/**
 * A normalisation layer (`layerNorm`, or any kind whose name ends in "norm"):
 * its parameters rescale, they are not a weight matrix.
 *
 * @category utils
 */
export const isNormalisation = (l: LayerTrace): boolean => /norm$/i.test(l.kind)

/**
 * The feed-forward layers that carry weights, input to output: recurrent
 * layers are read through time instead (`decadesPer10Steps`), normalisation
 * layers are left out.
 *
 * @category utils
 */
export const weightLayers = (t: StepTrace): ReadonlyArray<LayerTrace> =>
  t.layers.filter((l) => l.params.length > 0 && l.time === undefined && !isNormalisation(l))

/**
 * The hidden weight layers: every weight layer but the last, the read-out,
 * whose dL/dz is the loss's own gradient (softmax minus targets) rather than
 * a signal passed down. "Layer 1 / layer 10" of a net with 10 hidden layers
 * counts these, as the calibration (docs/experiments.md) and the demo's tables do.
 *
 * @category utils
 */
export const hiddenLayers = (t: StepTrace): ReadonlyArray<LayerTrace> => weightLayers(t).slice(0, -1)

/** The norm of a signal at a layer (for 'weight': the parameter named W, else the first). @category utils */
export const norm = (l: LayerTrace, s: Signal): number => (s === 'weight' ? ((l.params.find((p) => p.name === 'W') ?? l.params[0])?.grad.l2 ?? NaN) : l[s].l2)

/** Norms of a signal at each hidden weight layer, input to output. @category utils */
export const profile = (t: StepTrace, s: Signal = 'gradPre'): ReadonlyArray<number> => hiddenLayers(t).map((l) => norm(l, s))

/** ||signal at the first hidden layer|| / ||signal at the last hidden layer|| (1 with fewer than two hidden layers). @category utils */
export const firstToLast = (t: StepTrace, s: Signal = 'gradPre'): number => {
  const p = profile(t, s)
  return p.length < 2 ? 1 : p[0]! / p[p.length - 1]!
}

/** Least-squares slope of log10 values against their index (decades per step); NaN with fewer than two finite positive points. @category utils */
export const log10Slope = (values: ReadonlyArray<number>): number => {
  const pts = values.map((v, i) => [i, Math.log10(v)] as const).filter(([, y]) => Number.isFinite(y))
  if (pts.length < 2) return NaN
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length
  const sxx = pts.reduce((s, [x]) => s + (x - mx) ** 2, 0)
  const sxy = pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0)
  return sxy / sxx
}

/** Decades gained per layer going from the output down to the input (negative: the signal shrinks toward the input). @category utils */
export const decadesPerLayer = (t: StepTrace, s: Signal = 'gradPre'): number => {
  const slope = log10Slope(profile(t, s)) // index runs input -> output
  return Number.isNaN(slope) ? NaN : -slope
}

/** Decay of a per-time-step signal, in decades per 10 steps backward in time (negative: it vanishes into the past). @category utils */
export const decadesPer10Steps = (perStep: ReadonlyArray<number>): number => {
  const slope = log10Slope(perStep) // index runs t = 0 .. T-1
  return Number.isNaN(slope) ? NaN : -10 * slope
}
