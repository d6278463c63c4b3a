// The experiments are written as a user of the package would write them
// (#10 item 5: common.ts re-implemented Train.fit, recurrent.ts copied a
// helper and bypassed experiment()): outside their own folder they import
// only the namespaces the package entries export, under the entries' names,
// and they train through Train.fit, never by calling steps themselves.
import { readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../..')
const read = (f: string): string => readFileSync(join(root, f), 'utf8')

/** `Name -> src/path` of every namespace the entries export (`export * as Name from '../path'`), following `export * from './core'`. */
const entryNamespaces = (entry: string): ReadonlyMap<string, string> => {
  const text = read(entry)
  const here = posix.dirname(entry)
  const own = [...text.matchAll(/^export \* as (\w+) from '([^']+)'/gm)].map(([, name, path]) => [name!, posix.join(here, path!)] as const)
  const reexported = [...text.matchAll(/^export \* from '([^']+)'/gm)].flatMap(([, path]) => [...entryNamespaces(`${posix.join(here, path!)}.ts`)])
  return new Map([...reexported, ...own])
}

const namespaces = entryNamespaces('src/entries/index.ts')
const files = readdirSync(join(root, 'src/experiments')).filter((f) => f.endsWith('.ts')).map((f) => `src/experiments/${f}`)

/** the imports of an experiment's text that leave its folder, as `[statement, name or null, src path]` */
const outsideImports = (text: string): ReadonlyArray<readonly [string, string | null, string]> =>
  [...text.matchAll(/^import\b[\s\S]*?from '([^']+)'/gm)]
    .filter((m) => m[1]!.startsWith('../'))
    .map((m) => {
      const ns = /^import (?:type )?\* as (\w+) from/.exec(m[0])
      return [m[0], ns ? ns[1]! : null, posix.join('src/experiments', m[1]!)] as const
    })

describe('experiments on the public API', () => {
  it('the measures see what they should', () => {
    expect(namespaces.get('Train')).toBe('src/train/index')
    expect(namespaces.get('Report')).toBe('src/report/index')
    expect(namespaces.size).toBeGreaterThan(10)
    expect(files.length).toBeGreaterThan(10)
    expect(outsideImports(read('src/experiments/common.ts')).length).toBeGreaterThan(5)
    const text = "import * as E from 'fp-ts/lib/Either.js'\nimport {\n  step,\n} from '../train/step'\nimport * as Train from '../train/index'\n"
    expect(outsideImports(text)).toEqual([
      ["import {\n  step,\n} from '../train/step'", null, 'src/train/step'],
      ["import * as Train from '../train/index'", 'Train', 'src/train/index'],
    ])
  })

  it('outside their folder, experiments import only the namespaces of the entries, under their names', () => {
    const bad = files.flatMap((f) =>
      outsideImports(read(f))
        .filter(([, name, path]) => name === null || namespaces.get(name) !== path)
        .map(([statement]) => `${f}: ${statement}`),
    )
    expect(bad).toEqual([])
  })

  it('they train through Train.fit: no step, no model.run of their own', () => {
    const bad = files.filter((f) => /\bTrain\.step\b|\.run\('train'/.test(read(f)))
    expect(bad).toEqual([])
    expect(files.filter((f) => /\bTrain\.fit\(/.test(read(f))).length).toBeGreaterThanOrEqual(3)
  })
})
