/**
 * The `gradtrace` command: `demo` (the headline experiments and their report),
 * `run <spec.json>` (train what a file describes), `report <traces.json>` (a
 * report from saved traces). Bad input (a file, a field, an option, an
 * output folder that cannot be written) prints one line naming it and exits
 * with status 2, before any long work and with nothing changed.
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { decodeTraceFile, encodeTraceFile } from '../codec/trace'
import { show } from '../core/Error'
import { reportFromTraces } from '../report/fromTraces'
import { textTable } from '../report/html'
import { diagnose } from '../trace/analysis'
import { type Args, type ArgSpec, parseArgs } from './args'
import { demo } from './demo'
import { experiments } from './experiments'
import { checkWritable, writeAll } from './files'
import { HELP } from './help'
import { progress } from './progress'
import { decodeRunFile, prepare, runPrepared } from './runFile'

const ARGS: { readonly [cmd: string]: ArgSpec } = {
  demo: { flags: { out: 'DIR', quick: 'switch', only: 'ID,...' }, positionals: [] },
  run: { flags: { out: 'DIR' }, positionals: ['spec.json'] },
  report: { flags: { out: 'FILE', force: 'switch' }, positionals: ['traces.json'] },
}

const OUTPUTS = ['report.html', 'traces.json']
const DEMO_OUTPUTS = [...OUTPUTS, 'results.json']

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

const runCmd = async (a: Args): Promise<number> => {
  const file = a.positionals[0]!
  const text = readText(file)
  if (E.isLeft(text)) return fail(text.left)
  const rf = decodeRunFile(text.right)
  if (E.isLeft(rf)) return fail(`${file}: ${show(rf.left)}`)
  const ready = prepare(rf.right)
  if (E.isLeft(ready)) return fail(`${file}: ${show(ready.left)}`)
  const out = a.values.out ?? 'gradtrace-run'
  const writable = checkWritable(out, OUTPUTS)
  if (E.isLeft(writable)) return fail(`--out ${writable.left}`)
  const bar = progress(process.stderr, 'gradtrace run')
  const r = await runPrepared(ready.right, (f, note) => bar.update(f, note))
  if (E.isLeft(r)) return fail(`${file}: ${show(r.left)}`)
  const last = r.right.traces[r.right.traces.length - 1]
  bar.done(last ? `loss ${last.loss.toFixed(4)}` : '')
  const meta = { source: rf.right.data.source, testAccuracy: r.right.testAccuracy ?? 'n/a' }
  const traces = { format: 'gradtrace-traces' as const, version: 1 as const, meta, runs: [{ label: file, traces: r.right.traces }] }
  const paths = writeAll(out, [
    ['report.html', reportFromTraces(traces, `gradtrace run: ${file}`)],
    ['traces.json', encodeTraceFile(traces)],
  ])
  if (r.right.testAccuracy !== null) process.stdout.write(`test accuracy ${(100 * r.right.testAccuracy).toFixed(2)}%\n`)
  for (const f of diagnose(r.right.traces)) process.stdout.write(`[${f.severity}] ${f.title}: ${f.evidence}\n`)
  process.stdout.write(`wrote ${paths.join(' and ')}\n`)
  return 0
}

/** `report` writes `<traces>.report.html` beside the traces by default, and never replaces a file without --force (#9: it overwrote run's report). */
const reportCmd = (a: Args): number => {
  const file = a.positionals[0]!
  const text = readText(file)
  if (E.isLeft(text)) return fail(text.left)
  const tf = decodeTraceFile(text.right)
  if (E.isLeft(tf)) return fail(`${file}: ${show(tf.left)}`)
  const out = a.values.out ?? join(dirname(file), `${basename(file).replace(/\.json$/, '')}.report.html`)
  if (existsSync(out) && !a.switches.includes('force')) return fail(`--out ${out}: exists; pass --force to replace it, or --out FILE to write elsewhere`)
  const writable = checkWritable(dirname(out), [basename(out)])
  if (E.isLeft(writable)) return fail(`--out ${writable.left}`)
  const [path] = writeAll(dirname(out), [[basename(out), reportFromTraces(tf.right, `gradtrace report: ${file}`)]])
  const rows = tf.right.runs.map((r) => [r.label, r.traces.length, r.traces[r.traces.length - 1]?.loss.toPrecision(4) ?? '-'])
  process.stdout.write(textTable(['run', 'traces', 'final loss'], rows) + '\n')
  process.stdout.write(`wrote ${path}\n`)
  return 0
}

const demoCmd = async (a: Args): Promise<number> => {
  const only = a.values.only?.split(',')
  const unknown = only?.filter((id) => !experiments.some((e) => e.id === id)) ?? []
  if (unknown.length > 0) return fail(`demo --only: unknown experiment(s) ${unknown.join(', ')} (known: ${experiments.map((e) => e.id).join(', ')})`)
  const out = a.values.out ?? 'gradtrace-report'
  const writable = checkWritable(out, DEMO_OUTPUTS)
  if (E.isLeft(writable)) return fail(`--out ${writable.left}`)
  await demo(experiments, { out, quick: a.switches.includes('quick'), ...(only ? { only } : {}) })
  return 0
}

/** Runs the command line; resolves to the exit status. @category constructors */
export const cli = async (argv: ReadonlyArray<string>): Promise<number> => {
  const [cmd, ...rest] = argv
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP.main + '\n')
    return cmd === undefined ? 2 : 0
  }
  const spec = ARGS[cmd]
  if (!spec) return fail(`unknown command "${cmd}" (try gradtrace --help)`)
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP[cmd]!.replace('{ids}', experiments.map((e) => e.id).join(', ')) + '\n')
    return 0
  }
  const a = parseArgs(spec)(rest)
  if (E.isLeft(a)) return fail(`${cmd}: ${a.left} (see gradtrace ${cmd} --help)`)
  return cmd === 'demo' ? demoCmd(a.right) : cmd === 'run' ? runCmd(a.right) : reportCmd(a.right)
}
