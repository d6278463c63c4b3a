/**
 * From a network spec to a graph of symbolic buffers and ops, for one batch
 * size: decodes each spec with its kind's codec (so a bad field is named by
 * path), infers and checks shapes, declares parameters and collects the
 * forward ops, the backward ops (run in reverse order of emission) and the
 * probes the trace reads. A spec nested deeper than `MAX_LAYER_DEPTH` layers,
 * or one that contains itself, is an error value, not a stack overflow (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { buildGraph } from './graph'
 * import { dense, serial } from './layers'
 * const g = buildGraph(serial(dense(3, { activation: 'tanh' }), dense(2)), [4], 5)
 * assert.ok(E.isRight(g))
 * assert.deepStrictEqual(g.right.params.map((p) => p.path), ['serial/0/dense/W', 'serial/0/dense/b', 'serial/1/dense/W', 'serial/1/dense/b'])
 * assert.strictEqual(g.right.input.floats, 20) // 5 examples of 4 features
 * const bad = buildGraph(serial(dense(3), { kind: 'conv' }), [4], 5)
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'DecodeError' && bad.left.path === 'serial/1/conv.kind')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { fromErrors } from '../core/decoding'
import { MAX_LAYER_DEPTH } from '../core/strict'
import { decodeError, type GradtraceError, invalidArgument } from '../core/Error'
import { type Shape, size } from '../core/Tensor'
import type { InitSpec } from '../layer/init'
import type { BuildCtx, Kind, LayerSpec, ParamDecl, Value } from '../layer/Layer'
import type { Graph, Owner, ParamBuf, Port, Probe, StateBuf } from '../plan/Graph'
import { type Alloc, allocator, type Buf, type Op } from '../plan/Program'
import { builtins, lookupIn } from './registry'

/** A parameter with its place and its initialiser. @category model */
export interface ParamSlot extends ParamBuf {
  readonly init: InitSpec
  readonly fans: readonly [number, number]
}

/** A graph as the model builds it: its parameters carry their initialisers. @category model */
export type ModelGraph = Graph<ParamSlot>

const decode = (kind: Kind, spec: LayerSpec, path: string): E.Either<GradtraceError, LayerSpec> =>
  E.mapLeft((es: t.Errors) => fromErrors(es, path))(kind.codec.decode(spec) as t.Validation<LayerSpec>)

const fansOf = (d: ParamDecl): readonly [number, number] => {
  if (d.fans) return d.fans
  const [a = 1, b = a] = d.shape
  return d.shape.length >= 2 ? [a, b] : [a, a]
}

interface Builder {
  readonly lookup: (kind: string) => Kind | undefined
  readonly isUser: (kind: Kind) => boolean
  readonly alloc: Alloc & { readonly buffers: ReadonlyArray<Buf> }
  readonly batch: number
  readonly forward: Op[]
  readonly forwardBy: Owner[]
  readonly backward: Op[][]
  readonly backwardBy: Owner[]
  readonly probes: Array<Probe<ParamSlot>>
  readonly params: ParamSlot[]
  readonly state: StateBuf[]
  /** the specs enclosing the one being built (a spec inside itself is circular) */
  readonly above: Set<object>
  salt: number
}

const ownerOf = (b: Builder, kind: Kind, path: string): Owner => ({ path, kind: kind.kind, user: b.isUser(kind) })

const addOps = (b: Builder, owner: Owner, forward: ReadonlyArray<Op>, backward: ReadonlyArray<Op>): void => {
  b.forward.push(...forward)
  b.forwardBy.push(...forward.map(() => owner))
  b.backward.push([...backward])
  b.backwardBy.push(owner)
}

/** A leaf's state buffers: beside the parameters in memory, never seen by the optimizer (#12). */
const stateAlloc = (b: Builder, path: string) => (name: string, floats: number, init: number): Buf => {
  const buf = b.alloc.buf(`${path}/${name}`, 'param', floats)
  b.state.push({ path: `${path}/${name}`, buf, init })
  return buf
}

const buildLeaf = (b: Builder, kind: Extract<Kind, { _tag: 'leaf' }>, spec: LayerSpec, path: string, input: Value): E.Either<GradtraceError, Value> => {
  if (input._tag !== 'port') return E.left(invalidArgument(path, 'expects a single tensor, got a tuple (add fanInSum or fanInConcat before it)'))
  const out = kind.outShape(spec, input.shape, path) as E.Either<GradtraceError, Shape>
  if (E.isLeft(out)) return out
  const decls = kind.params(spec, input.shape) as ReadonlyArray<ParamDecl>
  const slots: ParamSlot[] = decls.map((d) => {
    const n = size(d.shape)
    return {
      path: `${path}/${d.name}`,
      layer: path,
      name: d.name,
      shape: d.shape,
      init: d.init,
      fans: fansOf(d),
      value: b.alloc.buf(`${path}/${d.name}`, 'param', n),
      grad: b.alloc.buf(`${path}/${d.name}.grad`, 'pgrad', n),
    }
  })
  b.params.push(...slots)
  const emitted = kind.emit(spec, {
    path,
    batch: b.batch,
    inShape: input.shape,
    outShape: out.right,
    inSize: size(input.shape),
    outSize: size(out.right),
    x: input.y,
    dx: input.dy,
    params: slots.map((s) => ({ value: s.value, grad: s.grad })),
    buf: (name, floats) => b.alloc.buf(`${path}/${name}`, 'act', floats),
    grad: (name, floats) => b.alloc.buf(`${path}/${name}`, 'grad', floats),
    salt: b.salt++,
    state: stateAlloc(b, path),
  })
  addOps(b, ownerOf(b, kind, path), emitted.forward, emitted.backward)
  const port: Port = { _tag: 'port', shape: out.right, y: emitted.y, dy: emitted.dy }
  if (emitted.traced !== false) b.probes.push({ path, kind: kind.kind, out: port, input: input.dy ? input : null, params: slots, ...(emitted.probes ?? {}) })
  return E.right(port)
}

const buildNode = (b: Builder, spec: LayerSpec, path: string, input: Value): E.Either<GradtraceError, Value> => {
  if (typeof spec !== 'object' || spec === null || typeof spec.kind !== 'string') return E.left(decodeError(`${path}.kind`, 'a layer needs a string "kind"'))
  if (b.above.has(spec)) return E.left(decodeError(path, 'circular spec: this layer contains itself'))
  if (b.above.size >= MAX_LAYER_DEPTH) return E.left(decodeError(shortPath(path), `layers nested deeper than ${MAX_LAYER_DEPTH} levels`))
  const kind = b.lookup(spec.kind)
  if (!kind) return E.left(decodeError(`${path}.kind`, `unknown layer kind "${spec.kind}"`))
  const decoded = decode(kind, spec, path)
  if (E.isLeft(decoded)) return decoded
  if (kind._tag === 'leaf') return buildLeaf(b, kind, decoded.right, path, input)
  const ctx: BuildCtx = {
    ...b.alloc,
    path,
    batch: b.batch,
    child: (s, p, v) => buildNode(b, s, p, v),
    emit: (fwd, bwd) => addOps(b, ownerOf(b, kind, path), fwd, bwd),
    probe: (k, out, inp) => b.probes.push({ path, kind: k, out, input: inp.dy ? inp : null, params: [] }),
  }
  b.above.add(spec)
  try {
    return kind.build(decoded.right, input, ctx)
  } finally {
    b.above.delete(spec)
  }
}

/** A path of a deeply nested layer, its first and last few levels kept. */
const shortPath = (path: string): string => {
  const segs = path.split('/')
  return segs.length <= 24 ? path : `${segs.slice(0, 6).join('/')}/.../${segs.slice(-12).join('/')}`
}

/** Builds the graph of `spec` on inputs of feature shape `inShape`, for `batch` examples. @category constructors */
export const buildGraph = (spec: LayerSpec, inShape: Shape, batch: number, kinds: ReadonlyArray<Kind> = []): E.Either<GradtraceError, ModelGraph> => {
  const alloc = allocator()
  const user = new Set<Kind>(kinds)
  const b: Builder = {
    lookup: lookupIn([...builtins, ...kinds]),
    isUser: (k) => user.has(k),
    alloc,
    batch,
    forward: [],
    forwardBy: [],
    backward: [],
    backwardBy: [],
    probes: [],
    params: [],
    state: [],
    above: new Set(),
    salt: 1,
  }
  const input = alloc.buf('input', 'input', batch * size(inShape))
  const top = typeof spec === 'object' && spec !== null ? String(spec.kind) : 'spec'
  const out = guardStack(top, () => buildNode(b, spec, top, { _tag: 'port', shape: inShape, y: input, dy: null }))
  if (E.isLeft(out)) return out
  if (out.right._tag !== 'port') return E.left(invalidArgument(String(spec.kind), 'the network ends in a tuple; end it with fanInSum or fanInConcat'))
  return E.right({
    batch,
    buffers: alloc.buffers,
    input,
    output: out.right,
    params: b.params,
    forward: b.forward,
    backward: [...b.backward].reverse().flat(),
    owners: { forward: b.forwardBy, backward: b.backward.flatMap((ops, i) => ops.map(() => b.backwardBy[i]!)).reverse() },
    probes: b.probes,
    ...(b.state.length > 0 ? { state: b.state } : {}),
  })
}

/**
 * Runs a build, turning a stack overflow into an error value: the depth limit
 * keeps built-in combinators far from it, but a user's combinator kind may
 * recurse further on its own.
 */
const guardStack = <A>(path: string, f: () => E.Either<GradtraceError, A>): E.Either<GradtraceError, A> => {
  try {
    return f()
  } catch (e) {
    if (e instanceof RangeError) return E.left(invalidArgument(path, `building the network overflowed the stack (${e.message}): nest fewer layers`))
    throw e
  }
}
