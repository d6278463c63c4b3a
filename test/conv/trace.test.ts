// The trace of a convolutional net (#12): every conv, pool and batch norm
// layer has its entry by path, with dL/dy, dL/dz (the fused activation's
// pre-activation) and dL/dx as for dense layers; flatten, a reshape, has
// none. The conv's dL/dz is checked against the gradient it implies: the
// bias gradient is the sum of dL/dz over every output pixel.
import * as E from 'fp-ts/lib/Either.js'
import { expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Model from '../../src/model/compile'
import * as Layer from '../../src/model/layers'
import { randomF32 } from '../helpers/kernels'

it('conv, pool and batch norm layers are traced like dense layers', () => {
  const net = Layer.serial(Layer.conv2d(4, 3, { activation: 'tanh' }), Layer.maxPool(2), Layer.batchNorm(), Layer.flatten, Layer.dense(3))
  const m = Model.compile(net, { input: [6, 6, 2], loss: 'softmaxCrossEntropy', trace: 'full' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const params = m.right.init(Key.key(3))
  const vg = m.right.valueAndGrad(params, { x: { shape: [3, 6, 6, 2], data: randomF32(216, 5, -1, 1) }, y: new Int32Array([0, 2, 1]) })
  if (E.isLeft(vg)) throw new Error(JSON.stringify(vg.left))
  const layers = vg.right.trace.layers
  expect(layers.map((l) => l.path)).toEqual(['serial/0/conv2d', 'serial/1/maxPool', 'serial/2/batchNorm', 'serial/4/dense'])
  const conv = layers[0]!
  expect(conv.gradIn).toBeNull() // the first layer: its input needs no gradient
  expect(conv.act).not.toBeNull()
  for (const l of layers) for (const s of [l.gradOut, l.gradPre, ...(l.gradIn ? [l.gradIn] : [])]) {
    expect(s.nonFinite).toBe(0)
    expect(s.l2).toBeGreaterThanOrEqual(s.maxAbs)
  }
  // sum over pixels of dL/dz is the bias gradient: its mean times the count, per channel summed
  const db = vg.right.grads.find((g) => g.path === 'serial/0/conv2d/b')!.data
  const total = Array.from(db).reduce((a, v) => a + v, 0)
  expect(Math.abs(conv.gradPre.mean * conv.gradPre.n - total)).toBeLessThan(1e-5)
  expect(layers[1]!.gradIn).not.toBeNull()
})
