/**
 * Training: losses, pure steps and `fit`.
 *
 * @example
 * import { init, step, fit } from './index'
 * // const s = init(model, sgd(0.1), key(0)); step(model, sgd(0.1))(s, batch)
 *
 * @since 0.1.0
 */
export { type Loss, LossCodec } from '../loss/Loss'
export { fromParams, init, step, type StepOptions, type TrainState } from './step'
export { type Data, fit, type FitOptions, type Progress, take } from './fit'
export { checkFit, type FitPlan } from './checkFit'
