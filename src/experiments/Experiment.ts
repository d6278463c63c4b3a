/**
 * An experiment of the demo: runs on data that ships with the package and
 * returns its section of the report (a picture, one paragraph, a table, the
 * findings) and the traces behind it. Experiments are plain async functions
 * of their options; progress goes to a callback, never to a console.
 *
 * @example
 * import * as assert from 'node:assert'
 * import type { Experiment } from './Experiment'
 * const squares: Experiment = {
 *   id: 'squares',
 *   title: 'Squares, measured',
 *   weight: 1,
 *   run: async (o) => {
 *     const n = o.quick ? 3 : 10
 *     o.onProgress?.(1, 'done')
 *     const rows = Array.from({ length: n }, (_, i) => [String(i), String(i * i)])
 *     const table = { head: ['n', 'n²'], rows }
 *     return { id: 'squares', title: 'Squares, measured', paragraph: `${n} squares.`, svgs: [], table, findings: [], runs: [], figures: { n } }
 *   },
 * }
 * const seen: number[] = []
 * const r = await squares.run({ quick: true, onProgress: (f) => seen.push(f) })
 * assert.deepStrictEqual([r.table.rows.length, r.figures['n'], seen], [3, 3, [1]])
 *
 * @since 0.1.0
 */
import type * as Trace from '../trace/index'

/** @category model */
export interface RunOptions {
  /** a smaller, faster version (tests, CI) */
  readonly quick: boolean
  /** fraction done, 0..1 */
  readonly onProgress?: (fraction: number, note?: string) => void
}

/** The traces of one configuration. @category model */
export interface Run {
  readonly label: string
  readonly traces: ReadonlyArray<Trace.StepTrace>
}

/** @category model */
export interface ExperimentResult {
  readonly id: string
  readonly title: string
  /** what the picture shows, in plain words, with the measured numbers */
  readonly paragraph: string
  readonly svgs: ReadonlyArray<string>
  /** the results table (also printed on the terminal) */
  readonly table: { readonly head: ReadonlyArray<string>; readonly rows: ReadonlyArray<ReadonlyArray<string>> }
  readonly findings: ReadonlyArray<Trace.Finding>
  readonly runs: ReadonlyArray<Run>
  /** the section's measured numbers by name, for `results.json` (the README's tables are generated from it) */
  readonly figures: Readonly<Record<string, number>>
}

/** @category model */
export interface Experiment {
  readonly id: string
  readonly title: string
  /** rough share of the demo's time, for the progress bar */
  readonly weight: number
  readonly run: (o: RunOptions) => Promise<ExperimentResult>
}
