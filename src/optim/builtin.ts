/**
 * The built-in transformations besides Adam (./adam.ts): SGD, momentum and
 * Nesterov, RMSProp, clipping by global norm and by value, and the building
 * blocks `scale` and `addDecayedWeights`. Each is a spec constructor and a
 * kind record of the interface a user's transformation implements
 * (./kind.ts); their learning rates may be schedules.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { momentum, momentumKind, sgd } from './builtin'
 * assert.deepStrictEqual(sgd(0.1), { kind: 'sgd', lr: 0.1 })
 * assert.deepStrictEqual(momentumKind.init(momentum(0.1)), ['v']) // one state slot per parameter
 * assert.deepStrictEqual(momentumKind.settings(momentum(0.1, 0.5), 1), [0.1, 0.5, 0]) // lr, mu, nesterov
 * assert.match(momentumKind.check(momentum(0.1, 1)) ?? '', /mu must be in \[0, 1\)/)
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as Ops from '../plan/ops'
import type { TransformKind } from './kind'
import { at, invalid, type Schedule, ScheduleCodec } from './schedule'

const positiveFinite = (what: string, x: number): string | null => (Number.isFinite(x) && x > 0 ? null : `${what} must be a positive finite number, got ${x}`)
const unit = (what: string, x: number): string | null => (x >= 0 && x < 1 ? null : `${what} must be in [0, 1), got ${x}`)

// sgd ------------------------------------------------------------------------

/** @category codecs */
export const SgdSpec = t.type({ kind: t.literal('sgd'), lr: ScheduleCodec })
/** @category model */
export type Sgd = Readonly<t.TypeOf<typeof SgdSpec>>
/** Plain SGD: u = -lr g (Optax's `scale_by_learning_rate`). @category optimizers */
export const sgd = (lr: Schedule): Sgd => ({ kind: 'sgd', lr })
/** @category kinds */
export const sgdKind: TransformKind<Sgd> = {
  _tag: 'transform',
  kind: 'sgd',
  codec: SgdSpec,
  init: () => [],
  check: (s) => invalid(s.lr),
  settings: (s, step) => [-at(s.lr, step)],
  update: ({ params, setting }) => params.map((g) => Ops.scale(g.u, g.u, g.n, setting(0))),
  rate: (s, step) => at(s.lr, step),
}

// momentum -------------------------------------------------------------------

/** @category codecs */
export const MomentumSpec = t.type({ kind: t.literal('momentum'), lr: ScheduleCodec, mu: t.number, nesterov: t.boolean })
/** @category model */
export type Momentum = Readonly<t.TypeOf<typeof MomentumSpec>>
/** Heavy-ball momentum (PyTorch's form: v = mu v + g, u = -lr v). @category optimizers */
export const momentum = (lr: Schedule, mu = 0.9): Momentum => ({ kind: 'momentum', lr, mu, nesterov: false })
/** Nesterov momentum (PyTorch's form: u = -lr (g + mu v)). @category optimizers */
export const nesterov = (lr: Schedule, mu = 0.9): Momentum => ({ kind: 'momentum', lr, mu, nesterov: true })
/** @category kinds */
export const momentumKind: TransformKind<Momentum> = {
  _tag: 'transform',
  kind: 'momentum',
  codec: MomentumSpec,
  defaults: Object.freeze({ mu: 0.9, nesterov: false }),
  init: () => ['v'],
  check: (s) => invalid(s.lr) ?? unit('mu', s.mu),
  settings: (s, step) => [at(s.lr, step), s.mu, s.nesterov ? 1 : 0],
  update: ({ params, setting }) => params.map((g) => Ops.momentum(g.u, g.state[0] ?? g.u, g.u, g.n, setting(0), setting(1), setting(2))),
  rate: (s, step) => at(s.lr, step),
}

// rmsprop --------------------------------------------------------------------

/** @category codecs */
export const RmspropSpec = t.type({ kind: t.literal('rmsprop'), lr: ScheduleCodec, rho: t.number, eps: t.number })
/** @category model */
export type Rmsprop = Readonly<t.TypeOf<typeof RmspropSpec>>
/** RMSProp (Tieleman & Hinton 2012): s = rho s + (1-rho) g^2, u = -lr g / (sqrt(s) + eps). @category optimizers */
export const rmsprop = (lr: Schedule, rho = 0.9, eps = 1e-8): Rmsprop => ({ kind: 'rmsprop', lr, rho, eps })
/** @category kinds */
export const rmspropKind: TransformKind<Rmsprop> = {
  _tag: 'transform',
  kind: 'rmsprop',
  codec: RmspropSpec,
  defaults: Object.freeze({ rho: 0.9, eps: 1e-8 }),
  init: () => ['s'],
  check: (s) => invalid(s.lr) ?? (s.rho >= 0 && s.rho < 1 && s.eps > 0 ? null : 'rho must be in [0, 1) and eps > 0'),
  settings: (s, step) => [at(s.lr, step), s.rho, s.eps],
  update: ({ params, setting }) => params.map((g) => Ops.rmsprop(g.u, g.state[0] ?? g.u, g.u, g.n, setting(0), setting(1), setting(2))),
  rate: (s, step) => at(s.lr, step),
}

// clipping -------------------------------------------------------------------

/** @category codecs */
export const ClipByGlobalNormSpec = t.type({ kind: t.literal('clipByGlobalNorm'), max: t.number })
/** @category model */
export type ClipByGlobalNorm = Readonly<t.TypeOf<typeof ClipByGlobalNormSpec>>
/** Scales all updates so their global L2 norm is at most `max` (Pascanu et al. 2013); the trace records the norm before and after. @category optimizers */
export const clipByGlobalNorm = (max: number): ClipByGlobalNorm => ({ kind: 'clipByGlobalNorm', max })
/** @category kinds */
export const clipByGlobalNormKind: TransformKind<ClipByGlobalNorm> = {
  _tag: 'transform',
  kind: 'clipByGlobalNorm',
  codec: ClipByGlobalNormSpec,
  init: () => [],
  check: (s) => positiveFinite('max', s.max),
  settings: (s) => [s.max],
  update: ({ params, setting }) => [Ops.clipByGlobalNorm(params.map((g) => [g.u, g.n] as const), setting(0))],
}

/** @category codecs */
export const ClipByValueSpec = t.type({ kind: t.literal('clipByValue'), max: t.number })
/** @category model */
export type ClipByValue = Readonly<t.TypeOf<typeof ClipByValueSpec>>
/** Clips every update to [-max, max]. @category optimizers */
export const clipByValue = (max: number): ClipByValue => ({ kind: 'clipByValue', max })
/** @category kinds */
export const clipByValueKind: TransformKind<ClipByValue> = {
  _tag: 'transform',
  kind: 'clipByValue',
  codec: ClipByValueSpec,
  init: () => [],
  check: (s) => positiveFinite('max', s.max),
  settings: (s) => [-s.max, s.max],
  update: ({ params, setting }) => params.map((g) => Ops.clip(g.u, g.u, g.n, setting(0), setting(1))),
}

// building blocks ------------------------------------------------------------

/** @category codecs */
export const ScaleSpec = t.type({ kind: t.literal('scale'), factor: t.number })
/** @category model */
export type Scale = Readonly<t.TypeOf<typeof ScaleSpec>>
/** u = factor u (Optax's `scale`). @category optimizers */
export const scale = (factor: number): Scale => ({ kind: 'scale', factor })
/** @category kinds */
export const scaleKind: TransformKind<Scale> = {
  _tag: 'transform',
  kind: 'scale',
  codec: ScaleSpec,
  init: () => [],
  check: (s) => (Number.isFinite(s.factor) ? null : `factor must be a finite number, got ${s.factor}`),
  settings: (s) => [s.factor],
  update: ({ params, setting }) => params.map((g) => Ops.scale(g.u, g.u, g.n, setting(0))),
}

/** @category codecs */
export const AddDecayedWeightsSpec = t.type({ kind: t.literal('addDecayedWeights'), wd: t.number })
/** @category model */
export type AddDecayedWeights = Readonly<t.TypeOf<typeof AddDecayedWeightsSpec>>
/** u = u + wd p: decoupled weight decay, before a learning rate scales it (Optax's `add_decayed_weights`). @category optimizers */
export const addDecayedWeights = (wd: number): AddDecayedWeights => ({ kind: 'addDecayedWeights', wd })
/** @category kinds */
export const addDecayedWeightsKind: TransformKind<AddDecayedWeights> = {
  _tag: 'transform',
  kind: 'addDecayedWeights',
  codec: AddDecayedWeightsSpec,
  init: () => [],
  check: (s) => (Number.isFinite(s.wd) && s.wd >= 0 ? null : `wd must be a finite number >= 0, got ${s.wd}`),
  settings: (s) => [s.wd],
  update: ({ params, setting }) => params.map((g) => Ops.axpy(g.u, g.p, g.n, setting(0))),
}
