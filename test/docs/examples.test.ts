/**
 * Docs that run (issue 10, item 7). Every `@example` block in src/ is
 * type-checked against the sources (./typecheck.ts), bundled (./extract.ts)
 * and run in its own Node process, and must check what it shows: it calls
 * `assert` (or throws) so that a wrong value fails here, rather than stating
 * results in comments. Files in NOT_YET_CHECKED still state their results in
 * comments; that list may only shrink: a listed file whose examples all check
 * fails the test until it is taken off the list.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allExamples, bundle, type Example, examplesIn, root } from './extract'
import { typeErrors } from './typecheck'

/** files whose examples run but state their results in comments (being rewritten elsewhere when this test was written) */
const NOT_YET_CHECKED: ReadonlyArray<string> = []

const CHECKS = /\bassert\b|\bthrow\b/

// examples that must fail (a throw; a type error) and one that must pass: the
// test would otherwise pass if it ran or checked nothing
const guards = {
  throws: { file: 'src/guard.ts', line: -1, code: "throw new Error('guard')\n" },
  mistyped: { file: 'src/guard.ts', line: -2, code: "import { key } from './core/Key'\nexport const n: number = key(0)\n" },
  passes: { file: 'src/guard.ts', line: -3, code: "import * as assert from 'node:assert'\nimport { key } from './core/Key'\nassert.deepStrictEqual(key(1), key(1))\n" },
} as const

const run = promisify(execFile)
const examples = allExamples()
const all: ReadonlyArray<Example> = [...examples, ...Object.values(guards)]
const dir = mkdtempSync(join(tmpdir(), 'gradtrace-examples-'))
const results = new Map<Example, string | undefined>() // undefined: ran cleanly; else what went wrong
let mistyped: ReadonlyMap<Example, string> = new Map()

/** bundles and runs one example; the error text, or undefined */
const attempt = async (ex: Example, i: number): Promise<string | undefined> => {
  try {
    const file = join(dir, `${i}.mjs`)
    writeFileSync(file, await bundle(ex))
    await run(process.execPath, [file], { timeout: 60_000, cwd: dir })
    return undefined
  } catch (e) {
    const err = e as { stderr?: string; message?: string }
    return (err.stderr || err.message || String(e)).trim().split('\n').slice(0, 12).join('\n')
  }
}

beforeAll(async () => {
  // two at a time: each is a Node process that instantiates the kernels
  mistyped = typeErrors(all)
  const queue = all.map((ex, i) => [ex, i] as const)
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) results.set(next[0], await attempt(...next))
  }
  await Promise.all([worker(), worker()])
}, 600_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const files = [...new Set(examples.map((e) => e.file))]
const where = (e: Example, what: string | undefined): ReadonlyArray<string> => (what === undefined ? [] : [`${e.file}:${e.line}\n${what}`])

describe('@example blocks', () => {
  it('the extractor finds blocks (and their ends)', () => {
    const text = '/**\n * Doc.\n * @example\n * const a = 1\n * a + 1 // 2\n *\n * @since 0.1.0\n */\n/** @example\n * f()\n */'
    expect(examplesIn('x.ts', text)).toEqual([
      { file: 'x.ts', line: 3, code: 'const a = 1\na + 1 // 2\n' },
      { file: 'x.ts', line: 9, code: 'f()\n' },
    ])
    expect(files.length).toBeGreaterThan(50)
  })

  it('a throwing block fails, a mistyped one fails the type check, a good one passes both', () => {
    expect(results.get(guards.throws)).toContain('guard')
    expect(mistyped.get(guards.mistyped)).toContain('not assignable')
    expect([results.get(guards.passes), mistyped.get(guards.passes)]).toEqual([undefined, undefined])
  })

  it('every file on NOT_YET_CHECKED exists (a file that moves takes its name on the list with it)', () => {
    expect(NOT_YET_CHECKED.filter((f) => !existsSync(join(root, f)))).toEqual([])
  })

  for (const file of files) {
    const mine = examples.filter((e) => e.file === file)
    it(`${file}: ${mine.length} example${mine.length > 1 ? 's' : ''} type-check and run`, () => {
      expect(mine.flatMap((e) => where(e, mistyped.get(e)))).toEqual([])
      expect(mine.flatMap((e) => where(e, results.get(e)))).toEqual([])
    })
    const unchecked = mine.filter((e) => !CHECKS.test(e.code))
    if (NOT_YET_CHECKED.includes(file))
      it(`${file}: listed as not yet checking its results, and still is`, () => {
        expect(unchecked.length, `every example of ${file} checks its results now: take it off NOT_YET_CHECKED`).toBeGreaterThan(0)
      })
    else
      it(`${file}: examples check their results (assert or throw)`, () => {
        expect(unchecked.map((e) => `${e.file}:${e.line}`)).toEqual([])
      })
  }
})
