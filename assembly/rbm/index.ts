// RBM kernels (#11): Gibbs sampling (sample.ts), free energy, CD gradient and AIS weights
// (energy.ts), exact log Z, bit flips and histograms for evaluation (enum.ts).
export { rbm_bern_f32_simd, rbm_bern_f32_scalar, rbm_gauss_f32_simd, rbm_gauss_f32_scalar } from './sample';
export { rbm_free_energy_f32_simd, rbm_free_energy_f32_scalar, rbm_grad_f32_simd, rbm_grad_f32_scalar, rbm_ais_f32_simd, rbm_ais_f32_scalar } from './energy';
export { rbm_log_z_f32_scalar, rbm_flip_f32_scalar, rbm_hist_f32_scalar } from './enum';
