/**
 * Bad input is a Left value, never a throw, and nothing the user holds is
 * changed: batches of the wrong shape, labels of the wrong length or out of
 * range, labels with a loss that needs targets, NaN / +-Infinity in inputs
 * (NonFinite at 'input'), parameters of the wrong count or size. Params,
 * batches and earlier results deep-equal copies of themselves after every
 * call, errors included.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Err from '../../src/core/Error'
import type { GradtraceError } from '../../src/core/Error'
import * as Key from '../../src/core/Key'
import type { Params } from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import * as Model from '../../src/model/compile'

const compile = (net: Parameters<typeof Model.compile>[0], input: ReadonlyArray<number>, loss: Model.CompileOptions['loss']): Model.Model => {
  const m = Model.compile(net, { input, loss })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}
const xent = compile(Layer.serial(Layer.dense(5, { activation: 'tanh' }), Layer.dropout(0.3), Layer.dense(3)), [4], 'softmaxCrossEntropy')
const mse = compile(Layer.serial(Layer.dense(5, { activation: 'relu' }), Layer.dense(2)), [4], 'mse')
const params = xent.init(Key.key(1))
const mseParams = mse.init(Key.key(2))
const xs = (B: number, f = 4) => ({ shape: [B, f], data: Float32Array.from({ length: B * f }, (_, i) => Math.cos(i)) })

/** Runs f on deep copies' originals and checks every argument (and anything in `held`) is unchanged afterwards. */
const pure = <A>(args: ReadonlyArray<unknown>, f: () => A): A => {
  const before = structuredClone(args)
  const out = f()
  expect(args).toEqual(before)
  return out
}

describe('bad batches are Left values naming the field', () => {
  it('x of the wrong feature shape, data length or batch size', () => {
    const cases = [
      { x: { shape: [2, 3], data: new Float32Array(6) }, y: new Int32Array(2) },
      { x: { shape: [2, 4], data: new Float32Array(4) }, y: new Int32Array(2) },
      { x: { shape: [0, 4], data: new Float32Array(0) }, y: new Int32Array(0) },
      { x: { shape: [1.5, 4], data: new Float32Array(6) }, y: new Int32Array(1) },
      { x: { shape: [4], data: new Float32Array(4) }, y: new Int32Array(1) },
      { x: { shape: [2, 2, 2], data: new Float32Array(8) }, y: new Int32Array(2) },
    ]
    for (const b of cases) {
      const r = pure([params, b], () => xent.valueAndGrad(params, b))
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ShapeMismatch', path: 'batch.x' } })
      expect(pure([params, b.x], () => xent.apply(params, b.x))).toMatchObject({ _tag: 'Left', left: { _tag: 'ShapeMismatch', path: 'batch.x' } })
    }
  })
  it('x without its batch axis: the message says the batch axis comes first (not "expected [4, 4]")', () => {
    const r = xent.apply(params, { shape: [4], data: new Float32Array(4) })
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'ShapeMismatch', path: 'batch.x', expected: [4], actual: [] } })
    if (r._tag === 'Left') expect(Err.show(r.left)).toContain('x is [B, 4], batch first; got [4]')
  })
  it('labels of the wrong length, targets of the wrong shape, labels with a loss that needs targets', () => {
    expect(pure([params], () => xent.valueAndGrad(params, { x: xs(2), y: new Int32Array(3) }))).toMatchObject({ left: { _tag: 'ShapeMismatch', path: 'batch.y' } })
    expect(pure([params], () => xent.valueAndGrad(params, { x: xs(2), y: { shape: [2, 2], data: new Float32Array(4) } }))).toMatchObject({ left: { _tag: 'ShapeMismatch', path: 'batch.y' } })
    expect(pure([mseParams], () => mse.valueAndGrad(mseParams, { x: xs(2), y: new Int32Array(2) }))).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'batch.y' } })
  })
  it('labels out of range, at any position', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), fc.oneof(fc.integer({ min: 3, max: 1000 }), fc.integer({ min: -1000, max: -1 })), (B, at, bad) => {
        const y = Int32Array.from({ length: B }, (_, i) => i % 3)
        y[at % B] = bad
        const b = { x: xs(B), y }
        const r = pure([params, b], () => xent.valueAndGrad(params, b))
        expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidArgument', path: `batch.y[${at % B}]` } })
      }),
      { numRuns: 30 },
    )
  })
  it('NaN, Infinity or -Infinity anywhere in x: NonFinite at input, from apply and valueAndGrad', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 4 }), (B, bads) => {
        const x = xs(B)
        const positions = new Set<number>()
        for (const [at, v] of bads) {
          x.data[at % x.data.length] = v
          positions.add(at % x.data.length)
        }
        const b = { x, y: new Int32Array(B) }
        const left = { _tag: 'Left', left: { _tag: 'NonFinite', path: 'input', count: positions.size } }
        expect(pure([params, b], () => xent.valueAndGrad(params, b, { key: Key.key(3) }))).toEqual(left)
        expect(pure([params, x], () => xent.apply(params, x))).toEqual(left)
      }),
      { numRuns: 30 },
    )
  })
  it('parameters of the wrong count or size', () => {
    const b = { x: xs(2), y: new Int32Array(2) }
    expect(pure([params, b], () => xent.valueAndGrad(params.slice(1), b))).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'params' } })
    const short: Params = params.map((p, i) => (i === 2 ? { ...p, data: new Float32Array(p.data.length - 1) } : p))
    expect(pure([short, b], () => xent.valueAndGrad(short, b))).toMatchObject({ left: { _tag: 'ShapeMismatch', path: params[2]!.path } })
    expect(pure([short, b], () => xent.apply(short, b.x))).toMatchObject({ left: { _tag: 'ShapeMismatch', path: params[2]!.path } })
  })
  it('NaN in targets does not throw and is reported (the loss is not finite and the trace counts it)', () => {
    const b = { x: xs(2), y: { shape: [2, 2], data: Float32Array.from([NaN, 0, 1, 0]) } }
    const r = pure([mseParams, b], () => mse.valueAndGrad(mseParams, b))
    if (E.isRight(r)) expect(r.right.trace.nonFinite).toBeGreaterThan(0)
  })
})

describe('defects found and fixed', () => {
  it('a network that is its input (identity, serial()) is a compile error, not a TypeError later', () => {
    for (const net of [Layer.identity, Layer.serial(), Layer.serial(Layer.identity)]) {
      const m = Model.compile(net, { input: [3], loss: 'mse' })
      expect(m).toMatchObject({ left: { _tag: 'InvalidArgument' } })
    }
  })
  it('targets that are a bare Float32Array (untyped callers) are a Left, not a TypeError', () => {
    const b = { x: xs(2), y: new Float32Array(4) as unknown as Model.Batch['y'] }
    expect(mse.valueAndGrad(mseParams, b)).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'batch.y' } })
  })
  it('a ShapeMismatch for a wrong data length reports the data length, not the claimed shape twice', () => {
    const e1 = xent.valueAndGrad(params, { x: { shape: [2, 4], data: new Float32Array(4) }, y: new Int32Array(2) })
    const short: Params = params.map((p, i) => (i === 0 ? { ...p, data: new Float32Array(p.data.length - 1) } : p))
    const e2 = xent.apply(short, xs(1))
    for (const e of [e1, e2] as ReadonlyArray<E.Either<GradtraceError, unknown>>) {
      if (E.isRight(e) || e.left._tag !== 'ShapeMismatch') throw new Error('expected a ShapeMismatch')
      expect(e.left.expected).not.toEqual(e.left.actual)
    }
  })
})

describe('nothing the user holds is changed', () => {
  it('params, batch and earlier results are unchanged by apply and valueAndGrad (dropout on, any key)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.nat(), (B, seed) => {
        const b = { x: xs(B), y: Int32Array.from({ length: B }, (_, i) => (i + seed) % 3) }
        const p = xent.init(Key.key(seed))
        const first = pure([p, b], () => xent.valueAndGrad(p, b, { key: Key.key(seed) }))
        const y1 = pure([p, b], () => xent.apply(p, b.x))
        const held = structuredClone([first, y1])
        // other calls on the same model and runtime: other params, batch sizes, modes, an error
        const p2 = xent.init(Key.key(seed + 1))
        pure([p2], () => xent.valueAndGrad(p2, { x: xs(B + 1), y: new Int32Array(B + 1) }, { key: Key.key(seed), trace: 'full' }))
        pure([p2], () => xent.apply(p2, xs(7)))
        pure([p2], () => xent.valueAndGrad(p2, { x: xs(2), y: new Int32Array([0, 9]) }))
        pure([mseParams], () => mse.valueAndGrad(mseParams, { x: xs(3), y: { shape: [3, 2], data: new Float32Array(6) } }))
        expect([first, y1]).toEqual(held)
        // and the same call again gives the same answer
        expect(xent.valueAndGrad(p, b, { key: Key.key(seed) })).toEqual(first)
      }),
      { numRuns: 20 },
    )
  })
})
