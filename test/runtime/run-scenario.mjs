// CLI for the scenario in a JS runtime with a command line (node, deno, bun):
//   node test/runtime/run-scenario.mjs [bundle]     (default: dist/index.js)
// Prints one line of JSON: { runtime, result }.
import { runScenario } from './scenario.mjs'

const arg = (globalThis.process?.argv ?? [])[2] ?? (globalThis.Deno?.args ?? [])[0]
const bundle = arg ? new URL(arg, `file://${globalThis.process?.cwd?.() ?? globalThis.Deno.cwd()}/`).href : new URL('../../dist/index.js', import.meta.url).href
const runtime = globalThis.Bun ? `bun ${globalThis.Bun.version}` : globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : `node ${globalThis.process.version}`
const result = await runScenario(bundle)
console.log(JSON.stringify({ runtime, result }))
