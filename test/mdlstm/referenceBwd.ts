/**
 * The backward pass of the float64 reference (./reference.ts), position by
 * position in reverse scan order: the parameter gradients, dL/dx, and the
 * total dL/dh(i, j) of every direction (its norm over the batch and the units
 * is what the trace reports per position).
 */
import { addAt, BIAS_SLOT, dims, forward, type Net2d, nPer, phys } from './reference'

type V = Float64Array

/** g += u (x) v for g (u.length, v.length) row-major */
const outer = (g: V, u: V, v: V) => u.forEach((ui, r) => v.forEach((vq, q) => addAt(g, r * v.length + q, ui * vq)))
/** out += M v for M (out.length, v.length) row-major */
const mv = (out: V, M: V, v: V) => out.forEach((_, r) => { let s = 0; v.forEach((vq, q) => (s += M[r * v.length + q]! * vq)); addAt(out, r, s) })

/** dz of one MD-LSTM position from its total dh and dc; sends dc on to the predecessors. */
const mdDz = (a: V, c: V, cU: V, cL: V, dh: V, dcIn: V, H: number, dcU: V | null, dcL: V | null): V => {
  const dz = new Float64Array(5 * H), g = (q: number, u: number) => a[q * H + u]!
  for (let u = 0; u < H; u++) {
    const t = Math.tanh(c[u]!), o = g(3, u), i = g(0, u), gg = g(2, u), f2 = g(1, u), f1 = g(4, u)
    const dc = dcIn[u]! + dh[u]! * o * (1 - t * t)
    dz[3 * H + u] = dh[u]! * t * o * (1 - o)
    dz[u] = dc * gg * i * (1 - i)
    dz[2 * H + u] = dc * i * (1 - gg * gg)
    dz[H + u] = dc * cL[u]! * f2 * (1 - f2)
    dz[4 * H + u] = dc * cU[u]! * f1 * (1 - f1)
    if (dcL) addAt(dcL, u, dc * f2)
    if (dcU) addAt(dcU, u, dc * f1)
  }
  return dz
}

/** Gradients of the MSE against `target`: per parameter, dL/dx, and ||dL/dh(i, j)|| per direction (I*J row-major, scan coordinates). */
export const backward = (n: Net2d, P: ReadonlyArray<V>, x: ArrayLike<number>, B: number, target: ArrayLike<number>) => {
  const f = forward(n, P, x, B), { I, J } = dims(n), H = n.H, np = nPer(n)
  const grads = P.map((p) => new Float64Array(p.length))
  const dout = f.out.map((v, i) => (2 * (v - target[i]!)) / f.out.length)
  let dy = dout
  if (n.last) {
    dy = new Float64Array(f.y.length)
    for (let b = 0; b < B; b++) {
      const yb = f.y.subarray(b * f.Hout, (b + 1) * f.Hout), db = dout.subarray(b * n.O, (b + 1) * n.O)
      outer(grads[P.length - 2]!, yb, db)
      db.forEach((v, q) => addAt(grads[P.length - 1]!, q, v))
      mv(dy.subarray(b * f.Hout, (b + 1) * f.Hout), P[P.length - 2]!, db)
    }
  }
  const dx = new Float64Array(B * n.R * n.C * n.F)
  const dhNorm2 = n.flips.map(() => new Float64Array(I * J))
  f.cells.forEach((byDir, b) =>
    byDir.forEach((cs, k) => {
      const dh = Array.from({ length: I * J }, () => new Float64Array(H)), dc = Array.from({ length: I * J }, () => new Float64Array(H))
      for (let i = 0; i < I; i++)
        for (let j = 0; j < J; j++) {
          if (n.last && (i !== I - 1 || j !== J - 1)) continue
          const [ii, jj] = phys(n, n.flips[k]!, i, j), row = n.last ? b : (b * I + ii) * J + jj
          dh[i * J + j]!.forEach((_, u, a) => addAt(a, u, dy[row * f.Hout + (n.concat ? k * H : 0) + u]!))
        }
      const [Wx, W1, W2] = P.slice(k * np, k * np + 3) as [V, V, V]
      const [gWx, gW1, gW2, ...gb] = grads.slice(k * np, (k + 1) * np) as [V, V, V, ...V[]]
      const zero = new Float64Array(H)
      for (let i = I - 1; i >= 0; i--)
        for (let j = J - 1; j >= 0; j--) {
          const p = i * J + j, up = (i - 1) * J + j, left = p - 1
          const dhp = dh[p]!
          addAt(dhNorm2[k]!, p, dhp.reduce((s, v) => s + v * v, 0))
          const dz = n.kind === 'rnn2d'
            ? dhp.map((v, u) => v * (1 - cs.h[p]![u]! ** 2))
            : mdDz(cs.a[p]!, cs.c[p]!, i > 0 ? cs.c[up]! : zero, j > 0 ? cs.c[left]! : zero, dhp, dc[p]!, H, i > 0 ? dc[up]! : null, j > 0 ? dc[left]! : null)
          outer(gWx, cs.x[p]!, dz)
          if (i > 0) { outer(gW1, cs.h[up]!, dz); mv(dh[up]!, W1, dz) }
          if (j > 0) { outer(gW2, cs.h[left]!, dz); mv(dh[left]!, W2, dz) }
          gb.forEach((g, q) => g.forEach((_, u) => addAt(g, u, dz[(n.kind === 'mdlstm' ? BIAS_SLOT[q]! : q) * H + u]!)))
          const dxb = new Float64Array(dims(n).Fb)
          mv(dxb, Wx, dz)
          const [ii, jj] = phys(n, n.flips[k]!, i, j)
          for (let r = 0; r < n.bi; r++)
            for (let s = 0; s < n.bj; s++)
              for (let q = 0; q < n.F; q++) addAt(dx, ((b * n.R + ii * n.bi + r) * n.C + jj * n.bj + s) * n.F + q, dxb[(r * n.bj + s) * n.F + q]!)
        }
    }),
  )
  return { loss: f.out.reduce((s, v, i) => s + (v - target[i]!) ** 2, 0) / f.out.length, grads, dx, dhNorm: dhNorm2.map((a) => a.map(Math.sqrt)) }
}
