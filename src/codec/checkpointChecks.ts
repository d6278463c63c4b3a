/**
 * What a checkpoint must satisfy beyond its shape (#9): optimizer state that
 * fits the parameters and the optimizer, checksums that match the data (a
 * changed character or two swapped floats), finite values (training cannot
 * resume from NaN), and, when a model or an optimizer is given, agreement
 * with them (spec, input, loss, parameter paths and shapes, state layout).
 * Every failure names its field: `params[2].data`, `opt[0][1]`, `spec.layers[1].activation`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { firstDifference } from './checkpointChecks'
 * const model = { kind: 'serial', layers: [{ kind: 'dense', units: 4, activation: 'relu' }] }
 * const saved = { kind: 'serial', layers: [{ kind: 'dense', units: 4, activation: 'tanh' }] }
 * assert.deepStrictEqual(firstDifference(model, saved, 'spec'), {
 *   path: 'spec.layers[0].activation',
 *   message: 'expected "relu" (the model\'s spec), got "tanh"',
 * })
 * assert.strictEqual(firstDifference(model, structuredClone(model), 'spec'), null)
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { decodeError, type GradtraceError } from '../core/Error'
import type { Param } from '../core/Params'
import { type ReadonlyFloat32Array, type Shape, size } from '../core/Tensor'
import type { LayerSpec } from '../layer/Layer'
import type { UserKind } from '../model/Model'
import { type GradientTransformation, slotNames as optimizerSlots } from '../optim/Transform'
import { crc32F32 } from './crc32'
import { describe } from '../core/decoding'
import type { FieldProblem } from '../core/strict'

// -------------------------------------------------------------------- model

/** The fields these checks read. @category model */
export interface Saved {
  readonly version: 1 | 2
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: string
  readonly params: ReadonlyArray<Param>
  readonly optimizer: GradientTransformation
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  readonly crc32?: { readonly params: ReadonlyArray<string>; readonly opt: ReadonlyArray<ReadonlyArray<string>> }
}

/** What a model gives to check a checkpoint against. @category model */
export interface Target {
  readonly spec: LayerSpec
  readonly input: Shape
  readonly loss: string
  readonly params: ReadonlyArray<{ readonly path: string; readonly shape: Shape }>
}

// ----------------------------------------------------------------- utilities

/** A problem at a path, as a failure io-ts reports there (the path is one context segment, as `strict` does). */
const fail = <A>(u: unknown, c: t.Context, p: FieldProblem): t.Validation<A> => t.failure<A>(u, t.appendContext(c, p.path, t.unknown, u), p.message)

const floats = (shape: Shape, n: number): string => `expected ${size(shape)} floats (shape [${shape.join(', ')}]), got ${n}`

/** The state slot names of an optimizer, in order (user transformation kinds in `kinds`). @category utils */
export const slotNames = (g: GradientTransformation, kinds: ReadonlyArray<UserKind> = []): ReadonlyArray<string> => optimizerSlots(g, kinds)

/** Every float array of a checkpoint with its field path: params first, then the optimizer state. */
const arrays = (v: Saved): ReadonlyArray<readonly [string, ReadonlyFloat32Array]> => [
  ...v.params.map((p, i) => [`params[${i}].data`, p.data] as const),
  ...v.opt.flatMap((slots, i) => slots.map((a, k) => [`opt[${i}][${k}]`, a] as const)),
]

// -------------------------------------------------------------------- checks

/** The optimizer state must fit the parameters and the optimizer: one entry per parameter, one array per slot, of the parameter's size. */
export const checkOpt = (v: Saved, kinds: ReadonlyArray<UserKind> = []): FieldProblem | null => {
  if (v.opt.length !== v.params.length) return { path: 'opt', message: `expected ${v.params.length} entries (one per parameter), got ${v.opt.length}` }
  const names = slotNames(v.optimizer, kinds)
  for (let i = 0; i < v.opt.length; i++) {
    const slots = v.opt[i]!, p = v.params[i]!
    const what = names.join(', ') || 'the optimizer keeps no state'
    if (slots.length !== names.length) return { path: `opt[${i}]`, message: `expected ${names.length} state arrays (${what}), got ${slots.length}` }
    for (let k = 0; k < slots.length; k++)
      if (slots[k]!.length !== p.data.length) return { path: `opt[${i}][${k}]`, message: floats(p.shape, slots[k]!.length) }
  }
  return null
}

/** Each array's CRC-32 must be the one saved beside it (version 2 always saves them). */
export const checkSums = (v: Saved): FieldProblem | null => {
  if (!v.crc32) return v.version >= 2 ? { path: 'crc32', message: 'missing: a version 2 checkpoint carries the CRC-32 of every float array' } : null
  const { params, opt } = v.crc32
  const count = (path: string, want: number, got: number, per: string): FieldProblem => ({ path, message: `expected ${want} checksums (one per ${per}), got ${got}` })
  if (params.length !== v.params.length) return count('crc32.params', v.params.length, params.length, 'parameter')
  if (opt.length !== v.opt.length) return { path: 'crc32.opt', message: `expected ${v.opt.length} entries (one per parameter), got ${opt.length}` }
  for (let i = 0; i < opt.length; i++)
    if (opt[i]!.length !== v.opt[i]!.length) return count(`crc32.opt[${i}]`, v.opt[i]!.length, opt[i]!.length, 'state array')
  const saved = [...params, ...opt.flat()]
  const all = arrays(v)
  for (let i = 0; i < all.length; i++) {
    const [path, a] = all[i]!
    const got = crc32F32(a)
    const why = `checksum mismatch: the data's CRC-32 is ${got}, the checkpoint says ${saved[i]} (the data was changed after it was saved)`
    if (got !== saved[i]) return { path, message: why }
  }
  return null
}

/** Parameters and optimizer state must be finite: a NaN or an infinity cannot be trained from. */
export const checkFinite = (v: Saved): FieldProblem | null => {
  for (const [path, a] of arrays(v))
    for (let j = 0; j < a.length; j++)
      if (!Number.isFinite(a[j]!)) return { path, message: `element ${j} is ${a[j]}: a checkpoint must hold finite values (training cannot resume from it)` }
  return null
}

/** The checks that need only the checkpoint, as an io-ts validation at context `c`. @category utils */
export const checkSaved = <A extends Saved>(v: A, c: t.Context, kinds: ReadonlyArray<UserKind> = []): t.Validation<A> => {
  const p = checkOpt(v, kinds) ?? checkSums(v) ?? checkFinite(v)
  return p ? fail<A>(v, c, p) : t.success(v)
}

// ----------------------------------------------------------- against a model

const keysOf = (o: object): ReadonlyArray<string> => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined)

/**
 * The first place where two JSON values differ, with `want` as the
 * reference (absent and `undefined` fields are the same), or null.
 *
 * @category utils
 * @since 0.1.0
 */
export const firstDifference = (want: unknown, got: unknown, path: string): FieldProblem | null => {
  const wanted = want === undefined ? 'no such field' : describe(want)
  const differ = (): FieldProblem => ({ path, message: `expected ${wanted} (the model's spec), got ${describe(got)}` })
  if (Array.isArray(want) || Array.isArray(got)) {
    if (!Array.isArray(want) || !Array.isArray(got) || want.length !== got.length) return differ()
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(want[i], got[i], `${path}[${i}]`)
      if (d) return d
    }
    return null
  }
  if (typeof want === 'object' && want !== null && typeof got === 'object' && got !== null) {
    for (const k of new Set([...keysOf(want), ...keysOf(got)])) {
      const d = firstDifference((want as Record<string, unknown>)[k], (got as Record<string, unknown>)[k], `${path}.${k}`)
      if (d) return d
    }
    return null
  }
  return Object.is(want, got) || (want === 0 && got === 0) ? null : differ()
}

const shapeText = (s: Shape): string => `[${s.join(', ')}]`

/** The checkpoint must fit the model it is loaded into: spec, input, loss, and each parameter's path and shape. @category utils */
export const fitsModel = (ck: Saved, model: Target): GradtraceError | null => {
  if (ck.input.join() !== model.input.join()) return decodeError('input', `expected ${shapeText(model.input)} (the model's), got ${shapeText(ck.input)}`)
  if (ck.loss !== model.loss) return decodeError('loss', `expected "${model.loss}" (the model's), got "${ck.loss}"`)
  if (ck.params.length !== model.params.length)
    return decodeError('params', `expected ${model.params.length} parameters (the model's), got ${ck.params.length}`)
  for (let i = 0; i < ck.params.length; i++) {
    const want = model.params[i]!, got = ck.params[i]!
    if (got.path !== want.path) return decodeError(`params[${i}].path`, `expected ${want.path}, got ${got.path}`)
    if (got.shape.join() !== want.shape.join())
      return decodeError(`params[${i}].shape`, `expected ${shapeText(want.shape)} (${want.path}), got ${shapeText(got.shape)}`)
  }
  // #9: same parameter shapes do not make the same network (an activation, a dropout rate)
  const d = firstDifference(model.spec, ck.spec, 'spec')
  return d ? decodeError(d.path, d.message) : null
}

/** A given optimizer must keep its state the way the saved one did (its settings, e.g. the learning rate, may differ). @category utils */
export const fitsOptimizer = (ck: Saved, optimizer: GradientTransformation, kinds: ReadonlyArray<UserKind> = []): GradtraceError | null => {
  const want = slotNames(optimizer, kinds), got = slotNames(ck.optimizer, kinds)
  return want.join() === got.join()
    ? null
    : decodeError('optimizer', `the given optimizer keeps state [${want.join(', ')}], the checkpoint's optimizer kept [${got.join(', ')}]`)
}
