/**
 * Gradient traces as JSON, mirroring `src/trace/Trace.ts` field for field.
 * JSON has no NaN or Infinity, and a diverging run is exactly when traces
 * hold them, so every measured number goes through `JsonNumber`: NaN, ±Infinity
 * and -0 are written as the strings "NaN", "Infinity", "-Infinity", "-0" and
 * read back bit for bit (finite numbers round-trip exactly as JSON numbers).
 * A `TraceFile` holds the runs of several configurations for the report.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import type { StepTrace } from '../trace/Trace'
 * import { decodeTraces, encodeTraces } from './trace'
 * // the step where training diverged: exactly the one to keep
 * const diverged: StepTrace = { step: 1, loss: NaN, gradNorm: Infinity, gradNormClipped: 1, nonFinite: 3, level: 'off', layers: [] }
 * const text = encodeTraces([diverged])
 * assert.strictEqual(JSON.stringify(JSON.parse(text)[0].gradNorm), '"Infinity"') // JSON.stringify alone writes null
 * assert.deepStrictEqual(decodeTraces(text), E.right([diverged]))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { GradtraceError } from '../core/Error'
import type * as Trace from '../trace/Trace'
import { describe, fromErrors, parseJson } from '../core/decoding'

// ------------------------------------------------------------------- numbers

/** How `JsonNumber` writes a number: itself when finite (and not -0), else a string. @category model @since 0.1.0 */
export type JsonNumberOutput = number | 'NaN' | 'Infinity' | '-Infinity' | '-0'

const SPECIAL: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }

/**
 * A float64 that survives JSON: NaN, Infinity, -Infinity and -0 are encoded
 * as the strings "NaN", "Infinity", "-Infinity" and "-0" and decoded back.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { JsonNumber } from './trace'
 * assert.deepStrictEqual([NaN, -0, 1.5].map(JsonNumber.encode), ['NaN', '-0', 1.5])
 * assert.deepStrictEqual(JsonNumber.decode('-Infinity'), E.right(-Infinity))
 * assert.ok(E.isLeft(JsonNumber.decode('Inf')))
 *
 * @category codecs
 * @since 0.1.0
 */
export const JsonNumber = new t.Type<number, JsonNumberOutput, unknown>(
  'JsonNumber',
  (u): u is number => typeof u === 'number',
  (u, c) =>
    typeof u === 'number'
      ? t.success(u)
      : typeof u === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, u)
        ? t.success(SPECIAL[u]!)
        : t.failure(u, c, `expected a number or one of "NaN", "Infinity", "-Infinity", "-0", got ${describe(u)}`),
  (n) => (Number.isNaN(n) ? 'NaN' : n === Infinity ? 'Infinity' : n === -Infinity ? '-Infinity' : Object.is(n, -0) ? '-0' : n),
)

/** A count: a non-negative integer. @category codecs @since 0.1.0 */
export const Count = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')

const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null])

/**
 * Required and optional fields in one codec. Not `t.intersection`: its encoder
 * merges the members' outputs with `!==`, and NaN !== NaN, so an encoded "NaN"
 * would be overwritten by the raw NaN (JSON then writes null). Decoding
 * keeps unknown fields, as `t.type` does.
 */
const struct = <R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) => {
  const req = t.type(required)
  const opt = t.partial(optional)
  const keys = Object.keys(optional)
  type A = Readonly<t.TypeOfProps<R>> & Readonly<t.TypeOfPartialProps<O>>
  type Out = t.OutputOfProps<R> & t.OutputOfPartialProps<O>
  return new t.Type<A, Out, unknown>(
    name,
    (u): u is A => req.is(u) && opt.is(u),
    (u, c) =>
      E.chain((r: t.TypeOfProps<R>) =>
        E.map((o: t.TypeOfPartialProps<O>) => {
          const out: Record<string, unknown> = { ...r }
          for (const k of keys) if ((o as Record<string, unknown>)[k] !== undefined) out[k] = (o as Record<string, unknown>)[k]
          return out as A
        })(opt.validate(u, c)),
      )(req.validate(u, c)),
    (a) => {
      const out: Record<string, unknown> = { ...(req.encode(a as t.TypeOfProps<R>) as object) }
      for (const k of keys) {
        const v = (a as Record<string, unknown>)[k]
        if (v !== undefined) out[k] = optional[k]!.encode(v)
      }
      return out as Out
    },
  )
}

// -------------------------------------------------------------------- codecs

/** @category codecs @since 0.1.0 */
export const TensorStatsCodec = t.readonly(
  t.type({ n: Count, mean: JsonNumber, std: JsonNumber, l2: JsonNumber, rms: JsonNumber, maxAbs: JsonNumber, nonFinite: Count, zeroFrac: JsonNumber }),
  'TensorStats',
)

/** @category codecs @since 0.1.0 */
export const ParamTraceCodec = t.readonly(t.type({ name: t.string, grad: TensorStatsCodec, norm: JsonNumber, updateRatio: nullable(JsonNumber) }), 'ParamTrace')

/** @category codecs @since 0.1.0 */
export const ActStatsCodec = t.readonly(t.type({ mean: JsonNumber, std: JsonNumber, saturated: nullable(JsonNumber), dead: nullable(JsonNumber) }), 'ActStats')
const Series = t.readonlyArray(JsonNumber), Maps = t.readonlyArray(Series), Names = t.readonlyArray(t.string), Gates = t.record(t.string, Maps)
/** @category codecs @since 0.1.0 */
export const TimeTraceCodec = struct('TimeTrace', { gradH: Series }, { gradC: Series, stateNorm: Series, gates: t.readonly(t.record(t.string, Series)) })
/** A 2-D recurrent layer's trace over its grid (#13). @category codecs @since 0.4.0 */
export const GridTraceCodec = struct('GridTrace', { rows: t.number, cols: t.number, directions: Names, gradH: Maps }, { gradC: Maps, gates: Gates })

/** @category codecs @since 0.1.0 */
export const HistogramCodec = t.readonly(t.type({ lo: JsonNumber, hi: JsonNumber, counts: t.readonlyArray(Count) }), 'Histogram')

/** @category codecs @since 0.1.0 */
export const LayerTraceCodec = struct(
  'LayerTrace',
  {
    path: t.string,
    kind: t.string,
    gradOut: TensorStatsCodec,
    gradPre: TensorStatsCodec,
    gradIn: nullable(TensorStatsCodec),
    act: nullable(ActStatsCodec),
    params: t.readonlyArray(ParamTraceCodec),
  },
  { hist: HistogramCodec, time: TimeTraceCodec, grid: GridTraceCodec },
)

/** @category codecs @since 0.1.0 */
export const TraceLevelCodec = t.keyof({ off: null, norms: null, full: null }, 'TraceLevel')

/**
 * One step's trace.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { StepTraceCodec } from './trace'
 * const r = StepTraceCodec.decode({ step: 1, loss: 'NaN', gradNorm: 0, gradNormClipped: 0, nonFinite: 1, level: 'off', layers: [] })
 * assert.ok(E.isRight(r) && Number.isNaN(r.right.loss))
 *
 * @category codecs
 * @since 0.1.0
 */
export const StepTraceCodec = struct(
  'StepTrace',
  {
    step: Count,
    loss: JsonNumber,
    gradNorm: JsonNumber,
    gradNormClipped: JsonNumber,
    nonFinite: Count,
    level: TraceLevelCodec,
    layers: t.readonlyArray(LayerTraceCodec),
  },
  { lr: JsonNumber },
)

// the codecs decode to exactly the types of src/trace/Trace.ts (checked both ways in test/codec/trace.test.ts)
const _mirror: t.Type<Trace.StepTrace, t.OutputOf<typeof StepTraceCodec>, unknown> = StepTraceCodec
void _mirror

/** @category codecs @since 0.1.0 */
export const StepTracesCodec = t.readonlyArray(StepTraceCodec, 'StepTraces')

/** @category model */
export interface TraceRun {
  readonly label: string
  readonly traces: ReadonlyArray<Trace.StepTrace>
}

/** @category model */
export interface TraceFile {
  readonly format: 'gradtrace-traces'
  readonly version: 1
  /** free-form facts about the runs (seed, runtime, data set); numbers must be finite */
  readonly meta?: { readonly [k: string]: string | number }
  readonly runs: ReadonlyArray<TraceRun>
}

/**
 * Saved traces of several runs: `{ format: 'gradtrace-traces', version: 1, meta?, runs: [{ label, traces }] }`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { TraceFile } from './trace'
 * const file = { format: 'gradtrace-traces', version: 1, runs: [{ label: 'relu + He', traces: [] }] }
 * assert.ok(E.isRight(TraceFile.decode(file)))
 * assert.ok(E.isLeft(TraceFile.decode({ ...file, version: 2 })))
 * assert.ok(E.isLeft(TraceFile.decode({ ...file, meta: { seconds: NaN } }))) // it would be written as null
 *
 * @category codecs
 * @since 0.1.0
 */
export const TraceFile = struct(
  'TraceFile',
  {
    format: t.literal('gradtrace-traces'),
    version: t.literal(1),
    runs: t.readonlyArray(t.readonly(t.type({ label: t.string, traces: StepTracesCodec }), 'TraceRun')),
  },
  { meta: t.readonly(t.record(t.string, t.union([t.string, t.refinement(t.number, Number.isFinite, 'a finite number')]))) },
)

const _file: t.Type<TraceFile, t.OutputOf<typeof TraceFile>, unknown> = TraceFile
void _file
// ----------------------------------------------------------------- functions

const decodeJson =
  <A, O>(codec: t.Type<A, O, unknown>) =>
  (json: unknown): E.Either<GradtraceError, A> =>
    E.chain((u: unknown) => E.mapLeft((es: t.Errors) => fromErrors(es))(codec.decode(u)))(parseJson(json))

/**
 * Traces as JSON text: an array of step traces, non-finite numbers as strings.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { encodeTraces } from './trace'
 * const trace = { step: 3, loss: 0.25, gradNorm: 1.5, gradNormClipped: 1, nonFinite: 0, level: 'off', layers: [] } as const
 * assert.strictEqual(encodeTraces([trace]), '[{"step":3,"loss":0.25,"gradNorm":1.5,"gradNormClipped":1,"nonFinite":0,"level":"off","layers":[]}]')
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeTraces = (traces: ReadonlyArray<Trace.StepTrace>, space?: number): string => JSON.stringify(StepTracesCodec.encode(traces), null, space)

/**
 * Step traces from JSON text (or an already parsed value) written by
 * `encodeTraces`; a bad field is a `DecodeError` naming it, e.g.
 * `[3].layers[0].gradOut.l2`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeTraces } from './trace'
 * const text = '[{"step":1,"loss":0.5,"gradNorm":"Inf","gradNormClipped":1,"nonFinite":0,"level":"off","layers":[]}]'
 * const r = decodeTraces(text)
 * assert.ok(E.isLeft(r) && r.left._tag === 'DecodeError' && r.left.path === '[0].gradNorm')
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeTraces: (json: unknown) => E.Either<GradtraceError, ReadonlyArray<Trace.StepTrace>> = decodeJson(StepTracesCodec)

/**
 * A trace file for runs labelled by configuration.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { traceFile } from './trace'
 * const file = traceFile([{ label: 'tanh + Glorot', traces: [] }], { seed: 42 })
 * assert.deepStrictEqual(file, { format: 'gradtrace-traces', version: 1, meta: { seed: 42 }, runs: [{ label: 'tanh + Glorot', traces: [] }] })
 *
 * @category constructors
 * @since 0.1.0
 */
export const traceFile = (runs: ReadonlyArray<TraceRun>, meta?: TraceFile['meta']): TraceFile =>
  meta === undefined ? { format: 'gradtrace-traces', version: 1, runs } : { format: 'gradtrace-traces', version: 1, meta, runs }

/**
 * A trace file as JSON text.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeTraceFile, encodeTraceFile, traceFile } from './trace'
 * const file = traceFile([{ label: 'sigmoid', traces: [] }, { label: 'relu', traces: [] }], { seed: 1 })
 * assert.deepStrictEqual(decodeTraceFile(encodeTraceFile(file)), E.right(file))
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeTraceFile = (file: TraceFile, space?: number): string => JSON.stringify(TraceFile.encode(file), null, space)

/**
 * A trace file from JSON text (or an already parsed value); errors name the
 * field, e.g. `runs[1].traces[40].loss`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeTraceFile } from './trace'
 * const r = decodeTraceFile('{"format":"gradtrace-traces","version":1,"runs":[{"label":"a","traces":[{"step":1}]}]}')
 * assert.ok(E.isLeft(r) && r.left._tag === 'DecodeError' && r.left.path === 'runs[0].traces[0].loss')
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeTraceFile: (json: unknown) => E.Either<GradtraceError, TraceFile> = decodeJson(TraceFile)
