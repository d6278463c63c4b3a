/**
 * Training steps: purity (inputs deep-equal before and after), determinism
 * (same key: bit-identical parameters after 100 steps, for every optimizer
 * alone and after clipByGlobalNorm), the chain laws, clipByGlobalNorm's
 * trace, invalid settings as Left values naming the field, and divergence
 * (a non-finite step is reported, never thrown; 'skip' keeps the old state).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Params from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import * as Optim from '../../src/optim/index'
import * as Train from '../../src/train/index'
import { batchOf, bits, classifier, compile, dataset, OPTIMIZERS, right, WITH_CLIP } from './setup'

const data = dataset(64)
const B = 8

const train = (opt: Optim.GradientTransformation, seed: number, steps: number, model = classifier): Train.TrainState => {
  let s = right(Train.init(model, opt, Key.key(seed)))
  const run = Train.step(model, opt)
  for (let i = 0; i < steps; i++) s = right(run(s, batchOf(data, i, B)))[0]
  return s
}

describe('purity', () => {
  it('state, batch and optimizer deep-equal copies of themselves after a step (and after a failed one)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WITH_CLIP), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.constantFrom('off', 'norms', 'full' as const), ([, opt], seed, warm, trace) => {
        const s = train(opt, seed, warm)
        const batch = batchOf(data, seed % 8, B)
        const before = structuredClone({ s, batch, opt })
        const r = Train.step(classifier, opt, { trace })(s, batch)
        expect(E.isRight(r)).toBe(true)
        expect({ s, batch, opt }).toEqual(before)
        const bad = { ...batch, y: Int32Array.from(batch.y, () => 7) }
        const badBefore = structuredClone(bad)
        expect(E.isLeft(Train.step(classifier, opt)(s, bad))).toBe(true)
        expect({ s, batch, opt }).toEqual(before)
        expect(bad).toEqual(badBefore)
        // a result held by the user is not changed by later steps
        const [next] = right(r)
        const held = structuredClone(next)
        Train.step(classifier, opt)(next, batchOf(data, 3, B))
        Train.step(classifier, opt)(s, batchOf(data, 4, B))
        expect(next).toEqual(held)
      }),
      { numRuns: 24 },
    )
  })
})

describe('determinism', () => {
  it.each(WITH_CLIP)('%s: the same key gives bit-identical parameters after 100 steps, twice in a row', (_, opt) => {
    const a = train(opt, 11, 100)
    const b = train(opt, 11, 100)
    expect(Params.hash(a.params)).toBe(Params.hash(b.params))
    expect(bits(a.params)).toEqual(bits(b.params))
    expect(a.opt.map((o) => o.map((v) => Array.from(v)))).toEqual(b.opt.map((o) => o.map((v) => Array.from(v))))
    expect(a.step).toBe(100)
    // and a different key gives different parameters (init and dropout masks)
    expect(Params.hash(train(opt, 12, 3).params)).not.toBe(Params.hash(train(opt, 11, 3).params))
  })
})

describe('chain', () => {
  const pool: ReadonlyArray<Optim.GradientTransformation> = [
    Optim.clipByGlobalNorm(0.3),
    Optim.clipByValue(0.02),
    Optim.sgd(0.2),
    Optim.momentum(0.1),
    Optim.nesterov(0.1),
    Optim.rmsprop(0.01),
    Optim.adam(0.01),
    Optim.adamw(0.01, 0.05),
  ]
  const item = fc.constantFrom(...pool)
  const same = (a: Optim.GradientTransformation, b: Optim.GradientTransformation, seed: number) => {
    const x = train(a, seed, 5), y = train(b, seed, 5)
    expect(bits(x.params)).toEqual(bits(y.params))
  }
  it('chain() is the identity on both sides', () => {
    fc.assert(
      fc.property(item, fc.nat(), (a, seed) => {
        same(Optim.chain(Optim.chain(), a), a, seed)
        same(Optim.chain(a, Optim.chain()), a, seed)
      }),
      { numRuns: 10 },
    )
  })
  it('chain is associative', () => {
    fc.assert(
      fc.property(item, item, item, fc.nat(), (a, b, c, seed) => same(Optim.chain(Optim.chain(a, b), c), Optim.chain(a, Optim.chain(b, c)), seed)),
      { numRuns: 15 },
    )
  })
  it('chain() alone adds the raw gradient to the parameters', () => {
    const model = compile(Layer.serial(Layer.dense(5, { activation: 'tanh' }), Layer.dense(3)), [4], 'softmaxCrossEntropy')
    const s = right(Train.init(model, Optim.chain(), Key.key(3)))
    const batch = batchOf(data, 0, B)
    const g = right(model.valueAndGrad(s.params, batch)).grads
    const [next] = right(Train.step(model, Optim.chain())(s, batch))
    next.params.forEach((p, i) => expect(Array.from(p.data)).toEqual(Array.from(s.params[i]!.data, (v, j) => Math.fround(v + g[i]!.data[j]!))))
  })
})

describe('clipByGlobalNorm', () => {
  it('the trace holds the pre-clip norm; the clipped norm is at most max, and equals the norm below it', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.nat(), fc.integer({ min: 0, max: 5 }), (max, seed, warm) => {
        const opt = Optim.chain(Optim.clipByGlobalNorm(max), Optim.sgd(0.1))
        const s = train(opt, seed, warm)
        const batch = batchOf(data, warm, B)
        // the same dropout key as the step: foldIn(state.key, step + 1)
        const g = right(classifier.valueAndGrad(s.params, batch, { key: Key.foldIn(s.key, s.step + 1) })).grads
        const norm = Math.sqrt(g.reduce((acc, p) => acc + Array.from(p.data).reduce((a, v) => a + v * v, 0), 0))
        const [next, trace] = right(Train.step(classifier, opt)(s, batch))
        expect(trace.gradNorm).toBeCloseTo(norm, 5)
        expect(Math.abs(trace.gradNorm - norm)).toBeLessThanOrEqual(1e-5 * norm)
        expect(trace.gradNormClipped).toBeLessThanOrEqual(max * (1 + 1e-6))
        if (norm < max * (1 - 1e-6)) expect(trace.gradNormClipped).toBe(trace.gradNorm)
        else expect(trace.gradNormClipped).toBeCloseTo(max, 6)
        // and the update is -lr * g * min(1, max / norm)
        const f = Math.min(1, max / norm)
        next.params.forEach((p, i) =>
          Array.from(p.data).forEach((v, j) => {
            const want = s.params[i]!.data[j]! - 0.1 * f * g[i]!.data[j]!
            expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want)))
          }),
        )
      }),
      { numRuns: 25 },
    )
  })
  it('when clipByGlobalNorm does not clip, gradNormClipped is exactly gradNorm', () => {
    const opt = Optim.chain(Optim.clipByGlobalNorm(1e6), Optim.sgd(0.1))
    let s = right(Train.init(classifier, opt, Key.key(0)))
    for (let i = 0; i < 20; i++) {
      const [next, trace] = right(Train.step(classifier, opt)(s, batchOf(data, i, B)))
      expect(trace.gradNormClipped).toBe(trace.gradNorm)
      s = next
    }
  })
  it('without clipping, gradNormClipped equals gradNorm', () => {
    const [, trace] = right(Train.step(classifier, Optim.adam(0.01))(right(Train.init(classifier, Optim.adam(0.01), Key.key(1))), batchOf(data, 0, B)))
    expect(trace.gradNormClipped).toBe(trace.gradNorm)
    expect(trace.lr).toBe(0.01)
  })
})

describe('invalid settings are Left values naming the field', () => {
  const makers: ReadonlyArray<readonly [string, (lr: number) => Optim.GradientTransformation]> = [
    ['sgd', (lr) => Optim.sgd(lr)],
    ['momentum', (lr) => Optim.momentum(lr)],
    ['momentum', (lr) => Optim.nesterov(lr)],
    ['rmsprop', (lr) => Optim.rmsprop(lr)],
    ['adam', (lr) => Optim.adam(lr)],
    ['adam', (lr) => Optim.adamw(lr)],
  ]
  const s0 = right(Train.init(classifier, Optim.sgd(0.1), Key.key(0)))
  it.each([0, -1, NaN, Infinity, -Infinity])('learning rate %s, from Train.init and Train.step, alone and chained', (lr) => {
    for (const [kind, make] of makers) {
      for (const [opt, index] of [
        [make(lr), 0],
        [Optim.chain(Optim.clipByGlobalNorm(1), make(lr)), 1],
      ] as const) {
        const want = { _tag: 'Left', left: { _tag: 'InvalidArgument', path: `optimizer[${index}].${kind}` } }
        const a = Train.init(classifier, opt, Key.key(0))
        const b = Train.step(classifier, opt)(s0, batchOf(data, 0, B))
        for (const r of [a, b]) {
          expect(r).toMatchObject(want)
          if (E.isLeft(r) && r.left._tag === 'InvalidArgument') expect(r.left.message).toMatch(/learning rate/)
        }
      }
    }
  })
  it('bad schedules and other settings', () => {
    const cases: ReadonlyArray<readonly [Optim.GradientTransformation, string, RegExp]> = [
      [Optim.sgd(Optim.cosine(NaN, 100)), 'optimizer[0].sgd', /init/],
      [Optim.sgd(Optim.cosine(0.1, 0)), 'optimizer[0].sgd', /steps/],
      [Optim.sgd(Optim.warmup(0.1, 10, Optim.cosine(-1, 100))), 'optimizer[0].sgd', /init/],
      [Optim.momentum(0.1, 1), 'optimizer[0].momentum', /mu/],
      [Optim.adam(0.1, 1), 'optimizer[0].adam', /b1/],
      [Optim.rmsprop(0.1, 0.9, 0), 'optimizer[0].rmsprop', /eps/],
      [Optim.chain(Optim.clipByGlobalNorm(0), Optim.sgd(0.1)), 'optimizer[0].clipByGlobalNorm', /max/],
      [Optim.chain(Optim.sgd(0.1), Optim.clipByValue(NaN)), 'optimizer[1].clipByValue', /max/],
    ]
    for (const [opt, path, msg] of cases) {
      for (const r of [Train.init(classifier, opt, Key.key(0)), Train.step(classifier, opt)(s0, batchOf(data, 0, B))]) {
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidArgument', path } })
        if (E.isLeft(r) && r.left._tag === 'InvalidArgument') expect(r.left.message).toMatch(msg)
      }
    }
  })
})

describe('divergence', () => {
  const model = compile(Layer.serial(Layer.dense(8, { activation: 'relu' }), Layer.dense(2)), [4], 'mse')
  const batch = { x: batchOf(data, 0, B).x, y: { shape: [B, 2], data: Float32Array.from({ length: 2 * B }, (_, i) => Math.cos(i)) } }
  const diverge = (onNonFinite?: 'skip' | 'apply') => {
    const opt = Optim.sgd(1e30)
    let s = right(Train.init(model, opt, Key.key(5)))
    for (let i = 0; i < 6; i++) {
      const before = s
      const [next, trace] = right(Train.step(model, opt, onNonFinite ? { onNonFinite } : {})(s, batch))
      if (trace.nonFinite > 0) return { before, next, trace }
      s = next
    }
    throw new Error('did not diverge')
  }
  it('a huge learning rate makes the loss non-finite: the trace reports it and the step does not throw', () => {
    const { trace } = diverge()
    expect(trace.nonFinite).toBeGreaterThan(0)
    expect(Number.isFinite(trace.loss)).toBe(false)
  })
  it("'skip' (the default) keeps the old parameters and optimizer state, and counts the step", () => {
    const { before, next } = diverge()
    expect(bits(next.params)).toEqual(bits(before.params))
    expect(next.opt).toEqual(before.opt)
    expect(next.step).toBe(before.step + 1)
    expect(next.params.every((p) => Array.from(p.data).every(Number.isFinite))).toBe(true)
  })
  it("'apply' keeps the non-finite update", () => {
    const { next } = diverge('apply')
    expect(next.params.some((p) => Array.from(p.data).some((v) => !Number.isFinite(v)))).toBe(true)
  })
  it("'skip' catches an update that overflows to Infinity although loss and gradients are finite", () => {
    // lr * g overflows f32 when |g| > 3.4e38 / lr; loss and gradients of this step are finite.
    const opt = Optim.sgd(3e38)
    const s = right(Train.init(model, opt, Key.key(5)))
    const big = { x: batch.x, y: { ...batch.y, data: batch.y.data.map((v) => 100 * v) } }
    const [next, trace] = right(Train.step(model, opt)(s, big))
    expect(trace.gradNorm).toBeGreaterThan(10)
    expect(trace.nonFinite).toBeGreaterThan(0)
    const finite = next.params.every((p) => Array.from(p.data).every(Number.isFinite))
    expect(trace.nonFinite > 0 || finite).toBe(true)
  })
})

describe('optimizer state', () => {
  it.each(OPTIMIZERS)('%s: slots per parameter match the parameters and start at zero', (_, opt) => {
    const s = right(Train.init(classifier, opt, Key.key(0)))
    expect(s.opt.length).toBe(classifier.params.length)
    s.opt.forEach((slots, i) => {
      expect(slots.length).toBe(Optim.slots(opt))
      slots.forEach((v) => {
        expect(v.length).toBe(s.params[i]!.data.length)
        expect(Array.from(v).every((x) => x === 0)).toBe(true)
      })
    })
  })
})
