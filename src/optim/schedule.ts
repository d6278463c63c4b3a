/**
 * Learning-rate schedules, as data: a plain number is a constant rate.
 * `at(schedule, step)` gives the rate for a 1-based step.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { at, cosine, stepDecay, warmup } from './schedule'
 * const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} is not ${b}`)
 * near(at(cosine(0.1, 1000), 500), 0.05) // half way down the cosine
 * near(at(warmup(0.1, 100, cosine(0.1, 1000)), 50), 0.05) // half way up the warm-up
 * assert.deepStrictEqual([1, 10, 11, 21].map((s) => at(stepDecay(1, 10, 0.5), s)), [1, 1, 0.5, 0.25])
 * assert.strictEqual(at(0.3, 7), 0.3) // a number is a constant rate
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'

/** @category model */
export type Schedule =
  | number
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'step'; readonly init: number; readonly every: number; readonly factor: number }
  | { readonly kind: 'exponential'; readonly init: number; readonly decay: number; readonly every: number }
  | { readonly kind: 'cosine'; readonly init: number; readonly steps: number; readonly floor?: number }
  | { readonly kind: 'warmup'; readonly peak: number; readonly steps: number; readonly then: Schedule }

/** @category codecs */
export const ScheduleCodec: t.Type<Schedule, unknown> = t.recursion<Schedule, unknown>('Schedule', () =>
  (t.union([
    t.number,
    t.type({ kind: t.literal('constant'), value: t.number }),
    t.type({ kind: t.literal('step'), init: t.number, every: t.number, factor: t.number }),
    t.type({ kind: t.literal('exponential'), init: t.number, decay: t.number, every: t.number }),
    t.intersection([t.type({ kind: t.literal('cosine'), init: t.number, steps: t.number }), t.partial({ floor: t.number })]),
    t.type({ kind: t.literal('warmup'), peak: t.number, steps: t.number, then: ScheduleCodec }),
  ]) as unknown as t.Type<Schedule, unknown>),
)

/** @category constructors */
export const constant = (value: number): Schedule => ({ kind: 'constant', value })
/** Multiplies the rate by `factor` every `every` steps. @category constructors */
export const stepDecay = (init: number, every: number, factor: number): Schedule => ({ kind: 'step', init, every, factor })
/** init * decay^(step / every). @category constructors */
export const exponential = (init: number, decay: number, every = 1): Schedule => ({ kind: 'exponential', init, decay, every })
/** Cosine decay from init to floor over `steps` steps (Loshchilov & Hutter 2017). @category constructors */
export const cosine = (init: number, steps: number, floor = 0): Schedule => ({ kind: 'cosine', init, steps, floor })
/** Linear warm-up from 0 to `peak` over `steps` steps, then `then` (counted from the end of the warm-up). @category constructors */
export const warmup = (peak: number, steps: number, then: Schedule = peak): Schedule => ({ kind: 'warmup', peak, steps, then })

/** The rate at a 1-based step. @category utils */
export const at = (s: Schedule, step: number): number => {
  if (typeof s === 'number') return s
  switch (s.kind) {
    case 'constant':
      return s.value
    case 'step':
      return s.init * Math.pow(s.factor, Math.floor((step - 1) / s.every))
    case 'exponential':
      return s.init * Math.pow(s.decay, (step - 1) / s.every)
    case 'cosine': {
      const p = Math.min(step, s.steps) / s.steps
      const floor = s.floor ?? 0
      return floor + (s.init - floor) * 0.5 * (1 + Math.cos(Math.PI * p))
    }
    case 'warmup':
      return step <= s.steps ? (s.peak * step) / s.steps : at(s.then, step - s.steps)
  }
}

/** Why a schedule is invalid (a rate that is not a positive finite number, a non-positive period), or null. @category utils */
export const invalid = (s: Schedule): string | null => {
  const rate = (x: number, what: string) => (Number.isFinite(x) && x > 0 ? null : `${what} must be a positive finite number, got ${x}`)
  const period = (x: number, what: string) => (Number.isInteger(x) && x > 0 ? null : `${what} must be a positive integer, got ${x}`)
  if (typeof s === 'number') return rate(s, 'learning rate')
  switch (s.kind) {
    case 'constant':
      return rate(s.value, 'learning rate')
    case 'step':
      return rate(s.init, 'init') ?? period(s.every, 'every') ?? rate(s.factor, 'factor')
    case 'exponential':
      return rate(s.init, 'init') ?? rate(s.decay, 'decay') ?? period(s.every, 'every')
    case 'cosine':
      return rate(s.init, 'init') ?? period(s.steps, 'steps')
    case 'warmup':
      return rate(s.peak, 'peak') ?? period(s.steps, 'steps') ?? invalid(s.then)
  }
}
