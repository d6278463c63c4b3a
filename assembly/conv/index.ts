// conv family: patch gather (im2col) and scatter-add (col2im) for NHWC
// convolutions; the convolution proper is gemm_nn (forward), gemm_tn (filter
// gradient) and gemm_nt + col2im (data gradient). See im2col.ts.
export { im2col_f32_simd, im2col_f32_scalar, col2im_f32_simd, col2im_f32_scalar } from './im2col';
