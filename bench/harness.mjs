// A small benchmark harness: calibrated timing, interleaved repetitions,
// medians, a printed table, and results merged into bench/results.json.
// See bench/README.md for the workload format.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'

const now = () => performance.now()
// cpu: this process's user + system time, for a shared machine where other
// processes take turns on the cores (it still counts helper threads, e.g. GC)
const cpuNow = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2
}

/**
 * Time fn: double the number of calls until one sample takes >= minMs, then
 * return { iters, ms } with ms the time per call in that sample.
 */
export const measure = (fn, { minMs = 25, maxIters = 1 << 20 } = {}) => {
  for (let iters = 1; ; iters *= 2) {
    const t0 = now()
    for (let i = 0; i < iters; i++) fn()
    const t = now() - t0
    if (t >= minMs || iters >= maxIters) return { iters, ms: t / iters }
  }
}

/** Time exactly `iters` calls of fn; ms per call (clock 'wall' or 'cpu'). */
export const sample = (fn, iters, clock = 'wall') => {
  const t = clock === 'cpu' ? cpuNow : now
  const t0 = t()
  for (let i = 0; i < iters; i++) fn()
  return (t() - t0) / iters
}

/** The machine a result was measured on. */
export const machine = () => {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    flags: process.execArgv.join(' '),
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  }
}

const fmt = (x, d = 3) => (x === undefined || !Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(1) : x.toPrecision(d))

/**
 * Run workloads; each workload's systems are interleaved round-robin
 * (rep 1 of A, B, C, then rep 2, ...), `reps` times, and summarised by medians.
 *
 * workload: { name, flops?, note?, figures?, systems: { [name]: async () => System } }
 *           (figures: named numbers stored with the record, e.g. sizes; a system's setup may set them)
 * System:   { run(): void,                 // one call of the measured operation
 *             enter?(): void | Promise,    // before each rep (e.g. tf.setBackend)
 *             teardown?(): void | Promise,
 *             maxReps?: number,            // cap for very slow systems
 *             note?: string }
 * The first system (or opts.baseline) is the one ratios are taken against:
 * ratio = system_ms / baseline_ms, so > 1 means the baseline is faster.
 * opts.clock 'cpu' times process cpu time instead of wall time (shared machines).
 * Returns the records it merged into opts.results (default bench/results.json).
 */
export const compare = async (workloads, opts = {}) => {
  const { reps = 15, minMs = 25, baseline = 'gradtrace', clock = 'wall', log = console.log } = opts
  const results = opts.results ?? new URL('./results.json', import.meta.url)
  const records = []
  for (const w of workloads) {
    globalThis.gc?.()
    const names = Object.keys(w.systems)
    const base = names.includes(baseline) ? baseline : names[0]
    const sys = {}
    for (const name of names) {
      try {
        const s = await w.systems[name]()
        await s.enter?.()
        s.run() // warm-up: first call compiles / tiers up
        s.run()
        sys[name] = { s, iters: measure(() => s.run(), { minMs }).iters, times: [] }
      } catch (e) {
        sys[name] = { error: String(e?.message ?? e).split('\n')[0], times: [] }
      }
    }
    for (let r = 0; r < reps; r++) {
      for (const name of names) {
        const x = sys[name]
        if (x.error || x.times.length >= (x.s.maxReps ?? Infinity)) continue
        await x.s.enter?.()
        x.times.push(sample(() => x.s.run(), x.iters, clock))
      }
    }
    for (const name of names) await sys[name].s?.teardown?.()
    const ms = Object.fromEntries(names.map((n) => [n, sys[n].times.length ? median(sys[n].times) : undefined]))
    const rec = {
      workload: w.name,
      ...(w.note ? { note: w.note } : {}),
      [`${base}_ms`]: ms[base],
      peers: Object.fromEntries(names.filter((n) => n !== base).map((n) => [n, ms[n] ?? null])),
      ratios: Object.fromEntries(names.filter((n) => n !== base).map((n) => [n, ms[n] && ms[base] ? ms[n] / ms[base] : null])),
      ...(w.flops ? { gflops: Object.fromEntries(names.map((n) => [n, ms[n] ? w.flops / ms[n] / 1e6 : null])) } : {}),
      ...(w.figures ? { figures: w.figures } : {}),
      reps: Object.fromEntries(names.map((n) => [n, sys[n].times.length])),
      clock,
      ...(names.some((n) => sys[n].error || sys[n].s?.note)
        ? { notes: Object.fromEntries(names.filter((n) => sys[n].error || sys[n].s?.note).map((n) => [n, sys[n].error ? `error: ${sys[n].error}` : sys[n].s.note])) }
        : {}),
      machine: machine(),
      date: new Date().toISOString(),
    }
    records.push(rec)
    printRecord(rec, base, log)
  }
  merge(results, records)
  return records
}

const printRecord = (rec, base, log) => {
  const names = [base, ...Object.keys(rec.peers)]
  const ms = (n) => (n === base ? rec[`${base}_ms`] : rec.peers[n])
  log(`\n${rec.workload}${rec.note ? `  (${rec.note})` : ''}${rec.clock === 'cpu' ? '  [cpu time]' : ''}`)
  log(`| system | median ms | GFLOP/s | reps | ${base} speed-up (system ms / ${base} ms) |`)
  log('| --- | ---: | ---: | ---: | ---: |')
  for (const n of names) {
    const note = rec.notes?.[n] ? ` (${rec.notes[n]})` : ''
    log(`| ${n}${note} | ${fmt(ms(n))} | ${fmt(rec.gflops?.[n])} | ${rec.reps[n]} | ${n === base ? '1' : fmt(rec.ratios[n])} |`)
  }
}

/** Merge records into the results file, keyed by workload name. */
export const merge = (file, records) => {
  let old = {}
  if (existsSync(file)) {
    try {
      old = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      old = {}
    }
  }
  const workloads = { ...(old.workloads ?? {}) }
  for (const r of records) workloads[r.workload] = r
  writeFileSync(file, JSON.stringify({ machine: machine(), updated: new Date().toISOString(), workloads }, null, 2) + '\n')
}
