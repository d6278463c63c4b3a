/**
 * Heat maps over the grid of a 2-D recurrent layer (#13): ‖dL/dh(i, j)‖ (or
 * ‖dL/dc(i, j)‖) of one scan direction as an image, rows i by columns j in
 * image coordinates, on the log colour scale of `heatmap`. Where the error
 * signal dies with the distance from the readout corner, one corner is bright
 * and the far one dark (Graves & Schmidhuber 2009's 2-D LSTM keeps it alive).
 *
 * @example
 * import * as assert from 'node:assert'
 * import type { LayerTrace } from '../trace/Trace'
 * import { gridHeatmap, gridMatrix } from './gridHeatmap'
 * const s = { n: 1, mean: 0, std: 0, l2: 1, rms: 1, maxAbs: 1, nonFinite: 0, zeroFrac: 0 }
 * const grid = { rows: 2, cols: 3, directions: ['tl'], gradH: [[1e-4, 1e-3, 1e-2, 1e-3, 1e-2, 1]] }
 * const layer: LayerTrace = { path: 'mdlstm', kind: 'mdlstm', gradOut: s, gradPre: s, gradIn: null, act: null, params: [], grid }
 * const m = gridMatrix(layer)
 * assert.ok(m._tag === 'Some' && m.value.rows.join() === 'i = 0,i = 1' && m.value.values[1]![2] === 1) // the readout corner
 * const svg = gridHeatmap(layer)
 * assert.ok(svg._tag === 'Some' && svg.value.startsWith('<svg'))
 *
 * @since 0.4.0
 */
import * as O from 'fp-ts/lib/Option.js'
import type { LayerTrace } from '../trace/Trace'
import { heatmap, type HeatmapData, type HeatmapOptions } from './heatmap'

/** The rows x cols matrix of one direction's ‖dL/dh‖ ('h') or ‖dL/dc‖ ('c'); none for a layer without a grid. @category views */
export const gridMatrix = (layer: LayerTrace, direction = 0, state: 'h' | 'c' = 'h'): O.Option<HeatmapData> => {
  const g = layer.grid
  const map = g ? (state === 'h' ? g.gradH : g.gradC)?.[direction] : undefined
  if (!g || !map) return O.none
  return O.some({
    rows: Array.from({ length: g.rows }, (_, i) => `i = ${i}`),
    cols: Array.from({ length: g.cols }, (_, j) => `j = ${j}`),
    values: Array.from({ length: g.rows }, (_, i) => map.slice(i * g.cols, (i + 1) * g.cols)),
  })
}

/** The SVG heat map of `gridMatrix`, titled with the layer, the direction and its readout corner. @category charts */
export const gridHeatmap = (layer: LayerTrace, direction = 0, state: 'h' | 'c' = 'h', opts: HeatmapOptions = {}): O.Option<string> => {
  const name = layer.grid?.directions[direction] ?? ''
  const title = `${layer.path}: ‖dL/d${state}(i, j)‖, scan from ${name}`
  const draw = (m: HeatmapData) => heatmap(m, { title, xLabel: 'j', yLabel: 'i', valueLabel: `‖dL/d${state}‖`, ...opts })
  return O.map(draw)(gridMatrix(layer, direction, state))
}
