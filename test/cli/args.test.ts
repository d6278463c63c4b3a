// Command-line parsing (#9): flags before or after positionals, unknown
// flags and stray arguments refused with a one-line reason.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../src/cli/args'

const run = parseArgs({ flags: { out: 'DIR' }, positionals: ['spec.json'] })
const demo = parseArgs({ flags: { out: 'DIR', quick: 'switch', only: 'ID,...' }, positionals: [] })

describe('parseArgs', () => {
  it('flags before or after the positionals, and --flag=value', () => {
    const want = E.right({ positionals: ['spec.json'], values: { out: 'DIR1' }, switches: [] })
    expect(run(['--out', 'DIR1', 'spec.json'])).toEqual(want)
    expect(run(['spec.json', '--out', 'DIR1'])).toEqual(want)
    expect(run(['--out=DIR1', 'spec.json'])).toEqual(want)
    expect(run(['--', '--odd-name.json'])).toEqual(E.right({ positionals: ['--odd-name.json'], values: {}, switches: [] }))
  })

  it('an unknown flag is refused, with the nearest known one', () => {
    expect(demo(['--quik'])).toEqual(E.left('unknown option --quik (did you mean --quick?); options: --out DIR, --quick, --only ID,...'))
    expect(demo(['--verbose'])).toEqual(E.left('unknown option --verbose; options: --out DIR, --quick, --only ID,...'))
    expect(demo(['-q'])).toMatchObject({ _tag: 'Left' })
  })

  it('a value flag without its value, a switch with one, a flag twice, stray or missing positionals', () => {
    expect(run(['spec.json', '--out'])).toEqual(E.left('option --out needs a value (DIR)'))
    expect(run(['--out', '--quick', 'spec.json'])).toEqual(E.left('option --out needs a value (DIR)'))
    expect(demo(['--quick=yes'])).toEqual(E.left('option --quick takes no value'))
    expect(run(['--out', 'a', '--out', 'b', 's.json'])).toEqual(E.left('option --out given twice'))
    expect(run(['a.json', 'b.json'])).toEqual(E.left('unexpected argument "b.json"'))
    expect(run(['--out', 'a'])).toEqual(E.left('missing <spec.json>'))
    expect(demo(['extra'])).toEqual(E.left('unexpected argument "extra"'))
  })
})
