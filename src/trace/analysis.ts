/**
 * Reading traces: how much of the error signal reaches the first layer
 * (first-to-last ratio), how fast it decays with depth (decades per layer, a
 * least-squares slope of log10 norms), and `diagnose`, which turns traces into
 * findings — vanishing, exploding, saturation, dead units, non-finite values —
 * each with its evidence and a remedy.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace'
 * import { decadesPerLayer, diagnose, findingTemplates, firstToLast } from './analysis'
 * // ten sigmoid layers with the classic U[±1/√n] initialisation, at initialisation
 * const net = Layer.serial(...Array.from({ length: 10 }, () => Layer.dense(64, { activation: 'sigmoid', init: Layer.init.classic })), Layer.dense(10))
 * const model = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const x = { shape: [64, 64], data: Float32Array.from({ length: 64 * 64 }, (_, i) => 1.7 * Math.sin(7.3 * i)) }
 * const g = model.right.valueAndGrad(model.right.init(Key.key(0)), { x, y: Int32Array.from({ length: 64 }, (_, i) => i % 10) })
 * assert.ok(E.isRight(g))
 * const t = g.right.trace
 * assert.ok(firstToLast(t) < 1e-6) // layer 1 receives less than a millionth of layer 10's dL/dz
 * assert.ok(decadesPerLayer(t) < -0.6) // more than 0.6 decades lost per layer
 * const [f] = diagnose([t])
 * assert.strictEqual(f!.title, findingTemplates.vanishing.title) // 'Vanishing gradients'
 * assert.deepStrictEqual(f!.layers, ['serial/0/dense'])
 *
 * @since 0.1.0
 */
import { deepFreeze } from '../core/frozen'
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
  /**
   * dead fraction above which a ReLU layer is flagged (default 0.8; about 0.5
   * is normal, and single layers of a deep net reach 0.6 by chance at init)
   */
  readonly dead?: number
}

// -------------------------------------------------------------------------------------
// findings: their fixed words, then the measurements that fill them in
// -------------------------------------------------------------------------------------

/** The fixed words of a finding: all of it but its evidence, its layers and, where it depends on the network, its remedy. */
type Template = Pick<Finding, 'kind' | 'severity' | 'title'> & { readonly remedy?: string }

/** The remedies that do not depend on the network. */
const remedies = {
  nonFinite: 'clip gradients by global norm (clipByGlobalNorm), lower the learning rate, or use an initialisation that keeps signals at unit scale',
  explodingThroughTime:
    'clip gradients by global norm (clipByGlobalNorm), scale the recurrent weights to spectral radius ≤ 1 (orthogonal with gain 1), or lower the learning rate',
  exploding: 'scale the initialisation down (Glorot/He, orthogonal with gain 1), clip gradients by global norm, or lower the learning rate',
  dead: 'lower the learning rate, use He initialisation with zero biases, or a leaky ReLU / ELU',
  healthy: 'nothing to do',
} as const

/**
 * Every finding `diagnose` can make, by name: its kind, severity and title,
 * and its remedy where that does not depend on the network (#10: the findings
 * were written out as 360-434-character lines).
 *
 * @category constants
 * @since 0.1.0
 */
export const findingTemplates = deepFreeze({
  nonFinite: { kind: 'nonFinite', severity: 'error', title: 'Non-finite values', remedy: remedies.nonFinite },
  vanishingThroughTime: { kind: 'vanishing', severity: 'error', title: 'Vanishing gradients through time' },
  explodingThroughTime: { kind: 'exploding', severity: 'error', title: 'Exploding gradients through time', remedy: remedies.explodingThroughTime },
  vanishing: { kind: 'vanishing', severity: 'error', title: 'Vanishing gradients' },
  exploding: { kind: 'exploding', severity: 'error', title: 'Exploding gradients', remedy: remedies.exploding },
  saturation: { kind: 'saturation', severity: 'warn', title: 'Saturated units' },
  dead: { kind: 'dead', severity: 'warn', title: 'Dead ReLU units', remedy: remedies.dead },
  healthy: { kind: 'healthy', severity: 'info', title: 'Healthy gradient flow', remedy: remedies.healthy },
} as const satisfies Readonly<Record<string, Template>>)

/** Remedies for a signal that vanishes through time, by cell (the first whose pattern matches the layer's kind). */
const timeRemedies: ReadonlyArray<readonly [RegExp, string]> = [
  [/lstm/i, 'start the forget gate open (forget-gate bias 1 or more), clip gradients by global norm, or train longer: the gates learn to carry the signal'],
  [/gru/i, 'clip gradients by global norm and train longer (the update gate learns to carry the signal), or try an LSTM with a forget-gate bias of 1'],
]
const plainCellRemedy = 'use a gated cell (LSTM with a forget-gate bias of 1, or GRU), or an identity-initialised ReLU RNN (IRNN) with clipping'

/** A finding from its template, its evidence and layers, and the remedy when the template has none. */
const finding = (t: Template, evidence: string, layers: ReadonlyArray<string> = [], remedy = t.remedy ?? ''): Finding =>
  ({ kind: t.kind, severity: t.severity, title: t.title, evidence, remedy, layers })

const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(Math.log10(Math.abs(x))) >= 3 ? x.toExponential(1) : x.toPrecision(2))

/** The middle value; for an even count the mean of the two middle ones (geometric for ratios, which span decades, as the depth sweep takes them). */
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
  const note =
    has.normalisation.length > 0
      ? ` (the net already normalises with ${has.normalisation.join(', ')}: ` +
        "that keeps the pre-activations at unit scale but cannot stop each activation's derivative from shrinking the signal)"
      : ''
  return orList(options) + note
}

const nonFiniteFindings = (traces: ReadonlyArray<StepTrace>): ReadonlyArray<Finding> => {
  const bad = traces.reduce((s, t) => s + t.nonFinite, 0)
  const first = traces.find((t) => t.nonFinite > 0)
  if (bad === 0 || !first) return []
  const evidence = `${bad} non-finite value(s) in loss or gradients, first at step ${first.step} (gradient norm ${fmt(first.gradNorm)})`
  return [finding(findingTemplates.nonFinite, evidence)]
}

/** Vanishing or exploding through time, per recurrent layer, from its per-time-step dL/dh. */
const timeFinding = (l: LayerTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const gh = l.time?.gradH
  if (!gh || gh.length < 2) return []
  const r = gh[0]! / gh[gh.length - 1]!
  const d = fmt(decadesPer10Steps(gh))
  const head = `${l.path}: the first of ${gh.length} steps receives ${fmt(r)}`
  if (r < (o.vanishing ?? 1e-3)) {
    const remedy = timeRemedies.find(([p]) => p.test(l.kind))?.[1] ?? plainCellRemedy
    const evidence = `${head} of the error signal dL/dh of the last (${d} decades per 10 steps)`
    return [finding(findingTemplates.vanishingThroughTime, evidence, [l.path], remedy)]
  }
  if (r > (o.exploding ?? 1e3)) {
    const evidence = `${head} times the error signal dL/dh of the last (+${d} decades per 10 steps)`
    return [finding(findingTemplates.explodingThroughTime, evidence, [l.path])]
  }
  return []
}

/** Vanishing or exploding with depth, over the hidden layers as `firstToLast` counts them (medians over the traces). */
const depthFindings = (traces: ReadonlyArray<StepTrace>, last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const hs = hiddenLayers(last)
  if (hs.length < 2) return []
  const ratio = median(traces.map((t) => firstToLast(t, 'gradPre')), true)
  const dpl = median(traces.map((t) => decadesPerLayer(t, 'gradPre')))
  const first = hs[0]!.path
  const top = `${hs[hs.length - 1]!.path}, the last of ${hs.length} hidden layers`
  if (ratio < (o.vanishing ?? 1e-3)) {
    const evidence = `${first} receives ${fmt(ratio)} of the error signal (dL/dz) of ${top}: ${fmt(Math.abs(dpl))} decades lost per layer`
    return [finding(findingTemplates.vanishing, evidence, [first], depthRemedy(hasOf(last)))]
  }
  if (ratio > (o.exploding ?? 1e3)) {
    const evidence = `${first} receives ${fmt(ratio)} times the error signal (dL/dz) of ${top} (${fmt(dpl)} decades gained per layer)`
    return [finding(findingTemplates.exploding, evidence, [first])]
  }
  return []
}

const saturationRemedy = (normalised: boolean): string =>
  'use a normalised initialisation (Glorot for tanh/sigmoid), a non-saturating activation (ReLU family)' +
  `${normalised ? '' : ', normalisation (layerNorm) before the activations'} or standardised input features`

const percentOf = (x: number): string => `${(100 * x).toFixed(0)}%`

const unitFindings = (last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const sat = last.layers.filter((l) => (l.act?.saturated ?? 0) > (o.saturated ?? 0.5))
  const dead = last.layers.filter((l) => (l.act?.dead ?? 0) > (o.dead ?? 0.8))
  const paths = (ls: ReadonlyArray<LayerTrace>): ReadonlyArray<string> => ls.map((l) => l.path)
  const satEvidence = sat.map((l) => `${l.path}: ${percentOf(l.act!.saturated!)} saturated`).join('; ')
  const deadEvidence = dead.map((l) => `${l.path}: ${percentOf(l.act!.dead!)} of outputs are exactly 0`).join('; ')
  return [
    ...(sat.length > 0 ? [finding(findingTemplates.saturation, satEvidence, paths(sat), saturationRemedy(hasOf(last).normalisation.length > 0))] : []),
    ...(dead.length > 0 ? [finding(findingTemplates.dead, deadEvidence, paths(dead))] : []),
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
  const timeFindings = last.layers.flatMap((l) => timeFinding(l, o))
  const out = [...nonFiniteFindings(traces), ...timeFindings, ...depthFindings(traces, last, o), ...unitFindings(last, o)]
  if (out.length > 0) return out
  const hidden = hiddenLayers(last).length
  const evidence = hidden >= 2 ? `first-to-last dL/dz ratio ${fmt(firstToLast(last))} over ${hidden} hidden layers` : 'no problems found'
  return [finding(findingTemplates.healthy, evidence)]
}
