/**
 * The gradient trace: what every training step returns besides the loss.
 * Plain JSON-able data (numbers are float64), keyed by layer path, so traces
 * can be saved, compared and drawn. Vanishing is measured in decades, so norms
 * are kept in float64 and ratios of 1e-30 stay readable.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * import type { StepTrace } from './Trace'
 * const model = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(1)), { input: [2], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const batch = { x: { shape: [2, 2], data: new Float32Array([0, 1, 1, 0]) }, y: { shape: [2, 1], data: new Float32Array([1, 0]) } }
 * const r = E.chain((s: Train.TrainState) => Train.step(model.right, Optim.sgd(0.1))(s, batch))(Train.init(model.right, Optim.sgd(0.1), Key.key(0)))
 * assert.ok(E.isRight(r))
 * const trace: StepTrace = r.right[1]
 * assert.deepStrictEqual(trace.layers.map((l) => l.path), ['serial/0/dense', 'serial/1/dense'])
 * const dz = trace.layers[0]!.gradPre // dL/dz of the first layer, over the batch
 * assert.ok(dz.l2 >= dz.maxAbs && dz.maxAbs > 0 && dz.nonFinite === 0)
 * assert.deepStrictEqual(JSON.parse(JSON.stringify(trace)), trace) // plain data (Codec.encodeTraces also keeps NaN and Infinity)
 *
 * @since 0.1.0
 */

/** Summary of one tensor, computed in Wasm in one pass. @category model */
export interface TensorStats {
  readonly n: number
  readonly mean: number
  readonly std: number
  readonly l2: number
  readonly rms: number
  readonly maxAbs: number
  readonly nonFinite: number
  /** fraction of exact zeros */
  readonly zeroFrac: number
}

/** One parameter of a layer (W, b, ...). @category model */
export interface ParamTrace {
  readonly name: string
  /** the gradient dL/dp */
  readonly grad: TensorStats
  /** L2 norm of the parameter itself */
  readonly norm: number
  /** ||update|| / ||p||, when an optimizer step was taken (else null) */
  readonly updateRatio: number | null
}

/** Activation statistics of a layer's output. @category model */
export interface ActStats {
  readonly mean: number
  readonly std: number
  /**
   * fraction of units saturated, or null for activations that do not saturate: sigmoid output below 0.01
   * or above 0.99, tanh |output| above 0.99, softsign above 0.9, hard tanh at ±1 (`saturationThreshold`)
   */
  readonly saturated: number | null
  /** fraction of outputs exactly zero (ReLU family: dead units), or null */
  readonly dead: number | null
}

/** Per-time-step statistics of a recurrent layer (index t = 0 .. T-1). @category model */
export interface TimeTrace {
  /** ||dL/dh_t|| for each t */
  readonly gradH: ReadonlyArray<number>
  /** ||dL/dc_t|| for each t (LSTM only) */
  readonly gradC?: ReadonlyArray<number>
  /** ||h_t|| over the batch (Frobenius norm of the (B, H) state) for each t */
  readonly stateNorm?: ReadonlyArray<number>
  /** mean gate activations per t, by gate name (input, forget, output / update, reset) */
  readonly gates?: { readonly [gate: string]: ReadonlyArray<number> }
}

/** log10|g| histogram (trace level 'full'). @category model */
export interface Histogram {
  readonly lo: number
  readonly hi: number
  /** counts[0]: below lo (zeros included); counts[bins+1]: at or above hi */
  readonly counts: ReadonlyArray<number>
}

/** One layer of one step. @category model */
export interface LayerTrace {
  /** stable path, e.g. 'serial/3/dense' */
  readonly path: string
  readonly kind: string
  /** dL/d(output): the error signal reaching the layer (for a dense layer with an activation: at its output h) */
  readonly gradOut: TensorStats
  /** dL/dz: the error signal at the pre-activation, for layers with a fused activation (else equal to gradOut) */
  readonly gradPre: TensorStats
  /** dL/d(input): what the layer passes down (null for the first layer: inputs need no gradient) */
  readonly gradIn: TensorStats | null
  readonly act: ActStats | null
  readonly params: ReadonlyArray<ParamTrace>
  readonly hist?: Histogram
  /** per time step (recurrent layers); for a 2-D layer per anti-diagonal from the scans' start, so index d is I + J - 2 - d from the readout */
  readonly time?: TimeTrace
  /** the grid of a 2-D recurrent layer (rnn2d, mdlstm): per position and direction */
  readonly grid?: GridTrace
}

/**
 * A 2-D recurrent layer's trace over its grid (#13). Its `time` reads the grid as time: entry d is the root mean
 * square of the positions' norms on the anti-diagonal d steps from the scans' start (Manhattan distance
 * rows + cols - 2 - d from the readout corner),
 * over every direction, so `decadesPer10Steps(time.gradH)` is the decay per 10 steps of distance. @category model
 */
export interface GridTrace {
  readonly rows: number
  readonly cols: number
  /** the scans, by the corner each starts from: tl, bl, tr, br (each reads out at the opposite corner) */
  readonly directions: ReadonlyArray<string>
  /** ||dL/dh(i, j)|| over the batch and units: one rows x cols map (row-major, image coordinates) per direction */
  readonly gradH: ReadonlyArray<ReadonlyArray<number>>
  /** ||dL/dc(i, j)|| likewise (MD-LSTM) */
  readonly gradC?: ReadonlyArray<ReadonlyArray<number>>
  /** mean gate activations per direction and anti-diagonal (d steps from that scan's start), by gate name */
  readonly gates?: { readonly [gate: string]: ReadonlyArray<ReadonlyArray<number>> }
}

/** Trace levels: 'off' records loss and global norms only; 'norms' adds every layer; 'full' adds histograms. @category model */
export type TraceLevel = 'off' | 'norms' | 'full'

/** The trace of one training step (or one gradient evaluation). @category model */
export interface StepTrace {
  readonly step: number
  readonly loss: number
  /** global L2 norm of all parameter gradients, before clipping */
  readonly gradNorm: number
  /** global L2 norm after clipping (equal to gradNorm when nothing clipped) */
  readonly gradNormClipped: number
  /** count of non-finite values in the loss, the parameter gradients and (in training steps) the updated parameters */
  readonly nonFinite: number
  readonly level: TraceLevel
  readonly layers: ReadonlyArray<LayerTrace>
  /** learning rate used at this step, when an optimizer step was taken */
  readonly lr?: number
  /**
   * training steps of this run so far (this one included) with non-finite values, and the first of them;
   * absent while there were none, so that `diagnose([lastTrace])` still sees a NaN that happened mid-run
   */
  readonly nonFiniteSteps?: { readonly count: number; readonly first: number }
}
