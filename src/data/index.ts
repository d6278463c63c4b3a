/**
 * Data sets and synthetic tasks, as namespaces. Portable: nothing here reads
 * files; the Node-only loaders are in `./idx-node`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Adding, Dataset, Digits } from './index'
 * assert.strictEqual(Dataset.size(Digits.digits()), 1797)
 * const task = Adding.adding({ T: 50, batchSize: 32, seed: 0 })
 * assert.ok(E.isRight(task))
 * assert.strictEqual(task.right.batch(0).x.length, 50 * 32 * 2) // (T, B, 2): value and marker
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
