/**
 * Optimizers (Optax-style gradient transformations) and learning-rate
 * schedules. A transformation is data; its kind, a record of pure functions
 * that emit ops, is looked up by name: the built-in ones here, yours passed
 * to `compile` in `kinds` (see `TransformKind`).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { adam, chain, clipByGlobalNorm, cosine, slots } from './index'
 * const opt = chain(clipByGlobalNorm(1), adam(cosine(1e-3, 1000)))
 * assert.deepStrictEqual(JSON.parse(JSON.stringify(opt)), opt) // plain data
 * assert.strictEqual(slots(opt), 2) // Adam's m and v per parameter
 *
 * @since 0.1.0
 */
export * from './Transform'
export { at as rateAt, constant, cosine, exponential, type Schedule, ScheduleCodec, stepDecay, warmup } from './schedule'
