/**
 * An RBM's spec: plain JSON, with defaults from Hinton's practical guide (2010,
 * "A Practical Guide to Training Restricted Boltzmann Machines", UTML TR 2010-003),
 * and its io-ts codec (strict: an unknown field is an error that names it).
 *
 * Defaults, with the section of the guide they come from:
 * - `learningRate` 0.1 for Bernoulli visible units (section 7 sets it by the updates, which
 *   should be about 1e-3 times the weights, and the trace's `updateRatio` shows that; 0.1 is
 *   the rate of Hinton and Salakhutdinov's rbm.m for binary units); 0.001 for Gaussian
 *   visible units: section 13.2 says the learning rate "needs to be about one or two
 *   orders of magnitude smaller than when using binary visible units" (we take two).
 * - `momentum` 0.5, then 0.9 from epoch `momentumSwitch` = 5 on (section 9: start at 0.5,
 *   raise to 0.9 once the reconstruction error's fast initial fall has settled; rbm.m
 *   switches after epoch 5).
 * - `weightDecay` 2e-4 (rbm.m's weight cost; section 10 calls 0.01 to 0.00001 the usual
 *   range), L2 on the weights only, not the biases.
 * - `initStd` 0.01: weights from a zero-mean Gaussian of std 0.01 (section 8); visible
 *   biases log(p / (1 - p)) of the training data, hidden biases 0 (section 8).
 * - `k` 1 (CD-1), `persistent` false (true: PCD, Tieleman 2008); `sampleVisible` false:
 *   the reconstruction uses visible probabilities, the hidden units driven by data are
 *   sampled and their probabilities used in the statistics (section 3). Persistent
 *   chains always carry sampled visible states.
 * Gaussian visible units have unit variance: standardise the data first (section 13.2).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { decodeSpec, spec } from './spec'
 * const s = spec({ nVisible: 784, nHidden: 500 })
 * assert.ok(E.isRight(s) && s.right.learningRate === 0.1 && s.right.weightDecay === 2e-4)
 * const typo = decodeSpec({ nVisible: 4, nHidden: 2, learningrate: 0.1 })
 * assert.ok(E.isLeft(typo) && typo.left._tag === 'DecodeError' && typo.left.path === 'learningrate')
 * assert.ok(E.isLeft(spec({ nVisible: 4, nHidden: 0 }))) // sizes are positive integers
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { decodeWith, parseJson } from '../core/decoding'
import { strict } from '../core/strict'

/** Visible unit kind. @category model */
export type Visible = 'bernoulli' | 'gaussian'

/** A full RBM spec. @category model */
export interface RbmSpec {
  readonly visible: Visible
  readonly nVisible: number
  readonly nHidden: number
  /** Gibbs steps of CD-k */
  readonly k: number
  /** persistent contrastive divergence (Tieleman 2008) */
  readonly persistent: boolean
  readonly learningRate: number
  /** [initial, final] */
  readonly momentum: readonly [number, number]
  /** the epoch from which the final momentum applies */
  readonly momentumSwitch: number
  readonly weightDecay: number
  readonly initStd: number
  readonly sampleVisible: boolean
}

/** What a user writes: sizes, and any default to change. @category model */
export type RbmSpecInput = Partial<RbmSpec> & Pick<RbmSpec, 'nVisible' | 'nHidden'>

/** The JSON form (strict). @category codecs */
export const RbmSpecCodec = strict(
  t.intersection([
    t.type({ nVisible: t.number, nHidden: t.number }),
    t.partial({
      visible: t.union([t.literal('bernoulli'), t.literal('gaussian')]),
      k: t.number,
      persistent: t.boolean,
      learningRate: t.number,
      momentum: t.tuple([t.number, t.number]),
      momentumSwitch: t.number,
      weightDecay: t.number,
      initStd: t.number,
      sampleVisible: t.boolean,
    }),
  ]),
  'RbmSpec',
)

const posInt = (x: number): boolean => Number.isInteger(x) && x > 0
const nonNeg = (x: number): boolean => Number.isFinite(x) && x >= 0

const checks = (s: RbmSpec): ReadonlyArray<readonly [boolean, keyof RbmSpec, string]> => [
  [posInt(s.nVisible), 'nVisible', 'a positive integer'],
  [posInt(s.nHidden), 'nHidden', 'a positive integer'],
  [posInt(s.k), 'k', 'a positive integer (Gibbs steps)'],
  [Number.isFinite(s.learningRate) && s.learningRate > 0, 'learningRate', 'a positive number'],
  [s.momentum.every((m) => nonNeg(m) && m < 1), 'momentum', 'two numbers in [0, 1)'],
  [Number.isInteger(s.momentumSwitch) && s.momentumSwitch >= 0, 'momentumSwitch', 'an epoch (integer >= 0)'],
  [nonNeg(s.weightDecay), 'weightDecay', 'a number >= 0'],
  [nonNeg(s.initStd), 'initStd', 'a number >= 0'],
]

/**
 * A full spec from sizes and overrides, checked; a bad field is an error naming it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const spec = (input: RbmSpecInput): E.Either<GradtraceError, RbmSpec> => {
  const visible = input.visible ?? 'bernoulli'
  const s: RbmSpec = {
    visible,
    k: 1,
    persistent: false,
    learningRate: visible === 'gaussian' ? 0.001 : 0.1,
    momentum: [0.5, 0.9],
    momentumSwitch: 5,
    weightDecay: 2e-4,
    initStd: 0.01,
    sampleVisible: false,
    ...input,
  }
  const bad = checks(s).find(([ok]) => !ok)
  return bad ? E.left(invalidArgument(`rbm.${bad[1]}`, `must be ${bad[2]}, got ${JSON.stringify(s[bad[1]])}`)) : E.right(s)
}

/**
 * Decodes a spec from JSON text or a parsed value (strict), then fills and checks it.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeSpec = (json: unknown): E.Either<GradtraceError, RbmSpec> =>
  E.chain((u: unknown) => E.chain((i: RbmSpecInput) => spec(i))(decodeWith(RbmSpecCodec)(u)))(parseJson(json))

/**
 * The JSON text of a spec.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeSpec = (s: RbmSpec): string => JSON.stringify(s)
