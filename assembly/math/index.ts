// Shared transcendentals, computed inside Wasm (no imports, no Mathf), each in
// a scalar f32 form `*_s` and an f32x4 form `*_v` with IDENTICAL arithmetic:
// same constants, same operation order, no FMA, branch-free selects. So a SIMD
// kernel and its scalar twin agree bit for bit (NaN payloads aside). Each
// polynomial is written once, generic over f32 and f32x4 (common.ts).
//
//   expf_s(x: f32): f32        expf_v(x: v128): v128      e^x; +Inf above ~88.72, 0 below ~-103.9 (denormals kept), NaN passes   exp.ts
//   expm1f_s(x: f32): f32      expm1f_v(x: v128): v128    e^x - 1, accurate near 0 (ELU, SELU)                                   exp.ts
//   logf_s(x: f32): f32        logf_v(x: v128): v128      ln x; ln 0 = -Inf, ln(x<0) = NaN, ln Inf = Inf, denormals handled     log.ts
//   log1pf_s(x: f32): f32      log1pf_v(x: v128): v128    ln(1 + x), accurate near 0 (softplus, BCE)                            log.ts
//   tanhf_s(x: f32): f32       tanhf_v(x: v128): v128     odd polynomial for |x| < 0.625; 1 - 2/(e^2|x| + 1) above             squash.ts
//   sigmoidf_s(x: f32): f32    sigmoidf_v(x: v128): v128  1/(1+e^-x), stable for both signs                                    squash.ts
//   sinf_s(x: f32): f32        sinf_v(x: v128): v128      sin x, |x| < ~1e5; abs. error ~1e-7 on [0, 2pi)                      trig.ts
//   cosf_s(x: f32): f32        cosf_v(x: v128): v128      cos x, same range and accuracy                                       trig.ts
//
// All are @inline. Accuracy (test/assembly/math.test.ts, against f64 Math):
// relative error < 3e-7 (about 1-3 ulp; the contract is 1e-6) over the ranges
// the tests sweep. Source: Cephes single precision (S. L. Moshier).
// Import: `import { expf_v, expf_s } from '../math/index'`.

export { expf_s, expf_v, expm1f_s, expm1f_v } from './exp';
export { log1pf_s, log1pf_v, logf_s, logf_v } from './log';
export { sigmoidf_s, sigmoidf_v, tanhf_s, tanhf_v } from './squash';
export { cosf_s, cosf_v, sinf_s, sinf_v } from './trig';
