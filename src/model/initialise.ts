/**
 * Drawing initial parameters from a key, in Wasm (Threefry counters), so the
 * same key gives bit-identical parameters in every runtime. Orthogonal
 * matrices are the Q of a Householder QR of a Gaussian draw (signs fixed by
 * R's diagonal, as Saxe et al. 2014 and PyTorch's orthogonal_), computed in
 * float64 with +, -, *, / and sqrt only, which IEEE 754 makes exact and
 * portable.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { type Key, split } from '../core/Key'
import type { Params } from '../core/Params'
import { size } from '../core/Tensor'
import { draw } from '../layer/init'
import { sample } from '../plan/sample'
import type { Runtime } from '../wasm/Runtime'
import type { ParamSlot } from './graph'

/** Applies the reflector I - 2 v v^T / (v^T v) (v zero above row k) to columns from `from` of the (m, n) matrix x, in place. */
const reflect = (x: Float64Array, v: Float64Array, k: number, m: number, n: number, from: number): void => {
  let vn = 0
  for (let i = k; i < m; i++) vn += v[i]! * v[i]!
  if (vn === 0) return
  for (let j = from; j < n; j++) {
    let s = 0
    for (let i = k; i < m; i++) s += v[i]! * x[i * n + j]!
    const f = (2 * s) / vn
    for (let i = k; i < m; i++) x[i * n + j] = x[i * n + j]! - f * v[i]!
  }
}

/** Householder QR of a (m, n) matrix (m >= n), in place: the reflectors and R's diagonal. */
const householder = (a: Float64Array, m: number, n: number): { readonly vs: ReadonlyArray<Float64Array>; readonly rdiag: Float64Array } => {
  const vs: Float64Array[] = []
  const rdiag = new Float64Array(n)
  for (let k = 0; k < n; k++) {
    let norm = 0
    for (let i = k; i < m; i++) norm += a[i * n + k]! * a[i * n + k]!
    norm = Math.sqrt(norm)
    const alpha = a[k * n + k]! > 0 ? -norm : norm
    const v = new Float64Array(m)
    for (let i = k; i < m; i++) v[i] = a[i * n + k]!
    v[k] = v[k]! - alpha
    reflect(a, v, k, m, n, k)
    rdiag[k] = a[k * n + k]!
    vs.push(v)
  }
  return { vs, rdiag }
}

/** Orthonormal columns (or rows) for an (r, c) matrix, from a Gaussian draw g (r*c, row-major). */
const orthogonalFrom = (g: Float32Array, r: number, c: number, gain: number): Float32Array => {
  // Work on the tall orientation (m >= n): A is (m, n).
  const tall = r >= c
  const m = tall ? r : c
  const n = tall ? c : r
  const a = new Float64Array(m * n)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) a[tall ? i * n + j : j * n + i] = g[i * c + j]!
  const { vs, rdiag } = householder(a, m, n)
  // Q = H0 H1 ... H(n-1) applied to the first n columns of I.
  const q = new Float64Array(m * n)
  for (let j = 0; j < n; j++) q[j * n + j] = 1
  for (let k = n - 1; k >= 0; k--) reflect(q, vs[k]!, k, m, n, 0)
  const out = new Float32Array(r * c)
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const val = gain * q[i * n + j]! * (rdiag[j]! < 0 ? -1 : 1)
      out[tall ? i * c + j : j * c + i] = val
    }
  return out
}

const identityMatrix = (shape: ReadonlyArray<number>, gain: number): Float32Array => {
  const n = size(shape)
  const out = new Float32Array(n)
  if (shape.length !== 2) return out.fill(gain)
  const [r = 1, c = 1] = shape
  for (let i = 0; i < Math.min(r, c); i++) out[i * c + i] = gain
  return out
}

/** One parameter's initial values from its own key. */
const initial = (rt: Runtime, s: ParamSlot, key: Key): E.Either<GradtraceError, Float32Array> => {
  const n = size(s.shape)
  const d = draw(s.init, s.fans[0], s.fans[1])
  switch (d._tag) {
    case 'constant':
      return E.right(new Float32Array(n).fill(d.value))
    case 'uniform':
      return sample(rt, n, key, { _tag: 'uniform', lo: -d.a, hi: d.a })
    case 'normal':
      return sample(rt, n, key, d)
    case 'orthogonal': {
      const [r = n, c = 1] = s.shape.length === 2 ? s.shape : [n, 1]
      return E.map((g: Float32Array) => orthogonalFrom(g, r, c, d.gain))(sample(rt, n, key, { _tag: 'normal', mean: 0, std: 1 }))
    }
    case 'identity':
      return E.right(identityMatrix(s.shape, d.gain))
  }
}

/** Draws every parameter from its own subkey of `key`. @category constructors */
export const initialise = (rt: Runtime, slots: ReadonlyArray<ParamSlot>, key: Key): E.Either<GradtraceError, Params> => {
  const keys = split(key, Math.max(1, slots.length))
  const one = (i: number, s: ParamSlot) => E.map((data: Float32Array) => ({ path: s.path, shape: s.shape, data }))(initial(rt, s, keys[i] ?? key))
  return E.traverseArrayWithIndex(one)(slots)
}
