// The manifest: the one list of exported kernels. Each family folder has an
// index.ts that exports its kernels; this file only re-exports them.
// Conventions (see ../STYLE notes in README): f32 data, byte offsets in,
// outputs first, then inputs, then sizes (i32), then scalars; nothing allocated.

export { heap_base, simd_relaxed } from './base';
export * from './gemm/index';
export * from './eltwise/index';
export * from './loss/index';
export * from './optim/index';
export * from './stats/index';
export * from './rng/index';
export * from './recurrent/index';
export * from './norm/index';
export * from './rbm/index';
export * from './conv/index';
export * from './pool/index';
export * from './mdlstm/index';
export * from './batchnorm/index';
