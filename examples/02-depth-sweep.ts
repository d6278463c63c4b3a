// 02 — depth and activation at initialisation (docs/experiments.md: E1 and the calibration).
// For MLPs of width 64 and depth 2..20, one forward/backward pass at init per
// seed: how much of the error signal dL/dz reaches the first hidden layer?
// Run: node scripts/run-example.mjs examples/02-depth-sweep.ts [--quick]
//
// Expected at depth 10 (the calibration table; measured here within a factor
// of 0.73-1.04 of it, 10 seeds, batch 512):
//   sigmoid + classic U[±1/√n]  ~2e-8   (vanishing: ~0.77 decades per layer)
//   sigmoid + Glorot            ~2e-6   (Glorot assumes f'(0) = 1; sigmoid has 1/4)
//   tanh + classic              ~5e-3   (while dL/dW looks flat: the Glorot trap)
//   tanh + Glorot               ~0.28
//   tanh + N(0, 1)              ~8e2    (exploding, chaotic phase)
//   relu + He                   ~1.0    (preserved)
//   relu + Glorot               ~4e-2   (x0.71 per layer)
import * as E from 'fp-ts/lib/Either.js'
import { Err } from '../src/entries/index'
import { calibration, depthSweep, label, type SweepConfig, type SweepPoint } from '../src/experiments/depthSweep'
import { textTable } from '../src/report/html'

const configs: ReadonlyArray<SweepConfig> = [
  { act: 'sigmoid', init: 'classic' }, { act: 'sigmoid', init: 'normal1' }, { act: 'sigmoid', init: 'glorot' },
  { act: 'tanh', init: 'classic' }, { act: 'tanh', init: 'normal1' }, { act: 'tanh', init: 'glorot' }, { act: 'tanh', init: 'orthogonal' },
  { act: 'relu', init: 'classic' }, { act: 'relu', init: 'glorot' }, { act: 'relu', init: 'he' }, { act: 'relu', init: 'orthogonal' },
]

export function main(args: ReadonlyArray<string> = []): ReadonlyArray<SweepPoint> {
  const quick = args.includes('--quick')
  const depths = quick ? [2, 10] : [2, 4, 6, 8, 10, 15, 20]
  const r = depthSweep({ depths, configs, seeds: quick ? 2 : 10, batch: quick ? 64 : 512 })
  if (E.isLeft(r)) throw new Error(Err.show(r.left))
  const rows = configs.map((c) => [label(c), ...depths.map((d) => r.right.find((p) => p.config === c && p.depth === d)!.ratio.toExponential(1))])
  console.log('||dL/dz_1|| / ||dL/dz_L|| at initialisation (median over seeds)')
  console.log(textTable(['activation + init', ...depths.map((d) => `L=${d}`)], rows))
  if (!quick) {
    const at10 = depthSweep({ depths: [10], configs: calibration, seeds: 10, batch: 512 })
    if (E.isLeft(at10)) throw new Error(Err.show(at10.left))
    console.log('\nagainst the independent calibration (depth 10; docs/experiments.md):')
    console.log(textTable(['activation + init', 'measured', 'calibration', 'factor'], at10.right.map((p, i) => [label(p.config), p.ratio.toExponential(2), calibration[i]!.ratio.toExponential(1), (p.ratio / calibration[i]!.ratio).toFixed(2)])))
  }
  return r.right
}
