/**
 * Residual blocks of convolutional nets as in He et al. 2016 (#12), as spec
 * functions: `basicBlock` (two 3x3 convolutions with batch norm, the sum,
 * then ReLU; "Deep residual learning for image recognition"), with a
 * projection shortcut (1x1 convolution with the block's stride, then batch
 * norm) where the shape changes; `preActBlock` (batch norm and ReLU before
 * each convolution, nothing after the sum; "Identity mappings in deep
 * residual networks", 2016b); `resnet`, the 6n+2-layer CIFAR net of §4.2;
 * and `plainTwin`, the same net without its skips, for the plain-versus-
 * residual comparison: every `residual` replaced by its block, parameters
 * and layers otherwise alike.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Model } from 'gradtrace/core'
 * import { basicBlock, plainTwin, resnet } from './blocks'
 * const net = resnet({ n: 1, classes: 10 }) // 8 layers: a conv, three stages of one block, the classifier
 * const [res, plain] = [net, plainTwin(net)].map((s) => Model.compile(s, { input: [28, 28, 1], loss: 'softmaxCrossEntropy' }))
 * assert.ok(res && plain && E.isRight(res) && E.isRight(plain))
 * assert.deepStrictEqual(res.right.output, [10])
 * // the same parameters but the projections', which only the skips have
 * const shapes = (m: Model.Model) => m.params.filter((p) => !p.path.includes('shortcut')).map((p) => p.shape.join('x'))
 * assert.deepStrictEqual(shapes(plain.right), shapes(res.right))
 * assert.ok(!JSON.stringify(plainTwin(net)).includes('residual'))
 * assert.strictEqual(basicBlock(32, { stride: 2 }).layers[0]!.kind, 'residual') // stride 2: a projection shortcut
 *
 * @since 0.2.0
 */
import { batchNorm } from '../layer/batchNorm'
import { conv2d } from '../layer/conv'
import { globalAvgPool } from '../layer/pool'
import { activation } from '../layer/activation'
import { dense } from '../layer/dense'
import { heNormal } from '../layer/init'
import type { LayerSpec } from '../layer/Layer'
import { residual, type ResidualSpec } from './residual'
import { serial, type SerialSpec } from './serial'

/** @category model */
export interface BlockOptions {
  /** of the first convolution and the shortcut (default 1) */
  readonly stride?: number
  /** a projection shortcut (1x1 convolution): needed where the shape changes; default: when stride > 1 */
  readonly project?: boolean
}

const relu = activation('relu')
const conv3 = (filters: number, stride = 1) => conv2d(filters, 3, { stride, padding: 'same', useBias: false, init: heNormal })
const project = (filters: number, o: BlockOptions): boolean => o.project ?? (o.stride ?? 1) > 1

/** He et al.'s basic block: relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)). @category combinators */
export const basicBlock = (filters: number, o: BlockOptions = {}): SerialSpec => {
  const branch = serial(conv3(filters, o.stride), batchNorm(), relu, conv3(filters), batchNorm())
  const shortcut = project(filters, o) ? serial(conv2d(filters, 1, { stride: o.stride ?? 1, useBias: false, init: heNormal }), batchNorm()) : undefined
  return serial(residual(branch, shortcut), relu)
}

/** The pre-activation block (He et al. 2016b): x + conv(relu(bn(conv(relu(bn(x)))))), a 1x1 projection where the shape changes. @category combinators */
export const preActBlock = (filters: number, o: BlockOptions = {}): ResidualSpec => {
  const branch = serial(batchNorm(), relu, conv3(filters, o.stride), batchNorm(), relu, conv3(filters))
  return residual(branch, project(filters, o) ? conv2d(filters, 1, { stride: o.stride ?? 1, useBias: false, init: heNormal }) : undefined)
}

/** @category model */
export interface ResNetOptions {
  /** blocks per stage: 6n + 2 layers in all */
  readonly n: number
  readonly classes: number
  /** filters of the three stages (default 16, 32, 64, as the paper's CIFAR nets) */
  readonly widths?: readonly [number, number, number]
  readonly preActivation?: boolean
}

/**
 * The 6n+2-layer net of He et al. §4.2: a 3x3 conv, three stages of n blocks (the 2nd and 3rd start
 * with stride 2), global average pooling, a classifier. @category combinators
 */
export const resnet = (o: ResNetOptions): SerialSpec => {
  const [w1, w2, w3] = o.widths ?? [16, 32, 64]
  const block = o.preActivation ? preActBlock : basicBlock
  const stage = (w: number, first: BlockOptions) => Array.from({ length: o.n }, (_, i) => block(w, i === 0 ? first : {}))
  const [stem, head] = o.preActivation ? [[], [batchNorm(), relu]] : [[batchNorm(), relu], []]
  const stages = [...stage(w1, {}), ...stage(w2, { stride: 2 }), ...stage(w3, { stride: 2 })]
  return serial(conv3(w1), ...stem, ...stages, ...head, globalAvgPool, dense(o.classes))
}

const isSpec = (u: unknown): u is LayerSpec & Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && typeof (u as { kind?: unknown }).kind === 'string'

/** The net without its skips: every `residual(block, shortcut)` replaced by its block, everything else as it is. @category combinators */
export const plainTwin = <S extends LayerSpec>(spec: S): LayerSpec => walk(spec) as LayerSpec

const walk = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(walk)
  if (!isSpec(u)) return u
  if (u.kind === 'residual') return walk((u as unknown as ResidualSpec).block)
  return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, walk(v)]))
}
