/**
 * Writing outputs so that no partial file is ever left looking complete:
 * everything goes to a temporary name in the target folder and is renamed
 * into place only after every file was written. `checkWritable` proves a
 * folder can take the files before any long work starts (#9: a run used to
 * train, then fail with "internal error" and lose its results).
 *
 * Folders are made one level at a time: Node's `mkdirSync(dir, { recursive:
 * true })` never returns for a path under /proc (it retries ENOENT forever).
 *
 * @since 0.1.0
 */
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e)

const exists = (p: string): boolean => {
  try {
    lstatSync(p)
    return true
  } catch {
    return false
  }
}

/** Makes `dir` and its missing parents, one level at a time; returns the folders it made, outermost first. @category utils */
export const makeDirs = (dir: string): ReadonlyArray<string> => {
  const missing: string[] = []
  for (let d = resolve(dir); !exists(d); d = dirname(d)) {
    missing.unshift(d)
    if (dirname(d) === d) break
  }
  const made: string[] = []
  try {
    for (const d of missing) {
      mkdirSync(d)
      made.push(d)
    }
  } catch (e) {
    made.reverse().forEach((d) => rmdirSync(d))
    throw e
  }
  return made
}

/**
 * Whether `files` can be written into `dir`, found by doing it: the folder is
 * made, a probe file written and removed, and every folder made is removed
 * again, so nothing is left changed. An existing target that is not a plain
 * file is an error too. The error is one line naming the path.
 *
 * @category utils
 */
export const checkWritable = (dir: string, files: ReadonlyArray<string>): E.Either<string, void> => {
  let made: ReadonlyArray<string>
  try {
    made = makeDirs(dir)
  } catch (e) {
    return E.left(`${dir}: cannot make the output folder (${code(e)})`)
  }
  try {
    if (!statSync(dir).isDirectory()) return E.left(`${dir}: not a folder (the output goes into a folder)`)
    for (const f of files) {
      const p = join(dir, f)
      if (exists(p) && !lstatSync(p).isFile()) return E.left(`${p}: exists and is not a file`)
    }
    const probe = join(dir, `.gradtrace-probe-${process.pid}`)
    try {
      writeFileSync(probe, '')
    } catch (e) {
      return E.left(`${dir}: cannot write there (${code(e)})`)
    }
    rmSync(probe, { force: true })
    return E.right(undefined)
  } catch (e) {
    return E.left(`${dir}: cannot write there (${code(e)})`)
  } finally {
    ;[...made].reverse().forEach((d) => rmdirSync(d))
  }
}

/** Writes `files` (name -> content) into `dir`, all or nothing. Returns the paths. @category utils */
export const writeAll = (dir: string, files: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> => {
  makeDirs(dir)
  const tmp = files.map(([name]) => join(dir, `.${name}.partial-${process.pid}`))
  try {
    files.forEach(([, content], i) => writeFileSync(tmp[i]!, content))
  } catch (e) {
    tmp.forEach((t) => rmSync(t, { force: true }))
    throw e
  }
  return files.map(([name], i) => {
    const final = join(dir, name)
    renameSync(tmp[i]!, final)
    return final
  })
}
