// Batch norm's running statistics as training state (#12): carried by
// Train.step, read by Model.apply, checkpointed (and checkpoints without a
// state still decode), never in the parameters.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeCheckpoint, encodeCheckpoint } from '../../src/codec/checkpoint'
import * as Key from '../../src/core/Key'
import * as Model from '../../src/model/compile'
import * as Layer from '../../src/model/layers'
import * as Optim from '../../src/optim/index'
import * as Train from '../../src/train/index'
import { randomF32 } from '../helpers/kernels'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const net = Layer.serial(Layer.conv2d(3, 3, { useBias: false }), Layer.batchNorm(), Layer.relu, Layer.globalAvgPool, Layer.dense(2))
const model = right(Model.compile(net, { input: [5, 5, 1], loss: 'softmaxCrossEntropy' }))
const opt = Optim.momentum(0.05)
const batch = { x: { shape: [4, 5, 5, 1], data: randomF32(100, 7, -1, 2) }, y: new Int32Array([0, 1, 1, 0]) }

describe('batch norm state', () => {
  const s0 = right(Train.init(model, opt, Key.key(1)))
  const trained = Array.from({ length: 5 }).reduce((s: Train.TrainState) => right(Train.step(model, opt)(s, batch))[0], s0)
  it('lives in the state, not the parameters, and moves with training', () => {
    expect(model.params.map((p) => p.path).some((p) => /mean|var/.test(p))).toBe(false)
    expect(s0.state!.map((s) => [s.path, Array.from(s.data)])).toEqual([
      ['serial/1/batchNorm/mean', [0, 0, 0]],
      ['serial/1/batchNorm/var', [1, 1, 1]],
    ])
    expect(trained.state![0]!.data.some((v) => v !== 0)).toBe(true)
    expect(s0.state![0]!.data.every((v) => v === 0)).toBe(true) // the state handed in is unchanged
  })
  it('Model.apply reads the state it is given (evaluation mode), and refuses one that does not fit', () => {
    const fresh = right(model.apply(trained.params, batch.x))
    const withStats = right(model.apply(trained.params, batch.x, { state: trained.state! }))
    expect(Array.from(withStats.data)).not.toEqual(Array.from(fresh.data))
    expect(Array.from(right(model.apply(trained.params, batch.x, { state: model.initState() })).data)).toEqual(Array.from(fresh.data))
    const bad = model.apply(trained.params, batch.x, { state: trained.state!.slice(0, 1) })
    expect(E.isLeft(bad) && bad.left._tag === 'InvalidArgument' && bad.left.path).toBe('state')
  })
  it('is checkpointed bit for bit; a checkpoint without a state decodes to none', () => {
    const text = encodeCheckpoint(model, opt, trained)
    const back = right(decodeCheckpoint(text, model, opt))
    expect(back.state.state!.map((s) => Array.from(s.data))).toEqual(trained.state!.map((s) => Array.from(s.data)))
    const old = JSON.parse(text)
    delete old.state
    expect(right(decodeCheckpoint(JSON.stringify(old), model, opt)).state.state).toBeUndefined()
  })
})
