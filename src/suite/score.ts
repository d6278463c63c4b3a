/**
 * Scoring `diagnose` on the labelled suite: per problem, recall (the runs
 * built to show it in which it was found) and precision (the runs in which it
 * was found that were built to show it, or list it as also right); and the
 * false alarms, the healthy controls with any finding but 'healthy'.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { score } from './score'
 * const s = score([
 *   { name: 'a', expect: ['vanishing'], found: ['vanishing'] },
 *   { name: 'b', expect: ['vanishing'], found: ['stalled'] },
 *   { name: 'c', expect: [], found: ['healthy'] },
 *   { name: 'd', expect: [], found: ['vanishing'] },
 * ])
 * assert.strictEqual(s.recall['vanishing'], 0.5) // found in one of its two runs
 * assert.strictEqual(s.precision['vanishing'], 0.5) // one of its two findings was right
 * assert.strictEqual(s.falseAlarms, 1) // the control d
 *
 * @since 0.1.0
 */

/** What one run was built to show and what `diagnose` found in it (finding kinds). @category model */
export interface Outcome {
  readonly name: string
  readonly expect: ReadonlyArray<string>
  readonly alsoRight?: ReadonlyArray<string>
  readonly found: ReadonlyArray<string>
}

/** Per problem: the runs built to show it, those where it was found, and every run where it was found, right or wrong. @category model */
export interface Tally {
  readonly runs: number
  readonly hits: number
  readonly flagged: number
  readonly flaggedRight: number
}

/** The scores of a suite. @category model */
export interface Scores {
  /** per problem: hits / runs (NaN without runs) */
  readonly recall: Readonly<Record<string, number>>
  /** per problem: right findings / findings (NaN when never found) */
  readonly precision: Readonly<Record<string, number>>
  readonly tally: Readonly<Record<string, Tally>>
  /** healthy controls with a finding other than 'healthy' */
  readonly falseAlarms: number
  readonly controls: number
  /** the runs that missed their problem, and the controls with a false alarm */
  readonly misses: ReadonlyArray<string>
}

const problemsOf = (os: ReadonlyArray<Outcome>): ReadonlyArray<string> =>
  [...new Set(os.flatMap((o) => [...o.expect, ...o.found.filter((f) => f !== 'healthy')]))].sort()

const tallyOf = (os: ReadonlyArray<Outcome>, p: string): Tally => {
  const built = os.filter((o) => o.expect.includes(p))
  const flagged = os.filter((o) => o.found.includes(p))
  return {
    runs: built.length,
    hits: built.filter((o) => o.found.includes(p)).length,
    flagged: flagged.length,
    flaggedRight: flagged.filter((o) => o.expect.includes(p) || (o.alsoRight ?? []).includes(p)).length,
  }
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : NaN)

/** Scores outcomes: recall and precision per problem, false alarms over the healthy controls (runs that expect nothing). @category utils */
export const score = (os: ReadonlyArray<Outcome>): Scores => {
  const tally = Object.fromEntries(problemsOf(os).map((p) => [p, tallyOf(os, p)] as const))
  const entries = Object.entries(tally)
  const controls = os.filter((o) => o.expect.length === 0)
  const alarmed = controls.filter((o) => o.found.some((f) => f !== 'healthy'))
  const missed = os.filter((o) => o.expect.some((p) => !o.found.includes(p)))
  return {
    recall: Object.fromEntries(entries.map(([p, t]) => [p, ratio(t.hits, t.runs)])),
    precision: Object.fromEntries(entries.map(([p, t]) => [p, ratio(t.flaggedRight, t.flagged)])),
    tally,
    falseAlarms: alarmed.length,
    controls: controls.length,
    misses: [...missed, ...alarmed].map((o) => `${o.name}: expected ${o.expect.join(', ') || 'healthy'}, found ${o.found.join(', ')}`),
  }
}
