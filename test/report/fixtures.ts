// Synthetic traces for the report tests and the sample report: a 10-layer MLP
// whose error signal shrinks by a fixed factor per layer (sigmoid ~0.25, tanh
// ~0.6, ReLU + He ~1), and recurrent layers whose ‖dL/dh_t‖ decays by a fixed
// factor per step back in time. Deterministic: no randomness.
import type { LayerTrace, StepTrace, TensorStats } from '../../src/trace/Trace'

export const stats = (l2: number, n = 64): TensorStats => ({
  n, mean: 0, std: l2 / Math.sqrt(n), l2, rms: l2 / Math.sqrt(n), maxAbs: Number.isFinite(l2) ? l2 / 2 : l2,
  nonFinite: Number.isFinite(l2) ? 0 : n, zeroFrac: l2 === 0 ? 1 : 0,
})

const dense = (i: number, gPre: number, gOut: number, gW: number, act: string): LayerTrace => ({
  path: `serial/${i}/dense`, kind: `dense(${act})`,
  gradOut: stats(gOut), gradPre: stats(gPre), gradIn: i === 0 ? null : stats(gOut * 0.9),
  act: { mean: 0.5, std: 0.2, saturated: act === 'sigmoid' ? 0.6 : null, dead: act === 'relu' ? 0.1 : null },
  params: [
    { name: 'W', grad: stats(gW, 4096), norm: 8, updateRatio: 1e-3 },
    { name: 'b', grad: stats(gW / 10), norm: 0.1, updateRatio: 1e-3 },
  ],
})

/** A step of a `depth`-layer MLP whose gradient shrinks by `factor` per layer towards the input. */
export const mlpStep = (step: number, depth: number, factor: number, act: string, overrides: Partial<Record<number, number>> = {}): StepTrace => {
  const drift = 1 + 0.3 * Math.sin(step / 7)
  const layers = Array.from({ length: depth }, (_, i) => {
    const g = overrides[i] ?? 0.05 * drift * factor ** (depth - 1 - i)
    return dense(i, g, g * 1.8, g * 3, act)
  })
  return { step, loss: 2.3 * Math.exp(-step / (act === 'relu' ? 60 : act === 'tanh' ? 400 : 5000)) + 0.05, gradNorm: 1, gradNormClipped: 1, nonFinite: 0, level: 'norms', layers }
}

/** A recurrent layer with T steps and ‖dL/dh_t‖ = decay^(T-1-t). */
export const rnnLayer = (kind: string, T: number, decay: number): LayerTrace => ({
  path: `scan/0/${kind}`, kind,
  gradOut: stats(1), gradPre: stats(1), gradIn: null, act: null, params: [],
  time: { gradH: Array.from({ length: T }, (_, t) => decay ** (T - 1 - t)) },
})

export const rnnStep = (step: number, kind: string, T: number, decay: number): StepTrace => ({
  step, loss: 0.17, gradNorm: 1, gradNormClipped: 1, nonFinite: 0, level: 'norms', layers: [rnnLayer(kind, T, decay)],
})
