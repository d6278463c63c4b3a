// Max and average pooling over NHWC windows, forward and backward side by side.
//
//   x is (B, H, W, C), y and idx are (B, OH, OW, C); window (KH, KW), strides
//   (SH, SW), padding (PH, PW) before the first row/column: the taps of output
//   (oy, ox) are iy = oy*SH - PH + ky, ix = ox*SW - PW + kx, and only taps
//   inside the image count (padding is never a maximum and not in an average,
//   as TensorFlow's SAME pooling). Every window must hold at least one tap.
//
//   maxpool_f32      y = max over taps, idx (i32) = ky*KW + kx of the first
//                    maximum (a later tap wins only if strictly greater; NaN never wins)
//   maxpool_bwd_f32  dx[tap idx] += dy         (accumulates)
//   avgpool_f32      y = (sum of taps in order ky, kx) / taps
//   avgpool_bwd_f32  dx[each tap] += dy / taps (accumulates)
//   globalAvgPool is avgpool with the window (H, W) and no padding.
//
// Channels are contiguous (NHWC), so the SIMD kernels take 4 channels a lane
// group (compare + bitselect for the max, a masked add for its backward) and
// the scalar tail takes the rest; the scalar twins do the same operations per
// channel in the same order: bit-identical. Outputs must not alias inputs.
// Bench: node --expose-gc bench/run.mjs --filter conv

/** In-bounds taps [k0, k1) of a window starting at input coordinate i0 over an axis of n. */
// @ts-ignore: decorator
@inline function clampLo(i0: i32): i32 {
  return i0 < 0 ? -i0 : 0;
}
// @ts-ignore: decorator
@inline function clampHi(i0: i32, k: i32, n: i32): i32 {
  return i0 + k > n ? n - i0 : k;
}

/** One output pixel of max pooling: all channels of the window at xb, taps [ky0, ky1) x [kx0, kx1). */
function maxPixel(yo: usize, io: usize, xb: usize, w: i32, pixel: usize, c4: i32, kw: i32, iy0: i32, ix0: i32, ky0: i32, ky1: i32, kx0: i32, kx1: i32): void {
  const first = xb + (<usize>(iy0 + ky0) * w + ix0 + kx0) * pixel;
  for (let o: usize = 0; o < (<usize>c4 << 2); o += 16) {
    let vbest = v128.load(first + o);
    let vidx = i32x4.splat(ky0 * kw + kx0);
    for (let ky = ky0; ky < ky1; ky++) {
      for (let kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {
        const v = v128.load(xb + (<usize>(iy0 + ky) * w + ix0 + kx) * pixel + o);
        const gt = f32x4.gt(v, vbest);
        vbest = v128.bitselect(v, vbest, gt);
        vidx = v128.bitselect(i32x4.splat(ky * kw + kx), vidx, gt);
      }
    }
    v128.store(yo + o, vbest);
    v128.store(io + o, vidx);
  }
  for (let o = <usize>c4 << 2; o < pixel; o += 4) {
    let best = load<f32>(first + o);
    let bidx = ky0 * kw + kx0;
    for (let ky = ky0; ky < ky1; ky++) {
      for (let kx = ky == ky0 ? kx0 + 1 : kx0; kx < kx1; kx++) {
        const v = load<f32>(xb + (<usize>(iy0 + ky) * w + ix0 + kx) * pixel + o);
        if (v > best) { best = v; bidx = ky * kw + kx; }
      }
    }
    store<f32>(yo + o, best);
    store<i32>(io + o, bidx);
  }
}

function maxFwd(y: usize, idx: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, simd: bool): void {
  assert(b >= 0 && h > 0 && w > 0 && c > 0 && kh > 0 && kw > 0 && sh > 0 && sw > 0);
  const pixel = <usize>c << 2;
  const c4 = simd ? c & ~3 : 0;
  let out: usize = 0;
  for (let bi = 0; bi < b; bi++) {
    const xb = x + <usize>bi * h * w * pixel;
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - ph, ky0 = clampLo(iy0), ky1 = clampHi(iy0, kh, h);
      for (let ox = 0; ox < ow; ox++, out += pixel) {
        const ix0 = ox * sw - pw, kx0 = clampLo(ix0), kx1 = clampHi(ix0, kw, w);
        assert(ky1 > ky0 && kx1 > kx0, 'pool: empty window');
        maxPixel(y + out, idx + out, xb, w, pixel, c4, kw, iy0, ix0, ky0, ky1, kx0, kx1);
      }
    }
  }
}

function maxBwd(dx: usize, idx: usize, dy: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, simd: bool): void {
  assert(b >= 0 && h > 0 && w > 0 && c > 0 && kh > 0 && kw > 0 && sh > 0 && sw > 0);
  const pixel = <usize>c << 2;
  const c4 = simd ? c & ~3 : 0;
  let out: usize = 0;
  for (let bi = 0; bi < b; bi++) {
    const xb = dx + <usize>bi * h * w * pixel;
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - ph, ky0 = clampLo(iy0), ky1 = clampHi(iy0, kh, h);
      for (let ox = 0; ox < ow; ox++, out += pixel) {
        const ix0 = ox * sw - pw, kx0 = clampLo(ix0), kx1 = clampHi(ix0, kw, w);
        for (let ky = ky0; ky < ky1; ky++) {
          for (let kx = kx0; kx < kx1; kx++) {
            const tap = xb + (<usize>(iy0 + ky) * w + ix0 + kx) * pixel;
            const pos = ky * kw + kx;
            const vpos = i32x4.splat(pos);
            for (let o: usize = 0; o < (<usize>c4 << 2); o += 16) {
              const m = i32x4.eq(v128.load(idx + out + o), vpos);
              v128.store(tap + o, f32x4.add(v128.load(tap + o), v128.and(v128.load(dy + out + o), m)));
            }
            for (let o = <usize>c4 << 2; o < pixel; o += 4) {
              const g: f32 = load<i32>(idx + out + o) == pos ? load<f32>(dy + out + o) : 0;
              store<f32>(tap + o, load<f32>(tap + o) + g);
            }
          }
        }
      }
    }
  }
}

/** One output pixel of average pooling: y at yo from the window at xb (forward), or dx at xb += dy at yo / taps (backward). */
function avgPixel(yo: usize, xb: usize, w: i32, pixel: usize, c4: i32, iy0: i32, ix0: i32, ky0: i32, ky1: i32, kx0: i32, kx1: i32, backward: bool): void {
  const taps = <f32>((ky1 - ky0) * (kx1 - kx0));
  for (let o: usize = 0; o < (<usize>c4 << 2); o += 16) {
    const g = backward ? f32x4.div(v128.load(yo + o), f32x4.splat(taps)) : f32x4.splat(0);
    let s = f32x4.splat(0);
    for (let ky = ky0; ky < ky1; ky++)
      for (let kx = kx0; kx < kx1; kx++) {
        const t = xb + (<usize>(iy0 + ky) * w + ix0 + kx) * pixel + o;
        if (backward) v128.store(t, f32x4.add(v128.load(t), g));
        else s = f32x4.add(s, v128.load(t));
      }
    if (!backward) v128.store(yo + o, f32x4.div(s, f32x4.splat(taps)));
  }
  for (let o = <usize>c4 << 2; o < pixel; o += 4) {
    const g: f32 = backward ? load<f32>(yo + o) / taps : 0;
    let s: f32 = 0;
    for (let ky = ky0; ky < ky1; ky++)
      for (let kx = kx0; kx < kx1; kx++) {
        const t = xb + (<usize>(iy0 + ky) * w + ix0 + kx) * pixel + o;
        if (backward) store<f32>(t, load<f32>(t) + g);
        else s += load<f32>(t);
      }
    if (!backward) store<f32>(yo + o, s / taps);
  }
}

/** Average pooling: out is y (forward) or dx (backward), inp is x (forward) or dy (backward). */
function avg(out: usize, inp: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32, simd: bool, backward: bool): void {
  assert(b >= 0 && h > 0 && w > 0 && c > 0 && kh > 0 && kw > 0 && sh > 0 && sw > 0);
  const pixel = <usize>c << 2;
  const c4 = simd ? c & ~3 : 0;
  let p: usize = 0; // byte offset of the output pixel (y forward, dy backward)
  for (let bi = 0; bi < b; bi++) {
    const xb = (backward ? out : inp) + <usize>bi * h * w * pixel;
    const yb = backward ? inp : out;
    for (let oy = 0; oy < oh; oy++) {
      const iy0 = oy * sh - ph, ky0 = clampLo(iy0), ky1 = clampHi(iy0, kh, h);
      for (let ox = 0; ox < ow; ox++, p += pixel) {
        const ix0 = ox * sw - pw, kx0 = clampLo(ix0), kx1 = clampHi(ix0, kw, w);
        assert(ky1 > ky0 && kx1 > kx0, 'pool: empty window');
        avgPixel(yb + p, xb, w, pixel, c4, iy0, ix0, ky0, ky1, kx0, kx1, backward);
      }
    }
  }
}

/** y, idx (B, OH, OW, C) = max over each window of x (B, H, W, C), idx the window position of the first maximum. */
export function maxpool_f32_simd(y: usize, idx: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  maxFwd(y, idx, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true);
}
/** Scalar twin of maxpool_f32_simd. */
export function maxpool_f32_scalar(y: usize, idx: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  maxFwd(y, idx, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false);
}
/** dx (B, H, W, C) += dy (B, OH, OW, C) routed to each window's recorded maximum. */
export function maxpool_bwd_f32_simd(dx: usize, idx: usize, dy: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  maxBwd(dx, idx, dy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true);
}
/** Scalar twin of maxpool_bwd_f32_simd. */
export function maxpool_bwd_f32_scalar(dx: usize, idx: usize, dy: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  maxBwd(dx, idx, dy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false);
}
/** y (B, OH, OW, C) = mean of each window's in-image taps of x (B, H, W, C). */
export function avgpool_f32_simd(y: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  avg(y, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true, false);
}
/** Scalar twin of avgpool_f32_simd. */
export function avgpool_f32_scalar(y: usize, x: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  avg(y, x, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false, false);
}
/** dx (B, H, W, C) += dy / taps on each window's taps. */
export function avgpool_bwd_f32_simd(dx: usize, dy: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  avg(dx, dy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, true, true);
}
/** Scalar twin of avgpool_bwd_f32_simd. */
export function avgpool_bwd_f32_scalar(dx: usize, dy: usize, b: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, oh: i32, ow: i32): void {
  avg(dx, dy, b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow, false, true);
}
