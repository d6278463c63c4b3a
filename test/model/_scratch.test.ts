import * as E from 'fp-ts/lib/Either.js'
import { it } from 'vitest'
import { Key, Layer, Model } from '../../src/index'
it('smoke', () => {
  const m = Model.compile(Layer.serial(Layer.dense(3, { activation: 'tanh' }), Layer.dense(2)), { input: [4], loss: 'softmaxCrossEntropy' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const p = m.right.init(Key.key(0))
  console.log(m.right.params, m.right.output)
  const r = m.right.valueAndGrad(p, { x: { shape: [2, 4], data: new Float32Array(8).fill(0.5) }, y: new Int32Array([0, 1]) })
  console.log(JSON.stringify(r, null, 0).slice(0, 3000))
})
