/**
 * A float64 reference of the recurrent layers followed by a dense layer and
 * the MSE loss, written from the equations (not from the kernels), with
 * truncation expressed as frozen states: BPTT(k) is the gradient of the
 * forward in which the state entering each window (at steps t with (T - t) a
 * multiple of k) is held at its unperturbed value.
 */
export type Cell =
  | { readonly kind: 'rnn'; readonly act: 'tanh' | 'sigmoid' | 'relu' }
  | { readonly kind: 'lstm'; readonly forget: boolean; readonly peep: boolean }
  | { readonly kind: 'gru' }

export interface RefNet {
  readonly cell: Cell
  readonly T: number
  readonly F: number
  readonly H: number
  readonly O: number
  readonly mask: boolean
  readonly seqOut: boolean
  readonly truncate?: number
}

const sig = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))
const act = (a: 'tanh' | 'sigmoid' | 'relu', x: number): number => (a === 'tanh' ? Math.tanh(x) : a === 'sigmoid' ? sig(x) : Math.max(x, 0))

/** x (B, T, Fin) batch-first; params in the layer's order then dense W (H, O), b (O). */
export const forward = (n: RefNet, ps: ReadonlyArray<Float64Array>, x: Float64Array, B: number, frozen?: { h: Float64Array[]; c: Float64Array[] }) => {
  const { T, F, H, cell } = n
  const Fin = F + (n.mask ? 1 : 0)
  const nG = cell.kind === 'rnn' ? 1 : cell.kind === 'gru' ? 3 : cell.forget ? 4 : 3
  const [Wx, Wh] = ps as [Float64Array, Float64Array]
  let bias: Float64Array, bh: Float64Array | null = null, peep: Float64Array[] = []
  let rest: number
  if (cell.kind === 'lstm') {
    bias = new Float64Array(nG * H)
    for (let g = 0; g < nG; g++) bias.set(ps[2 + g]!, g * H)
    const np = cell.peep ? nG - 1 : 0
    peep = ps.slice(2 + nG, 2 + nG + np) as Float64Array[]
    rest = 2 + nG + np
  } else if (cell.kind === 'gru') {
    bias = ps[2]!
    bh = ps[3]!
    rest = 4
  } else {
    bias = ps[2]!
    rest = 3
  }
  const Wd = ps[rest]!, bd = ps[rest + 1]!
  const hs: Float64Array[] = [new Float64Array(B * H)]
  const cs: Float64Array[] = [new Float64Array(B * H)]
  for (let t = 0; t < T; t++) {
    const cut = n.truncate !== undefined && t > 0 && (T - t) % n.truncate === 0
    const hp = cut && frozen ? frozen.h[t]! : hs[t]!
    const cp = cut && frozen ? frozen.c[t]! : cs[t]!
    const h = new Float64Array(B * H), c = new Float64Array(B * H)
    for (let b = 0; b < B; b++) {
      const xi = (k: number) => x[(b * T + t) * Fin + k]!
      const m = n.mask ? xi(F) !== 0 : true
      const zx = new Float64Array(nG * H), zh = new Float64Array(nG * H)
      for (let j = 0; j < nG * H; j++) {
        let s = 0
        for (let k = 0; k < F; k++) s += xi(k) * Wx[k * nG * H + j]!
        zx[j] = s + bias[j]!
        let r = 0
        for (let k = 0; k < H; k++) r += hp[b * H + k]! * Wh[k * nG * H + j]!
        zh[j] = r + (bh ? bh[j]! : 0)
      }
      for (let j = 0; j < H; j++) {
        const hpv = hp[b * H + j]!, cpv = cp[b * H + j]!
        let hn: number, cn = 0
        if (cell.kind === 'rnn') hn = act(cell.act, zx[j]! + zh[j]!)
        else if (cell.kind === 'gru') {
          const r = sig(zx[j]! + zh[j]!), z = sig(zx[H + j]! + zh[H + j]!)
          const nn = Math.tanh(zx[2 * H + j]! + r * zh[2 * H + j]!)
          hn = (1 - z) * nn + z * hpv
        } else {
          const z = (g: number) => zx[g * H + j]! + zh[g * H + j]!
          const F_ = cell.forget
          const i = sig(z(0) + (cell.peep ? peep[0]![j]! * cpv : 0))
          const g = Math.tanh(z(F_ ? 2 : 1))
          if (F_) {
            const f = sig(z(1) + (cell.peep ? peep[1]![j]! * cpv : 0))
            cn = f * cpv + i * g
          } else cn = cpv + i * g
          const o = sig(z(F_ ? 3 : 2) + (cell.peep ? peep[F_ ? 2 : 1]![j]! * cn : 0))
          hn = o * Math.tanh(cn)
        }
        h[b * H + j] = m ? hn : hpv
        c[b * H + j] = m ? cn : cpv
      }
    }
    hs.push(h)
    cs.push(c)
  }
  // dense on the last state or every state; output (B, [T,] O)
  const rows = n.seqOut ? T : 1
  const y = new Float64Array(B * rows * n.O)
  for (let b = 0; b < B; b++)
    for (let r = 0; r < rows; r++) {
      const h = hs[n.seqOut ? r + 1 : T]!
      for (let o = 0; o < n.O; o++) {
        let s = bd[o]!
        for (let k = 0; k < H; k++) s += h[b * H + k]! * Wd[k * n.O + o]!
        y[(b * rows + r) * n.O + o] = s
      }
    }
  return { y, hs, cs }
}

export const mse = (y: Float64Array, t: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < y.length; i++) s += (y[i]! - t[i]!) ** 2
  return s / y.length
}
