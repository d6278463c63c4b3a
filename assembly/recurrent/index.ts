// recurrent family: fused cells for one time step (the gate nonlinearities
// and the state update in one pass over the pre-activation block the GEMMs
// produced), their backward (accumulating), and the batch-first <-> time-major
// transpose. Each file holds a cell's forward and backward, SIMD beside the
// scalar twin. Bench: node --expose-gc bench/run.mjs --filter W4
export { rnn_cell_f32_simd, rnn_cell_f32_scalar, rnn_cell_bwd_f32_simd, rnn_cell_bwd_f32_scalar } from './rnn';
export { lstm_cell_f32_simd, lstm_cell_f32_scalar, lstm_cell_bwd_f32_simd, lstm_cell_bwd_f32_scalar } from './lstm';
export { gru_cell_f32_simd, gru_cell_f32_scalar, gru_cell_bwd_f32_simd, gru_cell_bwd_f32_scalar } from './gru';
export { seq_transpose_f32_simd, seq_transpose_f32_scalar } from './seq';
