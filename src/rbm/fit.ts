/**
 * `fit` for RBMs: epochs over a data set in minibatches shuffled with the state's key,
 * yielding progress as an async iterable, like `Train.fit`. At the end of each epoch
 * the epoch count rises (the momentum switches at spec.momentumSwitch) and, with
 * held-out data, the free-energy gap of Hinton's guide (section 6) is measured against
 * as many training rows. A bad input or a failed step is one record with `error`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as Key from '../core/Key'
 * import { fit, type RbmProgress } from './fit'
 * import { init } from './Rbm'
 * import { spec } from './spec'
 * // two prototypes, 0011 and 1100, repeated
 * const x = { shape: [40, 4], data: Float32Array.from({ length: 160 }, (_, i) => ((i >> 2) % 2 === 0) === (i % 4 < 2) ? 1 : 0) }
 * const s = spec({ nVisible: 4, nHidden: 2, learningRate: 0.5 })
 * assert.ok(E.isRight(s))
 * const s0 = init(s.right, Key.key(0), x)
 * assert.ok(E.isRight(s0))
 * const seen: RbmProgress[] = []
 * for await (const p of fit(s0.right, x, { epochs: 30, batchSize: 10, heldOut: x })) seen.push(p)
 * const last = seen[seen.length - 1]!
 * assert.strictEqual(last.state.epoch, 30)
 * assert.ok(last.trace!.reconstruction < seen[0]!.trace!.reconstruction) // it learnt the prototypes
 * assert.ok(Math.abs(last.gap!) < 1e-4) // held-out data identical to training data: no gap
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../core/Error'
import { foldIn } from '../core/Key'
import { permutation } from '../core/shuffle'
import type { Tensor } from '../core/Tensor'
import { freeEnergyGap } from './measure'
import { nextEpoch, type RbmState } from './Rbm'
import { step, type RbmTrace } from './step'
import type { Runtime } from '../wasm/Runtime'

/** @category model */
export interface RbmFitOptions {
  readonly epochs: number
  readonly batchSize: number
  /** held-out rows for the free-energy gap at each epoch's end */
  readonly heldOut?: Tensor
  /** yield every `every` steps (default 1) and at the end of each epoch */
  readonly every?: number
  /** the runtime of the steps (default: the shared one) */
  readonly runtime?: Runtime
}

/** @category model */
export interface RbmProgress {
  readonly epoch: number
  readonly state: RbmState
  readonly trace?: RbmTrace
  /** held-out minus training mean free energy, at an epoch's end */
  readonly gap?: number
  readonly error?: GradtraceError
}

const SHUFFLE = 0x53485546 // 'SHUF': the shuffles' stream, apart from the steps' foldIn(key, step)

const rows = (x: Tensor, idx: ArrayLike<number>, from: number, n: number, width: number): Tensor => {
  const out = new Float32Array(n * width)
  for (let r = 0; r < n; r++) {
    const i = idx[from + r]!
    out.set((x.data as Float32Array).subarray(i * width, (i + 1) * width), r * width)
  }
  return { shape: [n, width], data: out }
}

const checkFit = (st: RbmState, x: Tensor, o: RbmFitOptions): E.Either<GradtraceError, number> => {
  const V = st.spec.nVisible, n = x.shape[0] ?? 0
  if (x.shape.length !== 2 || x.shape[1] !== V) return E.left(shapeMismatch('data', [-1, V], x.shape))
  if (!Number.isInteger(o.epochs) || o.epochs < 0) return E.left(invalidArgument('opts.epochs', `must be an integer >= 0, got ${o.epochs}`))
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1 || o.batchSize > n)
    return E.left(invalidArgument('opts.batchSize', `must be an integer in [1, ${n}], got ${o.batchSize}`))
  const h = o.heldOut
  if (h && (h.shape.length !== 2 || h.shape[1] !== V || (h.shape[0] ?? 0) > n)) return E.left(shapeMismatch('opts.heldOut', [-1, V], h.shape))
  return E.right(n)
}

/**
 * Trains `state` on `data` (rows, nVisible); full batches only, the last partial one of
 * each epoch is left out (one program per batch size).
 *
 * @category utils
 * @since 0.1.0
 */
export async function* fit(state: RbmState, data: Tensor, opts: RbmFitOptions): AsyncGenerator<RbmProgress> {
  const ok = checkFit(state, data, opts)
  if (E.isLeft(ok)) return yield { epoch: state.epoch, state, error: ok.left }
  const n = ok.right, B = opts.batchSize, V = state.spec.nVisible, every = Math.max(1, opts.every ?? 1)
  let st = state
  for (let e = 0; e < opts.epochs; e++) {
    const idx = permutation(foldIn(foldIn(st.key, SHUFFLE), st.epoch), n)
    let trace: RbmTrace | undefined
    for (let at = 0; at + B <= n; at += B) {
      const r = step(st, rows(data, idx, at, B, V), opts.runtime)
      if (E.isLeft(r)) return yield { epoch: st.epoch, state: st, error: r.left }
      ;[st, trace] = r.right
      if (st.step % every === 0 && at + 2 * B <= n) yield { epoch: st.epoch, state: st, trace }
    }
    st = nextEpoch(st)
    const h = opts.heldOut, m = h?.shape[0] ?? 0
    const gap = h ? freeEnergyGap(st.spec, st.params, rows(data, idx, 0, m, V), h) : undefined
    if (gap && E.isLeft(gap)) return yield { epoch: st.epoch, state: st, error: gap.left }
    yield { epoch: st.epoch, state: st, ...(trace ? { trace } : {}), ...(gap ? { gap: gap.right } : {}) }
  }
}
