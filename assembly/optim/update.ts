// Optimizer updates in the Optax form: the state is updated in place and the
// update `u` (already multiplied by -lr) is written out; apply it with
// add_f32_*(p, p, u, n). All buffers are f32, (n,), byte offsets.
//
//   momentum  v = mu v + g;  u = -lr (nesterov ? g + mu v : v)        (PyTorch SGD)
//   rmsprop   s = rho s + (1 - rho) g^2;  u = -lr (g / (sqrt(s) + eps))  (PyTorch, centered=False)
//   (adam and AdamW: adam.ts)
//
// Aliasing: `u` may alias `g` (and `p`): every element is read before it is written.
// The state buffers (v, s) must not overlap anything else.
// Scalars arrive as f32 (lr, mu, ... are rounded to f32 once); 1 - b is formed in f32.
// Tail: SIMD kernels run 8 elements an iteration, then one f32x4, then the scalar
// step of the twin, so *_simd and *_scalar are bit-identical (no FMA, same order).
// Bench: none yet (memory bound: 3-5 f32 streams an element).

// ---------------------------------------------------------------- momentum

// @ts-ignore: decorator
@inline function momentum1(u: usize, v: usize, g: usize, o: usize, mu: f32, nlr: f32, nest: bool): void {
  const gi = load<f32>(g + o);
  const vi = mu * load<f32>(v + o) + gi;
  store<f32>(v + o, vi);
  store<f32>(u + o, nlr * (nest ? gi + mu * vi : vi));
}

// @ts-ignore: decorator
@inline function momentum4(u: usize, v: usize, g: usize, o: usize, vmu: v128, vnlr: v128, nest: bool): void {
  const vg0123 = v128.load(g + o);
  const vv0123 = f32x4.add(f32x4.mul(vmu, v128.load(v + o)), vg0123);
  v128.store(v + o, vv0123);
  const vd0123 = nest ? f32x4.add(vg0123, f32x4.mul(vmu, vv0123)) : vv0123;
  v128.store(u + o, f32x4.mul(vnlr, vd0123));
}

export function momentum_f32_simd(u: usize, v: usize, g: usize, n: i32, lr: f32, mu: f32, nesterov: i32): void {
  assert(n >= 0 && ((u | v | g) & 3) == 0);
  const nlr = -lr, nest = nesterov != 0;
  const vmu = f32x4.splat(mu), vnlr = f32x4.splat(nlr);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    momentum4(u, v, g, o, vmu, vnlr, nest);
    momentum4(u, v, g, o + 16, vmu, vnlr, nest);
  }
  for (; o + 16 <= end; o += 16) momentum4(u, v, g, o, vmu, vnlr, nest);
  for (; o < end; o += 4) momentum1(u, v, g, o, mu, nlr, nest);
}

export function momentum_f32_scalar(u: usize, v: usize, g: usize, n: i32, lr: f32, mu: f32, nesterov: i32): void {
  assert(n >= 0 && ((u | v | g) & 3) == 0);
  const nlr = -lr, nest = nesterov != 0;
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) momentum1(u, v, g, o, mu, nlr, nest);
}

// ----------------------------------------------------------------- rmsprop

// @ts-ignore: decorator
@inline function rmsprop1(u: usize, s: usize, g: usize, o: usize, rho: f32, omr: f32, nlr: f32, eps: f32): void {
  const gi = load<f32>(g + o);
  const si = rho * load<f32>(s + o) + omr * (gi * gi);
  store<f32>(s + o, si);
  store<f32>(u + o, nlr * (gi / (Mathf.sqrt(si) + eps)));
}

// @ts-ignore: decorator
@inline function rmsprop4(u: usize, s: usize, g: usize, o: usize, vrho: v128, vomr: v128, vnlr: v128, veps: v128): void {
  const vg0123 = v128.load(g + o);
  const vs0123 = f32x4.add(f32x4.mul(vrho, v128.load(s + o)), f32x4.mul(vomr, f32x4.mul(vg0123, vg0123)));
  v128.store(s + o, vs0123);
  v128.store(u + o, f32x4.mul(vnlr, f32x4.div(vg0123, f32x4.add(f32x4.sqrt(vs0123), veps))));
}

export function rmsprop_f32_simd(u: usize, s: usize, g: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  assert(n >= 0 && ((u | s | g) & 3) == 0);
  const nlr = -lr, omr: f32 = 1 - rho;
  const vrho = f32x4.splat(rho), vomr = f32x4.splat(omr), vnlr = f32x4.splat(nlr), veps = f32x4.splat(eps);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    rmsprop4(u, s, g, o, vrho, vomr, vnlr, veps);
    rmsprop4(u, s, g, o + 16, vrho, vomr, vnlr, veps);
  }
  for (; o + 16 <= end; o += 16) rmsprop4(u, s, g, o, vrho, vomr, vnlr, veps);
  for (; o < end; o += 4) rmsprop1(u, s, g, o, rho, omr, nlr, eps);
}

export function rmsprop_f32_scalar(u: usize, s: usize, g: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  assert(n >= 0 && ((u | s | g) & 3) == 0);
  const nlr = -lr, omr: f32 = 1 - rho;
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) rmsprop1(u, s, g, o, rho, omr, nlr, eps);
}
