/**
 * Activation layers, one for every activation the kernels have, and the facts
 * the trace needs about each: where it saturates and whether it has dead units.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Model } from 'gradtrace/core'
 * import { activation, tanh } from './activation'
 * assert.deepStrictEqual(tanh, { kind: 'activation', fn: 'tanh' }) // a layer is plain data
 * const leaky = Model.compile(activation('leakyRelu', 0.1), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(leaky))
 * const y = leaky.right.apply([], { shape: [1, 3], data: new Float32Array([-1, 0, 2]) })
 * assert.ok(E.isRight(y))
 * assert.deepStrictEqual(y.right.data, new Float32Array([-0.1, 0, 2]))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { deepFreeze } from '../core/frozen'
import * as Ops from '../plan/ops'
import { ActKind, type ActName } from '../wasm/abi'
import type { LeafKind } from './Layer'

const names = Object.keys(ActKind) as ActName[]
/** @category codecs */
export const ActNameCodec = t.keyof(Object.fromEntries(names.map((n) => [n, null])) as Record<ActName, null>)

/** @category codecs */
export const ActivationSpec = t.intersection([t.type({ kind: t.literal('activation'), fn: ActNameCodec }), t.partial({ alpha: t.number })])
/** @category model */
export type ActivationSpec = Readonly<t.TypeOf<typeof ActivationSpec>>

/** The default alpha of parametrised activations (leakyRelu slope 0.01, elu 1). @category utils */
export const defaultAlpha = (fn: ActName): number => (fn === 'leakyRelu' ? 0.01 : fn === 'elu' ? 1 : 0)

export { hasDeadUnits, saturationOnOutput, saturationThreshold } from '../plan/saturation'

/** An activation layer. @category layers */
export const activation = (fn: ActName, alpha?: number): ActivationSpec => (alpha === undefined ? { kind: 'activation', fn } : { kind: 'activation', fn, alpha })

/** @category layers */
export const identity: ActivationSpec = deepFreeze(activation('identity'))
/** @category layers */
export const sigmoid: ActivationSpec = deepFreeze(activation('sigmoid'))
/** @category layers */
export const tanh: ActivationSpec = deepFreeze(activation('tanh'))
/** @category layers */
export const hardTanh: ActivationSpec = deepFreeze(activation('hardTanh'))
/** @category layers */
export const softsign: ActivationSpec = deepFreeze(activation('softsign'))
/** @category layers */
export const relu: ActivationSpec = deepFreeze(activation('relu'))
/** @category layers */
export const leakyRelu = (slope = 0.01): ActivationSpec => activation('leakyRelu', slope)
/** @category layers */
export const elu = (alpha = 1): ActivationSpec => activation('elu', alpha)
/** @category layers */
export const selu: ActivationSpec = deepFreeze(activation('selu'))
/** @category layers */
export const gelu: ActivationSpec = deepFreeze(activation('gelu'))
/** @category layers */
export const softplus: ActivationSpec = deepFreeze(activation('softplus'))

/** @category kinds */
export const activationKind: LeafKind<ActivationSpec> = {
  _tag: 'leaf',
  kind: 'activation',
  codec: ActivationSpec,
  outShape: (_, s) => E.right(s),
  params: () => [],
  emit: (spec, ctx) => {
    const n = ctx.batch * ctx.inSize
    const alpha = spec.alpha ?? defaultAlpha(spec.fn)
    const y = ctx.buf('y', n)
    const dy = ctx.grad('dy', n)
    return {
      y,
      dy,
      forward: [Ops.act(y, ctx.x, n, spec.fn, alpha)],
      backward: ctx.dx === null ? [] : [Ops.actBwd(ctx.dx, ctx.x, y, dy, n, spec.fn, alpha)],
      probes: { act: { fn: spec.fn, z: ctx.x, y } },
    }
  },
}
