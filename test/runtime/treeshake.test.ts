/**
 * Tree-shaking: a minimal user program that imports from the package by name
 * (`gradtrace`, resolved through package.json `exports` with the browser
 * condition) bundles with esbuild for the browser, runs, and leaves out what
 * it does not use.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build, type Metafile } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE, killAll, requireBuild, ROOT, runToEnd } from './helpers'

// A user program: train a 64-32-10 tanh MLP for a few SGD steps, print the loss.
const USER = `import { Key, Layer, Model, Optim, Tensor, Train } from 'gradtrace'
const net = Layer.serial(Layer.dense(32, { activation: 'tanh' }), Layer.dense(10))
const m = Model.compile(net, { input: [64], loss: 'softmaxCrossEntropy' })
if (m._tag === 'Left') throw new Error(JSON.stringify(m.left))
const opt = Optim.sgd(0.1)
let s = Train.init(m.right, opt, Key.key(0)).right
const x = new Float32Array(32 * 64).map((_, i) => ((i * 7919) % 200) / 100 - 1)
const y = new Int32Array(32).map((_, i) => i % 10)
const step = Train.step(m.right, opt)
let loss
for (let i = 0; i < 5; i++) {
  const r = step(s, { x: Tensor.unsafeTensor([32, 64], x), y })
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  s = r.right[0]
  loss = r.right[1].loss
}
console.log(JSON.stringify({ loss }))
`

// Strings that only the unused parts contain (they survive minification).
const UNUSED = {
  report: ['Gradient flow by layer', 'layer, input → output'],
  'data sets': ['embeddedReber', 'continualReber'],
  codecs: ['gradtrace-checkpoint', 'TensorStats', 'JsonNumber'],
}

const browserBuild = (dir: string, extra: Parameters<typeof build>[0] = {}) =>
  build({
    entryPoints: [join(dir, 'user.js')],
    absWorkingDir: dir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    ...extra,
  })

describe('tree-shaking: a minimal user program bundled with esbuild for the browser', () => {
  let dir: string
  let code: string
  let meta: Metafile

  beforeAll(async () => {
    requireBuild()
    dir = mkdtempSync(join(tmpdir(), 'gradtrace-shake-'))
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(ROOT, join(dir, 'node_modules/gradtrace'), 'dir')
    writeFileSync(join(dir, 'user.js'), USER)
    const r = await browserBuild(dir)
    code = r.outputFiles![0]!.text
    meta = r.metafile!
    writeFileSync(join(dir, 'out.mjs'), code)
  }, 30_000)

  afterAll(async () => {
    await killAll()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('resolves `gradtrace` through package.json exports (browser condition) to the ESM bundle', () => {
    const inputs = Object.keys(meta.inputs)
    expect(inputs.some((p) => p.endsWith('dist/index.js'))).toBe(true)
    expect(inputs.some((p) => p.endsWith('.cjs'))).toBe(false)
  })

  it('builds and runs (in Node), with the same loss as the unbundled package', async () => {
    const bundled = JSON.parse(await runToEnd(process.execPath, [join(dir, 'out.mjs')])) as { loss: number }
    writeFileSync(join(dir, 'direct.mjs'), USER.replace("from 'gradtrace'", `from ${JSON.stringify(BUNDLE)}`))
    const direct = JSON.parse(await runToEnd(process.execPath, [join(dir, 'direct.mjs')])) as { loss: number }
    expect(Number.isFinite(bundled.loss)).toBe(true)
    expect(bundled.loss).toBe(direct.loss)
  }, 30_000)

  it('leaves out the report module and the data sets', () => {
    for (const marker of [...UNUSED.report, ...UNUSED['data sets']]) expect(code, marker).not.toContain(marker)
  })

  it('from the sources, the codecs, the report and the data sets are shaken out too (sideEffects: false, ESM modules)', async () => {
    const r = await browserBuild(dir, { alias: { gradtrace: join(ROOT, 'src/entries/index.ts') }, mainFields: ['module', 'main'], loader: { '.wasm': 'base64' } })
    const src = r.outputFiles![0]!.text
    // modules that contribute bytes to the output (esbuild lists shaken-out modules with 0 bytes)
    const inputs = Object.entries(Object.values(r.metafile!.outputs)[0]!.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k)
    for (const marker of Object.values(UNUSED).flat()) expect(src, marker).not.toContain(marker)
    expect(inputs.filter((p) => /src\/(report|data)\//.test(p))).toEqual([])
    expect(inputs.filter((p) => /src\/codec\/(checkpoint|trace|spec)\.ts$/.test(p))).toEqual([])
  }, 30_000)

  // dist/index.js re-exports one ESM module per namespace (with shared chunks),
  // so a user's bundler drops the namespaces a program does not use.
  it('bundling the published dist/index.js also leaves out the codecs', () => {
    for (const marker of UNUSED.codecs) expect(code, marker).not.toContain(marker)
  })
})
