/**
 * Checkpoints: everything to resume training bit for bit — the network spec,
 * input shape and loss, the parameters, the optimizer and its state, the key
 * and the step count. Float arrays are base64 of their little-endian float32
 * bytes, so parameters come back with identical bits (-0 and subnormals
 * included). Format version 2 (#9) stores the CRC-32 of every float array
 * beside it, so a changed character or two swapped floats is caught; values
 * must be finite. A corrupted or mismatched checkpoint is an error value
 * naming the field: `params[3].data: expected 4096 floats (shape [64, 64]), got 4095`,
 * `params[0].data: checksum mismatch: ...`.
 *
 * Version 1 checkpoints (no checksums) still decode, with every other check:
 * a checkpoint can be hours of training, and refusing it would lose that
 * work for a check it never offered. Encoding always writes version 2.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Params, Train } from 'gradtrace/core'
 * import { decodeCheckpoint, encodeCheckpoint } from './checkpoint'
 * const model = Model.compile(Layer.serial(Layer.dense(4, { activation: 'tanh' }), Layer.dense(1)), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const opt = Optim.adam(1e-3)
 * const state = Train.init(model.right, opt, Key.key(0))
 * assert.ok(E.isRight(state))
 * const text = encodeCheckpoint(model.right, opt, state.right)
 * const back = decodeCheckpoint(text, model.right, opt)
 * assert.ok(E.isRight(back))
 * assert.strictEqual(Params.hash(back.right.state.params), Params.hash(state.right.params)) // bit for bit
 * // one character changed in the first weight matrix is caught and named
 * const at = text.indexOf('"data":"') + 12
 * const changed = text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)
 * const bad = decodeCheckpoint(changed, model.right, opt)
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'DecodeError')
 * assert.strictEqual(bad.left.path, 'params[0].data')
 * assert.match(bad.left.message, /checksum mismatch/)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import type { GradtraceError } from '../core/Error'
import { fromWords, type Key } from '../core/Key'
import type { Param, Params } from '../core/Params'
import { type ReadonlyFloat32Array, type Shape, size } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import { type GradientTransformation, isTransformKind, validate } from '../optim/Transform'
import type { Model, UserKind } from '../model/compile'
import { type Loss, LossCodec } from '../loss/Loss'
import type { TrainState } from '../train/step'
import { decodeF32, encodeF32 } from './base64'
import { checkSaved, fitsModel, fitsOptimizer } from './checkpointChecks'
import { crc32F32 } from './crc32'
import { describe, fromErrors, parseJson } from '../core/decoding'
import { optimizerCodec } from './optimizer'
import { layerSpecCodec, ShapeCodec } from './spec'
import { strict } from '../core/strict'

// -------------------------------------------------------------------- model

/** A checkpoint as a value. @category model */
export interface Checkpoint {
  readonly format: 'gradtrace-checkpoint'
  /** 2 since #9 (checksums); 1 is still read */
  readonly version: 1 | 2
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: Loss
  readonly params: Params
  readonly optimizer: GradientTransformation
  /** optimizer state: per parameter, one array per slot */
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  readonly key: Key
  readonly step: number
  /** the model's state (batch norm's running statistics, #12); absent in older checkpoints and for models without one */
  readonly state?: Params
  /** the CRC-32 (8 hex digits) of each float array: read from a file, computed when encoding */
  readonly crc32?: Crc32s
}

/** The checksums of a checkpoint's float arrays, shaped like `params` and `opt`. @category model */
export interface Crc32s {
  readonly params: ReadonlyArray<string>
  readonly opt: ReadonlyArray<ReadonlyArray<string>>
}

/** What `decodeCheckpoint` gives back: the training state and what it belongs to. @category model */
export interface Restored {
  readonly state: TrainState
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: Loss
  readonly optimizer: GradientTransformation // the one saved in the checkpoint
}

// -------------------------------------------------------------------- codecs

/**
 * Float32 data as base64 of its little-endian bytes.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { F32Base64 } from './checkpoint'
 * assert.strictEqual(F32Base64.encode(new Float32Array([1])), 'AACAPw==')
 * assert.deepStrictEqual(F32Base64.decode('AACAPw=='), E.right(new Float32Array([1])))
 *
 * @category codecs
 * @since 0.1.0
 */
export const F32Base64 = new t.Type<ReadonlyFloat32Array, string, unknown>(
  'base64 float32 data',
  (u): u is ReadonlyFloat32Array => u instanceof Float32Array,
  (u, c) =>
    typeof u !== 'string'
      ? t.failure(u, c, `expected a base64 string of little-endian float32 bytes, got ${describe(u)}`)
      : pipe(
          decodeF32(u),
          E.fold((m) => t.failure<ReadonlyFloat32Array>(u, c, m), (a) => t.success<ReadonlyFloat32Array>(a)),
        ),
  encodeF32,
)

/** A u32 word. @category codecs @since 0.1.0 */
export const U32 = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'a u32 (an integer in [0, 2^32))')

/** A step count. @category codecs @since 0.1.0 */
export const StepCount = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer')

const KeyWords = t.type({ k0: U32, k1: U32 })
/** A PRNG key as its two u32 words `{ k0, k1 }`. @category codecs @since 0.1.0 */
export const KeyCodec = new t.Type<Key, { readonly k0: number; readonly k1: number }, unknown>(
  'Key',
  (u): u is Key => KeyWords.is(u) && (u as { _tag?: unknown })._tag === 'Key',
  (u, c) => E.map((w: t.TypeOf<typeof KeyWords>) => fromWords(w.k0, w.k1))(KeyWords.validate(u, c)),
  (k) => ({ k0: k.k0, k1: k.k1 }),
)

const floats = (shape: Shape, n: number): string => `expected ${size(shape)} floats (shape [${shape.join(', ')}]), got ${n}`

const RawParam = t.type({ path: t.string, shape: ShapeCodec, data: F32Base64 })

/** One parameter `{ path, shape, data }`, the data's length checked against the shape. @category codecs @since 0.1.0 */
export const ParamCodec: t.Type<Param, t.OutputOf<typeof RawParam>, unknown> = new t.Type<Param, t.OutputOf<typeof RawParam>, unknown>(
  'Param',
  (u): u is Param => RawParam.is(u) && u.data.length === size(u.shape),
  (u, c) =>
    E.chain((p: Param) => (p.data.length === size(p.shape) ? t.success(p) : t.failure<Param>(p.data, t.appendContext(c, 'data', F32Base64, p.data), floats(p.shape, p.data.length))))(
      RawParam.validate(u, c),
    ),
  (p) => RawParam.encode(p),
)

const OptState = t.readonlyArray(t.readonlyArray(F32Base64))
const Hex8 = t.refinement(t.string, (s) => /^[0-9a-f]{8}$/.test(s), 'a CRC-32 (8 lowercase hex digits)')
const Crc32Codec = t.type({ params: t.readonlyArray(Hex8), opt: t.readonlyArray(t.readonlyArray(Hex8)) })

const envelope = (kinds: ReadonlyArray<UserKind>) =>
  strict(
    t.intersection([
      t.type({
        format: t.literal('gradtrace-checkpoint'),
        version: t.union([t.literal(2), t.literal(1)]),
        spec: layerSpecCodec(kinds.filter((k): k is Kind => !isTransformKind(k))),
        input: ShapeCodec,
        loss: LossCodec,
        params: t.readonlyArray(ParamCodec),
        optimizer: optimizerCodec(kinds),
        opt: OptState,
        key: KeyCodec,
        step: StepCount,
      }),
      t.partial({ crc32: Crc32Codec, state: t.readonlyArray(ParamCodec) }),
    ]),
  )

/** The checksums of a training state's float arrays. */
const crc32s = (params: ReadonlyArray<Param>, opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>): Crc32s => ({
  params: params.map((p) => crc32F32(p.data)),
  opt: opt.map((slots) => slots.map(crc32F32)),
})

/**
 * The checkpoint codec with user layer kinds besides the built-in ones
 * (`decodeCheckpoint` uses it and names the failing field).
 *
 * @category codecs
 * @since 0.1.0
 */
export const checkpointCodec = (kinds: ReadonlyArray<UserKind> = []): t.Type<Checkpoint, t.OutputOf<ReturnType<typeof envelope>>, unknown> => {
  const env = envelope(kinds)
  return new t.Type<Checkpoint, t.OutputOf<typeof env>, unknown>(
    'Checkpoint',
    (u): u is Checkpoint => env.is(u),
    (u, c) => E.chain((v: Checkpoint) => checkSaved(v, c, kinds))(env.validate(u, c) as t.Validation<Checkpoint>),
    (a) =>
      env.encode({
        format: a.format,
        version: 2,
        spec: a.spec,
        input: a.input,
        loss: a.loss,
        params: a.params,
        optimizer: a.optimizer,
        opt: a.opt,
        key: a.key,
        step: a.step,
        crc32: crc32s(a.params, a.opt),
        ...(a.state ? { state: a.state } : {}),
      } as t.TypeOf<typeof env>),
  )
}

/**
 * `{ format: 'gradtrace-checkpoint', version: 2, spec, input, loss, params: [{ path, shape, data }],
 * optimizer, opt, key: { k0, k1 }, step, crc32: { params, opt } }`, float data as base64.
 *
 * @category codecs
 * @since 0.1.0
 */
export const Checkpoint = checkpointCodec()

// ----------------------------------------------------------------- functions

/**
 * A training state as checkpoint JSON text, with the model's spec, input and
 * loss and the optimizer (the module's example saves and restores one).
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeCheckpoint = (model: Pick<Model, 'spec' | 'input' | 'loss'>, optimizer: GradientTransformation, state: TrainState, space?: number): string =>
  JSON.stringify(
    Checkpoint.encode({
      format: 'gradtrace-checkpoint',
      version: 2,
      spec: model.spec,
      input: model.input,
      loss: model.loss,
      params: state.params,
      optimizer,
      opt: state.opt,
      key: state.key,
      step: state.step,
      ...(state.state ? { state: state.state } : {}),
    }),
    null,
    space,
  )

/**
 * A checkpoint from JSON text (or a parsed value). With a model, its spec,
 * the parameters' paths and shapes, the input shape and the loss must match it;
 * with an optimizer, its state layout must match the saved one's. Any problem
 * is a `DecodeError` naming the field (`params[1].path`, `opt[0][1]`, `key.k0`,
 * `step`, ...). User kinds in the spec or the optimizer need `kinds`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * import { decodeCheckpoint, encodeCheckpoint } from './checkpoint'
 * const compile = (units: number) => Model.compile(Layer.dense(units), { input: [3], loss: 'mse' })
 * const [small, large] = [compile(2), compile(4)]
 * assert.ok(E.isRight(small) && E.isRight(large))
 * const state = Train.init(small.right, Optim.adam(1e-3), Key.key(0))
 * assert.ok(E.isRight(state))
 * const text = encodeCheckpoint(small.right, Optim.adam(1e-3), state.right)
 * assert.ok(E.isRight(decodeCheckpoint(text, small.right, Optim.adam(1e-4)))) // a new learning rate is fine
 * const wrongModel = decodeCheckpoint(text, large.right)
 * assert.ok(E.isLeft(wrongModel) && wrongModel.left._tag === 'DecodeError' && wrongModel.left.path === 'params[0].shape')
 * const wrongOptimizer = decodeCheckpoint(text, small.right, Optim.sgd(0.1)) // sgd keeps no state to resume
 * assert.ok(E.isLeft(wrongOptimizer) && wrongOptimizer.left._tag === 'DecodeError' && wrongOptimizer.left.path === 'optimizer')
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeCheckpoint = (
  json: unknown,
  model?: Pick<Model, 'spec' | 'input' | 'loss' | 'params'>,
  optimizer?: GradientTransformation,
  kinds: ReadonlyArray<UserKind> = [],
): E.Either<GradtraceError, Restored> =>
  pipe(
    parseJson(json),
    E.chain((u) => E.mapLeft((es: t.Errors) => fromErrors(es))(checkpointCodec(kinds).decode(u))),
    E.chain((ck) => {
      const bad = validate(ck.optimizer, kinds) ?? (model ? fitsModel(ck, model) : null) ?? (optimizer ? fitsOptimizer(ck, optimizer, kinds) : null)
      return bad
        ? E.left(bad)
        : E.right({
            state: { params: ck.params, opt: ck.opt, step: ck.step, key: ck.key, ...(ck.state ? { state: ck.state } : {}) },
            spec: ck.spec,
            input: ck.input,
            loss: ck.loss,
            optimizer: ck.optimizer,
          })
    }),
  )
