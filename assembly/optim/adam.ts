// Adam / AdamW update (Kingma & Ba 2015; Loshchilov & Hutter 2019), PyTorch's form
// (torch.optim.Adam / AdamW, which Optax's adam also computes):
//
//   m = m + omb1 (g - m)                     (= b1 m + (1 - b1) g, PyTorch's lerp)
//   v = v + omb2 (g^2 - v)                   (= b2 v + (1 - b2) g^2)
//   u = step (m / (sqrt(v) / sbc2 + eps)) + decay p
//
// with the scalars formed in f64 by the caller (src/optim/adam.ts, adamScalars)
// and rounded to f32 once each: omb1 = 1 - b1, omb2 = 1 - b2, step = -lr / bc1,
// sbc2 = sqrt(bc2), decay = -lr wd, where bc1 = 1 - (1 - omb1)^t and
// bc2 = 1 - (1 - omb2)^t (t counts from 1), so the kernel has no step counter.
// Why this form (#9): b1 = 0.9 and b2 = 0.999 are not f32 numbers. Rounding b2 to
// f32 and forming 1 - b2 in f32 gave 1 - b2 = 9.99987e-4, 1.3e-5 below 1e-3, while
// the bias correction was exact: every update came out 6.4e-6 (relative) larger
// than PyTorch's. Here the moments decay by exactly 1 - omb1 and 1 - omb2 (the
// lerp form never forms b in f32) and the bias corrections use those same rates,
// so m / bc1 and v / bc2 are unbiased averages at every t; what is left is f32
// rounding, which averages out (test/assembly/optim.test.ts checks the mean).
// decay == 0 is Adam: the decay p term is skipped and p is never read (pass any
// pointer, 0 included); decay != 0 is AdamW, decay decoupled from the moments
// (PyTorch's AdamW multiplies p by 1 - lr wd before the step: the same update).
// u, m, v, g, p are f32 (n,). Aliasing: u may alias g or p; m and v are updated in
// place and overlap nothing.
// Tail: 8 elements an iteration, one f32x4, then the scalar step of the twin:
// adam_f32_simd and adam_f32_scalar are bit-identical (no FMA, same order).
// Bench: none yet (memory bound: 6 f32 streams an element).

// @ts-ignore: decorator
@inline function adam1(
  u: usize, m: usize, v: usize, g: usize, p: usize, o: usize,
  omb1: f32, omb2: f32, step: f32, sbc2: f32, eps: f32, decay: f32,
): void {
  const gi = load<f32>(g + o);
  const m0 = load<f32>(m + o), v0 = load<f32>(v + o);
  const mi = m0 + omb1 * (gi - m0);
  const vi = v0 + omb2 * (gi * gi - v0);
  store<f32>(m + o, mi);
  store<f32>(v + o, vi);
  let d = step * (mi / (Mathf.sqrt(vi) / sbc2 + eps));
  if (decay != 0) d = d + decay * load<f32>(p + o);
  store<f32>(u + o, d);
}

// @ts-ignore: decorator
@inline function adam4(
  u: usize, m: usize, v: usize, g: usize, p: usize, o: usize,
  vomb1: v128, vomb2: v128, vstep: v128, vsbc2: v128, veps: v128, vdecay: v128, decayed: bool,
): void {
  const vg0123 = v128.load(g + o);
  const vm0123 = v128.load(m + o), vv0123 = v128.load(v + o);
  const vmn0123 = f32x4.add(vm0123, f32x4.mul(vomb1, f32x4.sub(vg0123, vm0123)));
  const vvn0123 = f32x4.add(vv0123, f32x4.mul(vomb2, f32x4.sub(f32x4.mul(vg0123, vg0123), vv0123)));
  v128.store(m + o, vmn0123);
  v128.store(v + o, vvn0123);
  let vd0123 = f32x4.mul(vstep, f32x4.div(vmn0123, f32x4.add(f32x4.div(f32x4.sqrt(vvn0123), vsbc2), veps)));
  if (decayed) vd0123 = f32x4.add(vd0123, f32x4.mul(vdecay, v128.load(p + o)));
  v128.store(u + o, vd0123);
}

export function adam_f32_simd(
  u: usize, m: usize, v: usize, g: usize, p: usize, n: i32,
  omb1: f32, omb2: f32, step: f32, sbc2: f32, eps: f32, decay: f32,
): void {
  assert(n >= 0 && ((u | m | v | g | p) & 3) == 0);
  const decayed = decay != 0;
  const vomb1 = f32x4.splat(omb1), vomb2 = f32x4.splat(omb2), vstep = f32x4.splat(step);
  const vsbc2 = f32x4.splat(sbc2), veps = f32x4.splat(eps), vdecay = f32x4.splat(decay);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 32 <= end; o += 32) {
    adam4(u, m, v, g, p, o, vomb1, vomb2, vstep, vsbc2, veps, vdecay, decayed);
    adam4(u, m, v, g, p, o + 16, vomb1, vomb2, vstep, vsbc2, veps, vdecay, decayed);
  }
  for (; o + 16 <= end; o += 16) adam4(u, m, v, g, p, o, vomb1, vomb2, vstep, vsbc2, veps, vdecay, decayed);
  for (; o < end; o += 4) adam1(u, m, v, g, p, o, omb1, omb2, step, sbc2, eps, decay);
}

export function adam_f32_scalar(
  u: usize, m: usize, v: usize, g: usize, p: usize, n: i32,
  omb1: f32, omb2: f32, step: f32, sbc2: f32, eps: f32, decay: f32,
): void {
  assert(n >= 0 && ((u | m | v | g | p) & 3) == 0);
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) adam1(u, m, v, g, p, o, omb1, omb2, step, sbc2, eps, decay);
}
