/**
 * What the recurrent layers share (#4): their common spec fields, the shape
 * check (a sequence input [T, F], or [T, F + 1] with a mask channel), and the
 * plumbing around a scan: batch-first input (B, T, F) to time-major (T, B, F),
 * the mask channel split off, the last state or every state out, and the
 * gradients back the same way.
 *
 * Masks: with `mask: true` the LAST input feature is the mask (1 on real
 * steps, 0 on padding; any non-zero counts as real). On a masked step the
 * state carries over (h_t = h_{t-1}, c_t = c_{t-1}), so the last state is the
 * state at each sequence's last real step, and errors pass masked steps
 * unchanged. The mask channel gets no gradient. (`Seq.toBatch` builds such
 * inputs from the time-major tasks.)
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { outShapeOf } from './common'
 * assert.deepStrictEqual(outShapeOf({ kind: 'lstm', units: 8 }, [100, 2], 'lstm'), E.right([8])) // the last state
 * assert.deepStrictEqual(outShapeOf({ kind: 'lstm', units: 8, returnSequences: true }, [100, 2], 'lstm'), E.right([100, 8]))
 * const flat = outShapeOf({ kind: 'lstm', units: 8 }, [100], 'serial/0/lstm') // not a sequence
 * assert.ok(E.isLeft(flat) && flat.left._tag === 'InvalidArgument' && flat.left.path === 'serial/0/lstm')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument, shapeMismatch } from '../../core/Error'
import type { Shape } from '../../core/Tensor'
import * as Ops from '../../plan/ops'
import type { Buf, Op } from '../../plan/Program'
import * as R from '../../plan/recurrentOps'
import { InitSpec } from '../init'
import type { EmitCtx, StepSlice } from '../Layer'

/** Fields every recurrent layer has. @category codecs */
export const CommonFields = t.partial({
  /** output every state [T, H] (default false: the last state [H]) */
  returnSequences: t.boolean,
  /** BPTT(k): cut the recurrent error signal every k steps back from the last (default: full BPTT) */
  truncate: t.number,
  /** the last input feature is a mask (1 real step, 0 padding) */
  mask: t.boolean,
  /** input weights (default Glorot uniform) */
  init: InitSpec,
  /** recurrent weights (default orthogonal(1)) */
  recurrentInit: InitSpec,
})

/** @category model */
export interface CommonSpec {
  readonly kind: string
  readonly units: number
  readonly returnSequences?: boolean
  readonly truncate?: number
  readonly mask?: boolean
}

/** Checks units, truncation and the input rank; the output shape. @category utils */
export const outShapeOf = (spec: CommonSpec, inShape: Shape, path: string): E.Either<GradtraceError, Shape> => {
  if (!Number.isInteger(spec.units) || spec.units < 1) return E.left(invalidArgument(`${path}.units`, `must be a positive integer, got ${spec.units}`))
  if (spec.truncate !== undefined && !(Number.isInteger(spec.truncate) && spec.truncate >= 1))
    return E.left(invalidArgument(`${path}.truncate`, `the truncation length must be an integer >= 1 (BPTT(k) keeps k steps), got ${spec.truncate}`))
  if (inShape.length !== 2)
    return E.left(invalidArgument(path, `a ${spec.kind} layer needs a sequence input of rank 2, [T, F] (batches are (B, T, F)); got [${inShape.join(', ')}] (rank ${inShape.length})`))
  const [T = 0, F = 0] = inShape
  if (spec.mask && F < 2) return E.left(shapeMismatch(path, [T, 2], inShape, 'with mask: true the last input feature is the mask, so F needs >= 2'))
  return E.right(spec.returnSequences ? [T, spec.units] : [spec.units])
}

/** Input features without the mask channel. @category utils */
export const featuresOf = (spec: CommonSpec, inShape: Shape): number => (inShape[1] ?? 1) - (spec.mask ? 1 : 0)

/** The buffers and ops around a scan. @category model */
export interface SeqIO {
  readonly T: number
  readonly B: number
  readonly F: number
  readonly H: number
  /** time-major inputs (T, B, F) and the mask (T, B) or null */
  readonly Xt: Buf
  readonly M: Buf | null
  /** states (T+1, B, H): h_{-1} = 0, h_0 .. h_{T-1} */
  readonly S: Buf
  /** total dL/dh_t (T, B, H) */
  readonly dH: Buf
  readonly y: Buf
  readonly dy: Buf
  /** input transpose (and mask split) */
  readonly input: ReadonlyArray<Op>
  /** the output from S */
  readonly output: ReadonlyArray<Op>
  /** dy into dH */
  readonly outputBwd: ReadonlyArray<Op>
  /** dx from dG (rows T*B, cols) through Wx (F, cols): null when no dx is needed */
  readonly inputBwd: (dG: Buf, Wx: Buf, cols: number) => ReadonlyArray<Op>
  readonly dhSlice: StepSlice
  readonly hSlice: StepSlice
}

/** Allocates the shared buffers and builds the plumbing ops. @category utils */
export const seqIO = (spec: CommonSpec, ctx: EmitCtx): SeqIO => {
  const T = ctx.inShape[0] ?? 1
  const Fin = ctx.inShape[1] ?? 1
  const F = featuresOf(spec, ctx.inShape)
  const B = ctx.batch
  const H = spec.units
  const Xt = ctx.buf('xt', T * B * F)
  const M = spec.mask ? ctx.buf('mask', T * B) : null
  const S = ctx.buf('h', (T + 1) * B * H)
  const dH = ctx.grad('dh', T * B * H)
  const y = ctx.buf('y', spec.returnSequences ? B * T * H : B * H)
  const dy = ctx.grad('dy', spec.returnSequences ? B * T * H : B * H)
  const input: Op[] = [R.transposeSeq(Xt, 0, ctx.x, 0, B, T, F, F, Fin, false)]
  if (M) input.push(R.transposeSeq(M, 0, ctx.x, F, B, T, 1, 1, Fin, false))
  const output = spec.returnSequences ? [R.transposeSeq(y, 0, S, B * H, T, B, H, H, H, false)] : [Ops.copy(y, S, B * H, 0, T * B * H)]
  const outputBwd = spec.returnSequences ? [R.transposeSeq(dH, 0, dy, 0, B, T, H, H, H, true)] : [Ops.axpyAt(dH, dy, B * H, (T - 1) * B * H, 0, 1)]
  const dx = ctx.dx
  const inputBwd = (dG: Buf, Wx: Buf, cols: number): ReadonlyArray<Op> => {
    if (!dx) return []
    const dXt = ctx.grad('dxt', T * B * F)
    return [Ops.gemmNT(dXt, dG, Wx, T * B, cols, F, false), R.transposeSeq(dx, 0, dXt, 0, T, B, F, Fin, F, true)]
  }
  const step = B * H
  return {
    T, B, F, H, Xt, M, S, dH, y, dy, input, output, outputBwd, inputBwd,
    dhSlice: { buf: dH, stepFloats: step, offset: 0, n: step },
    hSlice: { buf: S, stepFloats: step, offset: step, n: step },
  }
}

/** Gate slices of a gate-major buffer A (T, nG, B, H), by name. @category utils */
export const gateSlices = (A: Buf, names: ReadonlyArray<string>, B: number, H: number): ReadonlyArray<{ readonly name: string } & StepSlice> =>
  names.map((name, g) => ({ name, buf: A, stepFloats: names.length * B * H, offset: g * B * H, n: B * H }))
