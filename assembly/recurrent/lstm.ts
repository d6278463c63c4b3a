// LSTM cell, one time step, forward and backward side by side (#4).
//   lstm_cell_f32_*(a, c, h, tc, z, cp, hp, peep, mask, B, H, forget)
//   lstm_cell_bwd_f32_*(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H, forget)
// z is (B, nG*H) row-major: the pre-activations x_t Wx + h_{t-1} Wh + b, gate
// blocks in the order i, f, g, o (forget = 1, Gers et al. 2000) or i, g, o
// (forget = 0: LSTM 1997, c_t = c_{t-1} + i g). a is (nG, B, H) gate-major:
// the activated gates of this step, each gate contiguous (for the trace).
//   i = s(z_i + p_i c_{t-1})  f = s(z_f + p_f c_{t-1})  g = tanh(z_g)
//   c~ = f c_{t-1} + i g      o = s(z_o + p_o c~)       h~ = o tanh(c~)
//   c_t = m ? c~ : c_{t-1}    h_t = m ? h~ : h_{t-1}     (m = mask[b] != 0)
// peep (nP, H): p_i, [p_f], p_o (Gers & Schmidhuber 2000 peepholes), or 0 for
// none. mask (B), or 0 for all steps real. c, h, tc (= tanh c~) are (B, H);
// cp, hp the previous state (B, H). No output may alias an input.
// Backward (ACCUMULATES into dz, dcp, dhp, dpeep): dh is the total dL/dh_t;
// dc holds dL/dc_t from the future on entry and the total dL/dc_t (future +
// through h_t) on exit. dcp, dhp may be 0: the error signal is not passed to
// step t-1 (t = 0, or a truncation boundary). A masked row passes dh and dc
// to the previous step unchanged and adds nothing else.
// Tails: one f32x4 loop over H per row, then scalars with the same arithmetic
// (../math/), so the twins agree bit for bit. Bench: bench/recurrent.mjs.
const ONE: f32 = 1.0;
import { sigmoidf_s, sigmoidf_v, tanhf_s, tanhf_v } from '../math/index';

// @ts-ignore: decorator
@inline function fwdRow(simd: bool, F: bool, P: bool, a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, peep: usize, m: bool, B: i32, H: i32, b: i32): void {
  const nG = F ? 4 : 3;
  const HB = <usize>H << 2; // bytes of one gate block in a row of z
  const GB = <usize>B * H << 2; // bytes of one gate block in a
  const zr = z + <usize>b * nG * HB;
  const sr = <usize>b * HB;
  const ar = a + sr;
  const gOff: usize = F ? HB * 2 : HB, oOff: usize = F ? HB * 3 : HB * 2;
  const gA: usize = F ? GB * 2 : GB, oA: usize = F ? GB * 3 : GB * 2;
  const pO: usize = F ? HB * 2 : HB;
  let j = 0;
  if (simd) {
    const vm = m ? i32x4.splat(-1) : i32x4.splat(0);
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const vcp = v128.load(cp + sr + o);
      let zi = v128.load(zr + o);
      let zo = v128.load(zr + oOff + o);
      if (P) zi = f32x4.add(zi, f32x4.mul(v128.load(peep + o), vcp));
      const vi = sigmoidf_v(zi);
      const vg = tanhf_v(v128.load(zr + gOff + o));
      let cn: v128;
      if (F) {
        let zf = v128.load(zr + HB + o);
        if (P) zf = f32x4.add(zf, f32x4.mul(v128.load(peep + HB + o), vcp));
        const vf = sigmoidf_v(zf);
        v128.store(ar + GB + o, vf);
        cn = f32x4.add(f32x4.mul(vf, vcp), f32x4.mul(vi, vg));
      } else cn = f32x4.add(vcp, f32x4.mul(vi, vg));
      if (P) zo = f32x4.add(zo, f32x4.mul(v128.load(peep + pO + o), cn));
      const vo = sigmoidf_v(zo);
      const t = tanhf_v(cn);
      const hn = f32x4.mul(vo, t);
      v128.store(ar + o, vi);
      v128.store(ar + gA + o, vg);
      v128.store(ar + oA + o, vo);
      v128.store(tc + sr + o, t);
      v128.store(c + sr + o, v128.bitselect(cn, vcp, vm));
      v128.store(h + sr + o, v128.bitselect(hn, v128.load(hp + sr + o), vm));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const vcp = load<f32>(cp + sr + o);
    let zi = load<f32>(zr + o);
    let zo = load<f32>(zr + oOff + o);
    if (P) zi = zi + load<f32>(peep + o) * vcp;
    const vi = sigmoidf_s(zi);
    const vg = tanhf_s(load<f32>(zr + gOff + o));
    let cn: f32;
    if (F) {
      let zf = load<f32>(zr + HB + o);
      if (P) zf = zf + load<f32>(peep + HB + o) * vcp;
      const vf = sigmoidf_s(zf);
      store<f32>(ar + GB + o, vf);
      cn = vf * vcp + vi * vg;
    } else cn = vcp + vi * vg;
    if (P) zo = zo + load<f32>(peep + pO + o) * cn;
    const vo = sigmoidf_s(zo);
    const t = tanhf_s(cn);
    const hn = vo * t;
    store<f32>(ar + o, vi);
    store<f32>(ar + gA + o, vg);
    store<f32>(ar + oA + o, vo);
    store<f32>(tc + sr + o, t);
    store<f32>(c + sr + o, m ? cn : vcp);
    store<f32>(h + sr + o, m ? hn : load<f32>(hp + sr + o));
  }
}

// @ts-ignore: decorator
@inline function fwd(simd: bool, F: bool, P: bool, a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, peep: usize, mask: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) {
    const m = mask == 0 || load<f32>(mask + (<usize>b << 2)) != 0;
    fwdRow(simd, F, P, a, c, h, tc, z, cp, hp, peep, m, B, H, b);
  }
}

// A masked row: the state carries over, so its error signals pass through.
// @ts-ignore: decorator
@inline function carryRow(simd: bool, dc: usize, dcp: usize, dhp: usize, dh: usize, sr: usize, H: i32): void {
  let j = 0;
  if (simd) {
    for (; j + 4 <= H; j += 4) {
      const o = sr + (<usize>j << 2);
      if (dcp) v128.store(dcp + o, f32x4.add(v128.load(dcp + o), v128.load(dc + o)));
      if (dhp) v128.store(dhp + o, f32x4.add(v128.load(dhp + o), v128.load(dh + o)));
    }
  }
  for (; j < H; j++) {
    const o = sr + (<usize>j << 2);
    if (dcp) store<f32>(dcp + o, load<f32>(dcp + o) + load<f32>(dc + o));
    if (dhp) store<f32>(dhp + o, load<f32>(dhp + o) + load<f32>(dh + o));
  }
}

// @ts-ignore: decorator
@inline function bwdRow(simd: bool, F: bool, P: bool, dz: usize, dc: usize, dcp: usize, dpeep: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, peep: usize, B: i32, H: i32, b: i32): void {
  const nG = F ? 4 : 3;
  const HB = <usize>H << 2;
  const GB = <usize>B * H << 2;
  const zr = dz + <usize>b * nG * HB;
  const sr = <usize>b * HB;
  const ar = a + sr;
  const gOff: usize = F ? HB * 2 : HB, oOff: usize = F ? HB * 3 : HB * 2;
  const gA: usize = F ? GB * 2 : GB, oA: usize = F ? GB * 3 : GB * 2;
  const pO: usize = F ? HB * 2 : HB;
  let j = 0;
  if (simd) {
    const one = f32x4.splat(1.0);
    for (; j + 4 <= H; j += 4) {
      const o = <usize>j << 2;
      const vi = v128.load(ar + o), vg = v128.load(ar + gA + o), vo = v128.load(ar + oA + o);
      const t = v128.load(tc + sr + o);
      const vdh = v128.load(dh + sr + o);
      const vcp = v128.load(cp + sr + o);
      const dzo = f32x4.mul(f32x4.mul(vdh, t), f32x4.mul(vo, f32x4.sub(one, vo)));
      let dcn = f32x4.add(v128.load(dc + sr + o), f32x4.mul(f32x4.mul(vdh, vo), f32x4.sub(one, f32x4.mul(t, t))));
      if (P) dcn = f32x4.add(dcn, f32x4.mul(dzo, v128.load(peep + pO + o)));
      v128.store(dc + sr + o, dcn);
      const dzi = f32x4.mul(f32x4.mul(dcn, vg), f32x4.mul(vi, f32x4.sub(one, vi)));
      const dzg = f32x4.mul(f32x4.mul(dcn, vi), f32x4.sub(one, f32x4.mul(vg, vg)));
      let dprev = dcn;
      if (F) {
        const vf = v128.load(ar + GB + o);
        const dzf = f32x4.mul(f32x4.mul(dcn, vcp), f32x4.mul(vf, f32x4.sub(one, vf)));
        v128.store(zr + HB + o, f32x4.add(v128.load(zr + HB + o), dzf));
        dprev = f32x4.mul(dcn, vf);
        if (P) {
          dprev = f32x4.add(dprev, f32x4.mul(dzf, v128.load(peep + HB + o)));
          v128.store(dpeep + HB + o, f32x4.add(v128.load(dpeep + HB + o), f32x4.mul(dzf, vcp)));
        }
      }
      if (P) {
        dprev = f32x4.add(dprev, f32x4.mul(dzi, v128.load(peep + o)));
        v128.store(dpeep + o, f32x4.add(v128.load(dpeep + o), f32x4.mul(dzi, vcp)));
        v128.store(dpeep + pO + o, f32x4.add(v128.load(dpeep + pO + o), f32x4.mul(dzo, v128.load(c + sr + o))));
      }
      if (dcp) v128.store(dcp + sr + o, f32x4.add(v128.load(dcp + sr + o), dprev));
      v128.store(zr + o, f32x4.add(v128.load(zr + o), dzi));
      v128.store(zr + gOff + o, f32x4.add(v128.load(zr + gOff + o), dzg));
      v128.store(zr + oOff + o, f32x4.add(v128.load(zr + oOff + o), dzo));
    }
  }
  for (; j < H; j++) {
    const o = <usize>j << 2;
    const vi = load<f32>(ar + o), vg = load<f32>(ar + gA + o), vo = load<f32>(ar + oA + o);
    const t = load<f32>(tc + sr + o);
    const vdh = load<f32>(dh + sr + o);
    const vcp = load<f32>(cp + sr + o);
    const dzo = (vdh * t) * (vo * (ONE - vo));
    let dcn = load<f32>(dc + sr + o) + (vdh * vo) * (ONE - t * t);
    if (P) dcn = dcn + dzo * load<f32>(peep + pO + o);
    store<f32>(dc + sr + o, dcn);
    const dzi = (dcn * vg) * (vi * (ONE - vi));
    const dzg = (dcn * vi) * (ONE - vg * vg);
    let dprev = dcn;
    if (F) {
      const vf = load<f32>(ar + GB + o);
      const dzf = (dcn * vcp) * (vf * (ONE - vf));
      store<f32>(zr + HB + o, load<f32>(zr + HB + o) + dzf);
      dprev = dcn * vf;
      if (P) {
        dprev = dprev + dzf * load<f32>(peep + HB + o);
        store<f32>(dpeep + HB + o, load<f32>(dpeep + HB + o) + dzf * vcp);
      }
    }
    if (P) {
      dprev = dprev + dzi * load<f32>(peep + o);
      store<f32>(dpeep + o, load<f32>(dpeep + o) + dzi * vcp);
      store<f32>(dpeep + pO + o, load<f32>(dpeep + pO + o) + dzo * load<f32>(c + sr + o));
    }
    if (dcp) store<f32>(dcp + sr + o, load<f32>(dcp + sr + o) + dprev);
    store<f32>(zr + o, load<f32>(zr + o) + dzi);
    store<f32>(zr + gOff + o, load<f32>(zr + gOff + o) + dzg);
    store<f32>(zr + oOff + o, load<f32>(zr + oOff + o) + dzo);
  }
}

// @ts-ignore: decorator
@inline function bwd(simd: bool, F: bool, P: bool, dz: usize, dc: usize, dcp: usize, dhp: usize, dpeep: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, peep: usize, mask: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) {
    const m = mask == 0 || load<f32>(mask + (<usize>b << 2)) != 0;
    if (m) bwdRow(simd, F, P, dz, dc, dcp, dpeep, a, c, cp, tc, dh, peep, B, H, b);
    else carryRow(simd, dc, dcp, dhp, dh, <usize>b * H << 2, H);
  }
}

// One function per (isa, forget, peephole): the flags specialise the loops.
function fwd_v_FP(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(true, true, true, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_v_F(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(true, true, false, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_v_P(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(true, false, true, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_v_(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(true, false, false, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_s_FP(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(false, true, true, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_s_F(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(false, true, false, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_s_P(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(false, false, true, a, c, h, tc, z, cp, hp, p, m, B, H); }
function fwd_s_(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, p: usize, m: usize, B: i32, H: i32): void { fwd(false, false, false, a, c, h, tc, z, cp, hp, p, m, B, H); }
function bwd_v_FP(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(true, true, true, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_v_F(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(true, true, false, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_v_P(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(true, false, true, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_v_(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(true, false, false, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_s_FP(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(false, true, true, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_s_F(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(false, true, false, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_s_P(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(false, false, true, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }
function bwd_s_(dz: usize, dc: usize, dcp: usize, dhp: usize, dp: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, p: usize, m: usize, B: i32, H: i32): void { bwd(false, false, false, dz, dc, dcp, dhp, dp, a, c, cp, tc, dh, p, m, B, H); }

/** One LSTM step forward, f32x4 (gates, c_t, h_t, tanh c~ from the pre-activations). */
export function lstm_cell_f32_simd(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, peep: usize, mask: usize, B: i32, H: i32, forget: i32): void {
  assert(B >= 0 && H >= 0);
  if (forget) { if (peep) fwd_v_FP(a, c, h, tc, z, cp, hp, peep, mask, B, H); else fwd_v_F(a, c, h, tc, z, cp, hp, peep, mask, B, H); }
  else if (peep) fwd_v_P(a, c, h, tc, z, cp, hp, peep, mask, B, H);
  else fwd_v_(a, c, h, tc, z, cp, hp, peep, mask, B, H);
}

/** One LSTM step forward, scalar twin. */
export function lstm_cell_f32_scalar(a: usize, c: usize, h: usize, tc: usize, z: usize, cp: usize, hp: usize, peep: usize, mask: usize, B: i32, H: i32, forget: i32): void {
  assert(B >= 0 && H >= 0);
  if (forget) { if (peep) fwd_s_FP(a, c, h, tc, z, cp, hp, peep, mask, B, H); else fwd_s_F(a, c, h, tc, z, cp, hp, peep, mask, B, H); }
  else if (peep) fwd_s_P(a, c, h, tc, z, cp, hp, peep, mask, B, H);
  else fwd_s_(a, c, h, tc, z, cp, hp, peep, mask, B, H);
}

/** One LSTM step backward, f32x4: dz, dcp, dhp, dpeep += ...; dc := total dL/dc_t. */
export function lstm_cell_bwd_f32_simd(dz: usize, dc: usize, dcp: usize, dhp: usize, dpeep: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, peep: usize, mask: usize, B: i32, H: i32, forget: i32): void {
  assert(B >= 0 && H >= 0 && (peep == 0) == (dpeep == 0));
  if (forget) { if (peep) bwd_v_FP(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H); else bwd_v_F(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H); }
  else if (peep) bwd_v_P(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H);
  else bwd_v_(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H);
}

/** One LSTM step backward, scalar twin. */
export function lstm_cell_bwd_f32_scalar(dz: usize, dc: usize, dcp: usize, dhp: usize, dpeep: usize, a: usize, c: usize, cp: usize, tc: usize, dh: usize, peep: usize, mask: usize, B: i32, H: i32, forget: i32): void {
  assert(B >= 0 && H >= 0 && (peep == 0) == (dpeep == 0));
  if (forget) { if (peep) bwd_s_FP(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H); else bwd_s_F(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H); }
  else if (peep) bwd_s_P(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H);
  else bwd_s_(dz, dc, dcp, dhp, dpeep, a, c, cp, tc, dh, peep, mask, B, H);
}
