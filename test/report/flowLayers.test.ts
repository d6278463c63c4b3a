// The ‖dL/dW‖ panel of a gradient-flow chart for a net with residual
// containers (#9 part 6): the weight panel holds fewer layers than the dL/dz
// panel (containers and activations have no weights), and each value must sit
// at its own layer's label, not at the label of its index. Its y axis names
// dL/dW. Series keep a given palette index through a section's charts.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import * as Model from '../../src/model/compile'
import { decayChart, gradientFlowChart, layerAxis, lineChart } from '../../src/report/charts'
import { reportFromTraces } from '../../src/report/fromTraces'
import { sameColour, seriesStyle } from '../../src/report/palette'
import { flowSeries, whichLabel } from '../../src/report/traceViews'
import type { StepTrace } from '../../src/trace/Trace'

const residualTrace = (): StepTrace => {
  const block = () => Layer.residual(Layer.serial(Layer.dense(16, { activation: 'relu' }), Layer.dense(16)))
  const net = Layer.serial(Layer.dense(16, { activation: 'relu' }), block(), Layer.tanh, block(), Layer.dense(4))
  const m = Model.compile(net, { input: [8], loss: 'softmaxCrossEntropy' })
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  const x = Float32Array.from({ length: 6 * 8 }, (_, i) => Math.sin(1.7 * i))
  const r = m.right.valueAndGrad(m.right.init(Key.key(3)), { x: { shape: [6, 8], data: x }, y: Int32Array.from({ length: 6 }, (_, i) => i % 4) })
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right.trace
}

/** Marker centres by layer path, for the series labelled `label`, in each panel of the chart. */
const markersByPanel = (svg: string, label: string): ReadonlyArray<ReadonlyMap<string, number>> =>
  svg.split('class="panel"').slice(1).map((panel) => {
    const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    const re = new RegExp(`<circle cx="([\\d.]+)"[^>]*><title>${esc} · ([^:<]+): `, 'g')
    return new Map([...panel.matchAll(re)].map((m) => [m[2]!, Number(m[1])]))
  })

/** x of each category tick of the first panel, in order. */
const ticks = (svg: string): ReadonlyArray<number> => {
  const axis = svg.split('class="panel"')[1]!.split('class="axis x"')[1]!
  return [...axis.matchAll(/<g class="tick" data-value="[^"]*"><line x1="([\d.]+)"/g)].map((m) => Number(m[1]))
}

describe('gradient flow by layer name', () => {
  it('a residual net: each dL/dW value sits at its own layer, with a dL/dW axis', () => {
    const t = residualTrace()
    const dz = flowSeries(t, 'step 0')
    const dw = flowSeries(t, 'step 0', 'weight')
    expect(dw.layers.length).toBeLessThan(dz.layers.length) // containers and the activation carry no weights
    expect(dz.layers.some((l) => l.endsWith('residual'))).toBe(true)
    const svg = gradientFlowChart([dz], { yLabel: whichLabel('gradPre'), compare: { title: 'dL/dW', yLabel: whichLabel('weight'), series: [dw] } })
    const [top, bottom] = markersByPanel(svg, 'step 0')
    const xs = ticks(svg)
    expect(top!.size).toBe(dz.layers.length)
    expect(bottom!.size).toBe(dw.layers.length)
    dz.layers.forEach((l, i) => expect(top!.get(l)).toBeCloseTo(xs[i]!, 6))
    for (const l of dw.layers) expect(bottom!.get(l), l).toBeCloseTo(top!.get(l)!, 6)
    expect(svg).toContain('>weight gradient ‖dL/dW‖ (log scale)<')
  })

  it('the report from saved traces labels its dL/dW panel dL/dW and places it by layer', () => {
    const t = residualTrace()
    const html = reportFromTraces({ runs: [{ label: 'res', traces: [t] }] })
    const svg = html.split('<svg').map((s) => `<svg${s}`).find((s) => s.includes('class="panel"'))!
    const [top, bottom] = markersByPanel(svg, `step ${t.step}`)
    expect(bottom!.size).toBe(flowSeries(t, '', 'weight').layers.length)
    for (const [l, x] of bottom!) expect(x, l).toBeCloseTo(top!.get(l)!, 6)
    const yTitles = [...svg.matchAll(/>([^<>]*) \(log scale\)</g)].map((m) => m[1])
    expect(yTitles).toEqual([whichLabel('gradPre'), whichLabel('weight')])
  })

  it('layerAxis merges layer lists into one input-to-output order', () => {
    expect(layerAxis([{ layers: ['a', 'c'] }, { layers: ['a', 'b', 'c', 'd'] }])).toEqual(['a', 'b', 'c', 'd'])
    expect(layerAxis([{ layers: ['a', 'b', 'c'] }, { layers: ['a', 'c'] }])).toEqual(['a', 'b', 'c'])
  })
})

describe('series keep a given style through charts', () => {
  const colourOf = (svg: string, label: string): string | undefined =>
    new RegExp(`data-label="${label}"><title>${label}</title><path d="[^"]*" fill="none" stroke="(#\\w+)"`).exec(svg)?.[1]
  it('the same style index gives the same colour in a decay chart and a line chart, whatever the order', () => {
    const decay = decayChart([{ label: 'GRU', style: 2, values: [0.1, 0.5, 1] }, { label: 'LSTM', style: 1, values: [0.2, 0.6, 1] }])
    const loss = lineChart([
      { label: 'RNN T10', style: sameColour(0), points: [{ x: 0, y: 1 }, { x: 1, y: 0.5 }] },
      { label: 'LSTM', style: 1, points: [{ x: 0, y: 1 }, { x: 1, y: 0.5 }] },
      { label: 'GRU', style: 2, points: [{ x: 0, y: 1 }, { x: 1, y: 0.4 }] },
    ])
    expect(colourOf(decay, 'LSTM')).toBe(seriesStyle(1).color)
    expect(colourOf(loss, 'LSTM')).toBe(seriesStyle(1).color)
    expect(colourOf(decay, 'GRU')).toBe(colourOf(loss, 'GRU'))
    expect(seriesStyle(sameColour(0)).color).toBe(seriesStyle(0).color)
    expect(seriesStyle(sameColour(0)).dash).not.toBe(seriesStyle(0).dash)
  })
})
