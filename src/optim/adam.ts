/**
 * Adam and AdamW (Kingma & Ba 2015; Loshchilov & Hutter 2019), PyTorch's form,
 * in one fused pass per parameter; and `scaleByAdam`, Adam's direction
 * without the learning rate, for chains (Optax's `scale_by_adam`).
 * `adam(lr)` computes what `chain(scaleByAdam(), sgd(lr))` computes, in one
 * pass instead of two, with the learning rate folded into the kernel's step
 * (which keeps it bit-identical to PyTorch's update, #9); the two agree to
 * f32 rounding (test/optim/compose.test.ts).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { adam, adamKind, adamScalars } from './adam'
 * assert.deepStrictEqual(adamKind.init(adam(1e-3)), ['m', 'v'])
 * const s = adamScalars({ b1: 0.9, b2: 0.999, wd: 0 }, 1e-3, 1)
 * assert.strictEqual(s.step, Math.fround(-1e-3 / (1 - (1 - Math.fround(0.1))))) // -lr / bc1 at step 1
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as Ops from '../plan/ops'
import type { TransformKind, UpdateCtx } from './kind'
import { at, invalid, type Schedule, ScheduleCodec } from './schedule'

/** The scalars of `adam_f32_*` at a step: each formed in f64, then rounded to f32 once. @category utils */
export interface AdamScalars {
  readonly omb1: number
  readonly omb2: number
  /** -lr / bc1 */
  readonly step: number
  /** sqrt(bc2) */
  readonly sbc2: number
  /** -lr wd (0: Adam) */
  readonly decay: number
}

/**
 * The kernel's scalars for Adam at 1-based step `step` with rate lr. The moments decay
 * by 1 - omb1 and 1 - omb2 with omb = f32(1 - b), and the bias corrections use
 * those same rates (bc = 1 - (1 - omb)^t in f64), so the bias-corrected moments
 * are exact averages: rounding 1 - b2 in f32 while correcting with the exact b2
 * made every update 6.4e-6 (relative) larger than PyTorch's (#9).
 * @category utils
 */
export const adamScalars = (x: { readonly b1: number; readonly b2: number; readonly wd: number }, lr: number, step: number): AdamScalars => {
  const omb1 = Math.fround(1 - x.b1), omb2 = Math.fround(1 - x.b2)
  const bc1 = 1 - Math.pow(1 - omb1, step), bc2 = 1 - Math.pow(1 - omb2, step)
  return { omb1, omb2, step: Math.fround(-lr / bc1), sbc2: Math.fround(Math.sqrt(bc2)), decay: Math.fround(-lr * x.wd) }
}

/** The settings of the kernel, in the order `adamOps` reads them. */
interface Betas {
  readonly b1: number
  readonly b2: number
  readonly eps: number
}

const adamSettings = (x: Betas & { readonly wd: number }, lr: number, step: number): ReadonlyArray<number> => {
  const s = adamScalars(x, lr, step)
  return [s.omb1, s.omb2, s.step, s.sbc2, x.eps, s.decay]
}

/** One fused Adam pass per parameter over its two state slots, in place on u. */
const adamOps = ({ params, setting }: UpdateCtx) => {
  const args = { omb1: setting(0), omb2: setting(1), step: setting(2), sbc2: setting(3), eps: setting(4), decay: setting(5) }
  return params.map(({ u, p, n, state: [m = u, v = u] }) => Ops.adam(u, m, v, u, p, n, args))
}

const betas = (s: Betas): string | null =>
  s.b1 >= 0 && s.b1 < 1 && s.b2 >= 0 && s.b2 < 1 && s.eps > 0 ? null : 'b1, b2 must be in [0, 1), eps > 0'

// adam -----------------------------------------------------------------------

/** @category codecs */
export const AdamSpec = t.type({ kind: t.literal('adam'), lr: ScheduleCodec, b1: t.number, b2: t.number, eps: t.number, wd: t.number })
/** @category model */
export type Adam = Readonly<t.TypeOf<typeof AdamSpec>>
/** Adam (Kingma & Ba 2015). @category optimizers */
export const adam = (lr: Schedule, b1 = 0.9, b2 = 0.999, eps = 1e-8): Adam => ({ kind: 'adam', lr, b1, b2, eps, wd: 0 })
/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay. @category optimizers */
export const adamw = (lr: Schedule, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8): Adam => ({ kind: 'adam', lr, b1, b2, eps, wd })
/** @category kinds */
export const adamKind: TransformKind<Adam> = {
  _tag: 'transform',
  kind: 'adam',
  codec: AdamSpec,
  defaults: Object.freeze({ b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 }),
  init: () => ['m', 'v'],
  check: (s) => invalid(s.lr) ?? (betas(s) === null && s.wd >= 0 ? null : 'b1, b2 must be in [0, 1), eps > 0, wd >= 0'),
  settings: (s, step) => adamSettings(s, at(s.lr, step), step),
  update: adamOps,
  rate: (s, step) => at(s.lr, step),
}

// scaleByAdam ----------------------------------------------------------------

/** @category codecs */
export const ScaleByAdamSpec = t.type({ kind: t.literal('scaleByAdam'), b1: t.number, b2: t.number, eps: t.number })
/** @category model */
export type ScaleByAdam = Readonly<t.TypeOf<typeof ScaleByAdamSpec>>
/** Adam's direction, m-hat / (sqrt(v-hat) + eps), without a learning rate: chain it with one (`sgd(lr)`). @category optimizers */
export const scaleByAdam = (b1 = 0.9, b2 = 0.999, eps = 1e-8): ScaleByAdam => ({ kind: 'scaleByAdam', b1, b2, eps })
/** @category kinds */
export const scaleByAdamKind: TransformKind<ScaleByAdam> = {
  _tag: 'transform',
  kind: 'scaleByAdam',
  codec: ScaleByAdamSpec,
  defaults: Object.freeze({ b1: 0.9, b2: 0.999, eps: 1e-8 }),
  init: () => ['m', 'v'],
  check: betas,
  settings: (s, step) => adamSettings({ ...s, wd: 0 }, -1, step), // lr -1: the kernel's step is +1 / bc1
  update: adamOps,
}
