/**
 * The 2-D convolution over NHWC images: y = f(conv(x, W) + b) for x
 * (B, H, W, C), a filter W (KH, KW, C, O) and b (O), giving (B, OH, OW, O).
 *
 * Layout (#12): NHWC, channels contiguous. A patch row of in-image taps is
 * then one contiguous run in x, so gathering patches (im2col) is runs of
 * SIMD copies even with one channel, and the filter read as a
 * (KH*KW*C, O) matrix makes the convolution ONE call of the packed GEMM,
 * whose (B*OH*OW, O) result is already the NHWC output the next layer
 * reads. The backward pass is the same two GEMMs as a dense layer: dW +=
 * col^T dz, and dcol = dz W^T scattered back into dx (col2im). A 1x1
 * convolution with stride 1 skips the gather altogether (col is x).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Model } from 'gradtrace/core'
 * import { conv2d } from './conv'
 * const model = Model.compile(conv2d(1, 2, { padding: 'valid' }), { input: [3, 3, 1], loss: 'mse' })
 * assert.ok(E.isRight(model) && model.right.output.join() === '2,2,1')
 * // a 2x2 filter of ones and bias 0.5 sums each 2x2 window of a 3x3 image
 * const params = [
 *   { path: 'conv2d/W', shape: [2, 2, 1, 1], data: new Float32Array([1, 1, 1, 1]) },
 *   { path: 'conv2d/b', shape: [1], data: new Float32Array([0.5]) },
 * ]
 * const y = model.right.apply(params, { shape: [1, 3, 3, 1], data: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]) })
 * assert.ok(E.isRight(y))
 * assert.deepStrictEqual(Array.from(y.right.data), [12.5, 16.5, 24.5, 28.5])
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { invalidArgument } from '../core/Error'
import * as Ops from '../plan/ops'
import type { Op } from '../plan/Program'
import type { ActName } from '../wasm/abi'
import { ActNameCodec, defaultAlpha } from './activation'
import { type Geo, geometry, kernelArgs, Padding, Pair } from './convGeometry'
import { glorotUniform, InitSpec, zeros } from './init'
import type { EmitCtx, LeafKind } from './Layer'

/** @category codecs */
export const Conv2dSpec = t.intersection([
  t.type({ kind: t.literal('conv2d'), filters: t.number, kernel: Pair }),
  t.partial({ stride: Pair, padding: Padding, activation: ActNameCodec, alpha: t.number, init: InitSpec, biasInit: InitSpec, useBias: t.boolean }),
])
/** @category model */
export type Conv2dSpec = Readonly<t.TypeOf<typeof Conv2dSpec>>

/** @category model */
export interface Conv2dOptions {
  /** one stride for both axes or [rows, columns] (default 1) */
  readonly stride?: Pair
  /** 'same' (default; output ceil(H / stride)) or 'valid' (windows inside the image) */
  readonly padding?: Padding
  readonly activation?: ActName
  readonly alpha?: number
  /** filter initialiser, fans KH*KW*C in and KH*KW*O out (default Glorot uniform, as Keras) */
  readonly init?: InitSpec
  readonly biasInit?: InitSpec
  readonly useBias?: boolean
}

/** A convolution of `filters` outputs with a `kernel` window (one number: square). @category layers */
export const conv2d = (filters: number, kernel: Pair, opts: Conv2dOptions = {}): Conv2dSpec => ({ kind: 'conv2d', filters, kernel, padding: 'same', ...opts })

const geo = (spec: Conv2dSpec, inShape: ReadonlyArray<number>, path: string) =>
  !Number.isInteger(spec.filters) || spec.filters < 1
    ? E.left(invalidArgument(`${path}.filters`, `must be a positive integer, got ${spec.filters}`))
    : geometry(spec, inShape, path)

/** The geometry of an already-checked spec (emit and params run after outShape). */
const known = (spec: Conv2dSpec, inShape: ReadonlyArray<number>): Geo =>
  pipe(
    geometry(spec, inShape, ''),
    E.getOrElseW(() => {
      throw new Error('conv2d: geometry checked by outShape')
    }),
  )

/** Whether col is x itself: a 1x1 window, stride 1 (no padding then). */
const pointwise = (g: Geo) => g.kernel[0] === 1 && g.kernel[1] === 1 && g.stride[0] === 1 && g.stride[1] === 1

const emit = (spec: Conv2dSpec, ctx: EmitCtx) => {
  const g = known(spec, ctx.inShape)
  const [W, b] = ctx.params
  const O = spec.filters, K = g.kernel[0] * g.kernel[1] * g.c
  const rows = ctx.batch * g.out[0] * g.out[1] // one GEMM row per output pixel
  const args = kernelArgs(g, ctx.batch)
  const direct = pointwise(g)
  const col = direct ? ctx.x : ctx.buf('col', rows * K) // col is (rows, K)
  const fused = spec.activation !== undefined && spec.activation !== 'identity'
  const alpha = spec.alpha ?? (fused ? defaultAlpha(spec.activation!) : 0)
  const z = ctx.buf('z', rows * O), y = fused ? ctx.buf('y', rows * O) : z // (B, OH, OW, O)
  const dy = ctx.grad('dy', rows * O), dz = fused ? ctx.grad('dz', rows * O) : dy
  const forward: Op[] = [...(direct ? [] : [Ops.im2col(col, ctx.x, args)]), Ops.gemmNN(z, col, W!.value, rows, K, O, false)]
  if (b) forward.push(Ops.biasAdd(z, z, b.value, rows, O))
  if (fused) forward.push(Ops.act(y, z, rows * O, spec.activation!, alpha))
  const backward: Op[] = fused ? [Ops.actBwd(dz, z, y, dy, rows * O, spec.activation!, alpha)] : []
  backward.push(Ops.gemmTN(W!.grad, col, dz, K, rows, O, true))
  if (b) backward.push(Ops.colSumAcc(b.grad, dz, rows, O))
  if (ctx.dx && direct) backward.push(Ops.gemmNT(ctx.dx, dz, W!.value, rows, O, K, true))
  else if (ctx.dx) {
    const dcol = ctx.buf('dcol', rows * K) // overwritten by the GEMM, then scattered
    backward.push(Ops.gemmNT(dcol, dz, W!.value, rows, O, K, false), Ops.col2imAcc(ctx.dx, dcol, args))
  }
  return { y, dy, forward, backward, probes: fused ? { pre: { z, dz }, act: { fn: spec.activation!, z, y } } : {} }
}

/** @category kinds */
export const conv2dKind: LeafKind<Conv2dSpec> = {
  _tag: 'leaf',
  kind: 'conv2d',
  codec: Conv2dSpec,
  outShape: (spec, inShape, path) => E.map((g: Geo) => [g.out[0], g.out[1], spec.filters])(geo(spec, inShape, path)),
  params: (spec, inShape) => {
    const g = known(spec, inShape)
    const taps = g.kernel[0] * g.kernel[1]
    const fans = [taps * g.c, taps * spec.filters] as const
    const W = { name: 'W', shape: [g.kernel[0], g.kernel[1], g.c, spec.filters], init: spec.init ?? glorotUniform, fans }
    return spec.useBias === false ? [W] : [W, { name: 'b', shape: [spec.filters], init: spec.biasInit ?? zeros, fans }]
  },
  emit,
}
