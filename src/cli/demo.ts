/**
 * `gradtrace demo`: runs the headline experiments on data shipped with the
 * package, shows progress, prints each results table, and writes a
 * self-contained HTML report and the traces as JSON.
 *
 * @since 0.1.0
 */
import { cpus, loadavg } from 'node:os'
import { encodeTraceFile } from '../codec/trace'
import type { Experiment, ExperimentResult } from '../experiments/Experiment'
import { resultsFile } from '../experiments/results'
import { reportHtml, textTable } from '../report/html'
import { writeAll } from './files'
import { progress } from './progress'

/** @category model */
export interface DemoOptions {
  readonly out: string
  readonly quick: boolean
  readonly only?: ReadonlyArray<string>
}

const VERSION = '0.1.0'

const stdout = (s: string): void => void process.stdout.write(s + '\n')

/** An experiment's section of the report (copies: the report takes arrays it may change). */
const section = (r: ExperimentResult) => ({
  id: r.id,
  title: r.title,
  paragraph: r.paragraph,
  svg: [...r.svgs],
  table: { head: [...r.table.head], rows: r.table.rows.map((row) => [...row]) },
  findings: r.findings.map((f) => ({ severity: f.severity, title: f.title, evidence: f.evidence, remedy: f.remedy })),
})

/** Every run of every experiment, labelled `<experiment>: <run>`. */
const runsOf = (results: ReadonlyArray<ExperimentResult>) =>
  results.flatMap((r) => r.runs.map((run) => ({ label: `${r.id}: ${run.label}`, traces: run.traces })))

/** Runs the experiments one after another and writes the report. @category constructors */
export const demo = async (experiments: ReadonlyArray<Experiment>, o: DemoOptions, log: (s: string) => void = stdout): Promise<ReadonlyArray<string>> => {
  const chosen = o.only ? experiments.filter((e) => o.only!.includes(e.id)) : experiments
  const total = chosen.reduce((s, e) => s + e.weight, 0)
  const bar = progress(process.stderr, 'gradtrace demo')
  const results: ExperimentResult[] = []
  const t0 = Date.now()
  const load0 = loadavg().map((x) => x.toFixed(1)).join(' / ') // the seconds of every table depend on it
  let done = 0
  for (const e of chosen) {
    const r = await e.run({ quick: o.quick, onProgress: (f, note) => bar.update((done + f * e.weight) / total, `${e.title}${note ? ` (${note})` : ''}`) })
    done += e.weight
    bar.update(done / total, e.title)
    results.push(r)
    log(`\n## ${r.title}\n${textTable(r.table.head, r.table.rows)}`)
    for (const f of r.findings) log(`  [${f.severity}] ${f.title}: ${f.evidence}\n         remedy: ${f.remedy}`)
  }
  const seconds = (Date.now() - t0) / 1000
  bar.done(`${chosen.length} experiments`)
  const mode = o.quick ? 'quick' : 'full'
  const meta = { version: VERSION, seconds: Math.round(seconds), mode, node: process.version, cores: cpus().length, loadAverageAtStart: load0 }
  const html = reportHtml({
    title: 'gradtrace — why deep and recurrent networks fail to learn, and what fixes it',
    subtitle:
      'Every picture below comes from gradient traces recorded by gradtrace while it ran these experiments ' +
      `(${mode} mode, ${seconds.toFixed(0)} s on one core).`,
    sections: results.map(section),
    meta,
  })
  const traces = encodeTraceFile({ format: 'gradtrace-traces', version: 1, meta, runs: runsOf(results) })
  const paths = writeAll(o.out, [
    ['report.html', html],
    ['traces.json', traces],
    ['results.json', JSON.stringify(resultsFile(results, meta), null, 2) + '\n'],
  ])
  log(`\nwrote ${paths.join(', ')} (${seconds.toFixed(0)} s)`)
  return paths
}
