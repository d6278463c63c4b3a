import { describe, expect, it } from 'vitest'
import { glorotExperiment } from '../../src/experiments/glorot'
import type { ExperimentResult } from '../../src/experiments/Experiment'
import { checkShape, num, rowOf } from './helpers'

// quick mode: the five conditions, 2 epochs of SGD at lr 0.3 (about 1 s)
describe('glorot experiment (quick)', () => {
  let r: ExperimentResult
  const progress: number[] = []
  it('runs and returns a complete section', async () => {
    r = await glorotExperiment.run({ quick: true, onProgress: (f) => progress.push(f) })
    checkShape(r, { id: 'glorot', svgs: 3, rows: 5, runs: 5 })
    expect(progress[progress.length - 1]).toBe(1)
  })

  it('tanh + classic spreads dL/dz over the layers more than tanh + Glorot at init', () => {
    const tc = num(rowOf(r, 'tanh + classic')[2]), tg = num(rowOf(r, 'tanh + Glorot')[2])
    expect(tc).toBeGreaterThan(5) // measured 12 (0.57 per layer over 4 gaps)
    expect(tg).toBeLessThan(3) // measured 2.3
    expect(tc).toBeGreaterThan(2 * tg)
    // softsign follows the same pattern
    expect(num(rowOf(r, 'softsign + classic')[2])).toBeGreaterThan(num(rowOf(r, 'softsign + Glorot')[2]))
  })

  it('sigmoid + classic vanishes at init and stays near chance', () => {
    const sig = rowOf(r, 'sigmoid + classic')
    expect(num(sig[3])).toBeLessThan(1e-2) // layer 1 / top, measured 3.8e-4
    expect(num(sig[5])).toBeGreaterThan(2.2) // final train loss near ln 10
    expect(num(sig[7])).toBeGreaterThan(50) // test error (%)
    expect(num(sig[7])).toBeGreaterThan(num(rowOf(r, 'tanh + Glorot')[7]))
    expect(r.findings.some((f) => f.kind === 'vanishing' && f.title.startsWith('sigmoid + classic'))).toBe(true)
  })

  it('the paragraph carries the measured numbers', () => {
    for (const label of ['tanh + classic', 'tanh + Glorot']) {
      const row = rowOf(r, label)
      expect(r.paragraph).toContain(`${row[2]}×`)
      expect(r.paragraph).toContain(`${label} ${row[7]}`)
    }
    expect(r.paragraph).toContain(rowOf(r, 'sigmoid + classic')[3]!)
  })
})
