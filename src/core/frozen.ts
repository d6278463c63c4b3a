/**
 * Immutable values for real, not only in the types: `deepFreeze` for the
 * values a module exports (so `Layer.tanh.fn = 'relu'` cannot change every
 * later model, #9), and `frozenCopy` for data a function keeps (so a value
 * changed after it was handed in changes nothing: `compile` owns its spec).
 * Typed arrays cannot be frozen (`Object.freeze` throws on them): a copy
 * holds its own copy of each, which nothing outside can reach.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { deepFreeze, frozenCopy } from './frozen'
 * const tanh = deepFreeze({ kind: 'activation', fn: 'tanh' })
 * assert.throws(() => Object.assign(tanh, { fn: 'relu' }), TypeError)
 * const spec = { kind: 'serial', layers: [{ kind: 'dense', units: 4 }] }
 * const owned = frozenCopy(spec, 2048)
 * spec.layers[0]!.units = 8 // the caller changes its spec later; the copy keeps 4
 * assert.ok(E.isRight(owned) && owned.right.layers[0]!.units === 4)
 * const loop: { kind: string; layers: Array<unknown> } = { kind: 'serial', layers: [] }
 * loop.layers.push(loop)
 * const bad = frozenCopy(loop, 2048, 'spec')
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'DecodeError' && bad.left.path === 'spec.layers[0]')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { decodeError, type GradtraceError } from './Error'

const isTyped = (u: object): boolean => ArrayBuffer.isView(u)

/** Freezes a value and everything it holds (typed arrays excepted: they cannot be frozen); returns it. @category utils */
export const deepFreeze = <A>(a: A): A => {
  const stack: unknown[] = [a]
  while (stack.length > 0) {
    const u = stack.pop()
    if ((typeof u !== 'object' && typeof u !== 'function') || u === null || isTyped(u) || Object.isFrozen(u)) continue
    Object.freeze(u)
    for (const k of Reflect.ownKeys(u)) stack.push((u as Record<PropertyKey, unknown>)[k])
  }
  return a
}

/** A field path from segments; a long one keeps its first and last few segments. */
const render = (root: string, segs: ReadonlyArray<string | number>): string => {
  const seg = (p: string, k: string | number): string => (typeof k === 'number' ? `${p}[${k}]` : p === '' ? k : `${p}.${k}`)
  const part = (xs: ReadonlyArray<string | number>, from: string) => xs.reduce<string>(seg, from)
  return segs.length <= 12 ? part(segs, root) : `${part(segs.slice(0, 4), root)}...${part(segs.slice(-6), '')} (${segs.length} levels)`
}

/**
 * A deep copy of plain data (objects, arrays, typed arrays, primitives; functions
 * are kept as they are), frozen; or an error value naming the path where the
 * value contains itself or nests deeper than `limit` levels. Recursive, but only
 * after an iterative scan bounded the depth, so it cannot overflow the stack.
 * @category utils
 */
export const frozenCopy = <A>(a: A, limit: number, root = ''): E.Either<GradtraceError, A> => {
  const bad = scan(a, limit, root)
  return bad ? E.left(bad) : E.right(copy(a) as A)
}

const copy = (u: unknown): unknown => {
  if (typeof u !== 'object' || u === null) return u
  if (isTyped(u)) return (u as unknown as { slice: () => unknown }).slice()
  if (Array.isArray(u)) return Object.freeze(u.map(copy))
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(u)) out[k] = copy((u as Record<string, unknown>)[k])
  return Object.freeze(out)
}

interface Frame {
  readonly v: object
  readonly keys: ReadonlyArray<string | number>
  readonly seg: string | number
  i: number
}

const frame = (v: object, seg: string | number): Frame => ({ v, seg, i: 0, keys: Array.isArray(v) ? v.map((_, i) => i) : isTyped(v) ? [] : Object.keys(v) })

/** Where `u` contains itself or nests deeper than `limit`, as an error value, or null. Iterative. */
const scan = (u: unknown, limit: number, root: string): GradtraceError | null => {
  if (typeof u !== 'object' || u === null) return null
  const frames: Frame[] = [frame(u, '')]
  const onPath = new Set<object>([u])
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!
    if (top.i >= top.keys.length) {
      frames.pop()
      onPath.delete(top.v)
      continue
    }
    const k = top.keys[top.i++]!
    const child = (top.v as Record<string | number, unknown>)[k]
    if (typeof child !== 'object' || child === null) continue
    const segs = () => [...frames.slice(1).map((f) => f.seg), k]
    if (onPath.has(child)) {
      const at = frames.findIndex((f) => f.v === child)
      const where = at === 0 ? root || 'the top' : render(root, segs().slice(0, at))
      return decodeError(render(root, segs()), `circular: this value contains itself (it is the value at ${where})`)
    }
    if (frames.length >= limit) return decodeError(render(root, segs()), `nested deeper than ${limit} levels`)
    frames.push(frame(child, k))
    onPath.add(child)
  }
  return null
}
