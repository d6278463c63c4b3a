/**
 * Initialisers, as data. Each says how to draw a parameter from its shape's
 * fan-in and fan-out; the draws happen in Wasm from an explicit key
 * (`src/model/initialise.ts`), so the same key gives the same parameters in
 * every runtime.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * import { classic, glorotUniform, heNormal, type InitSpec } from './init'
 * const weights = (init: InitSpec) => {
 *   const model = Model.compile(Layer.dense(256, { init }), { input: [512], loss: 'mse' }) // W is (512, 256)
 *   assert.ok(E.isRight(model))
 *   return model.right.init(Key.key(0))[0]!.data
 * }
 * const maxAbs = (w: ReturnType<typeof weights>) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
 * const he = weights(heNormal) // for relu: normal, std sqrt(2 / fan_in)
 * const std = Math.sqrt(he.reduce((s, v) => s + v * v, 0) / he.length)
 * assert.ok(Math.abs(std / Math.sqrt(2 / 512) - 1) < 0.02)
 * const a = Math.sqrt(6 / (512 + 256)) // glorotUniform, for tanh: U[-a, a]
 * assert.ok(maxAbs(weights(glorotUniform)) <= a && maxAbs(weights(glorotUniform)) > 0.99 * a)
 * assert.ok(maxAbs(weights(classic)) <= 1 / Math.sqrt(512)) // classic: U[-1/sqrt(fan_in), 1/sqrt(fan_in)]
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { deepFreeze } from '../core/frozen'

/** @category codecs */
export const InitSpec = t.union([
  t.type({ kind: t.literal('zeros') }),
  t.type({ kind: t.literal('constant'), value: t.number }),
  t.intersection([t.type({ kind: t.literal('normal'), std: t.number }), t.partial({ mean: t.number })]),
  t.type({ kind: t.literal('uniform'), a: t.number }),
  t.type({ kind: t.literal('classic') }),
  t.type({ kind: t.literal('glorotUniform') }),
  t.type({ kind: t.literal('glorotNormal') }),
  t.type({ kind: t.literal('heUniform') }),
  t.type({ kind: t.literal('heNormal') }),
  t.type({ kind: t.literal('lecunNormal') }),
  t.type({ kind: t.literal('orthogonal'), gain: t.number }),
  t.type({ kind: t.literal('identity'), gain: t.number }),
])
/** @category model */
export type InitSpec = Readonly<t.TypeOf<typeof InitSpec>>

/** All zeros. @category constructors */
export const zeros: InitSpec = deepFreeze({ kind: 'zeros' })
/** Every element `value`. @category constructors */
export const constant = (value: number): InitSpec => ({ kind: 'constant', value })
/** N(mean, std^2). @category constructors */
export const normal = (std: number, mean = 0): InitSpec => ({ kind: 'normal', std, mean })
/** U[-a, a]. @category constructors */
export const uniform = (a: number): InitSpec => ({ kind: 'uniform', a })
/** The classic U[-1/sqrt(fan_in), 1/sqrt(fan_in)] (LeCun 1998; Glorot & Bengio 2010's "standard"). @category constructors */
export const classic: InitSpec = deepFreeze({ kind: 'classic' })
/** Glorot & Bengio 2010: U[-a, a], a = sqrt(6 / (fan_in + fan_out)). @category constructors */
export const glorotUniform: InitSpec = deepFreeze({ kind: 'glorotUniform' })
/** Glorot & Bengio 2010: N(0, 2 / (fan_in + fan_out)). @category constructors */
export const glorotNormal: InitSpec = deepFreeze({ kind: 'glorotNormal' })
/** He et al. 2015: U[-a, a], a = sqrt(6 / fan_in). @category constructors */
export const heUniform: InitSpec = deepFreeze({ kind: 'heUniform' })
/** He et al. 2015: N(0, 2 / fan_in) (not truncated, as PyTorch's kaiming_normal_). @category constructors */
export const heNormal: InitSpec = deepFreeze({ kind: 'heNormal' })
/** LeCun: N(0, 1 / fan_in) (for SELU). @category constructors */
export const lecunNormal: InitSpec = deepFreeze({ kind: 'lecunNormal' })
/** Saxe et al. 2014: a random orthogonal matrix (QR of a Gaussian, signs fixed) times gain. @category constructors */
export const orthogonal = (gain = 1): InitSpec => ({ kind: 'orthogonal', gain })
/** gain times the identity (IRNN, Le et al. 2015); rectangular shapes get ones on the main diagonal. @category constructors */
export const identity = (gain = 1): InitSpec => ({ kind: 'identity', gain })

/**
 * The distribution an initialiser draws from, for a given fan-in and fan-out:
 * uniform on [-a, a] + mean, normal with std, or a structured one.
 * @category utils
 */
export type Draw =
  | { readonly _tag: 'uniform'; readonly a: number }
  | { readonly _tag: 'normal'; readonly mean: number; readonly std: number }
  | { readonly _tag: 'constant'; readonly value: number }
  | { readonly _tag: 'orthogonal'; readonly gain: number }
  | { readonly _tag: 'identity'; readonly gain: number }

/** @category utils */
export const draw = (spec: InitSpec, fanIn: number, fanOut: number): Draw => {
  switch (spec.kind) {
    case 'zeros':
      return { _tag: 'constant', value: 0 }
    case 'constant':
      return { _tag: 'constant', value: spec.value }
    case 'normal':
      return { _tag: 'normal', mean: spec.mean ?? 0, std: spec.std }
    case 'uniform':
      return { _tag: 'uniform', a: spec.a }
    case 'classic':
      return { _tag: 'uniform', a: 1 / Math.sqrt(fanIn) }
    case 'glorotUniform':
      return { _tag: 'uniform', a: Math.sqrt(6 / (fanIn + fanOut)) }
    case 'glorotNormal':
      return { _tag: 'normal', mean: 0, std: Math.sqrt(2 / (fanIn + fanOut)) }
    case 'heUniform':
      return { _tag: 'uniform', a: Math.sqrt(6 / fanIn) }
    case 'heNormal':
      return { _tag: 'normal', mean: 0, std: Math.sqrt(2 / fanIn) }
    case 'lecunNormal':
      return { _tag: 'normal', mean: 0, std: Math.sqrt(1 / fanIn) }
    case 'orthogonal':
      return { _tag: 'orthogonal', gain: spec.gain }
    case 'identity':
      return { _tag: 'identity', gain: spec.gain }
  }
}
