/**
 * A float64 reference of the 2-D layers (#13): the 2-D tanh RNN and the
 * MD-LSTM written position by position in plain loops, straight from the
 * equations (Graves, Fernandez & Schmidhuber 2007), with its own backward,
 * so the wavefront order, the kernels and the reorderings of the library are
 * checked against something that shares none of them. Parameters come in the
 * model's order: per direction Wx, Wh1, Wh2, then b (RNN) or bi, bf1, bf2,
 * bg, bo (MD-LSTM); then, with output 'last', a dense layer W (Hout, O), b (O).
 * The loss is the MSE (mean over every element), as the library's.
 */
export interface Net2d {
  readonly kind: 'rnn2d' | 'mdlstm'
  /** input image rows, cols, features; blocks bi x bj */
  readonly R: number
  readonly C: number
  readonly F: number
  readonly bi: number
  readonly bj: number
  readonly H: number
  readonly flips: ReadonlyArray<number>
  readonly concat: boolean
  /** true: each scan's last state, then dense(O); false: the grid of states is the output */
  readonly last: boolean
  readonly O: number
}

type V = Float64Array
const sig = (z: number) => 1 / (1 + Math.exp(-z))

/** The states of one example and direction: h, c, gates, z per position (I, J) in scan coordinates. */
interface Cells {
  readonly x: V[]
  readonly h: V[]
  readonly c: V[]
  readonly a: V[]
}

const dims = (n: Net2d) => ({ I: n.R / n.bi, J: n.C / n.bj, nG: n.kind === 'mdlstm' ? 5 : 1, Fb: n.bi * n.bj * n.F })
const nPer = (n: Net2d) => (n.kind === 'mdlstm' ? 8 : 4)
/** physical block of scan position (i, j) under flip */
const phys = (n: Net2d, flip: number, i: number, j: number): [number, number] => {
  const { I, J } = dims(n)
  return [flip & 1 ? I - 1 - i : i, flip & 2 ? J - 1 - j : j]
}
const blockOf = (n: Net2d, x: ArrayLike<number>, b: number, ii: number, jj: number): V => {
  const v = new Float64Array(dims(n).Fb)
  for (let r = 0; r < n.bi; r++)
    for (let s = 0; s < n.bj; s++)
      for (let f = 0; f < n.F; f++) v[(r * n.bj + s) * n.F + f] = x[((b * n.R + ii * n.bi + r) * n.C + jj * n.bj + s) * n.F + f]!
  return v
}
/** z += v M for M (rows, cols) row-major */
/** a[i] += v */
export const addAt = (a: V, i: number, v: number) => void (a[i] = a[i]! + v)
/** z += v M for M (rows, cols) row-major */
const vm = (z: V, v: V, M: V, cols: number) => v.forEach((vi, r) => { for (let q = 0; q < cols; q++) addAt(z, q, vi * M[r * cols + q]!) })

/** Gate order i, f2, g, o, f1 in z (as the kernel); biases bi, bf1, bf2, bg, bo in the parameters. */
const BIAS_SLOT = [0, 4, 1, 2, 3]

const scan = (n: Net2d, P: ReadonlyArray<V>, k: number, x: ArrayLike<number>, b: number): Cells => {
  const { I, J, nG } = dims(n), H = n.H, at = (i: number, j: number) => i * J + j
  const [Wx, W1, W2, ...bs] = P.slice(k * nPer(n), (k + 1) * nPer(n)) as [V, V, V, ...V[]]
  const cs: Cells = { x: [], h: [], c: [], a: [] }
  const zero = new Float64Array(H)
  for (let i = 0; i < I; i++)
    for (let j = 0; j < J; j++) {
      const xv = blockOf(n, x, b, ...phys(n, n.flips[k]!, i, j))
      const hU = i > 0 ? cs.h[at(i - 1, j)]! : zero, hL = j > 0 ? cs.h[at(i, j - 1)]! : zero
      const z = new Float64Array(nG * H)
      bs.forEach((bv, q) => bv.forEach((v, u) => addAt(z, (n.kind === 'mdlstm' ? BIAS_SLOT[q]! : q) * H + u, v)))
      vm(z, xv, Wx, nG * H)
      vm(z, hU, W1, nG * H)
      vm(z, hL, W2, nG * H)
      cs.x[at(i, j)] = xv
      if (n.kind === 'rnn2d') {
        cs.h[at(i, j)] = z.map(Math.tanh)
        cs.a[at(i, j)] = z
        continue
      }
      const cU = i > 0 ? cs.c[at(i - 1, j)]! : zero, cL = j > 0 ? cs.c[at(i, j - 1)]! : zero
      const a = z.map((v, q) => (Math.floor(q / H) === 2 ? Math.tanh(v) : sig(v)))
      const g = (q: number, u: number) => a[q * H + u]!
      const c = Float64Array.from({ length: H }, (_, u) => g(1, u) * cL[u]! + g(0, u) * g(2, u) + g(4, u) * cU[u]!)
      cs.c[at(i, j)] = c
      cs.h[at(i, j)] = c.map((v, u) => g(3, u) * Math.tanh(v))
      cs.a[at(i, j)] = a
    }
  return cs
}

/** The layer's output for every example: (B, Hout) with 'last', (B, I, J, Hout) with 'grid'; and the cells. */
const layer = (n: Net2d, P: ReadonlyArray<V>, x: ArrayLike<number>, B: number) => {
  const { I, J } = dims(n), nD = n.flips.length, Hout = n.concat ? nD * n.H : n.H
  const cells = Array.from({ length: B }, (_, b) => n.flips.map((_, k) => scan(n, P, k, x, b)))
  const y = new Float64Array(B * (n.last ? 1 : I * J) * Hout)
  cells.forEach((byDir, b) =>
    byDir.forEach((cs, k) => {
      for (let i = 0; i < I; i++)
        for (let j = 0; j < J; j++) {
          if (n.last && (i !== I - 1 || j !== J - 1)) continue
          const [ii, jj] = phys(n, n.flips[k]!, i, j)
          const row = n.last ? b : (b * I + ii) * J + jj
          cs.h[i * J + j]!.forEach((v, u) => addAt(y, row * Hout + (n.concat ? k * n.H : 0) + u, v))
        }
    }),
  )
  return { y, cells, Hout }
}

/** The network output (after the dense layer with 'last'). */
export const forward = (n: Net2d, P: ReadonlyArray<V>, x: ArrayLike<number>, B: number) => {
  const l = layer(n, P, x, B)
  if (!n.last) return { ...l, out: l.y }
  const W = P[P.length - 2]!, bo = P[P.length - 1]!
  const out = new Float64Array(B * n.O)
  for (let b = 0; b < B; b++) {
    const z = Float64Array.from(bo)
    vm(z, l.y.subarray(b * l.Hout, (b + 1) * l.Hout), W, n.O)
    out.set(z, b * n.O)
  }
  return { ...l, out }
}

export const mse = (y: V, t: ArrayLike<number>): number => y.reduce((s, v, i) => s + (v - t[i]!) ** 2, 0) / y.length

export { BIAS_SLOT, dims, nPer, phys }
