/**
 * `diagnose` scored on a labelled suite of small training runs (issue 15,
 * items 2, 3 and 5): the cases as data, the runner, the scores, and repair. The runner of
 * `npm run diagnose-suite` (scripts/diagnose-suite.mjs) and the tests use these.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { problems, score, suite } from './index'
 * assert.ok(problems.every((p) => suite.some((c) => c.expect.includes(p))))
 * assert.strictEqual(score([{ name: 'a', expect: ['stalled'], found: ['stalled'] }]).recall['stalled'], 1)
 *
 * @since 0.1.0
 */
export { type CaseData, problems, type Problem, suite, type SuiteCase } from './cases'
export { type CaseRun, dataOf, runCase, runSuite } from './run'
export { dataKey, proposeRemedies, type Remedy, type Repair, repairCase, type Seen } from './repair'
export { type Outcome, score, type Scores, type Tally } from './score'
