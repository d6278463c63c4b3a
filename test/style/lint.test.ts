/**
 * ESLint in `npm test` (issue 10, item 4): eslint.config.js's checks and
 * import floors over src/, where any problem fails, listed by file and line.
 * The floors are also tried on imports written here, each way across a floor,
 * because an import the resolver cannot follow would be ignored, not reported:
 * without these the floors could pass by checking nothing.
 */
import { relative } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cache: false, errorOnUnmatchedPattern: true })

/** Each problem as `file:line rule: message`. */
const problems = (results: ReadonlyArray<ESLint.LintResult>): ReadonlyArray<string> =>
  results.flatMap((r) => r.messages.map((m) => `${relative(process.cwd(), r.filePath)}:${m.line} ${m.ruleId ?? 'eslint'}: ${m.message}`))

/** The rules an import of `target` reports in a module at `file` (which need not exist). */
const rulesFor = async (file: string, target: string): Promise<ReadonlyArray<string | null>> => {
  const [r] = await eslint.lintText(`import * as M from '${target}'\nexport const m = M\n`, { filePath: file })
  return r!.messages.map((m) => m.ruleId)
}

describe('ESLint', () => {
  it('finds no problem in src/', async () => {
    const t0 = performance.now()
    const found = problems(await eslint.lintFiles(['src']))
    expect(found).toEqual([])
    expect(performance.now() - t0, 'lint time (ms) on 2 cores: keep npm test fast').toBeLessThan(60_000)
  }, 120_000)

  // [module, import, allowed]: one case per kind of rule in eslint.config.js's floors
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ['src/core/probe.ts', '../trace/Trace', false], // core imports nothing of ours
    ['src/trace/probe.ts', '../core/Tensor', true],
    ['src/trace/probe.ts', '../data/index', false], // trace and data: core only
    ['src/layer/probe.ts', '../combinator/serial', false], // a layer kind never imports a combinator
    ['src/combinator/probe.ts', '../layer/dense', true], // a lower floor, at any distance
    ['src/combinator/probe.ts', '../core/Key', true],
    ['src/report/probe.ts', '../trace/Trace', true],
    ['src/report/probe.ts', '../train/index', false], // the report reads traces only
    ['src/codec/probe.ts', '../report/index', false], // same floor
    ['src/cli/probe.ts', '../experiments/Experiment', true],
    ['src/entries/probe.ts', '../cli/main', true],
    ['src/wasm/probe.ts', '../../build/gradtrace.wasm', true], // the compiled kernels: the loader and the entries only
    ['src/plan/probe.ts', '../../build/gradtrace.wasm', false],
  ]
  for (const [file, target, allowed] of cases)
    it(`${file} importing ${target}: ${allowed ? 'allowed' : 'refused'}`, async () => {
      expect(await rulesFor(file, target)).toEqual(allowed ? [] : ['boundaries/dependencies'])
    })

  it('a file outside every floor is refused', async () => {
    expect(await rulesFor('src/annex/probe.ts', '../core/Key')).toContain('boundaries/no-unknown-files')
  })
})
