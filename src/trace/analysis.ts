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
import { lossCurve, lossDrop, normGrowth, overfitGap, swing, updateRatio } from './curves'
import { fmt, median, orList, percentOf } from './numbers'
import { decadesPer10Steps, decadesPerLayer, firstToLast, hiddenLayers, isNormalisation } from './signals'
import type { DiagnoseOptions, Finding } from './Finding'
import type { LayerTrace, StepTrace } from './Trace'

export * from './curves'
export type { DiagnoseOptions, Finding } from './Finding'
export * from './signals'

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
  oscillating: 'lower the learning rate (or decay it with a schedule), lower the momentum, or clip gradients by global norm',
  stalled: 'raise the learning rate (by decades if updates are below 1e-6 of the parameters), or check that the loss depends on the parameters trained',
  overfitting: 'stop at the lowest held-out loss, train on more data, add weight decay (addDecayedWeights) or dropout, or use a smaller net',
  healthy: 'nothing to do',
  // the units of a recurrent layer: a gated cell saturates too, and dead units are not a gating problem
  saturatedRecurrent:
    'scale the input weights down (Glorot) and the recurrent weights to gain ≤ 1 (orthogonal), standardise the inputs, or lower the learning rate',
  deadRecurrent: 'start the biases at zero, use an identity-initialised ReLU RNN (irnn) with a lower learning rate and clipping, or a tanh cell',
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
  oscillating: { kind: 'oscillating', severity: 'warn', title: 'Oscillating loss', remedy: remedies.oscillating },
  stalled: { kind: 'stalled', severity: 'error', title: 'Loss does not decrease', remedy: remedies.stalled },
  overfitting: { kind: 'overfitting', severity: 'warn', title: 'Overfitting', remedy: remedies.overfitting },
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

/** What the network already has, so that no remedy recommends it. */
interface Has {
  readonly normalisation: ReadonlyArray<string>
  readonly residual: boolean
}

const hasOf = (t: StepTrace): Has => ({
  normalisation: [...new Set(t.layers.filter(isNormalisation).map((l) => l.kind))],
  residual: t.layers.some((l) => l.kind === 'residual'),
})

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

const nonFiniteFindings = (traces: ReadonlyArray<StepTrace>, last: StepTrace): ReadonlyArray<Finding> => {
  const bad = traces.reduce((s, t) => s + t.nonFinite, 0)
  const first = traces.find((t) => t.nonFinite > 0)
  const seen = last.nonFiniteSteps // the run's own count: the traces handed in may leave its non-finite steps out
  if (first) {
    const steps = seen && seen.first < first.step ? `; ${seen.count} step(s) since step ${seen.first}` : ''
    const at = `first at step ${first.step} (gradient norm ${fmt(first.gradNorm)})`
    return [finding(findingTemplates.nonFinite, `${bad} non-finite value(s) in loss or gradients, ${at}${steps}`)]
  }
  if (!seen) return []
  return [finding(findingTemplates.nonFinite, `${seen.count} training step(s) with non-finite values in loss or gradients, the first at step ${seen.first}`)]
}

/** What a layer's units do in a trace: mostly saturated, mostly dead (ReLU), or neither. */
const unitState = (l: LayerTrace | undefined, o: DiagnoseOptions): 'saturated' | 'dead' | null =>
  (l?.act?.saturated ?? 0) > (o.saturated ?? 0.5) ? 'saturated' : (l?.act?.dead ?? 0) > (o.dead ?? 0.8) ? 'dead' : null

/** ||dL/dh_0|| / ||dL/dh_{T-1}|| of a recurrent layer in a trace (NaN where it is missing or not finite). */
const timeRatio = (t: StepTrace, path: string): number => {
  const gh = t.layers.find((l) => l.path === path)?.time?.gradH
  return gh && gh.length >= 2 ? gh[0]! / gh[gh.length - 1]! : NaN
}

/**
 * Vanishing or exploding through time, per recurrent layer, from its per-time-step dL/dh: exploding from the
 * median of the first three traces, vanishing from the median of all, unless the run blew up (`blownUp`: the global norm
 * grew by decades), after which the tanh saturated by the blow-up passes nothing back.
 */
const timeFindings = (traces: ReadonlyArray<StepTrace>, unitsOf: StepTrace, blownUp: boolean, o: DiagnoseOptions): ReadonlyArray<Finding> =>
  traces[0]!.layers.flatMap((l) => {
    const ratios = traces.map((t) => timeRatio(t, l.path)).filter((r) => Number.isFinite(r))
    const pick = (r: number) => traces.find((t) => timeRatio(t, l.path) === r) ?? traces[0]!
    const early = median(ratios.slice(0, 3), true)
    const all = median(ratios, true)
    const gh = (r: number) => pick(r).layers.find((x) => x.path === l.path)!.time!.gradH
    if (early > (o.exploding ?? 1e3)) {
      const g = gh(ratios[0]!)
      const rate = `+${fmt(decadesPer10Steps(g))} decades per 10 steps`
      const evidence = `${l.path}: the first of ${g.length} steps receives ${fmt(g[0]! / g[g.length - 1]!)} times the error signal dL/dh of the last (${rate})`
      return [finding(findingTemplates.explodingThroughTime, evidence, [l.path])]
    }
    // saturated or dead units stop the signal themselves: their finding names that cause, and its remedy (not a gated cell)
    if (!(all < (o.vanishing ?? 1e-3)) || blownUp || unitState(unitsOf.layers.find((x) => x.path === l.path), o)) return []
    const remedy = timeRemedies.find(([p]) => p.test(l.kind))?.[1] ?? plainCellRemedy
    const g = gh(ratios[ratios.length - 1]!)
    const rate = `${fmt(decadesPer10Steps(g))} decades per 10 steps`
    const evidence = `${l.path}: the first of ${g.length} steps receives ${fmt(all)} of the error signal dL/dh of the last (${rate})`
    return [finding(findingTemplates.vanishingThroughTime, evidence, [l.path], remedy)]
  })

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

/** Gradients that explode as the run trains (the global norm grows by decades), when no layer showed it already. */
const growthFindings = (traces: ReadonlyArray<StepTrace>, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const g = normGrowth(traces)
  if (!g.peak || !(g.growth > (o.normGrowth ?? 1e3))) return []
  const recurrent = g.peak.layers.filter((l) => l.time !== undefined).map((l) => l.path)
  const span = `from ${fmt(g.from)} at the first steps to ${fmt(g.peak.gradNorm)} at step ${g.peak.step}`
  const evidence = `the global gradient norm grew ${fmt(g.growth)}-fold during training, ${span}`
  return [finding(recurrent.length > 0 ? findingTemplates.explodingThroughTime : findingTemplates.exploding, evidence, recurrent)]
}

const saturationRemedy = (normalised: boolean): string =>
  'use a normalised initialisation (Glorot for tanh/sigmoid), a non-saturating activation (ReLU family)' +
  `${normalised ? '' : ', normalisation (layerNorm) before the activations'} or standardised input features`

/** Saturated and dead units, from the last finite trace; a recurrent layer's remedy is a recurrent one. */
const unitFindings = (last: StepTrace, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const sat = last.layers.filter((l) => unitState(l, o) === 'saturated')
  const dead = last.layers.filter((l) => unitState(l, o) === 'dead')
  const paths = (ls: ReadonlyArray<LayerTrace>): ReadonlyArray<string> => ls.map((l) => l.path)
  const satEvidence = sat.map((l) => `${l.path}: ${percentOf(l.act!.saturated!)} saturated`).join('; ')
  const deadEvidence = dead.map((l) => `${l.path}: ${percentOf(l.act!.dead!)} of outputs are exactly 0`).join('; ')
  const satRemedy = sat.every((l) => l.time) ? remedies.saturatedRecurrent : saturationRemedy(hasOf(last).normalisation.length > 0)
  return [
    ...(sat.length > 0 ? [finding(findingTemplates.saturation, satEvidence, paths(sat), satRemedy)] : []),
    ...(dead.length > 0 ? [finding(findingTemplates.dead, deadEvidence, paths(dead), dead.every((l) => l.time) ? remedies.deadRecurrent : remedies.dead)] : []),
  ]
}

const overEvidence = (g: NonNullable<ReturnType<typeof overfitGap>>): string =>
  `the held-out loss was lowest at step ${g.best.step} (${fmt(g.best.loss)}) and ends at ${fmt(g.last.loss)}, the training loss at ${fmt(g.trainLast)}`

/** The loss curve's findings: oscillating, learning nothing (when no finding above explains it), overfitting. */
const curveFindings = (traces: ReadonlyArray<StepTrace>, found: ReadonlyArray<Finding>, o: DiagnoseOptions): ReadonlyArray<Finding> => {
  const curve = lossCurve(traces)
  const losses = curve.map((p) => p.loss)
  const [drop, sw, ur] = [lossDrop(losses), swing(losses), updateRatio(traces)]
  const blewUp = found.some((f) => f.kind === 'nonFinite' || f.kind === 'exploding') // which swings the loss by itself
  const oscillating = !blewUp && sw > (o.oscillating ?? 0.4)
  const stalled = found.length === 0 && !oscillating && (ur < (o.updateRatio ?? 1e-6) || drop < (o.stalled ?? 0.05))
  const gap = overfitGap(o.validation ?? [], curve)
  const first = o.validation?.[0]?.step ?? 0
  // the held-out loss turned up while the training loss fell, or stopped improving in the first half while the training loss went far below it
  const rose = gap !== null && gap.trainFell && gap.last.loss > gap.best.loss * (1 + (o.overfitting ?? 0.2)) && gap.last.loss > 1.5 * gap.trainLast
  const apart = gap !== null && gap.best.step <= (first + gap.last.step) / 2 && gap.last.loss > (o.overfitGap ?? 10) * gap.trainLast
  const over = gap !== null && found.length === 0 && !oscillating && (rose || apart) // a held-out loss that jumps with the gradients is not overfitting
  const ratio = Number.isNaN(ur) ? '' : `; updates are ${fmt(ur)} of the parameters`
  const n = losses.length
  return [
    ...(oscillating ? [finding(findingTemplates.oscillating, `over the second half of ${n} steps the loss is ${percentOf(sw)} above its best so far`)] : []),
    ...(stalled ? [finding(findingTemplates.stalled, `the loss fell ${percentOf(drop)} from the first tenth of ${n} steps to the last${ratio}`)] : []),
    ...(over ? [finding(findingTemplates.overfitting, overEvidence(gap))] : []),
  ]
}

/**
 * Findings from the traces of a run (medians over the traces; pass every
 * step's trace, or a regular sample of them, in order). Depth is counted
 * over the hidden layers, as `firstToLast` does; a remedy never recommends
 * what the network already has (normalisation, residual connections, a gated
 * cell). A non-finite step is found from the traces, or from the run's count
 * that each later training trace carries (`nonFiniteSteps`), so
 * `diagnose([lastTrace])` still reports it. The loss curve's findings
 * (oscillating, stalled, overfitting with `o.validation`) need 10 steps or more.
 *
 * @category utils
 */
export const diagnose = (traces: ReadonlyArray<StepTrace>, o: DiagnoseOptions = {}): ReadonlyArray<Finding> => {
  const last = traces[traces.length - 1]
  if (!last) return []
  const unitsOf = [...traces].reverse().find((t) => t.nonFinite === 0) ?? last
  const grown = growthFindings(traces, o)
  const flow = [
    ...nonFiniteFindings(traces, last),
    ...timeFindings(traces, unitsOf, grown.length > 0, o),
    ...depthFindings(traces, last, o),
    ...unitFindings(unitsOf, o),
  ]
  const found = [...flow, ...(flow.some((f) => f.kind === 'exploding') ? [] : grown)]
  const out = [...found, ...curveFindings(traces, found, o)]
  if (out.length > 0) return out
  const hidden = hiddenLayers(last).length
  const evidence = hidden >= 2 ? `first-to-last dL/dz ratio ${fmt(firstToLast(last))} over ${hidden} hidden layers` : 'no problems found'
  return [finding(findingTemplates.healthy, evidence)]
}
