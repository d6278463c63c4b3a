/**
 * Batch normalisation (Ioffe & Szegedy 2015): each feature of the last axis
 * (a dense layer's unit, or a channel of an NHWC image, over the batch and
 * every pixel) is normalised with the statistics of the batch while
 * training, then scaled and shifted by learned gamma and beta. Evaluation
 * (`Model.apply`) normalises with running averages of those statistics,
 * which live in the model's STATE (`TrainState.state`, checkpointed), not in
 * its parameters: no gradient reaches them and no optimizer moves them.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model, Optim, Train } from 'gradtrace/core'
 * import { batchNorm } from './batchNorm'
 * const model = Model.compile(batchNorm({ momentum: 0.5 }), { input: [2], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const m = model.right
 * assert.deepStrictEqual(m.state.map((s) => s.path), ['batchNorm/mean', 'batchNorm/var'])
 * const s0 = Train.init(m, Optim.sgd(0.1), Key.key(0))
 * assert.ok(E.isRight(s0))
 * const x = { shape: [4, 2], data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]) } // columns [1, 3, 5, 7] and [2, 4, 6, 8]
 * const r = Train.step(m, Optim.sgd(0.1))(s0.right, { x, y: { shape: [4, 2], data: new Float32Array(8) } })
 * assert.ok(E.isRight(r))
 * const [mean, variance] = r.right[0].state!
 * assert.deepStrictEqual(Array.from(mean!.data), [2, 2.5]) // 0.5 * 0 + 0.5 * the batch means [4, 5]
 * assert.ok(Math.abs(variance!.data[0]! - (0.5 + 0.5 * 20 / 3)) < 1e-5) // from 1, toward the unbiased variance 20/3
 * // evaluation normalises with the running statistics of the state it is given (gamma 1, beta 0 at s0)
 * const y = m.apply(s0.right.params, { shape: [1, 2], data: new Float32Array([2, 2.5]) }, { state: r.right[0].state! })
 * assert.ok(E.isRight(y) && y.right.data.every((v) => Math.abs(v) < 1e-6))
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import { size } from '../core/Tensor'
import * as Ops from '../plan/ops'
import { constant, zeros } from './init'
import type { LeafKind } from './Layer'

/** @category codecs */
export const BatchNormSpec = t.intersection([t.type({ kind: t.literal('batchNorm') }), t.partial({ eps: t.number, momentum: t.number })])
/** @category model */
export type BatchNormSpec = Readonly<t.TypeOf<typeof BatchNormSpec>>

/** @category model */
export interface BatchNormOptions {
  /** added to the variance (default 1e-5, as PyTorch) */
  readonly eps?: number
  /** weight of the batch in the running averages (default 0.1, as PyTorch; Keras's 0.99 is 0.01 here) */
  readonly momentum?: number
}

/** Batch normalisation over the last axis. @category layers */
export const batchNorm = (opts: BatchNormOptions = {}): BatchNormSpec => ({ kind: 'batchNorm', ...opts })

const checkSpec = (spec: BatchNormSpec, path: string) =>
  spec.eps !== undefined && !(Number.isFinite(spec.eps) && spec.eps > 0)
    ? invalidArgument(`${path}.eps`, `must be a positive finite number, got ${spec.eps}`)
    : spec.momentum !== undefined && !(spec.momentum >= 0 && spec.momentum <= 1)
      ? invalidArgument(`${path}.momentum`, `must be in [0, 1], got ${spec.momentum}`)
      : null

/** @category kinds */
export const batchNormKind: LeafKind<BatchNormSpec> = {
  _tag: 'leaf',
  kind: 'batchNorm',
  codec: BatchNormSpec,
  outShape: (spec, s, path) => {
    const bad = checkSpec(spec, path)
    return bad ? E.left(bad) : E.right(s)
  },
  params: (_, s) => {
    const C = s[s.length - 1] ?? 1
    return [
      { name: 'gamma', shape: [C], init: constant(1), fans: [C, C] as const },
      { name: 'beta', shape: [C], init: zeros, fans: [C, C] as const },
    ]
  },
  emit: (spec, ctx) => {
    const C = ctx.inShape[ctx.inShape.length - 1] ?? 1
    const rows = ctx.batch * (size(ctx.inShape) / C) // every position of the batch is a sample of its feature
    const [gamma, beta] = ctx.params
    const [y, xhat] = [ctx.buf('y', rows * C), ctx.buf('xhat', rows * C)]
    const bufs = { y, xhat, rstd: ctx.buf('rstd', C), mean: ctx.buf('batch.mean', C), var: ctx.buf('batch.var', C) }
    const running = { mean: ctx.state('mean', C, 0), var: ctx.state('var', C, 1) }
    const dy = ctx.grad('dy', rows * C)
    const dx = ctx.dx ?? ctx.buf('dx.unused', rows * C) // the kernel writes dx whether or not a layer below wants it
    return {
      y: bufs.y,
      dy,
      forward: [Ops.batchNorm(bufs, running, ctx.x, gamma!.value, beta!.value, rows, C, spec.eps ?? 1e-5, spec.momentum ?? 0.1)],
      backward: [Ops.batchNormBwd(dx, gamma!.grad, beta!.grad, dy, bufs.xhat, bufs.rstd, gamma!.value, rows, C)],
    }
  },
}
