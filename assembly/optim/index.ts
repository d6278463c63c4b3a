// optim kernels: optimizer updates (Optax form, u = -lr * direction), clip by
// value, and the f64 sum of squares for global norms. See each file's header.
export { momentum_f32_simd, momentum_f32_scalar, rmsprop_f32_simd, rmsprop_f32_scalar } from './update';
export { adam_f32_simd, adam_f32_scalar } from './adam';
export { clip_f32_simd, clip_f32_scalar, sumsq_f32_simd, sumsq_f32_scalar } from './reduce';
export { apply_update_f32_simd, apply_update_f32_scalar } from './apply';
