// pool family: max and average pooling over NHWC windows, forward and backward (see pool.ts).
export { maxpool_f32_simd, maxpool_f32_scalar, maxpool_bwd_f32_simd, maxpool_bwd_f32_scalar, avgpool_f32_simd, avgpool_f32_scalar, avgpool_bwd_f32_simd, avgpool_bwd_f32_scalar } from './pool';
