/**
 * `fit`: progress as an async iterable; keyed shuffling (the same key gives
 * the same sequence of losses, another key another one, and the order is not
 * the unshuffled one); stopping early with `break`; the `onNonFinite`
 * policies ('stop' ends the run right after yielding the bad step, 'skip'
 * goes on); `every`; and nothing handed in is changed.
 */
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Params from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import * as Optim from '../../src/optim/index'
import * as Train from '../../src/train/index'
import { batchOf, classifier, compile, dataset, right } from './setup'

const data = dataset(40)
const opt = Optim.adam(0.02)
const state0 = (seed = 0) => right(Train.init(classifier, opt, Key.key(seed)))

const collect = async <A>(it: AsyncIterable<A>, max = Infinity): Promise<A[]> => {
  const out: A[] = []
  for await (const p of it) {
    out.push(p)
    if (out.length >= max) break
  }
  return out
}

describe('fit', () => {
  it('yields one progress record per step, epochs x floor(N / batchSize), with finite losses and increasing steps', async () => {
    const ps = await collect(Train.fit(classifier, opt, state0(), data, { epochs: 3, batchSize: 8 }))
    expect(ps.length).toBe(15)
    expect(ps.map((p) => p.step)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
    expect(ps.map((p) => p.epoch)).toEqual(Array.from({ length: 15 }, (_, i) => 1 + Math.floor(i / 5)))
    for (const p of ps) {
      expect(Number.isFinite(p.loss)).toBe(true)
      expect(p.loss).toBe(p.trace.loss)
      expect(p.state.step).toBe(p.step)
      expect(p.error).toBeUndefined()
    }
    // and it learns something
    expect(ps[ps.length - 1]!.loss).toBeLessThan(ps[0]!.loss)
  })

  it('the last partial batch is dropped; every = 3 yields every third step and at each epoch end', async () => {
    const ps = await collect(Train.fit(classifier, opt, state0(), dataset(43), { epochs: 2, batchSize: 8, every: 3 }))
    expect(ps.map((p) => p.step)).toEqual([3, 5, 6, 9, 10])
  })

  it('keyed shuffling: the same key gives the same losses and parameters; another key differs; the order is shuffled', async () => {
    const run = async (seed: number) => collect(Train.fit(classifier, opt, state0(seed), data, { epochs: 2, batchSize: 8 }))
    const a = await run(1), b = await run(1), c = await run(2)
    expect(a.map((p) => p.loss)).toEqual(b.map((p) => p.loss))
    expect(Params.hash(a[a.length - 1]!.state.params)).toBe(Params.hash(b[b.length - 1]!.state.params))
    expect(a.map((p) => p.loss)).not.toEqual(c.map((p) => p.loss))
    // the same state stepped over the data in order gives other losses: fit did shuffle
    let s = state0(1)
    const inOrder: number[] = []
    for (let i = 0; i < 5; i++) {
      const [next, trace] = right(Train.step(classifier, opt)(s, batchOf(data, i, 8)))
      inOrder.push(trace.loss)
      s = next
    }
    expect(a.slice(0, 5).map((p) => p.loss)).not.toEqual(inOrder)
  })

  it('stopping early with break ends the run; the generator is done afterwards', async () => {
    const gen = Train.fit(classifier, opt, state0(), data, { epochs: 100, batchSize: 8 })
    const ps = await collect(gen, 3)
    expect(ps.map((p) => p.step)).toEqual([1, 2, 3])
    expect((await gen.next()).done).toBe(true)
  })

  it('fit is pure: the data and the initial state are unchanged', async () => {
    const s = state0(4)
    const before = structuredClone({ s, data })
    await collect(Train.fit(classifier, opt, s, data, { epochs: 2, batchSize: 8, trace: 'full' }))
    expect({ s, data }).toEqual(before)
  })

  describe('non-finite steps', () => {
    const model = compile(Layer.serial(Layer.dense(8, { activation: 'relu' }), Layer.dense(3)), [4], 'softmaxCrossEntropy')
    const huge = Optim.sgd(1e30)
    const s0 = right(Train.init(model, huge, Key.key(9)))
    it("'stop' (the default) yields the bad step and ends", async () => {
      const ps = await collect(Train.fit(model, huge, s0, data, { epochs: 5, batchSize: 8 }))
      expect(ps.length).toBeLessThan(25)
      const last = ps[ps.length - 1]!
      expect(last.trace.nonFinite).toBeGreaterThan(0)
      expect(ps.slice(0, -1).every((p) => p.trace.nonFinite === 0)).toBe(true)
      // the update of the bad step was dropped: the parameters are those of the step before
      const prev = ps.length > 1 ? ps[ps.length - 2]!.state.params : s0.params
      expect(Params.hash(last.state.params)).toBe(Params.hash(prev))
    })
    it("'skip' drops bad updates and runs to the end", async () => {
      const ps = await collect(Train.fit(model, huge, s0, data, { epochs: 5, batchSize: 8, onNonFinite: 'skip' }))
      expect(ps.length).toBe(25)
      expect(ps.some((p) => p.trace.nonFinite > 0)).toBe(true)
      expect(ps.every((p) => p.state.params.every((q) => Array.from(q.data).every(Number.isFinite)))).toBe(true)
    })
    it('an error (labels out of range) ends the run with the error in the last progress record', async () => {
      const bad = { x: data.x, y: Int32Array.from(data.y as Int32Array, (v, i) => (i === 3 ? 99 : v)) }
      const ps = await collect(Train.fit(model, huge, s0, bad, { epochs: 2, batchSize: 8 }))
      expect(ps[ps.length - 1]!.error).toMatchObject({ _tag: 'InvalidArgument' })
    })
  })
})
