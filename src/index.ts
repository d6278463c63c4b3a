/**
 * gradtrace: neural networks whose every training step returns a gradient
 * trace, so vanishing and exploding gradients can be seen, diagnosed and
 * remedied. Namespaces only; each module documents itself. This entry is
 * `gradtrace/core` plus the report (SVG/HTML), the codecs (io-ts) and the
 * data sets and tasks (`Data`: digits, IDX reader, sequence tasks).
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model, Optim, Train, Key, Trace } from 'gradtrace'
 * const net = Layer.serial(Layer.dense(64, { activation: 'tanh' }), Layer.dense(10))
 * const model = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
 *
 * @since 0.1.0
 */
export * from './core'
export * as Codec from './codec/index'
export * as Data from './data/index'
export * as Report from './report/index'
