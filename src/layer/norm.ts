/**
 * Layer normalisation (Ba, Kiros & Hinton 2016): each example's features are
 * normalised to zero mean and unit variance over the last axis, then scaled
 * and shifted by learned gamma and beta. It keeps every layer's input at unit
 * scale whatever the weights do, one of the remedies `diagnose` suggests.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * import { layerNorm } from './norm'
 * const model = Model.compile(Layer.serial(Layer.dense(64), layerNorm()), { input: [16], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const x = { shape: [1, 16], data: Float32Array.from({ length: 16 }, (_, i) => 100 * Math.sin(i)) } // large inputs
 * const y = model.right.apply(model.right.init(Key.key(0)), x)
 * assert.ok(E.isRight(y))
 * const mean = y.right.data.reduce((s, v) => s + v, 0) / 64
 * const variance = y.right.data.reduce((s, v) => s + (v - mean) ** 2, 0) / 64
 * assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-3) // unit scale, whatever came in
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import { size } from '../core/Tensor'
import * as Ops from '../plan/ops'
import { constant, zeros } from './init'
import type { LeafKind } from './Layer'

/** @category codecs */
export const LayerNormSpec = t.intersection([t.type({ kind: t.literal('layerNorm') }), t.partial({ eps: t.number })])
/** @category model */
export type LayerNormSpec = Readonly<t.TypeOf<typeof LayerNormSpec>>

/** Layer normalisation over the last axis (eps default 1e-5, as PyTorch). @category layers */
export const layerNorm = (eps?: number): LayerNormSpec => (eps === undefined ? { kind: 'layerNorm' } : { kind: 'layerNorm', eps })

/** @category kinds */
export const layerNormKind: LeafKind<LayerNormSpec> = {
  _tag: 'leaf',
  kind: 'layerNorm',
  codec: LayerNormSpec,
  outShape: (spec, s, path) => (spec.eps === undefined || (Number.isFinite(spec.eps) && spec.eps > 0) ? E.right(s) : E.left(invalidArgument(`${path}.eps`, `must be a positive finite number, got ${spec.eps}`))),
  params: (_, s) => {
    const C = s[s.length - 1] ?? 1
    return [
      { name: 'gamma', shape: [C], init: constant(1), fans: [C, C] as const },
      { name: 'beta', shape: [C], init: zeros, fans: [C, C] as const },
    ]
  },
  emit: (spec, ctx) => {
    const C = ctx.inShape[ctx.inShape.length - 1] ?? 1
    const rows = ctx.batch * (size(ctx.inShape) / C)
    const [gamma, beta] = ctx.params
    const y = ctx.buf('y', rows * C)
    const xhat = ctx.buf('xhat', rows * C)
    const rstd = ctx.buf('rstd', rows)
    const dy = ctx.grad('dy', rows * C)
    // without a dx to accumulate into (first layer), the kernel still needs somewhere to write it
    const dx = ctx.dx ?? ctx.buf('dx.unused', rows * C)
    return {
      y,
      dy,
      forward: [Ops.layerNorm(y, xhat, rstd, ctx.x, gamma!.value, beta!.value, rows, C, spec.eps ?? 1e-5)],
      backward: [Ops.layerNormBwd(dx, gamma!.grad, beta!.grad, dy, xhat, rstd, gamma!.value, rows, C)],
    }
  },
}
