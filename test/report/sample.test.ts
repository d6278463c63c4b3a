// Renders the sample report. Set GRADTRACE_SAMPLE_REPORT=/path/file.html to
// write it to disk and look at it (e.g. chromium --headless --screenshot).
import { writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { reportHtml } from '../../src/report/html'
import { sampleReport } from './sample'
import { wellFormed } from './xml'

describe('sample report', () => {
  it('renders a well-formed, deterministic page', () => {
    const page = reportHtml(sampleReport())
    expect(wellFormed(page, 'html')).toBeNull()
    expect(page).toBe(reportHtml(sampleReport()))
    expect(page.replaceAll('(NaN or ∞)', '')).not.toMatch(/NaN|Infinity|undefined/)
    const out = process.env.GRADTRACE_SAMPLE_REPORT
    if (out) writeFileSync(out, page)
  })
})
