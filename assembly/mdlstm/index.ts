// mdlstm family (#13): the 2-D recurrent layers' kernels. The MD-LSTM cell
// over a run of rows (one anti-diagonal of the grid at a time, so SIMD and the
// GEMMs see the whole wavefront) and the grid <-> wavefront reorderings with
// block subsampling and scan flips. The 2-D tanh RNN reuses ../recurrent/rnn.ts.
// Bench: node bench/mdlstm.mjs
export { mdlstm_cell_f32_simd, mdlstm_cell_f32_scalar, mdlstm_cell_bwd_f32_simd, mdlstm_cell_bwd_f32_scalar } from './cell';
export { grid_gather_f32_simd, grid_gather_f32_scalar, grid_scatter_f32_simd, grid_scatter_f32_scalar } from './grid';
