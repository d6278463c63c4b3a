/**
 * Residual blocks of He et al. 2016 (#12): gradients of the basic block (with
 * and without a projection shortcut) and of the pre-activation block against
 * central differences of the float64 reference (training mode: batch norm on
 * the batch's statistics), on small random images; the 6n+2 net's output and
 * parameter count; the plain twin's layers and parameters (those of the
 * residual net but the projections).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import { assertCheck, compileOrThrow, makeCase } from './check'

const seed = fc.integer({ min: 0, max: 0x7fffffff })

describe('residual blocks', () => {
  it.each([
    ['basic, identity shortcut', (c: number) => Layer.basicBlock(c)],
    ['basic, projection with stride 2', (c: number) => Layer.basicBlock(c + 1, { stride: 2 })],
    ['pre-activation, identity shortcut', (c: number) => Layer.preActBlock(c)],
    ['pre-activation, projection to more channels', (c: number) => Layer.preActBlock(c + 2, { project: true })],
  ] as const)('%s', (_, block) => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 2, max: 3 }), fc.integer({ min: 3, max: 5 }), fc.integer({ min: 1, max: 3 }), (s, B, H, C) => {
        const net = Layer.serial(block(C), Layer.globalAvgPool, Layer.dense(3))
        assertCheck(makeCase(net, [H, H + 1, C], 'softmaxCrossEntropy', 'labels', B, s, 1.5), s, { key: Key.key(s), coords: 24 })
      }),
      { numRuns: 4 },
    )
  })
})

describe('resnet and its plain twin', () => {
  it.each([false, true])('6n+2 layers, n = 2, pre-activation %s', (preActivation) => {
    const net = Layer.resnet({ n: 2, classes: 10, widths: [4, 8, 16], preActivation })
    const res = compileOrThrow(net, [28, 28, 1], 'softmaxCrossEntropy')
    const plain = compileOrThrow(Layer.plainTwin(net), [28, 28, 1], 'softmaxCrossEntropy')
    expect(res.output).toEqual([10])
    expect(plain.output).toEqual([10])
    const convs = (m: typeof res) => m.params.filter((p) => p.path.endsWith('conv2d/W') && !p.path.includes('shortcut')).length
    expect(convs(res)).toBe(6 * 2 + 1) // with the classifier: 6n + 2 weighted layers
    expect(convs(plain)).toBe(13)
    expect(res.params.filter((p) => p.path.includes('shortcut')).length).toBe(preActivation ? 2 : 6) // two projections (conv; conv + bn gamma, beta)
    const shapes = (m: typeof res) => m.params.filter((p) => !p.path.includes('shortcut')).map((p) => p.shape.join('x'))
    expect(shapes(plain)).toEqual(shapes(res))
    expect(JSON.stringify(Layer.plainTwin(net))).not.toContain('residual')
    const y = plain.apply(plain.init(Key.key(0)), { shape: [1, 28, 28, 1], data: new Float32Array(784).fill(0.5) })
    expect(E.isRight(y) && y.right.data.every(Number.isFinite)).toBe(true)
  })
})
