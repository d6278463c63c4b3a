// 01 — first steps: build a small tanh MLP for the 8x8 digits, train it for a
// few epochs, and read the gradient trace that every step returns.
// Run: node scripts/run-example.mjs examples/01-first-steps.ts
import * as E from 'fp-ts/lib/Either.js'
import { digits, trainTestSplit } from '../src/data/digits'
import { Err, Key, Layer, Model, Optim, Tensor, Trace, Train } from '../src/entries/index'

export interface Result {
  readonly trainLoss: number
  readonly testAccuracy: number
  readonly firstToLast: number
}

export async function main(_args: ReadonlyArray<string> = [], o: { readonly epochs?: number } = {}): Promise<Result> {
  const split = trainTestSplit(digits(), 0, 0.2)
  if (E.isLeft(split)) throw new Error(Err.show(split.left))
  const { train, test } = split.right
  const net = Layer.serial(
    Layer.dense(64, { activation: 'tanh', init: Layer.init.glorotUniform }),
    Layer.dense(64, { activation: 'tanh', init: Layer.init.glorotUniform }),
    Layer.dense(10),
  )
  const compiled = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
  if (E.isLeft(compiled)) throw new Error(Err.show(compiled.left))
  const model = compiled.right
  const opt = Optim.chain(Optim.clipByGlobalNorm(5), Optim.adam(3e-3))
  const s0 = Train.init(model, opt, Key.key(0))
  if (E.isLeft(s0)) throw new Error(Err.show(s0.left))
  const data = { x: Tensor.unsafeTensor([train.y.length, 64], train.x), y: train.y as Int32Array }
  let last: Train.Progress | undefined
  for await (const p of Train.fit(model, opt, s0.right, data, { epochs: o.epochs ?? 10, batchSize: 32, every: 1000 })) {
    last = p
    console.log(`epoch ${p.epoch}  step ${p.step}  loss ${p.loss.toFixed(4)}  |g| ${p.trace.gradNorm.toExponential(2)}`)
  }
  if (!last) throw new Error('no steps were taken')
  const logits = model.apply(last.state.params, Tensor.unsafeTensor([test.y.length, 64], test.x))
  if (E.isLeft(logits)) throw new Error(Err.show(logits.left))
  const acc = accuracy(logits.right.data as Float32Array, test.y as Int32Array, 10)
  const ratio = Trace.firstToLast(last.trace)
  console.log(`test accuracy ${(100 * acc).toFixed(1)}%   (expect about 97%)`)
  console.log(`first-to-last dL/dz ratio ${ratio.toExponential(2)}   (between 1e-1 and 1e1: healthy)`)
  for (const f of Trace.diagnose([last.trace])) console.log(`${f.title}: ${f.evidence}`)
  return { trainLoss: last.loss, testAccuracy: acc, firstToLast: ratio }
}

const accuracy = (logits: Float32Array, y: Int32Array, classes: number): number => {
  let right = 0
  for (let i = 0; i < y.length; i++) {
    const row = logits.subarray(i * classes, (i + 1) * classes)
    right += row.indexOf(Math.max(...row)) === y[i] ? 1 : 0
  }
  return right / y.length
}
