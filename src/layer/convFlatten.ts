/**
 * `flatten`: an image (H, W, C) read as a vector of H*W*C features, in NHWC
 * order. Nothing moves: NHWC rows are already contiguous, so flatten only
 * changes the shape the next layer sees (no op, no buffer, no trace entry),
 * and dL/dx is dL/dy in the same buffer.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { flatten } from './convFlatten'
 * const model = Model.compile(Layer.serial(Layer.conv2d(4, 3), flatten, Layer.dense(10)), { input: [5, 5, 1], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model))
 * assert.deepStrictEqual(model.right.params.map((p) => p.shape), [[3, 3, 1, 4], [4], [100, 10], [10]]) // 5*5*4 features in
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import { deepFreeze } from '../core/frozen'
import { size } from '../core/Tensor'
import type { CombinatorKind } from './Layer'

/** @category codecs */
export const FlattenSpec = t.type({ kind: t.literal('flatten') })
/** @category model */
export type FlattenSpec = Readonly<t.TypeOf<typeof FlattenSpec>>

/** All feature axes as one. @category layers */
export const flatten: FlattenSpec = deepFreeze({ kind: 'flatten' })

/** @category kinds */
export const flattenKind: CombinatorKind<FlattenSpec> = {
  _tag: 'combinator',
  kind: 'flatten',
  codec: FlattenSpec,
  children: () => [],
  build: (_, input, ctx) =>
    input._tag === 'port' ? E.right({ ...input, shape: [size(input.shape)] }) : E.left(invalidArgument(ctx.path, 'expects a single tensor, got a tuple')),
}
