// Writes the latest bench/results.json into README.md between the BENCH
// markers: one row per workload with gradtrace's median and each peer's
// ratio (peer ms / gradtrace ms), and the machine the run was on.
import { readFileSync, writeFileSync } from 'node:fs'

const r = JSON.parse(readFileSync('bench/results.json', 'utf8'))
const peers = ['tfjs-wasm', 'tfjs-cpu', 'gradtrace-relaxed', 'gradtrace (trace norms)', 'copy only']
const fmt = (x) => (x === undefined ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2))
const rows = Object.values(r.workloads).map((w) => {
  const ratio = (k) => {
    const hit = Object.keys(w.ratios ?? {}).find((p) => p === k || (k.startsWith('tfjs') && p.startsWith(k)))
    return hit ? `${fmt(w.ratios[hit])}×` : ''
  }
  const gf = w.gflops?.gradtrace ? ` (${fmt(w.gflops.gradtrace)} GFLOP/s)` : ''
  return `| ${w.workload} | ${fmt(w.gradtrace_ms)} ms${gf} | ${peers.map(ratio).join(' | ')} |`
})
const m = r.machine ?? {}
const table = [
  `Run ${String(r.updated ?? '').slice(0, 10)} on ${m.cpu ?? '?'} (${m.cores ?? '?'} cores), Node ${m.node ?? '?'}, V8 ${m.v8 ?? '?'}; load average at the start ${(m.loadavg ?? []).map((x) => x.toFixed(1)).join(' / ')}.`,
  'For the relaxed, trace and copy columns the ratio is that system\'s time over gradtrace\'s (below 1: it is faster; the trace column is the cost of tracing).',
  '',
  `| workload | gradtrace | ${peers.join(' | ')} |`,
  `| --- | ---: | ${peers.map(() => '---:').join(' | ')} |`,
  ...rows,
].join('\n')
const readme = readFileSync('README.md', 'utf8')
writeFileSync('README.md', readme.replace(/<!-- BENCH:START -->[\s\S]*<!-- BENCH:END -->/, `<!-- BENCH:START -->\n${table}\n<!-- BENCH:END -->`))
console.log(table)
