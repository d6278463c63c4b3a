/**
 * The browser example (examples/browser/): trains in a module Web Worker and
 * draws the gradient-flow chart live. Loaded in headless Chromium from the
 * dev server (scripts/serve.mjs); the chart must change while training runs.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killAll, launchChromium, requireBuild, startServer } from './helpers'

describe('examples/browser: training in a Web Worker, chart drawn live', () => {
  let browser: Browser | undefined
  let server: { url: string; close: () => Promise<void> } | undefined
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    requireBuild()
    server = await startServer()
    browser = await launchChromium()
    page = await browser.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
  }, 40_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await killAll()
  })

  const snapshot = () =>
    page.evaluate(`(() => {
      const flow = document.getElementById('flow')
      return {
        steps: Number(flow.dataset.steps),
        lastStep: Number(flow.dataset.lastStep ?? 0),
        svg: flow.querySelector('svg')?.outerHTML ?? '',
        lines: flow.querySelectorAll('svg path, svg polyline').length,
        loss: document.querySelector('#loss svg') !== null,
        status: document.getElementById('status').textContent,
        done: document.body.dataset.done === 'true',
        error: document.body.dataset.error ?? null,
      }
    })()`) as Promise<{ steps: number; lastStep: number; svg: string; lines: number; loss: boolean; status: string; done: boolean; error: string | null }>

  it('the gradient-flow SVG updates while the worker trains, then the run completes', async () => {
    await page.goto(`${server!.url}/examples/browser/?steps=300&every=5&pause=25`)
    await page.waitForFunction(`Number(document.getElementById('flow').dataset.steps) >= 2`, undefined, { timeout: 15_000 })
    const a = await snapshot()
    await page.waitForFunction(`Number(document.getElementById('flow').dataset.steps) >= ${a.steps + 3}`, undefined, { timeout: 15_000 })
    const b = await snapshot()
    expect(a.error ?? b.error).toBeNull()
    expect(a.svg).toMatch(/^<svg/)
    expect(b.steps).toBeGreaterThan(a.steps)
    expect(b.lastStep).toBeGreaterThan(a.lastStep)
    expect(b.svg).not.toBe(a.svg) // redrawn with newer steps
    expect(b.loss).toBe(true)
    expect(b.done).toBe(false) // it was still training between the two polls: live, not drawn once at the end
    await page.waitForFunction(`document.body.dataset.done === 'true' || document.body.dataset.error !== undefined`, undefined, { timeout: 20_000 })
    const c = await snapshot()
    expect(c.error).toBeNull()
    expect(c.lastStep).toBe(300)
    expect(c.svg).toContain('step 300')
    expect(c.status).toMatch(/step 300 · loss \d\.\d{4}/)
    expect(errors).toEqual([])
  }, 40_000)
})
