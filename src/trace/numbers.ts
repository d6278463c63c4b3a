/**
 * How `diagnose` writes numbers and takes middles (not exported from the package).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { fmt, median, orList, percentOf } from './numbers'
 * assert.deepStrictEqual([fmt(0), fmt(0.5), fmt(2e-7)], ['0', '0.50', '2.0e-7'])
 * assert.strictEqual(median([4, 9], true), 6) // geometric for ratios
 * assert.strictEqual(orList(['a', 'b', 'c']), 'a, b or c')
 * assert.strictEqual(percentOf(0.256), '26%')
 *
 * @since 0.1.0
 */

/** A number in 2 significant digits, in exponent form beyond three decades from 1. */
export const fmt = (x: number): string => (x === 0 ? '0' : Math.abs(Math.log10(Math.abs(x))) >= 3 ? x.toExponential(1) : x.toPrecision(2))

/** The middle value; for an even count the mean of the two middle ones (geometric for ratios, which span decades, as the depth sweep takes them). */
export const median = (xs: ReadonlyArray<number>, geometric = false): number => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = Math.floor(s.length / 2)
  if (s.length % 2 === 1) return s[m]!
  return geometric ? Math.sqrt(s[m - 1]! * s[m]!) : (s[m - 1]! + s[m]!) / 2
}

/** 'a, b or c' */
export const orList = (xs: ReadonlyArray<string>): string => (xs.length < 2 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`)

/** 0.256 as '26%' */
export const percentOf = (x: number): string => `${(100 * x).toFixed(0)}%`
