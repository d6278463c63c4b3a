// Patch and pooling kernels (assembly/conv, assembly/pool): SIMD against the
// scalar twin (bit-identical) over channel counts 1..9 (every tail of the
// 4-lane groups and of the 16-float runs), odd sizes, strides 1-3, valid and
// same padding, with canaries after every output; and each against a direct
// JavaScript definition (patches read tap by tap, windows scanned in order).
import { describe, expect, it } from 'vitest'
import { bench, randomF32 } from '../helpers/kernels'

interface Geo { b: number; h: number; w: number; c: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; oh: number; ow: number }

/** TensorFlow's output size and leading pad for one axis. */
const axis = (n: number, k: number, s: number, same: boolean): [number, number] => {
  if (!same) return [Math.floor((n - k) / s) + 1, 0]
  const o = Math.ceil(n / s)
  return [o, Math.floor(Math.max((o - 1) * s + k - n, 0) / 2)]
}
const geo = (b: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, same: boolean): Geo => {
  const [oh, ph] = axis(h, kh, sh, same), [ow, pw] = axis(w, kw, sw, same)
  return { b, h, w, c, kh, kw, sh, sw, ph, pw, oh, ow }
}
const args = (g: Geo) => [g.b, g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.oh, g.ow] as const

/** Geometries: channels 1..9, odd image sizes, kernels 1-3 (and one wider than tall), strides 1-3, both paddings. */
const cases = (): Geo[] => {
  const out: Geo[] = []
  for (let c = 1; c <= 9; c++)
    for (const [h, w, kh, kw, s] of [[5, 7, 3, 3, 1], [7, 5, 3, 2, 2], [6, 9, 2, 3, 3], [4, 4, 1, 1, 2], [9, 9, 5, 5, 2]] as const)
      for (const same of [false, true]) if (same || (h >= kh && w >= kw)) out.push(geo(c % 3 === 0 ? 2 : 1, h, w, c, kh, kw, s, s, same))
  return out
}
const name = (g: Geo) => `x (${g.b}, ${g.h}, ${g.w}, ${g.c}), window ${g.kh}x${g.kw}, stride ${g.sh}, pad ${g.ph},${g.pw} -> ${g.oh}x${g.ow}`
/** The (iy, ix) of tap (ky, kx) of output (oy, ox), or null for padding. */
const tapAt = (g: Geo, oy: number, ox: number, ky: number, kx: number): [number, number] | null => {
  const iy = oy * g.sh - g.ph + ky, ix = ox * g.sw - g.pw + kx
  return iy >= 0 && iy < g.h && ix >= 0 && ix < g.w ? [iy, ix] : null
}
const X = (g: Geo, bi: number, iy: number, ix: number, ci: number) => ((bi * g.h + iy) * g.w + ix) * g.c + ci
const Y = (g: Geo, bi: number, oy: number, ox: number, ci: number) => ((bi * g.oh + oy) * g.ow + ox) * g.c + ci
const each = (g: Geo, f: (bi: number, oy: number, ox: number) => void) => {
  for (let bi = 0; bi < g.b; bi++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) f(bi, oy, ox)
}

describe('im2col_f32 / col2im_f32', () => {
  const k = bench()
  it.each(cases().map((g) => [name(g), g] as const))('%s', (_, g) => {
    k.reset()
    const nx = g.b * g.h * g.w * g.c, K = g.kh * g.kw * g.c, rows = g.b * g.oh * g.ow
    const x = randomF32(nx, nx + g.c, -1, 1), col = randomF32(rows * K, K + 3, -1, 1), dx0 = randomF32(nx, 17, -0.5, 0.5)
    const px = k.put(x), pcol = k.put(col)
    const run = (simd: boolean) => {
      const out = k.alloc(rows * K), dx = k.put(dx0)
      ;(simd ? k.k.im2col_f32_simd : k.k.im2col_f32_scalar)(out, px, ...args(g))
      ;(simd ? k.k.col2im_f32_simd : k.k.col2im_f32_scalar)(dx, pcol, ...args(g))
      expect(k.canaryOk(out, rows * K) && k.canaryOk(dx, nx)).toBe(true)
      return [k.f32(out, rows * K), k.f32(dx, nx)] as const
    }
    const [s, c] = [run(true), run(false)]
    expect(Array.from(s[0])).toEqual(Array.from(c[0]))
    expect(Array.from(s[1])).toEqual(Array.from(c[1]))
    const want = new Float32Array(rows * K), dx = Float64Array.from(dx0)
    let r = 0
    each(g, (bi, oy, ox) => {
      for (let ky = 0; ky < g.kh; ky++)
        for (let kx = 0; kx < g.kw; kx++) {
          const t = tapAt(g, oy, ox, ky, kx)
          for (let ci = 0; ci < g.c; ci++) {
            const j = r * K + (ky * g.kw + kx) * g.c + ci
            if (t) want[j] = x[X(g, bi, t[0], t[1], ci)]!
            if (t) dx[X(g, bi, t[0], t[1], ci)]! += col[j]!
          }
        }
      r++
    })
    expect(Array.from(s[0])).toEqual(Array.from(want))
    s[1].forEach((v, i) => expect(Math.abs(v - dx[i]!)).toBeLessThan(1e-5))
  })
})

describe('maxpool_f32 / avgpool_f32 and their backward', () => {
  const k = bench()
  it.each(cases().map((g) => [name(g), g] as const))('%s', (_, g) => {
    k.reset()
    const nx = g.b * g.h * g.w * g.c, ny = g.b * g.oh * g.ow * g.c
    // ties on purpose (values rounded to 1/4): the first maximum must win in both twins
    const x = randomF32(nx, nx + 7, -2, 2).map((v) => Math.round(v * 4) / 4), dy = randomF32(ny, ny + 5, -1, 1), dx0 = randomF32(nx, 23, -0.5, 0.5)
    const px = k.put(x), pdy = k.put(dy)
    const run = (simd: boolean) => {
      const y = k.alloc(ny), idx = k.alloc(ny), a = k.alloc(ny), dxm = k.put(dx0), dxa = k.put(dx0)
      ;(simd ? k.k.maxpool_f32_simd : k.k.maxpool_f32_scalar)(y, idx, px, ...args(g))
      ;(simd ? k.k.maxpool_bwd_f32_simd : k.k.maxpool_bwd_f32_scalar)(dxm, idx, pdy, ...args(g))
      ;(simd ? k.k.avgpool_f32_simd : k.k.avgpool_f32_scalar)(a, px, ...args(g))
      ;(simd ? k.k.avgpool_bwd_f32_simd : k.k.avgpool_bwd_f32_scalar)(dxa, pdy, ...args(g))
      for (const [p, n] of [[y, ny], [idx, ny], [a, ny], [dxm, nx], [dxa, nx]] as const) expect(k.canaryOk(p, n)).toBe(true)
      return [k.f32(y, ny), k.i32(idx, ny), k.f32(a, ny), k.f32(dxm, nx), k.f32(dxa, nx)] as const
    }
    const [s, c] = [run(true), run(false)]
    s.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(c[i]!)))
    const dxm = Float64Array.from(dx0), dxa = Float64Array.from(dx0)
    each(g, (bi, oy, ox) => {
      for (let ci = 0; ci < g.c; ci++) {
        let best = -Infinity, at = -1, sum = 0
        const taps: Array<[number, number]> = []
        for (let ky = 0; ky < g.kh; ky++)
          for (let kx = 0; kx < g.kw; kx++) {
            const t = tapAt(g, oy, ox, ky, kx)
            if (!t) continue
            const v = x[X(g, bi, t[0], t[1], ci)]!
            taps.push(t)
            sum += v
            if (v > best) [best, at] = [v, ky * g.kw + kx]
          }
        const o = Y(g, bi, oy, ox, ci)
        expect([s[0][o], s[1][o]]).toEqual([best, at])
        expect(Math.abs(s[2][o]! - sum / taps.length)).toBeLessThan(1e-6)
        dxm[X(g, bi, oy * g.sh - g.ph + Math.floor(at / g.kw), ox * g.sw - g.pw + (at % g.kw), ci)]! += dy[o]!
        for (const [iy, ix] of taps) dxa[X(g, bi, iy, ix, ci)]! += dy[o]! / taps.length
      }
    })
    s[3].forEach((v, i) => expect(Math.abs(v - dxm[i]!)).toBeLessThan(1e-6))
    s[4].forEach((v, i) => expect(Math.abs(v - dxa[i]!)).toBeLessThan(1e-6))
  })
})
