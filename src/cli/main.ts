/**
 * The `gradtrace` command: `demo` (the headline experiments and their report),
 * `run <spec.json>` (train what a file describes), `report <traces.json>` (a
 * report from saved traces). Bad input prints one line naming the file or
 * field and exits with status 2.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { decodeTraceFile, encodeTraceFile } from '../codec/trace'
import { show } from '../core/Error'
import { reportFromTraces } from '../report/fromTraces'
import { textTable } from '../report/html'
import { diagnose } from '../trace/analysis'
import { demo } from './demo'
import { experiments } from './experiments'
import { writeAll } from './files'
import { progress } from './progress'
import { decodeRunFile, runFile } from './runFile'

const HELP: { readonly [cmd: string]: string } = {
  main: `gradtrace — see why a deep or recurrent network does not learn

usage:
  gradtrace demo [--out DIR] [--quick] [--only ID,...]   run the headline experiments, write DIR/report.html and DIR/traces.json
  gradtrace run <spec.json> [--out DIR]                  train what a run file describes, write its report and traces
  gradtrace report <traces.json> [--out FILE]            an HTML report from saved traces
  gradtrace <command> --help                             help for one command`,
  demo: `gradtrace demo [--out DIR] [--quick] [--only ID,...]

Runs the experiments on data that ships with the package (about two minutes on
one core; --quick: a few seconds), prints each results table and writes
DIR/report.html (self-contained: opens from disk) and DIR/traces.json.
DIR defaults to ./gradtrace-report. Experiments: ${'{ids}'}.`,
  run: `gradtrace run <spec.json> [--out DIR]

Trains the network a run file describes (format "gradtrace-run", version 1:
network {input, loss, spec}, data {source: digits | fashion-mnist-small |
fashion-mnist, dir?, testFraction?}, training {optimizer, epochs, batchSize,
seed?, trace?}) and writes DIR/report.html and DIR/traces.json (default
./gradtrace-run). A bad file prints the field and exits with status 2.`,
  report: `gradtrace report <traces.json> [--out FILE]

Writes an HTML report (default: report.html beside the traces) from a traces
file written by 'gradtrace demo' or 'gradtrace run'.`,
}

const flag = (args: ReadonlyArray<string>, name: string): string | undefined => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}

const fail = (line: string): number => {
  process.stderr.write(`gradtrace: ${line}\n`)
  return 2
}

const readText = (path: string): E.Either<string, string> => {
  try {
    return E.right(readFileSync(path, 'utf8'))
  } catch (e) {
    return E.left(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`)
  }
}

const runCmd = async (args: ReadonlyArray<string>): Promise<number> => {
  const file = args.find((a) => !a.startsWith('--'))
  if (!file) return fail('run: missing <spec.json> (see gradtrace run --help)')
  const text = readText(file)
  if (E.isLeft(text)) return fail(text.left)
  const rf = decodeRunFile(text.right)
  if (E.isLeft(rf)) return fail(`${file}: ${show(rf.left)}`)
  const bar = progress(process.stderr, 'gradtrace run')
  const r = await runFile(rf.right, (f, note) => bar.update(f, note))
  if (E.isLeft(r)) return fail(`${file}: ${show(r.left)}`)
  const last = r.right.traces[r.right.traces.length - 1]
  bar.done(last ? `loss ${last.loss.toFixed(4)}` : '')
  const label = `${file}`
  const traces = { format: 'gradtrace-traces' as const, version: 1 as const, meta: { source: rf.right.data.source, testAccuracy: r.right.testAccuracy ?? 'n/a' }, runs: [{ label, traces: r.right.traces }] }
  const out = flag(args, '--out') ?? 'gradtrace-run'
  const paths = writeAll(out, [
    ['report.html', reportFromTraces(traces, `gradtrace run: ${file}`)],
    ['traces.json', encodeTraceFile(traces)],
  ])
  if (r.right.testAccuracy !== null) process.stdout.write(`test accuracy ${(100 * r.right.testAccuracy).toFixed(2)}%\n`)
  for (const f of diagnose(r.right.traces)) process.stdout.write(`[${f.severity}] ${f.title}: ${f.evidence}\n`)
  process.stdout.write(`wrote ${paths.join(' and ')}\n`)
  return 0
}

const reportCmd = (args: ReadonlyArray<string>): number => {
  const file = args.find((a) => !a.startsWith('--'))
  if (!file) return fail('report: missing <traces.json> (see gradtrace report --help)')
  const text = readText(file)
  if (E.isLeft(text)) return fail(text.left)
  const tf = decodeTraceFile(text.right)
  if (E.isLeft(tf)) return fail(`${file}: ${show(tf.left)}`)
  const out = flag(args, '--out') ?? join(file, '..', 'report.html')
  const [dir, name] = [join(out, '..'), out.split(/[\\/]/).pop()!]
  const [path] = writeAll(dir, [[name, reportFromTraces(tf.right, `gradtrace report: ${file}`)]])
  process.stdout.write(textTable(['run', 'traces', 'final loss'], tf.right.runs.map((r) => [r.label, r.traces.length, r.traces[r.traces.length - 1]?.loss.toPrecision(4) ?? '-'])) + '\n')
  process.stdout.write(`wrote ${path}\n`)
  return 0
}

/** Runs the command line; resolves to the exit status. @category constructors */
export const cli = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [cmd, ...args] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP.main + '\n')
    return cmd === undefined ? 2 : 0
  }
  if (!(cmd in HELP) || cmd === 'main') return fail(`unknown command "${cmd}" (try gradtrace --help)`)
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP[cmd]!.replace('{ids}', experiments.map((e) => e.id).join(', ')) + '\n')
    return 0
  }
  switch (cmd) {
    case 'demo': {
      const only = flag(args, '--only')?.split(',')
      const unknown = only?.filter((id) => !experiments.some((e) => e.id === id)) ?? []
      if (unknown.length > 0) return fail(`demo --only: unknown experiment(s) ${unknown.join(', ')} (known: ${experiments.map((e) => e.id).join(', ')})`)
      await demo(experiments, { out: flag(args, '--out') ?? 'gradtrace-report', quick: args.includes('--quick'), ...(only ? { only } : {}) })
      return 0
    }
    case 'run':
      return runCmd(args)
    default:
      return reportCmd(args)
  }
}
