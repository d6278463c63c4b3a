/**
 * Docs point at files in the repository (issue 10, item 7): a markdown link,
 * a document name or a repository path in src/ comments and strings,
 * README.md, docs/*.md or the examples must name a file that exists, and no
 * doc may send a reader to notes outside the repository (`see docs`, a
 * `DESIGN` decision, the shared folder). See ./references.ts for what counts.
 */
import { describe, expect, it } from 'vitest'
import { danglingIn, danglingReferences, proseOf, withoutFences } from './references'

describe('references to files', () => {
  it('the scanner finds what is missing and passes what is there', () => {
    const text = [
      '/** y = f(x), see [the design](../../docs/design.md) and LITERATURE.md §2. */',
      "// kernels: assembly/gemm/nowhere.ts and src/core/Key.ts; build/gradtrace.wasm is built; see docs",
      "const url = 'https://example.org/STYLE.md' // a URL names no file here",
      "const printed = 'against NOTES.md'",
    ].join('\n')
    const found = proseOf('src/core/x.ts', text).flatMap((c) => danglingIn('src/core/x.ts', c.text, c.pos, text))
    expect(found.map((d) => `${d.line} ${d.ref}`)).toEqual(['1 LITERATURE.md', '2 assembly/gemm/nowhere.ts', '2 see docs', '4 NOTES.md'])
    const md = '[ok](docs/design.md) [gone](docs/gone.md)\n```sh\nnpx gradtrace run net.json --out ./out/report.html\n```\n'
    expect(danglingIn('README.md', withoutFences(md)).map((d) => d.ref)).toEqual(['docs/gone.md'])
  })

  it('every reference in src/, README.md, docs/ and examples/ names a file in the repository', () => {
    expect(danglingReferences().map((d) => `${d.file}:${d.line} ${d.ref}`)).toEqual([])
  })
})
