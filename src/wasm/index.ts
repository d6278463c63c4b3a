/**
 * Loading the kernels (portable build inlined; relaxed build from 'gradtrace/relaxed').
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadSync } from './index'
 * const rt = loadSync()
 * assert.ok(E.isRight(rt))
 * assert.strictEqual(rt.right.relaxed, false) // the portable build; the relaxed one comes from 'gradtrace/relaxed'
 *
 * @since 0.1.0
 */
export { load, type LoadOptions, loadSync, type Runtime } from './Runtime'
export { defaultWasm } from './bytes'
