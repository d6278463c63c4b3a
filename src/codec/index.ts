/**
 * io-ts codecs for everything that crosses a boundary: network specs,
 * gradient traces and checkpoints. Decoding returns `Either<GradtraceError, A>`;
 * a bad input is a `DecodeError` whose path names the field
 * (`serial/2/dense.units`, `runs[0].traces[7].loss`, `params[3].data`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Codec, Layer } from 'gradtrace'
 * const net = Layer.serial(Layer.dense(8, { activation: 'relu' }), Layer.dense(2))
 * assert.deepStrictEqual(Codec.decodeSpec(Codec.encodeSpec(net)), E.right(net))
 * // a hand-edited file with a typo: the error names the layer and the field
 * const edited = '{"kind":"serial","layers":[{"kind":"dense","units":8,"activaton":"relu"},{"kind":"dense","units":2}]}'
 * const bad = Codec.decodeSpec(edited)
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'DecodeError')
 * assert.strictEqual(bad.left.path, 'serial/0/dense.activaton')
 * assert.match(bad.left.message, /did you mean "activation"\?/)
 *
 * @since 0.1.0
 */
export {
  decodeNetworkFile,
  decodeSpec,
  Dim,
  encodeNetworkFile,
  encodeSpec,
  layerSpecCodec,
  NetworkFile,
  networkFileCodec,
  ShapeCodec,
} from './spec'
export {
  ActStatsCodec,
  Count,
  decodeTraceFile,
  decodeTraces,
  encodeTraceFile,
  encodeTraces,
  GridTraceCodec,
  HistogramCodec,
  JsonNumber,
  type JsonNumberOutput,
  LayerTraceCodec,
  ParamTraceCodec,
  StepTraceCodec,
  StepTracesCodec,
  TensorStatsCodec,
  TimeTraceCodec,
  TraceFile,
  traceFile,
  TraceLevelCodec,
  type TraceRun,
} from './trace'
export {
  Checkpoint,
  checkpointCodec,
  type Crc32s,
  decodeCheckpoint,
  encodeCheckpoint,
  F32Base64,
  KeyCodec,
  ParamCodec,
  type Restored,
  StepCount,
  U32,
} from './checkpoint'
export { decodeBase64, decodeF32, encodeBase64, encodeF32 } from './base64'
export { crc32, crc32F32 } from './crc32'
export { decodeOptimizer, OptimizerCodec, optimizerDefaults } from './optimizer'
export { type FieldProblem, MAX_LAYER_DEPTH, MAX_NESTING, nestingError, strict, unknownField } from '../core/strict'
export { decodeWith, fromErrors, parseJson } from '../core/decoding'
