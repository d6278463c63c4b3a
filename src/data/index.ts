/**
 * Data sets and synthetic tasks, as namespaces. Portable: nothing here reads
 * files; the Node-only loaders are in `./idx-node`.
 *
 * @example
 * import { Digits, Adding } from './index'
 * const ds = Digits.digits() // 1797 x 64
 * const task = Adding.adding({ T: 50, batchSize: 32, seed: 0 })
 *
 * @since 0.1.0
 */
export * as Adding from './tasks/adding'
export * as Dataset from './Dataset'
export * as Digits from './digits'
export * as Idx from './idx'
export * as Random from './random'
export * as Reber from './tasks/reber'
export * as Sequence from './tasks/Sequence'
export * as TemporalOrder from './tasks/temporalOrder'
