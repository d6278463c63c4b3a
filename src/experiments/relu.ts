/**
 * Experiment E3 (docs/experiments.md): He et al. 2015 scaled down. Deep ReLU
 * MLPs of width 64 on the 8x8 digits, initialised with He N(0, 2/fan_in),
 * Glorot U (Var 2/(fan_in + fan_out) = 1/64 here, half of He's) or He × 2
 * (Var 4/fan_in), trained with the same SGD + momentum 0.9, learning rate,
 * batch 64 and number of steps (the runs are in ./reluRuns.ts; this module
 * makes the section from them).
 *
 * What it shows: at initialisation He keeps ‖dL/dz‖ level across 30 layers
 * while Glorot loses a factor √½ per layer; in training the Glorot net sits
 * at the chance loss ln 10 while the He net learns; the He × 2 net starts with
 * a signal that grows by √2 per layer; and the fraction of dead (zero) ReLU
 * outputs per layer at the end.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { reluExperiment } from './relu'
 * const r = await reluExperiment.run({ quick: true }) // depth 30: He, Glorot, He × 2, 60 steps (about 1 s)
 * assert.deepStrictEqual(r.table.rows.map((row) => row[1]), ['He', 'Glorot', 'He × 2'])
 * assert.ok(r.figures['d30_glorot_firstToLastInit']! < 1e-2) // Glorot loses about √½ per layer
 * assert.ok(r.figures['d30_he_firstToLastInit']! > 0.1) // He keeps the signal within a decade
 *
 * @since 0.1.0
 */
import * as Report from '../report/index'
import { experiment, figureKey, fmtNum, initAndEndFindings, lossChart, mean, pct, thin } from './common'
import type { Experiment, Run } from './Experiment'
import { initLabel, type ReluInit, type ReluOptions, reluFull, reluQuick, type ReluRow, runRelu } from './reluRuns'

/** The rows of the deepest nets, by initialiser. */
const deepest = (rows: ReadonlyArray<ReluRow>) => {
  const depth = Math.max(...rows.map((r) => r.config.depth))
  const at = (i: ReluInit) => rows.find((r) => r.config.depth === depth && r.config.init === i)
  return { depth, he: at('he'), gl: at('glorot'), h2: at('he2') }
}

/** The error signal of every layer through training, for the two deepest nets side by side on one colour scale. */
const signalMaps = (rows: ReadonlyArray<ReluRow>): ReadonlyArray<string> => {
  const { he, gl } = deepest(rows)
  const shown = [he, gl].flatMap((r) => (r ? [r] : []))
  const maps = shown.map((r) => {
    const m = Report.layerStepMatrix(r.traces.filter((t) => Number.isFinite(t.loss)), 'gradPre')
    return { ...m, rows: m.rows.map((_, i) => (i === m.rows.length - 1 ? 'output' : `hidden ${i + 1}`)) }
  })
  const all = maps.flatMap((m) => m.values.flat()).filter((v) => v > 0 && Number.isFinite(v))
  const domain = all.length > 0 ? ([Math.min(...all), Math.max(...all)] as const) : undefined
  const labels = { xLabel: 'training step', yLabel: 'layer (input at the top)', valueLabel: '‖dL/dz‖' }
  const title = (r: ReluRow) => `${r.label}: ‖dL/dz‖ of every layer during training`
  return maps.map((m, i) => Report.heatmap(m, { title: title(shown[i]!), ...labels, ...(domain ? { domain } : {}) }))
}

/** The pictures: the error signal at init, the loss, the signal maps and the dead units at the end. */
const reluCharts = (rows: ReadonlyArray<ReluRow>, o: ReluOptions): ReadonlyArray<string> => {
  const ok = rows.filter((r) => r.diverged === null)
  const flow = Report.gradientFlowChart(
    rows.map((r): Report.FlowSeries => ({ label: r.label, layers: r.initProfile.map((_, i) => String(i + 1)), values: r.initProfile })),
    { title: 'ReLU nets at initialisation: error signal per hidden layer', yLabel: '‖dL/dz‖ on a fixed batch' },
  )
  const loss = lossChart(ok, `Training loss (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize})`, o.probe)
  const dead = Report.lineChart(
    ok.map((r) => ({ label: r.label, points: r.deadEnd.map((v, i) => ({ x: i + 1, y: v })) })),
    {
      title: `Dead ReLU outputs per layer after ${o.steps} steps`,
      xLabel: 'hidden layer (input → output)',
      yLabel: 'fraction of outputs exactly 0',
      refs: [{ y: 0.5, label: 'at initialisation ≈ 0.5' }],
    },
  )
  return [flow, loss, ...signalMaps(rows), dead]
}

/** The sentences on the deepest nets at initialisation. */
const initSentences = (rows: ReadonlyArray<ReluRow>, o: ReluOptions): ReadonlyArray<string> => {
  const { depth, he, gl, h2 } = deepest(rows)
  const passes = (r: ReluRow) =>
    r.firstToLast > 0.1 && r.firstToLast < 10 ? 'passes the error signal down within a decade' : 'does not pass the error signal down intact'
  return [
    ...(he && gl
      ? [
          `At initialisation, with ${depth} ReLU layers of ${o.width} units, He's N(0, 2/n) ${passes(he)} ` +
            `(hidden layer 1 gets ${fmtNum(he.firstToLast)} of layer ${depth}'s ‖dL/dz‖), while Glorot's, with half that variance, ` +
            `loses about √½ per layer: layer 1 gets ${fmtNum(gl.firstToLast)} (√½^${depth - 1} = ${fmtNum(Math.SQRT1_2 ** (depth - 1))}).`,
        ]
      : []),
    ...(h2
      ? [
          `He × 2 (variance 4/n) gives ${fmtNum(h2.firstToLast)} instead: the error signal grows toward the input by about √2 per layer ` +
            `(√2^${depth - 1} = ${fmtNum(Math.SQRT2 ** (depth - 1))}), and so does the forward signal (initial loss ${fmtNum(h2.traces[0]!.loss)}).`,
        ]
      : []),
  ]
}

/** The sentences on training. */
const trainSentences = (rows: ReadonlyArray<ReluRow>, o: ReluOptions): ReadonlyArray<string> => {
  const { depth, he, gl, h2 } = deepest(rows)
  const stall = (r: ReluRow) =>
    r.leftChance === null
      ? `stays above loss 2 for all ${o.steps} steps (ends at ${fmtNum(r.trainLoss)}; chance is ln 10 = 2.30)`
      : `first drops below loss 2 at step ${r.leftChance}`
  const diverges = (n: number) =>
    `He × 2 diverges: step ${n} is the first with non-finite values (after ${n - 1} update${n - 1 === 1 ? '' : 's'} ` +
    `of a net whose loss was ${fmtNum(h2!.traces[0]!.loss)}), so its run stops there and it is left out of the loss and dead-unit charts.`
  const shallow = rows.filter((r) => r.config.depth !== depth)
  const shallowPart = (r: ReluRow) =>
    `${initLabel(r.config.init)} layer 1 / last ${fmtNum(r.firstToLast)}, loss below 2 from step ${r.leftChance ?? 'never'}, ` +
    `final loss ${fmtNum(r.trainLoss)}, test ${pct(r.testAccuracy)}`
  return [
    ...(he && gl
      ? [
          `In training (SGD + momentum 0.9, lr ${o.lr}, batch ${o.batchSize}, ${o.steps} steps, the same for all), ` +
            `the depth-${depth} He net ${stall(he)} and ends at loss ${fmtNum(he.trainLoss)} with ${pct(he.testAccuracy)} test accuracy; ` +
            `the Glorot net ${stall(gl)}, ${pct(gl.testAccuracy)} test accuracy.`,
        ]
      : []),
    ...(h2 ? [h2.diverged === null ? `He × 2 ${stall(h2)}, ${pct(h2.testAccuracy)} test accuracy.` : diverges(h2.diverged)] : []),
    ...(shallow.length > 0 ? [`At depth ${[...new Set(shallow.map((r) => r.config.depth))].join(' and ')}: ${shallow.map(shallowPart).join('; ')}.`] : []),
  ]
}

/** The sentence on dead units. */
const deadSentence = (rows: ReadonlyArray<ReluRow>): string => {
  const deadInit = rows.flatMap((r) => r.deadInit)
  const ends = rows.filter((r) => r.diverged === null).map((r) => `${r.label} ${pct(mean(r.deadEnd))} on average, at most ${pct(Math.max(...r.deadEnd))}`)
  const range = `${pct(Math.min(...deadInit))} to ${pct(Math.max(...deadInit))} per layer (mean ${pct(mean(deadInit))})`
  return `Dead outputs at initialisation: ${range}, and at the end ${ends.join('; ')}.`
}

const reluTable = (rows: ReadonlyArray<ReluRow>, o: ReluOptions) => ({
  head: ['depth', 'init', 'layer 1 / last dL/dz at init', 'first recorded step with loss < 2']
    .concat(['final train loss', 'test accuracy', 'mean dead at end', 'time (s)']),
  rows: rows.map((r) => [
    String(r.config.depth),
    initLabel(r.config.init),
    fmtNum(r.firstToLast),
    r.leftChance === null ? `never (≤ ${o.steps})` : String(r.leftChance),
    r.diverged === null ? fmtNum(r.trainLoss) : `diverged (step ${r.diverged})`,
    pct(r.testAccuracy),
    r.diverged === null ? pct(mean(r.deadEnd)) : '—',
    r.seconds.toFixed(1),
  ]),
})

const reluFigures = (rows: ReadonlyArray<ReluRow>): Readonly<Record<string, number>> =>
  Object.fromEntries(
    rows.flatMap((r) => {
      const k = (name: string) => figureKey(`d${r.config.depth}`, r.config.init, name)
      return [
        [k('firstToLastInit'), r.firstToLast],
        [k('leftChanceStep'), r.leftChance ?? -1],
        [k('divergedStep'), r.diverged ?? -1],
        ...(r.diverged === null ? [[k('trainLoss'), r.trainLoss], [k('deadEndMean'), mean(r.deadEnd)]] : []),
        [k('testAccuracy'), r.testAccuracy],
        [k('seconds'), r.seconds],
      ]
    }),
  )

/** The report section. @category utils */
export const reluResult = (rows: ReadonlyArray<ReluRow>, o: ReluOptions) => ({
  paragraph: [...initSentences(rows, o), ...trainSentences(rows, o), deadSentence(rows)].join(' '),
  svgs: reluCharts(rows, o),
  table: reluTable(rows, o),
  findings: initAndEndFindings(rows),
  runs: rows.map((r): Run => ({ label: r.label, traces: thin(r.traces, o.keep) })),
  figures: reluFigures(rows),
})

const reluTitle = 'Deep ReLU nets: He against Glorot initialisation (He et al. 2015)'

/**
 * The experiment: full mode depth 10 and 30 (about 9 s on one core); quick
 * mode depth 30 only, 60 steps.
 *
 * @category experiments
 */
export const reluExperiment: Experiment = experiment(
  { id: 'relu', title: reluTitle, weight: 9 }, // weight: seconds in full mode on one core
  { quick: reluQuick, full: reluFull },
  runRelu,
  reluResult,
)
