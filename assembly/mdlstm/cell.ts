// MD-LSTM cell over a run of positions (one anti-diagonal of the grid), forward
// and backward side by side (#13; Graves, Fernandez & Schmidhuber 2007).
//   mdlstm_cell_f32_*(a, c, h, tc, z, c1, c2, B, H)
//   mdlstm_cell_bwd_f32_*(dz, dc, dc1, dc2, a, c1, c2, tc, dh, B, H)
// B rows (positions x batch), H units. z is (B, 5H) row-major, gate blocks in
// the order i, f2, g, o, f1: the first four are the 1-D LSTM's (i, f, g, o)
// with f2 the forget gate of the predecessor along j, h(i, j-1); f1 (appended
// so a 1xT grid has the 1-D LSTM's layout) is the forget gate along i.
//   c = (f2 c2 + i g) + f1 c1      h = o tanh(c)
// c1 = c(i-1, j), c2 = c(i, j-1), both (B, H), zero at the grid's edge. The sum
// is in this order so that with c1 = 0 every bit is the 1-D LSTM's
// (assembly/recurrent/lstm.ts, forget gate, no peepholes, no mask): x + 0 = x.
// a is (5, B, H) gate-major (i, f2, g, o, f1), tc = tanh c, c and h (B, H).
// No output may alias an input.
// Backward ACCUMULATES into dz, dc1, dc2: dh is the total dL/dh; dc holds
// dL/dc from the successors on entry and the total dL/dc on exit. dc1, dc2
// may be 0 (no signal passed that way).
// Tails: one f32x4 loop over H per row, scalars with the same arithmetic
// (../math/), so the twins agree bit for bit. Bench: bench/mdlstm.mjs.
const ONE: f32 = 1.0;
import { sigmoidf_s, sigmoidf_v, tanhf_s, tanhf_v } from '../math/index';

// @ts-ignore: decorator
@inline function fwdRow(simd: bool, a: usize, c: usize, h: usize, tc: usize, z: usize, c1: usize, c2: usize, B: i32, H: i32, b: i32): void {
  const HB = <usize>H << 2, GB = <usize>B * H << 2;
  const zr = z + <usize>b * 5 * HB, sr = <usize>b * HB, ar = a + sr;
  let j = 0;
  if (simd) {
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const vi = sigmoidf_v(v128.load(zr + o));
      const vf2 = sigmoidf_v(v128.load(zr + HB + o));
      const vg = tanhf_v(v128.load(zr + 2 * HB + o));
      const vo = sigmoidf_v(v128.load(zr + 3 * HB + o));
      const vf1 = sigmoidf_v(v128.load(zr + 4 * HB + o));
      const cn = f32x4.add(f32x4.add(f32x4.mul(vf2, v128.load(c2 + sr + o)), f32x4.mul(vi, vg)), f32x4.mul(vf1, v128.load(c1 + sr + o)));
      const t = tanhf_v(cn);
      v128.store(ar + o, vi); v128.store(ar + GB + o, vf2); v128.store(ar + 2 * GB + o, vg);
      v128.store(ar + 3 * GB + o, vo); v128.store(ar + 4 * GB + o, vf1);
      v128.store(tc + sr + o, t);
      v128.store(c + sr + o, cn);
      v128.store(h + sr + o, f32x4.mul(vo, t));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const vi = sigmoidf_s(load<f32>(zr + o));
    const vf2 = sigmoidf_s(load<f32>(zr + HB + o));
    const vg = tanhf_s(load<f32>(zr + 2 * HB + o));
    const vo = sigmoidf_s(load<f32>(zr + 3 * HB + o));
    const vf1 = sigmoidf_s(load<f32>(zr + 4 * HB + o));
    const cn = (vf2 * load<f32>(c2 + sr + o) + vi * vg) + vf1 * load<f32>(c1 + sr + o);
    const t = tanhf_s(cn);
    store<f32>(ar + o, vi); store<f32>(ar + GB + o, vf2); store<f32>(ar + 2 * GB + o, vg);
    store<f32>(ar + 3 * GB + o, vo); store<f32>(ar + 4 * GB + o, vf1);
    store<f32>(tc + sr + o, t);
    store<f32>(c + sr + o, cn);
    store<f32>(h + sr + o, vo * t);
  }
}

// @ts-ignore: decorator
@inline function fwd(simd: bool, a: usize, c: usize, h: usize, tc: usize, z: usize, c1: usize, c2: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) fwdRow(simd, a, c, h, tc, z, c1, c2, B, H, b);
}

// @ts-ignore: decorator
@inline function accv(p: usize, v: v128): void {
  v128.store(p, f32x4.add(v128.load(p), v));
}
// @ts-ignore: decorator
@inline function accs(p: usize, v: f32): void {
  store<f32>(p, load<f32>(p) + v);
}

// @ts-ignore: decorator
@inline function bwdRow(simd: bool, dz: usize, dc: usize, dc1: usize, dc2: usize, a: usize, c1: usize, c2: usize, tc: usize, dh: usize, B: i32, H: i32, b: i32): void {
  const HB = <usize>H << 2, GB = <usize>B * H << 2;
  const zr = dz + <usize>b * 5 * HB, sr = <usize>b * HB, ar = a + sr;
  let j = 0;
  if (simd) {
    const one = f32x4.splat(1.0);
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const vi = v128.load(ar + o), vf2 = v128.load(ar + GB + o), vg = v128.load(ar + 2 * GB + o);
      const vo = v128.load(ar + 3 * GB + o), vf1 = v128.load(ar + 4 * GB + o);
      const t = v128.load(tc + sr + o), vdh = v128.load(dh + sr + o);
      const v1 = v128.load(c1 + sr + o), v2 = v128.load(c2 + sr + o);
      const dzo = f32x4.mul(f32x4.mul(vdh, t), f32x4.mul(vo, f32x4.sub(one, vo)));
      const dcn = f32x4.add(v128.load(dc + sr + o), f32x4.mul(f32x4.mul(vdh, vo), f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(dc + sr + o, dcn);
      accv(zr + o, f32x4.mul(f32x4.mul(dcn, vg), f32x4.mul(vi, f32x4.sub(one, vi))));
      accv(zr + HB + o, f32x4.mul(f32x4.mul(dcn, v2), f32x4.mul(vf2, f32x4.sub(one, vf2))));
      accv(zr + 2 * HB + o, f32x4.mul(f32x4.mul(dcn, vi), f32x4.sub(one, f32x4.mul(vg, vg))));
      accv(zr + 3 * HB + o, dzo);
      accv(zr + 4 * HB + o, f32x4.mul(f32x4.mul(dcn, v1), f32x4.mul(vf1, f32x4.sub(one, vf1))));
      if (dc2) accv(dc2 + sr + o, f32x4.mul(dcn, vf2)); if (dc1) accv(dc1 + sr + o, f32x4.mul(dcn, vf1));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const vi = load<f32>(ar + o), vf2 = load<f32>(ar + GB + o), vg = load<f32>(ar + 2 * GB + o);
    const vo = load<f32>(ar + 3 * GB + o), vf1 = load<f32>(ar + 4 * GB + o);
    const t = load<f32>(tc + sr + o), vdh = load<f32>(dh + sr + o);
    const v1 = load<f32>(c1 + sr + o), v2 = load<f32>(c2 + sr + o);
    const dzo = (vdh * t) * (vo * (ONE - vo));
    const dcn = load<f32>(dc + sr + o) + (vdh * vo) * (ONE - t * t);
    store<f32>(dc + sr + o, dcn);
    accs(zr + o, (dcn * vg) * (vi * (ONE - vi)));
    accs(zr + HB + o, (dcn * v2) * (vf2 * (ONE - vf2)));
    accs(zr + 2 * HB + o, (dcn * vi) * (ONE - vg * vg));
    accs(zr + 3 * HB + o, dzo);
    accs(zr + 4 * HB + o, (dcn * v1) * (vf1 * (ONE - vf1)));
    if (dc2) accs(dc2 + sr + o, dcn * vf2); if (dc1) accs(dc1 + sr + o, dcn * vf1);
  }
}

// @ts-ignore: decorator
@inline function bwd(simd: bool, dz: usize, dc: usize, dc1: usize, dc2: usize, a: usize, c1: usize, c2: usize, tc: usize, dh: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) bwdRow(simd, dz, dc, dc1, dc2, a, c1, c2, tc, dh, B, H, b);
}

/** MD-LSTM cells of B rows forward, f32x4: gates, c, h, tanh c from the pre-activations and both predecessors' c. */
export function mdlstm_cell_f32_simd(a: usize, c: usize, h: usize, tc: usize, z: usize, c1: usize, c2: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  fwd(true, a, c, h, tc, z, c1, c2, B, H);
}

/** MD-LSTM cells forward, scalar twin. */
export function mdlstm_cell_f32_scalar(a: usize, c: usize, h: usize, tc: usize, z: usize, c1: usize, c2: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  fwd(false, a, c, h, tc, z, c1, c2, B, H);
}

/** MD-LSTM cells backward, f32x4: dz, dc1, dc2 += ...; dc := total dL/dc. */
export function mdlstm_cell_bwd_f32_simd(dz: usize, dc: usize, dc1: usize, dc2: usize, a: usize, c1: usize, c2: usize, tc: usize, dh: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  bwd(true, dz, dc, dc1, dc2, a, c1, c2, tc, dh, B, H);
}

/** MD-LSTM cells backward, scalar twin. */
export function mdlstm_cell_bwd_f32_scalar(dz: usize, dc: usize, dc1: usize, dc2: usize, a: usize, c1: usize, c2: usize, tc: usize, dh: usize, B: i32, H: i32): void {
  assert(B >= 0 && H >= 0);
  bwd(false, dz, dc, dc1, dc2, a, c1, c2, tc, dh, B, H);
}
