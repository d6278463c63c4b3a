/**
 * The labelled suite of `diagnose` (issue 15, item 2): the scoring on a
 * hand-made confusion table, the cases as data, and a handful of its runs
 * (one per problem and two healthy controls; `npm run diagnose-suite` runs
 * them all).
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { problems, type Problem, runCase, score, suite } from '../../src/suite/index'

describe('score', () => {
  // 10 runs: 4 vanishing (3 found), 3 dead (all found, one also flagged vanishing), 3 healthy controls (one false alarm)
  const table = [
    { name: 'v1', expect: ['vanishing'], found: ['vanishing'] },
    { name: 'v2', expect: ['vanishing'], found: ['vanishing', 'stalled'], alsoRight: ['stalled'] },
    { name: 'v3', expect: ['vanishing'], found: ['vanishing'] },
    { name: 'v4', expect: ['vanishing'], found: ['healthy'] },
    { name: 'd1', expect: ['dead'], found: ['dead'] },
    { name: 'd2', expect: ['dead'], found: ['dead', 'vanishing'] },
    { name: 'd3', expect: ['dead'], found: ['dead'] },
    { name: 'h1', expect: [], found: ['healthy'] },
    { name: 'h2', expect: [], found: ['healthy'] },
    { name: 'h3', expect: [], found: ['overfitting'] },
  ]
  const s = score(table)

  it('recall: the runs built to show a problem in which it was found', () => {
    expect(s.recall).toEqual({ vanishing: 3 / 4, dead: 1, stalled: NaN, overfitting: NaN })
  })
  it('precision: the runs in which a problem was found that were built to show it or list it as also right', () => {
    expect(s.precision).toEqual({ vanishing: 3 / 4, dead: 1, stalled: 1, overfitting: 0 })
    expect(s.tally['vanishing']).toEqual({ runs: 4, hits: 3, flagged: 4, flaggedRight: 3 })
  })
  it('false alarms: healthy controls with any finding but healthy', () => {
    expect([s.falseAlarms, s.controls]).toEqual([1, 3])
    expect(s.misses).toEqual(['v4: expected vanishing, found healthy', 'h3: expected healthy, found overfitting'])
  })
})

describe('the suite as data', () => {
  it('at least 40 runs, every problem in 4 or more, healthy controls in every family, names unique', () => {
    expect(suite.length).toBeGreaterThanOrEqual(40)
    for (const p of problems) expect(suite.filter((c) => c.expect.includes(p)).length, p).toBeGreaterThanOrEqual(4)
    const controls = suite.filter((c) => c.expect.length === 0)
    expect(new Set(controls.map((c) => c.family))).toEqual(new Set(['dense', 'residual', 'recurrent']))
    expect(new Set(suite.map((c) => c.name)).size).toBe(suite.length)
    expect(JSON.parse(JSON.stringify(suite))).toEqual(suite)
  })
})

describe('a handful of runs', () => {
  const picked: ReadonlyArray<readonly [string, ReadonlyArray<Problem | 'healthy'>]> = [
    ['sigmoid-10-classic', ['vanishing']],
    ['rnn-rho-2-clipped', ['exploding']],
    ['rnn-relu-negative-bias', ['dead']],
    ['rnn-tanh-large-input-weights', ['saturation']],
    ['mlp-rmsprop-lr-0.05', ['oscillating']],
    ['lstm-adam-lr-1e-8', ['stalled']],
    ['mlp-sgd-lr-1e4', ['nonFinite', 'exploding']],
    ['gru-40-rows', ['overfitting']],
    ['resnet-relu-adam', ['healthy']],
    ['rnn-tanh-adding-adam', ['healthy']],
  ]
  it.each(picked)('%s: found %j', async (name, found) => {
    const c = suite.find((x) => x.name === name)!
    const r = await runCase(c)
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
    expect([...r.right.found].sort()).toEqual([...found].sort())
  })
})
