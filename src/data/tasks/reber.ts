/**
 * The embedded Reber grammar (Cleeremans, Servan-Schreiber & McClelland
 * 1989; Hochreiter & Schmidhuber 1997, LSTM paper §5.1, Experiment 1) and its
 * continual form (Gers, Schmidhuber & Cummins 2000, "Learning to forget").
 *
 * The Reber grammar is the automaton
 * `0 -B→ 1; 1 -T→ 2 | -P→ 3; 2 -S→ 2 | -X→ 4; 3 -T→ 3 | -V→ 5;
 *  4 -X→ 3 | -S→ 6; 5 -P→ 4 | -V→ 6; 6 -E→ end`, each branch taken with
 * probability ½ (e.g. BTXSE, BPVVE, BTSSXXTVVE). An embedded Reber string is
 * `B c R c E` with `c` ∈ {T, P} (½ each) and `R` a Reber string: predicting
 * the second `c` needs the first one, across the whole of `R`.
 *
 * Symbols are one-hot in the order `B T P S X V E` (7 features). The task is
 * next-symbol prediction: at each step the target is multi-hot over the
 * symbols the grammar allows next (`NextSymbols`, (T, B, 7)). `critical`
 * (T, B) is 1 at the one step per string whose next symbol is the embedded
 * `c` — the long-lag prediction (the inner `E`).
 *
 * - `embeddedReber`: one string per sequence; the inputs are its symbols but
 *   the last, padded at the end to the longest in the batch (or `maxSteps`,
 *   in which case longer strings are redrawn), with `mask`.
 * - `continualReber`: each sequence is a stream of `steps` symbols of
 *   embedded strings concatenated without reset (after `E` comes `B`);
 *   `boundary` (T, B) is 1 at each string-ending `E`, for an oracle reset.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { embeddedReber, embeddedReberString } from './reber'
 * assert.strictEqual(embeddedReberString(3, 0), 'BTBTXSETE')
 * const task = embeddedReber({ batchSize: 16, seed: 3 })
 * assert.ok(E.isRight(task))
 * const b = task.right.batch(0) // x (T, 16, 7) one-hot symbols, y (T, 16, 7) the allowed next symbols
 * assert.strictEqual(b.x.length, b.steps * 16 * 7)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../../core/Error'
import { exampleStride, fromSeed, type Seed, type Uniform } from '../random'
import { isIntIn, maskOf, type SequenceBatch, type SequenceTask } from './Sequence'

// model

/** A batch of embedded Reber sequences. @category model */
export interface ReberBatch extends SequenceBatch {
  /** (T, B) 1 where the next symbol is the embedded T or P that repeats the second symbol */
  readonly critical: Float32Array
}

/** A batch of continual streams. @category model */
export interface ContinualReberBatch extends ReberBatch {
  /** (T, B) 1 at each `E` that ends an embedded string */
  readonly boundary: Float32Array
}

/** @category model */
export interface EmbeddedReberOptions {
  readonly batchSize: number
  readonly seed: Seed
  /** fixed number of steps (≥ 8); longer strings are redrawn. Default: the longest in the batch */
  readonly maxSteps?: number
}

/** @category model */
export interface ContinualReberOptions {
  readonly batchSize: number
  readonly seed: Seed
  /** symbols per stream */
  readonly steps: number
}

/** The symbols, in the order of the one-hot features. @category utils @since 0.1.0 */
export const reberSymbols = 'BTPSXVE'

const [B_, T_, P_, S_, X_, V_, E_] = [0, 1, 2, 3, 4, 5, 6] as const
const DONE = 7
/** state → [symbol, next state] choices */
const grammar: ReadonlyArray<ReadonlyArray<readonly [number, number]>> = [
  [[B_, 1]],
  [[T_, 2], [P_, 3]],
  [[S_, 2], [X_, 4]],
  [[T_, 3], [V_, 5]],
  [[X_, 3], [S_, 6]],
  [[P_, 4], [V_, 6]],
  [[E_, DONE]],
]
const legalFrom = grammar.map((opts) => opts.reduce((m, [s]) => m | (1 << s), 0))

/** One embedded string: its symbols and, for each, the bit set of legal next symbols. */
interface Drawn {
  readonly symbols: ReadonlyArray<number>
  readonly next: ReadonlyArray<number>
  readonly critical: number
}

/** Draws one embedded Reber string from counters `c, c+1, …`; returns it and the next free counter. */
const draw = (u: Uniform, c0: number, continual: boolean): readonly [Drawn, number] => {
  let c = c0
  const emb = u(c++) < 0.5 ? T_ : P_
  const symbols: number[] = [B_, emb]
  const next = [(1 << T_) | (1 << P_), 1 << B_]
  let s = 0
  while (s !== DONE) {
    const opts = grammar[s]!
    const [sym, to] = opts.length === 1 ? opts[0]! : opts[u(c++) < 0.5 ? 0 : 1]!
    symbols.push(sym)
    next.push(to === DONE ? 1 << emb : legalFrom[to]!)
    s = to
  }
  const critical = symbols.length - 1
  symbols.push(emb, E_)
  next.push(1 << E_, continual ? 1 << B_ : 0)
  return [{ symbols, next, critical }, c]
}

/**
 * The `n`-th embedded Reber string of a seed, as text (the same string as
 * sequence `n` of `embeddedReber` without `maxSteps`).
 *
 * @category utils
 * @since 0.1.0
 */
export const embeddedReberString = (seed: Seed, n: number): string =>
  draw(fromSeed(seed), Math.floor(n) * exampleStride, false)[0].symbols.map((s) => reberSymbols[s]).join('')

const write = (x: Float32Array, y: Float32Array, t: number, b: number, B: number, sym: number, next: number): void => {
  const o = (t * B + b) * 7
  x[o + sym] = 1
  for (let j = 0; j < 7; j++) if ((next >> j) & 1) y[o + j] = 1
}

// constructors

/**
 * Batches of embedded Reber strings for next-symbol prediction.
 *
 * @category constructors
 * @since 0.1.0
 */
export const embeddedReber = (o: EmbeddedReberOptions): E.Either<GradtraceError, SequenceTask<ReberBatch>> => {
  const B = o.batchSize
  if (!isIntIn(B, 1)) return E.left(invalidArgument('embeddedReber', `batchSize = ${B} must be a positive integer`))
  if (o.maxSteps !== undefined && !isIntIn(o.maxSteps, 8))
    return E.left(invalidArgument('embeddedReber', `maxSteps = ${o.maxSteps} must be an integer ≥ 8 (the shortest string has 9 symbols)`))
  const u = fromSeed(o.seed)
  const batch = (k: number): ReberBatch => {
    const drawn = Array.from({ length: B }, (_, b) => {
      let [d, c] = draw(u, (Math.floor(k) * B + b) * exampleStride, false)
      while (o.maxSteps !== undefined && d.symbols.length - 1 > o.maxSteps) [d, c] = draw(u, c, false)
      return d
    })
    const lengths = Int32Array.from(drawn, (d) => d.symbols.length - 1)
    const T = o.maxSteps ?? Math.max(...lengths)
    const x = new Float32Array(T * B * 7)
    const y = new Float32Array(T * B * 7)
    const critical = new Float32Array(T * B)
    drawn.forEach((d, b) => {
      for (let t = 0; t < lengths[b]!; t++) write(x, y, t, b, B, d.symbols[t]!, d.next[t]!)
      critical[d.critical * B + b] = 1
    })
    const mask = maskOf(lengths, T)
    const base = { x, steps: T, batchSize: B, features: 7, lengths, target: { _tag: 'NextSymbols', y, outputs: 7 } as const, critical }
    return mask === undefined ? base : { ...base, mask }
  }
  return E.right({ name: 'embeddedReber', batchSize: B, features: 7, batch })
}

/**
 * Continual embedded Reber streams (no resets between strings), for
 * next-symbol prediction with a stateful network. Slice long streams into
 * truncated-BPTT windows along the first (time) axis.
 *
 * @category constructors
 * @since 0.1.0
 */
export const continualReber = (o: ContinualReberOptions): E.Either<GradtraceError, SequenceTask<ContinualReberBatch>> => {
  const { batchSize: B, steps: T } = o
  if (!isIntIn(B, 1)) return E.left(invalidArgument('continualReber', `batchSize = ${B} must be a positive integer`))
  if (!isIntIn(T, 1, 2 ** 22)) return E.left(invalidArgument('continualReber', `steps = ${T} must be an integer in [1, 2^22]`))
  const u = fromSeed(o.seed)
  const batch = (k: number): ContinualReberBatch => {
    const x = new Float32Array(T * B * 7)
    const y = new Float32Array(T * B * 7)
    const critical = new Float32Array(T * B)
    const boundary = new Float32Array(T * B)
    for (let b = 0; b < B; b++) {
      let c = (Math.floor(k) * B + b) * exampleStride
      for (let t = 0; t < T; ) {
        const [d, c1] = draw(u, c, true)
        c = c1
        for (let i = 0; i < d.symbols.length && t < T; i++, t++) {
          write(x, y, t, b, B, d.symbols[i]!, d.next[i]!)
          if (i === d.critical) critical[t * B + b] = 1
          if (i === d.symbols.length - 1) boundary[t * B + b] = 1
        }
      }
    }
    return { x, steps: T, batchSize: B, features: 7, lengths: new Int32Array(B).fill(T), target: { _tag: 'NextSymbols', y, outputs: 7 }, critical, boundary }
  }
  return E.right({ name: `continualReber(steps=${T})`, batchSize: B, features: 7, batch })
}
