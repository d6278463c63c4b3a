// 03 — Glorot & Bengio 2010, scaled down (docs/experiments.md, E2): five hidden layers
// of 64 units on the 8x8 digits, plain SGD with minibatches of 10, the
// learning rate of each model picked from {0.1, 0.3, 1} on a validation split.
// Run: node scripts/run-example.mjs examples/03-glorot-bengio.ts [--quick]
//
// Expected (full mode, measured; about 9 s on one core):
//   dL/dz spread over the 5 hidden layers at init (max/min): tanh + classic 12x
//   (layer 1 gets 0.083 of the top's), tanh + Glorot 2.3x, softsign 24x / 4.6x,
//   sigmoid + classic 2.6e3x (layer 1 gets 3.8e-4)
//   sigmoid + classic never leaves chance (loss 2.30, test error 90.8%); its top
//   hidden layer's mean activation falls from 0.51 to 0.05, toward 0 as in the
//   paper, though < 1% of it passes the trace's saturation threshold σ < 0.01
//   saturated units at the end, layers 1..5: tanh + Glorot 19/15/11/9/7%
//   (falling with depth), tanh + classic (lr 0.1) under 2%
//   test error: sigmoid 90.8% > tanh + classic 2.5% > tanh + Glorot 2.2%;
//   softsign 3.3% (classic) / 2.5% (Glorot); one test digit is 0.28 points
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
