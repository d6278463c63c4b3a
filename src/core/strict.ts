/**
 * Strict decoding (#9): a field a codec does not know is an error naming it,
 * not silently dropped (`activatoin` left a layer linear), and a value nested
 * too deep or containing itself is an error value, not a `RangeError` from a
 * recursive decoder. io-ts object codecs ignore extra keys, so `unknownField`
 * walks a decoded value beside its codec; `nestingError` scans a value
 * iteratively, before any recursive code sees it.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { strict, unknownField } from './strict'
 * const Dense = t.intersection([t.type({ kind: t.literal('dense'), units: t.number }), t.partial({ activation: t.string })])
 * const typo = { kind: 'dense', units: 4, activatoin: 'tanh' }
 * assert.ok(E.isRight(Dense.decode(typo))) // io-ts alone lets the typo through, and tanh is silently lost
 * assert.ok(E.isLeft(strict(Dense).decode(typo)))
 * assert.deepStrictEqual(unknownField(Dense, typo), {
 *   path: 'activatoin',
 *   message: 'unknown field (did you mean "activation"?); known fields: kind, units, activation',
 * })
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeError, type GradtraceError } from './Error'

// -------------------------------------------------------------------- model

/** A problem found beside decoding: the path below the value decoded, and what is wrong. @category model */
export interface FieldProblem {
  readonly path: string
  readonly message: string
}

interface Node {
  readonly _tag?: string
  readonly type?: Node
  readonly types?: ReadonlyArray<Node>
  readonly props?: Readonly<Record<string, Node>>
  readonly codomain?: Node
  readonly decode: (u: unknown) => E.Either<unknown, unknown>
}

// -------------------------------------------------------------------- limits

/**
 * The deepest nesting a decoded JSON value may have. A spec of 1,000 nested
 * combinators is about 2,000 levels (each adds an object and an array); the
 * recursive io-ts decoders overflow the stack near 4,000.
 *
 * @category utils
 * @since 0.1.0
 */
export const MAX_NESTING = 2048

/**
 * The deepest nesting of layers a spec may have (combinators inside
 * combinators); the spec walker and the nesting scan agree on it.
 *
 * @category utils
 * @since 0.1.0
 */
export const MAX_LAYER_DEPTH = 1000

// --------------------------------------------------------------- unknown fields

const WRAPPERS = new Set(['RecursiveType', 'RefinementType', 'ReadonlyType', 'ExactType'])

const inner = (d: Node): Node => {
  let x = d
  for (let i = 0; i < 64 && x._tag !== undefined && WRAPPERS.has(x._tag) && x.type; i++) x = x.type
  return x
}

/** The union member io-ts would pick for `u` (the first that decodes it). */
const member = (x: Node, u: unknown): Node | undefined => (x.types ?? []).find((m) => E.isRight(m.decode(u)))

/** The field codecs of the object codec `u` matched, or null when the codec is not a plain object codec (then its keys are not checked). */
const propsOf = (d: Node, u: unknown): Readonly<Record<string, Node>> | null => {
  const x = inner(d)
  switch (x._tag) {
    case 'InterfaceType':
    case 'PartialType':
    case 'StrictType':
      return x.props ?? null
    case 'IntersectionType': {
      const all: Record<string, Node> = {}
      for (const m of x.types ?? []) {
        const p = propsOf(m, u)
        if (!p) return null
        Object.assign(all, p)
      }
      return all
    }
    case 'UnionType': {
      const m = member(x, u)
      return m ? propsOf(m, u) : null
    }
    default:
      return null
  }
}

/** Edit distance with transpositions (optimal string alignment), for "did you mean". */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  return d[a.length]![b.length]!
}

/** The message for an unknown field: the nearest known name (when close) and every known name. */
export const unknownFieldMessage = (field: string, known: ReadonlyArray<string>): string => {
  const near = known
    .map((k) => [k, distance(field.toLowerCase(), k.toLowerCase())] as const)
    .filter(([, d]) => d <= Math.max(1, Math.floor(field.length / 3)))
    .sort((a, b) => a[1] - b[1])[0]
  return `unknown field${near ? ` (did you mean "${near[0]}"?)` : ''}; known fields: ${known.join(', ')}`
}

const field = (path: string, k: string): string => (path === '' ? k : `${path}.${k}`)

const check = (d: Node, u: unknown, path: string): FieldProblem | null => {
  const x = inner(d)
  if (typeof u !== 'object' || u === null) return null
  if ((x._tag === 'ArrayType' || x._tag === 'ReadonlyArrayType') && Array.isArray(u) && x.type) {
    for (let i = 0; i < u.length; i++) {
      const p = check(x.type, u[i], `${path}[${i}]`)
      if (p) return p
    }
    return null
  }
  if ((x._tag === 'TupleType' || x._tag === 'ReadonlyTupleType') && Array.isArray(u)) {
    const types = x.types ?? []
    for (let i = 0; i < types.length; i++) {
      const p = check(types[i]!, u[i], `${path}[${i}]`)
      if (p) return p
    }
    return null
  }
  if (x._tag === 'UnionType') {
    const m = member(x, u)
    return m ? check(m, u, path) : null
  }
  if (x._tag === 'DictionaryType' && x.codomain) {
    for (const [k, v] of Object.entries(u)) {
      const p = check(x.codomain, v, field(path, k))
      if (p) return p
    }
    return null
  }
  const props = Array.isArray(u) ? null : propsOf(x, u)
  if (!props) return null
  for (const [k, v] of Object.entries(u)) {
    if (v === undefined) continue // JSON has no undefined: an absent field
    const c = props[k]
    if (!c) return { path: field(path, k), message: unknownFieldMessage(k, Object.keys(props)) }
    const p = check(c, v, field(path, k))
    if (p) return p
  }
  return null
}

/**
 * The first field in `u` (a value `codec` decodes) that the codec does not
 * know, with its path, or null. Object codecs (`t.type`, `t.partial`,
 * `t.strict`, their intersections and unions) are checked all the way down;
 * other codecs (custom types, `t.UnknownRecord`) are trusted with their keys.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as t from 'io-ts'
 * import { unknownField } from './strict'
 * const Layer = t.type({ kind: t.string, init: t.type({ scale: t.number }) })
 * const seed = unknownField(Layer, { kind: 'dense', init: { scale: 1, seed: 2 } })
 * assert.deepStrictEqual(seed, { path: 'init.seed', message: 'unknown field; known fields: scale' })
 * assert.strictEqual(unknownField(Layer, { kind: 'dense', init: { scale: 1 } }), null)
 *
 * @category utils
 * @since 0.1.0
 */
export const unknownField = (codec: t.Decoder<unknown, unknown>, u: unknown, path = ''): FieldProblem | null => check(codec as unknown as Node, u, path)

/**
 * A codec that decodes with `codec` and then fails on any field the codec
 * does not know; the failure's context ends in the field's path, so
 * `fromErrors` names it (`training.optimizer.lrr`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { fromErrors } from './decoding'
 * import { strict } from './strict'
 * const Settings = strict(t.type({ lr: t.number }))
 * assert.deepStrictEqual(
 *   E.mapLeft(fromErrors)(Settings.decode({ lr: 1, lrr: 2 })),
 *   E.left({ _tag: 'DecodeError', path: 'lrr', message: 'unknown field (did you mean "lr"?); known fields: lr' }),
 * )
 *
 * @category codecs
 * @since 0.1.0
 */
export const strict = <A, O>(codec: t.Type<A, O, unknown>, name = codec.name): t.Type<A, O, unknown> => {
  const self: t.Type<A, O, unknown> = new t.Type<A, O, unknown>(
    name,
    (u): u is A => codec.is(u) && unknownField(codec, u) === null,
    (u, c) =>
      E.chain((a: A) => {
        const p = unknownField(codec, u)
        return p ? t.failure<A>(u, t.appendContext(c, p.path, self, u), p.message) : t.success(a)
      })(codec.validate(u, t.appendContext(c, '', codec, u))), // an unnamed segment: the codec's own members (union, intersection) stay out of paths
    (a) => codec.encode(a),
  )
  return self
}

// ------------------------------------------------------------------- nesting

const isObject = (u: unknown): u is object => typeof u === 'object' && u !== null && !ArrayBuffer.isView(u)

const render = (segs: ReadonlyArray<string | number>, max: number): string => {
  const shown = segs.slice(0, max).reduce<string>((p, s) => (typeof s === 'number' ? `${p}[${s}]` : field(p, s)), '')
  return segs.length > max ? `${shown}…` : shown
}

interface Frame {
  readonly v: object
  readonly keys: ReadonlyArray<string>
  i: number
  readonly seg: string | number
}

const frameOf = (v: object, seg: string | number): Frame => ({ v, keys: Array.isArray(v) ? [] : Object.keys(v), i: 0, seg })

/**
 * An error value when `u` nests deeper than `limit` levels or contains itself
 * (only values built in code can: parsed JSON text never does), else null.
 * Iterative, so it cannot overflow the stack itself. A value shared by two
 * parents (the same `tanh` twice) is fine; only a value inside itself is
 * circular.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { nestingError } from './strict'
 * const net: { kind: string; layers: unknown[] } = { kind: 'serial', layers: [] }
 * net.layers.push(net) // a spec built in code can contain itself; JSON.stringify would throw on it
 * assert.deepStrictEqual(nestingError(net), {
 *   _tag: 'DecodeError',
 *   path: 'layers[0]',
 *   message: 'circular: this value contains itself (it is the value at the top)',
 * })
 * const tanh = { kind: 'activation', fn: 'tanh' }
 * assert.strictEqual(nestingError({ kind: 'serial', layers: [tanh, tanh] }), null) // shared, not circular
 *
 * @category utils
 * @since 0.1.0
 */
export const nestingError = (u: unknown, limit = MAX_NESTING): GradtraceError | null => {
  if (!isObject(u)) return null
  const frames: Frame[] = [frameOf(u, '')]
  const onPath = new Set<object>([u])
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!
    const n = Array.isArray(top.v) ? top.v.length : top.keys.length
    if (top.i >= n) {
      frames.pop()
      onPath.delete(top.v)
      continue
    }
    const seg = Array.isArray(top.v) ? top.i : top.keys[top.i]!
    const child = (top.v as Record<string | number, unknown>)[seg]
    top.i++
    if (!isObject(child)) continue
    const segs = () => [...frames.slice(1).map((f) => f.seg), seg]
    if (onPath.has(child)) {
      const at = frames.findIndex((f) => f.v === child)
      const where = at === 0 ? 'the top' : render(segs().slice(0, at), 24)
      return decodeError(render(segs(), 24), `circular: this value contains itself (it is the value at ${where})`)
    }
    if (frames.length >= limit) return decodeError(render(segs(), 4), `nested deeper than ${limit} levels (a spec may nest at most ${MAX_LAYER_DEPTH} layers)`)
    frames.push(frameOf(child, seg))
    onPath.add(child)
  }
  return null
}
