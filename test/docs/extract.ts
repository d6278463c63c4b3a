/**
 * The `@example` blocks of src/ as programs: each block is cut out of its doc
 * comment and bundled by esbuild with the source file's folder as its own, so
 * `./Dataset` resolves as it reads in the source; `gradtrace`,
 * `gradtrace/core` and `gradtrace/relaxed` resolve to their entry modules
 * (src/entries/{index,core,relaxed}.ts), as a user's bundler resolves them to
 * dist/.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'

export const root = fileURLToPath(new URL('../../', import.meta.url))

export interface Example {
  /** source file, relative to the root */
  readonly file: string
  /** 1-based line of the `@example` tag */
  readonly line: number
  readonly code: string
}

const TAG = /^\s*(?:\/\*\*|\*)\s?@(\w+)/
const BODY = /^\s*\*\s?/

/** the @example blocks of one source text, in order */
export const examplesIn = (file: string, text: string): ReadonlyArray<Example> => {
  const lines = text.split('\n')
  const found: Array<Example> = []
  for (let i = 0; i < lines.length; i++) {
    if (TAG.exec(lines[i]!)?.[1] !== 'example') continue
    const body: Array<string> = []
    let j = i + 1
    for (; j < lines.length && !TAG.test(lines[j]!) && !lines[j]!.includes('*/'); j++) body.push(lines[j]!.replace(BODY, ''))
    found.push({ file, line: i + 1, code: body.join('\n').trim() + '\n' })
    i = j - 1
  }
  return found
}

/** every @example of src/**.ts, by file */
export const allExamples = (): ReadonlyArray<Example> =>
  readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => `src/${f.split('\\').join('/')}`)
    .sort()
    .flatMap((f) => examplesIn(f, readFileSync(join(root, f), 'utf8')))

/** the source of each package entry, by the name a user imports (src/entries/, or src/ before the entries moved there) */
export const entries = (): Readonly<Record<string, string>> => {
  const at = (name: string): string => {
    const moved = join(root, 'src/entries', `${name}.ts`)
    return existsSync(moved) ? moved : join(root, 'src', `${name}.ts`)
  }
  return { gradtrace: at('index'), 'gradtrace/core': at('core'), 'gradtrace/relaxed': at('relaxed') }
}

const packageEntries: Plugin = {
  name: 'gradtrace-entries',
  setup(b) {
    const known = entries()
    b.onResolve({ filter: /^gradtrace(\/\w+)?$/ }, (a) => {
      const to = known[a.path]
      return to === undefined ? { errors: [{ text: `${a.path} is not an entry of gradtrace` }] } : { path: to }
    })
  },
}

// A module that finds files beside itself (`new URL('../x', import.meta.url)`)
// finds them from its place in src/, as it does under vitest, not from the
// temporary folder the bundle runs in.
const ownUrls: Plugin = {
  name: 'gradtrace-own-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (a) => ({
      contents: readFileSync(a.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
      loader: 'ts',
    }))
  },
}

/** one example as a self-contained ES module (Node platform, top-level await allowed) */
export const bundle = async (ex: Example): Promise<string> => {
  const out = await build({
    stdin: { contents: ex.code, resolveDir: dirname(join(root, ex.file)), sourcefile: `${ex.file}:${ex.line}`, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    loader: { '.wasm': 'base64' },
    plugins: [packageEntries, ownUrls],
    // run every statement as written: an example's bare expressions and the
    // modules it imports (`sideEffects: false`) would otherwise be dropped
    treeShaking: false,
    ignoreAnnotations: true,
    logLevel: 'silent',
  })
  return out.outputFiles[0]!.text
}
