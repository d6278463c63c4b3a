#!/usr/bin/env node
// The `gradtrace` executable (package.json "bin" -> dist/cli.js): runs the
// command line and exits with its status.
import { cli } from './main'

cli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`gradtrace: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exit(1)
  },
)
