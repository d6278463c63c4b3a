/**
 * What a model checks of every call before any byte reaches Wasm memory:
 * parameters, optimizer state and the batch, each against the shapes the
 * model was compiled for. A mismatch is an error value naming the field; a
 * call that passes reads exactly the floats it was handed (#9: state arrays
 * of the wrong length read stale memory).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { checkOpt, checkParams } from './checks'
 * const declared = [{ path: 'dense/W', shape: [2, 3] }, { path: 'dense/b', shape: [3] }]
 * const params = [{ path: 'dense/W', shape: [2, 3], data: new Float32Array(6) }, { path: 'dense/b', shape: [3], data: new Float32Array(3) }]
 * assert.strictEqual(checkParams(declared, params), null)
 * // Adam keeps 2 slots per parameter; a state of 1 float per slot would read stale memory
 * const adamState = [[new Float32Array(6), new Float32Array(6)], [new Float32Array(3), new Float32Array(3)]]
 * assert.strictEqual(checkOpt(declared, 2, adamState), null)
 * assert.deepStrictEqual(checkOpt(declared, 2, [[new Float32Array(6), new Float32Array(1)], adamState[1]]), {
 *   _tag: 'ShapeMismatch', path: 'state.opt[0] (dense/W)[1]', what: 'optimizer state length', expected: [6], actual: [1],
 * })
 * // state made for SGD with momentum (1 slot) handed to Adam
 * const momentum = checkOpt(declared, 2, [[new Float32Array(6)], [new Float32Array(3)]])
 * assert.ok(momentum?._tag === 'InvalidArgument' && momentum.path === 'state.opt[0] (dense/W)' && /another optimizer/.test(momentum.message))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../core/Error'
import type { Params } from '../core/Params'
import { type Shape, size, type Tensor } from '../core/Tensor'
import type { Loss, TargetKind } from '../loss/Loss'

/** A parameter as a model declares it. @category model */
export interface Declared {
  readonly path: string
  readonly shape: Shape
}

/** A Float32Array, from this realm or another (a worker's, a vm context's). */
const isF32 = (u: unknown): u is Float32Array => ArrayBuffer.isView(u) && Object.prototype.toString.call(u) === '[object Float32Array]'

/** The first parameter that does not match its declaration, as an error value, or null. @category utils */
export const checkParams = (slots: ReadonlyArray<Declared>, ps: Params, at = 'params'): GradtraceError | null => {
  if (!Array.isArray(ps)) return invalidArgument(at, 'must be an array of parameters')
  if (ps.length !== slots.length) return invalidArgument(at, `expected ${slots.length} parameters, got ${ps.length}`)
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!, p = ps[i]!
    if (typeof p !== 'object' || p === null || !Array.isArray(p.shape)) return invalidArgument(`${at}[${i}]`, `expected ${s.path} { path, shape, data }`)
    if (p.path !== s.path) return invalidArgument(`${at}[${i}].path`, `expected ${s.path}, got ${p.path}`)
    if (p.shape.join() !== s.shape.join()) return shapeMismatch(s.path, s.shape, p.shape, 'parameter shape')
    if (!isF32(p.data)) return invalidArgument(`${s.path}.data`, 'must be a Float32Array')
    if (p.data.length !== size(s.shape)) return shapeMismatch(s.path, [size(s.shape)], [p.data.length], 'data length')
  }
  return null
}

const ANOTHER = 'state made for another optimizer? (the optimizer keeps its state in that many arrays per parameter; start with Train.init or Train.fromParams)'

/**
 * The first optimizer state array that does not fit: per parameter `slots`
 * arrays (the optimizer's state slots), each a Float32Array of the parameter's
 * size. State made for another optimizer has another slot count.
 * @category utils
 */
export const checkOpt = (params: ReadonlyArray<Declared>, slots: number, opt: unknown): GradtraceError | null => {
  if (!Array.isArray(opt)) return invalidArgument('state.opt', 'must be an array: per parameter, one Float32Array per optimizer state slot')
  if (opt.length !== params.length) return invalidArgument('state.opt', `expected state for ${params.length} parameters, got ${opt.length}`)
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!, s: unknown = opt[i]
    const at = `state.opt[${i}] (${p.path})`
    if (!Array.isArray(s)) return invalidArgument(at, 'must be an array of Float32Array slots')
    if (s.length !== slots) return invalidArgument(at, `${slots} state slot(s) expected, the state has ${s.length}: ${ANOTHER}`)
    for (let j = 0; j < slots; j++) {
      const a: unknown = s[j]
      if (!isF32(a)) return invalidArgument(`${at}[${j}]`, 'must be a Float32Array')
      if (a.length !== size(p.shape)) return shapeMismatch(`${at}[${j}]`, [size(p.shape)], [a.length], 'optimizer state length')
    }
  }
  return null
}

/** What a batch holds: its rows, and whether its targets are labels or a tensor. @category model */
export interface BatchShape {
  readonly rows: number
  readonly targets: TargetKind
}

const TENSOR = 'tensor { shape, data: Float32Array }'

/** x against the input shape: its rows, or the error naming `${at}.x`. */
const checkX = (input: Shape, x: Tensor, at: string): E.Either<GradtraceError, number> => {
  if (typeof x !== 'object' || x === null || !Array.isArray(x.shape) || !isF32(x.data)) return E.left(invalidArgument(`${at}.x`, `must be a ${TENSOR}`))
  if (x.shape.length !== input.length + 1) {
    const what = `shape after the batch axis (x is [B, ${input.join(', ')}], batch first; got [${x.shape.join(', ')}])`
    return E.left(shapeMismatch(`${at}.x`, input, x.shape.slice(1), what))
  }
  const B = x.shape[0] ?? 0
  const input1 = [B, ...input]
  if (!Number.isInteger(B) || B < 1 || x.shape.join() !== input1.join()) return E.left(shapeMismatch(`${at}.x`, input1, x.shape, 'input shape (batch first)'))
  if (x.data.length !== B * size(input)) return E.left(shapeMismatch(`${at}.x`, [B * size(input)], [x.data.length], 'data length'))
  return E.right(B)
}

/** Integer labels: one per output row, each a class of the last output axis, and a loss that takes labels. */
const checkLabels = (output: Shape, loss: Loss, B: number, y: Int32Array, at: string): GradtraceError | null => {
  const classes = output[output.length - 1] ?? 1
  const rows = B * (size(output) / classes)
  if (loss !== 'softmaxCrossEntropy') return invalidArgument(`${at}.y`, `integer labels need the softmaxCrossEntropy loss; ${loss} needs a target tensor`)
  if (y.length !== rows) return shapeMismatch(`${at}.y`, [rows], [y.length], 'labels')
  const bad = y.findIndex((l) => l < 0 || l >= classes)
  return bad >= 0 ? invalidArgument(`${at}.y[${bad}]`, `label ${y[bad]} is out of range [0, ${classes})`) : null
}

/** A target tensor shaped (B, ...output). */
const checkTargets = (output: Shape, B: number, y: Tensor, at: string): GradtraceError | null => {
  const tensor = typeof y === 'object' && y !== null && isF32(y.data) && Array.isArray(y.shape)
  if (!tensor) return invalidArgument(`${at}.y`, `must be an Int32Array of labels or a ${TENSOR}`)
  if (y.shape.join() !== [B, ...output].join()) return shapeMismatch(`${at}.y`, [B, ...output], y.shape, 'target shape')
  if (y.data.length !== B * size(output)) return shapeMismatch(`${at}.y`, [B * size(output)], [y.data.length], 'data length')
  return null
}

/** Checks a batch against the model's input and output shapes and its loss (no `y`: inputs only). @category utils */
export const checkBatch = (
  input: Shape,
  output: Shape,
  loss: Loss,
  b: { readonly x: Tensor; readonly y?: Tensor | Int32Array },
  at = 'batch',
): E.Either<GradtraceError, BatchShape> => {
  const B = checkX(input, b.x, at)
  if (E.isLeft(B) || b.y === undefined) return E.map((rows: number): BatchShape => ({ rows, targets: 'dense' }))(B)
  const labels = b.y instanceof Int32Array
  const bad = b.y instanceof Int32Array ? checkLabels(output, loss, B.right, b.y, at) : checkTargets(output, B.right, b.y, at)
  return bad ? E.left(bad) : E.right({ rows: B.right, targets: labels ? 'labels' : 'dense' })
}
