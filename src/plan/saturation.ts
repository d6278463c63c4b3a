/**
 * What the trace needs to know of each activation: where it saturates and
 * whether exact zeros mean dead units. The trace ops measure these in the
 * same pass as the activation's statistics (./traceOps.ts).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { hasDeadUnits, saturationOnOutput, saturationThreshold } from './saturation'
 * assert.strictEqual(saturationThreshold('sigmoid'), Math.log(99)) // sigmoid below 0.01 or above 0.99
 * assert.strictEqual(saturationOnOutput('sigmoid'), null) // not odd: measured on the pre-activation
 * assert.strictEqual(saturationOnOutput('tanh'), 0.99)
 * assert.ok(hasDeadUnits('relu') && !hasDeadUnits('gelu'))
 *
 * @since 0.1.0
 */
import type { ActName } from '../wasm/abi'

/**
 * |z| beyond which a unit counts as saturated, measured on the pre-activation:
 * sigmoid h < 0.01 or h > 0.99 (|z| > ln 99); tanh |h| > 0.99 (|z| > atanh 0.99);
 * softsign |h| > 0.9 (|z| > 9); hard tanh |z| > 1 (derivative 0). Others: none.
 * @category utils
 */
export const saturationThreshold = (fn: ActName): number | null =>
  fn === 'sigmoid' ? Math.log(99) : fn === 'tanh' ? Math.atanh(0.99) : fn === 'softsign' ? 9 : fn === 'hardTanh' ? 1 : null

/**
 * The same saturation test on the output, for the odd monotonic activations:
 * tanh |h| > 0.99, softsign |h| > 0.9, hard tanh |h| = 1 (|h| above the largest
 * f32 below 1). Sigmoid is not odd (its test needs the pre-activation): null.
 * @category utils
 */
export const saturationOnOutput = (fn: ActName): number | null =>
  fn === 'tanh' ? 0.99 : fn === 'softsign' ? 0.9 : fn === 'hardTanh' ? 0.99999994 : null

/** Whether exact zeros of the output mean dead units (ReLU). @category utils */
export const hasDeadUnits = (fn: ActName): boolean => fn === 'relu'
