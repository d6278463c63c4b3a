/**
 * Everything to describe a network: layers, activations, combinators and
 * initialisers, all plain data.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Model } from 'gradtrace/core'
 * import { dense, init, residual, serial, tanh } from './layers'
 * const net = serial(dense(64, { init: init.glorotUniform }), tanh, residual(dense(64, { activation: 'relu' })), dense(10))
 * assert.deepStrictEqual(JSON.parse(JSON.stringify(net)), net) // plain data: it saves as JSON and reads back
 * const model = Model.compile(net, { input: [784], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model) && model.right.output.join() === '10')
 *
 * @since 0.1.0
 */
export { dense, type DenseOptions, type DenseSpec } from '../layer/dense'
export { dropout, type DropoutSpec } from '../layer/dropout'
export { layerNorm, type LayerNormSpec } from '../layer/norm'
export { batchNorm, type BatchNormOptions, type BatchNormSpec } from '../layer/batchNorm'
export { conv2d, type Conv2dOptions, type Conv2dSpec } from '../layer/conv'
export { flatten, type FlattenSpec } from '../layer/convFlatten'
export { avgPool, globalAvgPool, maxPool, type AvgPoolSpec, type GlobalAvgPoolSpec, type MaxPoolSpec, type PoolOptions } from '../layer/pool'
export {
  activation,
  elu,
  gelu,
  hardTanh,
  leakyRelu,
  relu,
  selu,
  sigmoid,
  softplus,
  softsign,
  tanh,
  type ActivationSpec,
} from '../layer/activation'
export { serial, type SerialSpec } from '../combinator/serial'
export { fanInConcat, fanInSum, fanOut, identityLayer as identity, parallel, type ParallelSpec } from '../combinator/fan'
export { residual, type ResidualSpec } from '../combinator/residual'
export { basicBlock, plainTwin, preActBlock, resnet, type BlockOptions, type ResNetOptions } from '../combinator/blocks'
export * as init from '../layer/init'
export type { BuildCtx, CombinatorKind, Emitted, EmitCtx, Kind, LayerSpec, LeafKind, ParamDecl, Port, Probes, Value } from '../layer/Layer'
export { builtins } from './registry'
export {
  gru,
  irnn,
  lstm,
  rnn,
  Seq,
  type GruOptions,
  type GruSpec,
  type LstmOptions,
  type LstmSpec,
  type RnnOptions,
  type RnnSpec,
} from '../layer/recurrent/index'
export { mdlstm, rnn2d, type MdlstmOptions, type MdlstmSpec, type Rnn2dOptions, type Rnn2dSpec } from '../layer/recurrent2d/index'
