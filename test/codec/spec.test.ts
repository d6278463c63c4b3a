/**
 * Spec codec: encode/decode round-trips random specs built from the layer
 * constructors; bad specs are DecodeErrors whose path is compile's layer path
 * plus the field, and whose message says what was expected and what came.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { decodeNetworkFile, decodeSpec, encodeNetworkFile, encodeSpec, NetworkFile } from '../../src/codec/index'
import * as L from '../../src/model/layers'
import type { Kind, LayerSpec } from '../../src/layer/Layer'
import * as Model from '../../src/model/compile'
import { left } from './helpers'


// ------------------------------------------------------------- arbitraries

const fin = fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x + 0) // + 0 turns -0 into 0: JSON has no -0
const actName = fc.constantFrom('identity', 'sigmoid', 'tanh', 'hardTanh', 'softsign', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus' as const)
const initArb = fc.oneof(
  fc.constantFrom(L.init.zeros, L.init.classic, L.init.glorotUniform, L.init.glorotNormal, L.init.heUniform, L.init.heNormal, L.init.lecunNormal),
  fin.map(L.init.constant),
  fc.tuple(fin, fin).map(([s, m]) => L.init.normal(s, m)),
  fin.map(L.init.uniform),
  fin.map(L.init.orthogonal),
  fin.map(L.init.identity),
)
const denseArb = fc
  .tuple(fc.integer({ min: 1, max: 512 }), fc.record({ activation: actName, alpha: fin, init: initArb, biasInit: initArb, useBias: fc.boolean() }, { requiredKeys: [] }))
  .map(([u, o]) => L.dense(u, o))
const leafArb: fc.Arbitrary<LayerSpec> = fc.oneof(
  denseArb,
  fc.constantFrom(L.tanh, L.relu, L.sigmoid, L.gelu, L.selu, L.softplus, L.softsign, L.hardTanh, L.fanInSum, L.fanInConcat, L.identity),
  fin.map(L.leakyRelu),
  fin.map(L.elu),
  fc.tuple(actName, fc.option(fin, { nil: undefined })).map(([f, a]) => L.activation(f, a)),
  fin.map(L.dropout),
  fc.integer({ min: 1, max: 4 }).map(L.fanOut),
)
const specArb: fc.Arbitrary<LayerSpec> = fc.letrec<{ spec: LayerSpec }>((tie) => ({
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('spec'), { maxLength: 4 }).map((ls) => L.serial(...ls)),
    fc.array(tie('spec'), { maxLength: 3 }).map((ls) => L.parallel(...ls)),
    fc.tuple(tie('spec'), fc.option(tie('spec'), { nil: undefined })).map(([b, s]) => L.residual(b, s)),
  ),
})).spec

// ------------------------------------------------------------------- tests

describe('round trip', () => {
  it('decodeSpec(encodeSpec(spec)) is spec, for random specs', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const r = decodeSpec(encodeSpec(spec))
        expect(r).toEqual(E.right(spec))
        expect(JSON.parse(encodeSpec(spec))).toEqual(spec)
      }),
    )
  })

  it('decodes a parsed value as well as text, and keeps the very object when nothing changes', () => {
    const spec = L.serial(L.dense(8, { activation: 'relu', init: L.init.heNormal }), L.residual(L.dense(8)), L.dense(2))
    const r = decodeSpec(spec)
    expect(E.isRight(r) && r.right).toBe(spec)
  })

  it('network files round-trip', () => {
    fc.assert(
      fc.property(specArb, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 3 }), fc.constantFrom('mse', 'softmaxCrossEntropy', 'binaryCrossEntropy' as const), (spec, input, loss) => {
        const r = decodeNetworkFile(encodeNetworkFile({ spec, input, loss }))
        expect(r).toEqual(E.right({ format: 'gradtrace-network', version: 1, spec, input, loss }))
        expect(E.isRight(NetworkFile.decode(JSON.parse(encodeNetworkFile({ spec, input, loss }))))).toBe(true)
      }),
    )
  })
})

describe('errors name the layer path and the field', () => {
  it('a bad field deep in a serial: serial/2/dense.units', () => {
    const e = left(decodeSpec({ kind: 'serial', layers: [L.dense(4), L.tanh, { kind: 'dense', units: '64' }] }))
    expect(e).toEqual({ _tag: 'DecodeError', path: 'serial/2/dense.units', message: 'expected number, got "64"' })
  })

  it('an unknown kind names the kinds it knows', () => {
    const e = left(decodeSpec(L.serial(L.dense(4), { kind: 'capsule' } as LayerSpec)))
    expect(e.path).toBe('serial/1/capsule.kind')
    expect(e).toMatchObject({ message: expect.stringMatching(/^unknown layer kind "capsule"; expected one of dense, activation, .*residual/) })
  })

  it('a missing field says so', () => {
    expect(left(decodeSpec({ kind: 'dropout' }))).toEqual({ _tag: 'DecodeError', path: 'dropout.rate', message: 'expected number, got nothing (the field is missing)' })
  })

  it('a missing or non-string kind', () => {
    expect(left(decodeSpec({ units: 3 })).path).toBe('kind')
    expect(left(decodeSpec(L.serial({ kind: 3 } as unknown as LayerSpec))).path).toBe('serial/0/?.kind')
    expect(left(decodeSpec(42))).toMatchObject({ path: 'spec', message: 'expected a layer spec (an object with a string "kind"), got 42' })
  })

  it('a non-object child of serial', () => {
    expect(left(decodeSpec({ kind: 'serial', layers: [L.tanh, 3] }))).toEqual({ _tag: 'DecodeError', path: 'serial.layers[1]', message: 'expected an object, got 3' })
  })

  it('residual children are named block and shortcut, as compile names them', () => {
    expect(left(decodeSpec(L.residual(L.serial(L.dense(3), { kind: 'dense' } as LayerSpec)))).path).toBe('residual/block/1/dense.units')
    expect(left(decodeSpec(L.residual(L.dense(3), { kind: 'activation', fn: 'swish' } as LayerSpec)))).toMatchObject({
      path: 'residual/shortcut.fn',
      message: expect.stringMatching(/^expected "identity" \| "sigmoid" .* got "swish"$/),
    })
  })

  it('inside a discriminated union: an unknown init kind, or a bad field of a known one', () => {
    const bogus = left(decodeSpec(L.serial(L.dense(3, { init: { kind: 'xavier' } as unknown as L.init.InitSpec }))))
    expect(bogus.path).toBe('serial/0/dense.init.kind')
    expect(bogus).toMatchObject({ message: expect.stringMatching(/^unknown kind "xavier"; expected one of "zeros", "constant", /) })
    const std = left(decodeSpec(L.serial(L.dense(3, { init: { kind: 'normal', std: 'x' } as unknown as L.init.InitSpec }))))
    expect(std).toEqual({ _tag: 'DecodeError', path: 'serial/0/dense.init.std', message: 'expected number, got "x"' })
  })

  it('text that is not JSON', () => {
    expect(left(decodeSpec('{"kind":'))).toMatchObject({ _tag: 'DecodeError', path: 'json' })
  })

  it('agrees with the paths compile reports for the same bad specs', () => {
    const bad: ReadonlyArray<LayerSpec> = [
      L.serial(L.dense(4), L.tanh, { kind: 'dense', units: 'x' } as LayerSpec),
      L.serial(L.dense(4), L.residual(L.serial(L.dense(4), { kind: 'dropout' } as LayerSpec))),
      L.serial(L.dense(4), L.fanOut(2), L.parallel(L.dense(2), { kind: 'nope' } as LayerSpec), L.fanInSum),
      L.serial(L.dense(4, { init: { kind: 'normal' } as unknown as L.init.InitSpec })),
    ]
    for (const net of bad) {
      const c = Model.compile(net, { input: [4], loss: 'mse' })
      expect(left(c).path).toBe(left(decodeSpec(net)).path)
    }
  })

  it('user kinds decode with their codec and are walked into', () => {
    const Double = t.type({ kind: t.literal('double'), factor: t.number })
    const double = { _tag: 'leaf', kind: 'double', codec: Double } as unknown as Kind
    expect(E.isRight(decodeSpec(L.serial({ kind: 'double', factor: 2 } as LayerSpec), [double]))).toBe(true)
    expect(left(decodeSpec(L.serial({ kind: 'double' } as LayerSpec), [double])).path).toBe('serial/0/double.factor')
    expect(left(decodeSpec(L.serial({ kind: 'double', factor: 2 } as LayerSpec))).path).toBe('serial/0/double.kind')
  })

  it('network files name the file field, and the spec path after "spec."', () => {
    const file = (o: object) => ({ format: 'gradtrace-network', version: 1, input: [4], loss: 'mse', spec: L.dense(1), ...o })
    expect(left(decodeNetworkFile(file({ format: 'gradtrace-traces' })))).toEqual({ _tag: 'DecodeError', path: 'format', message: 'expected "gradtrace-network", got "gradtrace-traces"' })
    expect(left(decodeNetworkFile(file({ version: 2 }))).path).toBe('version')
    expect(left(decodeNetworkFile(file({ input: [4, 0] })))).toEqual({ _tag: 'DecodeError', path: 'input[1]', message: 'expected a positive integer, got 0' })
    expect(left(decodeNetworkFile(file({ loss: 'hinge' }))).path).toBe('loss')
    expect(left(decodeNetworkFile(file({ spec: L.serial(L.dense(2), { kind: 'dense', units: null } as LayerSpec) })))).toEqual({
      _tag: 'DecodeError',
      path: 'spec.serial/1/dense.units',
      message: 'expected number, got null',
    })
  })
})

describe('#9: unknown fields, deep nesting and circular specs are errors naming the place', () => {
  it('a misspelt field is named, with the field it probably meant', () => {
    const e = left(decodeSpec({ kind: 'serial', layers: [{ kind: 'dense', units: 32, activatoin: 'tanh' }, { kind: 'dense', units: 10 }] }))
    expect(e).toEqual({
      _tag: 'DecodeError',
      path: 'serial/0/dense.activatoin',
      message: 'unknown field (did you mean "activation"?); known fields: kind, units, activation, alpha, init, biasInit, useBias',
    })
    expect(left(decodeSpec(L.residual(L.dense(3, { init: { kind: 'normal', std: 1, stdd: 2 } as unknown as L.init.InitSpec }))))).toMatchObject({
      path: 'residual/block.init.stdd',
      message: expect.stringMatching(/^unknown field \(did you mean "std"\?\); known fields: kind, std, mean$/),
    })
    expect(left(decodeSpec({ kind: 'lstm', units: 4, retrunSequences: true })).path).toBe('lstm.retrunSequences')
    expect(left(decodeSpec({ kind: 'serial', layers: [], name: 'mine' }))).toMatchObject({ path: 'serial.name', message: 'unknown field; known fields: kind, layers' })
  })

  it('an undefined field is an absent one (JSON has no undefined)', () => {
    expect(E.isRight(decodeSpec({ kind: 'dense', units: 3, activation: undefined }))).toBe(true)
  })

  it('network files refuse unknown top-level fields', () => {
    expect(left(decodeNetworkFile({ format: 'gradtrace-network', version: 1, input: [4], loss: 'mse', spec: L.dense(1), lose: 'mse' }))).toMatchObject({ path: 'lose' })
  })

  const nest = (n: number): LayerSpec => {
    let s: LayerSpec = L.dense(2)
    for (let i = 0; i < n; i++) s = L.serial(s)
    return s
  }

  it('1,000 nested combinators decode; deeper is a Left, not a RangeError, as text or as a value', () => {
    expect(E.isRight(decodeSpec(JSON.stringify(nest(999))))).toBe(true)
    const text = (n: number) => '{"kind":"serial","layers":['.repeat(n) + '{"kind":"dense","units":2}' + ']}'.repeat(n)
    for (const n of [1000, 1500, 5000, 100_000]) {
      for (const input of [text(n), nest(n)]) {
        const e = left(decodeSpec(input))
        expect(e).toMatchObject({ _tag: 'DecodeError', message: expect.stringMatching(/nested deeper than/) })
        expect(e.path.length).toBeLessThan(120)
      }
    }
  })

  it('the layer walk has its own limit when called through the io-ts codec (no JSON scan first)', () => {
    expect(E.isLeft(NetworkFile.decode({ format: 'gradtrace-network', version: 1, input: [2], loss: 'mse', spec: nest(1001) }))).toBe(true)
    expect(E.isRight(NetworkFile.decode({ format: 'gradtrace-network', version: 1, input: [2], loss: 'mse', spec: nest(999) }))).toBe(true)
  })

  it('a spec that contains itself is a Left naming where', () => {
    const loop: { kind: 'serial'; layers: LayerSpec[] } = { kind: 'serial', layers: [L.dense(2)] }
    loop.layers.push(L.residual(loop))
    expect(left(decodeSpec(loop))).toEqual({ _tag: 'DecodeError', path: 'layers[1].block', message: 'circular: this value contains itself (it is the value at the top)' })
    expect(E.isLeft(NetworkFile.decode({ format: 'gradtrace-network', version: 1, input: [2], loss: 'mse', spec: loop }))).toBe(true)
  })

  it('a layer used twice is not circular', () => {
    const block = L.serial(L.dense(4), L.tanh)
    expect(E.isRight(decodeSpec(L.serial(block, block, L.residual(block))))).toBe(true)
  })
})
