/**
 * The recurrent layers: `rnn` (and `irnn`), `lstm`, `gru`, and `Seq`, the
 * helpers that turn time-major task batches into model batches.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { gru, irnn, lstm } from './index'
 * const [F, H] = [2, 64]
 * const weights = (cell: Layer.LayerSpec) => {
 *   const model = Model.compile(cell, { input: [100, F], loss: 'mse' })
 *   assert.ok(E.isRight(model))
 *   return model.right.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)
 * }
 * // four gates' weights and biases in an LSTM, three (with two biases each) in a GRU, one in a plain RNN
 * assert.deepStrictEqual([lstm(H), gru(H), irnn(H)].map(weights), [4 * (F + H + 1) * H, 3 * (F + H + 2) * H, (F + H + 1) * H])
 *
 * @since 0.1.0
 */
export { gru, gruKind, type GruOptions, type GruSpec } from './gru'
export { lstm, lstmKind, type LstmOptions, type LstmSpec } from './lstm'
export { irnn, rnn, rnnKind, type RnnOptions, type RnnSpec } from './rnn'
export * as Seq from './sequence'
