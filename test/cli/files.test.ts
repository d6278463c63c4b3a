// Output folders (#9): checked by writing before any long work, leaving
// nothing behind; paths under /proc fail at once instead of hanging (Node's
// recursive mkdir loops there).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { checkWritable, makeDirs, writeAll } from '../../src/cli/files'

describe('output folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'gradtrace-files-'))

  it('a writable new folder passes and is not left behind', () => {
    const dir = join(root, 'a', 'b', 'c')
    expect(checkWritable(dir, ['report.html'])).toEqual(E.right(undefined))
    expect(existsSync(join(root, 'a'))).toBe(false)
    const here = join(root, 'existing')
    mkdirSync(here)
    expect(checkWritable(here, ['report.html'])).toEqual(E.right(undefined))
    expect(readdirSync(here)).toEqual([])
  })

  it('under /proc, under a file, onto a file, onto a folder named like an output: a Left, at once', () => {
    const t0 = Date.now()
    expect(checkWritable('/proc/x', ['report.html'])).toEqual(E.left('/proc/x: cannot make the output folder (ENOENT)'))
    expect(Date.now() - t0).toBeLessThan(1000)
    const file = join(root, 'file')
    writeFileSync(file, 'keep')
    expect(checkWritable(join(file, 'sub'), ['report.html'])).toEqual(E.left(`${join(file, 'sub')}: cannot make the output folder (ENOTDIR)`))
    expect(checkWritable(file, ['report.html'])).toEqual(E.left(`${file}: not a folder (the output goes into a folder)`))
    expect(readFileSync(file, 'utf8')).toBe('keep')
    const clash = join(root, 'clash')
    mkdirSync(join(clash, 'report.html'), { recursive: true })
    expect(checkWritable(clash, ['report.html'])).toEqual(E.left(`${join(clash, 'report.html')}: exists and is not a file`))
  })

  it('makeDirs makes each missing level and says which; writeAll writes all files', () => {
    expect(makeDirs(join(root, 'm', 'n'))).toEqual([join(root, 'm'), join(root, 'm', 'n')])
    expect(makeDirs(join(root, 'm', 'n'))).toEqual([])
    expect(() => makeDirs('/proc/y/z')).toThrow(/ENOENT/)
    expect(writeAll(join(root, 'w'), [['x.txt', 'x'], ['y.txt', 'y']])).toEqual([join(root, 'w', 'x.txt'), join(root, 'w', 'y.txt')])
    expect(readdirSync(join(root, 'w')).sort()).toEqual(['x.txt', 'y.txt'])
  })
})
