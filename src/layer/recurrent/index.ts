/**
 * The recurrent layers: `rnn` (and `irnn`), `lstm`, `gru`, and `Seq`, the
 * helpers that turn time-major task batches into model batches.
 *
 * @example
 * import { lstm, gru, irnn } from './index'
 * lstm(64); gru(32); irnn(64)
 *
 * @since 0.1.0
 */
export { gru, gruKind, type GruOptions, type GruSpec } from './gru'
export { lstm, lstmKind, type LstmOptions, type LstmSpec } from './lstm'
export { irnn, rnn, rnnKind, type RnnOptions, type RnnSpec } from './rnn'
export * as Seq from './sequence'
