/**
 * Float64 references for the RBM tests: conditionals, free energies, and brute-force
 * enumeration over both layers of a tiny RBM (the definition of Z, not the kernel's formula).
 */
export interface Tiny {
  readonly nv: number
  readonly nh: number
  /** W (nv, nh) row-major, a (nv), b (nh) */
  readonly W: ArrayLike<number>
  readonly a: ArrayLike<number>
  readonly b: ArrayLike<number>
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x))
export const softplus = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))

/** h = v W + b for each row of v (rows, nv). */
export const hidPre = (m: Tiny, v: ArrayLike<number>, rows: number): Float64Array => {
  const h = new Float64Array(rows * m.nh)
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < m.nh; j++) {
      let s = m.b[j]!
      for (let i = 0; i < m.nv; i++) s += v[r * m.nv + i]! * m.W[i * m.nh + j]!
      h[r * m.nh + j] = s
    }
  return h
}

/** F(v) per row. */
export const freeEnergy = (m: Tiny, v: ArrayLike<number>, rows: number, gaussian = false): Float64Array => {
  const h = hidPre(m, v, rows)
  return Float64Array.from({ length: rows }, (_, r) => {
    let f = 0
    for (let i = 0; i < m.nv; i++) {
      const x = v[r * m.nv + i]!
      f += gaussian ? 0.5 * (x - m.a[i]!) ** 2 : -m.a[i]! * x
    }
    for (let j = 0; j < m.nh; j++) f -= softplus(h[r * m.nh + j]!)
    return f
  })
}

const bitsOf = (x: number, n: number): ReadonlyArray<number> => Array.from({ length: n }, (_, i) => (x >> i) & 1)

/** -E(v, h) = a.v + b.h + v W h (Bernoulli-Bernoulli). */
const negEnergy = (m: Tiny, v: ReadonlyArray<number>, h: ReadonlyArray<number>): number => {
  let e = 0
  for (let i = 0; i < m.nv; i++) e += m.a[i]! * v[i]!
  for (let j = 0; j < m.nh; j++) e += m.b[j]! * h[j]!
  for (let i = 0; i < m.nv; i++) for (let j = 0; j < m.nh; j++) e += v[i]! * m.W[i * m.nh + j]! * h[j]!
  return e
}

const logSumExp = (xs: ReadonlyArray<number>): number => {
  const mx = Math.max(...xs)
  return mx + Math.log(xs.reduce((s, x) => s + Math.exp(x - mx), 0))
}

/** log Z by summing exp(-E) over all 2^(nv + nh) joint states. */
export const bruteLogZ = (m: Tiny): number => {
  const terms: number[] = []
  for (let vi = 0; vi < 1 << m.nv; vi++) for (let hi = 0; hi < 1 << m.nh; hi++) terms.push(negEnergy(m, bitsOf(vi, m.nv), bitsOf(hi, m.nh)))
  return logSumExp(terms)
}

/** -F(v) by summing exp(-E(v, h)) over h, for each row. */
export const bruteNegFreeEnergy = (m: Tiny, v: ReadonlyArray<number>): number =>
  logSumExp(Array.from({ length: 1 << m.nh }, (_, hi) => negEnergy(m, v, bitsOf(hi, m.nh))))

/** A deterministic tiny RBM. */
export const tiny = (nv: number, nh: number, scale: number, seed: number): Tiny => {
  let s = seed
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return (s / 2147483648) * 2 - 1
  }
  const f32 = (n: number, k: number) => Float32Array.from({ length: n }, () => k * rnd())
  return { nv, nh, W: f32(nv * nh, scale), a: f32(nv, scale / 2), b: f32(nh, scale / 2) }
}
