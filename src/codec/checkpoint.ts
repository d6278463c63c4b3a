/**
 * Checkpoints: everything to resume training bit for bit — the network spec,
 * input shape and loss, the parameters, the optimizer and its state, the key
 * and the step count. Float arrays are base64 of their little-endian float32
 * bytes, so parameters come back with identical bits (NaN payloads included).
 * A corrupted or mismatched checkpoint is an error value naming the field:
 * `params[3].data: expected 4096 floats (shape [64, 64]), got 4095`.
 *
 * @example
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeCheckpoint, encodeCheckpoint } from './checkpoint'
 * // const text = encodeCheckpoint(model, opt, state)
 * // const back = decodeCheckpoint(text, model, opt) // Right({ state, spec, input, loss, optimizer })
 * // E.map(c => Params.hash(c.state.params) === Params.hash(state.params))(back) // Right(true)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { decodeError, type GradtraceError } from '../core/Error'
import { fromWords, type Key } from '../core/Key'
import type { Param, Params } from '../core/Params'
import { type ReadonlyFloat32Array, type Shape, size } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import { flatten, type GradientTransformation, GradientTransformationCodec, validate } from '../optim/Transform'
import type { Model } from '../plan/compile'
import { type Loss, LossCodec } from '../train/loss'
import type { TrainState } from '../train/step'
import { decodeF32, encodeF32 } from './base64'
import { describe, fromErrors, parseJson } from './errors'
import { layerSpecCodec, ShapeCodec } from './spec'

// -------------------------------------------------------------------- model

/** A checkpoint as a value. @category model */
export interface Checkpoint {
  readonly format: 'gradtrace-checkpoint'
  readonly version: 1
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: Loss
  readonly params: Params
  readonly optimizer: GradientTransformation
  /** optimizer state: per parameter, one array per slot */
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  readonly key: Key
  readonly step: number
}

/** What `decodeCheckpoint` gives back: the training state and what it belongs to. @category model */
export interface Restored {
  readonly state: TrainState
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: Loss
  /** the optimizer saved in the checkpoint */
  readonly optimizer: GradientTransformation
}

// -------------------------------------------------------------------- codecs

/**
 * Float32 data as base64 of its little-endian bytes.
 *
 * @example
 * import { F32Base64 } from './checkpoint'
 * F32Base64.encode(new Float32Array([1])) // 'AACAPw=='
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

const envelope = (kinds: ReadonlyArray<Kind>) =>
  t.type({
    format: t.literal('gradtrace-checkpoint'),
    version: t.literal(1),
    spec: layerSpecCodec(kinds),
    input: ShapeCodec,
    loss: LossCodec,
    params: t.readonlyArray(ParamCodec),
    optimizer: GradientTransformationCodec,
    opt: OptState,
    key: KeyCodec,
    step: StepCount,
  })

/** The kinds of the transformations that keep state, in slot order, with their slot names. */
const slotNames = (g: GradientTransformation): ReadonlyArray<string> =>
  flatten(g).flatMap((x) => (x.kind === 'momentum' ? ['momentum v'] : x.kind === 'rmsprop' ? ['rmsprop s'] : x.kind === 'adam' ? ['adam m', 'adam v'] : []))

/** The optimizer state must fit the parameters and the optimizer: one entry per parameter, one array per slot, of the parameter's size. */
const checkOpt = (v: Omit<Checkpoint, 'format' | 'version'>, c: t.Context): t.Validation<Omit<Checkpoint, 'format' | 'version'>> => {
  const oc = t.appendContext(c, 'opt', OptState, v.opt)
  if (v.opt.length !== v.params.length) return t.failure(v.opt, oc, `expected ${v.params.length} entries (one per parameter), got ${v.opt.length}`)
  const names = slotNames(v.optimizer)
  for (let i = 0; i < v.opt.length; i++) {
    const slots = v.opt[i]!, p = v.params[i]!
    const ic = t.appendContext(oc, String(i), OptState.type, slots)
    if (slots.length !== names.length) return t.failure(slots, ic, `expected ${names.length} state arrays (${names.join(', ') || 'the optimizer keeps no state'}), got ${slots.length}`)
    for (let k = 0; k < slots.length; k++)
      if (slots[k]!.length !== p.data.length) return t.failure(slots[k], t.appendContext(ic, String(k), F32Base64, slots[k]), floats(p.shape, slots[k]!.length))
  }
  return t.success(v)
}

/**
 * The checkpoint codec with user layer kinds besides the built-in ones.
 *
 * @example
 * import { checkpointCodec } from './checkpoint'
 * // checkpointCodec([myKind]).decode(JSON.parse(text))
 *
 * @category codecs
 * @since 0.1.0
 */
export const checkpointCodec = (kinds: ReadonlyArray<Kind> = []): t.Type<Checkpoint, t.OutputOf<ReturnType<typeof envelope>>, unknown> => {
  const env = envelope(kinds)
  return new t.Type<Checkpoint, t.OutputOf<typeof env>, unknown>(
    'Checkpoint',
    (u): u is Checkpoint => env.is(u),
    (u, c) => E.chain((v: t.TypeOf<typeof env>) => checkOpt(v, c) as t.Validation<Checkpoint>)(env.validate(u, c) as t.Validation<t.TypeOf<typeof env>>),
    (a) => env.encode(a as t.TypeOf<typeof env>),
  )
}

/**
 * `{ format: 'gradtrace-checkpoint', version: 1, spec, input, loss, params: [{ path, shape, data }],
 * optimizer, opt, key: { k0, k1 }, step }`, float data as base64.
 *
 * @example
 * import { Checkpoint } from './checkpoint'
 * // Checkpoint.decode(JSON.parse(text))
 *
 * @category codecs
 * @since 0.1.0
 */
export const Checkpoint = checkpointCodec()

// ----------------------------------------------------------------- functions

/**
 * A training state as checkpoint JSON text, with the model's spec, input and
 * loss and the optimizer.
 *
 * @example
 * import { encodeCheckpoint } from './checkpoint'
 * // const text = encodeCheckpoint(model, adam(1e-3), state)
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeCheckpoint = (model: Pick<Model, 'spec' | 'input' | 'loss'>, optimizer: GradientTransformation, state: TrainState, space?: number): string =>
  JSON.stringify(
    Checkpoint.encode({
      format: 'gradtrace-checkpoint',
      version: 1,
      spec: model.spec,
      input: model.input,
      loss: model.loss,
      params: state.params,
      optimizer,
      opt: state.opt,
      key: state.key,
      step: state.step,
    }),
    null,
    space,
  )

const shapeText = (s: Shape): string => `[${s.join(', ')}]`

/** The checkpoint must fit the model it is loaded into: input, loss, and each parameter's path and shape. */
const fitsModel = (ck: Checkpoint, model: Pick<Model, 'input' | 'loss' | 'params'>): GradtraceError | null => {
  if (ck.input.join() !== model.input.join()) return decodeError('input', `expected ${shapeText(model.input)} (the model's), got ${shapeText(ck.input)}`)
  if (ck.loss !== model.loss) return decodeError('loss', `expected "${model.loss}" (the model's), got "${ck.loss}"`)
  if (ck.params.length !== model.params.length) return decodeError('params', `expected ${model.params.length} parameters (the model's), got ${ck.params.length}`)
  for (let i = 0; i < ck.params.length; i++) {
    const want = model.params[i]!, got = ck.params[i]!
    if (got.path !== want.path) return decodeError(`params[${i}].path`, `expected ${want.path}, got ${got.path}`)
    if (got.shape.join() !== want.shape.join()) return decodeError(`params[${i}].shape`, `expected ${shapeText(want.shape)} (${want.path}), got ${shapeText(got.shape)}`)
  }
  return null
}

/** A given optimizer must keep its state the way the saved one did (its settings, e.g. the learning rate, may differ). */
const fitsOptimizer = (ck: Checkpoint, optimizer: GradientTransformation): GradtraceError | null => {
  const want = slotNames(optimizer), got = slotNames(ck.optimizer)
  return want.join() === got.join()
    ? null
    : decodeError('optimizer', `the given optimizer keeps state [${want.join(', ')}], the checkpoint's optimizer kept [${got.join(', ')}]`)
}

/**
 * A checkpoint from JSON text (or a parsed value). With a model, the
 * parameters' paths and shapes, the input shape and the loss must match it;
 * with an optimizer, its state layout must match the saved one's. Any problem
 * is a `DecodeError` naming the field (`params[1].path`, `opt[0][1]`, `key.k0`,
 * `step`, ...). User layer kinds in the spec need `kinds`.
 *
 * @example
 * import { decodeCheckpoint } from './checkpoint'
 * // decodeCheckpoint(text, model, adam(1e-3)) // Right({ state, spec, input, loss, optimizer })
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeCheckpoint = (
  json: unknown,
  model?: Pick<Model, 'input' | 'loss' | 'params'>,
  optimizer?: GradientTransformation,
  kinds: ReadonlyArray<Kind> = [],
): E.Either<GradtraceError, Restored> =>
  pipe(
    parseJson(json),
    E.chain((u) => E.mapLeft((es: t.Errors) => fromErrors(es))(checkpointCodec(kinds).decode(u))),
    E.chain((ck) => {
      const bad = validate(ck.optimizer) ?? (model ? fitsModel(ck, model) : null) ?? (optimizer ? fitsOptimizer(ck, optimizer) : null)
      return bad
        ? E.left(bad)
        : E.right({
            state: { params: ck.params, opt: ck.opt, step: ck.step, key: ck.key },
            spec: ck.spec,
            input: ck.input,
            loss: ck.loss,
            optimizer: ck.optimizer,
          })
    }),
  )
