import * as O from 'fp-ts/lib/Option.js'
import { describe, expect, it } from 'vitest'
import { flowSeries, gradNormSeries, layerStepMatrix, lossSeries, timeDecaySeries, timeStepMatrix } from '../../src/report/traceViews'
import type { StepTrace } from '../../src/trace/Trace'
import { mlpStep, rnnLayer, rnnStep, stats } from './fixtures'

describe('trace views', () => {
  const t = mlpStep(0, 4, 0.25, 'sigmoid')

  it('flowSeries reads one norm per layer, input first', () => {
    const s = flowSeries(t, 'sigmoid', 'gradPre')
    expect(s.label).toBe('sigmoid')
    expect(s.layers).toEqual(['serial/0/dense', 'serial/1/dense', 'serial/2/dense', 'serial/3/dense'])
    expect(s.values).toEqual(t.layers.map((l) => l.gradPre.l2))
    expect(flowSeries(t, 'x', 'gradOut').values).toEqual(t.layers.map((l) => l.gradOut.l2))
    expect(flowSeries(t, 'x', 'weight').values).toEqual(t.layers.map((l) => l.params[0]!.grad.l2))
  })

  it("flowSeries 'weight' skips layers without parameters", () => {
    const act = { ...rnnLayer('tanh', 1, 1), path: 'serial/1/tanh', time: undefined }
    const mixed: StepTrace = { ...t, layers: [t.layers[0]!, act, t.layers[1]!] }
    expect(flowSeries(mixed, 'x', 'weight').layers).toEqual(['serial/0/dense', 'serial/1/dense'])
    expect(flowSeries(mixed, 'x', 'gradPre').layers).toHaveLength(3)
  })

  it('layerStepMatrix: rows are layers, columns are steps, thinned evenly', () => {
    const ts = Array.from({ length: 10 }, (_, i) => mlpStep(i, 3, 0.5, 'tanh'))
    const m = layerStepMatrix(ts, 'gradPre')
    expect(m.rows).toEqual(['serial/0/dense', 'serial/1/dense', 'serial/2/dense'])
    expect(m.cols).toEqual(ts.map((x) => String(x.step)))
    expect(m.values[2]![7]).toBe(ts[7]!.layers[2]!.gradPre.l2)
    const thin = layerStepMatrix(ts, 'gradPre', 4)
    expect(thin.cols).toEqual(['0', '3', '6', '9'])
  })

  it('layerStepMatrix marks a layer missing from a step as NaN', () => {
    const a = mlpStep(0, 2, 0.5, 'tanh')
    const b: StepTrace = { ...mlpStep(1, 2, 0.5, 'tanh'), layers: [a.layers[0]!] }
    expect(Number.isNaN(layerStepMatrix([a, b]).values[1]![1])).toBe(true)
  })

  it('timeDecaySeries is none without a time trace', () => {
    expect(O.isNone(timeDecaySeries(t.layers[0]!))).toBe(true)
    const s = timeDecaySeries(rnnLayer('LSTM', 4, 0.5))
    expect(s).toEqual(O.some({ label: 'LSTM', values: [0.125, 0.25, 0.5, 1] }))
    expect(O.isNone(timeDecaySeries(rnnLayer('RNN', 4, 0.5), 'RNN', 'c'))).toBe(true)
  })

  it('timeStepMatrix: rows are time steps of one recurrent layer', () => {
    const m = timeStepMatrix([rnnStep(0, 'rnn', 3, 0.5), rnnStep(5, 'rnn', 3, 0.5)], 'scan/0/rnn')
    expect(m.rows).toEqual(['t = 0', 't = 1', 't = 2'])
    expect(m.cols).toEqual(['0', '5'])
    expect(m.values[0]).toEqual([0.25, 0.25])
  })

  it('lossSeries and gradNormSeries', () => {
    const ts = [mlpStep(0, 2, 1, 'relu'), { ...mlpStep(1, 2, 1, 'relu'), gradNorm: 12, gradNormClipped: 1 }]
    expect(lossSeries(ts, 'relu').points).toEqual(ts.map((x) => ({ x: x.step, y: x.loss })))
    expect(gradNormSeries(ts)).toHaveLength(2)
    expect(gradNormSeries([ts[0]!])).toHaveLength(1)
    expect(stats(0).zeroFrac).toBe(1)
  })

  it('does not change its input', () => {
    const before = JSON.stringify(t)
    flowSeries(t, 'x', 'weight')
    layerStepMatrix([t, t])
    expect(JSON.stringify(t)).toBe(before)
  })
})
