/**
 * `gradtrace run <spec.json>`: a network, its data and training settings in
 * one JSON file, decoded with io-ts (a bad or unknown field is named by its
 * path), checked against the data before any training (#9: an input that
 * did not match the data's features trained on misaligned rows), then
 * trained with a trace per step; the report and the traces are written.
 * `exampleRunFile` is the file `gradtrace run --help` shows.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeWith, parseJson } from '../core/decoding'
import { OptimizerCodec } from '../codec/optimizer'
import { layerSpecCodec, ShapeCodec } from '../codec/spec'
import { strict } from '../core/strict'
import { TraceLevelCodec } from '../codec/trace'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { key } from '../core/Key'
import { size, unsafeTensor } from '../core/Tensor'
import { type Dataset, features, standardize, trainTestSplit } from '../data/Dataset'
import { digits } from '../data/digits'
import { defaultFashionMnistDir, fashionMnist, fashionMnistSmall } from '../data/idx-node'
import { compile, type Model } from '../model/compile'
import type { StepTrace } from '../trace/Trace'
import { fit } from '../train/fit'
import { LossCodec } from '../loss/Loss'
import { init, type TrainState } from '../train/step'

/** @category codecs */
export const RunFile = strict(
  t.type({
    format: t.literal('gradtrace-run'),
    version: t.literal(1),
    network: t.type({ input: ShapeCodec, loss: LossCodec, spec: layerSpecCodec() }),
    data: t.intersection([
      t.type({ source: t.keyof({ digits: null, 'fashion-mnist-small': null, 'fashion-mnist': null }) }),
      t.partial({ dir: t.string, testFraction: t.number, standardize: t.boolean }),
    ]),
    training: t.intersection([
      t.type({ optimizer: OptimizerCodec, epochs: t.number, batchSize: t.number }),
      t.partial({ seed: t.number, trace: TraceLevelCodec, every: t.number }),
    ]),
  }),
  'RunFile',
)
/** @category model */
export type RunFile = t.TypeOf<typeof RunFile>

/** The run file `gradtrace run --help` shows: complete, and it runs as it is (the CLI test runs it). @category constructors */
export const exampleRunFile = {
  format: 'gradtrace-run',
  version: 1,
  network: {
    input: [64],
    loss: 'softmaxCrossEntropy',
    spec: { kind: 'serial', layers: [{ kind: 'dense', units: 64, activation: 'tanh' }, { kind: 'dense', units: 10 }] },
  },
  data: { source: 'digits', testFraction: 0.2 },
  training: { optimizer: { kind: 'adam', lr: 0.003 }, epochs: 5, batchSize: 32, seed: 0, trace: 'norms' },
} as const

/** Decodes a run file's text; the error names the field. @category codecs */
export const decodeRunFile = (text: string): E.Either<GradtraceError, RunFile> => E.chain(decodeWith(RunFile))(parseJson(text))

const loadData = (d: RunFile['data']): E.Either<GradtraceError, { train: Dataset; test: Dataset }> => {
  if (d.source === 'digits') return trainTestSplit(d.standardize === false ? digits() : standardize(digits()), 0, d.testFraction ?? 0.2)
  const r = d.source === 'fashion-mnist-small' ? fashionMnistSmall(d.dir) : fashionMnist(d.dir ?? defaultFashionMnistDir)
  return E.map((tt: { train: Dataset; test: Dataset }) => ({ train: tt.train, test: tt.test }))(r)
}

const positiveInt = (path: string, v: number | undefined, what = 'a positive integer'): GradtraceError | null =>
  v === undefined || (Number.isSafeInteger(v) && v > 0) ? null : invalidArgument(path, `must be ${what}, got ${v}`)

/** The settings that need no data: counts, seed, split. */
const checkSettings = (rf: RunFile): GradtraceError | null => {
  const tr = rf.training
  const tf = rf.data.testFraction
  return (
    positiveInt('training.epochs', tr.epochs) ??
    positiveInt('training.batchSize', tr.batchSize) ??
    positiveInt('training.every', tr.every) ??
    (tr.seed === undefined || (Number.isInteger(tr.seed) && tr.seed >= 0 && tr.seed <= 0xffffffff)
      ? null
      : invalidArgument('training.seed', `must be an integer in [0, 2^32), got ${tr.seed}`)) ??
    (tf === undefined || (tf > 0 && tf < 1) ? null : invalidArgument('data.testFraction', `must lie in (0, 1), got ${tf}`))
  )
}

/** The network must fit the data: one example's features are the input, one output unit per class, a batch no larger than the training set. */
const checkFit = (rf: RunFile, model: Model, train: Dataset): GradtraceError | null => {
  const want = features(train), got = size(model.input)
  const data = `the ${rf.data.source} data`
  if (got !== want) return invalidArgument('network.input', `[${model.input.join(', ')}] is ${got} features per example, but ${data} has ${want} (shape [${train.shape}])`)
  const classes = train.classes
  const out = model.output[model.output.length - 1] ?? 1
  if (classes !== undefined && rf.network.loss !== 'softmaxCrossEntropy')
    return invalidArgument('network.loss', `${data} has class labels (${classes} classes): use "softmaxCrossEntropy", not "${rf.network.loss}"`)
  if (classes !== undefined && (model.output.length !== 1 || out !== classes))
    return invalidArgument('network.spec', `the network's output is [${model.output.join(', ')}], but ${data} has ${classes} classes: the last layer needs ${classes} units`)
  const n = train.x.length / want
  if (rf.training.batchSize > n) return invalidArgument('training.batchSize', `must be at most the ${n} training examples, got ${rf.training.batchSize}`)
  return null
}

/** A run ready to train: everything checked, data loaded, model compiled, state initialised. @category model */
export interface Prepared {
  readonly rf: RunFile
  readonly model: Model
  readonly train: Dataset
  readonly test: Dataset
  readonly state: TrainState
}

/** Everything that can fail before training, checked without training: settings, data, spec, their fit. @category constructors */
export const prepare = (rf: RunFile): E.Either<GradtraceError, Prepared> => {
  const bad = checkSettings(rf)
  if (bad) return E.left(bad)
  const data = loadData(rf.data)
  if (E.isLeft(data)) return data
  const m = compile(rf.network.spec, { input: rf.network.input, loss: rf.network.loss, trace: rf.training.trace ?? 'norms' })
  if (E.isLeft(m)) return m
  const misfit = checkFit(rf, m.right, data.right.train)
  if (misfit) return E.left(misfit)
  const s0 = init(m.right, rf.training.optimizer, key(rf.training.seed ?? 0))
  if (E.isLeft(s0)) return s0
  return E.right({ rf, model: m.right, train: data.right.train, test: data.right.test, state: s0.right })
}

/** Trains a prepared run; traces are kept every `every` steps (default: about 100 per run). @category constructors */
export const runPrepared = async (
  p: Prepared,
  onProgress: (fraction: number, note: string) => void,
): Promise<E.Either<GradtraceError, { readonly traces: ReadonlyArray<StepTrace>; readonly testAccuracy: number | null }>> => {
  const { model, train, test } = p
  const tr = p.rf.training
  const n = train.x.length / size(model.input)
  const x = unsafeTensor([n, ...model.input], train.x)
  const stepsTotal = tr.epochs * Math.floor(n / tr.batchSize)
  const every = tr.every ?? Math.max(1, Math.floor(stepsTotal / 100))
  const traces: StepTrace[] = []
  let state = p.state
  for await (const q of fit(model, tr.optimizer, p.state, { x, y: train.y as Int32Array }, { epochs: tr.epochs, batchSize: tr.batchSize, every })) {
    if (q.error) return E.left(q.error)
    traces.push(q.trace)
    state = q.state
    onProgress(q.step / stepsTotal, `epoch ${q.epoch} loss ${q.loss.toFixed(4)}`)
  }
  const nTest = test.x.length / size(model.input)
  const logits = model.apply(state.params, unsafeTensor([nTest, ...model.input], test.x), state.state ? { state: state.state } : {}) // running statistics (#12)
  const classes = model.output[model.output.length - 1] ?? 1
  const acc = E.isRight(logits) && test.y instanceof Int32Array ? accuracy(logits.right.data as Float32Array, test.y, classes) : null
  return E.right({ traces, testAccuracy: acc })
}

/** Prepares and trains what a run file describes. @category constructors */
export const runFile = async (
  rf: RunFile,
  onProgress: (fraction: number, note: string) => void,
): Promise<E.Either<GradtraceError, { readonly traces: ReadonlyArray<StepTrace>; readonly testAccuracy: number | null }>> => {
  const p = prepare(rf)
  return E.isLeft(p) ? p : runPrepared(p.right, onProgress)
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
