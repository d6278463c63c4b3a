/**
 * Reading traces: how much of the error signal reaches the first layer
 * (first-to-last ratio), how fast it decays with depth (decades per layer, a
 * least-squares slope of log10 norms), and `diagnose`, which turns traces into
 * findings — vanishing, exploding, saturation, dead units, non-finite values —
 * each with its evidence and a remedy.
 *
 * @example
 * import { firstToLast, decadesPerLayer, diagnose } from './analysis'
 * // firstToLast(trace) -> 2e-8 for a 10-layer sigmoid net with the classic init
 * // diagnose([trace])[0].title -> 'Vanishing gradients'
 *
 * @since 0.1.0
 */
import type { LayerTrace, StepTrace } from './Trace'

/** Which norm to read from a layer: dL/dz (pre-activation), dL/dy (output), or the weight gradient. @category model */
export type Signal = 'gradPre' | 'gradOut' | 'weight'

/** A normalisation layer (`layerNorm`, or any kind whose name ends in "norm"): its parameters rescale, they are not a weight matrix. @category utils */
export const isNormalisation = (l: LayerTrace): boolean => /norm$/i.test(l.kind)

/** The feed-forward layers that carry weights, input to output: recurrent layers are read through time instead (`decadesPer10Steps`), normalisation layers are left out. @category utils */
export const weightLayers = (t: StepTrace): ReadonlyArray<LayerTrace> => t.layers.filter((l) => l.params.length > 0 && l.time === undefined && !isNormalisation(l))

/**
 * The hidden weight layers: every weight layer but the last, the read-out,
 * whose dL/dz is the loss's own gradient (softmax minus targets) rather than
 * a signal passed down. "Layer 1 / layer 10" of a net with 10 hidden layers
 * counts these, as the calibration of LITERATURE.md §0.2 and the demo's tables do.
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

/** A finding of `diagnose`. @category model */
export interface Finding {
  readonly kind: 'vanishing' | 'exploding' | 'saturation' | 'dead' | 'nonFinite' | 'healthy'
  readonly severity: 'info' | 'warn' | 'error'
  readonly title: string
  readonly evidence: string
  readonly remedy: string
  readonly layers: ReadonlyArray<string>
}

/** Thresholds of `diagnose` (documented defaults). @category model */
export interface DiagnoseOptions {
  /** first-to-last ratio below which gradients vanish (default 1e-3: three decades) */
  readonly vanishing?: number
  /** first-to-last ratio above which they explode (default 1e3) */
  readonly exploding?: number
  /** saturated fraction above which a layer is flagged (default 0.5) */
  readonly saturated?: number
  /** dead fraction above which a ReLU layer is flagged (default 0.8; about 0.5 is normal, and single layers of a deep net reach 0.6 by chance at init) */
  readonly dead?: number
}

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(Math.log10(Math.abs(x))) >= 3 ? x.toExponential(1) : x.toPrecision(2))

/** The middle value; for an even count the mean of the two middle ones, geometric for ratios (they span decades), as the depth sweep takes its medians over seeds. */
const median = (xs: ReadonlyArray<number>, geometric = false): number => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  if (s.length % 2 === 1) return s[m]!
  return geometric ? Math.sqrt(s[m - 1]! * s[m]!) : (s[m - 1]! + s[m]!) / 2
}

/** What the network already has, so that no remedy recommends it. */
interface Has {
  readonly normalisation: ReadonlyArray<string>
  readonly residual: boolean
}

const hasOf = (t: StepTrace): Has => ({
  normalisation: [...new Set(t.layers.filter(isNormalisation).map((l) => l.kind))],
  residual: t.layers.some((l) => l.kind === 'residual'),
})

const orList = (xs: ReadonlyArray<string>): string => (xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`)

const depthRemedy = (has: Has): string => {
  const options = [
    'use ReLU-family activations with He initialisation (or tanh with Glorot/orthogonal)',
    ...(has.residual ? [] : ['add residual connections']),
    ...(has.normalisation.length > 0 ? [] : ['add normalisation (layerNorm) before the activations']),
    'pretrain layer-wise',
  ]
  const note = has.normalisation.length > 0 ? ` (the net already normalises with ${has.normalisation.join(', ')}: that keeps the pre-activations at unit scale but cannot stop each activation's derivative from shrinking the signal)` : ''
  return orList(options) + note
}

const timeRemedy = (kind: string): string =>
  /lstm/i.test(kind)
    ? 'start the forget gate open (forget-gate bias 1 or more), clip gradients by global norm, or train longer: the gates learn to carry the signal'
    : /gru/i.test(kind)
      ? 'clip gradients by global norm and train longer (the update gate learns to carry the signal), or try an LSTM with a forget-gate bias of 1'
      : 'use a gated cell (LSTM with a forget-gate bias of 1, or GRU), or an identity-initialised ReLU RNN (IRNN) with clipping'

const nonFiniteFindings = (traces: ReadonlyArray<StepTrace>): ReadonlyArray<Finding> => {
  const bad = traces.reduce((s, t) => s + t.nonFinite, 0)
  const first = traces.find((t) => t.nonFinite > 0)
  return bad > 0 && first
    ? [{ kind: 'nonFinite', severity: 'error', title: 'Non-finite values', evidence: `${bad} non-finite value(s) in loss or gradients, first at step ${first.step} (gradient norm ${fmt(first.gradNorm)})`, remedy: 'clip gradients by global norm (clipByGlobalNorm), lower the learning rate, or use an initialisation that keeps signals at unit scale', layers: [] }]
    : []
}

const timeFindings = (last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> =>
  last.layers.flatMap((l): ReadonlyArray<Finding> => {
    const gh = l.time?.gradH
    if (!gh || gh.length < 2) return []
    const r = gh[0]! / gh[gh.length - 1]!
    const d = decadesPer10Steps(gh)
    if (r < (o.vanishing ?? 1e-3))
      return [{ kind: 'vanishing', severity: 'error', title: 'Vanishing gradients through time', evidence: `${l.path}: the first of ${gh.length} steps receives ${fmt(r)} of the error signal dL/dh of the last (${fmt(d)} decades per 10 steps)`, remedy: timeRemedy(l.kind), layers: [l.path] }]
    if (r > (o.exploding ?? 1e3))
      return [{ kind: 'exploding', severity: 'error', title: 'Exploding gradients through time', evidence: `${l.path}: the first of ${gh.length} steps receives ${fmt(r)} times the error signal dL/dh of the last (+${fmt(d)} decades per 10 steps)`, remedy: 'clip gradients by global norm (clipByGlobalNorm), scale the recurrent weights to spectral radius ≤ 1 (orthogonal with gain 1), or lower the learning rate', layers: [l.path] }]
    return []
  })

/** Vanishing or exploding with depth, over the hidden layers as `firstToLast` counts them (medians over the traces). */
const depthFindings = (traces: ReadonlyArray<StepTrace>, last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const hs = hiddenLayers(last)
  if (hs.length < 2) return []
  const ratio = median(traces.map((t) => firstToLast(t, 'gradPre')), true)
  const dpl = median(traces.map((t) => decadesPerLayer(t, 'gradPre')))
  const first = hs[0]!.path
  const top = `${hs[hs.length - 1]!.path}, the last of ${hs.length} hidden layers`
  if (ratio < (o.vanishing ?? 1e-3))
    return [{ kind: 'vanishing', severity: 'error', title: 'Vanishing gradients', evidence: `${first} receives ${fmt(ratio)} of the error signal (dL/dz) of ${top}: ${fmt(Math.abs(dpl))} decades lost per layer`, remedy: depthRemedy(hasOf(last)), layers: [first] }]
  if (ratio > (o.exploding ?? 1e3))
    return [{ kind: 'exploding', severity: 'error', title: 'Exploding gradients', evidence: `${first} receives ${fmt(ratio)} times the error signal (dL/dz) of ${top} (${fmt(dpl)} decades gained per layer)`, remedy: 'scale the initialisation down (Glorot/He, orthogonal with gain 1), clip gradients by global norm, or lower the learning rate', layers: [first] }]
  return []
}

const unitFindings = (last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const sat = last.layers.filter((l) => (l.act?.saturated ?? 0) > (o.saturated ?? 0.5))
  const dead = last.layers.filter((l) => (l.act?.dead ?? 0) > (o.dead ?? 0.8))
  const normalised = hasOf(last).normalisation.length > 0
  return [
    ...(sat.length > 0 ? [{ kind: 'saturation', severity: 'warn', title: 'Saturated units', evidence: sat.map((l) => `${l.path}: ${(100 * l.act!.saturated!).toFixed(0)}% saturated`).join('; '), remedy: `use a normalised initialisation (Glorot for tanh/sigmoid), a non-saturating activation (ReLU family)${normalised ? '' : ', normalisation (layerNorm) before the activations'} or standardised input features`, layers: sat.map((l) => l.path) } as const] : []),
    ...(dead.length > 0 ? [{ kind: 'dead', severity: 'warn', title: 'Dead ReLU units', evidence: dead.map((l) => `${l.path}: ${(100 * l.act!.dead!).toFixed(0)}% of outputs are exactly 0`).join('; '), remedy: 'lower the learning rate, use He initialisation with zero biases, or a leaky ReLU / ELU', layers: dead.map((l) => l.path) } as const] : []),
  ]
}

/**
 * Findings from one or more traces of the same network (medians over the
 * traces). Depth is counted over the hidden layers, as `firstToLast` does;
 * a remedy never recommends what the network already has (normalisation,
 * residual connections, a gated cell).
 *
 * @category utils
 */
export const diagnose = (traces: ReadonlyArray<StepTrace>, o: DiagnoseOptions = {}): ReadonlyArray<Finding> => {
  const last = traces[traces.length - 1]
  if (!last) return []
  const out = [...nonFiniteFindings(traces), ...timeFindings(last, o), ...depthFindings(traces, last, o), ...unitFindings(last, o)]
  if (out.length > 0) return out
  const evidence = hiddenLayers(last).length >= 2 ? `first-to-last dL/dz ratio ${fmt(firstToLast(last))} over ${hiddenLayers(last).length} hidden layers` : 'no problems found'
  return [{ kind: 'healthy', severity: 'info', title: 'Healthy gradient flow', evidence, remedy: 'nothing to do', layers: [] }]
}
