/**
 * A network for one batch size as the plan sees it: symbolic buffers, the
 * forward ops, the backward ops (in the order they run), the parameters with
 * their gradient buffers, and the probes the trace reads. The model builds
 * it from a spec (src/model/graph.ts); a plan adds the loss, the trace and
 * the optimizer to it (./assemble.ts).
 *
 * @example
 * import * as assert from 'node:assert'
 * import type { Port } from './Graph'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * const port: Port = { _tag: 'port', shape: [3], y: alloc.buf('y', 'act', 12), dy: alloc.buf('dy', 'grad', 12) }
 * assert.strictEqual(port.y.floats, 12) // a batch of 4 examples of 3 features
 *
 * @since 0.1.0
 */
import type { Shape } from '../core/Tensor'
import type { ActName } from '../wasm/abi'
import type { Buf, Op } from './Program'

/** One tensor: its feature shape, its buffer and the buffer its gradient accumulates into (null: none needed). @category model */
export interface Port {
  readonly _tag: 'port'
  readonly shape: Shape
  readonly y: Buf
  readonly dy: Buf | null
}

/** A per-time-step buffer: the values of step t are the `n` floats from `t * stepFloats + offset`. @category model */
export interface StepSlice {
  readonly buf: Buf
  readonly stepFloats: number
  readonly offset: number
  readonly n: number
}

/** Per-time-step probes of a recurrent layer (T steps). @category model */
export interface TimeProbes {
  readonly T: number
  /** dL/dh_t (the total error signal reaching the state at step t) */
  readonly dh: StepSlice
  /** dL/dc_t (LSTM cell state) */
  readonly dc?: StepSlice
  /** the state h_t, for its norm */
  readonly h: StepSlice
  /** gate activations per step, by name (input, forget, output / update, reset) */
  readonly gates?: ReadonlyArray<{ readonly name: string } & StepSlice>
}

/**
 * A 2-D recurrent layer's grid (#13): its `time` probe runs over (direction, position) with positions in
 * wavefront order (./grid.ts); this says how to lay them out on the I x J grid. @category model
 */
export interface GridProbes {
  readonly I: number
  readonly J: number
  /** the scans, in order: the corner each starts from and its flip code (bit 0 reverses i, bit 1 j) */
  readonly directions: ReadonlyArray<{ readonly name: string; readonly flip: number }>
  /** gate activations by name: one region per (direction, anti-diagonal), direction-major */
  readonly gates: ReadonlyArray<{ readonly name: string; readonly buf: Buf; readonly regions: ReadonlyArray<{ readonly offset: number; readonly n: number }> }>
}

/** Where the trace should look inside a layer. @category model */
export interface Probes {
  /** per-time-step statistics, for recurrent layers */
  readonly time?: TimeProbes
  /** the grid of a 2-D recurrent layer (with `time` over its positions) */
  readonly grid?: GridProbes
  /** pre-activation z and dL/dz, for layers with a fused activation */
  readonly pre?: { readonly z: Buf; readonly dz: Buf }
  /** the activation applied (for saturation and dead-unit fractions), its input and output */
  readonly act?: { readonly fn: ActName; readonly z: Buf; readonly y: Buf }
}

/** A parameter's buffers and its place. @category model */
export interface ParamBuf {
  /** `<layer path>/<name>`, e.g. 'serial/0/dense/W' */
  readonly path: string
  readonly layer: string
  readonly name: string
  readonly shape: Shape
  readonly value: Buf
  readonly grad: Buf
}

/** What the trace reads for one layer. @category model */
export interface Probe<P extends ParamBuf = ParamBuf> extends Probes {
  readonly path: string
  readonly kind: string
  readonly out: Port
  /** the layer's input (its gradient buffer holds dL/dx), or null when none is needed */
  readonly input: Port | null
  readonly params: ReadonlyArray<P>
}

/** The layer that emitted an op: its path, its kind, and whether the kind is a user's (passed to `compile` in `kinds`). @category model */
export interface Owner {
  readonly path: string
  readonly kind: string
  readonly user: boolean
}

/**
 * A buffer a layer carries from call to call in the model's state, not in its parameters
 * (batch norm's running statistics, #12): copied in before every call (its `init` value when
 * the call brings none) and read out after a training step. @category model
 */
export interface StateBuf {
  /** `<layer path>/<name>`, e.g. 'serial/1/batchNorm/mean' */
  readonly path: string
  readonly buf: Buf
  readonly init: number
}

/** @category model */
export interface Graph<P extends ParamBuf = ParamBuf> {
  readonly batch: number
  readonly buffers: ReadonlyArray<Buf>
  readonly input: Buf
  readonly output: Port
  readonly params: ReadonlyArray<P>
  readonly forward: ReadonlyArray<Op>
  readonly backward: ReadonlyArray<Op>
  /** who emitted each op of `forward` and of `backward`, index for index */
  readonly owners: { readonly forward: ReadonlyArray<Owner>; readonly backward: ReadonlyArray<Owner> }
  readonly probes: ReadonlyArray<Probe<P>>
  /** buffers carried between calls (absent: none) */
  readonly state?: ReadonlyArray<StateBuf>
}
