// stats kernels: one-pass trace statistics (see moments.ts for the StatSlot record)
// and the log10|x| histogram of the "full" trace level.
export { stats_f32_simd, stats_f32_scalar } from './moments';
export { log_hist_f32_scalar } from './hist';
export { sums_f32_simd, sums_f32_scalar } from './sums';
