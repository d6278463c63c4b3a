/**
 * The words, table and figures of the demo's recurrent section, derived from
 * the measured runs with stated thresholds, so the text can never claim what
 * the table does not show: a cell "holds" the error signal only when it
 * solved the task and its ‖dL/dh_t‖ is flat after training; the short lag
 * "separates the lag from the task" only when the RNN solves the short lag
 * and not the long one.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { type CellOutcome, recurrentSummary } from './recurrentText'
 * const run = (cell: CellOutcome['cell'], T: number, testMse: number, decayAtInit: number, decayTrained: number): CellOutcome =>
 *   ({ cell, T, testMse, solved: testMse < 0.01, decayAtInit, decayTrained, seconds: 1 })
 * const runs = [run('rnn', 10, 0.0064, -0.45, -0.42), run('rnn', 100, 0.169, -0.34, -1.74), run('lstm', 100, 0.0004, -0.83, -0.01)]
 * const s = recurrentSummary(runs, { long: 100, short: 10, steps: 1500 })
 * assert.ok(s.paragraph.includes('the lag, not the task, defeats it')) // the RNN solves T = 10 but not T = 100
 * assert.ok(s.paragraph.includes('The LSTM has learned to hold the signal')) // solved, and flat after training
 * assert.strictEqual(s.figures['lstm_T100_testMse'], 0.0004)
 *
 * @since 0.1.0
 */
import type { CellName } from './adding'
import { addingBaselines } from './adding'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What the section reads from one run. @category model */
export interface CellOutcome {
  readonly cell: CellName
  readonly T: number
  readonly testMse: number
  /** test MSE below 0.01 */
  readonly solved: boolean
  /** decades per 10 steps of ‖dL/dh_t‖ back in time (negative: vanishing) */
  readonly decayAtInit: number
  readonly decayTrained: number
  readonly seconds: number
}

/** The setting the text describes. @category model */
export interface RecurrentSetting {
  readonly long: number
  readonly short: number
  readonly steps: number
}

/** Section text, table and named figures. @category model */
export interface RecurrentSummary {
  readonly paragraph: string
  readonly table: { readonly head: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<string>> }
  readonly figures: Readonly<Record<string, number>>
}

// -------------------------------------------------------------------------------------
// thresholds
// -------------------------------------------------------------------------------------

/** A signal that changes by less than this many decades per 10 steps is "flat" (held). @category constants */
export const FLAT = 0.25
/** A test MSE at or above this fraction of the predict-1 baseline 1/6 is "near the baseline". @category constants */
export const NEAR_BASELINE = 0.9

// -------------------------------------------------------------------------------------
// words
// -------------------------------------------------------------------------------------

/** Display names of the cells (with their sizes). @category constants */
export const cellNames: Readonly<Record<CellName, string>> = {
  rnn: 'tanh RNN (32)',
  irnn: 'IRNN (32)',
  lstm: 'LSTM (16)',
  lstm1997: 'LSTM 1997 (16)',
  gru: 'GRU (16)',
}
/** One palette index per cell kind, kept through every chart of the section. @category constants */
export const cellStyle: Readonly<Record<CellName, number>> = { rnn: 0, lstm: 1, gru: 2, irnn: 3, lstm1997: 4 }

const short: Readonly<Record<CellName, string>> = { rnn: 'tanh RNN', irnn: 'IRNN', lstm: 'LSTM', lstm1997: 'LSTM 1997', gru: 'GRU' }
const mse = (x: number): string => x.toFixed(4)
const dec = (x: number): string => x.toFixed(2)
const list = (xs: ReadonlyArray<string>): string => (xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`)

/** "solves it (0.0004)", "stays near the baseline (0.1690)" or "does not solve it (0.0433)". @category utils */
export const verdict = (r: CellOutcome): string =>
  r.solved
    ? `solves it (test MSE ${mse(r.testMse)})`
    : r.testMse >= NEAR_BASELINE * addingBaselines.constantMse
      ? `stays near the baseline (${mse(r.testMse)})`
      : `learns part of it but does not solve it (${mse(r.testMse)})`

/** Solved and flat after training: the only case the text calls "held". @category utils */
export const holds = (r: CellOutcome): boolean => r.solved && r.decayTrained > -FLAT

const controlSentence = (s: CellOutcome, l: CellOutcome): string => {
  const head = `The same tanh RNN at T = ${s.T} ${verdict(s)}`
  if (s.solved && !l.solved) return `${head}: the lag, not the task, defeats it.`
  if (!s.solved) return `${head}: within this budget it does not solve the short lag either, so this run does not separate the lag from the task.`
  return `${head}.`
}

const verb = (xs: ReadonlyArray<unknown>, one: string, many: string): string => (xs.length > 1 ? many : one)
/** The sentence when there is something to say it of. */
const when = (xs: ReadonlyArray<unknown>, sentence: string): ReadonlyArray<string> => (xs.length > 0 ? [sentence] : [])

const traceSentences = (runs: ReadonlyArray<CellOutcome>): string => {
  const after = `After training ‖dL/dh_t‖ changes by ${list(runs.map((r) => `${dec(r.decayTrained)} (${short[r.cell]})`))} decades per 10 steps back in time.`
  const held = runs.filter(holds)
  const unsolved = runs.filter((r) => !r.solved)
  const decaying = runs.filter((r) => r.solved && !holds(r))
  const names = (xs: ReadonlyArray<CellOutcome>): string => list(xs.map((r) => short[r.cell]))
  return [
    after,
    ...when(
      held,
      `The ${names(held)} ${verb(held, 'has', 'have')} learned to hold the signal across the lag: ` +
        `flat within ${FLAT} decades per 10 steps, and the task solved.`,
    ),
    ...when(decaying, `The ${names(decaying)} ${verb(decaying, 'solves', 'solve')} the task but ${verb(decaying, 'its', 'their')} signal still decays.`),
    ...when(
      unsolved,
      `The ${names(unsolved)} ${verb(unsolved, 'does', 'do')} not solve the task, ` +
        `so ${verb(unsolved, 'its trace shows', 'their traces show')} no signal held across the lag.`,
    ),
  ].join(' ')
}

const initSentence = (runs: ReadonlyArray<CellOutcome>): string => {
  const decaying = runs.filter((r) => r.decayAtInit < -FLAT)
  const opened = runs.filter((r) => r.cell !== 'rnn' && r.decayTrained - r.decayAtInit > FLAT)
  const who =
    decaying.length === runs.length
      ? 'all of them lose the signal'
      : decaying.length === 0
        ? 'none of them loses the signal'
        : `the ${list(decaying.map((r) => short[r.cell]))} lose${decaying.length > 1 ? '' : 's'} the signal`
  const at = `At initialisation ${who} going back in time (${list(runs.map((r) => `${short[r.cell]} ${dec(r.decayAtInit)}`))})`
  return opened.length > 0 ? `${at}; training flattens it for the ${list(opened.map((r) => short[r.cell]))}: the gates open.` : `${at}.`
}

const tableRow = (r: CellOutcome): ReadonlyArray<string> => [
  cellNames[r.cell],
  String(r.T),
  mse(r.testMse),
  r.solved ? 'yes' : 'no',
  dec(r.decayAtInit),
  dec(r.decayTrained),
  r.seconds.toFixed(1),
]

// -------------------------------------------------------------------------------------
// summary
// -------------------------------------------------------------------------------------

/** The paragraph, the table and the figures of the section, from the same runs. @category constructors */
export const recurrentSummary = (runs: ReadonlyArray<CellOutcome>, o: RecurrentSetting): RecurrentSummary => {
  const at = (c: CellName, T: number): CellOutcome | undefined => runs.find((r) => r.cell === c && r.T === T)
  const longRuns = runs.filter((r) => r.T === o.long)
  const rnnLong = at('rnn', o.long)
  const rnnShort = at('rnn', o.short)
  const parts = [
    `Each cell trains for ${o.steps} Adam steps (lr 1e-2, clipByGlobalNorm(1), batch 32) and is scored on 2,560 fresh sequences; ` +
      'predicting 1 scores the baseline MSE 1/6 ≈ 0.167, "solved" means MSE < 0.01.',
    `At T = ${o.long}: ${list(longRuns.map((r) => `the ${short[r.cell]} ${verdict(r)}`))}.`,
    ...(rnnLong && rnnShort ? [controlSentence(rnnShort, rnnLong)] : []),
    traceSentences(longRuns),
    initSentence(longRuns),
  ]
  const key = (r: CellOutcome): string => `${r.cell}_T${r.T}`
  return {
    paragraph: parts.join(' '),
    table: {
      head: ['cell', 'T', 'test MSE', 'solved', 'decay at init (dec/10 steps)', 'decay trained', 'seconds'],
      rows: runs.map(tableRow),
    },
    figures: Object.fromEntries(runs.flatMap((r) => [
      [`${key(r)}_testMse`, r.testMse],
      [`${key(r)}_solved`, r.solved ? 1 : 0],
      [`${key(r)}_decayAtInit`, r.decayAtInit],
      [`${key(r)}_decayTrained`, r.decayTrained],
      [`${key(r)}_seconds`, r.seconds],
    ])),
  }
}
