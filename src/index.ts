/**
 * gradtrace: neural networks whose every training step returns a gradient
 * trace, so vanishing and exploding gradients can be seen, diagnosed and
 * remedied. Namespaces only; each module documents itself.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model, Optim, Train, Key, Trace } from 'gradtrace'
 * const net = Layer.serial(Layer.dense(64, { activation: 'tanh' }), Layer.dense(10))
 * const model = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
 *
 * @since 0.1.0
 */
export * as Codec from './codec/index'
export * as Err from './core/Error'
export * as Key from './core/Key'
export * as Params from './core/Params'
export * as Report from './report/index'
export * as Tensor from './core/Tensor'
export * as Layer from './layer/index'
export * as Model from './plan/compile'
export * as Ops from './plan/ops'
export * as Optim from './optim/index'
export * as Train from './train/index'
export * as Trace from './trace/index'
export * as Wasm from './wasm/index'
