/**
 * The multi-dimensional LSTM over a 2-D grid (#13; Graves, Fernandez &
 * Schmidhuber 2007; Graves & Schmidhuber 2009), one forget gate per dimension:
 *   [i, f2, g, o, f1] = [s, s, tanh, s, s](x Wx + h(i-1,j) Wh1 + h(i,j-1) Wh2 + b)
 *   c(i,j) = f2 c(i,j-1) + i g + f1 c(i-1,j)      h(i,j) = o tanh(c(i,j))
 * with h = c = 0 outside the grid. Biases bi, bf1, bf2, bg, bo (forget biases
 * default 1, as `lstm`'s). Input an image [rows, cols, F]; see ./common.ts for
 * blocks, directions and outputs. On a 1 x T grid the layer is the 1-D `lstm`
 * (forget gate, no peepholes) with Wh = Wh2 and f = f2, bit for bit.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model } from 'gradtrace/core'
 * import { dense, serial } from '../../model/layers'
 * import { mdlstm } from './mdlstm'
 * // Graves & Schmidhuber 2009's hierarchy, small: 2 x 2 blocks, four directions, a feed-forward layer, 2 x 2 blocks again
 * const net = serial(mdlstm(4, { block: [2, 2], directions: 4 }), dense(6, { activation: 'tanh' }), mdlstm(8, { block: [2, 2], output: 'last' }), dense(10))
 * const model = Model.compile(net, { input: [8, 8, 1], loss: 'softmaxCrossEntropy' })
 * assert.ok(E.isRight(model) && model.right.output.join() === '10')
 * const first = model.right.init(Key.key(0)).filter((p) => p.path.startsWith('serial/0/mdlstm/') && p.path.endsWith('.br'))
 * assert.deepStrictEqual(first.map((p) => p.path.slice(16)), ['Wx.br', 'Wh1.br', 'Wh2.br', 'bi.br', 'bf1.br', 'bf2.br', 'bg.br', 'bo.br'])
 * assert.deepStrictEqual(first.find((p) => p.path.endsWith('bf1.br'))!.data, new Float32Array([1, 1, 1, 1]))
 *
 * @since 0.4.0
 */
import * as t from 'io-ts'
import * as Ops from '../../plan/ops'
import { mdlstmScan, mdlstmScanBwd } from '../../plan/grid'
import type { Buf, Op } from '../../plan/Program'
import { constant, glorotUniform, orthogonal, zeros } from '../init'
import type { EmitCtx, LeafKind, ParamDecl } from '../Layer'
import { gridDims, GridFields, type GridIO, gridIO, gridShapeOf, nameIn } from './common'
import { gridProbes } from './probes'

/** @category codecs */
export const MdlstmSpec = t.intersection([
  t.type({ kind: t.literal('mdlstm'), units: t.number }),
  GridFields,
  t.partial({ forgetBias: t.number, inputGateBias: t.number }),
])
/** @category model */
export type MdlstmSpec = Readonly<t.TypeOf<typeof MdlstmSpec>>
/** @category model */
export type MdlstmOptions = Omit<MdlstmSpec, 'kind' | 'units'>

/** An MD-LSTM layer of `units` cells. @category layers */
export const mdlstm = (units: number, opts: MdlstmOptions = {}): MdlstmSpec => ({ kind: 'mdlstm', units, ...opts })

/** The gates in the kernel's order (assembly/mdlstm/cell.ts) and the bias of each. */
const GATES = ['input', 'forget2', 'cell', 'output', 'forget1'] as const
const BIASES = ['bi', 'bf1', 'bf2', 'bg', 'bo'] as const
const SLOT: Record<string, number> = { bi: 0, bf2: 1, bg: 2, bo: 3, bf1: 4 }

const params = (spec: MdlstmSpec, Fb: number, k: number): ParamDecl[] => {
  const H = spec.units, n = (s: string) => nameIn(spec, k, s)
  const bias = (b: string) => (b === 'bf1' || b === 'bf2' ? constant(spec.forgetBias ?? 1) : b === 'bi' ? constant(spec.inputGateBias ?? 0) : zeros)
  return [
    { name: n('Wx'), shape: [Fb, 5 * H], init: spec.init ?? glorotUniform },
    { name: n('Wh1'), shape: [H, 5 * H], init: spec.recurrentInit ?? orthogonal(1) },
    { name: n('Wh2'), shape: [H, 5 * H], init: spec.recurrentInit ?? orthogonal(1) },
    ...BIASES.map((b) => ({ name: n(b), shape: [H], init: bias(b), fans: [Fb, H] as const })),
  ]
}

/** One direction's ops: forward and backward. */
const direction = (io: GridIO, ctx: EmitCtx, k: number, shared: { A: Buf; dC: Buf }): { forward: Op[]; backward: Op[] } => {
  const { P, B, H, Fb } = io, n = P * B * H, G5 = 5 * H
  const [Wx, Wh1, Wh2, ...bs] = ctx.params.slice(8 * k, 8 * k + 8)
  const buf = (name: string, floats = n) => ctx.buf(`${name}.${k}`, floats)
  const X = buf('x', P * B * Fb), G = buf('z', P * B * G5), bcat = buf('b', G5)
  const [SU, SL, C, CU, CL, TC] = ['hu', 'hl', 'c', 'cu', 'cl', 'tanhc'].map((s) => buf(s)) as [Buf, Buf, Buf, Buf, Buf, Buf]
  const dG = ctx.grad(`dz.${k}`, P * B * G5), dbcat = ctx.grad(`db.${k}`, G5)
  const own = (x: Buf) => ({ buf: x, off: 0 })
  const b = { S: { buf: io.S, off: k * n }, SU: own(SU), SL: own(SL), C: own(C), CU: own(CU), CL: own(CL) }
  const md = { ...b, A: { buf: shared.A, off: k * 5 * n }, TC: { buf: TC, off: 0 }, G: { buf: G, off: 0 } }
  const dCU = own(ctx.grad(`dcu.${k}`, n)), dCL = own(ctx.grad(`dcl.${k}`, n))
  const d = { dG: own(dG), dH: { buf: io.dH, off: k * n }, dC: { buf: shared.dC, off: k * n }, dCU, dCL }
  const dm = { I: io.I, J: io.J, B, H, nG: 5 }
  return {
    forward: [
      io.input(k, X),
      ...BIASES.map((name, i) => Ops.copy(bcat, bs[i]!.value, H, SLOT[name]! * H, 0)),
      Ops.gemmNN(G, X, Wx!.value, P * B, Fb, G5, false),
      Ops.biasAdd(G, G, bcat, P * B, G5),
      mdlstmScan(dm, md, Wh1!.value, Wh2!.value),
      io.output(k),
    ],
    backward: [
      io.outputBwd(k),
      mdlstmScanBwd(dm, d, md, Wh1!.value, Wh2!.value),
      Ops.gemmTN(Wh2!.grad, SL, dG, H, P * B, G5, true),
      Ops.gemmTN(Wh1!.grad, SU, dG, H, P * B, G5, true),
      Ops.gemmTN(Wx!.grad, X, dG, Fb, P * B, G5, true),
      Ops.colSumAcc(dbcat, dG, P * B, G5),
      ...BIASES.map((name, i) => Ops.axpyAt(bs[i]!.grad, dbcat, H, 0, SLOT[name]! * H, 1)),
      ...io.inputBwd(k, dG, Wx!.value, G5),
    ],
  }
}

/** @category kinds */
export const mdlstmKind: LeafKind<MdlstmSpec> = {
  _tag: 'leaf',
  kind: 'mdlstm',
  codec: MdlstmSpec,
  outShape: gridShapeOf,
  params: (spec, inShape) => Array.from({ length: spec.directions ?? 1 }, (_, k) => params(spec, gridDims(spec, inShape).Fb, k)).flat(),
  emit: (spec, ctx) => {
    const io = gridIO(spec, ctx)
    const n = io.P * io.B * io.H
    const shared = { A: ctx.buf('gates', io.nDir * 5 * n), dC: ctx.grad('dc', io.nDir * n) }
    const dirs = Array.from({ length: io.nDir }, (_, k) => direction(io, ctx, k, shared))
    const gates = GATES.map((name) => ({ name, buf: shared.A }))
    const probes = gridProbes(spec, io, shared.dC, gates)
    return { y: io.y, dy: io.dy, forward: dirs.flatMap((x) => x.forward), backward: dirs.flatMap((x) => x.backward), probes }
  },
}
