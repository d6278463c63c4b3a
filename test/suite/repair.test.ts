/**
 * Repair (issue 15, item 3): the remedies proposed for each finding (a pure
 * function of the case and its findings), and one failing run retrained
 * until it no longer shows its problem and reaches the healthy controls' loss.
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { proposeRemedies, repairCase, runCase, suite } from '../../src/suite/index'

const byName = (name: string) => suite.find((c) => c.name === name)!
const text = (x: unknown) => JSON.stringify(x)

describe('proposeRemedies', () => {
  it('vanishing: ReLU with He init for a deep sigmoid net, a gated cell for a plain RNN, and no remedy that changes nothing', () => {
    const dense = proposeRemedies(byName('sigmoid-10-classic'), { found: ['vanishing'], bestStep: 120 })
    expect(dense.map((r) => r.label)).toEqual(['ReLU with He initialisation']) // no gated cell: the net has no RNN
    expect(text(dense[0]!.net)).not.toContain('sigmoid')
    const rnn = proposeRemedies(byName('rnn-tanh-contracting'), { found: ['vanishing'], bestStep: 120 })
    expect(rnn.map((r) => r.label)).toEqual(['a gated cell (LSTM)'])
    expect(text(rnn[0]!.net)).toContain('"kind":"lstm"')
    expect(text(rnn[0]!.net)).not.toContain('recurrentInit')
  })
  it('learning rates scaled through a chain, clipping added once, early stopping at the best held-out step', () => {
    const [clip] = proposeRemedies(byName('rnn-rho-2-clipped'), { found: ['exploding'], bestStep: 120 })
    expect(text(clip!.optimizer).match(/clipByGlobalNorm/g)!.length).toBe(1) // it already clipped
    const [slower] = proposeRemedies(byName('mlp-momentum-lr-0.5'), { found: ['oscillating'], bestStep: 120 })
    expect((slower!.optimizer as unknown as { lr: number }).lr).toBeCloseTo(0.02, 12)
    const [stop] = proposeRemedies(byName('gru-40-rows'), { found: ['overfitting'], bestStep: 33 })
    expect(stop!.steps).toBe(33)
  })
  it('is pure: the case is left as it was, and the first finding in severity order goes first', () => {
    const c = byName('relu-negative-bias')
    const before = text(c)
    const rs = proposeRemedies(c, { found: ['stalled', 'dead'], bestStep: 120 })
    expect(text(c)).toBe(before)
    expect(rs[0]!.label).toMatch(/zero biases/)
    expect(text(rs[0]!.net)).not.toContain('biasInit')
  })
})

describe('repairCase', () => {
  it('an oscillating run repaired by a lower learning rate, with the runs before and after as evidence', async () => {
    const c = byName('mlp-momentum-lr-0.5')
    const before = await runCase(c)
    if (E.isLeft(before)) throw new Error(text(before.left))
    expect(before.right.found).toContain('oscillating')
    const r = await repairCase(c, before.right, 0.589) // the worst held-out loss of the digits' healthy controls
    if (E.isLeft(r)) throw new Error(text(r.left))
    expect(r.right.repaired).toBe(true)
    const last = r.right.tried[r.right.tried.length - 1]!
    expect(last.after.found).not.toContain('oscillating')
    expect(last.after.measures['heldOutLast']).toBeLessThan(0.589)
    expect(before.right.measures['heldOutLast']).toBeGreaterThan(1)
  })
})
