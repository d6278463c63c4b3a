/**
 * Window geometry shared by `conv2d` and the pooling layers: images are NHWC,
 * (H, W, C) per example, and a window of (KH, KW) taps moves with strides
 * (SH, SW). Padding follows TensorFlow: `valid` keeps windows inside the
 * image (OH = floor((H - KH) / SH) + 1); `same` gives OH = ceil(H / SH) and
 * pads max((OH - 1) SH + KH - H, 0) rows, the smaller half before the first
 * row. A padding tap reads 0 in a convolution and is skipped by pooling.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { geometry } from './convGeometry'
 * // 28x28x1, 3x3 windows, stride 2, same padding: 14x14 outputs, no row of padding before (pad total 1)
 * const g = geometry({ kernel: 3, stride: 2, padding: 'same' }, [28, 28, 1], 'conv2d')
 * assert.deepStrictEqual(E.map((x: { out: readonly number[]; pad: readonly number[] }) => [x.out, x.pad])(g), E.right([[14, 14], [0, 0]]))
 *
 * @since 0.2.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument } from '../core/Error'
import type { Shape } from '../core/Tensor'
import type { Geometry } from '../wasm/abi'

/** A window size or stride: one number for both axes, or [rows, columns]. @category codecs */
export const Pair = t.union([t.number, t.tuple([t.number, t.number])])
/** @category model */
export type Pair = t.TypeOf<typeof Pair>
/** @category codecs */
export const Padding = t.keyof({ same: null, valid: null })
/** @category model */
export type Padding = t.TypeOf<typeof Padding>

/** The window fields of a conv or pool spec. @category model */
export interface Window {
  readonly kernel: Pair
  readonly stride?: Pair
  readonly padding?: Padding
}

/** A worked-out window over one input shape. @category model */
export interface Geo {
  readonly inH: number
  readonly inW: number
  readonly c: number
  readonly kernel: readonly [number, number]
  readonly stride: readonly [number, number]
  /** padding rows / columns before the first */
  readonly pad: readonly [number, number]
  readonly out: readonly [number, number]
}

const pair = (p: Pair): readonly [number, number] => (typeof p === 'number' ? [p, p] : p)
const positive = (p: readonly [number, number]) => p.every((v) => Number.isInteger(v) && v >= 1)

const axis = (n: number, k: number, s: number, same: boolean): readonly [number, number] => {
  if (!same) return [Math.floor((n - k) / s) + 1, 0]
  const o = Math.ceil(n / s)
  return [o, Math.floor(Math.max((o - 1) * s + k - n, 0) / 2)]
}

/** The geometry of a window spec over an (H, W, C) input, or an error naming the field. @category utils */
export const geometry = (spec: Window, inShape: Shape, path: string): E.Either<GradtraceError, Geo> => {
  if (inShape.length !== 3) return E.left(invalidArgument(path, `expects an image (height, width, channels), got shape [${inShape.join(', ')}]`))
  const [inH, inW, c] = inShape as [number, number, number]
  const kernel = pair(spec.kernel), stride = pair(spec.stride ?? 1)
  if (!positive(kernel)) return E.left(invalidArgument(`${path}.kernel`, `must be positive integers, got ${JSON.stringify(spec.kernel)}`))
  if (!positive(stride)) return E.left(invalidArgument(`${path}.stride`, `must be positive integers, got ${JSON.stringify(spec.stride)}`))
  const same = spec.padding === 'same'
  if (!same && (kernel[0] > inH || kernel[1] > inW))
    return E.left(invalidArgument(`${path}.kernel`, `${kernel[0]}x${kernel[1]} is larger than the ${inH}x${inW} input with valid padding`))
  const [oh, ph] = axis(inH, kernel[0], stride[0], same), [ow, pw] = axis(inW, kernel[1], stride[1], same)
  return E.right({ inH, inW, c, kernel, stride, pad: [ph, pw], out: [oh, ow] })
}

/** The kernel arguments of a geometry for a batch of `b` examples. @category utils */
export const kernelArgs = (g: Geo, b: number): Geometry => [
  b, g.inH, g.inW, g.c, g.kernel[0], g.kernel[1], g.stride[0], g.stride[1], g.pad[0], g.pad[1], g.out[0], g.out[1],
]
