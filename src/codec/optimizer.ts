/**
 * Optimizers as JSON for people (#9): only `kind` and `lr` are needed; the
 * other settings default as in the constructors (PyTorch's and Optax's
 * defaults: Adam b1 0.9, b2 0.999, eps 1e-8; RMSProp rho 0.9, eps 1e-8;
 * momentum 0.9). A field the optimizer does not have (`betas`, `lrr`) is an
 * error naming it. Decoding gives the full `GradientTransformation`, so what
 * is saved again (a checkpoint) spells every setting out. Each
 * transformation decodes with its kind's codec, looked up by name among the
 * built-in kinds and the user kinds passed in (`decodeOptimizer(json, [lion])`),
 * as layer specs decode with their kinds.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeOptimizer } from './optimizer'
 * assert.deepStrictEqual(decodeOptimizer({ kind: 'adam', lr: 0.003 }), E.right({ kind: 'adam', lr: 0.003, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 }))
 * // PyTorch spells it beta1; here it is b1, and the error says which fields there are
 * const typo = decodeOptimizer({ kind: 'adam', lr: 0.003, beta1: 0.8 })
 * assert.deepStrictEqual(typo, E.left({ _tag: 'DecodeError', path: 'beta1', message: 'unknown field; known fields: kind, lr, b1, b2, eps, wd' }))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeWith, parseJson } from '../core/decoding'
import type { GradtraceError } from '../core/Error'
import { strict } from '../core/strict'
import { type AnyTransformKind, builtinNames, builtins, type GradientTransformation, isTransformKind, lookup } from '../optim/Transform'

// ------------------------------------------------------------------ defaults

/**
 * The settings an optimizer file may leave out, per built-in kind (the
 * constructors' defaults: `adam(lr)`, `rmsprop(lr)`, `momentum(lr)`).
 *
 * @category utils
 * @since 0.1.0
 */
export const optimizerDefaults: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.freeze(
  Object.fromEntries(builtins.flatMap((k) => (k.defaults ? [[k.kind, k.defaults] as const] : []))),
)

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** The fields given, then the defaults in the kind's order, each as given when it was. */
const withDefaults = (u: Readonly<Record<string, unknown>>, defaults: AnyTransformKind['defaults']): Readonly<Record<string, unknown>> => {
  if (!defaults) return u
  const given = Object.entries(u).filter(([k]) => !(k in defaults))
  return Object.fromEntries([...given, ...Object.entries(defaults).map(([k, v]) => [k, u[k] ?? v])])
}

// -------------------------------------------------------------------- codecs

/** The codec of transformations of the built-in kinds and `kinds`, chains included. */
type Codec = t.Type<GradientTransformation, GradientTransformation, unknown>

const transformationCodec = (kinds: ReadonlyArray<{ readonly _tag: string }>): Codec => {
  const names = [...builtinNames, ...kinds.filter(isTransformKind).map((k) => k.kind)].map((n) => JSON.stringify(n)).join(', ')
  const strictOf = new Map<AnyTransformKind, t.Type<GradientTransformation, unknown, unknown>>()
  const strictCodec = (k: AnyTransformKind) => strictOf.get(k) ?? strictOf.set(k, strict(k.codec)).get(k)!
  const validate = (u: unknown, c: t.Context): t.Validation<GradientTransformation> => {
    if (!isRecord(u)) return t.failure(u, c) // 'expected GradientTransformation, got ...'
    const kind = u.kind
    const atKind = (message: string) =>
      t.failure<GradientTransformation>(kind, t.appendContext(c, 'kind', t.string, kind), `${message}; expected one of ${names}`)
    if (typeof kind !== 'string') return atKind(kind === undefined ? 'missing' : 'not a name')
    if (kind === 'chain') return chainCodec.validate(u, c)
    const k = lookup(kinds, kind)
    if (!k) return atKind(`unknown kind ${JSON.stringify(kind)}`)
    return strictCodec(k).validate(withDefaults(u, k.defaults), c)
  }
  const is = (u: unknown): u is GradientTransformation => E.isRight(validate(u, []))
  const self: Codec = new t.Type('GradientTransformation', is, validate, t.identity)
  const chainCodec = strict(t.type({ kind: t.literal('chain'), items: t.array(self) }))
  return self
}

/**
 * The optimizer codec with user transformation kinds besides the built-in
 * ones: `kind` and `lr` required (`max` for the clipping kinds, `items` for
 * `chain`), other settings defaulted, unknown fields rejected. Encodes every
 * setting.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { optimizerCodec } from './optimizer'
 * const clipped = optimizerCodec().decode({ kind: 'chain', items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam', lr: 1e-3 }] })
 * assert.ok(E.isRight(clipped))
 * assert.deepStrictEqual(optimizerCodec().encode(clipped.right), { // every setting spelled out
 *   kind: 'chain',
 *   items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam', lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 }],
 * })
 *
 * @category codecs
 * @since 0.1.0
 */
export const optimizerCodec = (kinds: ReadonlyArray<{ readonly _tag: string }> = []): Codec => transformationCodec(kinds)

/** The codec of the built-in kinds (`optimizerCodec()`). @category codecs @since 0.1.0 */
export const OptimizerCodec = optimizerCodec()

/**
 * Decodes an optimizer (a value or JSON text), with user transformation
 * kinds besides the built-in ones; errors name the field (`items[1].lr`, `b1`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeOptimizer } from './optimizer'
 * assert.deepStrictEqual(decodeOptimizer('{"kind":"sgd","lr":0.1}'), E.right({ kind: 'sgd', lr: 0.1 }))
 * const missing = decodeOptimizer({ kind: 'chain', items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam' }] })
 * assert.ok(E.isLeft(missing) && missing.left._tag === 'DecodeError' && missing.left.path === 'items[1].lr')
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeOptimizer = (json: unknown, kinds: ReadonlyArray<{ readonly _tag: string }> = []): E.Either<GradtraceError, GradientTransformation> =>
  E.chain(decodeWith(optimizerCodec(kinds)))(parseJson(json))
