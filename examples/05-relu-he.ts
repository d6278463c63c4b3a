// 05 — deep ReLU nets, He against Glorot initialisation (docs/experiments.md, E3):
// MLPs of width 64 with 10 and 30 ReLU layers on the digits, SGD + momentum
// 0.9, lr 0.005, batch 64, 500 steps, the same for every net.
// Run: node scripts/run-example.mjs examples/05-relu-he.ts [--quick]
//
// Expected (full mode, measured; about 9 s on one core):
//   layer 1 / last ‖dL/dz‖ at init, depth 30: He 0.50, Glorot 4.1e-5
//   (√½^29 = 4.3e-5), He × 2 1.3e4 (exploding; initial loss 2e4)
//   depth 30: He leaves chance (loss < 2) by step 30, ends at loss 0.26 and
//   90.5% test accuracy; Glorot sits at ln 10 = 2.30 for all 500 steps (8.9%);
//   He × 2 diverges at step 2
//   depth 10: both learn (94.7% / 94.2%); Glorot leaves chance at step 163, He at 21
//   dead outputs ≈ 50% per layer at init; up to 95% in the top layers of the
//   depth-30 Glorot net at the end
import { reluExperiment } from '../src/experiments/relu'
import type { ExperimentResult } from '../src/experiments/Experiment'
import { findingsText, textTable } from '../src/report/html'

export async function main(args: ReadonlyArray<string> = []): Promise<ExperimentResult> {
  const quick = args.includes('--quick')
  const t0 = Date.now()
  const r = await reluExperiment.run({ quick })
  console.log(`${r.title}${quick ? ' (quick)' : ''}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`)
  console.log(textTable(r.table.head, r.table.rows))
  console.log(`\n${r.paragraph}\n`)
  console.log(findingsText(r.findings))
  return r
}
