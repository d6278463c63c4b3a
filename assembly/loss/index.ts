// loss family: softmax (forward), softmax cross-entropy with integer labels or
// soft targets, MSE and BCE-with-logits (value and gradient in one pass),
// argmax. Losses return the f64 sum and write the gradient of scale * sum.
export { softmax_f32_simd, softmax_f32_scalar, softmax_xent_f32_simd, softmax_xent_f32_scalar } from './softmax';
export { softmax_xent_soft_f32_simd, softmax_xent_soft_f32_scalar } from './xent_soft';
export { mse_f32_simd, mse_f32_scalar, bce_logits_f32_simd, bce_logits_f32_scalar, argmax_f32_scalar } from './pointwise';
