/**
 * The package as a user receives it (scripts/check-package.mjs): the packed
 * tarball typechecks in consumer projects under every TypeScript setup
 * (bundler, node16, nodenext, CommonJS, no DOM), attw and publint pass, and
 * the tarball holds what users run and nothing else. Needs dist/ (npm test
 * builds it first); packing runs no scripts.
 */
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'

interface Check { readonly name: string; readonly ok: boolean; readonly output: string }
interface Result {
  readonly tarball: { readonly filename: string; readonly size: number; readonly unpackedSize: number } | null
  readonly files: ReadonlyArray<string>
  readonly scripts: Readonly<Record<string, string>>
  readonly checks: ReadonlyArray<Check>
}

const script = new URL('../../scripts/check-package.mjs', import.meta.url).href
let result: Result

beforeAll(async () => {
  const mod = (await import(script)) as { checkPackage: () => Promise<Result> }
  result = await mod.checkPackage()
}, 240_000)

const check = (prefix: string): Check => {
  const c = result.checks.find((x) => x.name.startsWith(prefix))
  if (c === undefined) throw new Error(`no check named ${prefix}: ${result.checks.map((x) => x.name).join(', ')}`)
  return c
}

describe('the packed package', () => {
  it.each(['bundler', 'node16', 'nodenext', 'commonjs (require)', 'no DOM, no Node types'])('typechecks in a %s consumer (strict, skipLibCheck: false)', (setup) => {
    const c = check(`tsc: ${setup}`)
    expect(c.output).toBe('')
    expect(c.ok).toBe(true)
  })

  it('the consumers do check the package: a wrong call to it fails', () => {
    const c = check('tsc: control')
    expect(c.ok, c.output).toBe(true)
  })

  it('passes @arethetypeswrong/cli and publint --strict', () => {
    for (const name of ['attw', 'publint']) {
      const c = check(name)
      expect(c.ok, c.output).toBe(true)
    }
    expect(check('attw').output).toMatch(/node16 \(from CJS\): 🟢 \(CJS\)/)
  })

  it('holds what users run, and no source maps, internal types or install hooks', () => {
    const files = result.files
    for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/core.js', 'dist/core.cjs', 'dist/cli.js', 'dist/gradtrace.wasm', 'dist/types/index.d.ts', 'dist/types/index.d.cts', 'dist/types/data/index.d.ts', 'bin/gradtrace.js', 'data/fashion-mnist-small/train-images-idx3-ubyte.gz']) expect(files).toContain(f)
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([])
    expect(files.filter((f) => /^dist\/types\/(cli|experiments)\//.test(f))).toEqual([])
    expect(files.filter((f) => !/^(dist|data|bin)\/|^(README\.md|LICENSE|package\.json)$/.test(f))).toEqual([])
    expect(Object.keys(result.scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([])
    // 4.38 MB once conv, batch norm, MD-LSTM and RBM kernels joined (each bundle embeds the Wasm); the bound catches source maps or data creeping in
    expect(result.tarball!.unpackedSize).toBeLessThan(5e6)
  })

  it('exports the Data namespace the README lists', () => {
    const types = readFileSync(new URL('../../dist/types/index.d.ts', import.meta.url), 'utf8')
    expect(types).toMatch(/export \* as Data from '\.\/data\/index\.js'/)
  })
})
