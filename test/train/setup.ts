/** Shared fixtures of the training tests: small models, data sets and the optimizers under test. */
import * as E from 'fp-ts/lib/Either.js'
import type { Params } from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import * as Optim from '../../src/optim/index'
import * as Model from '../../src/model/compile'
import type { Data } from '../../src/train/fit'
import type { TrainState } from '../../src/train/step'

export const compile = (net: LayerSpec, input: ReadonlyArray<number>, loss: Model.CompileOptions['loss']): Model.Model => {
  const m = Model.compile(net, { input, loss })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

export const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}

/** A classifier with dropout, so keys matter. */
export const classifier = compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dropout(0.2), Layer.dense(3)), [4], 'softmaxCrossEntropy')

/** N examples of a 3-class problem on 4 features, from a fixed formula. */
export const dataset = (N: number): Data => {
  const x = Float32Array.from({ length: N * 4 }, (_, i) => Math.sin(1.7 * i + 0.3))
  const y = Int32Array.from({ length: N }, (_, n) => (x[4 * n]! + x[4 * n + 1]! > 0.5 ? 0 : x[4 * n + 2]! > 0 ? 1 : 2))
  return { x: { shape: [N, 4], data: x }, y }
}

/** Batch number b (of size B) of a data set, without shuffling. */
export const batchOf = (d: Data, b: number, B: number) => {
  const N = d.x.shape[0]!
  const idx = Array.from({ length: B }, (_, i) => (b * B + i) % N)
  const x = new Float32Array(B * 4)
  idx.forEach((n, i) => x.set((d.x.data as Float32Array).subarray(4 * n, 4 * n + 4), 4 * i))
  return { x: { shape: [B, 4], data: x }, y: Int32Array.from(idx, (n) => (d.y as Int32Array)[n]!) }
}

export const OPTIMIZERS: ReadonlyArray<readonly [string, Optim.GradientTransformation]> = [
  ['sgd', Optim.sgd(0.1)],
  ['momentum', Optim.momentum(0.05, 0.9)],
  ['nesterov', Optim.nesterov(0.05, 0.8)],
  ['rmsprop', Optim.rmsprop(0.01, 0.9, 1e-6)],
  ['adam', Optim.adam(0.01)],
  ['adamw', Optim.adamw(0.01, 0.1)],
]

/** Every optimizer alone and chained after clipByGlobalNorm. */
export const WITH_CLIP: ReadonlyArray<readonly [string, Optim.GradientTransformation]> = [
  ...OPTIMIZERS,
  ...OPTIMIZERS.map(([n, o]) => [`clipByGlobalNorm + ${n}`, Optim.chain(Optim.clipByGlobalNorm(0.5), o)] as const),
]

/** The raw bits of all parameters, in order. */
export const bits = (ps: Params): ReadonlyArray<number> => ps.flatMap((p) => Array.from(new Uint32Array(Float32Array.from(p.data).buffer)))

export const paramsOf = (s: TrainState): Params => s.params
