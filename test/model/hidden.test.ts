/**
 * The hidden state of gradtrace, named in src/model/runtime.ts and
 * src/model/plans.ts, stays bounded and never changes a result (#10 item 6):
 * a model keeps at most PLANS_KEPT plans per mode and GRAPHS_KEPT graphs
 * however many optimizer structures and batch sizes it meets, and what it
 * computes after evicting and rebuilding a plan has the bits a fresh model
 * gives; a schedule written by hand keeps one training plan; the default
 * runtime is one, and its memory is what the largest model needs, however
 * many models ran on it.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { Key, Layer, Model, Optim, Params, Train, Wasm } from '../../src/entries/index'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const net = Layer.serial(Layer.dense(6, { activation: 'tanh' }), Layer.dense(3))
const compile = () => right(Model.compile(net, { input: [4], loss: 'softmaxCrossEntropy' }))
const batchOf = (B: number) => ({
  x: { shape: [B, 4], data: Float32Array.from({ length: 4 * B }, (_, i) => Math.sin(0.3 * i + B)) },
  y: Int32Array.from({ length: B }, (_, i) => i % 3),
})

/** k clips by value before SGD: a new optimizer structure for every k. */
const structure = (k: number): Optim.GradientTransformation => Optim.chain(...Array.from({ length: k }, () => Optim.clipByValue(10)), Optim.sgd(0.1))

/** Three steps of a model with an optimizer: the parameters' hash. */
const trained = (m: Model.Model, opt: Optim.GradientTransformation): string => {
  let s = right(Train.init(m, opt, Key.key(2)))
  for (let i = 0; i < 3; i++) s = right(Train.step(m, opt)(s, batchOf(5)))[0]
  return Params.hash(s.params)
}

describe('a model keeps a bounded number of plans', () => {
  it(`${3 * Model.PLANS_KEPT} optimizer structures: at most PLANS_KEPT training plans, every result the bits of a fresh model's`, () => {
    const m = compile()
    const first = new Map<number, string>()
    for (let k = 0; k < 3 * Model.PLANS_KEPT; k++) {
      first.set(k, trained(m, structure(k)))
      expect(m.cached().plans).toBeLessThanOrEqual(Model.PLANS_KEPT)
      expect(first.get(k)).toBe(trained(compile(), structure(k)))
    }
    expect(m.cached().plans).toBe(Model.PLANS_KEPT)
    // the first structures were evicted long ago: rebuilt, they give the same bits
    for (const k of [0, 1, 2]) expect(trained(m, structure(k))).toBe(first.get(k))
  })

  it(`${3 * Model.GRAPHS_KEPT} batch sizes: at most GRAPHS_KEPT graphs and PLANS_KEPT inference plans, outputs as a fresh model's`, () => {
    const m = compile(), params = m.init(Key.key(4))
    for (let B = 1; B <= 3 * Model.GRAPHS_KEPT; B++) {
      const y = right(m.apply(params, batchOf(B).x))
      expect(Array.from(y.data)).toEqual(Array.from(right(compile().apply(params, batchOf(B).x)).data))
      expect(m.cached().graphs).toBeLessThanOrEqual(Model.GRAPHS_KEPT)
      expect(m.cached().plans).toBeLessThanOrEqual(Model.PLANS_KEPT)
    }
  })

  it('a schedule written by hand (a new optimizer value every step, 300 steps) keeps one training plan', () => {
    const m = compile()
    let s = right(Train.init(m, Optim.adam(1e-2), Key.key(1)))
    for (let t = 1; t <= 300; t++) s = right(Train.step(m, Optim.chain(Optim.clipByGlobalNorm(1 + t), Optim.adam(1e-2 / Math.sqrt(t), 0.9 - t / 1000)))(s, batchOf(5)))[0]
    expect(m.cached()).toEqual({ plans: 1, graphs: 2 }) // the probe of one example at compile, and batch 5
  })
})

describe('the default runtime', () => {
  it('is one, shared by every model compiled without a runtime; its memory is what the largest model needs', () => {
    const models = Array.from({ length: 12 }, (_, i) => right(Model.compile(Layer.serial(Layer.dense(8 + 16 * i, { activation: 'relu' }), Layer.dense(3)), { input: [4], loss: 'mse' })))
    expect(new Set(models.map((m) => m.runtime)).size).toBe(1)
    const step = (m: Model.Model) => {
      const B = 16
      const batch = { x: { shape: [B, 4], data: new Float32Array(4 * B).fill(0.5) }, y: { shape: [B, 3], data: new Float32Array(3 * B) } }
      right(m.valueAndGrad(m.init(Key.key(0)), batch))
    }
    models.forEach(step)
    const largest = models[models.length - 1]!
    // the same largest model alone on a runtime of its own: the shared memory is no larger
    const own = right(Wasm.loadSync())
    step(right(Model.compile(largest.spec, { input: [4], loss: 'mse', runtime: own })))
    expect(largest.runtime.kernels.memory.buffer.byteLength).toBe(own.kernels.memory.buffer.byteLength)
  })
})
