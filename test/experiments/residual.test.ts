import { describe, expect, it } from 'vitest'
import { residualExperiment } from '../../src/experiments/residual'
import { blockNet, blockProfile } from '../../src/experiments/residualRuns'
import type { ExperimentResult } from '../../src/experiments/Experiment'
import { checkShape, num, rowOf } from './helpers'

// quick mode: 10 and 50 layers, plain and residual, 80 steps (about 2 s)
describe('residual experiment (quick)', () => {
  let r: ExperimentResult
  it('runs and returns a complete section', async () => {
    r = await residualExperiment.run({ quick: true })
    checkShape(r, { id: 'residual', svgs: 3, rows: 4, runs: 4 })
  })

  it('at 50 layers the residual net trains much further than the plain one', () => {
    const plain = num(rowOf(r, '50', 'plain')[2]), res = num(rowOf(r, '50', 'residual')[2])
    expect(res * 5).toBeLessThan(plain) // measured 0.081 against 1.84
    // and the residual net does not get worse with depth
    expect(res).toBeLessThan(num(rowOf(r, '10', 'residual')[2]))
  })

  it('the per-block error signal of the residual net is level within the predicted √e at init', () => {
    for (const depth of ['10', '50']) {
      const s = num(rowOf(r, depth, 'residual')[5])
      expect(s).toBeGreaterThanOrEqual(1)
      expect(s).toBeLessThan(2.5) // (1 + 1/blocks)^((blocks - 1)/2) ≤ 1.65, plus finite-width noise
    }
    // residual profile: one entry per block, read from the 'residual' trace entries
    const run = r.runs.find((x) => x.label === 'residual, 50 layers')!
    expect(blockProfile(run.traces[0]!, 'residual')).toHaveLength(25)
    expect(blockProfile(r.runs.find((x) => x.label === 'plain, 50 layers')!.traces[0]!, 'plain')).toHaveLength(25)
  })

  it('plain and residual nets have the same dense layers', () => {
    const count = (s: unknown): number => (JSON.stringify(s).match(/"kind":"dense"/g) ?? []).length
    expect(count(blockNet('plain', 30))).toBe(count(blockNet('residual', 30)))
    expect(count(blockNet('plain', 30))).toBe(32)
  })

  it('the paragraph carries the measured numbers', () => {
    expect(r.paragraph).toContain(rowOf(r, '50', 'plain')[2]!)
    expect(r.paragraph).toContain(rowOf(r, '50', 'residual')[2]!)
    expect(r.paragraph).toContain(rowOf(r, '50', 'residual')[4]!)
  })
})
