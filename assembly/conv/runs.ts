// Contiguous runs of f32 for the patch kernels (im2col.ts, ../pool): copy,
// zero and add n floats, 16 an iteration, then 4, then one at a time, or one
// at a time throughout (simd = false, the scalar twins). Each element gets the
// same single operation either way, so both forms give the same bits.
// Pointers need no alignment (v128.load/store are unaligned in Wasm).

// @ts-ignore: decorator
@inline export function copyRun(y: usize, x: usize, n: i32, simd: bool): void {
  let i = 0;
  if (simd) {
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const v0123 = v128.load(x + o), v4567 = v128.load(x + o, 16), v89AB = v128.load(x + o, 32), vCDEF = v128.load(x + o, 48);
      v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
    }
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, v128.load(x + o)); }
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(x + o)); }
}

// @ts-ignore: decorator
@inline export function zeroRun(y: usize, n: i32, simd: bool): void {
  let i = 0;
  if (simd) {
    const z = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), z);
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), 0);
}

/** y += x over n floats (y must not alias x). */
// @ts-ignore: decorator
@inline export function addRun(y: usize, x: usize, n: i32, simd: bool): void {
  let i = 0;
  if (simd) {
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
      v128.store(y + o, f32x4.add(v128.load(y + o, 16), v128.load(x + o, 16)), 16);
      v128.store(y + o, f32x4.add(v128.load(y + o, 32), v128.load(x + o, 32)), 32);
      v128.store(y + o, f32x4.add(v128.load(y + o, 48), v128.load(x + o, 48)), 48);
    }
    for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o))); }
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o)); }
}
