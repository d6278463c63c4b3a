/**
 * Layers are values. A network is plain, serialisable data (`LayerSpec`), and
 * a layer *kind* is a record of pure functions plus a codec for its spec,
 * looked up by name so a JSON spec decodes back into layers. Built-in kinds
 * use exactly this interface; so can yours (pass it to `compile` in `kinds`):
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { Key, Layer, Model, Ops } from 'gradtrace/core'
 * // y = 2x, a layer with no parameters
 * const Double = t.type({ kind: t.literal('double') })
 * const double: Layer.LeafKind<t.TypeOf<typeof Double>> = {
 *   _tag: 'leaf', kind: 'double', codec: Double,
 *   outShape: (_, s) => E.right(s),
 *   params: () => [],
 *   emit: (_, ctx) => {
 *     const n = ctx.batch * ctx.inSize
 *     const y = ctx.buf('y', n), dy = ctx.grad('dy', n)
 *     return {
 *       y, dy,
 *       forward: [Ops.fill(y, n, 0), Ops.axpy(y, ctx.x, n, 2)],
 *       backward: ctx.dx ? [Ops.axpy(ctx.dx, dy, n, 2)] : [],
 *     }
 *   },
 * }
 * const compile = (last: Layer.LayerSpec) => Model.compile(Layer.serial(Layer.dense(3), last), { input: [4], loss: 'mse', kinds: [double] })
 * const [doubled, plain] = [compile({ kind: 'double' }), compile(Layer.identity)]
 * assert.ok(E.isRight(doubled) && E.isRight(plain))
 * const params = plain.right.init(Key.key(0)) // the same paths in both: serial/0/dense/W and /b
 * const x = { shape: [1, 4], data: new Float32Array([1, 2, 3, 4]) }
 * const [y2, y1] = [doubled.right.apply(params, x), plain.right.apply(params, x)]
 * assert.ok(E.isRight(y2) && E.isRight(y1))
 * assert.deepStrictEqual(y2.right.data, y1.right.data.map((v) => 2 * v))
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import type { GradtraceError } from '../core/Error'
import type { Shape } from '../core/Tensor'
import type { Port, Probes } from '../plan/Graph'
import type { Alloc, Buf, Op } from '../plan/Program'
import type { InitSpec } from './init'

export type { Port, Probes, StepSlice, TimeProbes } from '../plan/Graph'

/** A layer as data: a kind and its settings. @category model */
export interface LayerSpec {
  readonly kind: string
}

/** A parameter a layer declares. @category model */
export interface ParamDecl {
  readonly name: string
  readonly shape: Shape
  readonly init: InitSpec
  /** fan-in and fan-out for initialisers (default: from a 2-D shape (in, out)) */
  readonly fans?: readonly [number, number]
}

/** What a leaf layer's `emit` is given. @category model */
export interface EmitCtx {
  readonly path: string
  readonly batch: number
  readonly inShape: Shape
  readonly outShape: Shape
  /** elements per example in and out */
  readonly inSize: number
  readonly outSize: number
  /** the input activations (batch, ...inShape) */
  readonly x: Buf
  /** where to ACCUMULATE dL/dx, or null when no gradient is needed below */
  readonly dx: Buf | null
  /** the declared parameters, in order, with their gradient buffers (accumulate into them) */
  readonly params: ReadonlyArray<{ readonly value: Buf; readonly grad: Buf }>
  /** a buffer this layer owns (activations kept for the backward pass) */
  readonly buf: (name: string, floats: number) => Buf
  /** a gradient buffer this layer owns: zero-filled before every backward pass */
  readonly grad: (name: string, floats: number) => Buf
  /** a number unique to this layer within the network (salts dropout keys) */
  readonly salt: number
  /**
   * a buffer of the model's state, carried from call to call (batch norm's running statistics):
   * `init` fills it in a fresh state; training calls hand back what the ops left in it
   */
  readonly state: (name: string, floats: number, init: number) => Buf
}

/** What a leaf layer's `emit` returns. @category model */
export interface Emitted {
  readonly y: Buf
  /** dL/dy: consumers accumulate into it; the layer's backward reads it */
  readonly dy: Buf
  readonly forward: ReadonlyArray<Op>
  readonly backward: ReadonlyArray<Op>
  readonly probes?: Probes
  /** false for layers that are only plumbing (no trace entry); default true */
  readonly traced?: boolean
}

/** A layer kind with no sub-layers. @category model */
export interface LeafKind<C extends LayerSpec> {
  readonly _tag: 'leaf'
  readonly kind: string
  readonly codec: t.Type<C, unknown, unknown>
  readonly outShape: (spec: C, inShape: Shape, path: string) => E.Either<GradtraceError, Shape>
  readonly params: (spec: C, inShape: Shape) => ReadonlyArray<ParamDecl>
  readonly emit: (spec: C, ctx: EmitCtx) => Emitted
}

/** A value flowing through a network while a plan is built: one tensor or a tuple (after fanOut). @category model */
export type Value = Port | { readonly _tag: 'tuple'; readonly items: ReadonlyArray<Value> }

/** The path of the i-th child of a combinator: `<parent>/<i>/<kind>` (without the kind when it has none). @category utils */
export const childPath = (parent: string, i: number, child: LayerSpec): string =>
  typeof child?.kind === 'string' ? `${parent}/${i}/${child.kind}` : `${parent}/${i}`

/** What combinators are given to build their children. @category model */
export interface BuildCtx extends Alloc {
  readonly path: string
  readonly batch: number
  /** builds a child spec on an input value, under `path` */
  readonly child: (spec: LayerSpec, path: string, input: Value) => E.Either<GradtraceError, Value>
  /** adds ops: forward in order, backward as one group run in reverse order of emission */
  readonly emit: (forward: ReadonlyArray<Op>, backward: ReadonlyArray<Op>) => void
  /** records a trace entry for this combinator (e.g. a residual block): its output and input ports */
  readonly probe: (kind: string, out: Port, input: Port) => void
}

/** A layer kind made of sub-layers (serial, parallel, residual, ...). @category model */
export interface CombinatorKind<C extends LayerSpec> {
  readonly _tag: 'combinator'
  readonly kind: string
  readonly codec: t.Type<C, unknown, unknown>
  /** the child specs, for validation and display */
  readonly children: (spec: C) => ReadonlyArray<LayerSpec>
  readonly build: (spec: C, input: Value, ctx: BuildCtx) => E.Either<GradtraceError, Value>
}

/** @category model */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Kind = LeafKind<any> | CombinatorKind<any>
