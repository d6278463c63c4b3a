/**
 * Writing outputs so that no partial file is ever left looking complete:
 * everything goes to a temporary name in the target folder and is renamed
 * into place only after every file was written.
 *
 * @since 0.1.0
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** Writes `files` (name -> content) into `dir`, all or nothing. Returns the paths. @category utils */
export const writeAll = (dir: string, files: ReadonlyArray<readonly [string, string]>): ReadonlyArray<string> => {
  mkdirSync(dir, { recursive: true })
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
