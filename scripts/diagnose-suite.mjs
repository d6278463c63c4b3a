// `npm run diagnose-suite`: trains every case of diagnose's labelled suite
// (src/suite/cases.ts), prints recall and precision per problem and the false
// alarms over the healthy controls, then repairs the failing runs (up to 3
// remedies each, retrained) and writes bench/diagnose-suite.json.
// Usage: node scripts/diagnose-suite.mjs [--only <name substring>] [--verbose] [--no-repair]
import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const args = process.argv.slice(2)
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined
const verbose = args.includes('--verbose')
const repair = !args.includes('--no-repair')

mkdirSync('build/run', { recursive: true })
const out = resolve('build/run', 'diagnose-suite.mjs')
await build({
  entryPoints: ['src/suite/index.ts'],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  loader: { '.wasm': 'base64' },
  mainFields: ['module', 'main'],
  logLevel: 'warning',
})
const { dataKey, problems, repairCase, runSuite, suite } = await import(pathToFileURL(out).href)

const cases = only ? suite.filter((c) => c.name.includes(only)) : suite
const t0 = performance.now()
const pct = (x) => (Number.isNaN(x) ? '  -' : `${Math.round(100 * x)}%`.padStart(4))
const r = await runSuite(cases, (run) => {
  const ok = run.expect.every((p) => run.found.includes(p)) && (run.expect.length > 0 || run.found.every((f) => f === 'healthy'))
  console.log(`${ok ? ' ' : '!'} ${run.name.padEnd(30)} ${run.family.padEnd(9)} expect ${(run.expect.join(',') || 'healthy').padEnd(12)} found ${run.found.join(',')} (${run.seconds.toFixed(2)} s)`)
  if (verbose) for (const f of run.findings) console.log(`      ${f.title}: ${f.evidence}`)
  if (verbose) console.log(`      ${JSON.stringify(run.measures)}`)
})
if (r._tag === 'Left') {
  console.error('suite failed:', JSON.stringify(r.left))
  process.exit(1)
}
const { runs, scores } = r.right
const seconds = (performance.now() - t0) / 1000
console.log(`\n${'problem'.padEnd(12)} runs recall precision`)
for (const p of problems) {
  const t = scores.tally[p] ?? { runs: 0 }
  console.log(`${p.padEnd(12)} ${String(t.runs).padStart(4)} ${pct(scores.recall[p] ?? NaN)}   ${pct(scores.precision[p] ?? NaN)}`)
}
console.log(`false alarms: ${scores.falseAlarms} of ${scores.controls} healthy controls; ${runs.length} runs in ${seconds.toFixed(1)} s`)
for (const m of scores.misses) console.log(`  miss: ${m}`)

// repair: every run built to show a problem, against the held-out loss the healthy controls reach on its data (the worst of them)
const repairs = []
if (repair) {
  const reference = {}
  for (const run of runs.filter((x) => x.expect.length === 0)) {
    const k = dataKey(suite.find((c) => c.name === run.name).data)
    reference[k] = Math.max(reference[k] ?? -Infinity, run.measures.heldOutLast)
  }
  console.log(`\nrepair (reference held-out loss: ${Object.entries(reference).map(([k, v]) => `${k} ${v}`).join(', ')})`)
  for (const run of runs.filter((x) => x.expect.length > 0)) {
    const c = suite.find((x) => x.name === run.name)
    const r = await repairCase(c, run, reference[dataKey(c.data)] ?? -Infinity)
    if (r._tag === 'Left') {
      console.error('repair failed:', JSON.stringify(r.left))
      process.exit(1)
    }
    const last = r.right.tried[r.right.tried.length - 1]
    const tries = r.right.tried.map((t) => `${t.remedy.label} -> ${t.after.found.join(',')} held-out ${t.after.measures.heldOutLast}`).join('; ')
    console.log(`${r.right.repaired ? ' ' : '!'} ${run.name.padEnd(30)} held-out ${run.measures.heldOutLast} | ${tries || 'no remedy'}`)
    repairs.push({ name: run.name, repaired: r.right.repaired, by: r.right.repaired ? last.remedy.label : null, tried: r.right.tried.length })
  }
  const n = repairs.filter((r) => r.repaired).length
  console.log(`repaired ${n} of ${repairs.length} failing runs (${Math.round((100 * n) / repairs.length)}%)`)
}

if (!only) {
  const pick = (rec) => Object.fromEntries(problems.map((p) => [p, rec[p] ?? null]))
  const json = {
    command: 'npm run diagnose-suite',
    date: new Date().toISOString(),
    runs: runs.length,
    controls: scores.controls,
    seconds: Number(seconds.toFixed(1)),
    recall: pick(scores.recall),
    precision: pick(scores.precision),
    falseAlarms: scores.falseAlarms,
    ...(repair ? { repaired: Number((repairs.filter((r) => r.repaired).length / repairs.length).toFixed(3)), repairs } : {}),
    tally: scores.tally,
    misses: scores.misses,
    cases: runs.map(({ name, family, expect, alsoRight, found, measures, steps, seconds: s }) => ({ name, family, expect, alsoRight, found, measures, steps, seconds: Number(s.toFixed(2)) })),
  }
  mkdirSync('bench', { recursive: true })
  // one line a case, so that a change to the suite reads as a change to its rows
  const text = JSON.stringify({ ...json, cases: [] }, null, 2).replace('"cases": []', `"cases": [\n${json.cases.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]`)
  writeFileSync('bench/diagnose-suite.json', text + '\n')
  console.log('wrote bench/diagnose-suite.json')
}
