// The recurrent section's words agree with its table (#9 part 6): quick mode
// said the gated cells "learned to hold" the signal while the LSTM's MSE was
// 0.16. Text, table and figures come from the same runs; a cell "holds" the
// signal only when it solved the task and its trace is flat after training.
import { describe, expect, it } from 'vitest'
import { recurrentExperiment } from '../../src/experiments/recurrent'
import { type CellOutcome, FLAT, recurrentSummary } from '../../src/experiments/recurrentText'

const run = (cell: CellOutcome['cell'], T: number, testMse: number, decayAtInit: number, decayTrained: number): CellOutcome =>
  ({ cell, T, testMse, solved: testMse < 0.01, decayAtInit, decayTrained, seconds: 1.5 })

// measured in full mode (T = 100, 1,500 steps): the gated cells solve it and hold the signal
const solved = [run('rnn', 10, 0.0064, -0.45, -0.42), run('rnn', 100, 0.169, -0.34, -1.74), run('lstm', 100, 0.0004, -0.83, -0.01), run('gru', 100, 0.0011, -1.83, -0.01)]
// measured in quick mode (T = 30, 150 steps): nothing is solved
const unsolved = [run('rnn', 10, 0.0579, -0.45, -0.3), run('rnn', 30, 0.1609, -0.39, -1.78), run('lstm', 30, 0.1635, -1.01, -0.9), run('gru', 30, 0.0433, -1.78, -0.27)]

/** The sentence of the paragraph that mentions `word`. */
const sentencesWith = (p: string, word: string): ReadonlyArray<string> => p.split(/(?<=\.) /).filter((s) => s.includes(word))

describe('recurrent section text', () => {
  it('solved: the gated cells hold the signal, the lag defeats the RNN', () => {
    const s = recurrentSummary(solved, { long: 100, short: 10, steps: 1500 })
    expect(s.paragraph).toContain('The LSTM and GRU have learned to hold the signal')
    expect(s.paragraph).toContain('the LSTM solves it (test MSE 0.0004)')
    expect(s.paragraph).toContain('the tanh RNN stays near the baseline (0.1690)')
    expect(s.paragraph).toContain('the lag, not the task, defeats it')
    expect(s.paragraph).toContain('training flattens it for the LSTM and GRU')
  })

  it('unsolved: nothing is said to hold the signal, and the control does not claim to separate lag and task', () => {
    const s = recurrentSummary(unsolved, { long: 30, short: 10, steps: 150 })
    expect(s.paragraph).not.toMatch(/learned to hold|defeats it/)
    expect(s.paragraph).toContain('the LSTM stays near the baseline (0.1635)')
    expect(s.paragraph).toContain('the GRU learns part of it but does not solve it (0.0433)')
    expect(s.paragraph).toContain('does not separate the lag from the task')
    expect(s.paragraph).toContain('The tanh RNN, LSTM and GRU do not solve the task')
  })

  it('a solved cell whose signal still decays is not said to hold it', () => {
    const s = recurrentSummary([run('rnn', 50, 0.17, -0.4, -1), run('lstm', 50, 0.002, -0.9, -3 * FLAT)], { long: 50, short: 10, steps: 1500 })
    expect(s.paragraph).not.toContain('learned to hold')
    expect(s.paragraph).toContain('The LSTM solves the task but its signal still decays')
  })

  it('every MSE and decay in the text is the table cell of that run, and the figures are the unrounded numbers', () => {
    for (const [runs, long] of [[solved, 100], [unsolved, 30]] as const) {
      const s = recurrentSummary(runs, { long, short: 10, steps: 100 })
      expect(s.table.rows).toHaveLength(runs.length)
      runs.forEach((r, i) => {
        const row = s.table.rows[i]!
        expect(row[3]).toBe(r.solved ? 'yes' : 'no')
        if (r.T === long) {
          expect(s.paragraph).toContain(row[2]!) // test MSE as printed in the table
          expect(s.paragraph).toContain(row[4]!) // decay at init
          expect(s.paragraph).toContain(row[5]!) // decay trained
        }
        expect(s.figures[`${r.cell}_T${r.T}_testMse`]).toBe(r.testMse)
        expect(s.figures[`${r.cell}_T${r.T}_solved`]).toBe(r.solved ? 1 : 0)
      })
      // "solves it" only for the rows the table marks solved
      for (const r of runs.filter((x) => x.T === long)) expect(s.paragraph.includes(`${r.cell === 'rnn' ? 'tanh RNN' : r.cell.toUpperCase()} solves it`)).toBe(r.solved)
    }
  })

  it('the quick demo section: "hold" only for gated cells the table marks solved; figures match the table', async () => {
    const r = await recurrentExperiment.run({ quick: true })
    const rows = r.table.rows.filter((row) => row[1] === '30')
    expect(rows).toHaveLength(3)
    for (const row of rows) {
      const name = row[0]!.replace(/ \(\d+\)$/, '')
      const held = sentencesWith(r.paragraph, 'learned to hold').some((x) => x.includes(name))
      if (row[3] === 'no') expect(held, `${name}: ${r.paragraph}`).toBe(false)
      expect(r.paragraph).toContain(row[2]!)
    }
    expect(Object.keys(r.figures)).toHaveLength(5 * r.table.rows.length)
    expect(r.figures['lstm_T30_testMse']!.toFixed(4)).toBe(rows.find((x) => x[0]!.startsWith('LSTM'))![2])
  })
})
