/**
 * The GRU layer (Cho et al. 2014), in the PyTorch / cuDNN convention (Keras
 * `reset_after: true`): the reset gate multiplies the recurrent matmul,
 *   r = s(x Wx_r + bx_r + h Wh_r + bh_r)   z = s(x Wx_z + bx_z + h Wh_z + bh_z)
 *   n = tanh(x Wx_n + bx_n + r (h Wh_n + bh_n))   h_t = (1 - z) n + z h_{t-1}
 * so z near 1 keeps the old state (Cho's z; the additive path that plays the
 * LSTM's constant error carousel). Gates in the order r, z, n.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model, Params } from 'gradtrace/core'
 * import { gru } from './gru'
 * const model = Model.compile(gru(4), { input: [20, 3], loss: 'mse' }) // 20 steps of 3 features
 * assert.ok(E.isRight(model))
 * assert.deepStrictEqual(model.right.params.map((p) => `${p.path} [${p.shape}]`), ['gru/Wx [3,12]', 'gru/Wh [4,12]', 'gru/bx [12]', 'gru/bh [12]'])
 * // the gates r, z, n side by side: with z held at 1, the state h = 0 carries over every step
 * const held = Params.modify('gru/bx', (b) => b.fill(30, 4, 8))(model.right.init(Key.key(0)))
 * const h = model.right.apply(held, { shape: [1, 20, 3], data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i)) })
 * assert.ok(E.isRight(h) && h.right.data.every((v) => Math.abs(v) < 1e-6))
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as Ops from '../../plan/ops'
import * as R from '../../plan/recurrentOps'
import { glorotUniform, InitSpec, orthogonal, zeros } from '../init'
import type { LeafKind } from '../Layer'
import { CommonFields, featuresOf, gateSlices, outShapeOf, seqIO } from './common'

/** @category codecs */
export const GruSpec = t.intersection([t.type({ kind: t.literal('gru'), units: t.number }), CommonFields, t.partial({ biasInit: InitSpec })])
/** @category model */
export type GruSpec = Readonly<t.TypeOf<typeof GruSpec>>
/** @category model */
export type GruOptions = Omit<GruSpec, 'kind' | 'units'>

/** A GRU layer of `units` states. @category layers */
export const gru = (units: number, opts: GruOptions = {}): GruSpec => ({ kind: 'gru', units, ...opts })

/** @category kinds */
export const gruKind: LeafKind<GruSpec> = {
  _tag: 'leaf',
  kind: 'gru',
  codec: GruSpec,
  outShape: outShapeOf,
  params: (spec, inShape) => {
    const F = featuresOf(spec, inShape), H = spec.units
    return [
      { name: 'Wx', shape: [F, 3 * H], init: spec.init ?? glorotUniform },
      { name: 'Wh', shape: [H, 3 * H], init: spec.recurrentInit ?? orthogonal(1) },
      { name: 'bx', shape: [3 * H], init: spec.biasInit ?? zeros, fans: [F, H] as const },
      { name: 'bh', shape: [3 * H], init: spec.biasInit ?? zeros, fans: [H, H] as const },
    ]
  },
  emit: (spec, ctx) => {
    const io = seqIO(spec, ctx)
    const { T, B, F, H } = io
    const [Wx, Wh, bx, bh] = ctx.params
    const Gx = ctx.buf('zx', T * B * 3 * H)
    const Gh = ctx.buf('zh', T * B * 3 * H)
    const A = ctx.buf('gates', T * 3 * B * H)
    const dGx = ctx.grad('dzx', T * B * 3 * H)
    const dGh = ctx.grad('dzh', T * B * 3 * H)
    const dims = { T, B, H, ...(spec.truncate !== undefined ? { truncate: spec.truncate } : {}) }
    return {
      y: io.y,
      dy: io.dy,
      forward: [
        ...io.input,
        Ops.gemmNN(Gx, io.Xt, Wx!.value, T * B, F, 3 * H, false),
        Ops.biasAdd(Gx, Gx, bx!.value, T * B, 3 * H),
        R.gruScan(dims, { S: io.S, A, Gx, Gh, Wh: Wh!.value, bh: bh!.value, M: io.M }),
        ...io.output,
      ],
      backward: [
        ...io.outputBwd,
        R.gruScanBwd(dims, { dGx, dGh, dH: io.dH, A, Gh, S: io.S, Wh: Wh!.value, M: io.M }),
        Ops.gemmTN(Wh!.grad, io.S, dGh, H, T * B, 3 * H, true),
        Ops.colSumAcc(bh!.grad, dGh, T * B, 3 * H),
        Ops.gemmTN(Wx!.grad, io.Xt, dGx, F, T * B, 3 * H, true),
        Ops.colSumAcc(bx!.grad, dGx, T * B, 3 * H),
        ...io.inputBwd(dGx, Wx!.value, 3 * H),
      ],
      probes: { time: { T, dh: io.dhSlice, h: io.hSlice, gates: gateSlices(A, ['reset', 'update', 'new'], B, H) } },
    }
  },
}
