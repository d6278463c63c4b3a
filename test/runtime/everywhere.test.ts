/**
 * Runs everywhere, bit-identical: the shared scenario (scenario.mjs: a 64-32-10
 * tanh MLP, 50 Adam steps from Key.key(42)) on the ESM bundle dist/index.js in
 * Node (the reference), headless Chromium (main thread and a module Web
 * Worker), workerd (the .wasm imported as a compiled module and passed to the
 * loader), Deno and Bun; then one test compares loss bits, parameter hash and
 * the last step's trace across all of them.
 */
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  binary, BUNDLE, comparable, DIST, killAll, launchChromium, requireBuild, runInBun, runInDeno, runInNode, runToEnd, type ScenarioResult, startServer, startWorkerd,
} from './helpers'

const results = new Map<string, ScenarioResult>()
let reference: ScenarioResult

beforeAll(async () => {
  requireBuild()
  const node = await runInNode()
  reference = node.result
  results.set(`Node (${node.runtime})`, node.result)
}, 30_000)

afterAll(killAll)

describe('Node (the reference)', () => {
  it('trains: the loss falls and the trace has every layer', () => {
    expect(reference.steps).toBe(50)
    expect(reference.loss).toBeLessThan(0.5) // from about 2.46 (ln 10 ≈ 2.30) at step 1
    expect(reference.firstLossBits).not.toBe(reference.lossBits)
    expect(reference.trace.layers.map((l) => l.path)).toEqual(['serial/0/dense', 'serial/1/dense'])
    expect(reference.paramsHash).toMatch(/^[0-9a-f]{8}$/)
  })
})

describe('relaxed SIMD where the engine lacks it (Node 20 without --experimental-wasm-relaxed-simd)', () => {
  it('falls back to the portable build with a notice; relaxed: "require" is an error value', async () => {
    const out = await runToEnd(process.execPath, ['--input-type=module', '-e', `
      import * as G from ${JSON.stringify(pathToFileURL(BUNDLE).href)}
      import { relaxedWasm } from ${JSON.stringify(pathToFileURL(join(DIST, 'relaxed.js')).href)}
      const fallback = await G.Wasm.load({ wasm: relaxedWasm, relaxed: true })
      const required = await G.Wasm.load({ wasm: relaxedWasm, relaxed: 'require' })
      console.log(JSON.stringify({ supported: WebAssembly.validate(relaxedWasm), fallback: fallback._tag === 'Right' ? { relaxed: fallback.right.relaxed, notice: fallback.right.notice } : fallback.left, required: required._tag === 'Left' ? required.left : { relaxed: required.right.relaxed } }))
    `])
    const r = JSON.parse(out) as { supported: boolean; fallback: { relaxed: boolean; notice?: string }; required: { _tag?: string; message?: string; relaxed?: boolean } }
    if (r.supported) {
      // a newer Node runs relaxed SIMD as is: then both give the relaxed build
      expect(r.fallback.relaxed).toBe(true)
      expect(r.required.relaxed).toBe(true)
      return
    }
    expect(r.fallback.relaxed).toBe(false)
    expect(r.fallback.notice).toMatch(/does not support relaxed SIMD/)
    expect(r.required._tag).toBe('LoadError')
    expect(r.required.message).toMatch(/does not support relaxed SIMD/)
  })
})

describe('Chromium (Debian, headless, playwright-core)', () => {
  let browser: Browser | undefined
  let server: { url: string; close: () => Promise<void> } | undefined
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${server.url}/test/runtime/fixtures/blank.html`)
  }, 40_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('the ESM bundle loads in a page and trains bit-identically to Node (main thread)', async () => {
    // a string, not a function: vitest would rewrite a function's import() for Node
    const r = (await page.evaluate(`(async () => {
      const m = await import('/test/runtime/scenario.mjs')
      return { result: await m.runScenario('/dist/index.js'), ua: navigator.userAgent }
    })()`)) as { result: ScenarioResult; ua: string }
    const version = /Chrome\/([\d.]+)/.exec(r.ua)?.[1] ?? '?'
    results.set(`Chromium ${version} (page)`, r.result)
    expect(comparable(r.result)).toEqual(comparable(reference))
    expect(errors).toEqual([])
  })

  it('runs the relaxed-SIMD build when asked (Chromium has relaxed SIMD): no notice', async () => {
    const r = (await page.evaluate(`(async () => {
      const G = await import('/dist/index.js')
      const { relaxedWasm } = await import('/dist/relaxed.js')
      const rt = await G.Wasm.load({ wasm: relaxedWasm, relaxed: 'require' })
      return rt._tag === 'Right' ? { relaxed: rt.right.relaxed, notice: rt.right.notice ?? null } : { error: G.Err.show(rt.left) }
    })()`)) as { relaxed?: boolean; notice?: string | null; error?: string }
    expect(r).toEqual({ relaxed: true, notice: null })
  })

  it('and in a module Web Worker', async () => {
    const r = (await page.evaluate(
      () =>
        new Promise((ok) => {
          const w = new Worker('/test/runtime/fixtures/scenario-worker.js', { type: 'module' })
          w.onmessage = (e) => { ok(e.data); w.terminate() }
          w.onerror = (e) => ok({ error: e.message })
        }),
    )) as { result?: ScenarioResult; error?: string }
    expect(r.error).toBeUndefined()
    results.set('Chromium (Web Worker)', r.result!)
    expect(comparable(r.result!)).toEqual(comparable(reference))
  })
})

describe('workerd (npm, 127.0.0.1)', () => {
  let wd: { url: string; stop: () => Promise<void> } | undefined

  beforeAll(async () => { wd = await startWorkerd() }, 30_000)
  afterAll(async () => { await wd?.stop() })

  it('a Worker imports the .wasm as a compiled module, passes it to the loader and answers with the trace: bit-identical to Node', async () => {
    const res = await fetch(`${wd!.url}/scenario`)
    const body = (await res.json()) as { result: ScenarioResult; isModule: boolean; error?: string; thrown?: string }
    expect(body.error ?? body.thrown).toBeUndefined()
    expect(res.status).toBe(200)
    expect(body.isModule).toBe(true)
    results.set('workerd', body.result)
    expect(comparable(body.result)).toEqual(comparable(reference))
  })

  it('loading without a module is an error value that says what to pass, not an opaque CompileError', async () => {
    const body = (await (await fetch(`${wd!.url}/nomodule`)).json()) as Record<'load' | 'loadSync' | 'compile', { tag: string; error: { _tag: string; message: string }; shown: string }>
    for (const k of ['load', 'loadSync', 'compile'] as const) {
      expect(body[k].tag, k).toBe('Left')
      expect(body[k].error._tag, k).toBe('LoadError')
      expect(body[k].error.message, k).toMatch(/forbids compiling WebAssembly from bytes/)
      expect(body[k].error.message, k).toMatch(/load\(\{ wasm \}\)/)
      expect(body[k].error.message, k).toMatch(/gradtrace\/wasm/)
    }
  })
})

describe.each([
  ['Deno', 'deno', runInDeno],
  ['Bun', 'bun', runInBun],
] as const)('%s (npm package)', (title, name, run) => {
  const bin = binary(name)
  const reason = 'reason' in bin ? bin.reason : ''
  it.skipIf(reason !== '')(`trains bit-identically to Node${reason ? ` — skipped: ${reason}` : ''}`, async () => {
    const r = await run((bin as { path: string }).path)
    results.set(`${title} (${r.runtime})`, r.result)
    expect(comparable(r.result)).toEqual(comparable(reference))
  }, 30_000)
})

describe('bit-identical everywhere', () => {
  it('the same key and data give the same loss bits, params hash and trace in every runtime', () => {
    const names = [...results.keys()]
    expect(names.some((n) => n.startsWith('Node'))).toBe(true)
    expect(names.some((n) => n.startsWith('Chromium'))).toBe(true)
    expect(names).toContain('workerd')
    const table = names.map((n) => {
      const r = results.get(n)!
      return `${n.padEnd(34)} loss ${r.lossBits}  params ${r.paramsHash}  |g| ${r.trace.gradNorm}  gradOut ${r.trace.layers.map((l) => l.gradOutL2).join(' ')}`
    })
    console.log(`after ${reference.steps} steps:\n${table.join('\n')}`)
    for (const n of names) expect(comparable(results.get(n)!), n).toEqual(comparable(reference))
  })
})
