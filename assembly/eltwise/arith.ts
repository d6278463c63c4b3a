// BLAS-1 style elementwise ops on (n) vectors, SIMD beside the scalar twin.
//   add_f32_*(y, a, b, n): y = a + b      mul_f32_*(y, a, b, n): y = a * b
//   axpy_f32_*(y, x, n, alpha): y += alpha x   (the backward of scale; SGD-style updates)
//   scale_f32_*(y, x, n, alpha): y = alpha x   fill_f32_*(y, n, value): y = value
//   copy_f32_*(y, x, n): y = x (no overlap)
// Aliasing: y may alias a, b or x (same pointer), except copy. Tails: W = 16
// (four f32x4 per step), then one f32x4, then scalars; one op per element, so
// the twins agree bit for bit.

/** y = a + b, f32x4. */
export function add_f32_simd(y: usize, a: usize, b: usize, n: i32): void {
  assert(n >= 0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0123 = f32x4.add(v128.load(a + o), v128.load(b + o));
    const v4567 = f32x4.add(v128.load(a + o, 16), v128.load(b + o, 16));
    const v89AB = f32x4.add(v128.load(a + o, 32), v128.load(b + o, 32));
    const vCDEF = f32x4.add(v128.load(a + o, 48), v128.load(b + o, 48));
    v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.add(v128.load(a + o), v128.load(b + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(a + o) + load<f32>(b + o)); }
}

/** y = a + b, scalar twin. */
export function add_f32_scalar(y: usize, a: usize, b: usize, n: i32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(a + o) + load<f32>(b + o)); }
}

/** y = a * b, f32x4. */
export function mul_f32_simd(y: usize, a: usize, b: usize, n: i32): void {
  assert(n >= 0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0123 = f32x4.mul(v128.load(a + o), v128.load(b + o));
    const v4567 = f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16));
    const v89AB = f32x4.mul(v128.load(a + o, 32), v128.load(b + o, 32));
    const vCDEF = f32x4.mul(v128.load(a + o, 48), v128.load(b + o, 48));
    v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o)); }
}

/** y = a * b, scalar twin. */
export function mul_f32_scalar(y: usize, a: usize, b: usize, n: i32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o)); }
}

/** y += alpha x, f32x4. */
export function axpy_f32_simd(y: usize, x: usize, n: i32, alpha: f32): void {
  assert(n >= 0);
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0123 = f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o)));
    const v4567 = f32x4.add(v128.load(y + o, 16), f32x4.mul(va, v128.load(x + o, 16)));
    const v89AB = f32x4.add(v128.load(y + o, 32), f32x4.mul(va, v128.load(x + o, 32)));
    const vCDEF = f32x4.add(v128.load(y + o, 48), f32x4.mul(va, v128.load(x + o, 48)));
    v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o)))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o)); }
}

/** y += alpha x, scalar twin. */
export function axpy_f32_scalar(y: usize, x: usize, n: i32, alpha: f32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o)); }
}

/** y = alpha x, f32x4. */
export function scale_f32_simd(y: usize, x: usize, n: i32, alpha: f32): void {
  assert(n >= 0);
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0123 = f32x4.mul(va, v128.load(x + o));
    const v4567 = f32x4.mul(va, v128.load(x + o, 16));
    const v89AB = f32x4.mul(va, v128.load(x + o, 32));
    const vCDEF = f32x4.mul(va, v128.load(x + o, 48));
    v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, f32x4.mul(va, v128.load(x + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, alpha * load<f32>(x + o)); }
}

/** y = alpha x, scalar twin. */
export function scale_f32_scalar(y: usize, x: usize, n: i32, alpha: f32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, alpha * load<f32>(x + o)); }
}

/** y = value, f32x4. */
export function fill_f32_simd(y: usize, n: i32, value: f32): void {
  assert(n >= 0);
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 16 <= n; i += 16) { const o = <usize>i << 2; v128.store(y + o, v); v128.store(y + o, v, 16); v128.store(y + o, v, 32); v128.store(y + o, v, 48); }
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), value);
}

/** y = value, scalar twin. */
export function fill_f32_scalar(y: usize, n: i32, value: f32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), value);
}

/** y = x (regions must not overlap), f32x4. */
export function copy_f32_simd(y: usize, x: usize, n: i32): void {
  assert(n >= 0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const o = <usize>i << 2;
    const v0123 = v128.load(x + o), v4567 = v128.load(x + o, 16), v89AB = v128.load(x + o, 32), vCDEF = v128.load(x + o, 48);
    v128.store(y + o, v0123); v128.store(y + o, v4567, 16); v128.store(y + o, v89AB, 32); v128.store(y + o, vCDEF, 48);
  }
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(y + o, v128.load(x + o)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(x + o)); }
}

/** y = x (regions must not overlap), scalar twin. */
export function copy_f32_scalar(y: usize, x: usize, n: i32): void {
  assert(n >= 0);
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(y + o, load<f32>(x + o)); }
}
