/**
 * Network specs as JSON. `decodeSpec` walks a spec tree with each kind's
 * codec and `children`, so an unknown kind or a bad field is an error value
 * naming its place with the layer paths `compile` uses (`serial/2/dense`,
 * then `.field`): `serial/2/dense.units: expected number, got "64"`.
 * `NetworkFile` is the saved form of a network with its input shape and loss.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer } from 'gradtrace/core'
 * import { decodeSpec, encodeSpec } from './spec'
 * const net = Layer.serial(Layer.dense(64), Layer.tanh, Layer.dense(10))
 * assert.deepStrictEqual(decodeSpec(encodeSpec(net)), E.right(net))
 * assert.deepStrictEqual(
 *   decodeSpec({ kind: 'serial', layers: [{ kind: 'dense', units: 'x' }] }),
 *   E.left({ _tag: 'DecodeError', path: 'serial/0/dense.units', message: 'expected number, got "x"' }),
 * )
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeError, type GradtraceError, show } from '../core/Error'
import type { Kind, LayerSpec } from '../layer/Layer'
import { builtins, lookupIn } from '../model/registry'
import { LossCodec } from '../loss/Loss'
import { describe, fromErrors, parseJson } from '../core/decoding'
import { MAX_LAYER_DEPTH, strict, unknownField } from '../core/strict'

// ------------------------------------------------------------------- walking

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/**
 * Where a child sits in its parent, in `compile`'s path convention: a child in
 * an array field is `<index>/<kind>` (serial, parallel), a child in a plain
 * field is `<field>` (residual's `block`, `shortcut`).
 */
const locate = (parent: Record<string, unknown>, child: unknown): { readonly seg: (kind: string) => string; readonly set: (o: Record<string, unknown>, v: unknown) => void } | null => {
  for (const [k, v] of Object.entries(parent)) {
    if (k === 'kind') continue
    if (v === child) return { seg: () => k, set: (o, x) => void (o[k] = x) }
    if (Array.isArray(v)) {
      const i = v.indexOf(child)
      if (i >= 0) return { seg: (kind) => `${i}/${kind}`, set: (o, x) => void (o[k] = (o[k] as unknown[]).map((y, n) => (n === i ? x : y))) }
    }
  }
  return null
}

/** A long layer path cut to its first levels (a path 1,000 layers deep is not a message). */
const shortPath = (path: string): string => {
  const parts = path.split('/')
  return parts.length > 12 ? `${parts.slice(0, 12).join('/')}/…` : path
}

interface Walk {
  readonly lookup: (name: string) => Kind | undefined
  readonly names: string
  /** the specs enclosing the one being walked (a spec inside itself is circular) */
  readonly above: Set<object>
}

const walk = (w: Walk, u: unknown, path: string, depth: number): E.Either<GradtraceError, LayerSpec> => {
  const at = (f: string) => (path === '' ? f : `${path}.${f}`)
  if (!isRecord(u)) return E.left(decodeError(path, `expected a layer spec (an object with a string "kind"), got ${describe(u)}`))
  if (w.above.has(u)) return E.left(decodeError(shortPath(path), 'circular spec: this layer contains itself'))
  if (depth > MAX_LAYER_DEPTH) return E.left(decodeError(shortPath(path), `layers nested deeper than ${MAX_LAYER_DEPTH} levels`))
  if (typeof u.kind !== 'string') return E.left(decodeError(at('kind'), `expected a string layer kind, got ${describe(u.kind)}`))
  const kind = w.lookup(u.kind)
  if (!kind) return E.left(decodeError(at('kind'), `unknown layer kind ${JSON.stringify(u.kind)}; expected one of ${w.names}`))
  const decoded = kind.codec.decode(u)
  if (E.isLeft(decoded)) return E.left(fromErrors(decoded.left, path))
  // #9: io-ts drops fields it does not know; a misspelt `activatoin` left the layer linear
  const extra = unknownField(kind.codec, u)
  if (extra) return E.left(decodeError(at(extra.path), extra.message))
  const spec = decoded.right as Record<string, unknown> & LayerSpec
  if (kind._tag === 'leaf') return E.right(spec)
  let out: (Record<string, unknown> & LayerSpec) | null = null
  const children = kind.children(spec) as ReadonlyArray<unknown>
  w.above.add(u)
  try {
    for (let i = 0; i < children.length; i++) {
      const child = children[i]
      const where = locate(spec, child)
      const ck = isRecord(child) && typeof child.kind === 'string' ? child.kind : '?'
      const r = walk(w, child, `${path}/${where ? where.seg(ck) : `${i}/${ck}`}`, depth + 1)
      if (E.isLeft(r)) return r
      if (r.right !== child && where) {
        out ??= { ...spec }
        where.set(out, r.right)
      }
    }
  } finally {
    w.above.delete(u)
  }
  return E.right(out ?? spec)
}

/** Walks a parsed spec from its root (whose path is its kind); an error about the root value itself has the empty path. */
const walkRoot = (kinds: ReadonlyArray<Kind>) => {
  const all = [...builtins, ...kinds]
  const names = [...new Set(all.map((k) => k.kind))].join(', ')
  const lookup = lookupIn(all)
  return (u: unknown): E.Either<GradtraceError, LayerSpec> =>
    walk({ lookup, names, above: new Set() }, u, isRecord(u) && typeof u.kind === 'string' ? u.kind : '', 1)
}

// -------------------------------------------------------------------- codecs

/**
 * Decodes a network spec (a value or JSON text): each layer with its kind's
 * codec, looked up among the built-in kinds and `kinds` (later ones win).
 * The first problem is a `DecodeError` whose path is the layer path and field.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec } from './spec'
 * const r = decodeSpec({ kind: 'serial', layers: [{ kind: 'dense', units: 8 }, { kind: 'conv' }] })
 * assert.ok(E.isLeft(r) && r.left._tag === 'DecodeError')
 * assert.strictEqual(r.left.path, 'serial/1/conv.kind')
 * assert.match(r.left.message, /^unknown layer kind "conv"; expected one of dense, activation, /)
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeSpec = (json: unknown, kinds: ReadonlyArray<Kind> = []): E.Either<GradtraceError, LayerSpec> =>
  E.mapLeft((e: GradtraceError) => (e._tag === 'DecodeError' && e.path === '' ? decodeError('spec', e.message) : e))(E.chain(walkRoot(kinds))(parseJson(json)))

/**
 * A spec as JSON text (specs are plain data, so this is `JSON.stringify`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { Layer } from 'gradtrace/core'
 * import { encodeSpec } from './spec'
 * assert.strictEqual(encodeSpec(Layer.dense(10)), '{"kind":"dense","units":10}')
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeSpec = (spec: LayerSpec, space?: number): string => JSON.stringify(spec, null, space)

/**
 * An io-ts codec for layer specs that decodes with `decodeSpec`; a failure
 * carries the layer path as one context segment, so `fromErrors` reports
 * e.g. `spec.serial/2/dense.units`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { fromErrors } from '../core/decoding'
 * import { layerSpecCodec } from './spec'
 * // a spec inside a file format of your own
 * const Experiment = t.type({ name: t.string, net: layerSpecCodec() })
 * const r = E.mapLeft(fromErrors)(Experiment.decode({ name: 'deep', net: { kind: 'serial', layers: [{ kind: 'dense', units: '8' }] } }))
 * assert.ok(E.isLeft(r) && r.left._tag === 'DecodeError' && r.left.path === 'net.serial/0/dense.units')
 *
 * @category codecs
 * @since 0.1.0
 */
export const layerSpecCodec = (kinds: ReadonlyArray<Kind> = []): t.Type<LayerSpec, LayerSpec, unknown> => {
  const walkSpec = walkRoot(kinds)
  const codec: t.Type<LayerSpec, LayerSpec, unknown> = new t.Type<LayerSpec, LayerSpec, unknown>(
    'LayerSpec',
    (u): u is LayerSpec => E.isRight(walkSpec(u)),
    (u, c) => {
      const r = walkSpec(u)
      if (E.isRight(r)) return t.success(r.right)
      const e = r.left
      // the inner path becomes one context segment below this codec; the message is the inner one
      if (e._tag !== 'DecodeError') return t.failure(u, c, show(e))
      return t.failure(u, e.path === '' ? c : t.appendContext(c, e.path, codec, u), e.message)
    },
    t.identity,
  )
  return codec
}

/** @category model */
export interface NetworkFile {
  readonly format: 'gradtrace-network'
  readonly version: 1
  readonly input: ReadonlyArray<number>
  readonly loss: t.TypeOf<typeof LossCodec>
  readonly spec: LayerSpec
}

/** A positive integer (a dimension). @category codecs @since 0.1.0 */
export const Dim = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'a positive integer')

/** A shape: an array of positive integers. @category codecs @since 0.1.0 */
export const ShapeCodec = t.readonlyArray(Dim, 'a shape (array of positive integers)')

/**
 * The codec of a saved network with user kinds besides the built-in ones.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { networkFileCodec } from './spec'
 * // pass your own layer kinds (see Layer.LeafKind) so files that use them decode; no kinds: the built-ins only
 * const file = { format: 'gradtrace-network', version: 1, input: [2], loss: 'mse', spec: { kind: 'double' } }
 * assert.ok(E.isLeft(networkFileCodec([]).decode(file)))
 *
 * @category codecs
 * @since 0.1.0
 */
export const networkFileCodec = (kinds: ReadonlyArray<Kind> = []): t.Type<NetworkFile, NetworkFile, unknown> =>
  t.readonly(
    strict(t.type({
      format: t.literal('gradtrace-network'),
      version: t.literal(1),
      input: ShapeCodec,
      loss: LossCodec,
      spec: layerSpecCodec(kinds),
    })),
    'NetworkFile',
  ) as unknown as t.Type<NetworkFile, NetworkFile, unknown>

/**
 * A saved network: `{ format: 'gradtrace-network', version: 1, input, loss, spec }`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { NetworkFile } from './spec'
 * const file = { format: 'gradtrace-network', version: 1, input: [4], loss: 'mse', spec: { kind: 'dense', units: 1 } }
 * assert.ok(E.isRight(NetworkFile.decode(file)))
 * assert.ok(E.isLeft(NetworkFile.decode({ ...file, version: 2 })))
 *
 * @category codecs
 * @since 0.1.0
 */
export const NetworkFile = networkFileCodec()

/**
 * Decodes a saved network (a value or JSON text); errors name the field,
 * e.g. `input[1]` or `spec.serial/0/dense.units`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeNetworkFile } from './spec'
 * const text = '{"format":"gradtrace-network","version":1,"input":[4, 0],"loss":"mse","spec":{"kind":"dense","units":1}}'
 * assert.deepStrictEqual(decodeNetworkFile(text), E.left({ _tag: 'DecodeError', path: 'input[1]', message: 'expected a positive integer, got 0' }))
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeNetworkFile = (json: unknown, kinds: ReadonlyArray<Kind> = []): E.Either<GradtraceError, NetworkFile> =>
  E.chain((u: unknown) => E.mapLeft((es: t.Errors) => fromErrors(es))(networkFileCodec(kinds).decode(u)))(parseJson(json))

/**
 * A network file as JSON text.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer } from 'gradtrace/core'
 * import { decodeNetworkFile, encodeNetworkFile } from './spec'
 * const net = { input: [4], loss: 'mse', spec: Layer.dense(1) } as const
 * const text = encodeNetworkFile(net, 2) // indented, for a file people read
 * assert.deepStrictEqual(decodeNetworkFile(text), E.right({ format: 'gradtrace-network', version: 1, ...net }))
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeNetworkFile = (net: Pick<NetworkFile, 'input' | 'loss' | 'spec'>, space?: number): string =>
  JSON.stringify({ format: 'gradtrace-network', version: 1, input: net.input, loss: net.loss, spec: net.spec }, null, space)
