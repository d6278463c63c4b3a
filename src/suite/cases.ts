/**
 * The labelled suite of `diagnose` (issue 15, item 2): small training runs,
 * each built to show one training problem, and healthy controls, across
 * dense, residual and recurrent nets, on the repository's data (the digits,
 * the digits read row by row as sequences, the adding problem). Every case is
 * plain data — a spec, an optimizer, a data set, a step count and the
 * findings it is built to show — so the suite grows by adding rows; the
 * builders below only spell the rows shorter.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { problems, suite } from './cases'
 * assert.ok(suite.length >= 40)
 * for (const p of problems) assert.ok(suite.filter((c) => c.expect.includes(p)).length >= 4, p) // every problem has its runs
 * assert.ok(suite.filter((c) => c.expect.length === 0).length >= 8) // and the healthy controls
 * assert.deepStrictEqual(JSON.parse(JSON.stringify(suite)), suite) // data, not code
 *
 * @since 0.1.0
 */
import type { GradientTransformation } from '../optim/Transform'
import * as Optim from '../optim/index'
import * as Layer from '../model/layers'

/** The problems the suite labels, as `diagnose` names them (its finding kinds). @category model */
export const problems = ['vanishing', 'exploding', 'dead', 'saturation', 'oscillating', 'stalled', 'nonFinite', 'overfitting'] as const
/** @category model */
export type Problem = (typeof problems)[number]

/**
 * The data of a case: the digits (standardised, times `scale`), as 64 features
 * or as 8 rows of 8 read in time, or the adding problem of length T.
 * `rows` train; the next `validation` rows (digits) or fresh sequences measure held-out loss.
 * @category model
 */
export type CaseData =
  | { readonly kind: 'digits'; readonly rows: number; readonly validation: number; readonly scale?: number; readonly asSequence?: boolean }
  | { readonly kind: 'adding'; readonly T: number; readonly rows: number; readonly validation: number }

/** One labelled run. @category model */
export interface SuiteCase {
  readonly name: string
  readonly family: 'dense' | 'residual' | 'recurrent'
  readonly net: Layer.LayerSpec
  readonly data: CaseData
  readonly optimizer: GradientTransformation
  readonly steps: number
  readonly batch: number
  readonly seed: number
  /** what the run is built to show (empty: a healthy control) */
  readonly expect: ReadonlyArray<Problem>
  /** findings that are right too, and why (an exploding run that ends in NaN is also non-finite) */
  readonly alsoRight?: ReadonlyArray<Problem>
}

const digits = (rows = 400, o: { readonly scale?: number; readonly asSequence?: boolean; readonly validation?: number } = {}): CaseData => ({
  kind: 'digits',
  rows,
  validation: o.validation ?? 300,
  ...(o.scale === undefined ? {} : { scale: o.scale }),
  ...(o.asSequence ? { asSequence: true } : {}),
})
const adding = (T: number, rows = 1024): CaseData => ({ kind: 'adding', T, rows, validation: 256 })

const dense = (units: number, activation: Layer.DenseOptions['activation'], opts: Layer.DenseOptions = {}): Layer.LayerSpec =>
  Layer.dense(units, { activation, ...opts })
const stack = (depth: number, make: () => Layer.LayerSpec, out = 10): Layer.LayerSpec => Layer.serial(...Array.from({ length: depth }, make), Layer.dense(out))
const block = (units: number, act: Layer.DenseOptions['activation'], opts: Layer.DenseOptions = {}): Layer.LayerSpec =>
  Layer.residual(Layer.serial(Layer.dense(units, { activation: act, ...opts }), Layer.dense(units, opts.init ? { init: opts.init } : {})))
const resnet = (blocks: number, units: number, act: Layer.DenseOptions['activation'], opts: Layer.DenseOptions = {}, norm = false): Layer.LayerSpec =>
  Layer.serial(
    Layer.dense(units, { activation: act }),
    ...Array.from({ length: blocks }, () => (norm ? [block(units, act, opts), Layer.layerNorm()] : [block(units, act, opts)])).flat(),
    Layer.dense(10),
  )
const seqNet = (cell: Layer.LayerSpec, out = 10): Layer.LayerSpec => Layer.serial(cell, Layer.dense(out))

type Row = Omit<SuiteCase, 'expect' | 'steps' | 'batch' | 'seed'> & Partial<Pick<SuiteCase, 'steps' | 'batch' | 'seed'>>
const rows = (expect: ReadonlyArray<Problem>, rs: ReadonlyArray<Row>): ReadonlyArray<SuiteCase> =>
  rs.map((r) => ({ steps: 120, batch: 32, seed: 0, ...r, expect }))

const sgd = Optim.sgd
const adam = Optim.adam
const clip = (max: number, o: GradientTransformation): GradientTransformation => Optim.chain(Optim.clipByGlobalNorm(max), o)
const classic = { init: Layer.init.classic }

const vanishing = rows(['vanishing'], [
  { name: 'sigmoid-10-classic', family: 'dense', net: stack(10, () => dense(32, 'sigmoid', classic)), data: digits(), optimizer: sgd(0.1) },
  { name: 'sigmoid-8-classic-adam', family: 'dense', net: stack(8, () => dense(32, 'sigmoid', classic)), data: digits(), optimizer: adam(1e-3), seed: 1 },
  { name: 'sigmoid-12-glorot', family: 'dense',
    net: stack(12, () => dense(24, 'sigmoid', { init: Layer.init.glorotUniform })),
    data: digits(), optimizer: sgd(0.05) },
  { name: 'tanh-10-small-init', family: 'dense',
    net: stack(10, () => dense(32, 'tanh', { init: Layer.init.normal(0.05) })),
    data: digits(), optimizer: sgd(0.1) },
  { name: 'sigmoid-resnet-classic', family: 'residual',
    net: Layer.serial(...Array.from({ length: 8 }, () => dense(32, 'sigmoid', classic)), block(32, 'relu'), Layer.dense(10)),
    data: digits(), optimizer: sgd(0.1), seed: 2 },
  { name: 'rnn-tanh-contracting', family: 'recurrent',
    net: seqNet(Layer.rnn(24, { recurrentInit: Layer.init.orthogonal(0.5) }), 1),
    data: adding(40), optimizer: adam(1e-3) },
  { name: 'rnn-sigmoid', family: 'recurrent', net: seqNet(Layer.rnn(24, { activation: 'sigmoid' }), 1), data: adding(30), optimizer: sgd(0.05), seed: 3 },
])

const exploding = rows(['exploding'], [
  { name: 'relu-10-large-init', family: 'dense',
    net: stack(10, () => dense(32, 'relu', { init: Layer.init.normal(0.6) })),
    data: digits(), optimizer: clip(1, sgd(1e-3)), steps: 40 },
  { name: 'linear-8-large-init', family: 'dense',
    net: stack(8, () => dense(32, 'identity', { init: Layer.init.normal(0.5) })),
    data: digits(), optimizer: clip(1, sgd(1e-4)), steps: 40, seed: 1 },
  { name: 'resnet-relu-large-init', family: 'residual',
    net: resnet(6, 32, 'relu', { init: Layer.init.normal(0.5) }),
    data: digits(), optimizer: clip(1, sgd(1e-4)), steps: 40 },
  { name: 'rnn-rho-1.5', family: 'recurrent',
    net: seqNet(Layer.rnn(32, { recurrentInit: Layer.init.orthogonal(1.5) }), 1),
    data: adding(50), optimizer: sgd(0.2), alsoRight: ['nonFinite', 'saturation'] },
  { name: 'rnn-rho-2-clipped', family: 'recurrent',
    net: seqNet(Layer.rnn(32, { recurrentInit: Layer.init.orthogonal(2) }), 1),
    data: adding(40), optimizer: clip(1, sgd(0.01)), seed: 1 },
  { name: 'irnn-gain-1.3', family: 'recurrent',
    net: seqNet(Layer.irnn(32, { recurrentInit: Layer.init.identity(1.3) }), 1),
    data: adding(40), optimizer: sgd(0.01), seed: 2, alsoRight: ['nonFinite'] },
])

const dead = rows(['dead'], [
  { name: 'relu-negative-bias', family: 'dense',
    net: stack(4, () => dense(64, 'relu', { biasInit: Layer.init.constant(-3) })),
    data: digits(), optimizer: adam(1e-3) },
  { name: 'relu-adam-lr-too-high', family: 'dense',
    net: stack(3, () => dense(64, 'relu', { init: Layer.init.heNormal })),
    data: digits(), optimizer: adam(0.05), seed: 1, alsoRight: ['oscillating'] },
  { name: 'relu-deep-negative-bias', family: 'dense',
    net: stack(6, () => dense(32, 'relu', { init: Layer.init.heNormal, biasInit: Layer.init.constant(-1.5) })),
    data: digits(), optimizer: sgd(0.05), seed: 2, alsoRight: ['stalled'] },
  { name: 'resnet-relu-negative-bias', family: 'residual',
    net: resnet(3, 32, 'relu', { biasInit: Layer.init.constant(-4) }),
    data: digits(), optimizer: adam(1e-3) },
  { name: 'rnn-relu-negative-bias', family: 'recurrent',
    net: seqNet(Layer.rnn(32, { activation: 'relu', biasInit: Layer.init.constant(-3) })),
    data: digits(400, { asSequence: true }), optimizer: adam(1e-3), alsoRight: ['stalled'] },
  { name: 'irnn-negative-bias', family: 'recurrent',
    net: seqNet(Layer.irnn(32, { biasInit: Layer.init.constant(-2) }), 1),
    data: adding(20), optimizer: sgd(0.01), seed: 1, alsoRight: ['stalled'] },
])

const saturation = rows(['saturation'], [
  { name: 'tanh-large-inputs', family: 'dense', net: stack(3, () => dense(64, 'tanh')), data: digits(400, { scale: 30 }), optimizer: sgd(0.05) },
  { name: 'sigmoid-large-init', family: 'dense',
    net: stack(3, () => dense(64, 'sigmoid', { init: Layer.init.normal(2) })),
    data: digits(), optimizer: sgd(0.05), seed: 1 },
  { name: 'tanh-large-init', family: 'dense',
    net: stack(4, () => dense(64, 'tanh', { init: Layer.init.normal(1) })),
    data: digits(), optimizer: adam(1e-3), seed: 2 },
  { name: 'resnet-tanh-large-inputs', family: 'residual', net: resnet(3, 32, 'tanh'), data: digits(400, { scale: 40 }), optimizer: sgd(0.05) },
  { name: 'rnn-tanh-large-input-weights', family: 'recurrent',
    net: seqNet(Layer.rnn(32, { init: Layer.init.normal(3) })),
    data: digits(400, { asSequence: true }), optimizer: adam(1e-3) },
  { name: 'rnn-tanh-large-inputs', family: 'recurrent',
    net: seqNet(Layer.rnn(32)),
    data: digits(400, { asSequence: true, scale: 50 }), optimizer: sgd(0.01), seed: 1 },
])

const oscillating = rows(['oscillating'], [
  { name: 'mlp-rmsprop-lr-0.05', family: 'dense', net: stack(2, () => dense(64, 'elu')), data: digits(), optimizer: Optim.rmsprop(0.05) },
  { name: 'mlp-momentum-lr-0.5', family: 'dense', net: stack(2, () => dense(64, 'elu')), data: digits(), optimizer: Optim.momentum(0.2, 0.9), seed: 1 },
  { name: 'mlp-adam-lr-0.1', family: 'dense',
    net: stack(2, () => dense(64, 'relu', { init: Layer.init.heNormal })),
    data: digits(), optimizer: adam(0.1), seed: 2, alsoRight: ['dead'] },
  { name: 'resnet-rmsprop-lr-0.03', family: 'residual', net: resnet(2, 32, 'elu'), data: digits(), optimizer: Optim.rmsprop(0.03) },
  { name: 'lstm-adam-lr-0.2', family: 'recurrent', net: seqNet(Layer.lstm(24)), data: digits(400, { asSequence: true }), optimizer: adam(0.2) },
  { name: 'gru-momentum-lr-1', family: 'recurrent',
    net: seqNet(Layer.gru(24)),
    data: digits(400, { asSequence: true }), optimizer: Optim.momentum(1, 0.95), seed: 1 },
])

const stalled = rows(['stalled'], [
  { name: 'mlp-sgd-lr-1e-7', family: 'dense', net: stack(2, () => dense(64, 'relu', { init: Layer.init.heNormal })), data: digits(), optimizer: sgd(1e-7) },
  { name: 'mlp-adam-lr-1e-8', family: 'dense', net: stack(3, () => dense(32, 'tanh')), data: digits(), optimizer: adam(1e-8), seed: 1 },
  { name: 'resnet-sgd-lr-1e-6', family: 'residual', net: resnet(2, 32, 'relu', { init: Layer.init.heNormal }), data: digits(), optimizer: sgd(1e-6) },
  { name: 'lstm-adam-lr-1e-8', family: 'recurrent', net: seqNet(Layer.lstm(16)), data: digits(400, { asSequence: true }), optimizer: adam(1e-8) },
  { name: 'rnn-sgd-lr-1e-7', family: 'recurrent', net: seqNet(Layer.rnn(32), 1), data: adding(20), optimizer: sgd(1e-7), seed: 1 },
])

const nonFinite = rows(['nonFinite'], [
  { name: 'mlp-sgd-lr-1e4', family: 'dense',
    net: stack(2, () => dense(64, 'relu')),
    data: digits(), optimizer: sgd(1e4), alsoRight: ['exploding', 'oscillating', 'dead'] }, // the blow-up kills ReLU units too
  { name: 'linear-sgd-lr-10', family: 'dense',
    net: stack(3, () => dense(64, 'identity')),
    data: digits(), optimizer: sgd(10), seed: 1, alsoRight: ['exploding', 'oscillating'] },
  { name: 'resnet-linear-sgd-lr-10', family: 'residual',
    net: resnet(3, 32, 'identity'),
    data: digits(), optimizer: sgd(10), alsoRight: ['exploding', 'oscillating'] },
  { name: 'gru-sgd-lr-1e4', family: 'recurrent',
    net: seqNet(Layer.gru(16), 1),
    data: adding(30), optimizer: sgd(1e4), alsoRight: ['exploding', 'oscillating'] },
  { name: 'lstm-sgd-lr-1e3', family: 'recurrent',
    net: seqNet(Layer.lstm(16), 1),
    data: adding(20), optimizer: sgd(1e3), seed: 1, alsoRight: ['exploding', 'oscillating'] },
])

const overfitting = rows(['overfitting'], [
  { name: 'mlp-40-rows', family: 'dense',
    net: stack(2, () => dense(128, 'relu', { init: Layer.init.heNormal })),
    data: digits(20), optimizer: adam(0.01), steps: 400, batch: 10 },
  { name: 'tanh-mlp-30-rows', family: 'dense',
    net: stack(2, () => dense(128, 'tanh')),
    data: digits(20), optimizer: adam(0.01), steps: 400, batch: 10, seed: 1 },
  { name: 'resnet-40-rows', family: 'residual',
    net: resnet(2, 64, 'relu', { init: Layer.init.heNormal }),
    data: digits(20), optimizer: adam(0.01), steps: 400, batch: 10 },
  { name: 'lstm-40-rows', family: 'recurrent',
    net: seqNet(Layer.lstm(48)),
    data: digits(20, { asSequence: true }), optimizer: adam(0.02), steps: 400, batch: 10 },
  { name: 'gru-40-rows', family: 'recurrent',
    net: seqNet(Layer.gru(48)),
    data: digits(20, { asSequence: true }), optimizer: adam(0.02), steps: 400, batch: 10, seed: 1 },
])

const healthy = rows([], [
  { name: 'mlp-relu-he-adam', family: 'dense',
    net: stack(2, () => dense(64, 'relu', { init: Layer.init.heNormal })),
    data: digits(800), optimizer: adam(3e-3) },
  { name: 'mlp-tanh-glorot-sgd', family: 'dense', net: stack(2, () => dense(64, 'tanh')), data: digits(800), optimizer: sgd(0.1), seed: 1 },
  { name: 'deep-relu-he-momentum', family: 'dense',
    net: stack(6, () => dense(48, 'relu', { init: Layer.init.heNormal })),
    data: digits(800), optimizer: Optim.momentum(0.02, 0.9), seed: 2 },
  { name: 'sigmoid-shallow-sgd', family: 'dense', net: stack(1, () => dense(32, 'sigmoid')), data: digits(800), optimizer: sgd(0.5) },
  { name: 'mlp-elu-rmsprop', family: 'dense', net: stack(3, () => dense(48, 'elu')), data: digits(800), optimizer: Optim.rmsprop(1e-3), seed: 3 },
  { name: 'resnet-relu-adam', family: 'residual', net: resnet(3, 32, 'relu', { init: Layer.init.heNormal }), data: digits(800), optimizer: adam(2e-3) },
  { name: 'resnet-tanh-layernorm-sgd', family: 'residual', net: resnet(3, 32, 'tanh', {}, true), data: digits(800), optimizer: sgd(0.05), seed: 1 },
  { name: 'rnn-tanh-adding-adam', family: 'recurrent', net: seqNet(Layer.rnn(24), 1), data: adding(10), optimizer: adam(3e-3) },
  { name: 'lstm-digits-adam', family: 'recurrent', net: seqNet(Layer.lstm(24)), data: digits(800, { asSequence: true }), optimizer: adam(1e-2), seed: 1 },
  { name: 'gru-digits-adam', family: 'recurrent', net: seqNet(Layer.gru(24)), data: digits(800, { asSequence: true }), optimizer: adam(1e-2), seed: 2 },
  { name: 'rnn-tanh-digits-clipped-sgd', family: 'recurrent',
    net: seqNet(Layer.rnn(32)),
    data: digits(800, { asSequence: true }), optimizer: clip(5, sgd(0.05)), seed: 3 },
  { name: 'lstm-adding-adam', family: 'recurrent', net: seqNet(Layer.lstm(16), 1), data: adding(20), optimizer: adam(1e-2), seed: 4 },
])

/** Every case: the runs of each problem, then the healthy controls. @category constants */
export const suite: ReadonlyArray<SuiteCase> = [
  ...vanishing,
  ...exploding,
  ...dead,
  ...saturation,
  ...oscillating,
  ...stalled,
  ...nonFinite,
  ...overfitting,
  ...healthy,
]
