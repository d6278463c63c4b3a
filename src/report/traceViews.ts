/**
 * Adapters from gradient traces to chart data: per-layer norms of one step
 * (gradient flow), layers × steps and time × steps matrices (heatmaps),
 * per-time-step norms of a recurrent layer (decay), and loss and global-norm
 * curves. Pure; the traces are read, never changed.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * import { flowSeries, lossSeries } from './traceViews'
 * const model = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(1)), { input: [2], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const state = Train.init(model.right, Optim.sgd(0.1), Key.key(0))
 * assert.ok(E.isRight(state))
 * const xor = { x: { shape: [4, 2], data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]) }, y: { shape: [4, 1], data: new Float32Array([0, 1, 1, 0]) } }
 * const traces = []
 * for await (const p of Train.fit(model.right, Optim.sgd(0.1), state.right, xor, { epochs: 10, batchSize: 4 })) traces.push(p.trace)
 * const last = traces[traces.length - 1]!
 * assert.deepStrictEqual(flowSeries(last, 'dL/dz').layers, ['serial/0/dense', 'serial/1/dense'])
 * assert.strictEqual(flowSeries(last, 'dL/dz').values[0], last.layers[0]!.gradPre.l2)
 * assert.deepStrictEqual(lossSeries(traces).points.map((p) => p.y), traces.map((t) => t.loss))
 *
 * @since 0.1.0
 */
import * as O from 'fp-ts/lib/Option.js'
import type { LayerTrace, ParamTrace, StepTrace } from '../trace/Trace'
import type { DecaySeries, FlowSeries, LineSeries } from './charts'
import type { HeatmapData } from './heatmap'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Which signal to read from a layer: 'gradPre' is ‖dL/dz‖ at the pre-activation,
 * 'gradOut' is ‖dL/d(output)‖, 'weight' is ‖dL/dW‖ (layers without parameters are skipped).
 *
 * @category model
 * @since 0.1.0
 */
export type Which = 'gradPre' | 'gradOut' | 'weight'

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const weightParam = (l: LayerTrace): ParamTrace | undefined => l.params.find((p) => p.name === 'W') ?? l.params[0]

const has = (which: Which) => (l: LayerTrace): boolean => which !== 'weight' || weightParam(l) !== undefined

/** The L2 norm a layer contributes for `which` (NaN when it has none). @category utils @since 0.1.0 */
export const layerNorm = (which: Which) => (l: LayerTrace): number =>
  which === 'weight' ? (weightParam(l)?.grad.l2 ?? NaN) : l[which].l2

/** A y-axis title for `which`. @category utils @since 0.1.0 */
export const whichLabel = (which: Which): string =>
  which === 'weight' ? 'weight gradient ‖dL/dW‖' : which === 'gradPre' ? 'gradient norm ‖dL/dz‖' : 'gradient norm ‖dL/dh‖'

const evenly = <A>(xs: ReadonlyArray<A>, max: number): ReadonlyArray<A> => {
  if (xs.length <= max || max < 2) return xs
  return Array.from({ length: max }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (max - 1))] as A)
}

// -------------------------------------------------------------------------------------
// views
// -------------------------------------------------------------------------------------

/**
 * Per-layer L2 norms of one step, input first: data for `gradientFlowChart`.
 *
 * @category views
 * @since 0.1.0
 */
export const flowSeries = (trace: StepTrace, label: string, which: Which = 'gradPre'): FlowSeries => {
  const ls = trace.layers.filter(has(which))
  return { label, layers: ls.map((l) => l.path), values: ls.map(layerNorm(which)) }
}

/**
 * Layers × steps matrix of L2 norms (rows: layers in trace order, input first;
 * columns: steps), thinned evenly to at most `maxCols` steps. A layer missing
 * from a step gives NaN.
 *
 * @category views
 * @since 0.1.0
 */
export const layerStepMatrix = (traces: ReadonlyArray<StepTrace>, which: Which = 'gradPre', maxCols = 120): HeatmapData => {
  const ts = evenly(traces, maxCols)
  const rows = [...new Set(ts.flatMap((t) => t.layers.filter(has(which)).map((l) => l.path)))]
  const norm = layerNorm(which)
  return {
    rows,
    cols: ts.map((t) => String(t.step)),
    values: rows.map((path) => ts.map((t) => {
      const l = t.layers.find((x) => x.path === path)
      return l === undefined ? NaN : norm(l)
    })),
  }
}

/**
 * Time × steps matrix of ‖dL/dh_t‖ for the recurrent layer at `path`
 * (rows: t = 0 … T-1; columns: steps, at most `maxCols`).
 *
 * @category views
 * @since 0.1.0
 */
export const timeStepMatrix = (traces: ReadonlyArray<StepTrace>, path: string, maxCols = 120): HeatmapData => {
  const ts = evenly(traces, maxCols)
  const per = ts.map((t) => t.layers.find((l) => l.path === path)?.time?.gradH ?? [])
  const T = Math.max(0, ...per.map((g) => g.length))
  return {
    rows: Array.from({ length: T }, (_, t) => `t = ${t}`),
    cols: ts.map((t) => String(t.step)),
    values: Array.from({ length: T }, (_, t) => per.map((g) => g[t] ?? NaN)),
  }
}

/**
 * ‖dL/dh_t‖ (or ‖dL/dc_t‖ with `state: 'c'`) of a recurrent layer, index = t;
 * `none` when the layer has no time trace.
 *
 * @category views
 * @since 0.1.0
 */
export const timeDecaySeries = (layer: LayerTrace, label: string = layer.kind, state: 'h' | 'c' = 'h'): O.Option<DecaySeries> => {
  const vs = state === 'h' ? layer.time?.gradH : layer.time?.gradC
  return vs === undefined ? O.none : O.some({ label, values: [...vs] })
}

/** Loss against step. @category views @since 0.1.0 */
export const lossSeries = (traces: ReadonlyArray<StepTrace>, label = 'loss'): LineSeries => ({
  label,
  points: traces.map((t) => ({ x: t.step, y: t.loss })),
})

/** Global gradient norm against step, before and (when clipping changed it) after clipping. @category views @since 0.1.0 */
export const gradNormSeries = (traces: ReadonlyArray<StepTrace>): ReadonlyArray<LineSeries> => {
  const before: LineSeries = { label: 'global ‖g‖ before clipping', points: traces.map((t) => ({ x: t.step, y: t.gradNorm })) }
  const clipped = traces.some((t) => !Object.is(t.gradNormClipped, t.gradNorm))
  return clipped ? [before, { label: 'after clipping', points: traces.map((t) => ({ x: t.step, y: t.gradNormClipped })) }] : [before]
}
