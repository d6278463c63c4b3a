/**
 * The float64 reference of everything a trace reports, for network specs of
 * every built-in kind: dense (fused activation or none), activation, dropout,
 * layerNorm, rnn / lstm / gru (traceCells.ts) and the combinators serial,
 * parallel, fanOut, fanInSum, fanInConcat, identity and residual. The network
 * runs on the scalar tape (tape.ts), written from the formulas in src/layer/*
 * and src/loss/Loss.ts, then `backward` gives dL/d(node) for every node, and
 * each layer's trace entry is read off the nodes it names:
 *   out    the layer's output y (gradOut: dL/dy)
 *   pre    dense with a fused activation: z (gradPre: dL/dz)
 *   act    the activation's input z and output y (saturation, dead units)
 *   input  the layer's input x (gradIn: dL/dx, the total over all consumers), null for the network input
 *   params each parameter (its value and dL/dp)
 *   time   recurrent layers: h_t, c_t and the gates per step
 * Entries come in the order and under the paths the plan uses (a residual
 * block's after its children). Dropout draws its mask as reference.ts does.
 */
import { act, type ActName, defaultAlpha, dropoutMask, kinkPoints, type LossName, type Targets } from './reference'
import { type CellCtx, DERIV_FLOOR, recurrent, type RefTime, sigmoid, tanh, type Tn } from './traceCells'
import { add, backward, dot, leaf, mul, type Node, node, scale, sum, tape, type Tape, unary } from './tape'

// model ----------------------------------------------------------------------

export interface RefProbe {
  readonly path: string
  readonly kind: string
  readonly out: ReadonlyArray<Node>
  readonly pre: ReadonlyArray<Node> | null
  readonly act: { readonly fn: ActName; readonly z: ReadonlyArray<Node>; readonly y: ReadonlyArray<Node> } | null
  readonly input: ReadonlyArray<Node> | null
  readonly params: ReadonlyArray<{ readonly name: string; readonly nodes: ReadonlyArray<Node> }>
  readonly time: RefTime | null
}

export interface RefRun {
  readonly loss: number
  readonly probes: ReadonlyArray<RefProbe>
  /** every parameter, in model.params order */
  readonly params: ReadonlyArray<{ readonly path: string; readonly nodes: ReadonlyArray<Node> }>
  /** distances of kinked pre-activations from their kink */
  readonly kinkDist: ReadonlyArray<number>
}

type V = Tn | { readonly tuple: ReadonlyArray<V> }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any

interface Walk {
  readonly t: Tape
  readonly B: number
  readonly theta: ReadonlyArray<Float64Array>
  readonly key: readonly [number, number] | undefined
  readonly probes: RefProbe[]
  readonly params: Array<{ readonly path: string; readonly nodes: ReadonlyArray<Node> }>
  readonly kinkDist: number[]
  salt: number
}

// activations ------------------------------------------------------------------

const SELU_L = 1.0507009873554805
const SELU_A = 1.6732632423543772
const GELU_C = Math.sqrt(2 / Math.PI)

/** f'(x) in float64 (the one-sided value at kinks, which the tests avoid). */
export const dact = (fn: ActName, x: number, alpha: number): number => {
  switch (fn) {
    case 'identity':
      return 1
    case 'sigmoid': {
      const s = act('sigmoid', x, 0)
      return s * (1 - s)
    }
    case 'tanh':
      return 1 - Math.tanh(x) ** 2
    case 'hardTanh':
      return Math.abs(x) < 1 ? 1 : 0
    case 'softsign':
      return 1 / (1 + Math.abs(x)) ** 2
    case 'relu':
      return x > 0 ? 1 : 0
    case 'leakyRelu':
      return x > 0 ? 1 : alpha
    case 'elu':
      return x > 0 ? 1 : alpha * Math.exp(x)
    case 'selu':
      return x > 0 ? SELU_L : SELU_L * SELU_A * Math.exp(x)
    case 'gelu': {
      const u = GELU_C * (x + 0.044715 * x ** 3)
      const th = Math.tanh(u)
      return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * GELU_C * (1 + 3 * 0.044715 * x * x)
    }
    case 'softplus':
      return act('sigmoid', x, 0)
  }
}

const SMOOTH: ReadonlyArray<ActName> = ['elu', 'selu', 'gelu', 'softplus']

const applyAct = (w: Walk, fn: ActName, alpha: number, zs: ReadonlyArray<Node>): Node[] => {
  const kp = kinkPoints(fn)
  return zs.map((z) => {
    if (kp.length > 0) w.kinkDist.push(Math.min(...kp.map((k) => Math.abs(z.v - k))))
    if (fn === 'sigmoid') return sigmoid(w.t, z)
    if (fn === 'tanh') return tanh(w.t, z)
    const d = dact(fn, z.v, alpha)
    // derivatives the kernels form by cancellation (elu, selu: y + alpha; gelu: 1 + tanh) are known to a few ulps of 1 (traceCells.ts)
    return SMOOTH.includes(fn) ? node(w.t, act(fn, z.v, alpha), [z], [d], [Math.max(Math.abs(d), DERIV_FLOOR)]) : unary(w.t, z, act(fn, z.v, alpha), d)
  })
}

// layers -----------------------------------------------------------------------

const size = (s: ReadonlyArray<number>): number => s.reduce((a, b) => a * b, 1)

const taker = (w: Walk, path: string) => (name: string, n: number): ReadonlyArray<Node> => {
  const th = w.theta[w.params.length]
  if (!th || th.length !== n) throw new Error(`trace reference: ${path}/${name} has ${th?.length} elements, expected ${n}`)
  const nodes = Array.from(th, (v) => leaf(w.t, v))
  w.params.push({ path: `${path}/${name}`, nodes })
  return nodes
}

const probe = (w: Walk, path: string, kind: string, out: ReadonlyArray<Node>, x: Tn, extra: Partial<RefProbe> = {}): void => {
  const params = w.params.filter((p) => p.path.slice(0, p.path.lastIndexOf('/')) === path).map((p) => ({ name: p.path.slice(p.path.lastIndexOf('/') + 1), nodes: p.nodes }))
  w.probes.push({ path, kind, out, pre: null, act: null, input: x.isInput ? null : x.x, params: kind === 'residual' ? [] : params, time: null, ...extra })
}

const dense = (w: Walk, spec: Spec, path: string, x: Tn): Tn => {
  const take = taker(w, path)
  const I = x.shape[x.shape.length - 1] ?? 1, O: number = spec.units
  const rows = (w.B * size(x.shape)) / I
  const W = take('W', I * O)
  const b = spec.useBias === false ? null : take('b', O)
  const z: Node[] = []
  for (let r = 0; r < rows; r++) {
    const xr = x.x.slice(r * I, (r + 1) * I)
    for (let o = 0; o < O; o++) z.push(dot(w.t, xr, Array.from({ length: I }, (_, i) => W[i * O + o]!), b ? b[o] : undefined))
  }
  const fn: ActName = spec.activation ?? 'identity'
  const fused = fn !== 'identity'
  const y = fused ? applyAct(w, fn, spec.alpha ?? defaultAlpha(fn), z) : z
  probe(w, path, 'dense', y, x, fused ? { pre: z, act: { fn, z, y } } : {})
  return { shape: [...x.shape.slice(0, -1), O], x: y, isInput: false }
}

const layerNorm = (w: Walk, spec: Spec, path: string, x: Tn): Tn => {
  const take = taker(w, path)
  const C = x.shape[x.shape.length - 1] ?? 1, rows = (w.B * size(x.shape)) / C
  const eps = Math.fround(spec.eps ?? 1e-5)
  const gamma = take('gamma', C), beta = take('beta', C)
  const y: Node[] = []
  for (let r = 0; r < rows; r++) {
    const xr = x.x.slice(r * C, (r + 1) * C)
    const mean = scale(w.t, sum(w.t, xr), 1 / C)
    const d = xr.map((v) => add(w.t, v, scale(w.t, mean, -1)))
    const vr = scale(w.t, dot(w.t, d, d), 1 / C)
    const rstd = unary(w.t, vr, 1 / Math.sqrt(vr.v + eps), -0.5 * (vr.v + eps) ** -1.5)
    d.forEach((dj, j) => y.push(add(w.t, mul(w.t, mul(w.t, dj, rstd), gamma[j]!), beta[j]!)))
  }
  probe(w, path, 'layerNorm', y, x)
  return { shape: x.shape, x: y, isInput: false }
}

const port = (v: V, path: string): Tn => {
  if ('tuple' in v) throw new Error(`trace reference: ${path} expects a single tensor`)
  return v
}
const tuple = (v: V, path: string): ReadonlyArray<V> => {
  if (!('tuple' in v)) throw new Error(`trace reference: ${path} expects a tuple`)
  return v.tuple
}
const childPath = (parent: string, i: number, s: Spec): string => `${parent}/${i}/${s.kind}`

const leafLayer = (w: Walk, spec: Spec, path: string, x: Tn): Tn => {
  const salt = w.salt++
  switch (spec.kind) {
    case 'dense':
      return dense(w, spec, path, x)
    case 'layerNorm':
      return layerNorm(w, spec, path, x)
    case 'activation': {
      const y = applyAct(w, spec.fn, spec.alpha ?? defaultAlpha(spec.fn), x.x)
      probe(w, path, 'activation', y, x, { act: { fn: spec.fn, z: x.x, y } })
      return { shape: x.shape, x: y, isInput: false }
    }
    case 'dropout': {
      const mask = w.key && spec.rate > 0 ? dropoutMask(w.key, salt, spec.rate, x.x.length) : null
      const y = x.x.map((v, i) => scale(w.t, v, mask ? mask[i]! : 1))
      probe(w, path, 'dropout', y, x)
      return { shape: x.shape, x: y, isInput: false }
    }
    default: {
      const ctx: CellCtx = { t: w.t, B: w.B, take: taker(w, path), kink: (d) => w.kinkDist.push(d) }
      const r = recurrent(ctx, spec, x)
      const fn = spec.kind === 'rnn' ? (spec.activation ?? 'tanh') : 'sigmoid' // the trace reads a plain tanh or ReLU RNN's units
      probe(w, path, spec.kind, r.y.x, x, { time: r.time, ...(fn === 'sigmoid' ? {} : { act: { fn, z: r.fz, y: r.fz } }) })
      return r.y
    }
  }
}

const walk = (w: Walk, spec: Spec, path: string, input: V): V => {
  switch (spec.kind) {
    case 'serial':
      return (spec.layers as Spec[]).reduce((v: V, l: Spec, i: number) => walk(w, l, childPath(path, i, l), v), input)
    case 'parallel': {
      const items = tuple(input, path)
      return { tuple: (spec.layers as Spec[]).map((l, i) => walk(w, l, childPath(path, i, l), items[i]!)) }
    }
    case 'fanOut':
      return { tuple: Array.from({ length: spec.n }, () => input) }
    case 'identity':
      return input
    case 'fanInSum': {
      const ts = tuple(input, path).map((v) => port(v, path))
      return { shape: ts[0]!.shape, x: ts[0]!.x.map((_, i) => sum(w.t, ts.map((tn) => tn.x[i]!))), isInput: false }
    }
    case 'fanInConcat': {
      const ts = tuple(input, path).map((v) => port(v, path))
      const widths = ts.map((tn) => tn.shape[tn.shape.length - 1] ?? 1)
      const rows = (w.B * size(ts[0]!.shape)) / widths[0]!
      const out: Node[] = []
      for (let r = 0; r < rows; r++) ts.forEach((tn, k) => tn.x.slice(r * widths[k]!, (r + 1) * widths[k]!).forEach((v) => out.push(scale(w.t, v, 1))))
      return { shape: [...ts[0]!.shape.slice(0, -1), widths.reduce((a, b) => a + b, 0)], x: out, isInput: false }
    }
    case 'residual': {
      const x = port(input, path)
      const a = port(walk(w, spec.block, `${path}/block`, x), path)
      const s = spec.shortcut ? port(walk(w, spec.shortcut, `${path}/shortcut`, x), path) : x
      const y = a.x.map((v, i) => add(w.t, v, s.x[i]!))
      probe(w, path, 'residual', y, x)
      return { shape: a.shape, x: y, isInput: false }
    }
    default:
      return leafLayer(w, spec, path, port(input, path))
  }
}

// losses -----------------------------------------------------------------------

/** The mean loss as one node over the outputs y (B, ...shape): its value and dL/dy. */
const lossNode = (t: Tape, name: LossName, y: ReadonlyArray<Node>, C: number, tg: Targets): Node => {
  const n = y.length, rows = n / C
  // d = (p - t) / rows and the like cancel near a fitted target: sz keeps the size of p and t (tape.ts)
  const d = new Float64Array(n), sz = new Float64Array(n)
  let total = 0
  if (name === 'softmaxCrossEntropy') {
    for (let r = 0; r < rows; r++) {
      const zr = y.slice(r * C, (r + 1) * C).map((v) => v.v)
      const m = Math.max(...zr)
      const s = zr.reduce((a, v) => a + Math.exp(v - m), 0)
      const lse = m + Math.log(s)
      const tr = tg.kind === 'labels' ? zr.map((_, j) => (j === tg.labels[r] ? 1 : 0)) : zr.map((_, j) => tg.data[r * C + j]!)
      const tsum = tr.reduce((a, v) => a + v, 0)
      zr.forEach((v, j) => {
        total += tr[j]! * (lse - v)
        d[r * C + j] = (Math.exp(v - lse) * tsum - tr[j]!) / rows
        sz[r * C + j] = (Math.exp(v - lse) * tsum + tr[j]!) / rows
      })
    }
    return node(t, total / rows, y, Array.from(d), Array.from(sz))
  }
  if (tg.kind !== 'dense') throw new Error(`trace reference: ${name} needs dense targets`)
  y.forEach((v, i) => {
    const z = v.v, tt = tg.data[i]!
    total += name === 'mse' ? (z - tt) ** 2 : Math.max(z, 0) - z * tt + Math.log1p(Math.exp(-Math.abs(z)))
    d[i] = (name === 'mse' ? 2 * (z - tt) : act('sigmoid', z, 0) - tt) / n
    sz[i] = (name === 'mse' ? 2 * (Math.abs(z) + Math.abs(tt)) : act('sigmoid', z, 0) + Math.abs(tt)) / n
  })
  return node(t, total / n, y, Array.from(d), Array.from(sz))
}

// run --------------------------------------------------------------------------

/** Forward and backward of a network on the tape; x (B, ...inShape), parameters in model.params order. */
export const traceReference = (
  spec: Spec,
  inShape: ReadonlyArray<number>,
  B: number,
  x: Float64Array,
  theta: ReadonlyArray<Float64Array>,
  loss: LossName,
  targets: Targets,
  key?: readonly [number, number],
): RefRun => {
  const w: Walk = { t: tape(), B, theta, key, probes: [], params: [], kinkDist: [], salt: 1 }
  const input: Tn = { shape: inShape, x: Array.from(x, (v) => leaf(w.t, v)), isInput: true }
  const y = port(walk(w, spec, String(spec.kind), input), 'output')
  if (w.params.length !== theta.length) throw new Error(`trace reference: used ${w.params.length} of ${theta.length} parameters`)
  const L = lossNode(w.t, loss, y.x, y.shape[y.shape.length - 1] ?? 1, targets)
  backward(w.t, L)
  return { loss: L.v, probes: w.probes, params: w.params, kinkDist: w.kinkDist }
}
