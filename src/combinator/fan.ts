/**
 * Branching, as in stax: `fanOut(n)` copies its input into an n-tuple (the
 * gradients of the copies add up, because backward kernels accumulate),
 * `parallel(a, b)` applies one layer to each element of a tuple, `fanInSum`
 * adds a tuple's elements and `fanInConcat` joins them along the last axis.
 * `identity` passes its input through.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { fanInConcat, fanInSum, fanOut, parallel } from './fan'
 * const branches = (join: typeof fanInSum | typeof fanInConcat) =>
 *   Model.compile(Layer.serial(fanOut(2), parallel(Layer.dense(3), Layer.dense(5)), join), { input: [4], loss: 'mse' })
 * const side = branches(fanInConcat) // two branches joined along the features: 3 + 5
 * assert.ok(E.isRight(side) && side.right.output.join() === '8')
 * const summed = branches(fanInSum) // a sum needs equal shapes: the error says where
 * assert.ok(E.isLeft(summed) && summed.left._tag === 'ShapeMismatch' && summed.left.path === 'serial/2/fanInSum')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../core/Error'
import { deepFreeze } from '../core/frozen'
import { size } from '../core/Tensor'
import { childPath, type Port } from '../layer/Layer'
import type { CombinatorKind, LayerSpec, Value } from '../layer/Layer'
import * as Ops from '../plan/ops'
import type { Op } from '../plan/Program'

const ports = (v: Value, path: string): E.Either<GradtraceError, ReadonlyArray<Port>> =>
  v._tag === 'tuple' && v.items.every((p) => p._tag === 'port')
    ? E.right(v.items as ReadonlyArray<Port>)
    : E.left(invalidArgument(path, 'expects a tuple of tensors (put fanOut or parallel before it)'))

/** @category codecs */
export const FanOutSpec = t.type({ kind: t.literal('fanOut'), n: t.number })
/** @category model */
export type FanOutSpec = Readonly<t.TypeOf<typeof FanOutSpec>>
/** n copies of the input. @category combinators */
export const fanOut = (n: number): FanOutSpec => ({ kind: 'fanOut', n })

/** @category kinds */
export const fanOutKind: CombinatorKind<FanOutSpec> = {
  _tag: 'combinator',
  kind: 'fanOut',
  codec: FanOutSpec,
  children: () => [],
  build: (spec, input, ctx) =>
    Number.isInteger(spec.n) && spec.n >= 1
      ? E.right({ _tag: 'tuple', items: Array.from({ length: spec.n }, () => input) })
      : E.left(invalidArgument(`${ctx.path}.n`, `must be a positive integer, got ${spec.n}`)),
}

/** @category codecs */
export const IdentitySpec = t.type({ kind: t.literal('identity') })
/** The identity layer. @category combinators */
export const identityLayer: Readonly<t.TypeOf<typeof IdentitySpec>> = deepFreeze({ kind: 'identity' })

/** @category kinds */
export const identityKind: CombinatorKind<t.TypeOf<typeof IdentitySpec>> = {
  _tag: 'combinator',
  kind: 'identity',
  codec: IdentitySpec,
  children: () => [],
  build: (_, input) => E.right(input),
}

/** @category model */
export interface ParallelSpec {
  readonly kind: 'parallel'
  readonly layers: ReadonlyArray<LayerSpec>
}
/** One layer per element of a tuple. @category combinators */
export const parallel = (...layers: ReadonlyArray<LayerSpec>): ParallelSpec => ({ kind: 'parallel', layers })

/** @category kinds */
export const parallelKind: CombinatorKind<ParallelSpec> = {
  _tag: 'combinator',
  kind: 'parallel',
  codec: t.type({ kind: t.literal('parallel'), layers: t.array(t.UnknownRecord) }) as unknown as t.Type<ParallelSpec, unknown, unknown>,
  children: (s) => s.layers,
  build: (spec, input, ctx) => {
    if (input._tag !== 'tuple' || input.items.length !== spec.layers.length)
      return E.left(invalidArgument(ctx.path, `expects a tuple of ${spec.layers.length} values, got ${input._tag === 'tuple' ? input.items.length : 'a single tensor'}`))
    const out: Value[] = []
    for (let i = 0; i < spec.layers.length; i++) {
      const layer = spec.layers[i]!
      const r = ctx.child(layer, childPath(ctx.path, i, layer), input.items[i]!)
      if (E.isLeft(r)) return r
      out.push(r.right)
    }
    return E.right({ _tag: 'tuple', items: out })
  },
}

/** @category codecs */
export const FanInSumSpec = t.type({ kind: t.literal('fanInSum') })
/** Adds the elements of a tuple (shapes must agree). @category combinators */
export const fanInSum: Readonly<t.TypeOf<typeof FanInSumSpec>> = deepFreeze({ kind: 'fanInSum' })

/** @category kinds */
export const fanInSumKind: CombinatorKind<t.TypeOf<typeof FanInSumSpec>> = {
  _tag: 'combinator',
  kind: 'fanInSum',
  codec: FanInSumSpec,
  children: () => [],
  build: (_, input, ctx) => {
    const ps = ports(input, ctx.path)
    if (E.isLeft(ps)) return ps
    const [first, ...rest] = ps.right
    if (!first) return E.left(invalidArgument(ctx.path, 'needs at least one input'))
    const bad = rest.find((p) => p.shape.join() !== first.shape.join())
    if (bad) return E.left(shapeMismatch(ctx.path, first.shape, bad.shape, 'summed shapes'))
    const n = ctx.batch * size(first.shape)
    const y = ctx.buf(`${ctx.path}/y`, 'act', n)
    const dy = ctx.buf(`${ctx.path}/dy`, 'grad', n)
    const fwd: Op[] = [Ops.copy(y, first.y, n), ...rest.map((p) => Ops.add(y, y, p.y, n))]
    const bwd: Op[] = ps.right.flatMap((p) => (p.dy ? [Ops.axpy(p.dy, dy, n, 1)] : []))
    ctx.emit(fwd, bwd)
    return E.right({ _tag: 'port', shape: first.shape, y, dy })
  },
}

/** @category codecs */
export const FanInConcatSpec = t.type({ kind: t.literal('fanInConcat') })
/** Joins the elements of a tuple along the last axis. @category combinators */
export const fanInConcat: Readonly<t.TypeOf<typeof FanInConcatSpec>> = deepFreeze({ kind: 'fanInConcat' })

/** @category kinds */
export const fanInConcatKind: CombinatorKind<t.TypeOf<typeof FanInConcatSpec>> = {
  _tag: 'combinator',
  kind: 'fanInConcat',
  codec: FanInConcatSpec,
  children: () => [],
  build: (_, input, ctx) => {
    const ps = ports(input, ctx.path)
    if (E.isLeft(ps)) return ps
    const widths = ps.right.map((p) => p.shape[p.shape.length - 1] ?? 1)
    const lead = ps.right.map((p) => p.shape.slice(0, -1).join())
    if (new Set(lead).size > 1) return E.left(invalidArgument(ctx.path, `leading dimensions differ: ${lead.map((l) => `[${l}]`).join(' vs ')}`))
    const W = widths.reduce((a, b) => a + b, 0)
    const rows = ctx.batch * (size(ps.right[0]!.shape) / widths[0]!)
    const y = ctx.buf(`${ctx.path}/y`, 'act', rows * W)
    const dy = ctx.buf(`${ctx.path}/dy`, 'grad', rows * W)
    const fwd: Op[] = []
    const bwd: Op[] = []
    // Row-wise block copies: one kernel call per row and input (rows = batch),
    // each moving a whole row slice; concatenation is not on the hot paths.
    let off = 0
    ps.right.forEach((p, i) => {
      const w = widths[i]!
      for (let r = 0; r < rows; r++) {
        fwd.push(Ops.copy(y, p.y, w, r * W + off, r * w))
        if (p.dy) bwd.push(Ops.axpyAt(p.dy, dy, w, r * w, r * W + off))
      }
      off += w
    })
    ctx.emit(fwd, bwd)
    return E.right({ _tag: 'port', shape: [...ps.right[0]!.shape.slice(0, -1), W], y, dy })
  },
}
