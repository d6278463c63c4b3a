/**
 * The demo's experiments, in the order of the report.
 *
 * @since 0.1.0
 */
import { clippingExperiment } from '../experiments/clipping'
import { depthExperiment } from '../experiments/depth'
import type { Experiment } from '../experiments/Experiment'
import { glorotExperiment } from '../experiments/glorot'
import { normalisationExperiment } from '../experiments/normalisation'
import { recurrentExperiment } from '../experiments/recurrent'
import { reluExperiment } from '../experiments/relu'
import { residualExperiment } from '../experiments/residual'

/** @category experiments */
export const experiments: ReadonlyArray<Experiment> = [
  depthExperiment,
  glorotExperiment,
  reluExperiment,
  normalisationExperiment,
  clippingExperiment,
  recurrentExperiment,
  residualExperiment,
]
