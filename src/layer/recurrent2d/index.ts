/**
 * The 2-D recurrent layers (#13): `rnn2d` (tanh RNN over a grid) and `mdlstm`
 * (multi-dimensional LSTM, one forget gate per dimension), scanned over the
 * anti-diagonals of the grid from one, two or four corners, over blocks of
 * pixels (Graves & Schmidhuber 2009's hierarchical subsampling).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { mdlstm, rnn2d } from './index'
 * const [F, H] = [4, 8]
 * const weights = (cell: Layer.LayerSpec) => {
 *   const model = Model.compile(cell, { input: [6, 6, F], loss: 'mse' })
 *   assert.ok(E.isRight(model))
 *   return model.right.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)
 * }
 * // five gates (two forget gates) with two recurrent matrices each; one direction's against four
 * const one = (F + 2 * H + 1) * H
 * assert.deepStrictEqual([mdlstm(H), rnn2d(H), rnn2d(H, { directions: 4 })].map(weights), [5 * one, one, 4 * one])
 *
 * @since 0.4.0
 */
export { mdlstm, mdlstmKind, type MdlstmOptions, type MdlstmSpec } from './mdlstm'
export { rnn2d, rnn2dKind, type Rnn2dOptions, type Rnn2dSpec } from './rnn2d'
