/**
 * The building blocks compose into the fused built-ins (Optax's
 * `adam = chain(scale_by_adam, scale_by_learning_rate)`): over several
 * steps, chain(scaleByAdam, sgd) follows adam and chain(scaleByAdam,
 * addDecayedWeights, sgd) follows adamw to float32 rounding, with identical
 * moments; scale(-lr) is sgd(lr) bit for bit.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { Key, Layer, Model, Optim, Train } from '../../src/entries/index'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const model = right(Model.compile(Layer.serial(Layer.dense(9, { activation: 'tanh' }), Layer.dense(4)), { input: [6], loss: 'softmaxCrossEntropy' }))
const batch = { x: { shape: [5, 6], data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(0.7 * i)) }, y: Int32Array.from([0, 1, 2, 3, 1]) }

const run = (opt: Optim.GradientTransformation, steps: number): Train.TrainState => {
  let s = right(Train.init(model, opt, Key.key(6)))
  for (let i = 0; i < steps; i++) s = right(Train.step(model, opt)(s, batch))[0]
  return s
}
const flat = (s: Train.TrainState) => s.params.flatMap((p) => Array.from(p.data))
const moments = (s: Train.TrainState) => s.opt.map((slots) => slots.map((a) => Array.from(a)))

describe('composed transformations', () => {
  it.each([
    ['adam = chain(scaleByAdam, sgd)', Optim.adam(1e-2, 0.8, 0.95, 1e-6), Optim.chain(Optim.scaleByAdam(0.8, 0.95, 1e-6), Optim.sgd(1e-2))],
    ['adamw = chain(scaleByAdam, addDecayedWeights, sgd)', Optim.adamw(1e-2, 0.1), Optim.chain(Optim.scaleByAdam(), Optim.addDecayedWeights(0.1), Optim.sgd(1e-2))],
  ])('%s: the same parameters to float32 rounding and the same moments, over 8 steps', (_, fused, chained) => {
    const a = run(fused, 8), b = run(chained, 8)
    const pa = flat(a), pb = flat(b)
    pa.forEach((v, j) => expect(Math.abs(v - pb[j]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v))))
    expect(pa).not.toEqual(flat(run(fused, 7))) // the steps moved the parameters
    // rounding apart, the moments see the same gradients: equal to a few ulps
    moments(a).forEach((slots, i) => slots.forEach((m, k) => m.forEach((v, j) => expect(Math.abs(v - moments(b)[i]![k]![j]!)).toBeLessThanOrEqual(1e-5 * Math.abs(v) + 1e-12))))
  })

  it('scale(-lr) is sgd(lr), bit for bit', () => {
    expect(flat(run(Optim.scale(-0.05), 5))).toEqual(flat(run(Optim.sgd(0.05), 5)))
  })

  it("only Adam's kinds keep state; their slots are named for checkpoints", () => {
    expect(Optim.slotNames(Optim.chain(Optim.scaleByAdam(), Optim.addDecayedWeights(0.1), Optim.sgd(1e-2)))).toEqual(['scaleByAdam m', 'scaleByAdam v'])
    expect(Optim.slots(Optim.chain(Optim.scale(2), Optim.clipByValue(1)))).toBe(0)
  })
})
