/**
 * The float64 reference forward of the image layers (#12), written from the
 * definitions, tap by tap (no im2col, no GEMM): conv2d, maxPool, avgPool,
 * globalAvgPool and flatten over NHWC (B, H, W, C) tensors, with TensorFlow's
 * padding (same: OH = ceil(H / s), the smaller half of the padding first).
 * reference.ts hands its unknown kinds here with the helpers it walks with.
 * batchNorm normalises each feature of the last axis with the batch's mean and
 * biased variance in a training call, with a fresh state's running statistics
 * (mean 0, variance 1) otherwise.
 *
 * Max pooling records one kink per window and channel: z is the position of
 * the maximum and dist half the gap to the runner-up, so a coordinate whose
 * finite difference flips the maximum is skipped, as a ReLU at 0 is.
 */
import type { ActName, Kinks, T64 } from './reference'

export interface Helpers {
  readonly B: number
  /** a training call (batch statistics) or inference (a fresh state's running statistics: mean 0, variance 1) */
  readonly training: boolean
  readonly kinks: Kinks
  /** the next parameter tensor (checks its path and size) */
  readonly take: (path: string, n: number) => Float64Array
  readonly act: (fn: ActName, alpha: number, z: Float64Array) => Float64Array
  /** counts a leaf layer (dropout salts) */
  readonly leaf: () => void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any

const pair = (p: number | readonly [number, number]): [number, number] => (typeof p === 'number' ? [p, p] : [p[0], p[1]])
const axis = (n: number, k: number, s: number, same: boolean): [number, number] => {
  if (!same) return [Math.floor((n - k) / s) + 1, 0]
  const o = Math.ceil(n / s)
  return [o, Math.floor(Math.max((o - 1) * s + k - n, 0) / 2)]
}

interface Win { H: number; W: number; C: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; oh: number; ow: number }
const window = (shape: ReadonlyArray<number>, kernel: Spec, stride: Spec, same: boolean): Win => {
  const [H, W, C] = shape as [number, number, number]
  const [kh, kw] = pair(kernel), [sh, sw] = pair(stride)
  const [oh, ph] = axis(H, kh, sh, same), [ow, pw] = axis(W, kw, sw, same)
  return { H, W, C, kh, kw, sh, sw, ph, pw, oh, ow }
}
/** The in-image taps of output (oy, ox): [ky, kx, iy, ix]. */
const taps = (g: Win, oy: number, ox: number): Array<[number, number, number, number]> => {
  const out: Array<[number, number, number, number]> = []
  for (let ky = 0; ky < g.kh; ky++)
    for (let kx = 0; kx < g.kw; kx++) {
      const iy = oy * g.sh - g.ph + ky, ix = ox * g.sw - g.pw + kx
      if (iy >= 0 && iy < g.H && ix >= 0 && ix < g.W) out.push([ky, kx, iy, ix])
    }
  return out
}

const conv2d = (h: Helpers, spec: Spec, path: string, x: T64): T64 => {
  const g = window(x.shape, spec.kernel, spec.stride ?? 1, (spec.padding ?? 'same') === 'same')
  const O: number = spec.filters
  const Wt = h.take(`${path}/W`, g.kh * g.kw * g.C * O)
  const b = spec.useBias === false ? null : h.take(`${path}/b`, O)
  const z = new Float64Array(h.B * g.oh * g.ow * O)
  for (let bi = 0; bi < h.B; bi++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        const ts = taps(g, oy, ox)
        for (let o = 0; o < O; o++) {
          let s = b ? b[o]! : 0
          for (const [ky, kx, iy, ix] of ts)
            for (let c = 0; c < g.C; c++) s += x.data[((bi * g.H + iy) * g.W + ix) * g.C + c]! * Wt[((ky * g.kw + kx) * g.C + c) * O + o]!
          z[((bi * g.oh + oy) * g.ow + ox) * O + o] = s
        }
      }
  const fn: ActName = spec.activation ?? 'identity'
  const alpha = spec.alpha ?? (fn === 'leakyRelu' ? 0.01 : fn === 'elu' ? 1 : 0)
  return { shape: [g.oh, g.ow, O], data: fn === 'identity' ? z : h.act(fn, alpha, z) }
}

const pool = (h: Helpers, x: T64, g: Win, max: boolean): T64 => {
  const y = new Float64Array(h.B * g.oh * g.ow * g.C)
  for (let bi = 0; bi < h.B; bi++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++) {
        const ts = taps(g, oy, ox)
        for (let c = 0; c < g.C; c++) {
          const vs = ts.map(([, , iy, ix]) => x.data[((bi * g.H + iy) * g.W + ix) * g.C + c]!)
          let v = vs.reduce((a, u) => a + u, 0) / vs.length
          if (max) {
            const at = vs.reduce((best, u, i) => (u > vs[best]! ? i : best), 0)
            const second = Math.max(...vs.filter((_, i) => i !== at))
            v = vs[at]!
            h.kinks.z.push(at)
            h.kinks.dist.push(vs.length > 1 ? (v - second) / 2 : Infinity)
          }
          y[((bi * g.oh + oy) * g.ow + ox) * g.C + c] = v
        }
      }
  return { shape: [g.oh, g.ow, g.C], data: y }
}

const batchNorm = (h: Helpers, spec: Spec, path: string, x: T64): T64 => {
  const C = x.shape[x.shape.length - 1] ?? 1
  const gamma = h.take(`${path}/gamma`, C), beta = h.take(`${path}/beta`, C)
  const rows = x.data.length / C, eps = spec.eps ?? 1e-5
  const mean = new Float64Array(C), vr = new Float64Array(C).fill(1)
  if (h.training) {
    vr.fill(0)
    x.data.forEach((v, i) => (mean[i % C]! += v / rows))
    x.data.forEach((v, i) => (vr[i % C]! += (v - mean[i % C]!) ** 2 / rows))
  }
  return { shape: x.shape, data: x.data.map((v, i) => ((v - mean[i % C]!) / Math.sqrt(vr[i % C]! + eps)) * gamma[i % C]! + beta[i % C]!) }
}

/** The reference of an image layer (or batch norm), or null for a kind it does not know. */
export const imageNode = (h: Helpers, spec: Spec, path: string, x: T64): T64 | null => {
  switch (spec.kind) {
    case 'conv2d':
      h.leaf()
      return conv2d(h, spec, path, x)
    case 'maxPool':
    case 'avgPool':
      h.leaf()
      return pool(h, x, window(x.shape, spec.kernel, spec.stride ?? spec.kernel, spec.padding === 'same'), spec.kind === 'maxPool')
    case 'globalAvgPool': {
      h.leaf()
      const y = pool(h, x, window(x.shape, [x.shape[0]!, x.shape[1]!], 1, false), false)
      return { shape: [y.shape[2]!], data: y.data }
    }
    case 'batchNorm':
      h.leaf()
      return batchNorm(h, spec, path, x)
    case 'flatten':
      return { shape: [x.shape.reduce((a, b) => a * b, 1)], data: x.data }
    default:
      return null
  }
}
