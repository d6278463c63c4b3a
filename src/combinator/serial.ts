/**
 * `serial(a, b, c)`: the output of each layer is the input of the next
 * (stax's `serial`). Paths are `serial/<index>/<kind>`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { serial } from './serial'
 * const model = Model.compile(serial(Layer.dense(64), Layer.tanh, Layer.dense(10)), { input: [784], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model) && model.right.output.join() === '10')
 * assert.deepStrictEqual(model.right.params.map((p) => `${p.path} [${p.shape}]`), [
 *   'serial/0/dense/W [784,64]',
 *   'serial/0/dense/b [64]',
 *   'serial/2/dense/W [64,10]',
 *   'serial/2/dense/b [10]',
 * ])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { GradtraceError } from '../core/Error'
import { childPath, type CombinatorKind, type LayerSpec, type Value } from '../layer/Layer'

/** @category codecs */
export const SerialSpec = t.type({ kind: t.literal('serial'), layers: t.array(t.UnknownRecord) })
/** @category model */
export interface SerialSpec {
  readonly kind: 'serial'
  readonly layers: ReadonlyArray<LayerSpec>
}

/** Layers one after another. @category combinators */
export const serial = (...layers: ReadonlyArray<LayerSpec>): SerialSpec => ({ kind: 'serial', layers })

/** @category kinds */
export const serialKind: CombinatorKind<SerialSpec> = {
  _tag: 'combinator',
  kind: 'serial',
  codec: SerialSpec as unknown as t.Type<SerialSpec, unknown, unknown>,
  children: (s) => s.layers,
  build: (spec, input, ctx) => {
    let v: E.Either<GradtraceError, Value> = E.right(input)
    spec.layers.forEach((layer, i) => {
      if (E.isRight(v)) v = ctx.child(layer, childPath(ctx.path, i, layer), v.right)
    })
    return v
  },
}
