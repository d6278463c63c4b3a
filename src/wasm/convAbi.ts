/**
 * The kernel ABI of convolutions, pooling and batch normalisation (#12), part
 * of `Kernels` in `abi.ts`: the patch gather/scatter around the GEMMs and the
 * pooling kernels over NHWC tensors, and batch norm's column statistics.
 * Only `src/wasm/` and `src/plan/` may use it.
 *
 * @since 0.2.0
 */

type Ptr = number

/**
 * Convolution patches and pooling over NHWC tensors (assembly/conv, assembly/pool). Geometry
 * after the pointers: x (b, h, w, c), window (kh, kw), strides (sh, sw), leading padding
 * (ph, pw), output (oh, ow); taps outside the image are padding. Backward kernels accumulate.
 */
export interface ConvKernels {
  /** col (b*oh*ow, kh*kw*c) = patches of x, padding as 0 */
  im2col_f32_simd(col: Ptr, x: Ptr, ...g: Geometry): void
  im2col_f32_scalar(col: Ptr, x: Ptr, ...g: Geometry): void
  /** dx (b, h, w, c) += col scattered back */
  col2im_f32_simd(dx: Ptr, col: Ptr, ...g: Geometry): void
  col2im_f32_scalar(dx: Ptr, col: Ptr, ...g: Geometry): void
  /** y, idx (b, oh, ow, c) = window max of x and its window position ky*kw + kx (i32, first maximum) */
  maxpool_f32_simd(y: Ptr, idx: Ptr, x: Ptr, ...g: Geometry): void
  maxpool_f32_scalar(y: Ptr, idx: Ptr, x: Ptr, ...g: Geometry): void
  /** dx += dy at each window's recorded maximum */
  maxpool_bwd_f32_simd(dx: Ptr, idx: Ptr, dy: Ptr, ...g: Geometry): void
  maxpool_bwd_f32_scalar(dx: Ptr, idx: Ptr, dy: Ptr, ...g: Geometry): void
  /** y = mean of each window's in-image taps */
  avgpool_f32_simd(y: Ptr, x: Ptr, ...g: Geometry): void
  avgpool_f32_scalar(y: Ptr, x: Ptr, ...g: Geometry): void
  /** dx += dy / taps on each window's taps */
  avgpool_bwd_f32_simd(dx: Ptr, dy: Ptr, ...g: Geometry): void
  avgpool_bwd_f32_scalar(dx: Ptr, dy: Ptr, ...g: Geometry): void
}

/** Batch normalisation over the rows of x (rows, cols), per column (assembly/batchnorm). */
export interface BatchNormKernels {
  /** mean, var (cols) = column mean and biased variance */
  batchnorm_stats_f32_simd(mean: Ptr, vr: Ptr, x: Ptr, rows: number, cols: number): void
  batchnorm_stats_f32_scalar(mean: Ptr, vr: Ptr, x: Ptr, rows: number, cols: number): void
  /** rstd = 1 / sqrt(var + eps), xhat = (x - mean) rstd, y = gamma xhat + beta; y may alias x */
  batchnorm_f32_simd(y: Ptr, xhat: Ptr, rstd: Ptr, x: Ptr, mean: Ptr, vr: Ptr, gamma: Ptr, beta: Ptr, rows: number, cols: number, eps: number): void
  batchnorm_f32_scalar(y: Ptr, xhat: Ptr, rstd: Ptr, x: Ptr, mean: Ptr, vr: Ptr, gamma: Ptr, beta: Ptr, rows: number, cols: number, eps: number): void
  /** training mode: dbeta += sum dy, dgamma += sum dy xhat, dx += gamma rstd (dy - mean(dy) - xhat mean(dy xhat)) */
  batchnorm_bwd_f32_simd(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, xhat: Ptr, rstd: Ptr, gamma: Ptr, rows: number, cols: number): void
  batchnorm_bwd_f32_scalar(dx: Ptr, dgamma: Ptr, dbeta: Ptr, dy: Ptr, xhat: Ptr, rstd: Ptr, gamma: Ptr, rows: number, cols: number): void
}

/** The window geometry the conv and pool kernels take: b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow. @category model */
export type Geometry = readonly [
  b: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, oh: number, ow: number,
]
