// eltwise family: activations (forward and backward), bias add and its
// gradient (column sums), row sums, and BLAS-1 style ops. Each file holds an
// op's forward and backward, SIMD kernel beside its scalar twin.
export { act_f32_simd, act_f32_scalar, act_bwd_f32_simd, act_bwd_f32_scalar } from './act';
export { bias_add_f32_simd, bias_add_f32_scalar, col_sum_f32_simd, col_sum_f32_scalar, row_sum_f32_simd, row_sum_f32_scalar } from './bias';
export { add_f32_simd, add_f32_scalar, mul_f32_simd, mul_f32_scalar, axpy_f32_simd, axpy_f32_scalar, scale_f32_simd, scale_f32_scalar, fill_f32_simd, fill_f32_scalar, copy_f32_simd, copy_f32_scalar } from './arith';
// test-only probe of assembly/math/ (not in the ABI)
export { math_probe_f32 } from './probe';
