/**
 * Gradient checks of the image layers (#12): conv2d, maxPool, avgPool,
 * globalAvgPool and flatten on random shapes (odd sizes, 1 to 3 channels,
 * windows 1-3, strides 1-2, same and valid padding), through check.ts:
 * central differences of the float64 reference (referenceConv.ts) against the
 * Wasm f32 gradients of every parameter, and the Wasm forward against the
 * reference. fast-check prints the seed and shapes on failure.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import { assertCheck, makeCase } from './check'
import type { LossName } from './reference'

const seed = fc.integer({ min: 0, max: 0x7fffffff })
const batch = fc.integer({ min: 1, max: 3 })
const side = fc.integer({ min: 3, max: 7 })
const chans = fc.integer({ min: 1, max: 3 })
const win = fc.integer({ min: 1, max: 3 })
const stride = fc.integer({ min: 1, max: 2 })
const padding = fc.constantFrom('same' as const, 'valid' as const)
const RUNS = 10

const tally = { samples: 0, coords: 0 }
const run = (spec: LayerSpec, input: ReadonlyArray<number>, loss: LossName, B: number, s: number): void => {
  const r = assertCheck(makeCase(spec, input, loss, loss === 'mse' ? 'dense' : 'labels', B, s, 1.5), s)
  tally.samples++
  tally.coords += r.checked
}

describe('conv2d', () => {
  it('any window, stride and padding, fused tanh, into a dense layer', () => {
    fc.assert(
      fc.property(seed, batch, side, side, chans, chans, win, win, stride, padding, (s, B, H, W, C, F, kh, kw, st, pad) =>
        run(Layer.serial(Layer.conv2d(F, [kh, kw], { stride: st, padding: pad, activation: 'tanh' }), Layer.flatten, Layer.dense(3)), [H, W, C], 'softmaxCrossEntropy', B, s),
      ),
      { numRuns: RUNS },
    )
  })
  it('stacked: relu without bias, then stride 2 (odd sides), MSE on the image output', () => {
    fc.assert(
      fc.property(seed, batch, side, chans, chans, padding, (s, B, H, C, F, pad) =>
        run(Layer.serial(Layer.conv2d(F, 3, { activation: 'relu', useBias: false }), Layer.conv2d(2, 3, { stride: 2, padding: pad })), [H, H + 2, C], 'mse', B, s),
      ),
      { numRuns: RUNS },
    )
  })
  it('1x1 stride 1 (no patch gather) and 1x1 stride 2', () => {
    fc.assert(
      fc.property(seed, batch, side, chans, chans, stride, (s, B, H, C, F, st) => run(Layer.conv2d(F, 1, { stride: st, activation: 'sigmoid' }), [H, H, C], 'mse', B, s)),
      { numRuns: RUNS },
    )
  })
})

describe('pooling', () => {
  it('maxPool with any window, stride and padding', () => {
    fc.assert(
      fc.property(seed, batch, side, side, chans, win, stride, padding, (s, B, H, W, C, k, st, pad) =>
        run(Layer.serial(Layer.conv2d(C, 2, { activation: 'tanh' }), Layer.maxPool(k, { stride: st, padding: pad }), Layer.flatten, Layer.dense(3)), [H, W, C], 'softmaxCrossEntropy', B, s),
      ),
      { numRuns: RUNS },
    )
  })
  it('avgPool with any window, stride and padding, then globalAvgPool', () => {
    fc.assert(
      fc.property(seed, batch, side, side, chans, win, win, stride, padding, (s, B, H, W, C, kh, kw, st, pad) =>
        run(Layer.serial(Layer.conv2d(C + 1, 3), Layer.avgPool([kh, kw], { stride: st, padding: pad }), Layer.globalAvgPool, Layer.dense(2)), [H, W, C], 'mse', B, s),
      ),
      { numRuns: RUNS },
    )
  })
})

describe('coverage', () => {
  it('checked enough coordinates', () => {
    expect(tally.samples).toBe(5 * RUNS)
    expect(tally.coords).toBeGreaterThan(5 * RUNS * 20)
  })
})
