import { describe, expect, it } from 'vitest'
import { barChart, decayChart, gradientFlowChart, heatmap, lineChart } from '../../src/report/charts'
import { numericAttrs, wellFormed } from './xml'

const flow = [
  { label: 'sigmoid + classic uniform', layers: ['serial/0/dense', 'serial/1/dense', 'serial/2/dense', 'serial/3/dense'], values: [1e-8, 1e-5, 1e-2, 1] },
  { label: 'relu + He', layers: ['serial/0/dense', 'serial/1/dense', 'serial/2/dense', 'serial/3/dense'], values: [0.5, 0.6, 0.8, 1] },
]
const nasty = [{ label: 'a <b> & "c"', layers: ['<in>', 'mid&', 'out'], values: [0, NaN, Infinity] }, { label: 'ok', layers: ['<in>', 'mid&', 'out'], values: [-1, 1e-3, 1] }]

const decades = (svg: string): ReadonlyArray<string> => [...svg.matchAll(/class="tick" data-value="(1e-?\d+)"/g)].map((m) => m[1] ?? '')

const noNaN = (svg: string): void => {
  expect(svg.replaceAll('(NaN or ∞)', '')).not.toMatch(/NaN|Infinity|undefined/)
  for (const a of numericAttrs(svg)) expect(a).not.toMatch(/NaN|Infinity/)
}

const all = (): ReadonlyArray<string> => [
  gradientFlowChart(flow),
  gradientFlowChart(nasty, { compare: { title: 'dL/dW <W>', yLabel: '‖dL/dW‖', series: nasty } }),
  decayChart([{ label: 'RNN', values: [1e-6, 1e-3, 0, 1] }, { label: 'LSTM & co', values: [0.5, NaN, 1] }]),
  lineChart([{ label: 'loss', points: [{ x: 0, y: 2.3 }, { x: 1, y: NaN }, { x: 2, y: 0.4 }] }], { refs: [{ y: Math.log(10), label: 'chance ln 10' }] }),
  lineChart([{ label: 'loss', points: [{ x: 0, y: 2.3 }, { x: 1, y: 0 }] }], { yScale: 'log' }),
  heatmap({ rows: ['l<0>', 'l1'], cols: ['0', '1', '2'], values: [[1e-9, 0, NaN], [1e-2, 0.1, Infinity]] }),
  barChart([{ label: 'x & y', value: 0.3 }, { label: 'z', value: NaN }]),
  gradientFlowChart([]),
  decayChart([]),
  lineChart([]),
  heatmap({ rows: [], cols: [], values: [] }),
  barChart([]),
]

describe('charts', () => {
  it('are well-formed standalone SVG with a title and viewBox, never NaN in coordinates', () => {
    for (const svg of all()) {
      expect(wellFormed(svg), svg.slice(0, 200)).toBeNull()
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+(\.\d+)? \d+(\.\d+)?"/)
      expect(svg).toContain('<title')
      noNaN(svg)
    }
  })

  it('are deterministic', () => {
    expect(all()).toEqual(all())
  })

  it('gradient flow: log axis in decades, layer labels, legend entries, tooltips', () => {
    const svg = gradientFlowChart(flow, { yLabel: '‖dL/dz‖' })
    expect(svg).toContain('‖dL/dz‖ (log scale)')
    expect(svg).toContain('layer, input → output')
    expect(decades(svg)).toEqual(['1e-8', '1e-7', '1e-6', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1', '1e0'])
    expect(svg).toContain('>serial/0/dense</text>')
    expect(svg).toMatch(/class="legend-item">.*sigmoid \+ classic uniform<\/text>/)
    expect(svg).toContain('>relu + He</text>')
    expect(svg).toContain('<title>sigmoid + classic uniform · serial/0/dense: 1e-8 (1e-8× the last layer)</title>')
  })

  it('flow: zeros and non-finite values are gaps with marks and a footnote; labels are escaped', () => {
    const svg = gradientFlowChart(nasty)
    expect(svg).toContain('a &lt;b&gt; &amp; &quot;c&quot;')
    expect(svg).toContain('&lt;in&gt;')
    expect(svg).toContain('▼ at the floor')
    expect(svg).toContain('× at the top: not finite')
    expect(svg).toContain('&lt;in&gt;: 0 — not shown on a log axis')
  })

  it('flow: a compare panel shares the y scale and the colours by label', () => {
    const svg = gradientFlowChart(flow, { yLabel: '‖dL/dz‖', compare: { title: 'Weight gradients', yLabel: '‖dL/dW‖', series: [{ ...flow[1]!, values: [1e-3, 1e-2, 0.1, 1] }] } })
    expect(svg.match(/class="panel"/g)).toHaveLength(2)
    expect(svg).toContain('Weight gradients')
    expect(svg).toContain('>‖dL/dz‖ (log scale)<')
    expect(svg).toContain('>‖dL/dW‖ (log scale)<')
    const colours = [...svg.matchAll(/data-label="relu \+ He"><title>relu \+ He<\/title><path d="[^"]*" fill="none" stroke="(#\w+)"/g)].map((m) => m[1])
    expect(colours).toHaveLength(2)
    expect(colours[0]).toBe(colours[1])
    expect(svg.match(/class="legend-item"/g)).toHaveLength(2)
  })

  it('decay: relative to the last step, on a log axis in time steps', () => {
    const svg = decayChart([{ label: 'vanilla RNN', values: [1e-4, 1e-2, 2] }, { label: 'LSTM', values: [0.25, 0.5, 0.5] }])
    expect(svg).toContain('time step t')
    expect(svg).toContain('‖dL/dh_t‖ ÷ ‖dL/dh_T‖ (log scale)')
    expect(decades(svg)).toEqual(['1e-5', '1e-4', '1e-3', '1e-2', '1e-1', '1e0'])
    expect(svg).toContain('vanilla RNN · t = 0: 5e-5 of the last step')
  })

  it('line chart: reference lines, linear and log y', () => {
    const lin = lineChart([{ label: 'sigmoid', points: [{ x: 0, y: 2.3 }, { x: 100, y: 2.1 }] }], { refs: [{ y: 1 / 6, label: 'baseline 1/6' }, { y: Math.log(10), label: 'chance ln 10' }] })
    expect(lin).toContain('>baseline 1/6</text>')
    expect(lin).toContain('>chance ln 10</text>')
    expect(lin).toContain('>loss</text>')
    expect(lin).not.toContain('(log scale)')
    const log = lineChart([{ label: 'loss', points: [{ x: 0, y: 2.3 }, { x: 1, y: 0.01 }] }], { yScale: 'log' })
    expect(log).toContain('loss (log scale)')
  })

  it('line chart: long series drop markers but keep the line', () => {
    const pts = Array.from({ length: 500 }, (_, i) => ({ x: i, y: 1 / (i + 1) }))
    const svg = lineChart([{ label: 'loss', points: pts }])
    expect(svg.match(/<circle/g)).toBeNull()
    expect(svg).toMatch(/<path d="M[^"]+" fill="none"/)
  })

  it('heatmap: viridis cells, a colour bar in decades, swatches for zero and non-finite', () => {
    const svg = heatmap({ rows: ['serial/0/dense', 'serial/1/dense'], cols: ['0', '10'], values: [[1e-6, 0], [1e-2, NaN]] }, { valueLabel: '‖dL/dz‖' })
    expect(svg).toContain('‖dL/dz‖ (log scale)')
    expect(decades(svg)).toEqual(['1e-6', '1e-5', '1e-4', '1e-3', '1e-2'])
    expect(svg).toContain('fill="#440154"')
    expect(svg).toContain('fill="#fde725"')
    expect(svg).toContain('0 (no value on a log scale)')
    expect(svg).toContain('not finite (NaN or ∞)')
    expect(svg).toContain('<title>serial/1/dense · 10: not finite</title>')
  })

  it('heatmap ids differ between heatmaps so one page can hold several', () => {
    const a = heatmap({ rows: ['a'], cols: ['0'], values: [[NaN]] })
    const b = heatmap({ rows: ['b'], cols: ['0'], values: [[NaN]] })
    const id = (s: string) => /id="([^"]+)-nf"/.exec(s)?.[1]
    expect(id(a)).toBeDefined()
    expect(id(a)).not.toBe(id(b))
  })

  it('bar chart: labels, values at the bar ends', () => {
    const svg = barChart([{ label: 'sigmoid', value: 0.887 }, { label: 'relu + He', value: 0.031 }], { valueLabel: 'test error' })
    expect(svg).toContain('>sigmoid</text>')
    expect(svg).toContain('>0.887</text>')
    expect(svg).toContain('>test error</text>')
  })
})
