/**
 * Compile errors are values that name the layer path (and, for shapes, the
 * expected and actual shapes): mismatched fanInSum widths, residual blocks
 * that change the width, unknown kinds, bad fields (units, rate, n, fn,
 * init), tuples where tensors are expected and the reverse, bad input shapes
 * and losses. Nothing throws.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { GradtraceError } from '../../src/core/Error'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import * as Model from '../../src/model/compile'

const L = Layer
const err = (net: LayerSpec, input: ReadonlyArray<number> = [4], loss: string = 'mse'): GradtraceError => {
  const m = Model.compile(net, { input, loss: loss as Model.CompileOptions['loss'] })
  if (E.isRight(m)) throw new Error(`expected a compile error for ${JSON.stringify(net)}`)
  return m.left
}

describe('shape errors name the path and both shapes', () => {
  it('fanInSum of mismatched widths', () => {
    expect(err(L.serial(L.dense(4), L.fanOut(2), L.parallel(L.dense(3), L.dense(5)), L.fanInSum))).toMatchObject({
      _tag: 'ShapeMismatch',
      path: 'serial/3/fanInSum',
      expected: [3],
      actual: [5],
    })
  })
  it('a residual block that changes the width (no shortcut)', () => {
    expect(err(L.serial(L.dense(4), L.residual(L.dense(5))))).toMatchObject({ _tag: 'ShapeMismatch', path: 'serial/1/residual/sum', expected: [5], actual: [4] })
  })
  it('a residual block and shortcut of different widths', () => {
    expect(err(L.residual(L.dense(5), L.dense(6)))).toMatchObject({ _tag: 'ShapeMismatch', path: 'residual/sum', expected: [5], actual: [6] })
  })
  it('deep inside nested combinators', () => {
    expect(err(L.serial(L.dense(3), L.residual(L.serial(L.dense(3), L.fanOut(2), L.parallel(L.dense(2), L.dense(3)), L.fanInSum))), [2])).toMatchObject({
      _tag: 'ShapeMismatch',
      path: 'serial/1/residual/block/3/fanInSum',
      expected: [2],
      actual: [3],
    })
  })
})

describe('decode errors name the path of the bad field', () => {
  it('an unknown layer kind', () => {
    expect(err(L.serial(L.dense(4), { kind: 'conv' }))).toMatchObject({ _tag: 'DecodeError', path: 'serial/1/conv.kind' })
    expect(err(L.serial(L.fanOut(2), L.parallel(L.dense(2), L.serial({ kind: 'nope' })), L.fanInSum), [2])).toMatchObject({
      _tag: 'DecodeError',
      path: 'serial/1/parallel/1/serial/0/nope.kind',
    })
  })
  it('a layer without a kind', () => {
    const e = err(L.serial(L.dense(4), { foo: 1 } as unknown as LayerSpec))
    expect(e._tag).toBe('DecodeError')
    expect((e as { path: string }).path).toMatch(/^serial\/1/)
  })
  it('a layer without a kind: the path does not contain "undefined"', () => {
    expect((err(L.serial(L.dense(4), { foo: 1 } as unknown as LayerSpec)) as { path: string }).path).not.toContain('undefined')
  })
  it('a field of the wrong type', () => {
    expect(err(L.serial(L.dense('a' as unknown as number)))).toMatchObject({ _tag: 'DecodeError', path: 'serial/0/dense.units' })
    expect(err(L.serial(L.activation('swish' as 'tanh')))).toMatchObject({ _tag: 'DecodeError', path: 'serial/0/activation.fn' })
    expect(err(L.serial(L.dense(3, { activation: 'swish' as 'tanh' })))).toMatchObject({ _tag: 'DecodeError', path: 'serial/0/dense.activation' })
    const init = err(L.dense(3, { init: { kind: 'bogus' } as unknown as Layer.DenseOptions['init'] }))
    expect(init._tag).toBe('DecodeError')
    expect((init as { path: string }).path).toMatch(/^dense\.init\b/) // 'dense.init' or the finer 'dense.init.kind'
  })
})

describe('invalid arguments name the field', () => {
  it('dense units 0, negative or fractional', () => {
    for (const u of [0, -3, 1.5]) expect(err(L.serial(L.dense(u)))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/0/dense.units' })
  })
  it('dropout rate outside [0, 1)', () => {
    for (const r of [1, -0.1, 2]) expect(err(L.serial(L.dense(3), L.dropout(r)))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/dropout.rate' })
  })
  it('fanOut of 0', () => {
    expect(err(L.serial(L.fanOut(0)))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/0/fanOut.n' })
  })
  it('tuples and tensors in the wrong places', () => {
    expect(err(L.serial(L.fanOut(3), L.parallel(L.dense(3), L.dense(3))))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/parallel' })
    expect(err(L.serial(L.fanOut(2)))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial' })
    expect(err(L.serial(L.fanOut(2), L.dense(3)))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/dense' })
    expect(err(L.serial(L.dense(2), L.fanInSum))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/fanInSum' })
    expect(err(L.serial(L.dense(2), L.fanInConcat))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/fanInConcat' })
    expect(err(L.serial(L.dense(2), L.parallel(L.dense(2))))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/parallel' })
    expect(err(L.serial(L.fanOut(2), L.residual(L.dense(2))))).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/residual' })
  })
  it('input shapes and losses', () => {
    for (const s of [[0], [2.5], [-1], [3, 0]]) expect(err(L.dense(3), s)).toMatchObject({ _tag: 'InvalidArgument', path: 'input' })
    expect(err(L.dense(3), [2], 'hinge')).toMatchObject({ _tag: 'InvalidArgument', path: 'loss' })
  })
})
