/**
 * The interface every optimizer transformation implements, built-in or a
 * user's (Optax's `GradientTransformation`, expressed as ops). A
 * transformation is plain data, `{ kind, ...settings }`, as a layer spec is;
 * its *kind* is a record of pure functions, looked up by name, as a layer
 * kind is:
 *
 * - `init(spec)`: the state it keeps per parameter, as slot names (each slot
 *   an array of the parameter's size, zero at the start);
 * - `update(ctx)`: the ops that turn the updates into new updates in place
 *   (the first transformation sees the gradients; the last one's output is
 *   added to the parameters);
 * - `settings(spec, step)`: the numbers its ops read at a call (a learning
 *   rate at the step, bias corrections). `update` sees no spec: it reads
 *   settings through `ctx.setting(i)`, so one plan serves every value of
 *   them and a hand-written schedule compiles nothing new (#9, #10);
 * - `check(spec)`: what is wrong with the settings, or null; `codec`: the
 *   spec's JSON form (`defaults` fill what a file may leave out).
 *
 * A user's kind goes to `compile` in `kinds`, beside user layer kinds, and to
 * the codecs that decode optimizers (`decodeOptimizer(json, kinds)`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as t from 'io-ts'
 * import * as Ops from '../plan/ops'
 * import type { TransformKind } from './kind'
 * // u = -lr sign(g): signSGD (Bernstein et al. 2018), no state
 * const Spec = t.type({ kind: t.literal('signSgd'), lr: t.number })
 * const signSgd: TransformKind<t.TypeOf<typeof Spec>> = {
 *   _tag: 'transform', kind: 'signSgd', codec: Spec,
 *   init: () => [],
 *   check: (s) => (s.lr > 0 ? null : 'lr must be positive'),
 *   settings: (s) => [-s.lr],
 *   update: ({ params, setting }) => params.flatMap(({ u, n }) => [Ops.sign(u, u, n), Ops.scale(u, u, n, setting(0))]),
 * }
 * assert.strictEqual(signSgd.check({ kind: 'signSgd', lr: 0 }), 'lr must be positive')
 * // compile(net, { input, loss, kinds: [signSgd] }), then Train.step(model, { kind: 'signSgd', lr: 1e-3 })
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import type { ParamGroup } from '../plan/assemble'
import type { Buf, Op, Setting } from '../plan/Program'

/** A gradient transformation as data: its kind and its settings. @category model */
export interface GradientTransformation {
  readonly kind: string
}

/** Transformations run in order (chains inside chains are flattened). @category model */
export interface Chain extends GradientTransformation {
  readonly kind: 'chain'
  readonly items: ReadonlyArray<GradientTransformation>
}

/** What a transformation's `update` is given. @category model */
export interface UpdateCtx {
  /** per parameter: its value `p`, its update `u` (transform it in place), its size `n` and this transformation's state slots, in `init`'s order */
  readonly params: ReadonlyArray<ParamGroup>
  /** the `i`-th number of `settings(spec, step)` at each call */
  readonly setting: (i: number) => Setting
  /** a work buffer of this transformation (not kept between calls) */
  readonly scratch: (name: string, floats: number) => Buf
}

/** A transformation kind: how a spec of its kind keeps state, checks its settings and emits its ops. @category model */
export interface TransformKind<S extends GradientTransformation> {
  readonly _tag: 'transform'
  readonly kind: string
  /** the spec with every field; a file may leave out the `defaults` */
  readonly codec: t.Type<S, unknown, unknown>
  /** settings a file may leave out, and their values */
  readonly defaults?: { readonly [field: string]: unknown }
  /** the names of the state slots it keeps per parameter */
  readonly init: (spec: S) => ReadonlyArray<string>
  /** the first thing wrong with the settings, or null */
  readonly check: (spec: S) => string | null
  /** the numbers its ops read at a call of 1-based step `step` */
  readonly settings: (spec: S, step: number) => ReadonlyArray<number>
  /** the ops transforming the updates in place */
  readonly update: (ctx: UpdateCtx) => ReadonlyArray<Op>
  /** its learning rate at a step, for the trace (kinds that have one; the last such transformation's is reported) */
  readonly rate?: (spec: S, step: number) => number
}

/** A transformation kind of any spec (a list of kinds holds several). @category model */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTransformKind = TransformKind<any>
