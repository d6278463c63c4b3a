// 03 — Glorot & Bengio 2010, scaled down (LITERATURE.md E2): five hidden layers
// of 64 units on the 8x8 digits, plain SGD with minibatches of 10, the
// learning rate of each model picked from {0.1, 0.3, 1} on a validation split.
// Run: node scripts/run-example.mjs examples/03-glorot-bengio.ts [--quick]
//
// Expected (full mode, measured; about 20 s on one core):
//   dL/dz spread over the 5 hidden layers at init: tanh + classic ~12x,
//   tanh + Glorot ~2x, sigmoid + classic ~3e3x (layer 1 gets ~4e-4 of the top's)
//   sigmoid + classic never leaves chance (loss ~2.30, ~90% test error); its
//   top hidden layer's mean activation falls from 0.51 toward 0 (~0.01)
//   tanh + classic: lower layers saturate first (~26% of layer 1 at the end)
//   test error: sigmoid ~91% > tanh-classic ~2.5% > tanh-Glorot ~1.4%;
//   softsign + classic ~2.5%, softsign + Glorot ~2%
import { glorotExperiment } from '../src/experiments/glorot'
import type { ExperimentResult } from '../src/experiments/Experiment'
import { findingsText, textTable } from '../src/report/html'

export async function main(args: ReadonlyArray<string> = []): Promise<ExperimentResult> {
  const quick = args.includes('--quick')
  const t0 = Date.now()
  const r = await glorotExperiment.run({ quick })
  console.log(`${r.title}${quick ? ' (quick)' : ''}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
  console.log(textTable(r.table.head, r.table.rows))
  console.log(`\n${r.paragraph}\n`)
  console.log(findingsText(r.findings))
  return r
}
