/**
 * The demo's machine-readable results: every section's named figures, in a
 * file (`results.json`) from which the README's result tables are generated
 * (`npm run readme`: scripts/readme.mjs). JSON holds no NaN or ∞: a figure that
 * is not finite is left out and listed under `notFinite`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { resultsFile } from './results'
 * const f = resultsFile([{ id: 'depth', title: 'Depth', figures: { ratio: 2e-8, spread: NaN } }], { mode: 'quick' })
 * assert.deepStrictEqual(f.sections['depth'], { title: 'Depth', figures: { ratio: 2e-8 }, notFinite: ['spread'] })
 * assert.strictEqual(JSON.parse(JSON.stringify(f)).format, 'gradtrace-results')
 *
 * @since 0.1.0
 */
import type { ExperimentResult } from './Experiment'

/** One section's figures. @category model */
export interface SectionResults {
  readonly title: string
  readonly figures: Readonly<Record<string, number>>
  /** names of figures that were NaN or infinite */
  readonly notFinite: ReadonlyArray<string>
}

/** The file. @category model */
export interface ResultsFile {
  readonly format: 'gradtrace-results'
  readonly version: 1
  readonly meta: Readonly<Record<string, string | number>>
  readonly sections: Readonly<Record<string, SectionResults>>
}

/** One section's figures, the finite ones kept and the names of the others listed. */
const section = (r: Pick<ExperimentResult, 'title' | 'figures'>): SectionResults => {
  const all = Object.entries(r.figures)
  return {
    title: r.title,
    figures: Object.fromEntries(all.filter(([, v]) => Number.isFinite(v))),
    notFinite: all.filter(([, v]) => !Number.isFinite(v)).map(([k]) => k),
  }
}

/** The results file of a demo run. @category constructors */
export const resultsFile = (results: ReadonlyArray<Pick<ExperimentResult, 'id' | 'title' | 'figures'>>, meta: ResultsFile['meta']): ResultsFile => ({
  format: 'gradtrace-results',
  version: 1,
  meta,
  sections: Object.fromEntries(results.map((r) => [r.id, section(r)])),
})
