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
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import type { ParamSlot } from './graph'

/** Orthonormal columns (or rows) for an (r, c) matrix, from a Gaussian draw g (r*c, row-major). */
const orthogonalFrom = (g: Float32Array, r: number, c: number, gain: number): Float32Array => {
  // Work on the tall orientation (m >= n): A is (m, n).
  const tall = r >= c
  const m = tall ? r : c
  const n = tall ? c : r
  const a = new Float64Array(m * n)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) a[tall ? i * n + j : j * n + i] = g[i * c + j]!
  // Householder QR: reflectors stored in v, then Q formed explicitly.
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
    let vn = 0
    for (let i = k; i < m; i++) vn += v[i]! * v[i]!
    if (vn > 0) {
      for (let j = k; j < n; j++) {
        let s = 0
        for (let i = k; i < m; i++) s += v[i]! * a[i * n + j]!
        const f = (2 * s) / vn
        for (let i = k; i < m; i++) a[i * n + j] = a[i * n + j]! - f * v[i]!
      }
    }
    rdiag[k] = a[k * n + k]!
    vs.push(v)
  }
  // Q = H0 H1 ... H(n-1) applied to the first n columns of I.
  const q = new Float64Array(m * n)
  for (let j = 0; j < n; j++) q[j * n + j] = 1
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!
    let vn = 0
    for (let i = k; i < m; i++) vn += v[i]! * v[i]!
    if (vn === 0) continue
    for (let j = 0; j < n; j++) {
      let s = 0
      for (let i = k; i < m; i++) s += v[i]! * q[i * n + j]!
      const f = (2 * s) / vn
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - f * v[i]!
    }
  }
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

/** Draws every parameter from its own subkey of `key`. @category constructors */
export const initialise = (rt: Runtime, slots: ReadonlyArray<ParamSlot>, key: Key): E.Either<GradtraceError, Params> => {
  const k = rt.kernels
  const keys = split(key, Math.max(1, slots.length))
  const base = (k.heap_base() + 63) & ~63
  const largest = slots.reduce((m, s) => Math.max(m, size(s.shape)), 0)
  const grown = W.ensure(k, base + 4 * largest + 64)
  if (E.isLeft(grown)) return grown
  return E.right(
    slots.map((s, i) => {
      const n = size(s.shape)
      const kk = keys[i]!
      const d = draw(s.init, s.fans[0], s.fans[1])
      let data: Float32Array
      switch (d._tag) {
        case 'constant':
          data = new Float32Array(n).fill(d.value)
          break
        case 'uniform':
          k.rng_uniform_f32(base, n, kk.k0, kk.k1, 0, -d.a, d.a)
          data = W.read(k, base, n)
          break
        case 'normal':
          k.rng_normal_f32(base, n, kk.k0, kk.k1, 0, d.mean, d.std)
          data = W.read(k, base, n)
          break
        case 'orthogonal': {
          k.rng_normal_f32(base, n, kk.k0, kk.k1, 0, 0, 1)
          const [r = n, c = 1] = s.shape.length === 2 ? s.shape : [n, 1]
          data = orthogonalFrom(W.read(k, base, n), r, c, d.gain)
          break
        }
        case 'identity':
          data = identityMatrix(s.shape, d.gain)
          break
      }
      return { path: s.path, shape: s.shape, data }
    }),
  )
}
