/**
 * `residual(block, shortcut?)`: y = block(x) + shortcut(x), the shortcut being
 * the identity unless given (He et al. 2016). It is `serial(fanOut(2),
 * parallel(block, shortcut), fanInSum)`, with shorter paths (`residual/block/...`)
 * and a trace entry of its own, so the
 * per-block gradient profile (dL/dx at each block's input) can be read.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * import { residual } from './residual'
 * const model = Model.compile(residual(Layer.serial(Layer.dense(4, { activation: 'relu' }), Layer.dense(4))), { input: [4], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * assert.strictEqual(model.right.params[0]!.path, 'residual/block/0/dense/W')
 * // with its block's weights at zero, a residual block passes its input through unchanged
 * const zero = model.right.init(Key.key(0)).map((p) => ({ ...p, data: new Float32Array(p.data.length) }))
 * const x = { shape: [2, 4], data: new Float32Array([1, -2, 3, 0.5, 0, 4, -1, 2]) }
 * const y = model.right.apply(zero, x)
 * assert.ok(E.isRight(y))
 * assert.deepStrictEqual(y.right.data, x.data)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import type { CombinatorKind, LayerSpec } from '../layer/Layer'
import { fanInSum } from './fan'

/** @category model */
export interface ResidualSpec {
  readonly kind: 'residual'
  readonly block: LayerSpec
  readonly shortcut?: LayerSpec
}

/** A residual block. @category combinators */
export const residual = (block: LayerSpec, shortcut?: LayerSpec): ResidualSpec =>
  shortcut === undefined ? { kind: 'residual', block } : { kind: 'residual', block, shortcut }

/** @category kinds */
export const residualKind: CombinatorKind<ResidualSpec> = {
  _tag: 'combinator',
  kind: 'residual',
  codec: t.intersection([t.type({ kind: t.literal('residual'), block: t.UnknownRecord }), t.partial({ shortcut: t.UnknownRecord })]) as unknown as t.Type<ResidualSpec, unknown, unknown>,
  children: (s) => (s.shortcut ? [s.block, s.shortcut] : [s.block]),
  build: (spec, input, ctx) => {
    if (input._tag !== 'port') return E.left(invalidArgument(ctx.path, 'expects a single tensor'))
    const block = ctx.child(spec.block, `${ctx.path}/block`, input)
    if (E.isLeft(block)) return block
    const short = spec.shortcut ? ctx.child(spec.shortcut, `${ctx.path}/shortcut`, input) : E.right(input)
    if (E.isLeft(short)) return short
    const out = ctx.child(fanInSum, `${ctx.path}/sum`, { _tag: 'tuple', items: [block.right, short.right] })
    if (E.isRight(out) && out.right._tag === 'port') ctx.probe('residual', out.right, input)
    return out
  },
}
