// The command line, as a user meets it: the built dist/cli.js (npm test builds
// first) run as a child process. The quick demo writes both files; bad input
// prints one line naming the file or field, exits with 2, and leaves no
// partial report behind.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeTraceFile } from '../../src/codec/trace'

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const run = (args: ReadonlyArray<string>, cwd?: string) => spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', cwd, timeout: 120_000 })

beforeAll(() => {
  if (!existsSync(cliPath)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' })
})

const spec = (over: Record<string, unknown> = {}) => ({
  format: 'gradtrace-run',
  version: 1,
  network: { input: [64], loss: 'softmaxCrossEntropy', spec: { kind: 'serial', layers: [{ kind: 'dense', units: 32, activation: 'tanh' }, { kind: 'dense', units: 10 }] } },
  data: { source: 'digits' },
  training: { optimizer: { kind: 'adam', lr: 0.003, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0 }, epochs: 2, batchSize: 32, seed: 0 },
  ...over,
})

describe('gradtrace CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradtrace-cli-'))

  it('--help for the command and each subcommand', () => {
    for (const args of [['--help'], ['demo', '--help'], ['run', '--help'], ['report', '--help']]) {
      const r = run(args)
      expect(r.status).toBe(0)
      expect(r.stdout).toMatch(/gradtrace/)
    }
    expect(run(['frobnicate']).status).toBe(2)
  })

  it('demo --quick writes the report and the traces, and prints the tables', () => {
    const out = join(dir, 'demo')
    const r = run(['demo', '--quick', '--out', out])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('## Depth and activation at initialisation')
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    for (const id of ['depth', 'glorot', 'relu', 'normalisation', 'clipping', 'recurrent', 'residual']) expect(html).toContain(`id="${id}"`)
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(12)
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/) // self-contained: no network references
    const traces = decodeTraceFile(readFileSync(join(out, 'traces.json'), 'utf8'))
    expect(E.isRight(traces)).toBe(true)
    expect(readdirSync(out).sort()).toEqual(['report.html', 'results.json', 'traces.json'])
  }, 120_000)

  it('report rebuilds a report from saved traces', () => {
    const out = join(dir, 'again.html')
    const r = run(['report', join(dir, 'demo', 'traces.json'), '--out', out])
    expect(r.status, r.stderr).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('<svg')
  })

  it('run trains what a spec describes', () => {
    const f = join(dir, 'ok.json')
    writeFileSync(f, JSON.stringify(spec()))
    const r = run(['run', f, '--out', join(dir, 'run')])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/test accuracy \d+\.\d+%/)
    expect(existsSync(join(dir, 'run', 'report.html'))).toBe(true)
  })

  it('a bad spec names the field and exits with 2, writing nothing', () => {
    const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
      [spec({ network: { input: [64], loss: 'softmaxCrossEntropy', spec: { kind: 'serial', layers: [{ kind: 'dense', units: 'ten' }] } } }), /serial\/0\/dense\.units/],
      [spec({ network: { input: [64], loss: 'softmaxCrossEntropy', spec: { kind: 'serial', layers: [{ kind: 'lion' }] } } }), /kind/],
      [spec({ training: { optimizer: { kind: 'sgd', lr: -1 }, epochs: 1, batchSize: 8 } }), /optimizer/],
      [spec({ data: { source: 'mnist' } }), /data\.source/],
    ]
    cases.forEach(([body, field], i) => {
      const f = join(dir, `bad${i}.json`)
      writeFileSync(f, JSON.stringify(body))
      const out = join(dir, `bad-out-${i}`)
      const r = run(['run', f, '--out', out])
      expect(r.status).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(field)
      expect(existsSync(out)).toBe(false)
    })
  })

  it('a missing or unreadable file, a truncated data file: one clear line, exit 2', () => {
    const missing = run(['run', join(dir, 'nope.json')])
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/nope\.json: cannot read/)
    const notJson = join(dir, 'bad.json')
    writeFileSync(notJson, '{ not json')
    expect(run(['run', notJson]).stderr).toMatch(/bad\.json: json: not valid JSON/)
    const fm = join(dir, 'fm')
    execFileSync('mkdir', ['-p', fm])
    writeFileSync(join(fm, 'train-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2]))
    const f = join(dir, 'fm.json')
    writeFileSync(f, JSON.stringify(spec({ network: { input: [784], loss: 'softmaxCrossEntropy', spec: { kind: 'dense', units: 10 } }, data: { source: 'fashion-mnist', dir: fm } })))
    const r = run(['run', f, '--out', join(dir, 'fm-out')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/train-images-idx3-ubyte.*truncated|missing file/)
    expect(existsSync(join(dir, 'fm-out'))).toBe(false)
  })

  // ---------------------------------------------------------------- #9 edges

  const write = (name: string, body: unknown): string => {
    const f = join(dir, name)
    writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body))
    return f
  }
  /** Exit 2, one line on stderr matching `line`, no training started (no progress), nothing at `out`. */
  const refused = (r: ReturnType<typeof run>, line: RegExp, out?: string): void => {
    expect(r.status, r.stderr).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(line)
    expect(r.stderr).not.toMatch(/gradtrace run: \d+%/)
    if (out) expect(existsSync(out)).toBe(false)
  }

  it('a network input that does not match the data features is refused before training', () => {
    const f = write('misaligned.json', spec({ network: { input: [32], loss: 'softmaxCrossEntropy', spec: { kind: 'serial', layers: [{ kind: 'dense', units: 32, activation: 'tanh' }, { kind: 'dense', units: 10 }] } } }))
    refused(run(['run', f, '--out', join(dir, 'misaligned-out')]), /misaligned\.json: network\.input: \[32\] is 32 features per example, but the digits data has 64/, join(dir, 'misaligned-out'))
    const classes = write('classes.json', spec({ network: { input: [64], loss: 'softmaxCrossEntropy', spec: { kind: 'dense', units: 5 } } }))
    refused(run(['run', classes, '--out', join(dir, 'classes-out')]), /network\.spec: .*10 classes: the last layer needs 10 units/, join(dir, 'classes-out'))
  })

  it('a misspelt or unknown field in a run file is named (the layer used to end up linear)', () => {
    const typo = write('typo.json', spec({ network: { input: [64], loss: 'softmaxCrossEntropy', spec: { kind: 'serial', layers: [{ kind: 'dense', units: 32, activatoin: 'tanh' }, { kind: 'dense', units: 10 }] } } }))
    refused(run(['run', typo, '--out', join(dir, 'typo-out')]), /network\.spec\.serial\/0\/dense\.activatoin: unknown field \(did you mean "activation"\?\)/, join(dir, 'typo-out'))
    const top = write('top.json', { ...spec(), trainig: {} })
    refused(run(['run', top]), /top\.json: trainig: unknown field \(did you mean "training"\?\)/)
    const opt = write('opt.json', spec({ training: { optimizer: { kind: 'adam', lr: 0.01, beta1: 0.9 }, epochs: 1, batchSize: 8 } }))
    refused(run(['run', opt]), /training\.optimizer\.beta1: unknown field/)
  })

  it('a spec nested 100,000 deep is one line and exit 2, not a stack overflow', () => {
    const n = 100_000
    const deep = '{"kind":"serial","layers":['.repeat(n) + '{"kind":"dense","units":10}' + ']}'.repeat(n)
    const f = write('deep.json', JSON.stringify(spec()).replace('{"kind":"serial","layers":[{"kind":"dense","units":32,"activation":"tanh"},{"kind":"dense","units":10}]}', deep))
    refused(run(['run', f]), /deep\.json: network\.spec.*nested deeper than/)
  })

  it('an --out that cannot be written is refused before training; /proc/x does not hang', () => {
    const ok = write('ok-out.json', spec())
    const t0 = Date.now()
    refused(run(['run', ok, '--out', '/proc/x']), /--out \/proc\/x: cannot make the output folder \(ENOENT\)/)
    expect(Date.now() - t0).toBeLessThan(20_000)
    const file = write('a-file', 'keep me')
    refused(run(['run', ok, '--out', join(file, 'sub')]), /cannot make the output folder \(ENOTDIR\)/)
    refused(run(['run', ok, '--out', file]), /a-file: not a folder/)
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  it('unknown flags are refused and change nothing; flags may come before the file', () => {
    const before = readFileSync(join(dir, 'demo', 'report.html'), 'utf8')
    const r = run(['demo', '--quik', '--out', join(dir, 'demo')])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/demo: unknown option --quik \(did you mean --quick\?\)/)
    expect(readFileSync(join(dir, 'demo', 'report.html'), 'utf8')).toBe(before)
    refused(run(['run', write('flag.json', spec()), '--epochs', '3']), /run: unknown option --epochs/)
    const out = join(dir, 'flags-first')
    const first = run(['run', '--out', out, write('first.json', spec())])
    expect(first.status, first.stderr).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['report.html', 'traces.json'])
  })

  it('the run file --help shows is complete and runs as it is; redirected progress is a few lines', () => {
    const help = run(['run', '--help']).stdout
    const text = help.slice(help.indexOf('\n{\n') + 1, help.indexOf('\n}\n') + 2)
    const f = write('from-help.json', text)
    const r = run(['run', f, '--out', join(dir, 'from-help')])
    expect(r.status, r.stderr).toBe(0)
    expect(JSON.parse(text).training.optimizer).toEqual({ kind: 'adam', lr: 0.003 }) // kind and lr are enough
    expect(r.stdout).toMatch(/test accuracy \d+\.\d+%/)
    // 5 epochs of 44 steps, stderr a pipe: one line per 10% at most, not one per step
    const lines = r.stderr.trim().split('\n')
    expect(lines.length).toBeLessThanOrEqual(12)
    expect(lines[lines.length - 1]).toMatch(/^gradtrace run: done in/)
  })

  it("report does not replace run's report: it writes beside it, and refuses an existing file without --force", () => {
    const runDir = join(dir, 'from-help')
    const original = readFileSync(join(runDir, 'report.html'), 'utf8')
    const r = run(['report', join(runDir, 'traces.json')])
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain(`wrote ${join(runDir, 'traces.report.html')}`)
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toBe(original)
    const again = run(['report', join(runDir, 'traces.json'), '--out', join(runDir, 'report.html')])
    expect(again.status).toBe(2)
    expect(again.stderr).toMatch(/report\.html: exists; pass --force to replace it/)
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toBe(original)
    const forced = run(['report', '--force', join(runDir, 'traces.json'), '--out', join(runDir, 'report.html')])
    expect(forced.status, forced.stderr).toBe(0)
  })
})
