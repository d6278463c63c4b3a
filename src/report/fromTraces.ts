/**
 * A report from saved traces (`gradtrace report traces.json`): for the runs of
 * a trace file, the gradient flow at the first and the last step, a
 * layer-by-step heatmap, the loss and gradient-norm curves, the per-time-step
 * decay of recurrent layers, and the findings of `diagnose`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model, Optim, Train } from 'gradtrace/core'
 * import { reportFromTraces } from './fromTraces'
 * const model = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(1)), { input: [2], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const state = Train.init(model.right, Optim.sgd(0.1), Key.key(0))
 * assert.ok(E.isRight(state))
 * const xor = { x: { shape: [4, 2], data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]) }, y: { shape: [4, 1], data: new Float32Array([0, 1, 1, 0]) } }
 * const traces = []
 * for await (const p of Train.fit(model.right, Optim.sgd(0.1), state.right, xor, { epochs: 10, batchSize: 4 })) traces.push(p.trace)
 * const html = reportFromTraces({ runs: [{ label: 'tanh <8 units>', traces }] })
 * assert.ok(html.startsWith('<!doctype html>') && !html.includes('<script'))
 * assert.strictEqual(html.match(/<svg/g)?.length, 4) // gradient flow, layer-by-step heatmap, loss, gradient norm
 * assert.ok(html.includes('tanh &lt;8 units&gt;')) // labels are escaped
 *
 * @since 0.1.0
 */
import * as O from 'fp-ts/lib/Option.js'
import { diagnose } from '../trace/analysis'
import type { StepTrace } from '../trace/Trace'
import { decayChart, gradientFlowChart, heatmap, lineChart } from './charts'
import { reportHtml, type Section } from './html'
import { flowSeries, gradNormSeries, layerStepMatrix, lossSeries, timeDecaySeries, whichLabel } from './traceViews'

/** @category model */
export interface TraceRunLike {
  readonly label: string
  readonly traces: ReadonlyArray<StepTrace>
}

const runSection = (run: TraceRunLike, i: number): Section => {
  const ts = run.traces
  const first = ts[0]!
  const last = ts[ts.length - 1]!
  const svgs: string[] = []
  if (first.layers.length > 0) {
    const steps = ts.length > 1 ? [first, last] : [first]
    svgs.push(gradientFlowChart(steps.map((t) => flowSeries(t, `step ${t.step}`)), {
      title: `${run.label}: ‖dL/dz‖ per layer`,
      yLabel: whichLabel('gradPre'),
      compare: { title: '‖dL/dW‖ per layer (layers with weights)', yLabel: whichLabel('weight'), series: steps.map((t) => flowSeries(t, `step ${t.step}`, 'weight')) },
    }))
    if (ts.length > 2) svgs.push(heatmap(layerStepMatrix(ts), { title: `${run.label}: log10 ||dL/dz|| by layer and step`, xLabel: 'training step', yLabel: 'layer' }))
  }
  if (ts.length > 1) {
    svgs.push(lineChart([lossSeries(ts)], { title: `${run.label}: loss`, xLabel: 'step', yLabel: 'loss' }))
    svgs.push(lineChart(gradNormSeries(ts), { title: `${run.label}: global gradient norm`, xLabel: 'step', yLabel: '||g||', yScale: 'log' }))
  }
  const decays = last.layers.flatMap((l) => {
    const d = timeDecaySeries(l, l.path)
    return O.isSome(d) ? [d.value] : []
  })
  if (decays.length > 0) svgs.push(decayChart(decays, { title: `${run.label}: ||dL/dh_t|| relative to the last step` }))
  const findings = diagnose(ts)
  return {
    id: `run-${i}`,
    title: run.label,
    paragraph: `${ts.length} trace(s), steps ${first.step}..${last.step}; final loss ${last.loss.toPrecision(4)}, global gradient norm ${last.gradNorm.toExponential(2)}.`,
    svg: svgs,
    findings: findings.map((f) => ({ severity: f.severity, title: f.title, evidence: f.evidence, remedy: f.remedy })),
  }
}

/** The HTML report of saved runs (runs without traces are skipped). @category constructors */
export const reportFromTraces = (file: { readonly runs: ReadonlyArray<TraceRunLike>; readonly meta?: { readonly [k: string]: string | number } }, title = 'gradtrace report'): string =>
  reportHtml({
    title,
    subtitle: `${file.runs.length} run(s) from saved gradient traces`,
    sections: file.runs.filter((r) => r.traces.length > 0).map(runSection),
    ...(file.meta ? { meta: { ...file.meta } } : {}),
  })
