/**
 * Loading the kernels (portable build inlined; relaxed build from 'gradtrace/relaxed').
 *
 * @example
 * import { loadSync } from './index'
 * loadSync() // Right(runtime)
 *
 * @since 0.1.0
 */
export { load, type LoadOptions, loadSync, type Runtime } from './Runtime'
export { defaultWasm } from './bytes'
