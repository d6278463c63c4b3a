// 05 — deep ReLU nets, He against Glorot initialisation (LITERATURE.md E3):
// MLPs of width 64 with 10 and 30 ReLU layers on the digits, SGD + momentum
// 0.9, lr 0.005, batch 64, 500 steps, the same for every net.
// Run: node scripts/run-example.mjs examples/05-relu-he.ts [--quick]
//
// Expected (full mode, measured; about 10 s of CPU on one core):
//   layer 1 / last ‖dL/dz‖ at init, depth 30:  He ~0.5, Glorot ~4e-5 (√½^29 = 4.3e-5),
//                                              He × 2 ~1e4 (exploding)
//   depth 30 training: He leaves chance (loss < 2) by step ~30 and ends near 0.3
//   (~90% test accuracy); Glorot stays at ln 10 = 2.30 for all 500 steps (~9%);
//   He × 2 diverges at step 2
//   depth 10: both learn; Glorot leaves chance ~8x later than He (step ~160 vs ~20)
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
