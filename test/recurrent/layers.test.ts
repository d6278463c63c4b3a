/**
 * Recurrent layers as parts of a network: shapes (last state or every state,
 * composed with dense and with each other), bad input as error values naming
 * the layer, per-time-step traces, the exploding-gradient story with
 * clipByGlobalNorm, and the Seq helpers.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import { serial } from '../../src/combinator/serial'
import { adding } from '../../src/data/tasks/adding'
import { maskOf } from '../../src/data/tasks/Sequence'
import { dense } from '../../src/layer/dense'
import { orthogonal } from '../../src/layer/init'
import { gru, irnn, lstm, rnn, Seq } from '../../src/layer/recurrent/index'
import { adam, chain, clipByGlobalNorm, sgd } from '../../src/optim/Transform'
import * as Model from '../../src/model/compile'
import { decadesPer10Steps } from '../../src/trace/analysis'
import { init, step } from '../../src/train/step'

const ok = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}

describe('shapes and composition', () => {
  it.each([
    ['lstm last', serial(lstm(8), dense(1)), [1]],
    ['lstm seq', serial(lstm(8, { returnSequences: true }), dense(7)), [10, 7]],
    ['gru seq', serial(gru(4, { returnSequences: true }), dense(3)), [10, 3]],
    ['rnn last', serial(rnn(5), dense(2)), [2]],
    ['stacked', serial(lstm(6, { returnSequences: true }), gru(5, { returnSequences: true }), rnn(3)), [3]],
  ] as const)('%s', (_, net, out) => {
    const m = ok(Model.compile(net, { input: [10, 2], loss: 'mse' }))
    expect(m.output).toEqual(out)
    const p = m.init(Key.key(1))
    const y = ok(m.apply(p, { shape: [4, 10, 2], data: new Float32Array(80).fill(0.3) }))
    expect(y.shape).toEqual([4, ...out])
    expect(Array.from(y.data).every(Number.isFinite)).toBe(true)
  })
  it('lstm parameters: Wx, Wh and one bias per gate (forget bias 1), peepholes', () => {
    const m = ok(Model.compile(lstm(3, { peepholes: true, inputGateBias: -3 }), { input: [4, 2], loss: 'mse' }))
    expect(m.params.map((p) => p.path.split('/').pop())).toEqual(['Wx', 'Wh', 'bi', 'bf', 'bg', 'bo', 'pi', 'pf', 'po'])
    const p = m.init(Key.key(0))
    expect(Array.from(p[2]!.data)).toEqual([-3, -3, -3])
    expect(Array.from(p[3]!.data)).toEqual([1, 1, 1])
    const m97 = ok(Model.compile(lstm(3, { forgetGate: false }), { input: [4, 2], loss: 'mse' }))
    expect(m97.params.map((q) => q.shape)).toEqual([[2, 9], [3, 9], [3], [3], [3]])
  })
})

describe('bad input: error values naming the layer', () => {
  it('wrong rank', () => {
    const e = Model.compile(serial(dense(4), lstm(3)), { input: [6], loss: 'mse' })
    expect(E.isLeft(e) && e.left).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/lstm' })
  })
  it('truncation below 1', () => {
    for (const k of [0, -2, 1.5]) {
      const e = Model.compile(serial(gru(3, { truncate: k }), dense(1)), { input: [6, 2], loss: 'mse' })
      expect(E.isLeft(e) && e.left).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/0/gru.truncate' })
    }
  })
  it('mask channel needs a feature besides the mask; masks must match the input', () => {
    const e = Model.compile(rnn(3, { mask: true }), { input: [6, 1], loss: 'mse' })
    expect(E.isLeft(e) && e.left).toMatchObject({ _tag: 'ShapeMismatch', path: 'rnn' })
    const bad = Seq.withMask({ shape: [2, 5, 3], data: new Float32Array(30) }, new Float32Array(9))
    expect(E.isLeft(bad) && bad.left).toMatchObject({ _tag: 'ShapeMismatch', path: 'mask', expected: [2, 5] })
  })
  it('sequence length must match', () => {
    const m = ok(Model.compile(serial(lstm(3), dense(1)), { input: [6, 2], loss: 'mse' }))
    const e = m.apply(m.init(Key.key(0)), { shape: [2, 5, 2], data: new Float32Array(20) })
    expect(E.isLeft(e) && e.left).toMatchObject({ _tag: 'ShapeMismatch', path: 'batch.x' })
  })
})

describe('masks', () => {
  it('many-to-one takes the state at each sequence\'s last real step', () => {
    const m = ok(Model.compile(gru(4, { mask: true }), { input: [6, 3], loss: 'mse' }))
    const p = m.init(Key.key(3))
    const x = new Float32Array(6 * 3).map((_, i) => Math.sin(i))
    for (let t = 0; t < 6; t++) x[t * 3 + 2] = t < 4 ? 1 : 0
    const m4 = ok(Model.compile(gru(4, { mask: true }), { input: [4, 3], loss: 'mse' }))
    const a = ok(m.apply(p, { shape: [1, 6, 3], data: x }))
    const b = ok(m4.apply(p, { shape: [1, 4, 3], data: x.slice(0, 12) }))
    expect(Array.from(a.data)).toEqual(Array.from(b.data))
  })
  it('Seq.toBatch adds the task mask as the last feature', () => {
    const lengths = new Int32Array([3, 2])
    const mask = maskOf(lengths, 3)!
    const b = Seq.toBatch({ x: new Float32Array(12).fill(1), steps: 3, batchSize: 2, features: 2, lengths, mask, target: { _tag: 'FinalValue', y: new Float32Array([1, 2]), outputs: 1 } }, { mask: true })
    expect(b.x.shape).toEqual([2, 3, 3])
    expect(Array.from(b.x.data).filter((_, i) => i % 3 === 2)).toEqual([1, 1, 1, 1, 1, 0])
  })
})

describe('traces through time', () => {
  const task = ok(adding({ T: 30, batchSize: 32, seed: 5 }))
  const batch = Seq.toBatch(task.batch(0))
  it('tanh RNN: dL/dh_t decays into the past; IRNN keeps it', () => {
    const tanhNet = ok(Model.compile(serial(rnn(16), dense(1)), { input: [30, 2], loss: 'mse' }))
    const irnnNet = ok(Model.compile(serial(irnn(16), dense(1)), { input: [30, 2], loss: 'mse' }))
    const gt = ok(tanhNet.valueAndGrad(tanhNet.init(Key.key(1)), batch)).trace.layers[0]!.time!
    const gi = ok(irnnNet.valueAndGrad(irnnNet.init(Key.key(1)), batch)).trace.layers[0]!.time!
    expect(gt.gradH.length).toBe(30)
    expect(gt.stateNorm!.length).toBe(30)
    expect(decadesPer10Steps(gt.gradH)).toBeLessThan(-0.3) // vanishing
    expect(Math.abs(decadesPer10Steps(gi.gradH))).toBeLessThan(0.2)
  })
  it('LSTM: gate means per step in (0, 1); dL/dc_t recorded', () => {
    const net = ok(Model.compile(serial(lstm(8), dense(1)), { input: [30, 2], loss: 'mse' }))
    const tm = ok(net.valueAndGrad(net.init(Key.key(2)), batch)).trace.layers[0]!.time!
    expect(tm.gradC!.length).toBe(30)
    for (const g of ['input', 'forget', 'output']) expect(tm.gates![g]!.every((v) => v > 0 && v < 1)).toBe(true)
    expect(tm.gates!.forget![0]!).toBeGreaterThan(0.6) // forget bias 1
  })
  it('exploding: spectral radius 1.5 grows dL/dh_t into the past; clipByGlobalNorm keeps training finite', () => {
    const net = ok(Model.compile(serial(rnn(32, { recurrentInit: orthogonal(1.5) }), dense(1)), { input: [30, 2], loss: 'mse' }))
    const g = ok(net.valueAndGrad(net.init(Key.key(4)), batch)).trace
    expect(decadesPer10Steps(g.layers[0]!.time!.gradH)).toBeGreaterThan(0) // grows going back in time
    const opt = chain(clipByGlobalNorm(1), sgd(0.5))
    let s = ok(init(net, opt, Key.key(4)))
    let maxNorm = 0
    for (let i = 0; i < 10; i++) {
      const [next, tr] = ok(step(net, opt)(s, Seq.toBatch(task.batch(i))))
      s = next
      maxNorm = Math.max(maxNorm, tr.gradNorm)
      expect(tr.gradNormClipped).toBeLessThanOrEqual(1 + 1e-5)
      expect(tr.nonFinite).toBe(0)
      expect(Number.isFinite(tr.loss)).toBe(true)
    }
    expect(maxNorm).toBeGreaterThan(1) // clipping was active
  })
  it('learns the adding problem at a short lag (T = 10, LSTM, Adam)', () => {
    const t10 = ok(adding({ T: 10, batchSize: 32, seed: 9 }))
    const net = ok(Model.compile(serial(lstm(16), dense(1)), { input: [10, 2], loss: 'mse', trace: 'off' }))
    const opt = chain(clipByGlobalNorm(1), adam(1e-2))
    let s = ok(init(net, opt, Key.key(9)))
    let last = 1
    for (let i = 0; i < 300; i++) {
      const [next, tr] = ok(step(net, opt)(s, Seq.toBatch(t10.batch(i))))
      s = next
      last = tr.loss
    }
    expect(last).toBeLessThan(0.02)
  })
})
