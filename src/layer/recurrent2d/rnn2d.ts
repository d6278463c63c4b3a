/**
 * The 2-D tanh RNN (#13; Graves, Fernandez & Schmidhuber 2007, without the
 * LSTM cell): h(i, j) = f(x(i, j) Wx + h(i-1, j) Wh1 + h(i, j-1) Wh2 + b),
 * h = 0 outside the grid, f tanh (default), sigmoid or relu. Input an image
 * [rows, cols, F]; see ./common.ts for blocks, directions and outputs. The
 * cell is the 1-D RNN's kernel, run over a whole anti-diagonal at a time; on
 * a 1 x T grid the layer is the 1-D `rnn` with Wh = Wh2, bit for bit.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model } from 'gradtrace/core'
 * import { rnn2d } from './rnn2d'
 * const model = Model.compile(rnn2d(4, { output: 'last' }), { input: [3, 5, 2], loss: 'mse' })
 * assert.ok(E.isRight(model) && model.right.output.join() === '4')
 * assert.deepStrictEqual(model.right.init(Key.key(0)).map((p) => p.path), ['rnn2d/Wx', 'rnn2d/Wh1', 'rnn2d/Wh2', 'rnn2d/b'])
 * const y = model.right.apply(model.right.init(Key.key(0)), { shape: [2, 3, 5, 2], data: new Float32Array(60).fill(0.5) })
 * assert.ok(E.isRight(y) && y.right.shape.join() === '2,4' && y.right.data.every((v) => Math.abs(v) < 1)) // tanh states of the last corner
 *
 * @since 0.4.0
 */
import * as t from 'io-ts'
import * as Ops from '../../plan/ops'
import { rnn2dScan, rnn2dScanBwd } from '../../plan/grid'
import type { Op } from '../../plan/Program'
import { ActKind } from '../../wasm/abi'
import { glorotUniform, InitSpec, orthogonal, zeros } from '../init'
import type { LeafKind, ParamDecl } from '../Layer'
import { gridDims, GridFields, gridIO, gridShapeOf, nameIn } from './common'
import { gridProbes } from './probes'

/** @category codecs */
export const Rnn2dSpec = t.intersection([
  t.type({ kind: t.literal('rnn2d'), units: t.number }),
  GridFields,
  t.partial({ activation: t.keyof({ tanh: null, sigmoid: null, relu: null }), biasInit: InitSpec }),
])
/** @category model */
export type Rnn2dSpec = Readonly<t.TypeOf<typeof Rnn2dSpec>>
/** @category model */
export type Rnn2dOptions = Omit<Rnn2dSpec, 'kind' | 'units'>

/** A 2-D RNN layer of `units` states. @category layers */
export const rnn2d = (units: number, opts: Rnn2dOptions = {}): Rnn2dSpec => ({ kind: 'rnn2d', units, ...opts })

/** @category kinds */
export const rnn2dKind: LeafKind<Rnn2dSpec> = {
  _tag: 'leaf',
  kind: 'rnn2d',
  codec: Rnn2dSpec,
  outShape: gridShapeOf,
  params: (spec, inShape) => {
    const { Fb } = gridDims(spec, inShape), H = spec.units
    const one = (k: number): ParamDecl[] => [
      { name: nameIn(spec, k, 'Wx'), shape: [Fb, H], init: spec.init ?? glorotUniform },
      { name: nameIn(spec, k, 'Wh1'), shape: [H, H], init: spec.recurrentInit ?? orthogonal(1) },
      { name: nameIn(spec, k, 'Wh2'), shape: [H, H], init: spec.recurrentInit ?? orthogonal(1) },
      { name: nameIn(spec, k, 'b'), shape: [H], init: spec.biasInit ?? zeros, fans: [Fb, H] as const },
    ]
    return Array.from({ length: spec.directions ?? 1 }, (_, k) => one(k)).flat()
  },
  emit: (spec, ctx) => {
    const io = gridIO(spec, ctx)
    const { P, B, H, Fb } = io
    const kind = ActKind[spec.activation ?? 'tanh']
    const dm = { I: io.I, J: io.J, B, H, nG: 1 }
    const forward: Op[] = [], backward: Op[] = []
    for (let k = 0; k < io.nDir; k++) {
      const [Wx, Wh1, Wh2, b] = ctx.params.slice(4 * k, 4 * k + 4)
      const X = ctx.buf(`x.${k}`, P * B * Fb), G = ctx.buf(`a.${k}`, P * B * H), SU = ctx.buf(`hu.${k}`, P * B * H), SL = ctx.buf(`hl.${k}`, P * B * H)
      const dG = ctx.grad(`dz.${k}`, P * B * H)
      const s = { S: { buf: io.S, off: k * P * B * H }, SU: { buf: SU, off: 0 }, SL: { buf: SL, off: 0 } }
      forward.push(
        io.input(k, X),
        Ops.gemmNN(G, X, Wx!.value, P * B, Fb, H, false),
        Ops.biasAdd(G, G, b!.value, P * B, H),
        rnn2dScan(dm, s, { buf: G, off: 0 }, Wh1!.value, Wh2!.value, kind),
        io.output(k),
      )
      backward.push(
        io.outputBwd(k),
        rnn2dScanBwd(dm, { buf: dG, off: 0 }, { buf: io.dH, off: k * P * B * H }, { buf: G, off: 0 }, Wh1!.value, Wh2!.value, kind),
        Ops.gemmTN(Wh1!.grad, SU, dG, H, P * B, H, true),
        Ops.gemmTN(Wh2!.grad, SL, dG, H, P * B, H, true),
        Ops.gemmTN(Wx!.grad, X, dG, Fb, P * B, H, true),
        Ops.colSumAcc(b!.grad, dG, P * B, H),
        ...io.inputBwd(k, dG, Wx!.value, H),
      )
    }
    return { y: io.y, dy: io.dy, forward, backward, probes: gridProbes(spec, io, null, []) }
  },
}
