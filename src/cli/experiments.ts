/**
 * The demo's experiments, in the order of the report.
 *
 * @since 0.1.0
 */
import { clippingExperiment } from '../experiments/clipping'
import { depthExperiment } from '../experiments/depth'
import type { Experiment } from '../experiments/Experiment'

/** @category experiments */
export const experiments: ReadonlyArray<Experiment> = [depthExperiment, clippingExperiment]
