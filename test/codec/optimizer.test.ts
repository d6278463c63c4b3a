/**
 * Optimizer JSON (#9): only kind and lr are needed, the rest defaults as the
 * constructors do (PyTorch's and Optax's defaults); unknown fields and bad
 * values are Lefts naming the field; decoding then encoding spells every
 * setting out.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeOptimizer, OptimizerCodec } from '../../src/codec/optimizer'
import { cosine, warmup } from '../../src/optim/schedule'
import * as Opt from '../../src/optim/Transform'
import { left, right } from './helpers'

describe('optimizer JSON', () => {
  it('kind and lr are enough; the defaults are the constructors\'', () => {
    expect(right(decodeOptimizer({ kind: 'adam', lr: 3e-3 }))).toEqual(Opt.adam(3e-3))
    expect(right(decodeOptimizer({ kind: 'adam', lr: 3e-3 }))).toEqual({ kind: 'adam', lr: 3e-3, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 })
    expect(right(decodeOptimizer({ kind: 'momentum', lr: 0.1 }))).toEqual(Opt.momentum(0.1))
    expect(right(decodeOptimizer({ kind: 'momentum', lr: 0.1, nesterov: true }))).toEqual(Opt.nesterov(0.1))
    expect(right(decodeOptimizer({ kind: 'rmsprop', lr: 0.01 }))).toEqual(Opt.rmsprop(0.01))
    expect(right(decodeOptimizer('{"kind":"sgd","lr":0.5}'))).toEqual(Opt.sgd(0.5))
    expect(right(decodeOptimizer({ kind: 'adam', lr: 1e-3, wd: 0.01 }))).toEqual(Opt.adamw(1e-3, 0.01))
  })

  it('defaults fill in all the way down a chain, and schedules decode as lr', () => {
    const r = right(decodeOptimizer({ kind: 'chain', items: [{ kind: 'clipByGlobalNorm', max: 1 }, { kind: 'adam', lr: { kind: 'warmup', peak: 1e-3, steps: 10, then: { kind: 'cosine', init: 1e-3, steps: 100 } } }] }))
    expect(r).toEqual(Opt.chain(Opt.clipByGlobalNorm(1), Opt.adam({ kind: 'warmup', peak: 1e-3, steps: 10, then: { kind: 'cosine', init: 1e-3, steps: 100 } })))
  })

  it('every constructed optimizer round-trips through JSON unchanged', () => {
    const opts = fc.constantFrom(Opt.sgd(0.1), Opt.momentum(0.05, 0.5), Opt.nesterov(0.05), Opt.rmsprop(0.01, 0.8, 1e-6), Opt.adam(cosine(1e-2, 100)), Opt.adamw(1e-2, 0.1, 0.8, 0.99, 1e-7), Opt.chain(Opt.clipByValue(0.5), Opt.adam(warmup(0.1, 10))))
    fc.assert(fc.property(opts, (o) => {
      expect(right(decodeOptimizer(JSON.stringify(o)))).toEqual(o)
    }))
  })

  it('missing lr, unknown fields, bad values: a Left naming the field', () => {
    expect(left(decodeOptimizer({ kind: 'adam' }))).toMatchObject({ path: 'lr', message: expect.stringMatching(/got nothing \(the field is missing\)$/) })
    expect(left(decodeOptimizer({ kind: 'adam', lr: 1e-3, betas: [0.9, 0.99] }))).toEqual({ _tag: 'DecodeError', path: 'betas', message: 'unknown field; known fields: kind, lr, b1, b2, eps, wd' })
    expect(left(decodeOptimizer({ kind: 'adam', lr: 1e-3, b2: 'x' }))).toEqual({ _tag: 'DecodeError', path: 'b2', message: 'expected number, got "x"' })
    expect(left(decodeOptimizer({ kind: 'chain', items: [{ kind: 'sgd', lr: 0.1, momentum: 0.9 }] }))).toMatchObject({ path: 'items[0].momentum' })
    expect(left(decodeOptimizer({ kind: 'sgd', lr: { kind: 'cosine', init: 0.1, steps: 10, flor: 0 } }))).toMatchObject({ path: 'lr.flor', message: expect.stringMatching(/did you mean "floor"/) })
    expect(left(decodeOptimizer({ kind: 'lion', lr: 1 }))).toMatchObject({ path: 'kind', message: expect.stringMatching(/^unknown kind "lion"; expected one of "sgd", /) })
  })

  it('the codec encodes every setting', () => {
    expect(OptimizerCodec.encode(right(decodeOptimizer({ kind: 'rmsprop', lr: 0.1 })))).toEqual({ kind: 'rmsprop', lr: 0.1, rho: 0.9, eps: 1e-8 })
    expect(E.isRight(OptimizerCodec.decode(Opt.adam(0.1)))).toBe(true)
  })
})
