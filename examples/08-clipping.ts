// 08 — exploding gradients and clipping (docs/experiments.md, E9; Pascanu et al. 2013):
// a tanh RNN (32 units) whose recurrent weights are orthogonal × 1.5, on the
// adding problem with T = 50, plain SGD at lr 0.2, with and without
// clipByGlobalNorm(1); 300 steps each.
// Run: node scripts/run-example.mjs examples/08-clipping.ts [--quick]
//
// Expected (measured; about 2 s on one core; each sequence of the training
// set seen once, in Train.fit's keyed order):
//   without clipping the global gradient norm climbs to ~2e21 and the run
//   turns non-finite at step 25 — the trace reports it, nothing throws;
//   with clipping the run stays finite for 300 steps, the trace holds the norm
//   before the clip (up to ~8e1) and after it (at most 1); final MSE ~0.32
import { clippingExperiment } from '../src/experiments/clipping'
import type { ExperimentResult } from '../src/experiments/Experiment'
import { findingsText, textTable } from '../src/report/html'

export async function main(args: ReadonlyArray<string> = []): Promise<ExperimentResult> {
  const r = await clippingExperiment.run({ quick: args.includes('--quick') })
  console.log(textTable(r.table.head, r.table.rows))
  console.log(`\n${r.paragraph}\n`)
  console.log(findingsText(r.findings))
  return r
}
