/**
 * gradtrace: neural networks whose every training step returns a gradient
 * trace, so vanishing and exploding gradients can be seen, diagnosed and
 * remedied. Namespaces only; each module documents itself. This entry is
 * `gradtrace/core` plus the report (SVG/HTML), the codecs (io-ts) and the
 * data sets and tasks (`Data`: digits, IDX reader, sequence tasks).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Codec, Data, Key, Layer, Model, Optim, Train } from 'gradtrace'
 * const net = Layer.serial(Layer.dense(32, { activation: 'tanh' }), Layer.dense(10))
 * const model = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const digits = Data.Digits.digits() // x (1797, 64), y (1797) labels 0..9
 * const batch = { x: { shape: [32, 64], data: digits.x.slice(0, 32 * 64) }, y: Int32Array.from(digits.y.subarray(0, 32)) }
 * const opt = Optim.adam(1e-3)
 * const r = E.chain((s: Train.TrainState) => Train.step(model.right, opt)(s, batch))(Train.init(model.right, opt, Key.key(0)))
 * assert.ok(E.isRight(r))
 * const trace = r.right[1] // plain data: JSON text and back
 * const back = Codec.decodeTraces(JSON.parse(Codec.encodeTraces([trace])))
 * assert.ok(E.isRight(back) && back.right[0]!.loss === trace.loss)
 *
 * @since 0.1.0
 */
export * from './core'
export * as Codec from '../codec/index'
export * as Data from '../data/index'
export * as Report from '../report/index'
