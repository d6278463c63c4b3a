import { describe, expect, it } from 'vitest'
import { gradientFlowChart, heatmap } from '../../src/report/charts'
import type { Report } from '../../src/report/html'
import { findingsText, reportHtml, slug, textTable } from '../../src/report/html'
import { wellFormed } from './xml'

const flow = gradientFlowChart([{ label: 'sigmoid', layers: ['1', '2'], values: [1e-6, 1] }])
const heat = heatmap({ rows: ['a', 'b'], cols: ['0', '1'], values: [[1, 2], [3, NaN]] })

const report: Report = {
  title: 'Run <1> & co',
  subtitle: 'sigmoid vs relu',
  meta: { seed: 42, runtime: 'simd' },
  sections: [
    {
      id: 'flow', title: 'Gradient flow', paragraph: 'Per-layer norms <log>.', svg: flow,
      findings: [{ severity: 'error', title: 'Vanishing', evidence: 'layer 1 gets 1e-6 of layer 2', remedy: 'ReLU + He' }, { severity: 'info', title: 'FYI', evidence: 'e', remedy: 'r' }],
    },
    { id: 'heat', title: 'Heatmap', paragraph: 'Layers by steps.', svg: [heat, flow], table: { head: ['config', 'error'], rows: [['a & b', 0.25], ['c', 1e-7]] } },
    { id: 'Gradient flow!', title: 'Same id again', paragraph: 'p' },
  ],
}

describe('reportHtml', () => {
  const page = reportHtml(report)

  it('is one well-formed, self-contained page', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(wellFormed(page, 'html')).toBeNull()
    expect(page).not.toMatch(/<script|<link|@import|url\(http|src="http/i)
  })

  it('holds every section id, a table of contents, every chart', () => {
    for (const id of ['flow', 'heat', 'gradient-flow']) {
      expect(page).toContain(`<section id="${id}">`)
      expect(page).toContain(`href="#${id}"`)
    }
    expect(page).toContain(flow)
    expect(page).toContain(heat)
    expect(page.split('<figure>')).toHaveLength(4)
  })

  it('escapes text, shows findings with remedies and the table', () => {
    expect(page).toContain('<title>Run &lt;1&gt; &amp; co</title>')
    expect(page).toContain('Per-layer norms &lt;log&gt;.')
    expect(page).toContain('<span class="sev error">Problem</span>Vanishing')
    expect(page).toContain('<span class="label">Remedy:</span> ReLU + He')
    expect(page).toContain('Findings at a glance')
    expect(page).toContain('<td>a &amp; b</td><td class="num">0.25</td>')
    expect(page).toContain('<td class="num">1e-7</td>')
    expect(page).toContain('<dt>seed</dt><dd>42</dd>')
  })

  it('is deterministic', () => {
    expect(reportHtml(report)).toBe(page)
  })

  it('slugs ids', () => {
    expect(slug(' Gradient flow! ')).toBe('gradient-flow')
    expect(slug('<>')).toBe('section')
  })
})

describe('text output', () => {
  it('textTable aligns columns and right-aligns numbers', () => {
    const t = textTable(['configuration', 'error'], [['sigmoid + uniform', 0.887], ['relu + He', 0.031], ['tanh', 1e-7]])
    expect(t).toBe(
      ['configuration      error', '-----------------  -----', 'sigmoid + uniform  0.887', 'relu + He          0.031', 'tanh                1e-7'].join('\n'),
    )
  })
  it('findingsText puts the most severe first', () => {
    const t = findingsText([{ severity: 'info', title: 'i', evidence: 'e', remedy: 'r' }, { severity: 'error', title: 'x', evidence: 'e', remedy: 'r' }])
    expect(t.split('\n')[0]).toBe('[Problem] x')
  })
})
