/**
 * Everything to describe a network: layers, activations, combinators and
 * initialisers, all plain data.
 *
 * @example
 * import { serial, dense, tanh, residual, init } from './layers'
 * serial(dense(64, { init: init.glorotUniform }), tanh, residual(dense(64, { activation: 'relu' })), dense(10))
 *
 * @since 0.1.0
 */
export { dense, type DenseOptions, type DenseSpec } from '../layer/dense'
export { dropout, type DropoutSpec } from '../layer/dropout'
export { layerNorm, type LayerNormSpec } from '../layer/norm'
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
export * as init from '../layer/init'
export type { BuildCtx, CombinatorKind, Emitted, EmitCtx, Kind, LayerSpec, LeafKind, ParamDecl, Port, Probes, Value } from '../layer/Layer'
export { builtins } from './registry'
export { gru, irnn, lstm, rnn, Seq, type GruOptions, type GruSpec, type LstmOptions, type LstmSpec, type RnnOptions, type RnnSpec } from '../layer/recurrent/index'
