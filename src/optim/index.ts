/**
 * Optimizers (Optax-style gradient transformations) and learning-rate schedules.
 *
 * @example
 * import { chain, clipByGlobalNorm, adam, cosine } from './index'
 * chain(clipByGlobalNorm(1), adam(cosine(1e-3, 1000)))
 *
 * @since 0.1.0
 */
export * from './Transform'
export { at as rateAt, constant, cosine, exponential, type Schedule, ScheduleCodec, stepDecay, warmup } from './schedule'
