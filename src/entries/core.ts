/**
 * gradtrace without the report and the codecs: everything to build, train and
 * trace networks, for programs that start often and draw nothing (serverless
 * functions, Workers, CLIs). It loads in about half the time of the full
 * entry; add `gradtrace/report` pictures or `Codec` files from 'gradtrace'
 * where you need them.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * const net = Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(2))
 * const model = Model.compile(net, { input: [4], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * const opt = Optim.sgd(0.1)
 * const batch = { x: { shape: [2, 4], data: new Float32Array([1, 0, 0, 0, 0, 0, 0, 1]) }, y: new Int32Array([0, 1]) }
 * const r = E.chain((s: Train.TrainState) => Train.step(model.right, opt)(s, batch))(Train.init(model.right, opt, Key.key(0)))
 * assert.ok(E.isRight(r))
 * const [state, trace] = r.right // the new state, and the gradient trace of this step
 * assert.strictEqual(state.step, 1)
 * assert.ok(trace.loss > 0 && trace.layers.length === 2)
 *
 * @since 0.1.0
 */
export * as Err from '../core/Error'
export * as Key from '../core/Key'
export * as Params from '../core/Params'
export * as Tensor from '../core/Tensor'
export * as Layer from '../model/layers'
export * as Model from '../model/compile'
export * as Ops from '../plan/ops'
export * as Optim from '../optim/index'
export * as Rbm from '../rbm/index'
export * as Train from '../train/index'
export * as Trace from '../trace/index'
export * as Wasm from '../wasm/index'
