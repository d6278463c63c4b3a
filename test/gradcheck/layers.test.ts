/**
 * Gradient checks, layer by layer and combinator by combinator: for random
 * shapes, seeds and batches (fast-check; the seed is printed on failure),
 * (a) central differences of the float64 reference (h = 1e-6, <= 64 random
 * coordinates per tensor, skipping coordinates that move a unit within 1e-3
 * of a kink) against the Wasm f32 gradient of `valueAndGrad` (relative 1e-3
 * of max(|g|, 1e-2 * the tensor's largest |g|)), and (b) the Wasm forward
 * (`apply` and the loss) against the float64 reference forward (1e-5).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import type { Params } from '../../src/core/Params'
import type { Tensor } from '../../src/core/Tensor'
import type { Batch } from '../../src/model/compile'
import { assertCheck, check, compileOrThrow, makeCase, randomBatch, randomParams, rng } from './check'
import { type ActName, ACTS, dropoutMask, type LossName } from './reference'

const seed = fc.integer({ min: 0, max: 0x7fffffff })
const batch = fc.integer({ min: 1, max: 5 })
const width = fc.integer({ min: 1, max: 9 })
const RUNS = 8

/** Coverage counters: every property adds to them; the last test checks enough was checked. */
const tally = { samples: 0, skipped: 0, coords: 0, skippedCoords: 0 }

/** An activation with its alpha (default or random) for the parametrised ones. */
const actWithAlpha = (fn: ActName) =>
  fn === 'leakyRelu' ? fc.constantFrom(undefined, 0.2) : fn === 'elu' ? fc.constantFrom(undefined, 0.5, 1.7) : fn === 'selu' ? fc.constantFrom(undefined, 2) /* ignored: selu's alpha is fixed */ : fc.constant(undefined)

const run = (spec: LayerSpec, input: ReadonlyArray<number>, loss: LossName, kind: 'labels' | 'soft' | 'dense', B: number, s: number, gain = 1): void => {
  const r = assertCheck(makeCase(spec, input, loss, kind, B, s, gain), s)
  tally.samples++
  if (r.status === 'skipped') tally.skipped++
  tally.coords += r.checked
  tally.skippedCoords += r.skippedCoords
}

describe('activations', () => {
  describe.each(ACTS)('%s', (fn) => {
    it('fused in dense', () => {
      fc.assert(
        fc.property(seed, batch, width, width, width, actWithAlpha(fn), (s, B, I, H, O, alpha) => {
          const spec = Layer.serial(Layer.dense(H, alpha === undefined ? { activation: fn } : { activation: fn, alpha }), Layer.dense(O))
          run(spec, [I], 'softmaxCrossEntropy', 'labels', B, s, 1.5)
        }),
        { numRuns: RUNS },
      )
    })
    it('as a layer', () => {
      fc.assert(
        fc.property(seed, batch, width, width, width, actWithAlpha(fn), (s, B, I, H, O, alpha) => {
          const spec = Layer.serial(Layer.dense(H), Layer.activation(fn, alpha), Layer.dense(O))
          run(spec, [I], 'mse', 'dense', B, s, 1.5)
        }),
        { numRuns: RUNS },
      )
    })
  })
})

describe('dense', () => {
  it('without bias, with any activation, as the last layer', () => {
    fc.assert(
      fc.property(seed, batch, width, width, fc.constantFrom(...ACTS), (s, B, I, O, fn) => run(Layer.dense(O, { activation: fn, useBias: false }), [I], 'mse', 'dense', B, s)),
      { numRuns: 12 },
    )
  })
  it('on a 2-D input (leading feature dims fold into rows), with cross-entropy per row', () => {
    fc.assert(
      fc.property(seed, batch, fc.integer({ min: 1, max: 3 }), width, width, (s, B, R, I, O) =>
        run(Layer.serial(Layer.dense(O, { activation: 'tanh' }), Layer.dense(O)), [R, I], 'softmaxCrossEntropy', 'labels', B, s),
      ),
      { numRuns: 10 },
    )
  })
})

describe('losses', () => {
  const cases: ReadonlyArray<readonly [string, LossName, 'labels' | 'soft' | 'dense']> = [
    ['softmaxCrossEntropy with integer labels', 'softmaxCrossEntropy', 'labels'],
    ['softmaxCrossEntropy with soft targets', 'softmaxCrossEntropy', 'soft'],
    ['mse with dense targets', 'mse', 'dense'],
    ['binaryCrossEntropy with targets in [0, 1]', 'binaryCrossEntropy', 'dense'],
  ]
  it.each(cases)('%s', (_, loss, kind) => {
    fc.assert(
      fc.property(seed, batch, width, width, width, (s, B, I, H, O) => run(Layer.serial(Layer.dense(H, { activation: 'tanh' }), Layer.dense(O)), [I], loss, kind, B, s, 2)),
      { numRuns: 12 },
    )
  })
  it.each(cases)('%s on a 2-D output', (_, loss, kind) => {
    fc.assert(
      fc.property(seed, batch, fc.integer({ min: 2, max: 3 }), width, width, (s, B, R, I, O) => run(Layer.dense(O), [R, I], loss, kind, B, s, 2)),
      { numRuns: 6 },
    )
  })
})

describe('combinators', () => {
  const act = fc.constantFrom(...ACTS)
  it('serial of depth 1-3', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(fc.tuple(width, act), { minLength: 1, maxLength: 3 }), (s, B, I, layers) =>
        run(Layer.serial(...layers.map(([w, fn]) => Layer.dense(w, { activation: fn }))), [I], 'mse', 'dense', B, s, 1.5),
      ),
      { numRuns: 12 },
    )
  })
  it('fanOut, parallel, fanInSum', () => {
    fc.assert(
      fc.property(seed, batch, width, width, fc.array(act, { minLength: 1, maxLength: 3 }), (s, B, I, H, fns) =>
        run(Layer.serial(Layer.fanOut(fns.length), Layer.parallel(...fns.map((fn) => Layer.dense(H, { activation: fn }))), Layer.fanInSum, Layer.dense(3)), [I], 'softmaxCrossEntropy', 'labels', B, s),
      ),
      { numRuns: 10 },
    )
  })
  it('fanOut, parallel of different widths, fanInConcat', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(fc.tuple(width, act), { minLength: 1, maxLength: 3 }), (s, B, I, branches) =>
        run(
          Layer.serial(Layer.fanOut(branches.length), Layer.parallel(...branches.map(([w, fn]) => Layer.dense(w, { activation: fn }))), Layer.fanInConcat, Layer.dense(4)),
          [I],
          'softmaxCrossEntropy',
          'soft',
          B,
          s,
        ),
      ),
      { numRuns: 10 },
    )
  })
  it('fanOut straight into fanInSum and fanInConcat (gradients of copies add up)', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.integer({ min: 1, max: 3 }), fc.boolean(), (s, B, I, n, concat) =>
        run(Layer.serial(Layer.dense(I, { activation: 'tanh' }), Layer.fanOut(n), concat ? Layer.fanInConcat : Layer.fanInSum, Layer.dense(2)), [I], 'mse', 'dense', B, s),
      ),
      { numRuns: 10 },
    )
  })
  it('parallel with an identity branch, and the identity layer', () => {
    fc.assert(
      fc.property(seed, batch, width, act, (s, B, I, fn) =>
        run(Layer.serial(Layer.identity, Layer.fanOut(2), Layer.parallel(Layer.dense(I, { activation: fn }), Layer.identity), Layer.fanInSum, Layer.identity, Layer.dense(3)), [I], 'mse', 'dense', B, s),
      ),
      { numRuns: 10 },
    )
  })
  it('residual without a shortcut', () => {
    fc.assert(
      fc.property(seed, batch, width, width, act, (s, B, I, H, fn) =>
        run(Layer.serial(Layer.residual(Layer.serial(Layer.dense(H, { activation: fn }), Layer.dense(I))), Layer.dense(3)), [I], 'softmaxCrossEntropy', 'labels', B, s),
      ),
      { numRuns: 10 },
    )
  })
  it('residual with a shortcut', () => {
    fc.assert(
      fc.property(seed, batch, width, width, act, (s, B, I, H, fn) =>
        run(Layer.serial(Layer.residual(Layer.dense(H, { activation: fn }), Layer.dense(H)), Layer.dense(3)), [I], 'mse', 'dense', B, s),
      ),
      { numRuns: 10 },
    )
  })
  it('residual blocks nested in residual blocks', () => {
    fc.assert(
      fc.property(seed, batch, width, act, (s, B, I, fn) =>
        run(Layer.residual(Layer.serial(Layer.residual(Layer.dense(I, { activation: fn })), Layer.dense(I, { activation: 'tanh' }))), [I], 'mse', 'dense', B, s),
      ),
      { numRuns: 8 },
    )
  })
})

/** Random networks of depth 1-3 built from every kind, widths tracked so every spec compiles. */
describe('random networks', () => {
  type Block = { readonly t: 'dense' | 'act' | 'residual' | 'shortcut' | 'sum' | 'concat' | 'dropout0' | 'identity'; readonly w: number; readonly fn: ActName; readonly n: number }
  const block = fc.record({
    t: fc.constantFrom('dense', 'act', 'residual', 'shortcut', 'sum', 'concat', 'dropout0', 'identity') as fc.Arbitrary<Block['t']>,
    w: width,
    fn: fc.constantFrom(...ACTS),
    n: fc.integer({ min: 1, max: 3 }),
  })
  const build = (I: number, blocks: ReadonlyArray<Block>): LayerSpec => {
    let w = I
    const layers = blocks.map((b): LayerSpec => {
      switch (b.t) {
        case 'dense':
          w = b.w
          return Layer.dense(b.w, { activation: b.fn })
        case 'act':
          return Layer.activation(b.fn)
        case 'residual':
          return Layer.residual(Layer.dense(w, { activation: b.fn }))
        case 'shortcut':
          w = b.w
          return Layer.residual(Layer.dense(b.w, { activation: b.fn }), Layer.dense(b.w))
        case 'sum':
          return Layer.serial(Layer.fanOut(b.n), Layer.parallel(...Array.from({ length: b.n }, () => Layer.dense(w, { activation: b.fn }))), Layer.fanInSum)
        case 'concat': {
          const out = b.n * b.w
          w = out
          return Layer.serial(Layer.fanOut(b.n), Layer.parallel(...Array.from({ length: b.n }, (_, i) => Layer.dense(b.w, { activation: i === 0 ? b.fn : 'tanh' }))), Layer.fanInConcat)
        }
        case 'dropout0':
          return Layer.dropout(0)
        case 'identity':
          return Layer.identity
      }
    })
    return Layer.serial(...layers, Layer.dense(3))
  }
  it('match the reference', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(block, { minLength: 1, maxLength: 3 }), fc.constantFrom<LossName>('softmaxCrossEntropy', 'mse', 'binaryCrossEntropy'), (s, B, I, blocks, loss) =>
        run(build(I, blocks), [I], loss, loss === 'softmaxCrossEntropy' ? 'labels' : 'dense', B, s),
      ),
      { numRuns: 30 },
    )
  })
})

describe('dropout', () => {
  const vg = (spec: LayerSpec, I: number, s: number, B: number, key?: Key.Key) => {
    const model = compileOrThrow(spec, [I], 'mse')
    const r = rng(s)
    const params = randomParams(model, r)
    const { batch: b } = randomBatch(model, r, B, 'dense')
    const out = model.valueAndGrad(params, b, key ? { key } : {})
    if (E.isLeft(out)) throw new Error(JSON.stringify(out.left))
    return { model, params, batch: b, out: out.right }
  }

  it('rate 0 is the identity: loss and gradients bit-identical to the net without it, in training calls', () => {
    fc.assert(
      fc.property(seed, batch, width, width, (s, B, I, H) => {
        const a = vg(Layer.serial(Layer.dense(H, { activation: 'tanh' }), Layer.dropout(0), Layer.dense(2)), I, s, B, Key.key(s))
        const b = vg(Layer.serial(Layer.dense(H, { activation: 'tanh' }), Layer.dense(2)), I, s, B, Key.key(s))
        expect(a.out.loss).toBe(b.out.loss)
        a.out.grads.forEach((g, i) => expect(Array.from(g.data)).toEqual(Array.from(b.out.grads[i]!.data)))
        const ya = a.model.apply(a.params, a.batch.x), yb = b.model.apply(b.params, b.batch.x)
        expect(ya).toEqual(yb)
      }),
      { numRuns: 10 },
    )
  })

  it('rate > 0: the same key gives bit-identical loss and gradients; apply (inference) ignores dropout', () => {
    fc.assert(
      fc.property(seed, batch, width, width, fc.double({ min: 0.1, max: 0.9, noNaN: true }), (s, B, I, H, rate) => {
        const spec = Layer.serial(Layer.dense(H, { activation: 'tanh' }), Layer.dropout(rate), Layer.dense(2))
        const a = vg(spec, I, s, B, Key.key(s)), b = vg(spec, I, s, B, Key.key(s))
        expect(a.out.loss).toBe(b.out.loss)
        a.out.grads.forEach((g, i) => expect(Array.from(g.data)).toEqual(Array.from(b.out.grads[i]!.data)))
        const plain = vg(Layer.serial(Layer.dense(H, { activation: 'tanh' }), Layer.dense(2)), I, s, B)
        expect(a.model.apply(a.params, a.batch.x)).toEqual(plain.model.apply(plain.params, plain.batch.x))
      }),
      { numRuns: 10 },
    )
  })

  it('rate > 0, one example: the gradient is exactly zero where the mask dropped a unit, and the mask is the documented Threefry draw', () => {
    // With B = 1, dL/db of the dense layer before dropout is dy * mask * f'(z): exactly 0 where
    // a unit was dropped. The Wasm mask is not observable otherwise, so this reads it back and
    // compares it with the mask `dropout_f32` documents: u(key (k0, k1 ^ salt), i) >= rate,
    // salt = the layer's 1-based leaf index (dense = 1, dropout = 2).
    let sawDrop = 0
    fc.assert(
      fc.property(seed, width, fc.integer({ min: 4, max: 9 }), fc.double({ min: 0.2, max: 0.8, noNaN: true }), (s, I, H, rate) => {
        const key = Key.key(s + 1)
        const a = vg(Layer.serial(Layer.dense(H), Layer.dropout(rate), Layer.dense(3, { activation: 'tanh' })), I, s, 1, key)
        const db = a.out.grads[1]!.data
        const mask = dropoutMask([key.k0, key.k1], 2, rate, H)
        for (let j = 0; j < H; j++) {
          if (mask[j] === 0) expect(db[j]).toBe(0)
          else expect(db[j]).not.toBe(0)
        }
        sawDrop += mask.filter((m) => m === 0).length
      }),
      { numRuns: 20 },
    )
    expect(sawDrop).toBeGreaterThan(0)
  })

  it('rate > 0: gradients match finite differences of the reference with the same mask', () => {
    fc.assert(
      fc.property(seed, batch, width, width, fc.double({ min: 0.1, max: 0.8, noNaN: true }), fc.constantFrom(...ACTS), (s, B, I, H, rate, fn) => {
        const spec = Layer.serial(Layer.dense(H, { activation: fn }), Layer.dropout(rate), Layer.dense(H, { activation: 'tanh' }), Layer.dropout(rate / 2), Layer.dense(2))
        assertCheck(makeCase(spec, [I], 'mse', 'dense', B, s), s, { key: Key.key(s) })
      }),
      { numRuns: 12 },
    )
  })
})

describe('the harness', () => {
  it('catches a gradient off by 1% and a forward off by 1e-4', () => {
    const c = makeCase(Layer.serial(Layer.dense(4, { activation: 'tanh' }), Layer.dense(3)), [5], 'softmaxCrossEntropy', 'labels', 3, 7)
    expect(check(c, 7).failures).toEqual([])
    const skewed = { ...c, model: { ...c.model, valueAndGrad: (p: Params, b: Batch, o?: object) => E.map((v: { loss: number; grads: Params }) => ({ ...v, grads: v.grads.map((g, i) => (i === 2 ? { ...g, data: g.data.map((x) => x * 1.01) } : g)) }))(c.model.valueAndGrad(p, b, o)) } } as typeof c
    expect(check(skewed, 7).failures.some((f) => f.startsWith('serial/1/dense/W'))).toBe(true)
    const shifted = { ...c, model: { ...c.model, apply: (p: Params, x: Tensor) => E.map((t: Tensor) => ({ ...t, data: t.data.map((v) => v * (1 + 1e-4)) }))(c.model.apply(p, x)) } } as typeof c
    expect(check(shifted, 7).failures.some((f) => f.startsWith('forward'))).toBe(true)
  })

  it('checked many coordinates and skipped few samples (units near kinks)', () => {
    expect(tally.samples).toBeGreaterThan(300)
    expect(tally.skipped).toBeLessThan(0.05 * tally.samples)
    expect(tally.coords).toBeGreaterThan(10_000)
    expect(tally.skippedCoords).toBeLessThan(0.02 * tally.coords)
  })
})
