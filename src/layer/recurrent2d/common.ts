/**
 * What the 2-D recurrent layers share (#13): their spec fields, the shape
 * check (an image [rows, cols, F] read in blocks of bi x bj pixels, Graves &
 * Schmidhuber 2009's hierarchical subsampling), the scan directions, and the
 * plumbing around the scans: the image read in wavefront order per direction,
 * the output (the grid of states, or each direction's last state: the corner
 * its scan ends in) summed or concatenated over directions, and the
 * gradients back the same way.
 *
 * Directions: 1 scans from the top-left corner (h(i, j) from h(i-1, j) and
 * h(i, j-1)); 2 adds the scan from the bottom-right; 4 all four corners
 * (Graves, Fernandez & Schmidhuber 2007), in the order tl, bl, tr, br.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { gridShapeOf } from './common'
 * // 28 x 28 digits in 4 x 4 blocks: a 7 x 7 grid of 16-pixel inputs, four directions concatenated
 * const four = gridShapeOf({ kind: 'mdlstm', units: 8, block: [4, 4], directions: 4, combine: 'concat' }, [28, 28, 1], 'mdlstm')
 * assert.deepStrictEqual(four, E.right([7, 7, 32]))
 * assert.deepStrictEqual(gridShapeOf({ kind: 'rnn2d', units: 8, output: 'last' }, [8, 8, 1], 'rnn2d'), E.right([8])) // the last corner's state
 * const odd = gridShapeOf({ kind: 'mdlstm', units: 8, block: [3, 3] }, [28, 28, 1], 'net/mdlstm')
 * assert.ok(E.isLeft(odd) && odd.left._tag === 'InvalidArgument' && odd.left.path === 'net/mdlstm.block')
 *
 * @since 0.4.0
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument } from '../../core/Error'
import type { Shape } from '../../core/Tensor'
import * as Ops from '../../plan/ops'
import type { Buf, Op } from '../../plan/Program'
import { type GridGeom, gridGather, gridScatter } from '../../plan/grid'
import { InitSpec } from '../init'
import type { EmitCtx } from '../Layer'

/** Fields every 2-D recurrent layer has. @category codecs */
export const GridFields = t.partial({
  /** scan directions: 1 (from the top-left), 2 (and from the bottom-right) or 4 (every corner); default 1 */
  directions: t.union([t.literal(1), t.literal(2), t.literal(4)]),
  /** how directions combine: 'sum' (default) or 'concat' */
  combine: t.keyof({ sum: null, concat: null }),
  /** pixels per position [bi, bj]: blocks fed as one input (default [1, 1]) */
  block: t.tuple([t.number, t.number]),
  /** 'grid' (default): every state [I, J, H]; 'last': the state where each scan ends [H] */
  output: t.keyof({ grid: null, last: null }),
  /** input weights (default Glorot uniform) */
  init: InitSpec,
  /** recurrent weights, both dimensions (default orthogonal(1)) */
  recurrentInit: InitSpec,
})

/** @category model */
export interface GridSpec {
  readonly kind: string
  readonly units: number
  readonly directions?: 1 | 2 | 4
  readonly combine?: 'sum' | 'concat'
  readonly block?: readonly [number, number]
  readonly output?: 'grid' | 'last'
}

/** The scan directions as flip codes (bit 0 reverses i, bit 1 j) and names (the corner a scan starts from). @category utils */
export const directionsOf = (spec: GridSpec): ReadonlyArray<{ readonly flip: number; readonly name: string }> => {
  const all = [{ flip: 0, name: 'tl' }, { flip: 1, name: 'bl' }, { flip: 2, name: 'tr' }, { flip: 3, name: 'br' }]
  const n = spec.directions ?? 1
  return n === 1 ? all.slice(0, 1) : n === 2 ? [all[0]!, all[3]!] : all
}

/** A parameter's name in direction k: plain with one direction, else suffixed with the corner (`Wx.br`). @category utils */
export const nameIn = (spec: GridSpec, k: number, name: string): string => (directionsOf(spec).length === 1 ? name : `${name}.${directionsOf(spec)[k]!.name}`)

const blockOf = (spec: GridSpec): readonly [number, number] => spec.block ?? [1, 1]

/** Checks units, block and input rank; the output shape. @category utils */
export const gridShapeOf = (spec: GridSpec, inShape: Shape, path: string): E.Either<GradtraceError, Shape> => {
  if (!Number.isInteger(spec.units) || spec.units < 1) return E.left(invalidArgument(`${path}.units`, `must be a positive integer, got ${spec.units}`))
  if (inShape.length !== 3)
    return E.left(invalidArgument(path, `a ${spec.kind} layer needs an image input of rank 3, [rows, cols, F] (batches (B, rows, cols, F)); got [${inShape}]`))
  const [bi, bj] = blockOf(spec)
  const [R = 0, Cn = 0] = inShape
  if (!(Number.isInteger(bi) && Number.isInteger(bj) && bi >= 1 && bj >= 1) || R % bi !== 0 || Cn % bj !== 0)
    return E.left(invalidArgument(`${path}.block`, `blocks of [${bi}, ${bj}] pixels must be positive integers that tile the ${R} x ${Cn} input`))
  const H = spec.combine === 'concat' ? directionsOf(spec).length * spec.units : spec.units
  return E.right(spec.output === 'last' ? [H] : [R / bi, Cn / bj, H])
}

/** Grid sizes: I x J positions of Fb = bi*bj*F inputs each, P = I*J. @category utils */
export const gridDims = (spec: GridSpec, inShape: Shape) => {
  const [bi, bj] = blockOf(spec)
  const [R = 1, Cn = 1, F = 1] = inShape
  const I = R / bi, J = Cn / bj
  return { I, J, P: I * J, F, Fb: bi * bj * F, bi, bj }
}

/** The shared buffers and plumbing ops of a 2-D scan layer. @category model */
export interface GridIO {
  readonly I: number
  readonly J: number
  readonly P: number
  readonly B: number
  readonly H: number
  readonly Fb: number
  readonly nDir: number
  /** states (nDir, P, B, H) in wavefront order, and their dL/dh */
  readonly S: Buf
  readonly dH: Buf
  readonly y: Buf
  readonly dy: Buf
  /** direction k's inputs (P, B, Fb) in wavefront order */
  readonly input: (k: number, X: Buf) => Op
  /** direction k's states into y (sum or concat) */
  readonly output: (k: number) => Op
  /** dy into direction k's dH */
  readonly outputBwd: (k: number) => Op
  /** dx += direction k's dG (P*B, cols) through Wx (Fb, cols) */
  readonly inputBwd: (k: number, dG: Buf, Wx: Buf, cols: number) => ReadonlyArray<Op>
}

/** Allocates the shared buffers and builds the plumbing ops. @category utils */
export const gridIO = (spec: GridSpec, ctx: EmitCtx): GridIO => {
  const { I, J, P, F, Fb, bi, bj } = gridDims(spec, ctx.inShape)
  const dirs = directionsOf(spec), nDir = dirs.length, B = ctx.batch, H = spec.units
  const concat = spec.combine === 'concat', Hout = concat ? nDir * H : H, last = spec.output === 'last'
  const S = ctx.buf('h', nDir * P * B * H), dH = ctx.grad('dh', nDir * P * B * H)
  const y = ctx.buf('y', last ? B * Hout : B * P * Hout), dy = ctx.grad('dy', last ? B * Hout : B * P * Hout)
  const inGeom = (k: number): GridGeom => ({ B, I, J, F, bi, bj, ldx: F, flip: dirs[k]!.flip })
  // the output: the whole grid, or a 1 x 1 grid at the last position of each scan
  const outGeom = (k: number): GridGeom =>
    last ? { B, I: 1, J: 1, F: H, bi: 1, bj: 1, ldx: Hout, flip: 0 } : { B, I, J, F: H, bi: 1, bj: 1, ldx: Hout, flip: dirs[k]!.flip }
  const sOff = (k: number): number => (k * P + (last ? P - 1 : 0)) * B * H
  const col = (k: number): number => (concat ? k * H : 0)
  const dX = ctx.dx ? ctx.grad('dx.wave', P * B * Fb) : null
  return {
    I, J, P, B, H, Fb, nDir, S, dH, y, dy,
    input: (k, X) => gridGather(X, 0, ctx.x, 0, inGeom(k), false),
    output: (k) => gridScatter(y, col(k), S, sOff(k), outGeom(k), k > 0 && !concat),
    outputBwd: (k) => gridGather(dH, sOff(k), dy, col(k), outGeom(k), true),
    inputBwd: (k, dG, Wx, cols) => (ctx.dx && dX ? [Ops.gemmNT(dX, dG, Wx, P * B, cols, Fb, false), gridScatter(ctx.dx, 0, dX, 0, inGeom(k), true)] : []),
  }
}
