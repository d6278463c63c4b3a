/**
 * Trace codec: random traces (NaN, ±Infinity, -0, 1e-30, subnormals included)
 * round-trip exactly through JSON text; real traces from a compiled model do
 * too; the codecs' types are exactly those of src/trace/Trace.ts; bad fields
 * are named by path.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import type * as t from 'io-ts'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  decodeTraceFile,
  decodeTraces,
  encodeTraceFile,
  encodeTraces,
  JsonNumber,
  type LayerTraceCodec,
  type StepTraceCodec,
  type TensorStatsCodec,
  TraceFile,
  traceFile,
} from '../../src/codec/index'
import { key } from '../../src/core/Key'
import * as L from '../../src/model/layers'
import * as Model from '../../src/model/compile'
import { left } from './helpers'
import type { LayerTrace, StepTrace, TensorStats } from '../../src/trace/Trace'


// ------------------------------------------------------------- arbitraries

const num = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e-30, -1e-30, 5e-324, Number.MAX_VALUE, 1e300))
const count = fc.nat({ max: 1_000_000 })
const stats: fc.Arbitrary<TensorStats> = fc.record({ n: count, mean: num, std: num, l2: num, rms: num, maxAbs: num, nonFinite: count, zeroFrac: num })
const series = fc.array(num, { maxLength: 6 })
const layer: fc.Arbitrary<LayerTrace> = fc.record(
  {
    path: fc.string(),
    kind: fc.constantFrom('dense', 'activation', 'residual', 'rnn'),
    gradOut: stats,
    gradPre: stats,
    gradIn: fc.option(stats, { nil: null }),
    act: fc.option(fc.record({ mean: num, std: num, saturated: fc.option(num, { nil: null }), dead: fc.option(num, { nil: null }) }), { nil: null }),
    params: fc.array(fc.record({ name: fc.constantFrom('W', 'b', 'U'), grad: stats, norm: num, updateRatio: fc.option(num, { nil: null }) }), { maxLength: 3 }),
    hist: fc.record({ lo: num, hi: num, counts: fc.array(count, { maxLength: 8 }) }),
    time: fc.record(
      { gradH: series, gradC: series, stateNorm: series, gates: fc.dictionary(fc.constantFrom('input', 'forget', 'output', 'update', 'reset'), series) },
      { requiredKeys: ['gradH'] },
    ),
  },
  { requiredKeys: ['path', 'kind', 'gradOut', 'gradPre', 'gradIn', 'act', 'params'] },
)
const step: fc.Arbitrary<StepTrace> = fc.record(
  {
    step: count,
    loss: num,
    gradNorm: num,
    gradNormClipped: num,
    nonFinite: count,
    level: fc.constantFrom('off', 'norms', 'full' as const),
    layers: fc.array(layer, { maxLength: 3 }),
    lr: num,
  },
  { requiredKeys: ['step', 'loss', 'gradNorm', 'gradNormClipped', 'nonFinite', 'level', 'layers'] },
)

// ------------------------------------------------------------------- tests

describe('JsonNumber', () => {
  it('writes non-finite numbers and -0 as strings and reads them back bit for bit', () => {
    expect([NaN, Infinity, -Infinity, -0, 0, 1e-30].map(JsonNumber.encode)).toEqual(['NaN', 'Infinity', '-Infinity', '-0', 0, 1e-30])
    fc.assert(fc.property(num, (x) => Object.is(E.getOrElse(() => 42)(JsonNumber.decode(JSON.parse(JSON.stringify(JsonNumber.encode(x))))), x)))
  })
  it('refuses other strings', () => {
    expect(E.isLeft(JsonNumber.decode('nan'))).toBe(true)
    expect(E.isLeft(JsonNumber.decode(null))).toBe(true)
  })
})

describe('round trip', () => {
  it('decodeTraces(encodeTraces(traces)) equals traces, for random traces', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 4 }), (traces) => {
        const text = encodeTraces(traces)
        expect(decodeTraces(text)).toEqual(E.right(traces))
        expect(decodeTraces(JSON.parse(text))).toEqual(E.right(traces))
      }),
    )
  })

  it('trace files keep runs, labels and meta', () => {
    const meta = fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0)))
    fc.assert(
      fc.property(fc.array(fc.record({ label: fc.string(), traces: fc.array(step, { maxLength: 2 }) }), { maxLength: 3 }), fc.option(meta, { nil: undefined }), (runs, m) => {
        const file = traceFile(runs, m)
        expect(decodeTraceFile(encodeTraceFile(file))).toEqual(E.right(file))
      }),
      { numRuns: 50 },
    )
  })

  it('real traces from a compiled model round-trip, at every trace level', () => {
    const m = Model.compile(L.serial(L.dense(6, { activation: 'tanh' }), L.dense(5, { activation: 'relu' }), L.dense(3)), { input: [4], loss: 'softmaxCrossEntropy' })
    if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
    const params = m.right.init(key(1))
    const x = { shape: [2, 4], data: new Float32Array([1, -2, 3, 0.5, 0, 1e-3, -4, 2]) }
    for (const level of ['off', 'norms', 'full'] as const) {
      const r = m.right.valueAndGrad(params, { x, y: new Int32Array([0, 2]) }, { trace: level })
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      const tr = r.right.trace
      expect(decodeTraces(encodeTraces([tr]))).toEqual(E.right([tr]))
    }
  })
})

describe('types mirror src/trace/Trace.ts', () => {
  it('decoded types are exactly the trace types', () => {
    expectTypeOf<t.TypeOf<typeof TensorStatsCodec>>().toEqualTypeOf<TensorStats>()
    expectTypeOf<t.TypeOf<typeof LayerTraceCodec>>().toExtend<LayerTrace>()
    expectTypeOf<LayerTrace>().toExtend<t.TypeOf<typeof LayerTraceCodec>>()
    expectTypeOf<t.TypeOf<typeof StepTraceCodec>>().toExtend<StepTrace>()
    expectTypeOf<StepTrace>().toExtend<t.TypeOf<typeof StepTraceCodec>>()
    expectTypeOf<t.TypeOf<typeof TraceFile>>().toExtend<TraceFile>()
  })
})

describe('errors name the field', () => {
  const base: StepTrace = { step: 1, loss: 1, gradNorm: 1, gradNormClipped: 1, nonFinite: 0, level: 'norms', layers: [] }
  const st = { n: 4, mean: 0, std: 1, l2: 2, rms: 1, maxAbs: 1, nonFinite: 0, zeroFrac: 0 }
  const lay = { path: 'serial/0/dense', kind: 'dense', gradOut: st, gradPre: st, gradIn: null, act: null, params: [] }

  it('a bad number string', () => {
    expect(left(decodeTraces([base, { ...base, loss: 'nan' }]))).toEqual({
      _tag: 'DecodeError',
      path: '[1].loss',
      message: 'expected a number or one of "NaN", "Infinity", "-Infinity", "-0", got "nan"',
    })
  })
  it('a field deep in a layer', () => {
    const bad = { ...base, layers: [lay, { ...lay, gradIn: { ...st, l2: null } }] }
    expect(left(decodeTraces([bad]))).toMatchObject({ path: '[0].layers[1].gradIn.l2', message: expect.stringMatching(/got null$/) })
  })
  it('a count that is not a non-negative integer', () => {
    expect(left(decodeTraces([{ ...base, nonFinite: 1.5 }]))).toEqual({ _tag: 'DecodeError', path: '[0].nonFinite', message: 'expected a non-negative integer, got 1.5' })
  })
  it('a missing field and an unknown level', () => {
    const { gradNorm: _, ...rest } = base
    expect(left(decodeTraces([rest]))).toMatchObject({ path: '[0].gradNorm', message: 'expected a number or one of "NaN", "Infinity", "-Infinity", "-0", got nothing (the field is missing)' })
    expect(left(decodeTraces([{ ...base, level: 'all' }])).path).toBe('[0].level')
  })
  it('a time series entry', () => {
    const bad = { ...base, layers: [{ ...lay, time: { gradH: [1, 2, 'x'] } }] }
    expect(left(decodeTraces([bad])).path).toBe('[0].layers[0].time.gradH[2]')
  })
  it('trace files: format, version, labels and nested traces', () => {
    const file = { format: 'gradtrace-traces', version: 1, runs: [{ label: 'a', traces: [base] }] }
    expect(left(decodeTraceFile({ ...file, format: 'gradtrace-checkpoint' })).path).toBe('format')
    expect(left(decodeTraceFile({ ...file, version: 2 }))).toEqual({ _tag: 'DecodeError', path: 'version', message: 'expected 1, got 2' })
    expect(left(decodeTraceFile({ ...file, runs: [{ traces: [] }] })).path).toBe('runs[0].label')
    expect(left(decodeTraceFile({ ...file, runs: [{ label: 'a', traces: [base, { ...base, gradNormClipped: '-inf' }] }] })).path).toBe('runs[0].traces[1].gradNormClipped')
    expect(left(decodeTraceFile({ ...file, meta: { seed: true } })).path).toBe('meta.seed')
    // meta numbers are plain JSON numbers: a NaN would be written as null and not read back
    for (const v of [NaN, Infinity, -Infinity]) expect(left(decodeTraceFile({ ...file, meta: { seconds: v } })).path).toBe('meta.seconds')
    expect(left(decodeTraceFile('not json')).path).toBe('json')
  })
})
