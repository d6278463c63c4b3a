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
    expect(readdirSync(out).sort()).toEqual(['report.html', 'traces.json'])
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
})
