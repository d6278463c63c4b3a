/**
 * `Train.fit` checks everything it is handed before its first step (#9 part
 * 3): x rows against labels or targets, the batch size (a whole number from 1
 * to N), the epochs (a whole number from 1), empty data, data without targets,
 * non-finite inputs, the optimizer and the starting state (parameters,
 * optimizer state made for another optimizer or of the wrong length, the step
 * count). Each bad input gives exactly one progress record: epoch 0, `error`
 * naming the field, the state handed in (the very object, unchanged), no step
 * taken; and nothing handed in (state, data, options, optimizer) is changed.
 * `checkFit` alone gives the same error value. Good inputs at the edges (batch
 * size N, one epoch, one row) train.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { GradtraceError } from '../../src/core/Error'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import * as Optim from '../../src/optim/index'
import type { Data, FitOptions, Progress } from '../../src/train/fit'
import * as Train from '../../src/train/index'
import { classifier, compile, dataset, right } from './setup'

const N = 40
const data = dataset(N)
const opt = Optim.adam(0.02)
const state0 = (seed = 0, o: Optim.GradientTransformation = opt) => right(Train.init(classifier, o, Key.key(seed)))
const regression = compile(Layer.serial(Layer.dense(6, { activation: 'tanh' }), Layer.dense(2)), [4], 'mse')
const targets = (rows: number, xRows = rows): Data => ({
  x: { shape: [xRows, 4], data: Float32Array.from({ length: xRows * 4 }, (_, i) => Math.sin(0.7 * i)) },
  y: { shape: [rows, 2], data: Float32Array.from({ length: rows * 2 }, (_, i) => Math.cos(0.3 * i)) },
})

const collect = async <A>(it: AsyncIterable<A>): Promise<A[]> => {
  const out: A[] = []
  for await (const p of it) out.push(p)
  return out
}

interface Run {
  readonly model?: typeof classifier
  readonly optimizer?: Optim.GradientTransformation
  readonly state?: Train.TrainState
  readonly data?: unknown
  readonly opts?: unknown
}

/**
 * Runs fit on a bad input: it must yield exactly one record (epoch 0, the error, the state handed in, no step),
 * return that state, change nothing it was handed, and agree with checkFit. Returns the error.
 */
const refused = async (r: Run): Promise<GradtraceError> => {
  const model = r.model ?? classifier, optimizer = r.optimizer ?? opt
  const state = r.state ?? state0(0, optimizer)
  const d = ('data' in r ? r.data : data) as Data, o = ('opts' in r ? r.opts : { epochs: 2, batchSize: 8 }) as FitOptions
  const before = structuredClone({ state, d, o, optimizer })
  const gen = Train.fit(model, optimizer, state, d, o)
  const ps: Progress[] = []
  let last = await gen.next()
  for (; !last.done; last = await gen.next()) ps.push(last.value)
  expect(ps).toHaveLength(1)
  const p = ps[0]!
  expect(p.error).toBeDefined()
  expect(p.epoch).toBe(0)
  expect(p.step).toBe(state.step)
  expect(p.state).toBe(state) // the very state handed in: no step was taken
  expect(Number.isNaN(p.loss)).toBe(true)
  expect(p.trace.layers).toEqual([])
  expect(last.value).toBe(state)
  expect({ state, d, o, optimizer }).toEqual(before)
  expect(Train.checkFit(model, optimizer, state, d, o)).toEqual(E.left(p.error))
  return p.error!
}

describe('fit refuses bad data before the first step', () => {
  it('labels fewer or more than the rows of x (missing labels were read as 0)', async () => {
    for (const n of [N - 1, N + 1, 1]) {
      const y = (data.y as Int32Array).slice(0, Math.min(n, N))
      const labels = n > N ? Int32Array.from({ length: n }, (_, i) => i % 3) : y
      expect(await refused({ data: { x: data.x, y: labels } })).toEqual({ _tag: 'ShapeMismatch', path: 'data.y', what: 'labels', expected: [N], actual: [n] })
    }
  })

  it('targets whose rows do not match x, either way', async () => {
    const state = right(Train.init(regression, opt, Key.key(1)))
    for (const [rows, xRows] of [[N - 1, N], [N, N - 1], [N + 5, N]] as const) {
      const e = await refused({ model: regression, state, data: targets(rows, xRows) })
      expect(e).toMatchObject({ _tag: 'ShapeMismatch', path: 'data.y', expected: [xRows, 2], actual: [rows, 2] })
    }
  })

  it('x whose data length does not match its shape, or that is not a Float32Array tensor', async () => {
    const short = { x: { shape: [N, 4], data: new Float32Array(4 * N - 1) }, y: data.y }
    expect(await refused({ data: short })).toMatchObject({ _tag: 'ShapeMismatch', path: 'data.x', expected: [4 * N], actual: [4 * N - 1] })
    expect(await refused({ data: { x: { shape: [N, 4], data: Float64Array.from(data.x.data) }, y: data.y } })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.x' })
    expect(await refused({ data: { x: { shape: [N, 5], data: new Float32Array(5 * N) }, y: data.y } })).toMatchObject({ _tag: 'ShapeMismatch', path: 'data.x' })
    expect(await refused({ data: { y: data.y } })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.x' })
    expect(await refused({ data: null })).toMatchObject({ _tag: 'InvalidArgument', path: 'data' })
  })

  it('empty data: one record with the error, no step (there were no records and no error)', async () => {
    const empty = { x: { shape: [0, 4], data: new Float32Array(0) }, y: new Int32Array(0) }
    expect(await refused({ data: empty })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.x', message: expect.stringMatching(/no rows/) })
  })

  it('data without labels or targets (an untyped caller) is an error value, not a TypeError mid-run', async () => {
    expect(await refused({ data: { x: data.x } })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.y' })
    expect(await refused({ data: { x: data.x, y: Array.from(data.y as Int32Array) } })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.y' })
  })

  it('labels out of range, or labels with a loss that needs targets', async () => {
    const y = Int32Array.from(data.y as Int32Array, (v, i) => (i === 37 ? 3 : v))
    expect(await refused({ data: { x: data.x, y } })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.y[37]' })
    const state = right(Train.init(regression, opt, Key.key(1)))
    expect(await refused({ model: regression, state, data })).toMatchObject({ _tag: 'InvalidArgument', path: 'data.y' })
  })

  it('NaN or Infinity in x: refused before any step, not after the batches before it trained', async () => {
    for (const [at, v] of [[0, NaN], [4 * N - 1, Infinity], [77, -Infinity]] as const) {
      const x = Float32Array.from(data.x.data)
      x[at] = v
      expect(await refused({ data: { x: { shape: [N, 4], data: x }, y: data.y } })).toMatchObject({ _tag: 'NonFinite', path: 'data.x', count: 1 })
    }
  })
})

describe('fit refuses bad options before the first step', () => {
  it.each([-1, 0, NaN, 2.5, Infinity, N + 1, 1000, '8', undefined])('batch size %s', async (batchSize) => {
    const e = await refused({ opts: { epochs: 1, batchSize } })
    expect(e).toMatchObject({ _tag: 'InvalidArgument', path: 'opts.batchSize' })
    if (typeof batchSize === 'number' && batchSize > N && Number.isInteger(batchSize)) expect(e).toMatchObject({ message: expect.stringMatching(/more than the 40 rows/) })
  })

  it.each([-1, 0, NaN, 1.5, Infinity, '2', undefined])('epochs %s', async (epochs) => {
    expect(await refused({ opts: { epochs, batchSize: 8 } })).toMatchObject({ _tag: 'InvalidArgument', path: 'opts.epochs' })
  })

  it('every, onNonFinite, trace, and options that are not an object', async () => {
    expect(await refused({ opts: { epochs: 1, batchSize: 8, every: 0 } })).toMatchObject({ path: 'opts.every' })
    expect(await refused({ opts: { epochs: 1, batchSize: 8, every: 1.5 } })).toMatchObject({ path: 'opts.every' })
    expect(await refused({ opts: { epochs: 1, batchSize: 8, onNonFinite: 'ignore' } })).toMatchObject({ path: 'opts.onNonFinite' })
    expect(await refused({ opts: { epochs: 1, batchSize: 8, trace: 'all' } })).toMatchObject({ path: 'opts.trace' })
    expect(await refused({ opts: null })).toMatchObject({ _tag: 'InvalidArgument', path: 'opts' })
  })
})

describe('fit refuses an optimizer or a state that does not fit', () => {
  it('an invalid optimizer setting', async () => {
    const bad = Optim.sgd(-1)
    expect(await refused({ optimizer: bad, state: state0(0, Optim.sgd(0.1)) })).toMatchObject({ _tag: 'InvalidArgument', path: 'optimizer[0].sgd' })
  })

  it('optimizer state made for another optimizer (a TypeError or stale memory before)', async () => {
    const fromSgd = state0(0, Optim.sgd(0.1))
    const fromMomentum = state0(0, Optim.momentum(0.1))
    for (const [optimizer, state] of [[Optim.adam(0.01), fromSgd], [Optim.adam(0.01), fromMomentum], [Optim.sgd(0.1), state0(0, Optim.adam(0.01))]] as const) {
      const e = await refused({ optimizer, state })
      expect(e).toMatchObject({ _tag: 'InvalidArgument', path: `state.opt[0] (${classifier.params[0]!.path})`, message: expect.stringMatching(/another optimizer/) })
    }
  })

  it('optimizer state arrays of the wrong length (length 1 read stale memory before), or not Float32Arrays', async () => {
    const s = state0()
    const at = `state.opt[2] (${classifier.params[2]!.path})[1]`
    const withSlot = (v: unknown): Train.TrainState => ({ ...s, opt: s.opt.map((sl, i) => (i === 2 ? [sl[0]!, v as Float32Array] : sl)) })
    expect(await refused({ state: withSlot(new Float32Array(1)) })).toMatchObject({ _tag: 'ShapeMismatch', path: at, expected: [s.opt[2]![1]!.length], actual: [1] })
    expect(await refused({ state: withSlot(Array.from(s.opt[2]![1]!)) })).toMatchObject({ _tag: 'InvalidArgument', path: at })
    expect(await refused({ state: { ...s, opt: s.opt.slice(1) } })).toMatchObject({ _tag: 'InvalidArgument', path: 'state.opt' })
  })

  it('parameters that do not match the model, a bad step count, no state', async () => {
    const s = state0()
    const short = { ...s, params: s.params.map((p, i) => (i === 1 ? { ...p, data: new Float32Array(1) } : p)) }
    expect(await refused({ state: short })).toMatchObject({ _tag: 'ShapeMismatch', path: classifier.params[1]!.path })
    expect(await refused({ state: { ...s, params: s.params.slice(1) } })).toMatchObject({ _tag: 'InvalidArgument', path: 'state.params' })
    for (const step of [-1, 1.5, NaN]) expect(await refused({ state: { ...s, step } })).toMatchObject({ _tag: 'InvalidArgument', path: 'state.step' })
    const none = await collect(Train.fit(classifier, opt, undefined as unknown as Train.TrainState, data, { epochs: 1, batchSize: 8 }))
    expect(none).toHaveLength(1)
    expect(none[0]!.error).toMatchObject({ _tag: 'InvalidArgument', path: 'state' })
  })
})

describe('inputs at the edges that are good train', () => {
  it('batch size N (one step an epoch), one epoch, one row with batch size 1', async () => {
    const full = await collect(Train.fit(classifier, opt, state0(), data, { epochs: 3, batchSize: N }))
    expect(full.map((p) => [p.epoch, p.step, p.error])).toEqual([[1, 1, undefined], [2, 2, undefined], [3, 3, undefined]])
    const one = { x: { shape: [1, 4], data: data.x.data.slice(0, 4) }, y: (data.y as Int32Array).slice(0, 1) }
    const ps = await collect(Train.fit(classifier, opt, state0(), one, { epochs: 2, batchSize: 1 }))
    expect(ps.map((p) => p.step)).toEqual([1, 2])
    expect(ps.every((p) => p.error === undefined && Number.isFinite(p.loss))).toBe(true)
  })

  it('checkFit gives the number of rows and the steps of an epoch', () => {
    expect(Train.checkFit(classifier, opt, state0(), dataset(43), { epochs: 1, batchSize: 8 })).toEqual(E.right({ rows: 43, steps: 5 }))
  })
})
