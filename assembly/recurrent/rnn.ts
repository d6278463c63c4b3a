// Vanilla RNN cell, one time step, forward and backward side by side (#4).
//   rnn_cell_f32_*(h, z, hp, mask, B, H, kind)
//   rnn_cell_bwd_f32_*(dz, dhp, a, dh, mask, B, H, kind)
// z is (B, H): the pre-activation x_t Wx + h_{t-1} Wh + b on entry, the
// activation a = f(z) on exit (in place: f' is read from a, since tanh' =
// 1 - a^2, sigmoid' = a (1 - a), relu' = [a > 0]). h_t = m ? a : h_{t-1}, with
// m = mask[b] != 0 (mask (B), or 0 for all steps real). kind is ActKind:
// sigmoid (1), tanh (2) or relu (5). h must not alias z or hp.
// Backward ACCUMULATES: dz += dh f'(a) on real rows; dhp += dh on masked rows
// (the carried state); dhp may be 0 (no signal to step t-1). The recurrent
// path through Wh is a GEMM on dz, outside this kernel.
// Tails: one f32x4 loop over H per row, scalar tail with the same arithmetic
// (../eltwise/act_ops.ts), so the twins agree bit for bit.
import { act_s, act_v, dact_s, dact_v } from '../eltwise/act_ops';

// @ts-ignore: decorator
@inline function rowMask(mask: usize, b: i32): bool {
  return mask == 0 || load<f32>(mask + (<usize>b << 2)) != 0;
}

// @ts-ignore: decorator
@inline function fwd(simd: bool, kind: i32, h: usize, z: usize, hp: usize, mask: usize, B: i32, H: i32): void {
  const va = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    const m = rowMask(mask, b);
    const sr = <usize>b * H << 2;
    let j = 0;
    if (simd) {
      const vm = m ? i32x4.splat(-1) : i32x4.splat(0);
      for (; j + 4 <= H; j += 4) {
        const o = sr + (<usize>j << 2);
        const va_ = act_v(kind, v128.load(z + o), va);
        v128.store(z + o, va_);
        v128.store(h + o, v128.bitselect(va_, v128.load(hp + o), vm));
      }
    }
    for (; j < H; j++) {
      const o = sr + (<usize>j << 2);
      const a = act_s(kind, load<f32>(z + o), 0);
      store<f32>(z + o, a);
      store<f32>(h + o, m ? a : load<f32>(hp + o));
    }
  }
}

// @ts-ignore: decorator
@inline function bwd(simd: bool, kind: i32, dz: usize, dhp: usize, a: usize, dh: usize, mask: usize, B: i32, H: i32): void {
  const va = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    const m = rowMask(mask, b);
    if (!m && !dhp) continue;
    const sr = <usize>b * H << 2;
    const out = m ? dz : dhp;
    let j = 0;
    if (simd) {
      for (; j + 4 <= H; j += 4) {
        const o = sr + (<usize>j << 2);
        const g = v128.load(dh + o);
        let d = g;
        if (m) {
          const y = v128.load(a + o);
          d = f32x4.mul(g, dact_v(kind, y, y, va));
        }
        v128.store(out + o, f32x4.add(v128.load(out + o), d));
      }
    }
    for (; j < H; j++) {
      const o = sr + (<usize>j << 2);
      const g = load<f32>(dh + o);
      let d = g;
      if (m) {
        const y = load<f32>(a + o);
        d = g * dact_s(kind, y, y, 0);
      }
      store<f32>(out + o, load<f32>(out + o) + d);
    }
  }
}

function fwd_v1(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(true, 1, h, z, hp, m, B, H); }
function fwd_v2(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(true, 2, h, z, hp, m, B, H); }
function fwd_v5(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(true, 5, h, z, hp, m, B, H); }
function fwd_s1(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(false, 1, h, z, hp, m, B, H); }
function fwd_s2(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(false, 2, h, z, hp, m, B, H); }
function fwd_s5(h: usize, z: usize, hp: usize, m: usize, B: i32, H: i32): void { fwd(false, 5, h, z, hp, m, B, H); }
function bwd_v1(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(true, 1, dz, dhp, a, dh, m, B, H); }
function bwd_v2(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(true, 2, dz, dhp, a, dh, m, B, H); }
function bwd_v5(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(true, 5, dz, dhp, a, dh, m, B, H); }
function bwd_s1(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(false, 1, dz, dhp, a, dh, m, B, H); }
function bwd_s2(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(false, 2, dz, dhp, a, dh, m, B, H); }
function bwd_s5(dz: usize, dhp: usize, a: usize, dh: usize, m: usize, B: i32, H: i32): void { bwd(false, 5, dz, dhp, a, dh, m, B, H); }

/** One RNN step forward, f32x4: z := f(z); h := m ? z : hp. */
export function rnn_cell_f32_simd(h: usize, z: usize, hp: usize, mask: usize, B: i32, H: i32, kind: i32): void {
  assert(B >= 0 && H >= 0 && (kind == 1 || kind == 2 || kind == 5));
  if (kind == 1) fwd_v1(h, z, hp, mask, B, H);
  else if (kind == 2) fwd_v2(h, z, hp, mask, B, H);
  else fwd_v5(h, z, hp, mask, B, H);
}

/** One RNN step forward, scalar twin. */
export function rnn_cell_f32_scalar(h: usize, z: usize, hp: usize, mask: usize, B: i32, H: i32, kind: i32): void {
  assert(B >= 0 && H >= 0 && (kind == 1 || kind == 2 || kind == 5));
  if (kind == 1) fwd_s1(h, z, hp, mask, B, H);
  else if (kind == 2) fwd_s2(h, z, hp, mask, B, H);
  else fwd_s5(h, z, hp, mask, B, H);
}

/** One RNN step backward, f32x4 (accumulates). */
export function rnn_cell_bwd_f32_simd(dz: usize, dhp: usize, a: usize, dh: usize, mask: usize, B: i32, H: i32, kind: i32): void {
  assert(B >= 0 && H >= 0 && (kind == 1 || kind == 2 || kind == 5));
  if (kind == 1) bwd_v1(dz, dhp, a, dh, mask, B, H);
  else if (kind == 2) bwd_v2(dz, dhp, a, dh, mask, B, H);
  else bwd_v5(dz, dhp, a, dh, mask, B, H);
}

/** One RNN step backward, scalar twin. */
export function rnn_cell_bwd_f32_scalar(dz: usize, dhp: usize, a: usize, dh: usize, mask: usize, B: i32, H: i32, kind: i32): void {
  assert(B >= 0 && H >= 0 && (kind == 1 || kind == 2 || kind == 5));
  if (kind == 1) bwd_s1(dz, dhp, a, dh, mask, B, H);
  else if (kind == 2) bwd_s2(dz, dhp, a, dh, mask, B, H);
  else bwd_s5(dz, dhp, a, dh, mask, B, H);
}
