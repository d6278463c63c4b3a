// norm kernels: layer normalisation forward and backward (see layernorm.ts).
export { layernorm_f32_simd, layernorm_f32_scalar, layernorm_bwd_f32_simd, layernorm_bwd_f32_scalar } from './layernorm';
