// Resident state: a training step handed back the very arrays the previous
// step returned skips copying them in. The results must not depend on it:
// the same steps with the state copied (cold every time), with other models
// running on the same runtime in between, and warm, give identical bits.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { Key, Layer, Model, Optim, Params, Train } from '../../src/entries/index'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const model = right(Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(3)), { input: [5], loss: 'softmaxCrossEntropy' }))
const other = right(Model.compile(Layer.serial(Layer.dense(7, { activation: 'relu' }), Layer.dense(3)), { input: [5], loss: 'softmaxCrossEntropy' }))
const opt = Optim.adam(0.05)
const batch = (i: number) => ({ x: { shape: [4, 5], data: Float32Array.from({ length: 20 }, (_, j) => Math.sin(i + 0.3 * j)) }, y: Int32Array.from([0, 1, 2, i % 3]) })
const copy = (s: Train.TrainState): Train.TrainState => ({ ...s, params: s.params.map((p) => ({ ...p, data: (p.data as Float32Array).slice() })), opt: s.opt.map((sl) => sl.map((a) => (a as Float32Array).slice())) })

const run = (mode: 'warm' | 'copied' | 'interleaved'): Train.TrainState => {
  let s = right(Train.init(model, opt, Key.key(9)))
  const op = other.init(Key.key(1))
  const step = Train.step(model, opt)
  for (let i = 0; i < 25; i++) {
    s = right(step(mode === 'copied' ? copy(s) : s, batch(i)))[0]
    if (mode === 'interleaved') right(other.valueAndGrad(op, batch(i)))
  }
  return s
}

describe('resident state', () => {
  it('warm, copied and interleaved runs give bit-identical parameters and optimizer state', () => {
    const [a, b, c] = [run('warm'), run('copied'), run('interleaved')]
    expect(Params.hash(a.params)).toBe(Params.hash(b.params))
    expect(Params.hash(a.params)).toBe(Params.hash(c.params))
    a.opt.forEach((sl, i) => sl.forEach((v, j) => expect(Array.from(v)).toEqual(Array.from(b.opt[i]![j]!))))
  })
  it('an older state handed in again is copied in, not mistaken for the resident one', () => {
    const s0 = right(Train.init(model, opt, Key.key(9)))
    const step = Train.step(model, opt)
    const s1 = right(step(s0, batch(0)))[0]
    right(step(s1, batch(1)))
    const again = right(step(s1, batch(1)))[0] // s1 is no longer resident
    const fresh = right(step(copy(s1), batch(1)))[0]
    expect(Params.hash(again.params)).toBe(Params.hash(fresh.params))
  })
})
