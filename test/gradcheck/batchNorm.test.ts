/**
 * Gradient checks of batch normalisation (#12): the training call's gradients
 * (through the batch statistics) against central differences of the float64
 * reference in training mode, and the inference forward (`apply`, a fresh
 * state: running mean 0, variance 1) against the reference in inference
 * mode; after dense layers (rows = batch) and after a convolution (rows =
 * batch x pixels, one statistic per channel). Batches of at least 2: with one
 * row the batch variance is 0 and the output is beta whatever x is. The layer
 * before batch norm has no bias and at least 2 inputs (and a convolution at
 * least 4 output pixels): batch norm cancels a bias and the scale of a lone
 * weight, whose exact gradient is then 0 and the comparison only of noise.
 */
import fc from 'fast-check'
import { describe, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import { assertCheck, makeCase } from './check'

const seed = fc.integer({ min: 0, max: 0x7fffffff })
const batch = fc.integer({ min: 3, max: 6 })
const width = fc.integer({ min: 2, max: 9 })
const RUNS = 10

describe('batchNorm', () => {
  it('between dense layers, random eps and momentum, cross-entropy', () => {
    fc.assert(
      fc.property(seed, batch, width, width, width, fc.constantFrom(undefined, 1e-3), (s, B, I, H, O, eps) => {
        const net = Layer.serial(Layer.dense(H, { useBias: false }), Layer.batchNorm(eps === undefined ? {} : { eps, momentum: 0.3 }), Layer.tanh, Layer.dense(O))
        // gamma and beta drawn at random too (randomParams), so their gradients are not at a special point
        assertCheck(makeCase(net, [I], 'softmaxCrossEntropy', 'labels', B, s, 1.5), s, { key: Key.key(s) })
      }),
      { numRuns: RUNS },
    )
  })
  it('per channel after a convolution, MSE on the image', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 4 }), (s, B, H, C) => {
        const net = Layer.serial(Layer.conv2d(C, 3, { stride: 2, useBias: false }), Layer.batchNorm(), Layer.conv2d(2, 1))
        assertCheck(makeCase(net, [H, H + 1, 2], 'mse', 'dense', B, s, 1.5), s, { key: Key.key(s) })
      }),
      { numRuns: RUNS },
    )
  })
})
