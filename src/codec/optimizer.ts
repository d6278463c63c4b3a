/**
 * Optimizers as JSON for people (#9): only `kind` and `lr` are needed; the
 * other settings default as in the constructors (PyTorch's and Optax's
 * defaults: Adam b1 0.9, b2 0.999, eps 1e-8; RMSProp rho 0.9, eps 1e-8;
 * momentum 0.9). A field the optimizer does not have (`betas`, `lrr`) is an
 * error naming it. Decoding gives the full `GradientTransformation`, so what
 * is saved again (a checkpoint) spells every setting out.
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
import type { GradtraceError } from '../core/Error'
import { ScheduleCodec } from '../optim/schedule'
import type { GradientTransformation } from '../optim/Transform'
import { decodeWith, parseJson } from '../core/decoding'
import { deepFreeze } from '../core/frozen'
import { strict } from '../core/strict'

// ------------------------------------------------------------------ defaults

/**
 * The settings an optimizer file may leave out, per kind (the constructors'
 * defaults: `adam(lr)`, `rmsprop(lr)`, `momentum(lr)`).
 *
 * @category utils
 * @since 0.1.0
 */
export const optimizerDefaults = deepFreeze({
  momentum: { mu: 0.9, nesterov: false },
  rmsprop: { rho: 0.9, eps: 1e-8 },
  adam: { b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 },
} as const)

const withLr = <K extends string, P extends t.Props>(kind: K, optional: P) =>
  t.intersection([t.type({ kind: t.literal(kind), lr: ScheduleCodec }), t.partial(optional)])

// -------------------------------------------------------------------- codecs

const Raw: t.Type<unknown, unknown, unknown> = t.recursion('GradientTransformation', () =>
  t.union([
    t.type({ kind: t.literal('sgd'), lr: ScheduleCodec }),
    withLr('momentum', { mu: t.number, nesterov: t.boolean }),
    withLr('rmsprop', { rho: t.number, eps: t.number }),
    withLr('adam', { b1: t.number, b2: t.number, eps: t.number, wd: t.number }),
    t.type({ kind: t.literal('clipByGlobalNorm'), max: t.number }),
    t.type({ kind: t.literal('clipByValue'), max: t.number }),
    t.type({ kind: t.literal('chain'), items: t.array(Raw) }),
  ]) as unknown as t.Type<unknown, unknown, unknown>,
)

/** Fills the defaults in, all the way down a chain, fields in the constructors' order. */
const complete = (g: Record<string, unknown>): GradientTransformation => {
  const d = <K extends keyof typeof optimizerDefaults>(kind: K): (typeof optimizerDefaults)[K] =>
    Object.fromEntries(Object.entries(optimizerDefaults[kind]).map(([k, v]) => [k, g[k] ?? v])) as (typeof optimizerDefaults)[K]
  switch (g.kind) {
    case 'momentum':
    case 'rmsprop':
    case 'adam':
      return { kind: g.kind, lr: g.lr, ...d(g.kind) } as GradientTransformation
    case 'chain':
      return { kind: 'chain', items: (g.items as ReadonlyArray<Record<string, unknown>>).map(complete) }
    default:
      return g as unknown as GradientTransformation
  }
}

const RawStrict = strict(Raw)

/**
 * The optimizer codec: `kind` and `lr` required (`max` for the clipping
 * kinds, `items` for `chain`), other settings defaulted, unknown fields
 * rejected. Encodes every setting.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { OptimizerCodec } from './optimizer'
 * const clipped = OptimizerCodec.decode({ kind: 'chain', items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam', lr: 1e-3 }] })
 * assert.ok(E.isRight(clipped))
 * assert.deepStrictEqual(OptimizerCodec.encode(clipped.right), { // every setting spelled out
 *   kind: 'chain',
 *   items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam', lr: 1e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 }],
 * })
 *
 * @category codecs
 * @since 0.1.0
 */
export const OptimizerCodec = new t.Type<GradientTransformation, GradientTransformation, unknown>(
  'GradientTransformation',
  (u): u is GradientTransformation => RawStrict.is(u),
  (u, c) => E.map((g: unknown) => complete(g as Record<string, unknown>))(RawStrict.validate(u, c)),
  t.identity,
)

/**
 * Decodes an optimizer (a value or JSON text); errors name the field
 * (`items[1].lr`, `b1`).
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
export const decodeOptimizer = (json: unknown): E.Either<GradtraceError, GradientTransformation> => E.chain(decodeWith(OptimizerCodec))(parseJson(json))
