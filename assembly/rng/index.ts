// rng kernels: Threefry-2x32-20 counter-based bits, uniforms, normals and inverted
// dropout masks (see sample.ts; the block function is in threefry.ts).
export { rng_bits_u32, rng_uniform_f32, rng_normal_f32, dropout_f32 } from './sample';
