/**
 * Gradient traces and their analysis.
 *
 * @example
 * import { firstToLast, diagnose } from './index'
 * // firstToLast(trace), diagnose([trace])
 *
 * @since 0.1.0
 */
export type * from './Trace'
export * from './analysis'
