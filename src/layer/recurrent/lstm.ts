/**
 * The LSTM layer: with a forget gate (Gers, Schmidhuber & Cummins 2000; the
 * default) or as in 1997 (Hochreiter & Schmidhuber: c_t = c_{t-1} + i g, no
 * forget gate), with optional peepholes (Gers & Schmidhuber 2000). Gates in
 * the order i, f, g, o (PyTorch's); h = o tanh(c). Each gate bias is its own
 * parameter (bi, bf, bg, bo) so it gets its own initialiser and trace entry:
 * `forgetBias` (default 1, Jozefowicz et al. 2015) and `inputGateBias`
 * (default 0; the 1997 paper used -3 and -6 against state drift).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Key, Model } from 'gradtrace/core'
 * import { lstm, type LstmSpec } from './lstm'
 * const biases = (cell: LstmSpec) => {
 *   const model = Model.compile(cell, { input: [100, 2], loss: 'mse' })
 *   assert.ok(E.isRight(model))
 *   return model.right.init(Key.key(0)).filter((p) => /\/b[ifgo]$/.test(p.path)).map((p) => `${p.path} ${p.data[0]}`)
 * }
 * assert.deepStrictEqual(biases(lstm(8)), ['lstm/bi 0', 'lstm/bf 1', 'lstm/bg 0', 'lstm/bo 0']) // Gers 2000: forget bias 1
 * assert.deepStrictEqual(biases(lstm(8, { forgetGate: false, inputGateBias: -3 })), ['lstm/bi -3', 'lstm/bg 0', 'lstm/bo 0']) // 1997
 * const seq = Model.compile(lstm(32, { returnSequences: true, peepholes: true, truncate: 20 }), { input: [100, 2], loss: 'mse' })
 * assert.ok(E.isRight(seq) && seq.right.output.join() === '100,32') // every state out
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import * as Ops from '../../plan/ops'
import type { Op } from '../../plan/Program'
import * as R from '../../plan/recurrentOps'
import { constant, glorotUniform, type InitSpec, orthogonal, uniform, zeros } from '../init'
import type { LeafKind, ParamDecl } from '../Layer'
import { CommonFields, featuresOf, gateSlices, outShapeOf, seqIO } from './common'

/** @category codecs */
export const LstmSpec = t.intersection([
  t.type({ kind: t.literal('lstm'), units: t.number }),
  CommonFields,
  t.partial({ forgetGate: t.boolean, peepholes: t.boolean, forgetBias: t.number, inputGateBias: t.number, outputGateBias: t.number }),
])
/** @category model */
export type LstmSpec = Readonly<t.TypeOf<typeof LstmSpec>>
/** @category model */
export type LstmOptions = Omit<LstmSpec, 'kind' | 'units'>

/** An LSTM layer of `units` cells. @category layers */
export const lstm = (units: number, opts: LstmOptions = {}): LstmSpec => ({ kind: 'lstm', units, ...opts })

const BIAS_NAME: Record<string, string> = { input: 'bi', forget: 'bf', cell: 'bg', output: 'bo' }
const gatesOf = (spec: LstmSpec): ReadonlyArray<string> => (spec.forgetGate === false ? ['input', 'cell', 'output'] : ['input', 'forget', 'cell', 'output'])
const peepsOf = (spec: LstmSpec): ReadonlyArray<string> => (spec.peepholes ? (spec.forgetGate === false ? ['pi', 'po'] : ['pi', 'pf', 'po']) : [])
const biasInit = (spec: LstmSpec, gate: string): InitSpec =>
  gate === 'forget' ? constant(spec.forgetBias ?? 1) : gate === 'input' ? constant(spec.inputGateBias ?? 0) : gate === 'output' ? constant(spec.outputGateBias ?? 0) : zeros

/** @category kinds */
export const lstmKind: LeafKind<LstmSpec> = {
  _tag: 'leaf',
  kind: 'lstm',
  codec: LstmSpec,
  outShape: outShapeOf,
  params: (spec, inShape) => {
    const F = featuresOf(spec, inShape), H = spec.units, nG = gatesOf(spec).length
    const ps: ParamDecl[] = [
      { name: 'Wx', shape: [F, nG * H], init: spec.init ?? glorotUniform },
      { name: 'Wh', shape: [H, nG * H], init: spec.recurrentInit ?? orthogonal(1) },
      ...gatesOf(spec).map((g) => ({ name: BIAS_NAME[g]!, shape: [H], init: biasInit(spec, g), fans: [F, H] as const })),
      ...peepsOf(spec).map((p) => ({ name: p, shape: [H], init: uniform(0.1), fans: [H, H] as const })),
    ]
    return ps
  },
  emit: (spec, ctx) => {
    const io = seqIO(spec, ctx)
    const { T, B, F, H } = io
    const forget = spec.forgetGate !== false
    const gates = gatesOf(spec), nG = gates.length, nP = peepsOf(spec).length
    const [Wx, Wh, ...rest] = ctx.params
    const biases = rest.slice(0, nG), peeps = rest.slice(nG)
    const G = ctx.buf('z', T * B * nG * H)
    const A = ctx.buf('gates', T * nG * B * H)
    const C = ctx.buf('c', (T + 1) * B * H)
    const TC = ctx.buf('tanhc', T * B * H)
    const bcat = ctx.buf('b', nG * H)
    const P = nP > 0 ? ctx.buf('peep', nP * H) : null
    const dG = ctx.grad('dz', T * B * nG * H)
    const dC = ctx.grad('dc', T * B * H)
    const dbcat = ctx.grad('db', nG * H)
    const dP = nP > 0 ? ctx.grad('dpeep', nP * H) : null
    const dims = { T, B, H, ...(spec.truncate !== undefined ? { truncate: spec.truncate } : {}) }
    const gather: Op[] = [...biases.map((b, g) => Ops.copy(bcat, b.value, H, g * H, 0)), ...(P ? peeps.map((p, i) => Ops.copy(P, p.value, H, i * H, 0)) : [])]
    const scatter: Op[] = [...biases.map((b, g) => Ops.axpyAt(b.grad, dbcat, H, 0, g * H, 1)), ...(dP ? peeps.map((p, i) => Ops.axpyAt(p.grad, dP, H, 0, i * H, 1)) : [])]
    return {
      y: io.y,
      dy: io.dy,
      forward: [
        ...io.input,
        ...gather,
        Ops.gemmNN(G, io.Xt, Wx!.value, T * B, F, nG * H, false),
        Ops.biasAdd(G, G, bcat, T * B, nG * H),
        R.lstmScan(dims, { S: io.S, C, TC, A, G, Wh: Wh!.value, P, M: io.M }, forget),
        ...io.output,
      ],
      backward: [
        ...io.outputBwd,
        R.lstmScanBwd(dims, { dG, dH: io.dH, dC, dP, A, C, TC, Wh: Wh!.value, P, M: io.M }, forget),
        Ops.gemmTN(Wh!.grad, io.S, dG, H, T * B, nG * H, true),
        Ops.gemmTN(Wx!.grad, io.Xt, dG, F, T * B, nG * H, true),
        Ops.colSumAcc(dbcat, dG, T * B, nG * H),
        ...scatter,
        ...io.inputBwd(dG, Wx!.value, nG * H),
      ],
      probes: {
        time: { T, dh: io.dhSlice, h: io.hSlice, dc: { buf: dC, stepFloats: B * H, offset: 0, n: B * H }, gates: gateSlices(A, gates, B, H) },
      },
    }
  },
}
