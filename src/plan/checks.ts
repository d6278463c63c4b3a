/**
 * What a model checks of every call before any byte reaches Wasm memory:
 * parameters, optimizer state and the batch, each against the shapes the
 * model was compiled for. A mismatch is an error value naming the field; a
 * call that passes reads exactly the floats it was handed (#9: state arrays
 * of the wrong length read stale memory).
 *
 * @example
 * import { checkOpt } from './checks'
 * // checkOpt(model.params, 2, state.opt) -> null, or an error naming e.g. 'state.opt[3] (serial/2/dense/W)'
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../core/Error'
import type { Params } from '../core/Params'
import { type Shape, size, type Tensor } from '../core/Tensor'
import type { Loss, TargetKind } from '../train/loss'

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
    if (typeof p !== 'object' || p === null || !Array.isArray(p.shape)) return invalidArgument(`${at}[${i}]`, `expected the parameter ${s.path} { path, shape, data }`)
    if (p.path !== s.path) return invalidArgument(`${at}[${i}].path`, `expected ${s.path}, got ${p.path}`)
    if (p.shape.join() !== s.shape.join()) return shapeMismatch(s.path, s.shape, p.shape, 'parameter shape')
    if (!isF32(p.data)) return invalidArgument(`${s.path}.data`, 'must be a Float32Array')
    if (p.data.length !== size(s.shape)) return shapeMismatch(s.path, [size(s.shape)], [p.data.length], 'data length')
  }
  return null
}

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
    if (s.length !== slots) return invalidArgument(at, `the optimizer keeps ${slots} state slot(s) per parameter, the state has ${s.length}: state made for another optimizer? (start with Train.init or Train.fromParams)`)
    for (let j = 0; j < slots; j++) {
      const a: unknown = s[j]
      if (!isF32(a)) return invalidArgument(`${at}[${j}]`, 'must be a Float32Array')
      if (a.length !== size(p.shape)) return shapeMismatch(`${at}[${j}]`, [size(p.shape)], [a.length], 'optimizer state length')
    }
  }
  return null
}

/** Checks a batch against the model's input and output shapes and its loss. @category utils */
export const checkBatch = (input: Shape, output: Shape, loss: Loss, b: { x: Tensor; y?: Tensor | Int32Array }, at = 'batch'): E.Either<GradtraceError, { rows: number; targets: TargetKind }> => {
  if (typeof b.x !== 'object' || b.x === null || !Array.isArray(b.x.shape) || !isF32(b.x.data)) return E.left(invalidArgument(`${at}.x`, 'must be a tensor { shape, data: Float32Array }'))
  const B = b.x.shape[0] ?? 0
  const feat = b.x.shape.slice(1)
  if (!Number.isInteger(B) || B < 1 || feat.join() !== input.join()) return E.left(shapeMismatch(`${at}.x`, [B, ...input], b.x.shape, 'input shape (batch first)'))
  if (b.x.data.length !== B * size(input)) return E.left(shapeMismatch(`${at}.x`, [B * size(input)], [b.x.data.length], 'data length'))
  if (b.y === undefined) return E.right({ rows: B, targets: 'dense' })
  const classes = output[output.length - 1] ?? 1
  const rows = B * (size(output) / classes)
  if (b.y instanceof Int32Array) {
    if (loss !== 'softmaxCrossEntropy') return E.left(invalidArgument(`${at}.y`, `integer labels need the softmaxCrossEntropy loss; ${loss} needs a target tensor`))
    if (b.y.length !== rows) return E.left(shapeMismatch(`${at}.y`, [rows], [b.y.length], 'labels'))
    const bad = b.y.findIndex((l) => l < 0 || l >= classes)
    if (bad >= 0) return E.left(invalidArgument(`${at}.y[${bad}]`, `label ${b.y[bad]} is out of range [0, ${classes})`))
    return E.right({ rows: B, targets: 'labels' })
  }
  if (typeof b.y !== 'object' || b.y === null || !isF32(b.y.data) || !Array.isArray(b.y.shape))
    return E.left(invalidArgument(`${at}.y`, 'must be an Int32Array of labels or a tensor { shape, data: Float32Array }'))
  if (b.y.shape.join() !== [B, ...output].join()) return E.left(shapeMismatch(`${at}.y`, [B, ...output], b.y.shape, 'target shape'))
  if (b.y.data.length !== B * size(output)) return E.left(shapeMismatch(`${at}.y`, [B * size(output)], [b.y.data.length], 'data length'))
  return E.right({ rows: B, targets: 'dense' })
}
