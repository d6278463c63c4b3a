// batchnorm family: batch statistics, normalisation and the training-mode backward (see batchnorm.ts).
export { batchnorm_stats_f32_simd, batchnorm_stats_f32_scalar, batchnorm_f32_simd, batchnorm_f32_scalar, batchnorm_bwd_f32_simd, batchnorm_bwd_f32_scalar } from './batchnorm';
