/**
 * Trace invariants, as properties over random networks, batches and levels:
 * for every layer entry and parameter l2 >= maxAbs >= 0, rms <= maxAbs,
 * std >= 0, nonFinite = 0 on finite input; the parameter entries agree with
 * the gradients valueAndGrad returns; gradNorm is their global norm; in a
 * plain serial stack gradIn of layer i is gradOut of layer i-1. Saturation of
 * tanh with huge weights and dead ReLUs with a very negative bias read ~1.
 * Level 'off' has no layers but a gradNorm; 'full' has histograms whose
 * counts add up to the element count.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import * as Model from '../../src/model/compile'
import * as Optim from '../../src/optim/index'
import type { StepTrace, TensorStats } from '../../src/trace/Trace'
import * as Train from '../../src/train/index'
import { ACTS } from '../gradcheck/reference'

const compile = (net: LayerSpec, input: ReadonlyArray<number>, loss: Model.CompileOptions['loss'] = 'mse'): Model.Model => {
  const m = Model.compile(net, { input, loss })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const size = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)
const xs = (B: number, n: number, seed: number) => Float32Array.from({ length: B * n }, (_, i) => Math.sin(12.9898 * i + seed) * 1.5)

const statsOk = (s: TensorStats, what: string): void => {
  const eps = 1e-12 * (1 + s.maxAbs)
  expect(s.maxAbs, `${what} maxAbs >= 0`).toBeGreaterThanOrEqual(0)
  expect(s.l2 + eps, `${what} l2 >= maxAbs`).toBeGreaterThanOrEqual(s.maxAbs)
  expect(s.rms, `${what} rms <= maxAbs`).toBeLessThanOrEqual(s.maxAbs * (1 + 1e-12) + 1e-300)
  expect(s.std, `${what} std >= 0`).toBeGreaterThanOrEqual(0)
  expect(s.nonFinite, `${what} nonFinite`).toBe(0)
  expect(s.zeroFrac).toBeGreaterThanOrEqual(0)
  expect(s.zeroFrac).toBeLessThanOrEqual(1)
  expect(Number.isFinite(s.mean)).toBe(true)
  expect(Math.abs(s.mean)).toBeLessThanOrEqual(s.maxAbs * (1 + 1e-12))
}

const traceOk = (t: StepTrace): void => {
  expect(t.nonFinite).toBe(0)
  expect(t.gradNorm).toBeGreaterThanOrEqual(0)
  for (const l of t.layers) {
    statsOk(l.gradOut, `${l.path} gradOut`)
    statsOk(l.gradPre, `${l.path} gradPre`)
    if (l.gradIn) statsOk(l.gradIn, `${l.path} gradIn`)
    for (const p of l.params) {
      statsOk(p.grad, `${l.path}/${p.name} grad`)
      expect(p.norm).toBeGreaterThanOrEqual(0)
      if (p.updateRatio !== null) expect(p.updateRatio).toBeGreaterThanOrEqual(0)
    }
    if (l.act) {
      expect(l.act.std).toBeGreaterThanOrEqual(0)
      for (const f of [l.act.saturated, l.act.dead]) if (f !== null) expect(f >= 0 && f <= 1).toBe(true)
    }
  }
}

/** Random networks from every kind (depth 1-3). */
const blockArb = fc.record({ t: fc.integer({ min: 0, max: 5 }), w: fc.integer({ min: 1, max: 9 }), fn: fc.constantFrom(...ACTS) })
const netOf = (I: number, bs: ReadonlyArray<{ t: number; w: number; fn: (typeof ACTS)[number] }>): LayerSpec => {
  let w = I
  const layers = bs.map((b): LayerSpec => {
    switch (b.t) {
      case 0:
        w = b.w
        return Layer.dense(b.w, { activation: b.fn })
      case 1:
        return Layer.activation(b.fn)
      case 2:
        return Layer.residual(Layer.dense(w, { activation: b.fn }))
      case 3:
        return Layer.dropout(0.25)
      case 4:
        w = 2 * b.w
        return Layer.serial(Layer.fanOut(2), Layer.parallel(Layer.dense(b.w, { activation: b.fn }), Layer.dense(b.w)), Layer.fanInConcat)
      default:
        return Layer.serial(Layer.fanOut(2), Layer.parallel(Layer.dense(w, { activation: b.fn }), Layer.identity), Layer.fanInSum)
    }
  })
  return Layer.serial(Layer.dense(I), ...layers, Layer.dense(3))
}

describe('trace invariants', () => {
  it('hold for every layer entry and parameter, at levels norms and full, in valueAndGrad and training steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.array(blockArb, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('norms', 'full' as const), (I, B, bs, seed, level) => {
        const model = compile(netOf(I, bs), [I], 'softmaxCrossEntropy')
        const params = model.init(Key.key(seed))
        const batch = { x: { shape: [B, I], data: xs(B, I, seed) }, y: Int32Array.from({ length: B }, (_, i) => (i + seed) % 3) }
        const vg = right(model.valueAndGrad(params, batch, { key: Key.key(seed), trace: level }))
        traceOk(vg.trace)
        expect(vg.trace.level).toBe(level)
        // parameter entries are the statistics of the gradients returned
        const byPath = new Map(vg.grads.map((g) => [g.path, g.data]))
        let sumSq = 0
        for (const l of vg.trace.layers)
          for (const p of l.params) {
            const g = Array.from(byPath.get(`${l.path}/${p.name}`)!)
            const l2 = Math.sqrt(g.reduce((a, v) => a + v * v, 0))
            expect(p.grad.n).toBe(g.length)
            expect(p.grad.maxAbs).toBe(Math.max(...g.map(Math.abs)))
            expect(Math.abs(p.grad.l2 - l2)).toBeLessThanOrEqual(1e-9 * (l2 + 1e-30))
          }
        for (const g of vg.grads) sumSq += Array.from(g.data).reduce((a, v) => a + v * v, 0)
        expect(Math.abs(vg.trace.gradNorm - Math.sqrt(sumSq))).toBeLessThanOrEqual(1e-9 * (Math.sqrt(sumSq) + 1e-30))
        // every parameter appears in exactly one layer entry
        expect(vg.trace.layers.flatMap((l) => l.params.map((p) => `${l.path}/${p.name}`)).sort()).toEqual(model.params.map((p) => p.path).sort())
        // and a training step's trace
        const s = right(Train.init(model, Optim.adam(1e-3), Key.key(seed)))
        const [, t] = right(Train.step(model, Optim.adam(1e-3), { trace: level })(s, batch))
        traceOk(t)
        for (const l of t.layers) for (const p of l.params) expect(p.updateRatio).not.toBeNull()
      }),
      { numRuns: 40 },
    )
  })

  it('in a plain serial stack, gradIn of layer i is gradOut of layer i-1, and the first layer has no gradIn', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.constantFrom(...ACTS), fc.boolean()), { minLength: 1, maxLength: 5 }), fc.nat(), (I, B, ls, seed) => {
        const layers = ls.flatMap(([w, fn, separate]) => (separate ? [Layer.dense(w), Layer.activation(fn)] : [Layer.dense(w, { activation: fn })]))
        const model = compile(Layer.serial(...layers, Layer.dense(2)), [I])
        const params = model.init(Key.key(seed))
        const out = size(model.output)
        const vg = right(model.valueAndGrad(params, { x: { shape: [B, I], data: xs(B, I, seed) }, y: { shape: [B, out], data: xs(B, out, seed + 1) } }))
        const ts = vg.trace.layers
        expect(ts.map((l) => l.path)).toEqual([...layers, Layer.dense(2)].map((l, i) => `serial/${i}/${l.kind}`))
        expect(ts[0]!.gradIn).toBeNull()
        for (let i = 1; i < ts.length; i++) expect(ts[i]!.gradIn).toEqual(ts[i - 1]!.gradOut)
      }),
      { numRuns: 30 },
    )
  })
})

describe('activation statistics', () => {
  const x = { shape: [8, 6], data: xs(8, 6, 1) }
  it('tanh with huge weights is saturated (fraction ~1)', () => {
    const model = compile(Layer.serial(Layer.dense(16, { activation: 'tanh', init: Layer.init.normal(100) }), Layer.dense(2)), [6])
    const vg = right(model.valueAndGrad(model.init(Key.key(1)), { x, y: { shape: [8, 2], data: new Float32Array(16) } }))
    expect(vg.trace.layers[0]!.act!.saturated).toBeGreaterThan(0.95)
    expect(vg.trace.layers[0]!.act!.dead).toBeNull()
    expect(vg.trace.layers[1]!.act!.saturated).toBeNull()
  })
  it('tanh with small weights is not saturated', () => {
    const model = compile(Layer.serial(Layer.dense(16, { activation: 'tanh', init: Layer.init.normal(0.01) }), Layer.dense(2)), [6])
    const vg = right(model.valueAndGrad(model.init(Key.key(1)), { x, y: { shape: [8, 2], data: new Float32Array(16) } }))
    expect(vg.trace.layers[0]!.act!.saturated).toBe(0)
  })
  it('relu with a very negative bias is dead (fraction ~1), as a fused and as a separate activation', () => {
    for (const net of [
      Layer.serial(Layer.dense(16, { activation: 'relu', biasInit: Layer.init.constant(-100) }), Layer.dense(2)),
      Layer.serial(Layer.dense(16, { biasInit: Layer.init.constant(-100) }), Layer.relu, Layer.dense(2)),
    ]) {
      const model = compile(net, [6])
      const vg = right(model.valueAndGrad(model.init(Key.key(1)), { x, y: { shape: [8, 2], data: new Float32Array(16) } }))
      const l = vg.trace.layers.find((e) => e.act?.dead !== null && e.act?.dead !== undefined)!
      expect(l.act!.dead).toBeGreaterThan(0.99)
    }
  })
})

describe('trace levels', () => {
  const model = compile(Layer.serial(Layer.dense(7, { activation: 'tanh' }), Layer.dense(5, { activation: 'relu' }), Layer.relu, Layer.dense(3)), [4], 'softmaxCrossEntropy')
  const params = model.init(Key.key(2))
  const batch = { x: { shape: [6, 4], data: xs(6, 4, 2) }, y: Int32Array.from([0, 1, 2, 0, 1, 2]) }
  it("'off' has no layers but a gradNorm, equal to that of 'norms'", () => {
    const off = right(model.valueAndGrad(params, batch, { trace: 'off' })).trace
    const norms = right(model.valueAndGrad(params, batch, { trace: 'norms' })).trace
    expect(off.level).toBe('off')
    expect(off.layers).toEqual([])
    expect(off.gradNorm).toBeGreaterThan(0)
    expect(off.gradNorm).toBe(norms.gradNorm)
    expect(off.loss).toBe(norms.loss)
  })
  it("'full' has histograms whose counts add up to the element count; 'norms' has none", () => {
    const full = right(model.valueAndGrad(params, batch, { trace: 'full' })).trace
    const norms = right(model.valueAndGrad(params, batch, { trace: 'norms' })).trace
    expect(full.layers.length).toBe(norms.layers.length)
    for (const l of norms.layers) expect(l.hist).toBeUndefined()
    for (const l of full.layers) {
      expect(l.hist).toBeDefined()
      const h = l.hist!
      expect(h.lo).toBeLessThan(h.hi)
      expect(h.counts.every((c) => Number.isInteger(c) && c >= 0)).toBe(true)
      expect(h.counts.reduce((a, b) => a + b, 0)).toBe(l.gradPre.n)
    }
    // 'full' adds histograms and changes nothing else
    expect(full.layers.map(({ hist: _, ...rest }) => rest)).toEqual(norms.layers)
  })
  it('the model default level applies when none is given', () => {
    const m = Model.compile(Layer.serial(Layer.dense(3), Layer.dense(2)), { input: [2], loss: 'mse', trace: 'off' })
    const model2 = right(m)
    const vg = right(model2.valueAndGrad(model2.init(Key.key(0)), { x: { shape: [1, 2], data: Float32Array.from([1, 2]) }, y: { shape: [1, 2], data: Float32Array.from([0, 1]) } }))
    expect(vg.trace.level).toBe('off')
    expect(vg.trace.layers).toEqual([])
  })
})
