// The page: starts the worker, keeps the traces it posts and redraws the
// gradient-flow chart (dL/dz per layer, a few steps as lines) and the loss.
import * as G from '../../dist/index.js'

// The report module is pure (no DOM): the package's Report namespace when it
// exports one, else the dev server's bundle of src/report (scripts/serve.mjs).
const Report = G.Report ?? (await import('/report.js'))

const $ = (id) => document.getElementById(id)
const traces = []
const SHOWN = 6 // lines in the flow chart: evenly spaced steps, the latest always included

const pick = (xs, k) => (xs.length <= k ? xs : Array.from({ length: k }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (k - 1))]))

let pending = false
const draw = () => {
  pending = false
  const shown = pick(traces, SHOWN)
  $('flow').innerHTML = Report.gradientFlowChart(shown.map((t) => Report.flowSeries(t, `step ${t.step}`, 'gradPre')), { title: 'Gradient flow by layer (dL/dz)', height: 260 })
  $('loss').innerHTML = Report.lineChart([Report.lossSeries(traces)], { title: 'Loss', height: 160, xLabel: 'step', yLabel: 'loss' })
  const last = traces[traces.length - 1]
  $('flow').dataset.steps = String(traces.length)
  $('flow').dataset.lastStep = String(last.step)
  $('status').textContent = `step ${last.step} · loss ${last.loss.toFixed(4)} · |g| ${last.gradNorm.toExponential(2)} · first/last dL/dz ${G.Trace.firstToLast(last).toExponential(2)}`
}

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
worker.onmessage = ({ data }) => {
  if (data.type === 'step') {
    traces.push(data.trace)
    if (!pending) { pending = true; requestAnimationFrame(draw) }
  } else if (data.type === 'done') {
    if (pending) draw()
    document.body.dataset.done = 'true'
    $('status').textContent += ' · done'
  } else if (data.type === 'error') {
    document.body.dataset.error = data.message
    $('status').textContent = `error: ${data.message}`
  }
}
worker.onerror = (e) => { document.body.dataset.error = e.message ?? 'worker error'; $('status').textContent = `worker error: ${e.message}` }
const params = new URLSearchParams(location.search)
worker.postMessage({ steps: Number(params.get('steps') ?? 300), every: Number(params.get('every') ?? 5), pauseMs: Number(params.get('pause') ?? 15) })
