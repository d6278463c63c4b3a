/**
 * Shared pieces of the runtime tests: paths, the Node reference result, child
 * processes that are always cleaned up, free ports on 127.0.0.1, and the
 * launchers for Chromium (playwright-core), workerd, Deno and Bun.
 */
import { build } from 'esbuild'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '')
export const DIST = join(ROOT, 'dist')
export const BUNDLE = join(DIST, 'index.js')
export const WASM = join(DIST, 'gradtrace.wasm')
export const HERE = join(ROOT, 'test/runtime')
export const SYSTEM_CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** What every runtime must reproduce bit for bit (see scenario.mjs). */
export interface ScenarioResult {
  readonly steps: number
  readonly loss: number
  readonly lossBits: string
  readonly firstLossBits: string
  readonly paramsHash: string
  readonly trace: { readonly gradNorm: string; readonly layers: ReadonlyArray<{ readonly path: string; readonly gradOutL2: string; readonly gradPreL2: string }> }
}

export const comparable = (r: ScenarioResult) => ({ lossBits: r.lossBits, firstLossBits: r.firstLossBits, paramsHash: r.paramsHash, trace: r.trace })

/** The bundles the tests load: built by `npm run build` (CI: `npm ci` runs "prepare"). */
export const requireBuild = (): void => {
  const missing = [BUNDLE, WASM].filter((f) => !existsSync(f))
  if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}: run \`npm run build\` first`)
}

// -------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------

const started = new Set<ChildProcess>()

/** Spawns a child that `killAll()` ends (its whole process group); collects its output. */
export const start = (cmd: string, args: ReadonlyArray<string>, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  started.add(child)
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => { started.delete(child); ok(code) }))
  return { child, exited, output: () => ({ out, err }) }
}

/** Ends a child we started (its process group: wrappers such as chromium's shell script have children). */
export const kill = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const gone = new Promise<void>((ok) => child.once('exit', () => ok()))
  try { process.kill(-child.pid, 'SIGTERM') } catch { /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL') } catch { /* gone */ } }, 2000)
  await gone
  clearTimeout(timer)
}

export const killAll = async (): Promise<void> => { await Promise.all([...started].map(kill)) }

/** Runs a command to completion with a timeout; stdout on success, else an Error with stderr. */
export const runToEnd = async (cmd: string, args: ReadonlyArray<string>, opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> => {
  const p = start(cmd, args, opts)
  const timer = setTimeout(() => void kill(p.child), opts.timeoutMs ?? 30_000)
  const code = await p.exited
  clearTimeout(timer)
  const { out, err } = p.output()
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.slice(-2000)}`)
  return out
}

/** A port that was free on 127.0.0.1 a moment ago. */
export const freePort = (): Promise<number> =>
  new Promise((ok, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => ok(port))
    })
  })

// -------------------------------------------------------------------------------------
// runtimes
// -------------------------------------------------------------------------------------

const lastJsonLine = (out: string): { runtime: string; result: ScenarioResult } => JSON.parse(out.trim().split('\n').pop()!)

/** The scenario in a fresh `node` process, from dist/index.js: the reference. */
export const runInNode = async () => lastJsonLine(await runToEnd(process.execPath, [join(HERE, 'run-scenario.mjs')]))

/** An npm-shipped runtime binary, or the precise reason it cannot run here. */
export const binary = (name: 'deno' | 'bun'): { path: string } | { reason: string } => {
  const path = join(ROOT, 'node_modules/.bin', name)
  if (!existsSync(path)) return { reason: `${name} is not installed (npm i -D ${name}; its binary comes from an optional dependency)` }
  try {
    execFileSync(path, ['--version'], { stdio: 'pipe', timeout: 15_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } })
    return { path }
  } catch (e) {
    return { reason: `${path} --version failed: ${(e as Error).message.split('\n')[0]} (bun's postinstall must have replaced its placeholder bin/bun.exe; npm --ignore-scripts leaves it)` }
  }
}

export const runInDeno = async (deno: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'gradtrace-deno-'))
  try {
    return lastJsonLine(await runToEnd(deno, ['run', '--no-prompt', '--allow-read', join(HERE, 'run-scenario.mjs')], { env: { DENO_DIR: dir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export const runInBun = async (bun: string) => lastJsonLine(await runToEnd(bun, [join(HERE, 'run-scenario.mjs')], { env: { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', NO_COLOR: '1' } }))

/** workerd on 127.0.0.1:<free port> with test/runtime/workerd: the .wasm embedded as a compiled module. */
export const startWorkerd = async () => {
  const bin = join(ROOT, 'node_modules/.bin/workerd')
  if (!existsSync(bin)) throw new Error('workerd is not installed: npm i -D workerd')
  const dir = mkdtempSync(join(tmpdir(), 'gradtrace-workerd-'))
  copyFileSync(join(HERE, 'workerd/worker.js'), join(dir, 'worker.js'))
  copyFileSync(join(HERE, 'scenario.mjs'), join(dir, 'scenario.mjs'))
  // one module, as a Workers bundler (wrangler) makes of the package's ESM entry and its chunks
  await build({ entryPoints: [BUNDLE], bundle: true, format: 'esm', platform: 'neutral', conditions: ['workerd', 'worker'], outfile: join(dir, 'gradtrace.js'), logLevel: 'silent' })
  copyFileSync(WASM, join(dir, 'gradtrace.wasm'))
  const template = readFileSync(join(HERE, 'workerd/config.capnp'), 'utf8')
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    writeFileSync(join(dir, 'config.capnp'), template.replaceAll('@PORT@', String(port)))
    const p = start(bin, ['serve', 'config.capnp', '--verbose'], { cwd: dir, env: { PWD: dir } })
    const url = `http://127.0.0.1:${port}`
    const deadline = Date.now() + 15_000
    let up = false
    while (Date.now() < deadline && p.child.exitCode === null) {
      try {
        await fetch(`${url}/health`)
        up = true
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    if (up) {
      return { url, stop: async () => { await kill(p.child); rmSync(dir, { recursive: true, force: true }) } }
    }
    await kill(p.child)
    const { err } = p.output()
    if (attempt >= 2 || !/address already in use/i.test(err)) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`workerd did not start: ${err.slice(-2000)}`)
    }
  }
}

/**
 * The Chromium the browser tests drive: `CHROMIUM_PATH` when set, else the
 * system's `/usr/bin/chromium` when present (Debian's package), else the
 * binary the dev dependency `@sparticuz/chromium` ships inside its npm package
 * (unpacked to /tmp on first use; it needs no apt step and no download).
 */
export const chromiumExecutable = async (): Promise<{ readonly path: string; readonly args: ReadonlyArray<string>; readonly source: string }> => {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return { path: fromEnv, args: CHROMIUM_ARGS, source: 'CHROMIUM_PATH' }
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, args: CHROMIUM_ARGS, source: SYSTEM_CHROMIUM }
  const { default: packaged } = await import('@sparticuz/chromium')
  // its own flags (headless shell, no sandbox, no zygote), plus ours that it lacks
  const args = [...packaged.args, ...CHROMIUM_ARGS.filter((a) => a !== '--headless' && !packaged.args.includes(a))]
  return { path: await packaged.executablePath(), args, source: '@sparticuz/chromium' }
}

/** Chromium through playwright-core (no browser download): see `chromiumExecutable`. */
export const launchChromium = async () => {
  const exe = await chromiumExecutable()
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: exe.path, headless: true, args: [...exe.args], timeout: 30_000 })
}

/** scripts/serve.mjs on 127.0.0.1:<random port>, serving the project directory. */
export const startServer = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  const mod = (await import(join(ROOT, 'scripts/serve.mjs') as string)) as { serve: (o?: object) => Promise<{ url: string; close: () => Promise<void> }> }
  return mod.serve()
}
