/**
 * Training: losses, pure steps and `fit`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * const model = Model.compile(Layer.serial(Layer.dense(4, { activation: 'relu' }), Layer.dense(1)), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const opt = Optim.sgd(0.05)
 * const batch = { x: { shape: [2, 3], data: new Float32Array([1, 2, 3, -1, 0, 1]) }, y: { shape: [2, 1], data: new Float32Array([1, -1]) } }
 * const s0 = Train.init(model.right, opt, Key.key(1))
 * assert.ok(E.isRight(s0))
 * const run = Train.step(model.right, opt) // a pure step: (state, batch) -> Either<error, [state, trace]>
 * const a = run(s0.right, batch), b = run(s0.right, batch)
 * assert.ok(E.isRight(a) && E.isRight(b))
 * assert.deepStrictEqual(a.right[0].params, b.right[0].params) // the same state and batch give the same bits
 * assert.strictEqual(s0.right.step, 0) // and the state handed in is unchanged
 * const bad = run(s0.right, { ...batch, y: { shape: [2, 2], data: new Float32Array(4) } })
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'ShapeMismatch' && bad.left.path === 'batch.y') // an error value naming the field
 *
 * @since 0.1.0
 */
export { type Loss, LossCodec } from '../loss/Loss'
export { fromParams, init, step, type StepOptions, type TrainState } from './step'
export { type Data, fit, type FitOptions, type Progress, take } from './fit'
export { checkFit, type FitPlan } from './checkFit'
