/**
 * A float64 reference FORWARD for network specs: every built-in layer kind
 * (dense with fused activation, activation, dropout, layerNorm) and combinator (serial,
 * parallel, fanOut, fanInSum, fanInConcat, identity, residual), every
 * activation and every loss, written from the formulas in the docs
 * (src/layer/*, assembly/eltwise/act_ops.ts, src/loss/Loss.ts), not from the
 * plan code. Parameters are Float64Array copies of the model's parameters in
 * model.params order; the reference walks the spec in the same order and
 * returns the parameter paths it consumed so a test can check the order.
 *
 * Dropout is the identity unless `dropoutKey` is given (a training call):
 * then leaf layer number `salt` (1-based, in build order) draws its mask from
 * Key.uniform01(fromWords(k0, k1 ^ salt), i) >= rate, as `dropout_f32` does.
 *
 * Kinks: every pre-activation of relu, leakyRelu, elu, selu (at 0) and
 * hardTanh (at +-1) is recorded, so a gradient check can skip coordinates
 * that move a unit near a kink.
 */
import * as Key from '../../src/core/Key'
import { imageNode } from './referenceConv'

// model ----------------------------------------------------------------------

export type ActName = 'identity' | 'sigmoid' | 'tanh' | 'hardTanh' | 'softsign' | 'relu' | 'leakyRelu' | 'elu' | 'selu' | 'gelu' | 'softplus'
export const ACTS: ReadonlyArray<ActName> = ['identity', 'sigmoid', 'tanh', 'hardTanh', 'softsign', 'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus']
export type LossName = 'softmaxCrossEntropy' | 'mse' | 'binaryCrossEntropy'

/** A batch-major f64 tensor: (B, ...shape). */
export interface T64 {
  readonly shape: ReadonlyArray<number>
  readonly data: Float64Array
}
type V = T64 | { readonly tuple: ReadonlyArray<V> }
const isTuple = (v: V): v is { readonly tuple: ReadonlyArray<V> } => 'tuple' in v

export type Targets = { readonly kind: 'labels'; readonly labels: Int32Array } | { readonly kind: 'dense'; readonly data: Float64Array }

export interface RefOptions {
  /** dropout key words of the call (valueAndGrad's `key`); omitted: inference (no dropout) */
  readonly dropoutKey?: readonly [number, number]
}

/** What one forward pass saw: kinked pre-activations (value and nearest-kink distance). */
export interface Kinks {
  readonly z: number[]
  readonly dist: number[]
}

export interface ForwardResult {
  readonly y: T64
  readonly paths: ReadonlyArray<string>
  readonly kinks: Kinks
}

// activations ------------------------------------------------------------------

const SELU_L = 1.0507009873554805
const SELU_A = 1.6732632423543772
const GELU_C = Math.sqrt(2 / Math.PI)

export const defaultAlpha = (fn: ActName): number => (fn === 'leakyRelu' ? 0.01 : fn === 'elu' ? 1 : 0)

/** f(x) in float64. */
export const act = (fn: ActName, x: number, alpha: number): number => {
  switch (fn) {
    case 'identity':
      return x
    case 'sigmoid':
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))
    case 'tanh':
      return Math.tanh(x)
    case 'hardTanh':
      return Math.min(1, Math.max(-1, x))
    case 'softsign':
      return x / (1 + Math.abs(x))
    case 'relu':
      return x > 0 ? x : 0
    case 'leakyRelu':
      return x > 0 ? x : alpha * x
    case 'elu':
      return x > 0 ? x : alpha * Math.expm1(x)
    case 'selu':
      return x > 0 ? SELU_L * x : SELU_L * SELU_A * Math.expm1(x)
    case 'gelu':
      return 0.5 * x * (1 + Math.tanh(GELU_C * (x + 0.044715 * x * x * x)))
    case 'softplus':
      return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
  }
}

/** Kink points of an activation (where f' jumps), or none. */
export const kinkPoints = (fn: ActName): ReadonlyArray<number> =>
  fn === 'relu' || fn === 'leakyRelu' || fn === 'elu' || fn === 'selu' ? [0] : fn === 'hardTanh' ? [-1, 1] : []

// forward ----------------------------------------------------------------------

const size = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

interface Walk {
  readonly params: ReadonlyArray<Float64Array>
  readonly B: number
  readonly opts: RefOptions
  readonly paths: string[]
  readonly kinks: Kinks
  cursor: number
  salt: number
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any

const take = (w: Walk, path: string, n: number): Float64Array => {
  const p = w.params[w.cursor]
  if (!p) throw new Error(`reference: ran out of parameters at ${path}`)
  if (p.length !== n) throw new Error(`reference: ${path} has ${p.length} elements, expected ${n}`)
  w.cursor++
  w.paths.push(path)
  return p
}

const applyAct = (w: Walk, fn: ActName, alpha: number, z: Float64Array): Float64Array => {
  const kp = kinkPoints(fn)
  const y = new Float64Array(z.length)
  for (let i = 0; i < z.length; i++) {
    const v = z[i]!
    if (kp.length > 0) {
      w.kinks.z.push(v)
      w.kinks.dist.push(Math.min(...kp.map((k) => Math.abs(v - k))))
    }
    y[i] = act(fn, v, alpha)
  }
  return y
}

const dense = (w: Walk, spec: Spec, path: string, x: T64): T64 => {
  const I = x.shape[x.shape.length - 1] ?? 1
  const O: number = spec.units
  const rows = (w.B * size(x.shape)) / I
  const W = take(w, `${path}/W`, I * O)
  const b = spec.useBias === false ? null : take(w, `${path}/b`, O)
  const z = new Float64Array(rows * O)
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < O; o++) {
      let s = b ? b[o]! : 0
      for (let i = 0; i < I; i++) s += x.data[r * I + i]! * W[i * O + o]!
      z[r * O + o] = s
    }
  const fn: ActName = spec.activation ?? 'identity'
  const y = fn === 'identity' ? z : applyAct(w, fn, spec.alpha ?? defaultAlpha(fn), z)
  return { shape: [...x.shape.slice(0, -1), O], data: y }
}

const dropout = (w: Walk, spec: Spec, salt: number, x: T64): T64 => {
  if (!w.opts.dropoutKey || !(spec.rate > 0)) return x
  const [k0, k1] = w.opts.dropoutKey
  const k = Key.fromWords(k0, (k1 ^ salt) >>> 0)
  const rate = Math.fround(spec.rate)
  const scale = 1 / (1 - rate)
  return { shape: x.shape, data: x.data.map((v, i) => (Key.uniform01(k, i) >= rate ? v * scale : 0)) }
}

/** The dropout mask (0 or 1/(1-rate)) a training call with these key words draws for leaf number `salt`. */
export const dropoutMask = (key: readonly [number, number], salt: number, rate: number, n: number): Float64Array => {
  const k = Key.fromWords(key[0], (key[1] ^ salt) >>> 0)
  const r = Math.fround(rate)
  return Float64Array.from({ length: n }, (_, i) => (Key.uniform01(k, i) >= r ? 1 / (1 - r) : 0))
}

const port = (v: V, path: string): T64 => {
  if (isTuple(v)) throw new Error(`reference: ${path} expects a single tensor`)
  return v
}

const node = (w: Walk, spec: Spec, path: string, input: V): V => {
  switch (spec.kind) {
    case 'dense': {
      w.salt++
      return dense(w, spec, path, port(input, path))
    }
    case 'activation': {
      w.salt++
      const x = port(input, path)
      return { shape: x.shape, data: applyAct(w, spec.fn, spec.alpha ?? defaultAlpha(spec.fn), x.data) }
    }
    case 'dropout': {
      const salt = w.salt++
      return dropout(w, spec, salt, port(input, path))
    }
    case 'serial':
      return (spec.layers as Spec[]).reduce((v: V, l: Spec, i: number) => node(w, l, `${path}/${i}/${l.kind}`, v), input)
    case 'parallel': {
      if (!isTuple(input)) throw new Error(`reference: ${path} expects a tuple`)
      return { tuple: (spec.layers as Spec[]).map((l: Spec, i: number) => node(w, l, `${path}/${i}/${l.kind}`, input.tuple[i]!)) }
    }
    case 'fanOut':
      return { tuple: Array.from({ length: spec.n }, () => input) }
    case 'identity':
      return input
    case 'fanInSum': {
      if (!isTuple(input)) throw new Error(`reference: ${path} expects a tuple`)
      const ts = input.tuple.map((t) => port(t, path))
      const out = new Float64Array(ts[0]!.data.length)
      for (const t of ts) t.data.forEach((v, i) => (out[i] = out[i]! + v))
      return { shape: ts[0]!.shape, data: out }
    }
    case 'fanInConcat': {
      if (!isTuple(input)) throw new Error(`reference: ${path} expects a tuple`)
      const ts = input.tuple.map((t) => port(t, path))
      const widths = ts.map((t) => t.shape[t.shape.length - 1] ?? 1)
      const W = widths.reduce((a, b) => a + b, 0)
      const rows = (w.B * size(ts[0]!.shape)) / widths[0]!
      const out = new Float64Array(rows * W)
      let off = 0
      ts.forEach((t, k) => {
        const wk = widths[k]!
        for (let r = 0; r < rows; r++) for (let j = 0; j < wk; j++) out[r * W + off + j] = t.data[r * wk + j]!
        off += wk
      })
      return { shape: [...ts[0]!.shape.slice(0, -1), W], data: out }
    }
    case 'layerNorm': {
      w.salt++
      const x = port(input, path)
      const C = x.shape[x.shape.length - 1] ?? 1
      const gamma = take(w, `${path}/gamma`, C), beta = take(w, `${path}/beta`, C)
      const eps = spec.eps ?? 1e-5
      const y = new Float64Array(x.data.length)
      for (let r = 0; r < y.length / C; r++) {
        const row = x.data.subarray(r * C, (r + 1) * C)
        const mean = row.reduce((a, v) => a + v, 0) / C
        const rstd = 1 / Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / C + eps)
        row.forEach((v, j) => (y[r * C + j] = (v - mean) * rstd * gamma[j]! + beta[j]!))
      }
      return { shape: x.shape, data: y }
    }
    case 'residual': {
      const x = port(input, path)
      const a = port(node(w, spec.block, `${path}/block`, x), path)
      const s = spec.shortcut ? port(node(w, spec.shortcut, `${path}/shortcut`, x), path) : x
      return { shape: a.shape, data: a.data.map((v, i) => v + s.data[i]!) }
    }
    default: {
      const helpers = { B: w.B, training: w.opts.dropoutKey !== undefined, kinks: w.kinks, take: (p: string, n: number) => take(w, p, n), act: (fn: ActName, a: number, z: Float64Array) => applyAct(w, fn, a, z), leaf: () => void w.salt++ }
      const image = imageNode(helpers, spec, path, port(input, path))
      if (image) return image
      throw new Error(`reference: unknown kind ${String(spec.kind)}`)
    }
  }
}

/** The network's output for inputs x (B, ...inShape), in float64. */
export const forward = (spec: Spec, inShape: ReadonlyArray<number>, B: number, x: Float64Array, params: ReadonlyArray<Float64Array>, opts: RefOptions = {}): ForwardResult => {
  const w: Walk = { params, B, opts, paths: [], kinks: { z: [], dist: [] }, cursor: 0, salt: 1 }
  const y = port(node(w, spec, String(spec.kind), { shape: inShape, data: x }), 'output')
  if (w.cursor !== params.length) throw new Error(`reference: used ${w.cursor} of ${params.length} parameters`)
  return { y, paths: w.paths, kinks: w.kinks }
}

// losses -----------------------------------------------------------------------

/** The mean loss of outputs y (B, ...shape): cross-entropy averaged over rows, MSE and BCE over all elements. */
export const loss = (name: LossName, y: T64, B: number, t: Targets): number => {
  const C = y.shape[y.shape.length - 1] ?? 1
  const n = B * size(y.shape)
  const rows = n / C
  const d = y.data
  if (name === 'softmaxCrossEntropy') {
    let total = 0
    for (let r = 0; r < rows; r++) {
      let m = -Infinity
      for (let j = 0; j < C; j++) m = Math.max(m, d[r * C + j]!)
      let s = 0
      for (let j = 0; j < C; j++) s += Math.exp(d[r * C + j]! - m)
      const lse = m + Math.log(s)
      if (t.kind === 'labels') total += lse - d[r * C + t.labels[r]!]!
      else for (let j = 0; j < C; j++) total += t.data[r * C + j]! * (lse - d[r * C + j]!)
    }
    return total / rows
  }
  if (t.kind !== 'dense') throw new Error(`reference: ${name} needs dense targets`)
  let total = 0
  for (let i = 0; i < n; i++) {
    const z = d[i]!, tt = t.data[i]!
    total += name === 'mse' ? (z - tt) ** 2 : Math.max(z, 0) - z * tt + Math.log1p(Math.exp(-Math.abs(z)))
  }
  return total / n
}

/** forward, then loss. */
export const lossOf = (spec: Spec, inShape: ReadonlyArray<number>, name: LossName, B: number, x: Float64Array, t: Targets, params: ReadonlyArray<Float64Array>, opts: RefOptions = {}): { loss: number; fwd: ForwardResult } => {
  const fwd = forward(spec, inShape, B, x, params, opts)
  return { loss: loss(name, fwd.y, B, t), fwd }
}
