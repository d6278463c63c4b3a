import { describe, expect, it } from 'vitest'
import type { ExperimentResult } from '../../src/experiments/Experiment'
import { normalisationExperiment } from '../../src/experiments/normalisation'
import { checkShape, num } from './helpers'

// quick mode: the four nets, 60 steps (about 1 s)
describe('normalisation experiment (quick)', () => {
  let r: ExperimentResult
  it('runs and returns a complete section', async () => {
    r = await normalisationExperiment.run({ quick: true })
    checkShape(r, { id: 'normalisation', svgs: 2, rows: 4, runs: 4 })
  })
  it('layerNorm lifts the first-to-last ratio at initialisation by orders of magnitude', () => {
    const ratio = (label: string) => num(r.table.rows.find((row) => row[0] === label)![1])
    expect(ratio('sigmoid')).toBeLessThan(1e-6) // measured 2.3e-8
    expect(ratio('sigmoid + layerNorm')).toBeGreaterThan(100 * ratio('sigmoid')) // measured 7.9e-5
    expect(ratio('tanh')).toBeLessThan(0.05) // measured 5.8e-3
    expect(ratio('tanh + layerNorm')).toBeGreaterThan(0.3) // measured 1.8
    expect(r.paragraph).toContain(r.table.rows[0]![1]!)
  })
})
