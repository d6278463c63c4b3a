/**
 * The size limits of docs/design.md, kept by `npm test` (issue 10, item 7): modules of
 * src/ <= 300 lines, kernel files of assembly/ <= 200, examples < 100,
 * functions <= 40 lines, lines of src/ <= 160 characters. Today's exceptions
 * are listed in ./allowances.ts with their sizes; they may only shrink (the
 * test also fails when an allowance is larger than what it allows, so the
 * number goes down with the code). Functions: an allowlist of today's
 * offenders rather than a looser ceiling, because a ceiling of, say, 60 lines
 * would let every new function grow to 60 unnoticed, and would fail today on
 * five functions anyway.
 */
import { describe, expect, it } from 'vitest'
import * as allow from './allowances'
import { functionSpans, lineCount, longLines, read, tsFiles } from './measure'

const MODULE_LIMITS: ReadonlyArray<readonly [dir: string, lines: number]> = [
  ['src', 300],
  ['assembly', 200],
  ['examples', 99],
]
const FUNCTION_LIMIT = 40
const LINE_LIMIT = 160

const checked = (files: ReadonlyArray<string>): ReadonlyArray<string> => files.filter((f) => !allow.generated.includes(f))
const code = checked([...tsFiles('src'), ...tsFiles('assembly')])

/** what is over a limit, against its allowances: grown, new, and stale (shrunk or gone) entries */
const ratchet = (over: ReadonlyMap<string, number>, allowed: Readonly<Record<string, number>>, limit: string): ReadonlyArray<string> => [
  ...[...over].flatMap(([k, n]) => {
    const a = allowed[k]
    if (a === undefined) return [`${k}: ${n}, over ${limit}`]
    if (n > a) return [`${k}: ${n}, grown past its allowance ${a}`]
    if (n < a) return [`${k}: ${n}, below its allowance ${a}: lower it in test/style/allowances.ts`]
    return []
  }),
  ...Object.keys(allowed)
    .filter((k) => !over.has(k))
    .map((k) => `${k}: within ${limit} now (or gone): remove it from test/style/allowances.ts`),
]

describe('line budget (docs/design.md)', () => {
  it('modules: src/ <= 300 lines, assembly/ <= 200, examples/ < 100 (generated files exempt)', () => {
    const over = new Map<string, number>()
    for (const [dir, limit] of MODULE_LIMITS)
      for (const f of checked(tsFiles(dir))) {
        const n = lineCount(read(f))
        if (n > limit) over.set(f, n)
      }
    expect(ratchet(over, allow.oversizeModules, 'the module limit')).toEqual([])
  })

  it(`functions <= ${FUNCTION_LIMIT} lines (measured with the TypeScript parser, signature through closing brace)`, () => {
    const spans = code.flatMap(functionSpans).filter((s) => s.lines > FUNCTION_LIMIT)
    console.log(`functions over ${FUNCTION_LIMIT} lines:\n${spans.map((s) => `  ${s.lines} ${s.key.replace(' ', `:${s.line} `)}`).join('\n')}`)
    const over = new Map<string, number>()
    for (const s of spans) over.set(s.key, Math.max(over.get(s.key) ?? 0, s.lines))
    expect(ratchet(over, allow.longFunctions, `${FUNCTION_LIMIT} lines`)).toEqual([])
  })

  it(`lines of src/ <= ${LINE_LIMIT} characters`, () => {
    const over = new Map<string, number>()
    const where: Array<string> = []
    for (const f of checked(tsFiles('src'))) {
      const text = read(f)
      const long = longLines(text, LINE_LIMIT)
      if (long.length > 0) over.set(f, long.length)
      const lines = text.split('\n')
      where.push(...long.map((l) => `  ${f}:${l} (${lines[l - 1]!.length})`))
    }
    console.log(`lines over ${LINE_LIMIT} characters:\n${where.join('\n')}`)
    expect(ratchet(over, allow.longLines, `${LINE_LIMIT} characters`)).toEqual([])
  })

  it('the measures see what they should', () => {
    // a guard against a test that passes because it measures nothing
    expect(code.length).toBeGreaterThan(100)
    expect(functionSpans('test/style/measure.ts').map((s) => s.key)).toContain('test/style/measure.ts functionSpans/visit')
    expect(longLines('a\n' + 'b'.repeat(161) + '\nc', LINE_LIMIT)).toEqual([2])
    expect(lineCount('a\nb\n')).toBe(2)
  })
})
