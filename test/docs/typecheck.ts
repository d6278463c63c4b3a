/**
 * Type-checks the `@example` blocks against the sources, as a user's editor
 * would: each block becomes a virtual module beside its source file (so
 * relative imports resolve as written), under the repository's tsconfig, with
 * `gradtrace`, `gradtrace/core` and `gradtrace/relaxed` mapped to their entry modules.
 * esbuild, which runs them, strips types without checking them.
 */
import { dirname, join } from 'node:path'
import ts from 'typescript'
import { entries, type Example, root } from './extract'

const virtualName = (ex: Example): string => join(root, dirname(ex.file), `__example_${ex.line}.ts`)

/** the type errors of each example (an example without errors is absent) */
export const typeErrors = (examples: ReadonlyArray<Example>): ReadonlyMap<Example, string> => {
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })
  if (config === undefined) throw new Error('tsconfig.json did not parse')
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: true,
    paths: Object.fromEntries(Object.entries(entries()).map(([name, file]) => [name, [file]])),
  }
  const virtual = new Map(examples.map((ex) => [virtualName(ex), ex] as const))
  const host = ts.createCompilerHost(options, true)
  const { fileExists, readFile, getSourceFile } = host
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f)
  host.readFile = (f) => virtual.get(f)?.code ?? readFile.call(host, f)
  host.getSourceFile = (f, lang, onError, create) => {
    const ex = virtual.get(f)
    return ex === undefined ? getSourceFile.call(host, f, lang, onError, create) : ts.createSourceFile(f, ex.code, lang, true)
  }
  const declarations = config.fileNames.filter((f) => f.endsWith('.d.ts'))
  const program = ts.createProgram([...virtual.keys(), ...declarations], options, host)
  const errors = new Map<Example, string>()
  for (const [file, ex] of virtual) {
    const sf = program.getSourceFile(file)!
    const found = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
    if (found.length === 0) continue
    const text = found.map((d) => {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1
      return `  line ${line} of the example: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
    })
    errors.set(ex, text.join('\n'))
  }
  return errors
}
