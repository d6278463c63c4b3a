// The demo report, checked the way a person would meet it: the quick demo
// writes report.html, headless Chromium opens it from disk (file://, no
// server, no network), and the page loads with no console errors, shows every
// section with its charts, and the charts have drawn content.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIST, killAll, launchChromium, requireBuild } from './helpers'

const SECTIONS = ['depth', 'glorot', 'relu', 'normalisation', 'clipping', 'recurrent', 'residual']

describe('the demo report in Chromium', () => {
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    requireBuild()
    dir = mkdtempSync(join(tmpdir(), 'gradtrace-report-'))
    execFileSync(process.execPath, [join(DIST, 'cli.js'), 'demo', '--quick', '--out', dir], { stdio: 'ignore', timeout: 120_000 })
    browser = await launchChromium()
  }, 150_000)

  afterAll(async () => {
    await browser?.close()
    await killAll()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('loads from disk with no console errors and no requests, and contains every section and chart', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    const errors: string[] = []
    const requests: string[] = []
    page.on('console', (m) => (m.type() === 'error' ? errors.push(m.text()) : undefined))
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('request', (r) => (r.url().startsWith('file:') ? undefined : requests.push(r.url())))
    await page.goto(pathToFileURL(join(dir, 'report.html')).href)
    expect(errors).toEqual([])
    expect(requests).toEqual([])
    for (const id of SECTIONS) {
      const charts = await page.locator(`section#${id} svg`).count()
      expect(charts, id).toBeGreaterThanOrEqual(1)
    }
    // every chart has drawn marks (lines, cells or bars) with a laid-out size
    const drawn = await page.$$eval('svg', (svgs) => svgs.map((s) => ({ w: s.getBoundingClientRect().width, marks: s.querySelectorAll('path, polyline, rect, circle').length })))
    expect(drawn.length).toBeGreaterThanOrEqual(12)
    for (const d of drawn) {
      expect(d.w).toBeGreaterThan(200)
      expect(d.marks).toBeGreaterThanOrEqual(2)
    }
    await page.close()
  }, 60_000)
})
