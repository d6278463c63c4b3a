/**
 * Report: pure functions from trace data to SVG, HTML and text. No DOM, no
 * Node APIs: runs in Node, browsers and Workers.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Report, Train } from 'gradtrace'
 * // six sigmoid layers with the classic initialisation: the textbook vanishing gradient
 * const deep = Layer.serial(...Array.from({ length: 6 }, () => Layer.dense(32, { activation: 'sigmoid', init: Layer.init.classic })), Layer.dense(1))
 * const model = Model.compile(deep, { input: [32], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const x = { shape: [8, 32], data: Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)) }
 * const batch = { x, y: { shape: [8, 1], data: new Float32Array(8).fill(1) } }
 * const opt = Optim.sgd(0.1)
 * const r = E.chain((s: Train.TrainState) => Train.step(model.right, opt)(s, batch))(Train.init(model.right, opt, Key.key(0)))
 * assert.ok(E.isRight(r))
 * const flow = Report.flowSeries(r.right[1], 'sigmoid, classic init') // ‖dL/dz‖ per layer, input first
 * assert.ok(flow.values[0]! < 1e-3 * flow.values[flow.values.length - 1]!) // three decades and more lost on the way in
 * assert.ok(Report.gradientFlowChart([flow], { title: 'Where the gradient vanishes' }).startsWith('<svg'))
 *
 * @since 0.1.0
 */
export * from './charts'
export * from './gridHeatmap'
export * from './html'
export * from './traceViews'
export { escapeXml } from './svg'
export { okabeIto, sameColour, viridis } from './palette'
