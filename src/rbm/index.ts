/**
 * Restricted Boltzmann machines (#11): Bernoulli-Bernoulli and Gaussian-Bernoulli RBMs
 * as values, trained by pure CD-k or persistent-CD steps whose Gibbs sampling runs in
 * Wasm from explicit keys; each step returns its trace (reconstruction error, free
 * energy, hidden activity, update-to-weight ratios). Measurements: free energies and
 * the held-out gap, pseudo-log-likelihood, exact log Z and log-likelihood of small
 * RBMs, and AIS estimates of log Z for large ones.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Rbm } from 'gradtrace/core'
 * const spec = Rbm.decodeSpec('{"nVisible": 6, "nHidden": 3, "k": 1}')
 * assert.ok(E.isRight(spec))
 * const x = { shape: [4, 6], data: new Float32Array([1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1]) }
 * const s0 = Rbm.init(spec.right, Key.key(0), x)
 * assert.ok(E.isRight(s0))
 * const r = Rbm.step(s0.right, x) // Either<GradtraceError, [state, trace]>
 * assert.ok(E.isRight(r) && r.right[0].step === 1 && r.right[1].freeEnergy < 0)
 * const ll = Rbm.logLikelihood(spec.right, r.right[0].params, x) // exact: 3 hidden units enumerated
 * assert.ok(E.isRight(ll) && ll.right < 0)
 *
 * @since 0.1.0
 */
export { ais, type AisEstimate, type AisOptions, schedule } from './ais'
export { fit, type RbmFitOptions, type RbmProgress } from './fit'
export { exactLogZ, freeEnergy, freeEnergyGap, logLikelihood, MAX_EXACT_HIDDEN, pseudoLogLikelihood } from './measure'
export { HIST_BINS } from './program'
export { checkParams, fromParams, init, nextEpoch, type RbmParams, type RbmState } from './Rbm'
export { decodeSpec, encodeSpec, type RbmSpec, RbmSpecCodec, type RbmSpecInput, spec, type Visible } from './spec'
export { type HiddenStats, type RbmTrace, step } from './step'
