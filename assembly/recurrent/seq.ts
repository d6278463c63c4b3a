// Layout changes between batch-first and time-major sequences (#4).
//   seq_transpose_f32_*(y, x, A, B, F, ldy, ldx, acc)
// y(B, A, ldy)[b, a, f] (+)= x(A, B, ldx)[a, b, f] for f < F: swaps the two
// leading axes, reading F of every ldx floats and writing F of every ldy (so
// a mask channel can be split off or skipped). acc = 1 adds, 0 overwrites.
// Used both ways: (B, T, F) -> (T, B, F) for inputs, and back for outputs and
// their gradients. y must not overlap x. Tails: f32x4 over f when F >= 4, then
// scalars; one op per element, so the twins agree bit for bit.

// @ts-ignore: decorator
@inline function body(simd: bool, y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32, acc: bool): void {
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const yr = y + ((<usize>b * A + a) * ldy << 2);
      const xr = x + ((<usize>a * B + b) * ldx << 2);
      let f = 0;
      if (simd) {
        for (; f + 4 <= F; f += 4) {
          const o = <usize>f << 2;
          const v = v128.load(xr + o);
          v128.store(yr + o, acc ? f32x4.add(v128.load(yr + o), v) : v);
        }
      }
      for (; f < F; f++) {
        const o = <usize>f << 2;
        const v = load<f32>(xr + o);
        store<f32>(yr + o, acc ? load<f32>(yr + o) + v : v);
      }
    }
  }
}

function t_v0(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32): void { body(true, y, x, A, B, F, ldy, ldx, false); }
function t_v1(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32): void { body(true, y, x, A, B, F, ldy, ldx, true); }
function t_s0(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32): void { body(false, y, x, A, B, F, ldy, ldx, false); }
function t_s1(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32): void { body(false, y, x, A, B, F, ldy, ldx, true); }

/** y(B, A, .) (+)= x(A, B, .), f32x4. */
export function seq_transpose_f32_simd(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32, acc: i32): void {
  assert(A >= 0 && B >= 0 && F >= 0 && ldy >= F && ldx >= F);
  if (acc) t_v1(y, x, A, B, F, ldy, ldx);
  else t_v0(y, x, A, B, F, ldy, ldx);
}

/** y(B, A, .) (+)= x(A, B, .), scalar twin. */
export function seq_transpose_f32_scalar(y: usize, x: usize, A: i32, B: i32, F: i32, ldy: i32, ldx: i32, acc: i32): void {
  assert(A >= 0 && B >= 0 && F >= 0 && ldy >= F && ldx >= F);
  if (acc) t_s1(y, x, A, B, F, ldy, ldx);
  else t_s0(y, x, A, B, F, ldy, ldx);
}
