// Bias and reductions over a row-major (rows, cols) matrix; forward (bias_add)
// beside its backward (col_sum: the bias gradient) and row_sum.
//   bias_add_f32_*(y, x, b, rows, cols):  y[i,j] = x[i,j] + b[j]      // x, y (rows,cols); b (cols); y may alias x
//   col_sum_f32_*(out, x, rows, cols, acc): out[j] (+)= sum_i x[i,j]  // out (cols); acc = 1 adds, 0 overwrites
//   row_sum_f32_*(out, x, rows, cols, acc): out[i] (+)= sum_j x[i,j]  // out (rows)
// col_sum adds rows in order 0..rows-1 per column, starting from out[j] or 0,
// in both twins. row_sum keeps 8 lane sums (two f32x4), folds them to 4, then
// (s0 + s1) + (s2 + s3), then the scalar tail: the scalar twin keeps the same
// 8 partial sums, so both agree bit for bit. Tails: W = 16 columns (bias_add,
// col_sum) or 8 (row_sum), then one f32x4, then scalars. out must not alias x.
import { hsum_v } from './lanes';

/** y = x + b (broadcast over rows), f32x4. */
export function bias_add_f32_simd(y: usize, x: usize, b: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    const yr = y + row, xr = x + row;
    let j = 0;
    for (; j + 16 <= cols; j += 16) {
      const o = <usize>j << 2;
      const v0123 = f32x4.add(v128.load(xr + o), v128.load(b + o));
      const v4567 = f32x4.add(v128.load(xr + o, 16), v128.load(b + o, 16));
      const v89AB = f32x4.add(v128.load(xr + o, 32), v128.load(b + o, 32));
      const vCDEF = f32x4.add(v128.load(xr + o, 48), v128.load(b + o, 48));
      v128.store(yr + o, v0123);
      v128.store(yr + o, v4567, 16);
      v128.store(yr + o, v89AB, 32);
      v128.store(yr + o, vCDEF, 48);
    }
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.add(v128.load(xr + o), v128.load(b + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, load<f32>(xr + o) + load<f32>(b + o));
    }
  }
}

/** y = x + b (broadcast over rows), scalar twin. */
export function bias_add_f32_scalar(y: usize, x: usize, b: usize, rows: i32, cols: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const row = <usize>(i * cols) << 2;
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(y + row + o, load<f32>(x + row + o) + load<f32>(b + o));
    }
  }
}

/** out(cols) (+)= column sums of x(rows, cols), f32x4: 16 columns held in registers over all rows. */
export function col_sum_f32_simd(out: usize, x: usize, rows: i32, cols: i32, acc: i32): void {
  assert(rows >= 0 && cols >= 0);
  const stride = <usize>cols << 2;
  let j = 0;
  for (; j + 16 <= cols; j += 16) {
    const o = <usize>j << 2;
    let s0123 = acc ? v128.load(out + o) : f32x4.splat(0);
    let s4567 = acc ? v128.load(out + o, 16) : f32x4.splat(0);
    let s89AB = acc ? v128.load(out + o, 32) : f32x4.splat(0);
    let sCDEF = acc ? v128.load(out + o, 48) : f32x4.splat(0);
    let p = x + o;
    for (let i = 0; i < rows; i++, p += stride) {
      s0123 = f32x4.add(s0123, v128.load(p));
      s4567 = f32x4.add(s4567, v128.load(p, 16));
      s89AB = f32x4.add(s89AB, v128.load(p, 32));
      sCDEF = f32x4.add(sCDEF, v128.load(p, 48));
    }
    v128.store(out + o, s0123);
    v128.store(out + o, s4567, 16);
    v128.store(out + o, s89AB, 32);
    v128.store(out + o, sCDEF, 48);
  }
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    let s = acc ? v128.load(out + o) : f32x4.splat(0);
    let p = x + o;
    for (let i = 0; i < rows; i++, p += stride) s = f32x4.add(s, v128.load(p));
    v128.store(out + o, s);
  }
  for (; j < cols; j++) {
    const o = <usize>j << 2;
    let s: f32 = acc ? load<f32>(out + o) : 0;
    let p = x + o;
    for (let i = 0; i < rows; i++, p += stride) s += load<f32>(p);
    store<f32>(out + o, s);
  }
}

/** out(cols) (+)= column sums of x(rows, cols), scalar twin (row-major walk, same per-column order). */
export function col_sum_f32_scalar(out: usize, x: usize, rows: i32, cols: i32, acc: i32): void {
  assert(rows >= 0 && cols >= 0);
  if (!acc) for (let j = 0; j < cols; j++) store<f32>(out + (<usize>j << 2), 0);
  for (let i = 0; i < rows; i++) {
    const row = x + (<usize>(i * cols) << 2);
    for (let j = 0; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o));
    }
  }
}

/** out(rows) (+)= row sums of x(rows, cols), f32x4. */
export function row_sum_f32_simd(out: usize, x: usize, rows: i32, cols: i32, acc: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * cols) << 2);
    let s0123 = f32x4.splat(0);
    let s4567 = f32x4.splat(0);
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const o = <usize>j << 2;
      s0123 = f32x4.add(s0123, v128.load(xr + o));
      s4567 = f32x4.add(s4567, v128.load(xr + o, 16));
    }
    s0123 = f32x4.add(s0123, s4567);
    for (; j + 4 <= cols; j += 4) s0123 = f32x4.add(s0123, v128.load(xr + (<usize>j << 2)));
    let s = hsum_v(s0123);
    for (; j < cols; j++) s += load<f32>(xr + (<usize>j << 2));
    const po = out + (<usize>i << 2);
    store<f32>(po, acc ? load<f32>(po) + s : s);
  }
}

/** out(rows) (+)= row sums of x(rows, cols), scalar twin keeping the SIMD lane sums. */
export function row_sum_f32_scalar(out: usize, x: usize, rows: i32, cols: i32, acc: i32): void {
  assert(rows >= 0 && cols >= 0);
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * cols) << 2);
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
    let j = 0;
    for (; j + 8 <= cols; j += 8) {
      const p = xr + (<usize>j << 2);
      s0 += load<f32>(p); s1 += load<f32>(p, 4); s2 += load<f32>(p, 8); s3 += load<f32>(p, 12);
      s4 += load<f32>(p, 16); s5 += load<f32>(p, 20); s6 += load<f32>(p, 24); s7 += load<f32>(p, 28);
    }
    s0 += s4; s1 += s5; s2 += s6; s3 += s7;
    for (; j + 4 <= cols; j += 4) {
      const p = xr + (<usize>j << 2);
      s0 += load<f32>(p); s1 += load<f32>(p, 4); s2 += load<f32>(p, 8); s3 += load<f32>(p, 12);
    }
    let s = (s0 + s1) + (s2 + s3);
    for (; j < cols; j++) s += load<f32>(xr + (<usize>j << 2));
    const po = out + (<usize>i << 2);
    store<f32>(po, acc ? load<f32>(po) + s : s);
  }
}
