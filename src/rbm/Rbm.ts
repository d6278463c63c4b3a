/**
 * RBMs as values: parameters, the training state a step maps to the next one, and
 * their initialisation (Hinton 2010, section 8: weights N(0, 0.01^2), visible biases
 * log(p / (1 - p)) of the data, hidden biases 0). Nothing here is mutated; a step
 * (./step.ts) returns a new state.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import { init } from './Rbm'
 * import { spec } from './spec'
 * const s = spec({ nVisible: 3, nHidden: 2 })
 * assert.ok(E.isRight(s))
 * const data = { shape: [4, 3], data: new Float32Array([1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1]) }
 * const st = init(s.right, Key.key(0), data)
 * assert.ok(E.isRight(st))
 * assert.strictEqual(st.right.params.W.length, 6) // W is (nVisible, nHidden)
 * assert.ok(Math.abs(st.right.params.a[1]! - Math.log(0.25 / 0.75)) < 1e-6) // unit 1 is on in 1 of 4 rows
 * assert.deepStrictEqual(init(s.right, Key.key(0), data), st) // the same key, the same state
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, shapeMismatch } from '../core/Error'
import type { Key } from '../core/Key'
import { split } from '../core/Key'
import type { ReadonlyFloat32Array, Tensor } from '../core/Tensor'
import { defaultRuntime } from '../model/runtime'
import { sample } from '../plan/sample'
import type { RbmSpec } from './spec'

/** Weights W (nVisible, nHidden) row-major, visible biases a, hidden biases b. @category model */
export interface RbmParams {
  readonly W: ReadonlyFloat32Array
  readonly a: ReadonlyFloat32Array
  readonly b: ReadonlyFloat32Array
}

/** What a training step maps: parameters, their momentum, persistent chains, counters and the key. @category model */
export interface RbmState {
  readonly spec: RbmSpec
  readonly params: RbmParams
  /** momentum buffers, one per parameter */
  readonly velocity: RbmParams
  /** PCD's fantasy particles (batch, nVisible), or null before the first step and for CD */
  readonly chains: ReadonlyFloat32Array | null
  /** steps taken */
  readonly step: number
  /** epochs completed (the momentum switches at spec.momentumSwitch) */
  readonly epoch: number
  readonly key: Key
}

const zeros = (s: RbmSpec): RbmParams => ({ W: new Float32Array(s.nVisible * s.nHidden), a: new Float32Array(s.nVisible), b: new Float32Array(s.nHidden) })

/** Visible biases log(p / (1 - p)), p the fraction of rows with the unit on, clamped to [1e-3, 1 - 1e-3]. */
const visibleBias = (s: RbmSpec, data: Tensor): Float32Array => {
  const n = data.shape[0] ?? 0, nv = s.nVisible, on = new Float64Array(nv)
  for (let r = 0; r < n; r++) for (let i = 0; i < nv; i++) on[i]! += data.data[r * nv + i]!
  return Float32Array.from(on, (c) => {
    const p = Math.min(Math.max(c / Math.max(n, 1), 1e-3), 1 - 1e-3)
    return Math.log(p / (1 - p))
  })
}

/**
 * A fresh state: weights drawn with `key` (in Wasm, so the bits are the same in every
 * runtime), biases from `data` when given (Bernoulli visible units; Gaussian ones start at 0).
 *
 * @category constructors
 * @since 0.1.0
 */
export const init = (s: RbmSpec, key: Key, data?: Tensor): E.Either<GradtraceError, RbmState> => {
  if (data && (data.shape.length !== 2 || data.shape[1] !== s.nVisible)) return E.left(shapeMismatch('data', [-1, s.nVisible], data.shape))
  const [wKey, run] = split(key, 2)
  const rt = defaultRuntime()
  if (E.isLeft(rt)) return rt
  const W = sample(rt.right, s.nVisible * s.nHidden, wKey!, { _tag: 'normal', mean: 0, std: s.initStd })
  if (E.isLeft(W)) return W
  const a = data && s.visible === 'bernoulli' ? visibleBias(s, data) : new Float32Array(s.nVisible)
  return E.right(fromParams(s, { W: W.right, a, b: new Float32Array(s.nHidden) }, run!))
}

/**
 * A state from given parameters (a checkpoint, a test), with zero momentum and no chains.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromParams = (s: RbmSpec, params: RbmParams, key: Key): RbmState => ({
  spec: s,
  params: { W: params.W.slice(), a: params.a.slice(), b: params.b.slice() },
  velocity: zeros(s),
  chains: null,
  step: 0,
  epoch: 0,
  key,
})

/**
 * The state with one more epoch counted (what `fit` does at the end of each epoch).
 *
 * @category combinators
 * @since 0.1.0
 */
export const nextEpoch = (st: RbmState): RbmState => ({ ...st, epoch: st.epoch + 1 })

/** Checks parameter sizes against the spec. @category utils */
export const checkParams = (s: RbmSpec, p: RbmParams, path = 'params'): E.Either<GradtraceError, RbmParams> => {
  const want: ReadonlyArray<readonly [keyof RbmParams, number]> = [['W', s.nVisible * s.nHidden], ['a', s.nVisible], ['b', s.nHidden]]
  const bad = want.find(([k, n]) => p[k].length !== n)
  return bad ? E.left(shapeMismatch(`${path}.${bad[0]}`, [bad[1]], [p[bad[0]].length])) : E.right(p)
}
