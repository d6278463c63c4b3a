#!/usr/bin/env node
// The `gradtrace` executable: runs dist/cli.js. The published package always
// holds dist/ (npm pack builds it: "prepack"). A source checkout builds dist/
// here, on first use and after its sources change, so that `npm ci && npx
// gradtrace demo` works without an install hook (npm runs none for users).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'dist/cli.js')
const buildScript = join(root, 'scripts/build.mjs') // not in the package: a checkout

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name)
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

const stale = () => {
  if (!existsSync(cli)) return 'dist/ is missing'
  const built = statSync(cli).mtimeMs
  const changed = ['src', 'assembly'].find((d) => existsSync(join(root, d)) && newest(join(root, d)) > built)
  return changed === undefined ? undefined : `${changed}/ changed since the last build`
}

if (existsSync(buildScript)) {
  const why = stale()
  if (why !== undefined) {
    process.stderr.write(`gradtrace: ${why}; building (node scripts/build.mjs) ...\n`)
    // the build's output goes to stderr: stdout is the command's
    execFileSync(process.execPath, [buildScript], { cwd: root, stdio: ['ignore', 2, 2] })
  }
}
await import(new URL('../dist/cli.js', import.meta.url).href)
