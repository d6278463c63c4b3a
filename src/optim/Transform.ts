/**
 * Optimizers as Optax-style gradient transformations: plain data
 * (`{ kind, ...settings }`, so checkpoints can hold them) interpreted by kinds,
 * records of pure functions that keep state slots per parameter and emit ops
 * (./kind.ts). `chain` runs several in order; the last one's output is added
 * to the parameters. The built-in kinds are values of the same interface a
 * user's kind implements; a user's kind travels with the call (`compile`'s
 * `kinds`), as a user's layer kind does.
 *
 * What a plan needs of an optimizer is its *structure* — the kinds in order
 * and their state slots (`structure`) — and, at each call, its settings
 * (`settingsAt`): plans are keyed by the first, and the second are inputs of
 * the call (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { adam, chain, clipByGlobalNorm, resolve, slotNames, structure } from './Transform'
 * import { cosine } from './schedule'
 * const opt = chain(clipByGlobalNorm(1), adam(cosine(1e-3, 10_000)))
 * assert.deepStrictEqual(slotNames(opt), ['adam m', 'adam v'])
 * const r = resolve(opt)
 * assert.ok(E.isRight(r))
 * assert.strictEqual(structure(r.right), 'clipByGlobalNorm:0,adam:2') // what a plan is keyed by: no learning rate in it
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import type { ParamGroup, UpdateProgram } from '../plan/assemble'
import { type Alloc, setting } from '../plan/Program'
import { type Adam, adamKind, type ScaleByAdam, scaleByAdamKind } from './adam'
import {
  type AddDecayedWeights,
  addDecayedWeightsKind,
  type ClipByGlobalNorm,
  clipByGlobalNormKind,
  type ClipByValue,
  clipByValueKind,
  type Momentum,
  momentumKind,
  type Rmsprop,
  rmspropKind,
  type Scale,
  scaleKind,
  type Sgd,
  sgdKind,
} from './builtin'
import type { AnyTransformKind, Chain, GradientTransformation } from './kind'

export * from './adam'
export * from './builtin'
export type { AnyTransformKind, Chain, GradientTransformation, TransformKind, UpdateCtx } from './kind'

/** A transformation of a built-in kind: a union to switch on, for code that interprets the built-ins (a float64 reference, say). @category model */
export type Builtin = Sgd | Momentum | Rmsprop | Adam | ClipByGlobalNorm | ClipByValue | Scale | ScaleByAdam | AddDecayedWeights

// constructors ---------------------------------------------------------------

const isChain = (g: GradientTransformation): g is Chain => g.kind === 'chain' && Array.isArray((g as { readonly items?: unknown }).items)

/** Runs transformations in order. `chain()` is the identity. @category optimizers */
export const chain = (...items: ReadonlyArray<GradientTransformation>): Chain => ({ kind: 'chain', items: items.flatMap((i) => (isChain(i) ? i.items : [i])) })

/** The transformations in order, chains flattened. @category utils */
export const flatten = (g: GradientTransformation): ReadonlyArray<GradientTransformation> => (isChain(g) ? g.items.flatMap(flatten) : [g])

/** Every built-in kind (the list and each record frozen). @category kinds */
export const builtins: ReadonlyArray<AnyTransformKind> = Object.freeze(
  [sgdKind, momentumKind, rmspropKind, adamKind, clipByGlobalNormKind, clipByValueKind, scaleKind, scaleByAdamKind, addDecayedWeightsKind].map(
    (k: AnyTransformKind) => Object.freeze(k),
  ),
)

/** The names of the built-in kinds and `chain`, in order (for messages and codecs). @category utils */
export const builtinNames: ReadonlyArray<string> = Object.freeze([...builtins.map((k) => k.kind), 'chain'])

const BUILTIN = new Map(builtins.map((k) => [k.kind, k] as const))

/** Whether a user kind (of a list that may hold layer kinds too) is a transformation kind. @category utils */
export const isTransformKind = (k: { readonly _tag: string }): k is AnyTransformKind => k._tag === 'transform'

/** The kind of a name among `kinds` (later ones win) and the built-ins. @category utils */
export const lookup = (kinds: Kinds, name: string): AnyTransformKind | undefined => {
  for (let i = kinds.length - 1; i >= 0; i--) {
    const k = kinds[i]
    if (k && isTransformKind(k) && k.kind === name) return k
  }
  return BUILTIN.get(name)
}

// interpretation ---------------------------------------------------------------

/** One transformation of a chain with its kind and its state slots. @category model */
export interface Step {
  readonly kind: AnyTransformKind
  readonly spec: GradientTransformation
  readonly slots: ReadonlyArray<string>
}

/** A transformation resolved against its kinds: what a plan runs. @category model */
export interface Resolved {
  readonly steps: ReadonlyArray<Step>
}

/** The first thing wrong with one transformation of a chain, as a message, or null. */
const problem = (kind: AnyTransformKind, spec: GradientTransformation): string | null =>
  kind.codec.is(spec) ? kind.check(spec) : `the settings do not fit ${kind.codec.name}`

/**
 * Looks every transformation up among `kinds` (user kinds; a list of layer and
 * transformation kinds is fine) and the built-ins, and checks its settings;
 * the first problem is an error value naming it (`optimizer[1].adam`).
 * @category utils
 */
/** A list of user kinds, of layers and transformations: the transformation kinds are read from it. @category model */
export type Kinds = ReadonlyArray<{ readonly _tag: string }>

const unknownKind = (kind: string): string =>
  `unknown transformation kind "${kind}"${kind === 'chain' ? ' (a chain needs items)' : ''}: a user's kind goes in compile's kinds`

export const resolve = (g: GradientTransformation, kinds: Kinds = [], path = 'optimizer'): E.Either<GradtraceError, Resolved> => {
  if (typeof g !== 'object' || g === null || typeof g.kind !== 'string') return E.left(invalidArgument(path, 'must be a transformation { kind, ...settings }'))
  const items = flatten(g)
  const steps: Step[] = []
  for (let i = 0; i < items.length; i++) {
    const spec = items[i] as GradientTransformation
    const kind = lookup(kinds, spec.kind)
    if (!kind) return E.left(invalidArgument(`${path}[${i}].kind`, unknownKind(spec.kind)))
    const bad = problem(kind, spec)
    if (bad) return E.left(invalidArgument(`${path}[${i}].${spec.kind}`, bad))
    steps.push({ kind, spec, slots: kind.init(spec) })
  }
  return E.right({ steps })
}

/** The first thing wrong with a transformation, as an error value, or null. @category utils */
export const validate = (g: GradientTransformation, kinds: Kinds = [], path = 'optimizer'): GradtraceError | null =>
  E.getOrElseW((e: GradtraceError) => e)(E.map(() => null)(resolve(g, kinds, path)))

/** The state slots of each transformation, named `<kind> <slot>` ('adam m'), in order; a kind not found keeps none. @category utils */
export const slotNames = (g: GradientTransformation, kinds: Kinds = []): ReadonlyArray<string> =>
  flatten(g).flatMap((x) => (lookup(kinds, x.kind)?.init(x) ?? []).map((s) => `${x.kind} ${s}`))

/** State buffers per parameter. @category utils */
export const slots = (g: GradientTransformation, kinds: Kinds = []): number => slotNames(g, kinds).length

/** State buffers per parameter of a resolved transformation. @category utils */
export const slotsOf = (r: Resolved): number => r.steps.reduce((n, s) => n + s.slots.length, 0)

/** What a plan depends on: the kinds in order with their slot counts (never a setting). @category utils */
export const structure = (r: Resolved): string => r.steps.map((s) => `${s.kind.kind}:${s.slots.length}`).join(',')

/** The settings of every transformation at a 1-based step: the inputs of one call. @category utils */
export const settingsAt = (r: Resolved, step: number): ReadonlyArray<ReadonlyArray<number>> => r.steps.map((s) => s.kind.settings(s.spec, step))

/** The learning rate of the last transformation with one, at a step (for the trace). @category utils */
export const learningRate = (r: Resolved, step: number): number | undefined => {
  for (let i = r.steps.length - 1; i >= 0; i--) {
    const s = r.steps[i]
    if (s?.kind.rate) return s.kind.rate(s.spec, step)
  }
  return undefined
}

/** The optimizer as the plan takes it: its state slots per parameter, and its ops, each transformation's reading its own settings. @category utils */
export const program = (r: Resolved): UpdateProgram => ({
  slots: slotsOf(r),
  emit: (params: ReadonlyArray<ParamGroup>, alloc: Alloc) => {
    let first = 0
    return r.steps.flatMap((s, j) => {
      const own = params.map((q) => ({ ...q, state: q.state.slice(first, first + s.slots.length) }))
      first += s.slots.length
      const scratch = (name: string, floats: number) => alloc.buf(`opt${j}.${s.kind.kind}/${name}`, 'scratch', floats)
      return s.kind.update({ params: own, setting: (i) => setting(j, i), scratch })
    })
  },
})
