/**
 * Measures the source against the size limits (docs/design.md): lines per file, lines
 * per function (with the TypeScript compiler API) and characters per line.
 * Paths are relative to the repository root, with forward slashes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const root = fileURLToPath(new URL('../../', import.meta.url))

/** the .ts files under dir (relative to the root), sorted */
export const tsFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`)
    .sort()

export const read = (file: string): string => readFileSync(join(root, file), 'utf8')

/** lines of a file, a final newline not counted (as `wc -l` counts) */
export const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0)

export interface Span {
  /** `file name`, where name is the function's own name or the one it is bound to; nested ones are `outer/inner` */
  readonly key: string
  readonly line: number
  readonly lines: number
}

const isFunction = (n: ts.Node): n is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)

/** the name a function is known by: its own, or that of the variable or property it is assigned to */
const ownName = (n: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string => {
  if (n.name !== undefined) return n.name.getText(sf)
  const p = n.parent
  if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText(sf)
  return '(anonymous)'
}

/** every function, arrow and method in a file, with its length in lines (signature through closing brace) */
export const functionSpans = (file: string): ReadonlyArray<Span> => {
  const sf = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true)
  const spans: Array<Span> = []
  const visit = (n: ts.Node, outer: string): void => {
    let path = outer
    if (isFunction(n)) {
      path = outer === '' ? ownName(n, sf) : `${outer}/${ownName(n, sf)}`
      const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line
      const last = sf.getLineAndCharacterOfPosition(n.end).line
      spans.push({ key: `${file} ${path}`, line: first + 1, lines: last - first + 1 })
    }
    ts.forEachChild(n, (c) => visit(c, path))
  }
  visit(sf, '')
  return spans
}

/** 1-based numbers of the lines longer than max characters */
export const longLines = (text: string, max: number): ReadonlyArray<number> =>
  text.split('\n').flatMap((l, i) => (l.length > max ? [i + 1] : []))
