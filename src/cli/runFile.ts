/**
 * `gradtrace run <spec.json>`: a network, its data and training settings in
 * one JSON file, decoded with io-ts (a bad field is named by its path), then
 * trained with a trace per step; the report and the traces are written.
 *
 * Example file:
 * {
 *   "format": "gradtrace-run", "version": 1,
 *   "network": { "input": [64], "loss": "softmaxCrossEntropy",
 *                "spec": { "kind": "serial", "layers": [{ "kind": "dense", "units": 64, "activation": "tanh" }, { "kind": "dense", "units": 10 }] } },
 *   "data": { "source": "digits", "testFraction": 0.2 },
 *   "training": { "optimizer": { "kind": "adam", "lr": 0.003, "b1": 0.9, "b2": 0.999, "eps": 1e-8, "wd": 0 },
 *                 "epochs": 5, "batchSize": 32, "seed": 0, "trace": "norms" }
 * }
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeWith, parseJson } from '../codec/errors'
import { layerSpecCodec, ShapeCodec } from '../codec/spec'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { key } from '../core/Key'
import { unsafeTensor } from '../core/Tensor'
import { type Dataset, standardize, trainTestSplit } from '../data/Dataset'
import { digits } from '../data/digits'
import { defaultFashionMnistDir, fashionMnist, fashionMnistSmall } from '../data/idx-node'
import { GradientTransformationCodec } from '../optim/Transform'
import { compile } from '../plan/compile'
import { TraceLevelCodec } from '../codec/trace'
import type { StepTrace } from '../trace/Trace'
import { fit } from '../train/fit'
import { LossCodec } from '../train/loss'
import { init } from '../train/step'

/** @category codecs */
export const RunFile = t.type({
  format: t.literal('gradtrace-run'),
  version: t.literal(1),
  network: t.type({ input: ShapeCodec, loss: LossCodec, spec: layerSpecCodec() }),
  data: t.intersection([t.type({ source: t.keyof({ digits: null, 'fashion-mnist-small': null, 'fashion-mnist': null }) }), t.partial({ dir: t.string, testFraction: t.number, standardize: t.boolean })]),
  training: t.intersection([
    t.type({ optimizer: GradientTransformationCodec, epochs: t.number, batchSize: t.number }),
    t.partial({ seed: t.number, trace: TraceLevelCodec, every: t.number }),
  ]),
})
/** @category model */
export type RunFile = t.TypeOf<typeof RunFile>

/** Decodes a run file's text; the error names the field. @category codecs */
export const decodeRunFile = (text: string): E.Either<GradtraceError, RunFile> => E.chain(decodeWith(RunFile))(parseJson(text))

const loadData = (d: RunFile['data']): E.Either<GradtraceError, { train: Dataset; test: Dataset }> => {
  if (d.source === 'digits') return trainTestSplit(d.standardize === false ? digits() : standardize(digits()), 0, d.testFraction ?? 0.2)
  const r = d.source === 'fashion-mnist-small' ? fashionMnistSmall(d.dir) : fashionMnist(d.dir ?? defaultFashionMnistDir)
  return E.map((tt: { train: Dataset; test: Dataset }) => ({ train: tt.train, test: tt.test }))(r)
}

/** Trains what a run file describes; traces are kept every `every` steps (default: about 100 per run). @category constructors */
export const runFile = async (
  rf: RunFile,
  onProgress: (fraction: number, note: string) => void,
): Promise<E.Either<GradtraceError, { readonly traces: ReadonlyArray<StepTrace>; readonly testAccuracy: number | null }>> => {
  const tr = rf.training
  if (!(Number.isInteger(tr.epochs) && tr.epochs > 0)) return E.left(invalidArgument('training.epochs', `must be a positive integer, got ${tr.epochs}`))
  if (!(Number.isInteger(tr.batchSize) && tr.batchSize > 0)) return E.left(invalidArgument('training.batchSize', `must be a positive integer, got ${tr.batchSize}`))
  const data = loadData(rf.data)
  if (E.isLeft(data)) return data
  const m = compile(rf.network.spec, { input: rf.network.input, loss: rf.network.loss, trace: tr.trace ?? 'norms' })
  if (E.isLeft(m)) return m
  const model = m.right
  const s0 = init(model, tr.optimizer, key(tr.seed ?? 0))
  if (E.isLeft(s0)) return s0
  const { train, test } = data.right
  const n = train.x.length / model.input.reduce((a, b) => a * b, 1)
  const x = unsafeTensor([n, ...model.input], train.x)
  const stepsTotal = tr.epochs * Math.floor(n / tr.batchSize)
  const every = tr.every ?? Math.max(1, Math.floor(stepsTotal / 100))
  const traces: StepTrace[] = []
  let state = s0.right
  for await (const p of fit(model, tr.optimizer, s0.right, { x, y: train.y as Int32Array }, { epochs: tr.epochs, batchSize: tr.batchSize, every })) {
    if (p.error) return E.left(p.error)
    traces.push(p.trace)
    state = p.state
    onProgress(p.step / stepsTotal, `epoch ${p.epoch} loss ${p.loss.toFixed(4)}`)
  }
  const nTest = test.x.length / model.input.reduce((a, b) => a * b, 1)
  const logits = model.apply(state.params, unsafeTensor([nTest, ...model.input], test.x))
  const acc = E.isRight(logits) && test.y instanceof Int32Array ? accuracy(logits.right.data as Float32Array, test.y, model.output[model.output.length - 1] ?? 1) : null
  return E.right({ traces, testAccuracy: acc })
}

/** Fraction of rows whose arg-max matches the label. @category utils */
export const accuracy = (logits: Float32Array, labels: Int32Array, classes: number): number => {
  let right = 0
  for (let i = 0; i < labels.length; i++) {
    let best = 0
    for (let j = 1; j < classes; j++) if (logits[i * classes + j]! > logits[i * classes + best]!) best = j
    right += best === labels[i] ? 1 : 0
  }
  return right / labels.length
}
