// `npm run bench`: runs every workload module in bench/ (each exports
// `workloads`) through the harness and merges bench/results.json.
//   node --expose-gc bench/run.mjs [--filter text] [--quick] [--clock cpu]
// Re-spawns itself with --experimental-wasm-relaxed-simd when this Node needs
// the flag to run the relaxed-SIMD build (Node 20).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { compare } from './harness.mjs'

const FLAG = '--experimental-wasm-relaxed-simd'
// i32x4.relaxed_laneselect in a one-function module: validates only where relaxed SIMD runs
const relaxedProbe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 62, 1, 60, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 139, 2, 26, 11])
if (!WebAssembly.validate(relaxedProbe) && !process.execArgv.includes(FLAG)) {
  const r = spawnSync(process.execPath, [...process.execArgv, FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(r.status ?? 1)
}

const args = process.argv.slice(2)
const arg = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const filter = arg('--filter')
const quick = args.includes('--quick')
const clock = arg('--clock') ?? 'wall'

const dir = new URL('./', import.meta.url)
// workload modules only: a script beside them (steps.mjs) runs its measurement when imported
const modules = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && /^export (const|async function|function) workloads\b/m.test(readFileSync(new URL(f, dir), 'utf8')))
  .sort()
let workloads = []
for (const f of modules) {
  const mod = await import(new URL(f, dir).href)
  const ws = typeof mod.workloads === 'function' ? await mod.workloads() : mod.workloads ?? []
  workloads.push(...ws)
}
if (filter) workloads = workloads.filter((w) => w.name.includes(filter))
if (workloads.length === 0) {
  console.error(`no workload matches ${filter}`)
  process.exit(1)
}
console.log(`${workloads.length} workloads, ${quick ? 'quick' : 'full'} run, ${clock} clock; ratios are system ms / gradtrace ms (> 1: gradtrace faster)`)
await compare(workloads, { ...(quick ? { reps: 5, minMs: 10 } : { reps: 15, minMs: 25 }), clock })
