/**
 * Command-line arguments (#9): flags may come before or after the
 * positionals (`run --out DIR spec.json`), `--flag=value` works too, and an
 * unknown flag, a flag without its value or an extra argument is an error
 * message (`demo --quik` used to run the full demo).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { parseArgs } from './args'
 * const run = parseArgs({ flags: { out: 'DIR', force: 'switch' }, positionals: ['spec.json'] })
 * const parsed = E.right({ positionals: ['a.json'], values: { out: 'dir' }, switches: ['force'] })
 * assert.deepStrictEqual(run(['--out', 'dir', 'a.json', '--force']), parsed)
 * assert.deepStrictEqual(run(['a.json', '--out=dir', '--force']), parsed) // any order, --flag=value too
 * assert.deepStrictEqual(run(['a.json', '--out']), E.left('option --out needs a value (DIR)'))
 * const demo = parseArgs({ flags: { quick: 'switch' }, positionals: [] })
 * assert.deepStrictEqual(demo(['--quik']), E.left('unknown option --quik (did you mean --quick?); options: --quick'))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'

/** What a command accepts. @category model */
export interface ArgSpec {
  /** flag name (without --) -> 'switch', or the name of its value for messages ('DIR') */
  readonly flags: Readonly<Record<string, string>>
  /** the names of the positionals, in order (all required) */
  readonly positionals: ReadonlyArray<string>
}

/** Parsed arguments. @category model */
export interface Args {
  readonly positionals: ReadonlyArray<string>
  readonly values: Readonly<Record<string, string>>
  readonly switches: ReadonlyArray<string>
}

/** The closest flag name within two edits, for "did you mean". */
const nearest = (name: string, known: ReadonlyArray<string>): string | undefined => {
  const dist = (a: string, b: string): number => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
    for (let i = 1; i <= a.length; i++) {
      const row = [i]
      for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = row
    }
    return prev[b.length]!
  }
  return known.map((k) => [k, dist(name, k)] as const).filter(([, d]) => d <= 2).sort((a, b) => a[1] - b[1])[0]?.[0]
}

/** Parses `argv` (after the command) against `spec`; the error is one line. @category constructors */
export const parseArgs =
  (spec: ArgSpec) =>
  (argv: ReadonlyArray<string>): E.Either<string, Args> => {
    const positionals: string[] = []
    const values: Record<string, string> = {}
    const switches: string[] = []
    const known = Object.keys(spec.flags)
    const options = known.map((k) => `--${k}${spec.flags[k] === 'switch' ? '' : ' ' + spec.flags[k]}`).join(', ')
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!
      if (a === '--') {
        positionals.push(...argv.slice(i + 1))
        break
      }
      if (!a.startsWith('-') || a === '-') {
        positionals.push(a)
        continue
      }
      const eq = a.indexOf('=')
      const name = (eq >= 0 ? a.slice(0, eq) : a).replace(/^--?/, '')
      const kind = spec.flags[name]
      if (kind === undefined) {
        const near = nearest(name, known)
        return E.left(`unknown option ${a.slice(0, eq >= 0 ? eq : a.length)}${near ? ` (did you mean --${near}?)` : ''}; options: ${options || 'none'}`)
      }
      if (name in values || switches.includes(name)) return E.left(`option --${name} given twice`)
      if (kind === 'switch') {
        if (eq >= 0) return E.left(`option --${name} takes no value`)
        switches.push(name)
        continue
      }
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i]
      if (v === undefined || v === '' || (eq < 0 && v.startsWith('--'))) return E.left(`option --${name} needs a value (${kind})`)
      values[name] = v
    }
    if (positionals.length < spec.positionals.length) return E.left(`missing <${spec.positionals[positionals.length]}>`)
    if (positionals.length > spec.positionals.length) return E.left(`unexpected argument ${JSON.stringify(positionals[spec.positionals.length])}`)
    return E.right({ positionals, values, switches })
  }
