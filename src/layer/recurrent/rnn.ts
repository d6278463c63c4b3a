/**
 * The vanilla recurrent layer (Elman): h_t = f(x_t Wx + h_{t-1} Wh + b), with
 * f tanh (default), sigmoid or relu, and IRNN (Le, Jaitly & Hinton 2015): relu
 * with Wh = I. Input [T, F], output the last state [H] or every state [T, H].
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model } from 'gradtrace/core'
 * import { orthogonal } from '../init'
 * import { irnn, rnn, type RnnSpec } from './rnn'
 * const Wh = (cell: RnnSpec) => {
 *   const model = Model.compile(cell, { input: [50, 2], loss: 'mse' })
 *   assert.ok(E.isRight(model))
 *   return model.right.init(Key.key(0)).find((p) => p.path === 'rnn/Wh')!.data // (H, H) row-major
 * }
 * // orthogonal(1.5): every direction of the state grows by 1.5 a step, so gradients explode over 50 steps
 * const W = Wh(rnn(4, { recurrentInit: orthogonal(1.5) }))
 * const v = [1, 2, 3, 4]
 * const vW = [0, 1, 2, 3].map((j) => v.reduce((s, vi, i) => s + vi * W[i * 4 + j]!, 0))
 * assert.ok(Math.abs(Math.hypot(...vW) / Math.hypot(...v) - 1.5) < 1e-5)
 * // IRNN (Le, Jaitly & Hinton 2015): relu and Wh = I
 * assert.deepStrictEqual(Wh(irnn(2)), new Float32Array([1, 0, 0, 1]))
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as Ops from '../../plan/ops'
import * as R from '../../plan/recurrentOps'
import { ActKind } from '../../wasm/abi'
import { glorotUniform, identity, InitSpec, normal, orthogonal, zeros } from '../init'
import type { LeafKind } from '../Layer'
import { CommonFields, featuresOf, outShapeOf, seqIO } from './common'

/** @category codecs */
export const RnnSpec = t.intersection([
  t.type({ kind: t.literal('rnn'), units: t.number }),
  CommonFields,
  t.partial({ activation: t.keyof({ tanh: null, sigmoid: null, relu: null }), biasInit: InitSpec }),
])
/** @category model */
export type RnnSpec = Readonly<t.TypeOf<typeof RnnSpec>>
/** @category model */
export type RnnOptions = Omit<RnnSpec, 'kind' | 'units'>

/** A vanilla RNN layer of `units` states. @category layers */
export const rnn = (units: number, opts: RnnOptions = {}): RnnSpec => ({ kind: 'rnn', units, ...opts })

/** IRNN (Le et al. 2015): relu, Wh = I, Wx ~ N(0, 0.001^2) as in their adding-problem setup, b = 0. @category layers */
export const irnn = (units: number, opts: RnnOptions = {}): RnnSpec => rnn(units, { activation: 'relu', recurrentInit: identity(1), init: normal(0.001), ...opts })

/** @category kinds */
export const rnnKind: LeafKind<RnnSpec> = {
  _tag: 'leaf',
  kind: 'rnn',
  codec: RnnSpec,
  outShape: outShapeOf,
  params: (spec, inShape) => {
    const F = featuresOf(spec, inShape), H = spec.units
    return [
      { name: 'Wx', shape: [F, H], init: spec.init ?? glorotUniform },
      { name: 'Wh', shape: [H, H], init: spec.recurrentInit ?? orthogonal(1) },
      { name: 'b', shape: [H], init: spec.biasInit ?? zeros, fans: [F, H] as const },
    ]
  },
  emit: (spec, ctx) => {
    const io = seqIO(spec, ctx)
    const { T, B, F, H } = io
    const [Wx, Wh, b] = ctx.params
    const kind = ActKind[spec.activation ?? 'tanh']
    const G = ctx.buf('a', T * B * H) // pre-activation, then (in place) f of it
    const dG = ctx.grad('dz', T * B * H)
    const dims = { T, B, H, ...(spec.truncate !== undefined ? { truncate: spec.truncate } : {}) }
    return {
      y: io.y,
      dy: io.dy,
      forward: [
        ...io.input,
        Ops.gemmNN(G, io.Xt, Wx!.value, T * B, F, H, false),
        Ops.biasAdd(G, G, b!.value, T * B, H),
        R.rnnScan(dims, { S: io.S, G, Wh: Wh!.value, M: io.M }, kind),
        ...io.output,
      ],
      backward: [
        ...io.outputBwd,
        R.rnnScanBwd(dims, { dG, dH: io.dH, G, Wh: Wh!.value, M: io.M }, kind),
        Ops.gemmTN(Wh!.grad, io.S, dG, H, T * B, H, true),
        Ops.gemmTN(Wx!.grad, io.Xt, dG, F, T * B, H, true),
        Ops.colSumAcc(b!.grad, dG, T * B, H),
        ...io.inputBwd(dG, Wx!.value, H),
      ],
      // G holds f(z) after the scan: tanh saturation and ReLU dead units read on it (sigmoid's test needs z, which is gone)
      probes: { time: { T, dh: io.dhSlice, h: io.hSlice }, ...(spec.activation === 'sigmoid' ? {} : { act: { fn: spec.activation ?? 'tanh', z: G, y: G } }) },
    }
  },
}
