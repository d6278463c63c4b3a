/**
 * The demo's machine-readable results: every section's named figures, in a
 * file (`results.json`) from which the README's result tables are generated
 * (`npm run readme`: scripts/readme.mjs). JSON holds no NaN or ∞: a figure that
 * is not finite is left out and listed under `notFinite`.
 *
 * @example
 * import { resultsFile } from './results'
 * // JSON.stringify(resultsFile(results, { mode: 'full' }))
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

/** The results file of a demo run. @category constructors */
export const resultsFile = (results: ReadonlyArray<Pick<ExperimentResult, 'id' | 'title' | 'figures'>>, meta: Readonly<Record<string, string | number>>): ResultsFile => ({
  format: 'gradtrace-results',
  version: 1,
  meta,
  sections: Object.fromEntries(results.map((r) => {
    const all = Object.entries(r.figures)
    return [r.id, { title: r.title, figures: Object.fromEntries(all.filter(([, v]) => Number.isFinite(v))), notFinite: all.filter(([, v]) => !Number.isFinite(v)).map(([k]) => k) }]
  })),
})
