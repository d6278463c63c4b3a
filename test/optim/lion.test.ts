/**
 * A user-defined optimizer through the interface the built-in ones use: Lion
 * (Chen et al. 2023) from examples/10-lion.ts, against a float64 reference
 * written from the paper's update rule, over several steps (each step's
 * reference starts from the Wasm parameters and moment, so only that step's
 * error is measured); its JSON decodes by its kind's codec; a model compiled
 * without it refuses it by name.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { lion, lionOf } from '../../examples/10-lion'
import { Codec, Key, Layer, Model, Optim, Train } from '../../src/entries/index'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}

const net = Layer.serial(Layer.dense(7, { activation: 'tanh' }), Layer.dense(3))
const model = right(Model.compile(net, { input: [5], loss: 'mse', kinds: [lion] }))
const B = 6
const batch = {
  x: { shape: [B, 5], data: Float32Array.from({ length: B * 5 }, (_, i) => Math.sin(0.9 * i + 0.2)) },
  y: { shape: [B, 3], data: Float32Array.from({ length: B * 3 }, (_, i) => Math.cos(1.3 * i)) },
}

/** One Lion step in float64 from the paper: p and m updated in place; `ties` counts elements whose sign(c) float32 rounding may flip. */
const reference = (p: Float64Array, m: Float64Array, g: ArrayLike<number>, s: { lr: number; b1: number; b2: number; wd: number }, ties: Set<number>): void => {
  for (let j = 0; j < p.length; j++) {
    const c = s.b1 * m[j]! + (1 - s.b1) * g[j]!
    if (Math.abs(c) <= 1e-5 * (Math.abs(s.b1 * m[j]!) + Math.abs((1 - s.b1) * g[j]!))) ties.add(j)
    p[j] = p[j]! - s.lr * (Math.sign(c) + s.wd * p[j]!)
    m[j] = s.b2 * m[j]! + (1 - s.b2) * g[j]!
  }
}

const close = (got: ArrayLike<number>, want: ArrayLike<number>, what: string, skip: ReadonlySet<number> = new Set()): void => {
  for (let j = 0; j < want.length; j++)
    if (!skip.has(j) && !(Math.abs(got[j]! - want[j]!) <= 2e-6 * Math.max(1, Math.abs(want[j]!)))) expect.fail(`${what}[${j}]: wasm ${got[j]} vs f64 ${want[j]}`)
}

describe('Lion, a user-defined transformation', () => {
  it.each([
    ['constant lr, no decay', lionOf(1e-2)],
    ['cosine lr, decoupled weight decay', lionOf(Optim.cosine(2e-2, 6), 0.8, 0.95, 0.3)],
  ])('%s: parameters and moment match a float64 reference over 6 steps', (_, opt) => {
    let s = right(Train.init(model, opt, Key.key(4)))
    expect(s.opt.every((slots) => slots.length === 1)).toBe(true) // its one slot, m
    for (let t = 1; t <= 6; t++) {
      const g = right(model.valueAndGrad(s.params, batch)).grads
      const [next, trace] = right(Train.step(model, opt)(s, batch))
      const lr = Optim.rateAt(opt.lr, t)
      expect(trace.lr).toBe(lr)
      s.params.forEach((p, i) => {
        const p64 = Float64Array.from(p.data), m64 = Float64Array.from(s.opt[i]![0]!), ties = new Set<number>()
        reference(p64, m64, g[i]!.data, { ...opt, lr }, ties)
        expect(ties.size).toBeLessThan(p64.length) // the comparison is not vacuous
        close(next.params[i]!.data, p64, `step ${t} ${p.path}`, ties)
        close(next.opt[i]![0]!, m64, `step ${t} ${p.path} m`)
      })
      s = next
    }
  })

  it('a schedule written by hand (a new value every step) keeps one training plan', () => {
    const m = right(Model.compile(net, { input: [5], loss: 'mse', kinds: [lion] }))
    let s = right(Train.init(m, lionOf(1e-2), Key.key(1)))
    for (let t = 1; t <= 20; t++) s = right(Train.step(m, lionOf(1e-2 / t, 0.9 - t / 100))(s, batch))[0]
    expect(m.cached().plans).toBe(1)
  })

  it('serialisable: its JSON decodes with its kind, defaults filled; without the kind it is refused by name', () => {
    const opt = Optim.chain(Optim.clipByGlobalNorm(1), lionOf(Optim.warmup(1e-3, 10), 0.9, 0.99, 0.1))
    expect(right(Codec.decodeOptimizer(JSON.stringify(opt), [lion]))).toEqual(opt)
    expect(right(Codec.decodeOptimizer({ kind: 'lion', lr: 1e-3 }, [lion]))).toEqual(lionOf(1e-3))
    expect(Codec.decodeOptimizer({ kind: 'lion', lr: 1e-3, beta1: 0.9 }, [lion])).toMatchObject({ left: { path: 'beta1', message: expect.stringMatching(/unknown field/) } })
    expect(Codec.decodeOptimizer({ kind: 'lion', lr: 1e-3 })).toMatchObject({ left: { path: 'kind', message: expect.stringMatching(/^unknown kind "lion"/) } })
  })

  it('checked like the built-ins: bad settings and a model compiled without the kind are Lefts naming the field', () => {
    expect(Train.init(model, lionOf(1e-3, 1.5), Key.key(0))).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'optimizer[0].lion' } })
    const plain = right(Model.compile(net, { input: [5], loss: 'mse' }))
    expect(Train.init(plain, lionOf(1e-3), Key.key(0))).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'optimizer[0].kind' } })
    const s = right(Train.init(model, lionOf(1e-3), Key.key(0)))
    expect(Train.step(plain, lionOf(1e-3))(s, batch)).toMatchObject({ left: { path: 'optimizer[0].kind' } })
  })

  it('a checkpoint of a Lion run decodes with the kind and resumes bit for bit', () => {
    const opt = lionOf(1e-2, 0.9, 0.99, 0.05)
    let s = right(Train.init(model, opt, Key.key(8)))
    for (let t = 0; t < 3; t++) s = right(Train.step(model, opt)(s, batch))[0]
    const back = right(Codec.decodeCheckpoint(Codec.encodeCheckpoint(model, opt, s), model, opt, [lion]))
    expect(back.optimizer).toEqual(opt)
    const [a] = right(Train.step(model, opt)(s, batch)), [b] = right(Train.step(model, back.optimizer)(back.state, batch))
    expect(a.params.map((p) => Array.from(p.data))).toEqual(b.params.map((p) => Array.from(p.data)))
  })
})
