/**
 * What `compile` gives back: a model of pure functions over immutable values
 * (`init`, `apply`, `valueAndGrad`, and the training step's `train`, which
 * `Train.step` calls), with the shapes it was compiled for.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Layer, Model } from 'gradtrace/core'
 * const model = Model.compile(Layer.serial(Layer.dense(4, { activation: 'tanh' }), Layer.dense(2)), { input: [3], loss: 'mse' })
 * assert.ok(E.isRight(model))
 * const m: Model.Model = model.right
 * assert.deepStrictEqual(m.params.map((p) => p.path), ['serial/0/dense/W', 'serial/0/dense/b', 'serial/1/dense/W', 'serial/1/dense/b'])
 * const y = m.apply(m.init(Key.key(0)), { shape: [5, 3], data: new Float32Array(15) })
 * assert.ok(E.isRight(y) && y.right.shape.join() === '5,2')
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import type { Key } from '../core/Key'
import type { Params } from '../core/Params'
import type { ReadonlyFloat32Array, Shape, Tensor } from '../core/Tensor'
import type { Kind, LayerSpec } from '../layer/Layer'
import type { Loss } from '../loss/Loss'
import type { AnyTransformKind, GradientTransformation } from '../optim/Transform'
import type { StepTrace, TraceLevel } from '../trace/Trace'
import type { Runtime } from '../wasm/Runtime'

/** A batch: inputs (B, ...input) and targets: integer labels (B) or a tensor shaped like the output. @category model */
export interface Batch {
  readonly x: Tensor
  readonly y: Tensor | Int32Array
}

/** A user's kind: a layer kind or an optimizer transformation kind. @category model */
export type UserKind = Kind | AnyTransformKind

/** @category model */
export interface CompileOptions {
  readonly input: ReadonlyArray<number>
  readonly loss: Loss
  /** the kernels to run on (default: the shared portable build, src/model/runtime.ts) */
  readonly runtime?: Runtime
  /** default trace level of valueAndGrad and training steps (default 'norms') */
  readonly trace?: TraceLevel
  /** user-defined kinds, besides the built-in ones: layer kinds, and optimizer transformation kinds */
  readonly kinds?: ReadonlyArray<UserKind>
}

/** @category model */
export interface ValueAndGrad {
  readonly loss: number
  readonly grads: Params
  readonly trace: StepTrace
}

/** What one training step hands the model. @category model */
export interface TrainInputs {
  readonly params: Params
  /** optimizer state: per parameter, one array per slot */
  readonly opt: ReadonlyArray<ReadonlyArray<ReadonlyFloat32Array>>
  readonly optimizer: GradientTransformation
  /** the 1-based step (schedules and bias corrections read it) */
  readonly step: number
  /** the key of this step's dropout masks */
  readonly key: Key
  readonly trace: TraceLevel
  /** the model's state (batch norm's running statistics; `initState()` for a fresh one); absent: the initial state */
  readonly state?: Params
}

/** What one training step gives back: the updated state, whether or not it is finite (the step's policy decides). @category model */
export interface Trained {
  readonly loss: number
  readonly params: Params
  readonly opt: ReadonlyArray<ReadonlyArray<Float32Array>>
  readonly trace: StepTrace
  /** non-finite values seen: the loss, the gradients, the updated parameters */
  readonly nonFinite: number
  /** the model's state after the step (running statistics; empty when no layer keeps any) */
  readonly state: Params
}

/** How many plans and graphs a model keeps now (each bounded: src/model/plans.ts). @category model */
export interface Cached {
  readonly plans: number
  readonly graphs: number
}

/** @category model */
export interface Model {
  readonly spec: LayerSpec
  readonly input: Shape
  readonly output: Shape
  readonly loss: Loss
  readonly trace: TraceLevel
  /** path and shape of each parameter, in order */
  readonly params: ReadonlyArray<{ readonly path: string; readonly shape: Shape }>
  readonly runtime: Runtime
  /** the user kinds it was compiled with (layer and transformation kinds) */
  readonly kinds: ReadonlyArray<UserKind>
  readonly init: (key: Key) => Params
  /** path and shape of each state buffer (batch norm's running mean and variance), in order; not parameters: no gradient, no optimizer */
  readonly state: ReadonlyArray<{ readonly path: string; readonly shape: Shape }>
  /** a fresh state: running means 0, running variances 1 */
  readonly initState: () => Params
  /** inference: layers with a state read it (batch norm normalises with its running statistics); no state given: the initial one */
  readonly apply: (params: Params, x: Tensor, opts?: { readonly state?: Params }) => E.Either<GradtraceError, Tensor>
  readonly valueAndGrad: (
    params: Params,
    batch: Batch,
    opts?: { readonly key?: Key; readonly trace?: TraceLevel; readonly state?: Params },
  ) => E.Either<GradtraceError, ValueAndGrad>
  /** low level: one training step's kernels (`Train.step` calls it and applies its policy); every input is checked first */
  readonly train: (batch: Batch, inputs: TrainInputs) => E.Either<GradtraceError, Trained>
  /** the plans and graphs it keeps now */
  readonly cached: () => Cached
}
