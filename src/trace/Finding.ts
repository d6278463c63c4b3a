/**
 * What `diagnose` (./analysis.ts) returns and the thresholds it takes.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { diagnose } from './analysis'
 * import type { DiagnoseOptions, Finding } from './Finding'
 * // a run whose loss stays at 2.3 for 20 steps, its gradients flowing
 * const layer = (path: string) => {
 *   const s = { n: 4, mean: 0, std: 1, l2: 1, rms: 1, maxAbs: 1, nonFinite: 0, zeroFrac: 0 }
 *   return { path, kind: 'dense', gradOut: s, gradPre: s, gradIn: null, act: null, params: [{ name: 'W', grad: s, norm: 1, updateRatio: 1e-3 }] }
 * }
 * const step = (i: number) => ({ step: i + 1, loss: 2.3, gradNorm: 1, gradNormClipped: 1, nonFinite: 0, level: 'norms' as const })
 * const run = Array.from({ length: 20 }, (_, i) => ({ ...step(i), layers: [layer('a'), layer('b')] }))
 * const [f]: ReadonlyArray<Finding> = diagnose(run)
 * assert.strictEqual(f!.kind, 'stalled')
 * const lenient: DiagnoseOptions = { stalled: -1 } // any loss that does not rise passes
 * assert.strictEqual(diagnose(run, lenient)[0]!.kind, 'healthy')
 *
 * @since 0.1.0
 */
import type { LossPoint } from './curves'

/** A finding of `diagnose`. @category model */
export interface Finding {
  readonly kind: 'vanishing' | 'exploding' | 'saturation' | 'dead' | 'nonFinite' | 'oscillating' | 'stalled' | 'overfitting' | 'healthy'
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
  /** growth of the global gradient norm over its first steps above which gradients explode during training (default 1e3) */
  readonly normGrowth?: number
  /** fraction the training loss must fall from its first tenth to its last, else the run learns nothing (default 0.05) */
  readonly stalled?: number
  /** ||update|| / ||p|| (all parameters together, at the last step) under which a run learns nothing, whatever its loss does (default 1e-6) */
  readonly updateRatio?: number
  /** `swing` of the loss above which it oscillates (default 0.4: over the second half, typically 40% above its best so far) */
  readonly oscillating?: number
  /** held-out losses along the run (e.g. every few steps); without them there is no overfitting finding */
  readonly validation?: ReadonlyArray<LossPoint>
  /** rise of the held-out loss above its lowest, at the end, that counts as overfitting when the training loss kept falling (default 0.2) */
  readonly overfitting?: number
  /** held-out over training loss at the end that counts as overfitting when the held-out loss was lowest in the first half (default 10) */
  readonly overfitGap?: number
}
