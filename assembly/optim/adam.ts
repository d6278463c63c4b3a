// Adam / AdamW update (Kingma & Ba 2015; Loshchilov & Hutter 2019), Optax form.
//
//   m = b1 m + (1 - b1) g
//   v = b2 v + (1 - b2) g^2
//   u = -lr ((m / bc1) / (sqrt(v / bc2) + eps) + wd p)
//
// u, m, v, g, p are f32 (n,). bc1 = 1 - b1^t and bc2 = 1 - b2^t come from the caller
// (t counts from 1), so the kernel has no step counter. wd == 0 is Adam: the wd p term
// is skipped and p is never read (pass any pointer, 0 included); wd > 0 is AdamW with
// decay decoupled from the moments (PyTorch's AdamW multiplies p by 1 - lr wd, the same).
// Aliasing: u may alias g or p; m and v are updated in place and overlap nothing.
// Scalars arrive as f32; 1 - b1 and 1 - b2 are formed in f32.
// Tail: 8 elements an iteration, one f32x4, then the scalar step of the twin:
// adam_f32_simd and adam_f32_scalar are bit-identical (no FMA, same order).
// Bench: none yet (memory bound: 6 f32 streams an element).

// @ts-ignore: decorator
@inline function adam1(
  u: usize, m: usize, v: usize, g: usize, p: usize, o: usize,
  b1: f32, omb1: f32, b2: f32, omb2: f32, nlr: f32, eps: f32, wd: f32, bc1: f32, bc2: f32,
): void {
  const gi = load<f32>(g + o);
  const mi = b1 * load<f32>(m + o) + omb1 * gi;
  const vi = b2 * load<f32>(v + o) + omb2 * (gi * gi);
  store<f32>(m + o, mi);
  store<f32>(v + o, vi);
  let d = (mi / bc1) / (Mathf.sqrt(vi / bc2) + eps);
  if (wd != 0) d = d + wd * load<f32>(p + o);
  store<f32>(u + o, nlr * d);
}

// @ts-ignore: decorator
@inline function adam4(
  u: usize, m: usize, v: usize, g: usize, p: usize, o: usize,
  vb1: v128, vomb1: v128, vb2: v128, vomb2: v128, vnlr: v128, veps: v128, vwd: v128, vbc1: v128, vbc2: v128, decay: bool,
): void {
  const vg0123 = v128.load(g + o);
  const vm0123 = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vomb1, vg0123));
  const vv0123 = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vomb2, f32x4.mul(vg0123, vg0123)));
  v128.store(m + o, vm0123);
  v128.store(v + o, vv0123);
  let vd0123 = f32x4.div(f32x4.div(vm0123, vbc1), f32x4.add(f32x4.sqrt(f32x4.div(vv0123, vbc2)), veps));
  if (decay) vd0123 = f32x4.add(vd0123, f32x4.mul(vwd, v128.load(p + o)));
  v128.store(u + o, f32x4.mul(vnlr, vd0123));
}

export function adam_f32_simd(
  u: usize, m: usize, v: usize, g: usize, p: usize, n: i32,
  lr: f32, b1: f32, b2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32,
): void {
  assert(n >= 0 && ((u | m | v | g | p) & 3) == 0);
  const nlr = -lr, omb1: f32 = 1 - b1, omb2: f32 = 1 - b2, decay = wd != 0;
  const vb1 = f32x4.splat(b1), vomb1 = f32x4.splat(omb1), vb2 = f32x4.splat(b2), vomb2 = f32x4.splat(omb2);
  const vnlr = f32x4.splat(nlr), veps = f32x4.splat(eps), vwd = f32x4.splat(wd);
  const vbc1 = f32x4.splat(bc1), vbc2 = f32x4.splat(bc2);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    adam4(u, m, v, g, p, o, vb1, vomb1, vb2, vomb2, vnlr, veps, vwd, vbc1, vbc2, decay);
    adam4(u, m, v, g, p, o + 16, vb1, vomb1, vb2, vomb2, vnlr, veps, vwd, vbc1, vbc2, decay);
  }
  for (; o + 16 <= end; o += 16) adam4(u, m, v, g, p, o, vb1, vomb1, vb2, vomb2, vnlr, veps, vwd, vbc1, vbc2, decay);
  for (; o < end; o += 4) adam1(u, m, v, g, p, o, b1, omb1, b2, omb2, nlr, eps, wd, bc1, bc2);
}

export function adam_f32_scalar(
  u: usize, m: usize, v: usize, g: usize, p: usize, n: i32,
  lr: f32, b1: f32, b2: f32, eps: f32, wd: f32, bc1: f32, bc2: f32,
): void {
  assert(n >= 0 && ((u | m | v | g | p) & 3) == 0);
  const nlr = -lr, omb1: f32 = 1 - b1, omb2: f32 = 1 - b2;
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) adam1(u, m, v, g, p, o, b1, omb1, b2, omb2, nlr, eps, wd, bc1, bc2);
}
