/**
 * Inverted dropout (Srivastava et al. 2014): in training calls each unit is
 * kept with probability 1 - rate and scaled by 1 / (1 - rate); in inference
 * calls the layer is the identity. The mask comes from the call's key, so the
 * same key gives the same mask in every runtime.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * import { dropout } from './dropout'
 * const compile = (middle: Layer.LayerSpec) => Model.compile(Layer.serial(Layer.dense(8), middle, Layer.dense(1)), { input: [4], loss: 'mse' })
 * const [dropping, plain] = [compile(dropout(0.5)), compile(Layer.identity)]
 * assert.ok(E.isRight(dropping) && E.isRight(plain))
 * const params = dropping.right.init(Key.key(0))
 * const x = { shape: [2, 4], data: new Float32Array([1, 2, 3, 4, 4, 3, 2, 1]) }
 * assert.deepStrictEqual(dropping.right.apply(params, x), plain.right.apply(params, x)) // inference: the identity
 * const batch = { x, y: { shape: [2, 1], data: new Float32Array([1, 0]) } }
 * const loss = (seed: number) => E.map((g: { loss: number }) => g.loss)(dropping.right.valueAndGrad(params, batch, { key: Key.key(seed) }))
 * assert.deepStrictEqual(loss(1), loss(1)) // training: the key draws the mask, so the same key drops the same units
 * assert.notDeepStrictEqual(loss(1), loss(2))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import * as Ops from '../plan/ops'
import type { LeafKind } from './Layer'

/** @category codecs */
export const DropoutSpec = t.type({ kind: t.literal('dropout'), rate: t.number })
/** @category model */
export type DropoutSpec = Readonly<t.TypeOf<typeof DropoutSpec>>

/** A dropout layer that drops each unit with probability `rate`. @category layers */
export const dropout = (rate: number): DropoutSpec => ({ kind: 'dropout', rate })

/** @category kinds */
export const dropoutKind: LeafKind<DropoutSpec> = {
  _tag: 'leaf',
  kind: 'dropout',
  codec: DropoutSpec,
  outShape: (spec, s, path) =>
    spec.rate >= 0 && spec.rate < 1 ? E.right(s) : E.left(invalidArgument(`${path}.rate`, `must be in [0, 1), got ${spec.rate}`)),
  params: () => [],
  emit: (spec, ctx) => {
    const n = ctx.batch * ctx.inSize
    const y = ctx.buf('y', n)
    const mask = ctx.buf('mask', n)
    const dy = ctx.grad('dy', n)
    const tmp = ctx.buf('tmp', n)
    return {
      y,
      dy,
      forward: [Ops.dropout(y, mask, ctx.x, n, spec.rate, ctx.salt)],
      backward: ctx.dx === null ? [] : [Ops.mul(tmp, dy, mask, n), Ops.add(ctx.dx, ctx.dx, tmp, n)],
    }
  },
}
