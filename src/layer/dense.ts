/**
 * The fully connected layer: y = f(x W + b) for x (B, in), W (in, out),
 * b (out), with an optional fused activation f. The trace sees both dL/dz
 * (at the pre-activation) and dL/dy.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Model } from 'gradtrace/core'
 * import { dense } from './dense'
 * const model = Model.compile(dense(2, { activation: 'relu' }), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * // W (3, 2) row-major and b (2), set by hand: y = relu(x W + b)
 * const params = [
 *   { path: 'dense/W', shape: [3, 2], data: new Float32Array([1, -1, 1, -1, 1, -1]) },
 *   { path: 'dense/b', shape: [2], data: new Float32Array([0, 0.5]) },
 * ]
 * const y = model.right.apply(params, { shape: [1, 3], data: new Float32Array([1, 2, 3]) })
 * assert.ok(E.isRight(y))
 * assert.deepStrictEqual(y.right.data, new Float32Array([6, 0])) // relu([6, -5.5])
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import { size } from '../core/Tensor'
import * as Ops from '../plan/ops'
import type { Buf, Op } from '../plan/Program'
import type { ActName } from '../wasm/abi'
import { ActNameCodec, defaultAlpha } from './activation'
import { glorotUniform, InitSpec, zeros } from './init'
import type { LeafKind } from './Layer'

/** @category codecs */
export const DenseSpec = t.intersection([
  t.type({ kind: t.literal('dense'), units: t.number }),
  t.partial({ activation: ActNameCodec, alpha: t.number, init: InitSpec, biasInit: InitSpec, useBias: t.boolean }),
])
/** @category model */
export type DenseSpec = Readonly<t.TypeOf<typeof DenseSpec>>

/** @category model */
export interface DenseOptions {
  readonly activation?: ActName
  readonly alpha?: number
  /** weight initialiser (default Glorot uniform, as Keras) */
  readonly init?: InitSpec
  /** bias initialiser (default zeros) */
  readonly biasInit?: InitSpec
  readonly useBias?: boolean
}

/** A dense layer of `units` outputs. @category layers */
export const dense = (units: number, opts: DenseOptions = {}): DenseSpec => ({ kind: 'dense', units, ...opts })

const forwardOps = (spec: DenseSpec, B: number, I: number, O: number, x: Buf, W: Buf, b: Buf | undefined, z: Buf, y: Buf): Op[] => {
  const ops: Op[] = [Ops.gemmNN(z, x, W, B, I, O, false)]
  if (b) ops.push(Ops.biasAdd(z, z, b, B, O))
  if (spec.activation !== undefined && spec.activation !== 'identity') ops.push(Ops.act(y, z, B * O, spec.activation, spec.alpha ?? defaultAlpha(spec.activation)))
  return ops
}

/** @category kinds */
export const denseKind: LeafKind<DenseSpec> = {
  _tag: 'leaf',
  kind: 'dense',
  codec: DenseSpec,
  outShape: (spec, inShape, path) =>
    !Number.isInteger(spec.units) || spec.units < 1
      ? E.left(invalidArgument(`${path}.units`, `must be a positive integer, got ${spec.units}`))
      : E.right([...inShape.slice(0, -1), spec.units]),
  params: (spec, inShape) => {
    const I = inShape[inShape.length - 1] ?? 1
    const W = { name: 'W', shape: [I, spec.units], init: spec.init ?? glorotUniform }
    return spec.useBias === false ? [W] : [W, { name: 'b', shape: [spec.units], init: spec.biasInit ?? zeros, fans: [I, spec.units] as const }]
  },
  emit: (spec, ctx) => {
    const I = ctx.inShape[ctx.inShape.length - 1] ?? 1
    const O = spec.units
    const B = ctx.batch * (size(ctx.inShape) / I) // leading feature dims fold into rows
    const [W, b] = ctx.params
    const fused = spec.activation !== undefined && spec.activation !== 'identity'
    const z = ctx.buf('z', B * O)
    const y = fused ? ctx.buf('y', B * O) : z
    const dy = ctx.grad('dy', B * O)
    const dz = fused ? ctx.grad('dz', B * O) : dy
    const alpha = spec.alpha ?? (fused ? defaultAlpha(spec.activation!) : 0)
    const backward: Op[] = []
    if (fused) backward.push(Ops.actBwd(dz, z, y, dy, B * O, spec.activation!, alpha))
    backward.push(Ops.gemmTN(W!.grad, ctx.x, dz, I, B, O, true))
    if (b) backward.push(Ops.colSumAcc(b.grad, dz, B, O))
    if (ctx.dx) backward.push(Ops.gemmNT(ctx.dx, dz, W!.value, B, O, I, true))
    return {
      y,
      dy,
      forward: forwardOps(spec, B, I, O, ctx.x, W!.value, b?.value, z, y),
      backward,
      probes: fused ? { pre: { z, dz }, act: { fn: spec.activation!, z, y } } : {},
    }
  },
}
