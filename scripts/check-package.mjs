// Checks the package as a user receives it: packs it (the dist/ that `npm run
// build` made; no scripts run), installs the tarball into small consumer
// projects, one per TypeScript setup a user may have, and typechecks each
// (strict, skipLibCheck: false, so the package's own .d.ts files are checked
// too); then runs @arethetypeswrong/cli and publint on the tarball.
//   node scripts/check-package.mjs          a line per check; exit 1 if any fails
//   node scripts/check-package.mjs --json   the same as JSON (test/package)
// Offline and fast: the tarball is unpacked into node_modules/gradtrace of a
// scratch folder, and its dependencies (fp-ts, io-ts) and @types/node are
// links to this checkout's node_modules.
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')
const bin = (name) => join(ROOT, 'node_modules/.bin', name)
const exec = promisify(execFile)

/** Runs a command; never throws: { ok, output } with stdout and stderr. */
const run = async (cmd, args, cwd) => {
  try {
    const { stdout, stderr } = await exec(cmd, args, { cwd, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } })
    return { ok: true, output: `${stdout}${stderr}`.trim() }
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || String(e.message) }
  }
}

// ------------------------------------------------------------------ consumers

/** What a user writes: both entries, every namespace the README shows, Data. */
const program = ({ esm }) => `import * as E from 'fp-ts/lib/Either.js'
import { Codec, Data, Err, Key, Layer, Model, Optim, Report, Tensor, Trace, Train, Wasm } from 'gradtrace'
import * as Core from 'gradtrace/core'
import { relaxedWasm } from 'gradtrace/relaxed'
${esm ? "import wasmModule from 'gradtrace/wasm'\n" : ''}
export async function main(): Promise<number> {
  const rt = await Wasm.load(${esm ? '{ wasm: wasmModule }' : '{ wasm: relaxedWasm, relaxed: true }'})
  if (E.isLeft(rt)) throw new Error(Err.show(rt.left))
  const ds: Data.Dataset.Dataset = Data.Digits.digits()
  const task = Data.Adding.adding({ T: 10, batchSize: 4, seed: 0 })
  const features: number = E.isRight(task) ? task.right.features : 0
  const net: Layer.LayerSpec = Core.Layer.serial(Layer.dense(16, { activation: 'tanh', init: Layer.init.glorotUniform }), Layer.dense(10))
  const compiled = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy', runtime: rt.right })
  if (E.isLeft(compiled)) throw new Error(Err.show(compiled.left))
  const opt = Optim.chain(Optim.clipByGlobalNorm(5), Optim.adam(1e-3))
  const s0 = Train.init(compiled.right, opt, Key.key(0))
  if (E.isLeft(s0)) throw new Error(Err.show(s0.left))
  const data = { x: Tensor.unsafeTensor([Data.Dataset.size(ds), 64], ds.x), y: Int32Array.from(ds.y) }
  let last: Train.Progress | undefined
  for await (const p of Train.fit(compiled.right, opt, s0.right, data, { epochs: 1, batchSize: 32 })) last = p
  if (last === undefined) return 0
  const p = last.state.params[0]!
  // @ts-expect-error tensor data is read-only, and so is a view on it
  p.data.subarray(0, 4)[0] = 1
  const table: string = Report.textTable(['layer', 'norm'], [[p.path, p.data.length]])
  const saved: string = Codec.encodeTraces([last.trace])
  return Trace.firstToLast(last.trace) + features + table.length + saved.length
}
`

const strict = { strict: true, skipLibCheck: false, noEmit: true, esModuleInterop: false, forceConsistentCasingInFileNames: true }

/** The TypeScript setups a user may have: each must typecheck (or, for a control, must not). */
export const SETUPS = [
  { name: 'bundler', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['ES2022', 'DOM'], types: [] }, esm: true },
  { name: 'node16', type: 'module', compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', lib: ['ES2022'], types: [] }, esm: true },
  { name: 'nodenext', type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['ES2022'], types: ['node'] }, esm: true },
  { name: 'commonjs (require)', type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['ES2022'], types: ['node'] }, esm: false },
  { name: 'no DOM, no Node types (lib ES2022)', type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler', target: 'es2022', lib: ['ES2022'], types: [] }, esm: true },
]

/** A consumer that misuses the API: it must fail, or the checks above prove nothing. */
const CONTROL = { name: 'control: a wrong call must not typecheck', type: 'module', compilerOptions: SETUPS[0].compilerOptions, esm: true, expectError: /TS2345/ }
const controlProgram = `import { Layer } from 'gradtrace'\nexport const bad = Layer.dense('sixteen')\n`

const consumer = async (scratch, setup, i) => {
  const dir = join(scratch, `consumer-${i}`)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${i}`, private: true, type: setup.type }, null, 2))
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, ...setup.compilerOptions }, files: ['main.ts'] }, null, 2))
  writeFileSync(join(dir, 'main.ts'), setup === CONTROL ? controlProgram : program(setup))
  const r = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], dir)
  const ok = setup.expectError === undefined ? r.ok : !r.ok && setup.expectError.test(r.output)
  return { name: `tsc: ${setup.name}`, ok, output: r.output }
}

// ------------------------------------------------------------------ the checks

export const checkPackage = async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gradtrace-package-'))
  try {
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT)
    if (!packed.ok) return { tarball: null, files: [], checks: [{ name: 'npm pack', ok: false, output: packed.output }] }
    const info = JSON.parse(packed.output.slice(packed.output.indexOf('[')))[0]
    const tgz = join(scratch, info.filename)
    // "install": unpack into node_modules/gradtrace; link its dependencies
    const modules = join(scratch, 'node_modules')
    const pkg = join(modules, 'gradtrace')
    mkdirSync(pkg, { recursive: true })
    const untar = await run('tar', ['-xzf', tgz, '-C', pkg, '--strip-components=1'], scratch)
    if (!untar.ok) return { tarball: info, files: [], checks: [{ name: 'unpack', ok: false, output: untar.output }] }
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))
    mkdirSync(join(modules, '@types'))
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), '@types/node']) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir')

    const checks = await Promise.all([
      ...[...SETUPS, CONTROL].map((s, i) => consumer(scratch, s, i)),
      run(bin('attw'), [tgz, '--format', 'ascii'], scratch).then((r) => ({ name: 'attw (@arethetypeswrong/cli)', ...r })),
      run(bin('publint'), ['run', pkg, '--strict', '--pack', 'false'], scratch).then((r) => ({ name: 'publint --strict', ...r })),
    ])
    return { tarball: { filename: info.filename, size: info.size, unpackedSize: info.unpackedSize }, files: info.files.map((f) => f.path).sort(), scripts: manifest.scripts ?? {}, checks }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t0 = Date.now()
  const r = await checkPackage()
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(r)}\n`)
  } else {
    if (r.tarball) console.log(`${r.tarball.filename}: ${r.files.length} files, ${(r.tarball.size / 1e6).toFixed(2)} MB packed, ${(r.tarball.unpackedSize / 1e6).toFixed(2)} MB unpacked`)
    for (const c of r.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `\n${c.output.replace(/^/gm, '     ')}`}`)
    console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }
  process.exitCode = r.checks.every((c) => c.ok) ? 0 : 1
}
