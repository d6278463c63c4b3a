/**
 * Reading traces: firstToLast, decadesPerLayer and log10Slope on hand-made
 * traces, `diagnose` on hand-made traces (each finding and its threshold),
 * and on real networks at initialisation: a 10-layer sigmoid net with the
 * classic init vanishes; relu with He normal init neither vanishes nor
 * explodes. The loss curve's findings on hand-made runs, and the
 * misdiagnoses of issue 15 on real training runs, each with its finding.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import * as Layer from '../../src/model/layers'
import * as Model from '../../src/model/compile'
import * as Optim from '../../src/optim/index'
import type { CaseData } from '../../src/suite/cases'
import { dataOf } from '../../src/suite/run'
import * as Train from '../../src/train/index'
import * as Trace from '../../src/trace/index'
import type { LayerTrace, StepTrace, TensorStats } from '../../src/trace/Trace'

const stats = (l2: number): TensorStats => ({ n: 4, mean: 0, std: l2 / 2, l2, rms: l2 / 2, maxAbs: l2 / 2, nonFinite: 0, zeroFrac: 0 })
const layer = (path: string, pre: number, o: { out?: number; weight?: number; params?: boolean; saturated?: number | null; dead?: number | null } = {}): LayerTrace => ({
  path,
  kind: o.params === false ? 'activation' : 'dense',
  gradOut: stats(o.out ?? pre),
  gradPre: stats(pre),
  gradIn: null,
  act: { mean: 0, std: 1, saturated: o.saturated ?? null, dead: o.dead ?? null },
  params: o.params === false ? [] : [{ name: 'W', grad: stats(o.weight ?? pre), norm: 1, updateRatio: null }],
})
const trace = (layers: ReadonlyArray<LayerTrace>, extra: Partial<StepTrace> = {}): StepTrace => ({ step: 1, loss: 1, gradNorm: 1, gradNormClipped: 1, nonFinite: 0, level: 'norms', layers, ...extra })
/** Hidden layers with these dL/dz norms, then a read-out layer (which the ratios leave out). */
const fromNorms = (ns: ReadonlyArray<number>): StepTrace => trace([...ns.map((n, i) => layer(`serial/${i}/dense`, n)), layer(`serial/${ns.length}/dense`, 1e6)])
const kinds = (t: ReadonlyArray<StepTrace>) => Trace.diagnose(t).map((f) => f.kind)

describe('log10Slope', () => {
  it('is the least-squares slope of log10 values against their index', () => {
    expect(Trace.log10Slope([1, 10, 100])).toBeCloseTo(1, 12)
    expect(Trace.log10Slope([100, 10, 1])).toBeCloseTo(-1, 12)
    expect(Trace.log10Slope([5, 5, 5, 5])).toBeCloseTo(0, 12)
    expect(Trace.log10Slope([1, 100, 100, 10000])).toBeCloseTo(1.2, 12) // x = 0..3, y = 0,2,2,4: slope 6/5
  })
  it('skips non-positive and non-finite values, and is NaN with fewer than two points', () => {
    expect(Trace.log10Slope([0, 1, 10])).toBeCloseTo(1, 12)
    expect(Trace.log10Slope([1, NaN, 100])).toBeCloseTo(1, 12)
    expect(Trace.log10Slope([1, Infinity, 100, -3])).toBeCloseTo(1, 12)
    expect(Trace.log10Slope([1])).toBeNaN()
    expect(Trace.log10Slope([])).toBeNaN()
    expect(Trace.log10Slope([0, 0, 7])).toBeNaN()
  })
  it('recovers the rate of any geometric sequence', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 2, max: 20 }), (rate, start, n) => {
        const vs = Array.from({ length: n }, (_, i) => 10 ** (start + rate * i))
        expect(Math.abs(Trace.log10Slope(vs) - rate)).toBeLessThan(1e-9)
      }),
    )
  })
})

describe('firstToLast and decadesPerLayer', () => {
  it('read dL/dz of the first and last hidden layers, ignoring layers without parameters, normalisation and the read-out', () => {
    const norm: LayerTrace = { ...layer('n', 1e9), kind: 'layerNorm' }
    const t = trace([layer('a', 1e-6), layer('act', 1e9, { params: false }), norm, layer('b', 1e-3), layer('c', 1), layer('out', 1e7)])
    expect(Trace.firstToLast(t)).toBeCloseTo(1e-6, 18)
    expect(Trace.weightLayers(t).map((l) => l.path)).toEqual(['a', 'b', 'c', 'out'])
    expect(Trace.hiddenLayers(t).map((l) => l.path)).toEqual(['a', 'b', 'c'])
    expect(Trace.profile(t)).toEqual([1e-6, 1e-3, 1])
    // the signal grows 3 decades per layer toward the output: 3 decades lost per layer going down
    expect(Trace.decadesPerLayer(t)).toBeCloseTo(-3, 12)
  })
  it('other signals: gradOut and the weight gradient', () => {
    const t = trace([layer('a', 1, { out: 2, weight: 1e-4 }), layer('b', 1, { out: 8, weight: 1 }), layer('out', 3)])
    expect(Trace.firstToLast(t, 'gradPre')).toBe(1)
    expect(Trace.firstToLast(t, 'gradOut')).toBe(0.25)
    expect(Trace.firstToLast(t, 'weight')).toBeCloseTo(1e-4, 15)
    expect(Trace.decadesPerLayer(t, 'weight')).toBeCloseTo(-4, 12)
  })
  it('a single hidden layer gives a ratio of 1 and no slope', () => {
    const t = fromNorms([3])
    expect(Trace.firstToLast(t)).toBe(1)
    expect(Trace.decadesPerLayer(t)).toBeNaN()
  })
  it('decadesPer10Steps reads per-time-step norms', () => {
    expect(Trace.decadesPer10Steps([1e-3, 1e-2, 1e-1, 1])).toBeCloseTo(-10, 10)
  })
})

describe('diagnose on hand-made traces', () => {
  it('nothing to say about no traces', () => {
    expect(Trace.diagnose([])).toEqual([])
  })
  it('vanishing below a ratio of 1e-3, exploding above 1e3, healthy between', () => {
    expect(kinds([fromNorms([1e-5, 1e-3, 1])])).toEqual(['vanishing'])
    expect(kinds([fromNorms([1e4, 1e2, 1])])).toEqual(['exploding'])
    expect(kinds([fromNorms([0.5, 1, 2])])).toEqual(['healthy'])
    expect(kinds([fromNorms([2e-3, 1])])).toEqual(['healthy'])
    expect(Trace.diagnose([fromNorms([2e-3, 1])], { vanishing: 1e-2 }).map((f) => f.kind)).toEqual(['vanishing'])
  })
  it('the vanishing finding names the first weight layer and its evidence the ratio', () => {
    const [f] = Trace.diagnose([fromNorms([1e-8, 1e-4, 1])])
    expect(f!.kind).toBe('vanishing')
    expect(f!.severity).toBe('error')
    expect(f!.layers).toEqual(['serial/0/dense'])
    expect(f!.evidence).toContain('1.0e-8')
  })
  it('uses the median over several traces', () => {
    expect(kinds([fromNorms([1e-5, 1]), fromNorms([1, 1]), fromNorms([1e-6, 1])])).toEqual(['vanishing'])
    expect(kinds([fromNorms([1e-5, 1]), fromNorms([1, 1]), fromNorms([0.5, 1])])).toEqual(['healthy'])
  })
  it('over an even number of traces the ratio is the geometric middle, as the depth sweep takes it', () => {
    const [f] = Trace.diagnose([fromNorms([1e-8, 1]), fromNorms([1e-6, 1])])
    expect(f!.evidence).toContain('1.0e-7')
  })
  it('non-finite values, saturation and dead units', () => {
    expect(kinds([fromNorms([1, 1]), trace(fromNorms([1, 1]).layers, { nonFinite: 3, step: 2 })])).toContain('nonFinite')
    expect(kinds([trace([layer('a', 1, { saturated: 0.9 }), layer('b', 1, { saturated: 0.1 })])])).toEqual(['saturation'])
    expect(kinds([trace([layer('a', 1, { dead: 0.85 }), layer('b', 1, { dead: 0.5 })])])).toEqual(['dead'])
    const sat = Trace.diagnose([trace([layer('a', 1, { saturated: 0.9 }), layer('b', 1, { saturated: 0.6 })])])[0]!
    expect(sat.layers).toEqual(['a', 'b'])
    expect(sat.remedy).toContain('layerNorm')
    const normed = Trace.diagnose([trace([layer('a', 1, { saturated: 0.9 }), { ...layer('n', 1), kind: 'layerNorm' }, layer('b', 1)])])[0]!
    expect(normed.kind).toBe('saturation')
    expect(normed.remedy).not.toMatch(/layerNorm|normalisation/)
  })
  it('remedies through time fit the cell: no gated cell recommended to an LSTM', () => {
    const rec = (kind: string): LayerTrace => ({ ...layer(`serial/0/${kind}`, 1), kind, params: [], time: { gradH: [1e-6, 1e-3, 1] } })
    const [rnn] = Trace.diagnose([trace([rec('rnn')])])
    const [lstm] = Trace.diagnose([trace([rec('lstm')])])
    expect(rnn!.remedy).toContain('gated cell')
    expect(lstm!.kind).toBe('vanishing')
    expect(lstm!.remedy).not.toContain('gated cell')
    expect(lstm!.remedy).toContain('forget-gate bias')
  })
})

describe('finding templates', () => {
  const rec = (gradH: ReadonlyArray<number>): LayerTrace => ({ ...layer('serial/0/rnn', 1), kind: 'rnn', params: [], time: { gradH } })
  /** a run of 40 steps with these training losses (healthy gradient flow) */
  const curve = (loss: (i: number) => number): ReadonlyArray<StepTrace> =>
    Array.from({ length: 40 }, (_, i) => trace(fromNorms([0.5, 1, 2]).layers, { step: i + 1, loss: loss(i) }))
  const falling = (i: number) => 2 / (1 + i / 2)
  const heldOut = [10, 20, 30, 40].map((step, k) => ({ step, loss: [1, 0.8, 1.2, 1.6][k]! }))
  /** one set of traces for each template (and the options they need) */
  const runs: ReadonlyArray<readonly [ReadonlyArray<StepTrace>, Trace.DiagnoseOptions?]> = [
    [curve((i) => (i % 2 === 0 ? 0.5 : 3))],
    [curve(() => 2.3)],
    [curve(falling), { validation: heldOut }],
  ]
  const cases: ReadonlyArray<ReadonlyArray<StepTrace>> = [
    [fromNorms([1, 1]), trace(fromNorms([1, 1]).layers, { nonFinite: 3, step: 2 })],
    [trace([rec([1e-6, 1e-3, 1])])],
    [trace([rec([1e6, 1e3, 1])])],
    [fromNorms([1e-5, 1e-3, 1])],
    [fromNorms([1e4, 1e2, 1])],
    [trace([layer('a', 1, { saturated: 0.9 }), layer('b', 1)])],
    [trace([layer('a', 1, { dead: 0.9 }), layer('b', 1)])],
    [fromNorms([0.5, 1, 2])],
  ]

  it("every finding takes its kind, severity, title and fixed remedy from findingTemplates, and every template is reached", () => {
    const found = [...cases.map((ts) => [ts] as const), ...runs].flatMap(([ts, o]) => Trace.diagnose(ts, o))
    const templates = Object.values(Trace.findingTemplates)
    for (const f of found) {
      const t = templates.find((x) => x.title === f.title)
      expect(t, f.title).toBeDefined()
      expect([f.kind, f.severity]).toEqual([t!.kind, t!.severity])
      if ('remedy' in t!) expect(f.remedy).toBe(t.remedy)
      else expect(f.remedy.length, `${f.title}: a remedy made for the network`).toBeGreaterThan(40)
    }
    expect(new Set(found.map((f) => f.title))).toEqual(new Set(templates.map((t) => t.title)))
  })

  it('the loss curve: oscillating, stalled, overfitting (with held-out losses), and healthy when it falls', () => {
    expect(runs.map(([ts, o]) => Trace.diagnose(ts, o).map((f) => f.kind))).toEqual([['oscillating'], ['stalled'], ['overfitting']])
    expect(kinds(curve(falling))).toEqual(['healthy'])
  })

  it('the words are those the findings had when they were written out in full', () => {
    const [nonFinite] = Trace.diagnose([trace(fromNorms([1, 1]).layers, { nonFinite: 3, step: 2, gradNorm: 1e12 })])
    expect(nonFinite).toEqual({
      kind: 'nonFinite',
      severity: 'error',
      title: 'Non-finite values',
      evidence: '3 non-finite value(s) in loss or gradients, first at step 2 (gradient norm 1.0e+12)',
      remedy: 'clip gradients by global norm (clipByGlobalNorm), lower the learning rate, or use an initialisation that keeps signals at unit scale',
      layers: [],
    })
    const [exploding] = Trace.diagnose([trace([rec([1e6, 1e3, 1])])])
    expect(exploding!.evidence).toBe('serial/0/rnn: the first of 3 steps receives 1.0e+6 times the error signal dL/dh of the last (+30 decades per 10 steps)')
    expect(exploding!.remedy).toBe(
      'clip gradients by global norm (clipByGlobalNorm), scale the recurrent weights to spectral radius ≤ 1 (orthogonal with gain 1), or lower the learning rate',
    )
    const [sat] = Trace.diagnose([trace([layer('a', 1, { saturated: 0.9 }), layer('b', 1)])])
    expect(sat!.evidence).toBe('a: 90% saturated')
    expect(sat!.remedy).toBe(
      'use a normalised initialisation (Glorot for tanh/sigmoid), a non-saturating activation (ReLU family), normalisation (layerNorm) before the activations or standardised input features',
    )
  })
})

describe('diagnose on real networks at initialisation', () => {
  const sigmoidNet = (norm: boolean): Layer.LayerSpec =>
    Layer.serial(...Array.from({ length: 10 }, () => (norm ? [Layer.dense(32, { init: Layer.init.classic }), Layer.layerNorm(), Layer.activation('sigmoid')] : [Layer.dense(32, { activation: 'sigmoid', init: Layer.init.classic })])).flat(), Layer.dense(10))
  const probeNet = (net: Layer.LayerSpec) => {
    const m = Model.compile(net, { input: [32], loss: 'softmaxCrossEntropy' })
    if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
    const B = 16
    const x = Float32Array.from({ length: B * 32 }, (_, i) => Math.sin(7.3 * i) * 1.7)
    const traces = [0, 1, 2].map((seed) => {
      const vg = m.right.valueAndGrad(m.right.init(Key.key(seed)), { x: { shape: [B, 32], data: x }, y: Int32Array.from({ length: B }, (_, i) => i % 10) })
      if (E.isLeft(vg)) throw new Error(JSON.stringify(vg.left))
      return vg.right.trace
    })
    return traces
  }
  const probe = (act: 'sigmoid' | 'relu', init: Layer.DenseOptions['init']) =>
    probeNet(Layer.serial(...Array.from({ length: 10 }, () => Layer.dense(32, { activation: act, init })), Layer.dense(10)))
  /** The ratio as the demo's tables take it: the dense layers' dL/dz, layer 1 over layer 10, the read-out left out. */
  const tableRatio = (t: StepTrace): number => {
    const ds = t.layers.filter((l) => l.kind === 'dense').slice(0, 10)
    return ds[0]!.gradPre.l2 / ds[9]!.gradPre.l2
  }
  const middle = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[1]!
  const fmt1 = (x: number): string => x.toExponential(1)

  it('the vanishing finding counts the 10 hidden layers and gives the ratio the tables give, with or without layerNorm', () => {
    for (const norm of [false, true]) {
      const ts = probeNet(sigmoidNet(norm))
      for (const t of ts) expect(Trace.firstToLast(t)).toBeCloseTo(tableRatio(t), 12)
      const f = Trace.diagnose(ts).find((x) => x.kind === 'vanishing')!
      expect(f.evidence).toContain('the last of 10 hidden layers')
      expect(f.evidence).toContain(`receives ${fmt1(middle(ts.map(tableRatio)))} of the error signal`)
    }
  })
  it('does not recommend normalisation to a net that has layerNorm, nor residual connections to a residual net', () => {
    const plain = Trace.diagnose(probeNet(sigmoidNet(false))).find((x) => x.kind === 'vanishing')!
    const normed = Trace.diagnose(probeNet(sigmoidNet(true))).find((x) => x.kind === 'vanishing')!
    expect(plain.remedy).toContain('add normalisation')
    expect(plain.remedy).toContain('add residual connections')
    expect(normed.remedy).not.toContain('add normalisation')
    expect(normed.remedy).toContain('already normalises with layerNorm')
    const withResidual = trace([...fromNorms([1e-8, 1e-4, 1]).layers, { ...layer('serial/4/residual', 1), kind: 'residual', params: [] }])
    const res = Trace.diagnose([withResidual]).find((x) => x.kind === 'vanishing')!
    expect(res.remedy).not.toContain('residual connections')
    expect(res.remedy).toContain('add normalisation')
  })
  it("a 10-layer sigmoid net with the classic init: 'vanishing'", () => {
    const ts = probe('sigmoid', Layer.init.classic)
    const fs = Trace.diagnose(ts)
    expect(fs.map((f) => f.kind)).toContain('vanishing')
    expect(fs.find((f) => f.kind === 'vanishing')!.layers).toEqual(['serial/0/dense'])
    for (const t of ts) {
      expect(Trace.firstToLast(t)).toBeLessThan(1e-3)
      expect(Trace.decadesPerLayer(t)).toBeLessThan(-0.25)
    }
  })
  it('relu with He normal init: neither vanishing nor exploding', () => {
    const ts = probe('relu', Layer.init.heNormal)
    const fs = Trace.diagnose(ts).map((f) => f.kind)
    expect(fs).not.toContain('vanishing')
    expect(fs).not.toContain('exploding')
    expect(fs).not.toContain('nonFinite')
    for (const t of ts) {
      expect(Trace.firstToLast(t)).toBeGreaterThan(1e-2)
      expect(Trace.firstToLast(t)).toBeLessThan(1e2)
    }
  })
})

describe('diagnose on real training runs (issue 15: the misdiagnoses found from outside)', () => {
  type Fit = { readonly net: Layer.LayerSpec; readonly data: CaseData; readonly opt: Optim.GradientTransformation; readonly steps: number; readonly stop?: boolean }
  /** every trace of a run of Train.fit (batches of 32), up to `steps` or, with `stop`, the first non-finite step */
  const fitTraces = async (f: Fit): Promise<ReadonlyArray<StepTrace>> => {
    const d = dataOf(f.data)
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    const m = Model.compile(f.net, { input: d.right.input, loss: d.right.loss })
    if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
    const s0 = Train.init(m.right, f.opt, Key.key(0))
    if (E.isLeft(s0)) throw new Error(JSON.stringify(s0.left))
    const out: StepTrace[] = []
    for await (const p of Train.fit(m.right, f.opt, s0.right, d.right.train, { epochs: 50, batchSize: 32, onNonFinite: f.stop ? 'stop' : 'skip' })) {
      if (p.error) throw new Error(JSON.stringify(p.error))
      out.push(p.trace)
      if (p.step >= f.steps) break
    }
    return out
  }
  const digitSeqs: CaseData = { kind: 'digits', rows: 256, validation: 32, asSequence: true }
  const gatedCell = (fs: ReadonlyArray<Trace.Finding>) => fs.some((f) => /gated cell/.test(f.remedy))

  it('a tanh RNN whose gradients explode through time (ρ = 1.5) is exploding, before and at the NaN, not vanishing', async () => {
    const net = Layer.serial(Layer.rnn(32, { recurrentInit: Layer.init.orthogonal(1.5) }), Layer.dense(1))
    const ts = await fitTraces({ net, data: { kind: 'adding', T: 50, rows: 2048, validation: 32 }, opt: Optim.sgd(0.2), steps: 60, stop: true })
    expect(ts[ts.length - 1]!.nonFinite).toBeGreaterThan(0) // the run blew up
    const all = Trace.diagnose(ts).map((f) => f.kind)
    expect(all).toContain('exploding')
    expect(all).toContain('nonFinite')
    expect(all).not.toContain('vanishing')
    const before = Trace.diagnose(ts.filter((t) => t.nonFinite === 0)).map((f) => f.kind)
    expect(before).toContain('exploding')
    expect(before).not.toContain('vanishing')
  })

  it('a saturated tanh RNN reports saturated units (measured over every step), with a remedy that is not a gated cell', async () => {
    const ts = await fitTraces({ net: Layer.serial(Layer.rnn(32, { init: Layer.init.normal(3) }), Layer.dense(10)), data: digitSeqs, opt: Optim.adam(1e-3), steps: 20 })
    const rnn = ts[ts.length - 1]!.layers[0]!
    expect(rnn.act!.saturated).toBeGreaterThan(0.5)
    const fs = Trace.diagnose(ts)
    expect(fs.find((f) => f.kind === 'saturation')!.layers).toEqual(['serial/0/rnn'])
    expect(fs.map((f) => f.kind)).not.toContain('vanishing')
    expect(gatedCell(fs)).toBe(false)
  })

  it('a dead ReLU RNN reports dead units, with a remedy that is not a gated cell', async () => {
    const net = Layer.serial(Layer.rnn(32, { activation: 'relu', biasInit: Layer.init.constant(-3) }), Layer.dense(10))
    const ts = await fitTraces({ net, data: digitSeqs, opt: Optim.adam(1e-3), steps: 20 })
    expect(ts[ts.length - 1]!.layers[0]!.act!.dead).toBeGreaterThan(0.8)
    const fs = Trace.diagnose(ts)
    expect(fs.find((f) => f.kind === 'dead')!.remedy).toContain('irnn')
    expect(gatedCell(fs)).toBe(false)
  })

  /** 64 points of a tanh net with one NaN target (row 5): the steps whose batch holds it are non-finite, the others train */
  const withNaN = async (): Promise<ReadonlyArray<StepTrace>> => {
    const m = Model.compile(Layer.serial(Layer.dense(8, { activation: 'tanh' }), Layer.dense(8, { activation: 'tanh' }), Layer.dense(1)), { input: [2], loss: 'mse' })
    if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
    const x = Float32Array.from({ length: 128 }, (_, i) => Math.sin(i))
    const y = Float32Array.from({ length: 64 }, (_, i) => (i === 5 ? NaN : Math.cos(i)))
    const s0 = Train.init(m.right, Optim.sgd(0.1), Key.key(0))
    if (E.isLeft(s0)) throw new Error(JSON.stringify(s0.left))
    const out: StepTrace[] = []
    const data = { x: { shape: [64, 2], data: x }, y: { shape: [64, 1], data: y } }
    for await (const p of Train.fit(m.right, Optim.sgd(0.1), s0.right, data, { epochs: 3, batchSize: 16, onNonFinite: 'skip' })) out.push(p.trace)
    return out
  }

  it('a step whose gradients are NaN records NaN norms, not 0, and is not read as vanishing', async () => {
    const bad = (await withNaN()).find((t) => t.nonFinite > 0)!
    expect(bad.gradNorm).toBeNaN()
    for (const l of bad.layers) expect(l.gradPre.l2).toBeNaN()
    expect(Trace.diagnose([bad]).map((f) => f.kind)).toEqual(['nonFinite'])
  })

  it('diagnose([lastTrace]) keeps a NaN that happened mid-run: each later trace carries the run count', async () => {
    const ts = await withNaN()
    const first = ts.find((t) => t.nonFinite > 0)!.step
    const last = ts[ts.length - 1]!
    expect(last.nonFinite).toBe(0) // the last step itself is clean
    expect(last.nonFiniteSteps).toEqual({ count: ts.filter((t) => t.nonFinite > 0).length, first })
    const [f] = Trace.diagnose([last])
    expect(f!.kind).toBe('nonFinite')
    expect(f!.evidence).toContain(`the first at step ${first}`)
    expect(ts.filter((t) => t.step < first).every((t) => t.nonFiniteSteps === undefined)).toBe(true)
  })

  it('a run that learns nothing (updates ~1e-8 of the parameters, flat loss) is stalled, not healthy', async () => {
    const net = Layer.serial(Layer.dense(64, { activation: 'relu', init: Layer.init.heNormal }), Layer.dense(10))
    const ts = await fitTraces({ net, data: { kind: 'digits', rows: 512, validation: 32 }, opt: Optim.sgd(1e-7), steps: 40 })
    expect(Trace.updateRatio(ts)).toBeLessThan(1e-6)
    const fs = Trace.diagnose(ts)
    expect(fs.map((f) => f.kind)).toEqual(['stalled'])
    expect(fs[0]!.evidence).toMatch(/updates are \d\.\de-8 of the parameters/)
  })
})
