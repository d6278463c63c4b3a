import { describe, expect, it } from 'vitest'
import { reluExperiment } from '../../src/experiments/relu'
import type { ExperimentResult } from '../../src/experiments/Experiment'
import { checkShape, num, rowOf } from './helpers'

// quick mode: depth 30 only (He, Glorot, He × 2), 60 steps (about 1 s)
describe('relu experiment (quick)', () => {
  let r: ExperimentResult
  it('runs and returns a complete section', async () => {
    r = await reluExperiment.run({ quick: true })
    checkShape(r, { id: 'relu', svgs: 5, rows: 3, runs: 3 })
  })

  it('He keeps dL/dz level over 30 layers at init; Glorot loses ~√½ per layer; He × 2 explodes', () => {
    const he = num(rowOf(r, '30', 'He')[2]), gl = num(rowOf(r, '30', 'Glorot')[2]), h2 = num(rowOf(r, '30', 'He × 2')[2])
    expect(he).toBeGreaterThanOrEqual(0.3)
    expect(he).toBeLessThanOrEqual(3) // measured 0.50
    expect(gl).toBeLessThan(1e-2) // measured 3.9e-5 (√½^29 = 4.3e-5)
    expect(gl).toBeGreaterThan(1e-7)
    expect(h2).toBeGreaterThan(1e2) // measured 1.2e4
  })

  it('the Glorot net sits at the chance loss while the He net learns', () => {
    const he = rowOf(r, '30', 'He'), gl = rowOf(r, '30', 'Glorot')
    expect(Math.abs(num(gl[4]) - Math.LN10)).toBeLessThan(0.05)
    expect(gl[3]).toMatch(/^never/)
    expect(num(he[4])).toBeLessThan(num(gl[4]))
    expect(rowOf(r, '30', 'He × 2')[4]).toMatch(/^diverged/)
  })

  it('the paragraph carries the measured numbers', () => {
    expect(r.paragraph).toContain(rowOf(r, '30', 'He')[2]!)
    expect(r.paragraph).toContain(rowOf(r, '30', 'Glorot')[2]!)
    expect(r.paragraph).toContain(rowOf(r, '30', 'He')[5]!)
  })
})
