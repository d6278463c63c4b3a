// GRU cell, one time step, forward and backward side by side (#4).
//   gru_cell_f32_*(a, h, gx, gh, hp, mask, B, H)
//   gru_cell_bwd_f32_*(dgx, dgh, dhp, a, gh, hp, dh, mask, B, H)
// Convention (PyTorch / cuDNN, Keras reset_after = true): the reset gate is
// applied AFTER the recurrent matmul, and z keeps the old state (Cho et al.
// 2014's z):
//   r = s(gx_r + gh_r)   z = s(gx_z + gh_z)   n = tanh(gx_n + r gh_n)
//   h~ = (1 - z) n + z h_{t-1}                h_t = m ? h~ : h_{t-1}
// with gx = x_t Wx + bx and gh = h_{t-1} Wh + bh, both (B, 3H) row-major in
// the gate order r, z, n. a is (3, B, H) gate-major: r, z, n of this step.
// hp, h are (B, H); mask (B) or 0 (all steps real). No output aliases an input.
// Backward ACCUMULATES: dgx, dgh (B, 3H) += dL/dgx, dL/dgh; dhp (B, H) += the
// direct path z dh (the path through Wh is a GEMM on dgh); dhp may be 0 (no
// signal to step t-1). A masked row adds dh to dhp and nothing else.
// Tails: one f32x4 loop over H per row, scalar tail with the same arithmetic.
const ONE: f32 = 1.0;
import { sigmoidf_s, sigmoidf_v, tanhf_s, tanhf_v } from '../math/index';

// @ts-ignore: decorator
@inline function fwdRow(simd: bool, a: usize, h: usize, gx: usize, gh: usize, hp: usize, m: bool, B: i32, H: i32, b: i32): void {
  const HB = <usize>H << 2;
  const GB = <usize>B * H << 2;
  const xr = gx + <usize>b * 3 * HB, hr = gh + <usize>b * 3 * HB;
  const sr = <usize>b * HB;
  const ar = a + sr;
  let j = 0;
  if (simd) {
    const one = f32x4.splat(1.0);
    const vm = m ? i32x4.splat(-1) : i32x4.splat(0);
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const r = sigmoidf_v(f32x4.add(v128.load(xr + o), v128.load(hr + o)));
      const z = sigmoidf_v(f32x4.add(v128.load(xr + HB + o), v128.load(hr + HB + o)));
      const n = tanhf_v(f32x4.add(v128.load(xr + 2 * HB + o), f32x4.mul(r, v128.load(hr + 2 * HB + o))));
      const vhp = v128.load(hp + sr + o);
      const hn = f32x4.add(f32x4.mul(f32x4.sub(one, z), n), f32x4.mul(z, vhp));
      v128.store(ar + o, r);
      v128.store(ar + GB + o, z);
      v128.store(ar + 2 * GB + o, n);
      v128.store(h + sr + o, v128.bitselect(hn, vhp, vm));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const r = sigmoidf_s(load<f32>(xr + o) + load<f32>(hr + o));
    const z = sigmoidf_s(load<f32>(xr + HB + o) + load<f32>(hr + HB + o));
    const n = tanhf_s(load<f32>(xr + 2 * HB + o) + r * load<f32>(hr + 2 * HB + o));
    const vhp = load<f32>(hp + sr + o);
    const hn = (ONE - z) * n + z * vhp;
    store<f32>(ar + o, r);
    store<f32>(ar + GB + o, z);
    store<f32>(ar + 2 * GB + o, n);
    store<f32>(h + sr + o, m ? hn : vhp);
  }
}

// @ts-ignore: decorator
@inline function bwdRow(simd: bool, dgx: usize, dgh: usize, dhp: usize, a: usize, gh: usize, hp: usize, dh: usize, B: i32, H: i32, b: i32): void {
  const HB = <usize>H << 2;
  const GB = <usize>B * H << 2;
  const xr = dgx + <usize>b * 3 * HB, hr = dgh + <usize>b * 3 * HB, ghr = gh + <usize>b * 3 * HB;
  const sr = <usize>b * HB;
  const ar = a + sr;
  let j = 0;
  if (simd) {
    const one = f32x4.splat(1.0);
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const r = v128.load(ar + o), z = v128.load(ar + GB + o), n = v128.load(ar + 2 * GB + o);
      const vdh = v128.load(dh + sr + o);
      const vhp = v128.load(hp + sr + o);
      const dzn = f32x4.mul(f32x4.mul(vdh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
      const dzr = f32x4.mul(f32x4.mul(dzn, v128.load(ghr + 2 * HB + o)), f32x4.mul(r, f32x4.sub(one, r)));
      const dzz = f32x4.mul(f32x4.mul(vdh, f32x4.sub(vhp, n)), f32x4.mul(z, f32x4.sub(one, z)));
      v128.store(xr + o, f32x4.add(v128.load(xr + o), dzr));
      v128.store(xr + HB + o, f32x4.add(v128.load(xr + HB + o), dzz));
      v128.store(xr + 2 * HB + o, f32x4.add(v128.load(xr + 2 * HB + o), dzn));
      v128.store(hr + o, f32x4.add(v128.load(hr + o), dzr));
      v128.store(hr + HB + o, f32x4.add(v128.load(hr + HB + o), dzz));
      v128.store(hr + 2 * HB + o, f32x4.add(v128.load(hr + 2 * HB + o), f32x4.mul(dzn, r)));
      if (dhp) v128.store(dhp + sr + o, f32x4.add(v128.load(dhp + sr + o), f32x4.mul(vdh, z)));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const r = load<f32>(ar + o), z = load<f32>(ar + GB + o), n = load<f32>(ar + 2 * GB + o);
    const vdh = load<f32>(dh + sr + o);
    const vhp = load<f32>(hp + sr + o);
    const dzn = (vdh * (ONE - z)) * (ONE - n * n);
    const dzr = (dzn * load<f32>(ghr + 2 * HB + o)) * (r * (ONE - r));
    const dzz = (vdh * (vhp - n)) * (z * (ONE - z));
    store<f32>(xr + o, load<f32>(xr + o) + dzr);
    store<f32>(xr + HB + o, load<f32>(xr + HB + o) + dzz);
    store<f32>(xr + 2 * HB + o, load<f32>(xr + 2 * HB + o) + dzn);
    store<f32>(hr + o, load<f32>(hr + o) + dzr);
    store<f32>(hr + HB + o, load<f32>(hr + HB + o) + dzz);
    store<f32>(hr + 2 * HB + o, load<f32>(hr + 2 * HB + o) + dzn * r);
    if (dhp) store<f32>(dhp + sr + o, load<f32>(dhp + sr + o) + vdh * z);
  }
}

// @ts-ignore: decorator
@inline function carryRow(simd: bool, dhp: usize, dh: usize, sr: usize, H: i32): void {
  if (!dhp) return;
  let j = 0;
  if (simd) {
    for (; j + 4 <= H; j += 4) {
      const o = sr + (<usize>j << 2);
      v128.store(dhp + o, f32x4.add(v128.load(dhp + o), v128.load(dh + o)));
    }
  }
  for (; j < H; j++) {
    const o = sr + (<usize>j << 2);
    store<f32>(dhp + o, load<f32>(dhp + o) + load<f32>(dh + o));
  }
}

// @ts-ignore: decorator
@inline function rowMask(mask: usize, b: i32): bool {
  return mask == 0 || load<f32>(mask + (<usize>b << 2)) != 0;
}

/** One GRU step forward, f32x4. */
export function gru_cell_f32_simd(a: usize, h: usize, gx: usize, gh: usize, hp: usize, mask: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  for (let b = 0; b < B; b++) fwdRow(true, a, h, gx, gh, hp, rowMask(mask, b), B, H, b);
}

/** One GRU step forward, scalar twin. */
export function gru_cell_f32_scalar(a: usize, h: usize, gx: usize, gh: usize, hp: usize, mask: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  for (let b = 0; b < B; b++) fwdRow(false, a, h, gx, gh, hp, rowMask(mask, b), B, H, b);
}

/** One GRU step backward, f32x4 (accumulates). */
export function gru_cell_bwd_f32_simd(dgx: usize, dgh: usize, dhp: usize, a: usize, gh: usize, hp: usize, dh: usize, mask: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  for (let b = 0; b < B; b++) {
    if (rowMask(mask, b)) bwdRow(true, dgx, dgh, dhp, a, gh, hp, dh, B, H, b);
    else carryRow(true, dhp, dh, <usize>b * H << 2, H);
  }
}

/** One GRU step backward, scalar twin. */
export function gru_cell_bwd_f32_scalar(dgx: usize, dgh: usize, dhp: usize, a: usize, gh: usize, hp: usize, dh: usize, mask: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  for (let b = 0; b < B; b++) {
    if (rowMask(mask, b)) bwdRow(false, dgx, dgh, dhp, a, gh, hp, dh, B, H, b);
    else carryRow(false, dhp, dh, <usize>b * H << 2, H);
  }
}
