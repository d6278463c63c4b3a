/**
 * What a run's curves say, beside its gradients: how much the training loss
 * fell, how far it swings back up, how large the updates are against the
 * parameters, how much the global gradient norm grew, and whether the
 * held-out loss turned up while the training loss kept falling. `diagnose`
 * (./analysis.ts) turns these into findings.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { lossDrop, overfitGap, swing } from './curves'
 * const falling = Array.from({ length: 40 }, (_, i) => 2 / (1 + i / 4))
 * assert.ok(lossDrop(falling) > 0.7) // the last tenth is under a third of the first
 * assert.ok(swing(falling) < 0.1) // and it never climbs back
 * const bouncing = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0.5 : 3))
 * assert.ok(swing(bouncing) > 1)
 * // held-out loss at its lowest at step 40, 60% higher at the end, training loss still falling
 * const val = [{ step: 20, loss: 1 }, { step: 40, loss: 0.5 }, { step: 60, loss: 0.6 }, { step: 80, loss: 0.8 }]
 * const gap = overfitGap(val, falling.map((loss, i) => ({ step: 2 * i + 2, loss })))
 * assert.deepStrictEqual(gap, { best: val[1], last: val[3], trainFell: true, trainLast: (falling[38]! + falling[39]!) / 2 })
 *
 * @since 0.1.0
 */
import type { StepTrace } from './Trace'

/** A loss at a step (a held-out loss measured along the run). @category model */
export interface LossPoint {
  readonly step: number
  readonly loss: number
}

const mean = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** The finite training losses of the traces, in order, with their steps. @category utils */
export const lossCurve = (traces: ReadonlyArray<StepTrace>): ReadonlyArray<LossPoint> =>
  traces.filter((t) => Number.isFinite(t.loss)).map((t) => ({ step: t.step, loss: t.loss }))

/** The tenth (at least 3 points) at the start and at the end of a curve. */
const ends = (xs: ReadonlyArray<number>): readonly [ReadonlyArray<number>, ReadonlyArray<number>] => {
  const k = Math.max(3, Math.floor(xs.length / 10))
  return [xs.slice(0, k), xs.slice(-k)]
}

/** Fraction by which the loss fell, from its first tenth to its last (mean over each; negative: it rose). NaN under 6 points. @category utils */
export const lossDrop = (losses: ReadonlyArray<number>): number => {
  if (losses.length < 6) return NaN
  const [head, tail] = ends(losses)
  return 1 - mean(tail) / mean(head)
}

/**
 * How far the loss climbs back over the second half of a run: the median,
 * over its steps, of (loss / lowest loss so far - 1), the lowest taken over a
 * window of 5 around each step so that one lucky batch does not set it, and
 * never under 1% of the starting loss (a loss 100 times below its start may
 * bounce between 1e-6 and 1e-5 without anything going wrong).
 * Minibatch noise around a falling loss stays well under 1; a learning rate
 * too high for the curvature throws the loss back to several times its best.
 * NaN under 10 points.
 * @category utils
 */
export const swing = (losses: ReadonlyArray<number>): number => {
  if (losses.length < 10) return NaN
  const smooth = losses.map((_, i) => mean(losses.slice(Math.max(0, i - 2), i + 3)))
  const best = smooth.map((_, i) => Math.min(...smooth.slice(0, i + 1)))
  const half = Math.floor(losses.length / 2)
  const floor = 0.01 * mean(ends(losses)[0])
  const rel = losses.slice(half).map((l, i) => l / Math.max(best[half + i]!, floor, 1e-12) - 1)
  return [...rel].sort((a, b) => a - b)[Math.floor(rel.length / 2)]!
}

/**
 * ||update|| / ||p|| over all parameters together at the traces' last finite step (NaN without updates): the
 * parameters' own ratios are not averaged, as zero-initialised biases read ~1 while their first updates are their whole value.
 * @category utils
 */
export const updateRatio = (traces: ReadonlyArray<StepTrace>): number => {
  const t = [...traces].reverse().find((x) => x.nonFinite === 0 && x.layers.some((l) => l.params.some((p) => p.updateRatio !== null)))
  const ps = (t?.layers ?? []).flatMap((l) => l.params.filter((p) => p.updateRatio !== null))
  const u2 = ps.reduce((s, p) => s + (p.updateRatio! * (p.norm > 0 ? p.norm : 1)) ** 2, 0)
  const p2 = ps.reduce((s, p) => s + p.norm ** 2, 0)
  return ps.length === 0 ? NaN : Math.sqrt(u2) / Math.sqrt(p2)
}

/** The growth of the global gradient norm: its largest finite value over the median of the first three, and where. @category utils */
export const normGrowth = (traces: ReadonlyArray<StepTrace>): { readonly growth: number; readonly from: number; readonly peak: StepTrace | undefined } => {
  const finite = traces.filter((t) => Number.isFinite(t.gradNorm) && t.gradNorm > 0)
  const first = finite.slice(0, 3).map((t) => t.gradNorm).sort((a, b) => a - b)
  const from = first[Math.floor(first.length / 2)] ?? NaN
  const peak = finite.reduce<StepTrace | undefined>((p, t) => (p === undefined || t.gradNorm > p.gradNorm ? t : p), undefined)
  return { growth: peak ? peak.gradNorm / from : NaN, from, peak }
}

/**
 * Where the held-out loss was lowest and where it ended, whether the
 * training loss fell after that lowest point, and the training loss at the
 * end (null under 4 held-out points).
 * @category utils
 */
export const overfitGap = (
  validation: ReadonlyArray<LossPoint>,
  training: ReadonlyArray<LossPoint>,
): { readonly best: LossPoint; readonly last: LossPoint; readonly trainFell: boolean; readonly trainLast: number } | null => {
  const v = validation.filter((p) => Number.isFinite(p.loss))
  if (v.length < 4) return null
  const best = v.reduce((a, b) => (b.loss < a.loss ? b : a))
  const last = v[v.length - 1]!
  const near = (s: number) => training.filter((p) => Math.abs(p.step - s) <= Math.max(2, (last.step - v[0]!.step) / 20)).map((p) => p.loss)
  const [atBest, atEnd] = [near(best.step), near(last.step)]
  return { best, last, trainFell: atBest.length > 0 && atEnd.length > 0 && mean(atEnd) < mean(atBest), trainLast: atEnd.length > 0 ? mean(atEnd) : NaN }
}
