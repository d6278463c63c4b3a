/**
 * The recurrent layers on the float64 tape (tape.ts), from the equations in
 * src/layer/recurrent/* (not from the kernels): rnn, lstm (with or without a
 * forget gate, with or without peepholes) and gru, with masks, every state or
 * the last state out, and truncation as frozen states: BPTT(k) cuts the error
 * signal from step t to t-1 when (T - t) is a multiple of k, so the step reads
 * the previous state as a constant there. After `backward`, the state node of
 * step t holds the total dL/dh_t the trace reports, and the cell node dL/dc_t.
 */
import { add, leaf, mul, type Node, node, type Tape, unary } from './tape'

// model ----------------------------------------------------------------------

/** A batch-major tensor on the tape: (B, ...shape). `isInput`: the network input (no gradient is kept for it). */
export interface Tn {
  readonly shape: ReadonlyArray<number>
  readonly x: ReadonlyArray<Node>
  readonly isInput: boolean
}

/** Per-step nodes, each (B, H) row-major. */
export interface RefTime {
  readonly T: number
  readonly h: ReadonlyArray<ReadonlyArray<Node>>
  readonly c: ReadonlyArray<ReadonlyArray<Node>> | null
  readonly gates: ReadonlyArray<{ readonly name: string; readonly a: ReadonlyArray<ReadonlyArray<Node>> }>
}

export interface CellCtx {
  readonly t: Tape
  readonly B: number
  /** the next parameter tensor as leaves (n elements) */
  readonly take: (name: string, n: number) => ReadonlyArray<Node>
  /** records a value that sits at a kink of its function (distance from the kink) */
  readonly kink: (dist: number) => void
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Spec = any

// scalar functions ---------------------------------------------------------------

const sigv = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
// f32 kernels form these derivatives from the output (s (1 - s), 1 - y^2), with an absolute error
// of a few ulps of 1 (~2^-22) however small they are: near saturation that is all they hold. Their
// size (tape.ts, sz) is floored where the traces' relative tolerance 1e-4 of it covers that error.
export const DERIV_FLOOR = 2 ** -22 / 1e-4
export const sigmoid = (t: Tape, a: Node): Node => {
  const s = sigv(a.v), d = s * (1 - s)
  return node(t, s, [a], [d], [Math.max(d, DERIV_FLOOR)])
}
export const tanh = (t: Tape, a: Node): Node => {
  const y = Math.tanh(a.v), d = 1 - y * y
  return node(t, y, [a], [d], [Math.max(d, DERIV_FLOOR)])
}
const copy = (t: Tape, a: Node): Node => unary(t, a, a.v, 1)
const oneMinus = (t: Tape, a: Node): Node => unary(t, a, 1 - a.v, -1)

/** sum_k xs[k] W[k, col] over the rows of a row-major W (K, ld), plus b. */
const col = (t: Tape, xs: ReadonlyArray<Node>, W: ReadonlyArray<Node>, ld: number, c: number, b: Node | null): Node => {
  let s = b ? b.v : 0
  const ps: Node[] = [], ds: number[] = []
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!, w = W[k * ld + c]!
    s += x.v * w.v
    ps.push(x, w)
    ds.push(w.v, x.v)
  }
  if (b) {
    ps.push(b)
    ds.push(1)
  }
  return node(t, s, ps, ds)
}

// cells --------------------------------------------------------------------------

/** Runs a recurrent layer on x (B, T, F [+ 1 mask]). */
export const recurrent = (c: CellCtx, spec: Spec, x: Tn): { readonly y: Tn; readonly time: RefTime; readonly fz: ReadonlyArray<Node> } => {
  const { t, B } = c
  const T = x.shape[0]!, Fin = x.shape[1]!, F = Fin - (spec.mask ? 1 : 0), H: number = spec.units
  const kind: 'rnn' | 'lstm' | 'gru' = spec.kind
  const forget = spec.forgetGate !== false, peep = spec.peepholes === true
  const gateNames = kind === 'lstm' ? (forget ? ['input', 'forget', 'cell', 'output'] : ['input', 'cell', 'output']) : kind === 'gru' ? ['reset', 'update', 'new'] : []
  const nG = kind === 'rnn' ? 1 : gateNames.length
  const Wx = c.take('Wx', F * nG * H), Wh = c.take('Wh', H * nG * H)
  const bias = kind === 'lstm' ? gateNames.map((g) => c.take(g === 'cell' ? 'bg' : `b${g[0]}`, H)) : kind === 'gru' ? [c.take('bx', 3 * H), c.take('bh', 3 * H)] : [c.take('b', H)]
  const peeps = kind === 'lstm' && peep ? (forget ? ['pi', 'pf', 'po'] : ['pi', 'po']).map((n) => c.take(n, H)) : []
  const fn: 'tanh' | 'sigmoid' | 'relu' = spec.activation ?? 'tanh'
  const zeros = (): Node[] => Array.from({ length: B * H }, () => leaf(t, 0))
  const hs: Node[][] = [], cs: Node[][] = []
  const fz: Node[] = [] // a plain RNN's f(z) at every step, (T, B, H), masked steps too: what its trace measures saturation and dead units on
  const gates = gateNames.map((name) => ({ name, a: [] as Node[][] }))
  for (let s = 0; s < T; s++) {
    const cut = s > 0 && spec.truncate !== undefined && (T - s) % spec.truncate === 0
    const frozen = (xs: ReadonlyArray<Node>): Node[] => xs.map((n) => leaf(t, n.v))
    const hp = s === 0 ? zeros() : cut ? frozen(hs[s - 1]!) : hs[s - 1]!
    const cp = s === 0 ? zeros() : cut ? frozen(cs[s - 1]!) : cs[s - 1]!
    const h: Node[] = [], cn: Node[] = []
    const a = gateNames.map(() => [] as Node[])
    for (let b = 0; b < B; b++) {
      const row = (k: number) => x.x[(b * T + s) * Fin + k]!
      const real = spec.mask ? row(F).v !== 0 : true
      const xs = Array.from({ length: F }, (_, k) => row(k))
      const hrow = hp.slice(b * H, (b + 1) * H)
      for (let j = 0; j < H; j++) {
        const hprev = hp[b * H + j]!, cprev = cp[b * H + j]!
        const pre = (g: number, bx: Node | null) => add(t, col(t, xs, Wx, nG * H, g * H + j, bx), col(t, hrow, Wh, nG * H, g * H + j, null))
        let hn: Node, cnew: Node = cprev
        if (kind === 'rnn') {
          const z = pre(0, bias[0]![j]!)
          if (fn === 'relu') c.kink(Math.abs(z.v))
          hn = fn === 'tanh' ? tanh(t, z) : fn === 'sigmoid' ? sigmoid(t, z) : unary(t, z, Math.max(z.v, 0), z.v > 0 ? 1 : 0)
          fz.push(hn)
        } else if (kind === 'gru') {
          const [bx, bh] = bias as [ReadonlyArray<Node>, ReadonlyArray<Node>]
          const gx = (g: number) => col(t, xs, Wx, 3 * H, g * H + j, bx[g * H + j]!)
          const gh = (g: number) => col(t, hrow, Wh, 3 * H, g * H + j, bh[g * H + j]!)
          const r = sigmoid(t, add(t, gx(0), gh(0)))
          const z = sigmoid(t, add(t, gx(1), gh(1)))
          const n = tanh(t, add(t, gx(2), mul(t, r, gh(2))))
          hn = add(t, mul(t, oneMinus(t, z), n), mul(t, z, hprev))
          ;[r, z, n].forEach((v, g) => a[g]!.push(v))
        } else {
          const gi = (name: string) => gateNames.indexOf(name)
          const withPeep = (z: Node, p: number, cc: Node) => (peep ? add(t, z, mul(t, peeps[p]![j]!, cc)) : z)
          const i = sigmoid(t, withPeep(pre(gi('input'), bias[gi('input')]![j]!), 0, cprev))
          const g = tanh(t, pre(gi('cell'), bias[gi('cell')]![j]!))
          let f: Node | null = null
          if (forget) {
            f = sigmoid(t, withPeep(pre(1, bias[1]![j]!), 1, cprev))
            cnew = add(t, mul(t, f, cprev), mul(t, i, g))
          } else cnew = add(t, cprev, mul(t, i, g))
          const o = sigmoid(t, withPeep(pre(gi('output'), bias[gi('output')]![j]!), forget ? 2 : 1, cnew))
          hn = mul(t, o, tanh(t, cnew))
          const vals = forget ? [i, f!, g, o] : [i, g, o]
          vals.forEach((v, k) => a[k]!.push(v))
        }
        h.push(real ? hn : copy(t, hprev))
        cn.push(real ? cnew : copy(t, cprev))
      }
    }
    hs.push(h)
    cs.push(cn)
    // gates are (B, H) per step: rows were pushed b-major, j-minor
    gates.forEach((g, k) => g.a.push(a[k]!))
  }
  const y = spec.returnSequences
    ? Array.from({ length: B * T * H }, (_, i) => copy(t, hs[Math.floor(i / H) % T]![Math.floor(i / (T * H)) * H + (i % H)]!))
    : hs[T - 1]!.map((n) => copy(t, n))
  return {
    y: { shape: spec.returnSequences ? [T, H] : [H], x: y, isInput: false },
    time: { T, h: hs, c: kind === 'lstm' ? cs : null, gates },
    fz,
  }
}
