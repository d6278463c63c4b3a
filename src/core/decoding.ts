/**
 * From io-ts validation errors to one `DecodeError` a person can act on: the
 * path of the field (`params[3].data`, `optimizer.b1`, `serial/2/dense.units`),
 * what was expected and what came. Union and intersection members do not show
 * in paths; a failed discriminated union says which `kind`s it knows.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { decodeWith } from './decoding'
 * const Layer = t.type({ units: t.number })
 * assert.deepStrictEqual(decodeWith(Layer)({ units: 'x' }), E.left({ _tag: 'DecodeError', path: 'units', message: 'expected number, got "x"' }))
 * assert.deepStrictEqual(decodeWith(Layer)({ units: 4 }), E.right({ units: 4 }))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { decodeError, type GradtraceError } from './Error'
import { nestingError } from './strict'

// -------------------------------------------------------------------- model

interface Inspect {
  readonly _tag?: string
  readonly name: string
  readonly type?: unknown
  readonly types?: ReadonlyArray<unknown>
  readonly props?: Record<string, unknown>
  readonly tag?: string
  readonly value?: unknown
}

const WRAPPERS = new Set(['RecursiveType', 'RefinementType', 'ExactType', 'ReadonlyType'])
const MEMBERS = new Set(['UnionType', 'IntersectionType'])
const INDEXED = new Set(['ArrayType', 'ReadonlyArrayType', 'TupleType', 'ReadonlyTupleType'])

/** The codec under recursion, refinement, exact and readonly wrappers (they add no path segment). */
const unwrap = (d: t.Decoder<unknown, unknown>): Inspect => {
  let x = d as unknown as Inspect
  for (let i = 0; i < 32 && x._tag !== undefined && WRAPPERS.has(x._tag) && x.type; i++) x = x.type as Inspect
  return x
}

// --------------------------------------------------------------------- utils

/** A short rendering of a value that came, for messages. @category utils @since 0.1.0 */
export const describe = (u: unknown): string => {
  if (u === undefined) return 'nothing (the field is missing)'
  if (typeof u === 'number') return Object.is(u, -0) ? '-0' : String(u)
  if (typeof u === 'string') return JSON.stringify(u.length > 40 ? `${u.slice(0, 40)}…` : u)
  let s: string
  try {
    s = JSON.stringify(u) ?? String(u)
  } catch {
    s = Object.prototype.toString.call(u)
  }
  return s.length > 80 ? `${s.slice(0, 80)}…` : s
}

/** The literal value of a member's discriminant field, when it has one. */
const literalOf = (d: unknown, tag: string): unknown => {
  const x = unwrap(d as t.Decoder<unknown, unknown>)
  if (x.props && tag in x.props) {
    const p = unwrap(x.props[tag] as t.Decoder<unknown, unknown>)
    return p._tag === 'LiteralType' ? p.value : undefined
  }
  if (x._tag === 'IntersectionType') for (const m of x.types ?? []) {
    const v = literalOf(m, tag)
    if (v !== undefined) return v
  }
  return undefined
}

const tagsOf = (x: Inspect): ReadonlyArray<unknown> => (x.tag ? (x.types ?? []).map((m) => literalOf(m, x.tag!)).filter((v) => v !== undefined) : [])

const NAMES: Record<string, string> = { UnknownRecord: 'an object', UnknownArray: 'an array' }

/** What a codec expects, in words. */
const expected = (d: t.Decoder<unknown, unknown>): string => {
  const x = unwrap(d)
  const tags = tagsOf(x)
  if (tags.length > 0 && x.name.startsWith('(')) return `an object with ${x.tag} one of ${tags.map((v) => JSON.stringify(v)).join(', ')}`
  const name = NAMES[d.name] ?? d.name
  return name.length > 160 ? `${name.slice(0, 160)}…` : name
}

/** The path of a context, with union and intersection member indices left out and array indices in brackets. */
export const pathOf = (c: t.Context, root = ''): string => {
  let p = root
  for (let i = 1; i < c.length; i++) {
    const parent = unwrap(c[i - 1]!.type)._tag ?? ''
    const key = c[i]!.key
    if (MEMBERS.has(parent) || key === '') continue
    if (INDEXED.has(parent)) p += `[${key}]`
    else p += p === '' ? key : `.${key}`
  }
  return p
}

/**
 * The entry whose type to name in a message: unnamed segments (a wrapper's
 * own codec, not a union) and intersection members stand for the value of
 * the entry above them, whose name is the one the user knows (`Checkpoint`).
 */
const reported = (c: t.Context): t.ContextEntry => {
  let i = c.length - 1
  while (i > 0 && ((c[i]!.key === '' && unwrap(c[i]!.type)._tag !== 'UnionType') || unwrap(c[i - 1]!.type)._tag === 'IntersectionType')) i--
  return c[i]!
}

const at = (p: string, field: string): string => (p === '' ? field : `${p}.${field}`)

/** The member path below a union entry, relative to it (members of members left out). */
const relative = (e: t.ValidationError, j: number): ReadonlyArray<string> => {
  const out: string[] = []
  for (let i = j + 2; i < e.context.length; i++)
    if (!MEMBERS.has(unwrap(e.context[i - 1]!.type)._tag ?? '') && e.context[i]!.key !== '') out.push(e.context[i]!.key)
  return out
}

/** Picks the error to report: descends into a union only when exactly one member fits the value's shape and kind. */
const pick = (errors: ReadonlyArray<t.ValidationError>): { readonly context: t.Context; readonly error: t.ValidationError } => {
  let errs = errors
  let from = 0
  for (;;) {
    const first = errs[0]!
    const c = first.context
    const j = c.findIndex((e, i) => i >= from && i < c.length - 1 && unwrap(e.type)._tag === 'UnionType')
    if (j < 0) return { context: c, error: first }
    const under = errs.filter((e) => e.context[j] === c[j])
    // a member whose type or `kind` does not fit the value is not what the value meant to be
    const misfit = new Set(under.filter((e) => {
      const r = relative(e, j)
      return r.length === 0 || (r.length === 1 && r[0] === 'kind')
    }).map((e) => e.context[j + 1]!.key))
    const viable = under.filter((e) => !misfit.has(e.context[j + 1]!.key))
    const members = new Set(viable.map((e) => e.context[j + 1]!.key))
    if (members.size !== 1) return { context: c.slice(0, j + 1), error: first }
    errs = viable
    from = j + 1
  }
}

/**
 * One `DecodeError` for a failed io-ts decode: the first error, its path (after
 * `root`) and a message saying what was expected and what came.
 *
 * @category utils
 * @since 0.1.0
 */
export const fromErrors = (errors: t.Errors, root = ''): GradtraceError => {
  if (errors.length === 0) return decodeError(root || 'value', 'invalid value')
  const { context, error } = pick(errors)
  const last = reported(context)
  const path = pathOf(context, root)
  const value = context === error.context ? error.value : last.actual
  if (context === error.context && error.message !== undefined) return decodeError(path, error.message)
  const x = unwrap(last.type)
  if (x.tag && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const tags = tagsOf(x)
    const got = (value as Record<string, unknown>)[x.tag]
    return decodeError(at(path, x.tag), `${got === undefined ? 'missing' : `unknown ${x.tag} ${describe(got)}`}; expected one of ${tags.map((v) => JSON.stringify(v)).join(', ')}`)
  }
  return decodeError(path || 'value', `expected ${expected(last.type)}, got ${describe(value)}`)
}

/**
 * Decodes with a codec, errors as one `DecodeError` whose path starts at `root`.
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeWith =
  <A>(codec: t.Decoder<unknown, A>, root = '') =>
  (u: unknown): E.Either<GradtraceError, A> =>
    E.mapLeft((es: t.Errors) => fromErrors(es, root))(codec.decode(u))

/**
 * Parses JSON text; any other value is taken as already parsed. Either way a
 * value nested deeper than `MAX_NESTING` levels, or containing itself, is a
 * `DecodeError` naming where.
 *
 * @category utils
 * @since 0.1.0
 */
export const parseJson = (json: unknown): E.Either<GradtraceError, unknown> => {
  let u: unknown = json
  if (typeof json === 'string')
    try {
      u = JSON.parse(json) as unknown
    } catch (e) {
      return E.left(decodeError('json', `not valid JSON: ${e instanceof Error ? e.message : String(e)}`))
    }
  // #9: too deep or circular is an error value here, before a recursive decoder overflows the stack
  const bad = nestingError(u)
  return bad ? E.left(bad) : E.right(u)
}
