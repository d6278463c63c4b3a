/**
 * References from the docs to files (issue 10, item 7): every file a reader is
 * sent to must be in the repository. Read are the comments of src/ (the
 * TypeScript parser finds them), README.md, docs/*.md and the examples (whole
 * text: what an example prints is read too). A reference is a markdown link
 * `[text](path)`, a document name (`X.md`, bare or with a folder), or a path
 * that starts in one of the repository's folders (`src/model/compile.ts`,
 * `test/recurrent/RESULTS.md`). Paths into generated folders (build/, dist/),
 * URLs and glob patterns are not references to files. Phrases that point at
 * nothing (`see docs`, a `DESIGN` decision, the `shared` folder beside the
 * checkout) are reported too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import ts from 'typescript'
import { root } from './extract'

/** A reference that leads nowhere: where it is and what it names. */
export interface Dangling {
  readonly file: string
  readonly line: number
  readonly ref: string
}

/** Top-level folders a path in the text may start from; build/ and dist/ are made by `npm run build`, not kept. */
const FOLDERS = ['src', 'test', 'examples', 'docs', 'bench', 'scripts', 'assembly', 'data', 'bin']
const GENERATED = ['build', 'dist', 'node_modules']

const EXT = 'md|ts|mts|cts|mjs|cjs|js|json|svg|html|wasm|wat|csv|gz|txt|capnp'
const LINK = /\[[^\]\n]*\]\(([^)\s]+)\)/g
const PATH = new RegExp(String.raw`(?<![\w@/.-])((?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)*\.(?:${EXT}))(?![\w/])`, 'g')
const URL_LIKE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"`>\]]+/gi
const NOWHERE: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bsee (?:the )?docs\b/i, 'see docs'],
  [/\bDESIGN\b(?:\.md)?(?: decision)?/, 'DESIGN'],
  [/(?:\.\.\/|\/work\/)shared\b/, '../shared'],
]

/** Where a referenced path would be, or null when it is not a file reference (a URL, a glob, a generated file). */
const target = (from: string, ref: string): string | null => {
  const path = ref.split('#')[0]!.split('?')[0]!
  if (path === '' || /[*{}<>$]/.test(path)) return null
  const first = path.split('/')[0]!
  if (GENERATED.includes(first)) return null
  if (path.startsWith('./') || path.startsWith('../')) return normalize(join(dirname(from), path))
  if (FOLDERS.includes(first)) return path
  // a bare or foreign-rooted document name: beside the file, else at the root
  if (path.endsWith('.md')) return existsSync(join(root, dirname(from), path)) ? join(dirname(from), path) : path
  return null
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length

/** Markdown with its fenced code blocks blanked (their lines kept): commands there name files they will write. */
export const withoutFences = (md: string): string => md.replace(/^```[^\n]*\n[\s\S]*?^```/gm, (b) => b.replace(/[^\n]/g, ' '))

/** The references in one piece of text that starts at `offset` of the file `file` (relative to the root). */
export const danglingIn = (file: string, text: string, offset = 0, whole = text, exists = (p: string) => existsSync(join(root, p))): ReadonlyArray<Dangling> => {
  const found: Dangling[] = []
  const at = (i: number) => lineAt(whole, offset + i)
  const plain = text.replace(URL_LIKE, (u) => ' '.repeat(u.length))
  for (const m of plain.matchAll(LINK)) {
    const t = target(file, m[1]!)
    if (t !== null && !exists(t)) found.push({ file, line: at(m.index!), ref: m[1]! })
  }
  const noLinks = plain.replace(LINK, (l) => ' '.repeat(l.length))
  for (const m of noLinks.matchAll(PATH)) {
    const t = target(file, m[1]!)
    if (t !== null && !exists(t)) found.push({ file, line: at(m.index!), ref: m[1]! })
  }
  for (const [re, name] of NOWHERE) {
    const m = re.exec(plain)
    if (m) found.push({ file, line: at(m.index), ref: name })
  }
  return found
}

/** The comments and the string literals (what a program may print) of a TypeScript source, with their offsets. */
export const proseOf = (file: string, text: string): ReadonlyArray<{ readonly pos: number; readonly text: string }> => {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const seen = new Map<number, string>()
  const take = (ranges: ReadonlyArray<ts.CommentRange> | undefined) => ranges?.forEach((r) => seen.set(r.pos, text.slice(r.pos, r.end)))
  const visit = (n: ts.Node): void => {
    take(ts.getLeadingCommentRanges(text, n.getFullStart()))
    take(ts.getTrailingCommentRanges(text, n.getEnd()))
    if (ts.isStringLiteralLike(n) || ts.isTemplateLiteralToken(n)) seen.set(n.getStart(sf), n.getText(sf))
    n.forEachChild(visit)
  }
  visit(sf)
  take(ts.getLeadingCommentRanges(text, sf.endOfFileToken.getFullStart()))
  return [...seen].sort((a, b) => a[0] - b[0]).map(([pos, t]) => ({ pos, text: t }))
}

const filesUnder = (dir: string, ext: RegExp): ReadonlyArray<string> =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .map((f) => `${dir}/${f.split('\\').join('/')}`)
        .filter((f) => ext.test(f) && !f.includes('node_modules'))
        .sort()
    : []

/** Every dangling reference of the repository's docs: src/ comments, README.md, docs/*.md, examples/. */
export const danglingReferences = (): ReadonlyArray<Dangling> => {
  const read = (f: string) => readFileSync(join(root, f), 'utf8')
  const sources = filesUnder('src', /\.ts$/).flatMap((f) => {
    const text = read(f)
    return proseOf(f, text).flatMap((c) => danglingIn(f, c.text, c.pos, text))
  })
  const documents = ['README.md', ...filesUnder('docs', /\.md$/), ...filesUnder('examples', /\.(ts|mjs|js|html|md)$/)]
  return [...sources, ...documents.filter((f) => existsSync(join(root, f))).flatMap((f) => danglingIn(f, withoutFences(read(f))))]
}

/** A path relative to the root, for messages. */
export const rel = (p: string): string => relative(root, join(root, p))
