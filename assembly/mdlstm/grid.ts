// Grid <-> anti-diagonal order for the 2-D recurrent layers (#13), both ways.
//   grid_gather_f32_*(y, x, B, I, J, F, bi, bj, ldx, flip, acc)
//   grid_scatter_f32_*(x, y, B, I, J, F, bi, bj, ldx, flip, acc)
// x is batch-first (B, I*bi, J*bj, ldx): pixels of F features (the pointer may
// be offset into a wider row, ldx >= F). y is (P, B, bi*bj*F) with P = I*J
// positions of the I x J block grid in wavefront order: anti-diagonal
// d = i + j = 0 .. I+J-2, and i ascending inside a diagonal. The row of
// position (i, j) holds its bi x bj block of pixels (Graves & Schmidhuber
// 2009's hierarchical subsampling), pixel (r, s) of the block at (r*bj + s)*F.
// flip bit 0 reverses i, bit 1 reverses j (the four scan directions): scan
// position (i, j) reads block (I-1-i or i, J-1-j or j).
// gather: y (+)= x in that order; scatter: x (+)= y (its adjoint). acc 0
// overwrites. No aliasing. Tails: f32x4 over F, then scalars (plain copies
// and adds, so the twins agree bit for bit). Bench: bench/mdlstm.mjs.

// @ts-ignore: decorator
@inline function move(simd: bool, toY: bool, y: usize, x: usize, F: i32, acc: bool): void {
  const d = toY ? y : x, s = toY ? x : y;
  let f = 0;
  if (simd) {
    for (; f + 4 <= F; f += 4) {
      const o = <usize>f << 2;
      const v = v128.load(s + o);
      v128.store(d + o, acc ? f32x4.add(v128.load(d + o), v) : v);
    }
  }
  for (; f < F; f++) {
    const o = <usize>f << 2;
    const v = load<f32>(s + o);
    store<f32>(d + o, acc ? load<f32>(d + o) + v : v);
  }
}

// @ts-ignore: decorator
@inline function walk(simd: bool, toY: bool, y: usize, x: usize, B: i32, I: i32, J: i32, F: i32, bi: i32, bj: i32, ldx: i32, flip: i32, acc: bool): void {
  const row = <usize>bi * bj * F << 2; // bytes of one y row
  const W = J * bj; // pixels of one image row
  let p = 0;
  for (let d = 0; d <= I + J - 2; d++) {
    const lo = max(0, d - J + 1), hi = min(I - 1, d);
    for (let i = lo; i <= hi; i++, p++) {
      const ii = flip & 1 ? I - 1 - i : i, jj = flip & 2 ? J - 1 - (d - i) : d - i;
      for (let b = 0; b < B; b++) {
        const yr = y + (<usize>p * B + b) * row;
        for (let r = 0; r < bi; r++) {
          for (let s = 0; s < bj; s++) {
            const px = x + ((<usize>(b * I * bi + ii * bi + r) * W + jj * bj + s) * ldx << 2);
            move(simd, toY, yr + (<usize>(r * bj + s) * F << 2), px, F, acc);
          }
        }
      }
    }
  }
}

/** Grid (B, I*bi, J*bj, ldx) to wavefront rows (P, B, bi*bj*F), f32x4; acc adds. */
export function grid_gather_f32_simd(y: usize, x: usize, B: i32, I: i32, J: i32, F: i32, bi: i32, bj: i32, ldx: i32, flip: i32, acc: i32): void {
  assert(B >= 0 && I >= 1 && J >= 1 && F >= 0 && bi >= 1 && bj >= 1 && ldx >= F);
  if (acc) walk(true, true, y, x, B, I, J, F, bi, bj, ldx, flip, true);
  else walk(true, true, y, x, B, I, J, F, bi, bj, ldx, flip, false);
}

/** Grid to wavefront rows, scalar twin. */
export function grid_gather_f32_scalar(y: usize, x: usize, B: i32, I: i32, J: i32, F: i32, bi: i32, bj: i32, ldx: i32, flip: i32, acc: i32): void {
  assert(B >= 0 && I >= 1 && J >= 1 && F >= 0 && bi >= 1 && bj >= 1 && ldx >= F);
  if (acc) walk(false, true, y, x, B, I, J, F, bi, bj, ldx, flip, true);
  else walk(false, true, y, x, B, I, J, F, bi, bj, ldx, flip, false);
}

/** Wavefront rows back to the grid (the gather's adjoint), f32x4; acc adds. */
export function grid_scatter_f32_simd(x: usize, y: usize, B: i32, I: i32, J: i32, F: i32, bi: i32, bj: i32, ldx: i32, flip: i32, acc: i32): void {
  assert(B >= 0 && I >= 1 && J >= 1 && F >= 0 && bi >= 1 && bj >= 1 && ldx >= F);
  if (acc) walk(true, false, y, x, B, I, J, F, bi, bj, ldx, flip, true);
  else walk(true, false, y, x, B, I, J, F, bi, bj, ldx, flip, false);
}

/** Wavefront rows back to the grid, scalar twin. */
export function grid_scatter_f32_scalar(x: usize, y: usize, B: i32, I: i32, J: i32, F: i32, bi: i32, bj: i32, ldx: i32, flip: i32, acc: i32): void {
  assert(B >= 0 && I >= 1 && J >= 1 && F >= 0 && bi >= 1 && bj >= 1 && ldx >= F);
  if (acc) walk(false, false, y, x, B, I, J, F, bi, bj, ldx, flip, true);
  else walk(false, false, y, x, B, I, J, F, bi, bj, ldx, flip, false);
}
