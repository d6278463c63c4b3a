// Scalar twins of the GEMM kernels: plain triple loops, the reference the SIMD
// kernels are tested against (and the kernels for hosts without SIMD).
//
//   C(M,N) (+)= op(A)(M,K) . op(B)(K,N), row-major, f32 accumulation in p order.
//   A'(i,p) = A[i*sai + p*sak], B'(p,j) = B[p*sbp + j*sbj].
// C must not alias A or B. acc = 1 adds to C, 0 overwrites it. No tails: every
// element is one dot product. ws is ignored.
// Bench: node --expose-gc bench/run.mjs --filter gemm

export function gemmScalar(c: usize, a: usize, b: usize, m: i32, k: i32, n: i32, acc: i32, sai: i32, sak: i32, sbp: i32, sbj: i32): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum: f32 = 0;
      for (let p = 0; p < k; p++) {
        const av = load<f32>(a + ((<usize>i * sai + <usize>p * sak) << 2));
        const bv = load<f32>(b + ((<usize>p * sbp + <usize>j * sbj) << 2));
        sum += av * bv;
      }
      const cp = c + ((<usize>i * n + j) << 2);
      store<f32>(cp, acc ? load<f32>(cp) + sum : sum);
    }
  }
}
