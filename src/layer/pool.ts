/**
 * Pooling over NHWC images: `maxPool` and `avgPool` slide a window over each
 * channel; `globalAvgPool` averages each channel over the whole image,
 * (B, H, W, C) to (B, C). Padding taps are skipped (never a maximum, not in
 * an average), as in TensorFlow. The maximum's window position is kept for
 * the backward pass, which routes dL/dy to it (the first maximum on ties).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { avgPool, globalAvgPool, maxPool } from './pool'
 * const x = { shape: [1, 2, 4, 1], data: new Float32Array([1, 5, 2, 0, 3, 4, 8, 6]) }
 * const run = (net: Layer.LayerSpec) => {
 *   const m = Model.compile(net, { input: [2, 4, 1], loss: 'mse' })
 *   assert.ok(E.isRight(m))
 *   const y = m.right.apply([], x)
 *   assert.ok(E.isRight(y))
 *   return Array.from(y.right.data)
 * }
 * assert.deepStrictEqual(run(maxPool(2)), [5, 8]) // 2x2 windows, stride 2
 * assert.deepStrictEqual(run(avgPool(2)), [3.25, 4])
 * assert.deepStrictEqual(run(globalAvgPool), [3.625])
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { deepFreeze } from '../core/frozen'
import * as Ops from '../plan/ops'
import { type Geo, geometry, kernelArgs, Padding, Pair, type Window } from './convGeometry'
import type { EmitCtx, Emitted, LeafKind } from './Layer'

const PoolFields = t.partial({ stride: Pair, padding: Padding })

/** @category codecs */
export const MaxPoolSpec = t.intersection([t.type({ kind: t.literal('maxPool'), kernel: Pair }), PoolFields])
/** @category model */
export type MaxPoolSpec = Readonly<t.TypeOf<typeof MaxPoolSpec>>
/** @category codecs */
export const AvgPoolSpec = t.intersection([t.type({ kind: t.literal('avgPool'), kernel: Pair }), PoolFields])
/** @category model */
export type AvgPoolSpec = Readonly<t.TypeOf<typeof AvgPoolSpec>>
/** @category codecs */
export const GlobalAvgPoolSpec = t.type({ kind: t.literal('globalAvgPool') })
/** @category model */
export type GlobalAvgPoolSpec = Readonly<t.TypeOf<typeof GlobalAvgPoolSpec>>

/** @category model */
export interface PoolOptions {
  /** default: the window size (windows do not overlap) */
  readonly stride?: Pair
  /** 'valid' (default) or 'same' */
  readonly padding?: Padding
}

/** Max pooling over `kernel` windows. @category layers */
export const maxPool = (kernel: Pair, opts: PoolOptions = {}): MaxPoolSpec => ({ kind: 'maxPool', kernel, ...opts })
/** Average pooling over `kernel` windows. @category layers */
export const avgPool = (kernel: Pair, opts: PoolOptions = {}): AvgPoolSpec => ({ kind: 'avgPool', kernel, ...opts })
/** The mean of each channel over the image: (H, W, C) to (C). @category layers */
export const globalAvgPool: GlobalAvgPoolSpec = deepFreeze({ kind: 'globalAvgPool' })

const windowOf = (s: MaxPoolSpec | AvgPoolSpec): Window => ({ kernel: s.kernel, stride: s.stride ?? s.kernel, padding: s.padding ?? 'valid' })
const whole = (inShape: ReadonlyArray<number>): Window => ({ kernel: [inShape[0] ?? 1, inShape[1] ?? 1], padding: 'valid' })

const known = (w: Window, inShape: ReadonlyArray<number>): Geo =>
  E.getOrElseW((): Geo => {
    throw new Error('pool: geometry checked by outShape')
  })(geometry(w, inShape, ''))

const emitMax = (w: Window, ctx: EmitCtx): Emitted => {
  const g = known(w, ctx.inShape), args = kernelArgs(g, ctx.batch)
  const n = ctx.batch * ctx.outSize
  const y = ctx.buf('y', n), idx = ctx.buf('idx', n), dy = ctx.grad('dy', n) // (B, OH, OW, C); idx i32
  return { y, dy, forward: [Ops.maxPool(y, idx, ctx.x, args)], backward: ctx.dx ? [Ops.maxPoolBwd(ctx.dx, idx, dy, args)] : [] }
}

const emitAvg = (w: Window, ctx: EmitCtx): Emitted => {
  const g = known(w, ctx.inShape), args = kernelArgs(g, ctx.batch)
  const n = ctx.batch * ctx.outSize
  const y = ctx.buf('y', n), dy = ctx.grad('dy', n)
  return { y, dy, forward: [Ops.avgPool(y, ctx.x, args)], backward: ctx.dx ? [Ops.avgPoolBwd(ctx.dx, dy, args)] : [] }
}

const outOf = (w: Window, inShape: ReadonlyArray<number>, path: string) => E.map((g: Geo) => [g.out[0], g.out[1], g.c])(geometry(w, inShape, path))

/** @category kinds */
export const maxPoolKind: LeafKind<MaxPoolSpec> = {
  _tag: 'leaf',
  kind: 'maxPool',
  codec: MaxPoolSpec,
  outShape: (spec, s, path) => outOf(windowOf(spec), s, path),
  params: () => [],
  emit: (spec, ctx) => emitMax(windowOf(spec), ctx),
}

/** @category kinds */
export const avgPoolKind: LeafKind<AvgPoolSpec> = {
  _tag: 'leaf',
  kind: 'avgPool',
  codec: AvgPoolSpec,
  outShape: (spec, s, path) => outOf(windowOf(spec), s, path),
  params: () => [],
  emit: (spec, ctx) => emitAvg(windowOf(spec), ctx),
}

/** @category kinds */
export const globalAvgPoolKind: LeafKind<GlobalAvgPoolSpec> = {
  _tag: 'leaf',
  kind: 'globalAvgPool',
  codec: GlobalAvgPoolSpec,
  outShape: (_, s, path) => E.map((sh: ReadonlyArray<number>) => [sh[2]!])(outOf(whole(s), s, path)),
  params: () => [],
  emit: (_, ctx) => emitAvg(whole(ctx.inShape), ctx),
}
