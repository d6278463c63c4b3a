/**
 * Gradient traces and their analysis.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train, Trace } from 'gradtrace/core'
 * // six sigmoid layers with the classic initialisation
 * const deep = Layer.serial(...Array.from({ length: 6 }, () => Layer.dense(32, { activation: 'sigmoid', init: Layer.init.classic })), Layer.dense(1))
 * const model = Model.compile(deep, { input: [32], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const x = { shape: [8, 32], data: Float32Array.from({ length: 256 }, (_, i) => Math.sin(i)) }
 * const batch = { x, y: { shape: [8, 1], data: new Float32Array(8).fill(1) } }
 * const opt = Optim.sgd(0.1)
 * const r = E.chain((s: Train.TrainState) => Train.step(model.right, opt)(s, batch))(Train.init(model.right, opt, Key.key(0)))
 * assert.ok(E.isRight(r))
 * const trace = r.right[1]
 * assert.ok(Trace.firstToLast(trace) < 1e-3) // the first hidden layer's dL/dz: under a thousandth of the last one's
 * assert.ok(Trace.diagnose([trace]).some((f) => f.severity === 'error' && /vanishing/i.test(f.title)))
 *
 * @since 0.1.0
 */
export type * from './Trace'
export * from './analysis'
