/**
 * Scales and ticks for the report charts: linear scales with "nice" 1-2-5
 * ticks, and log10 scales with decade ticks (10^-8 … 10^0), because vanishing
 * gradients are measured in decades. Pure numbers in, numbers out.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { logScale, project, ticks } from './scale'
 * const y = logScale([1e-8, 1], [300, 0]) // eight decades over 300 px
 * assert.strictEqual(project(y)(1e-4), 150)
 * assert.deepStrictEqual(ticks(y, 4).filter((t) => t.major).map((t) => t.label), ['1e-8', '1e-6', '1e-4', '1e-2', '1e0'])
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A map from data values (domain) to pixels (range). @category model @since 0.1.0 */
export interface Scale {
  readonly _tag: 'linear' | 'log'
  /** data interval; for 'log' both ends are > 0 */
  readonly domain: readonly [number, number]
  /** pixel interval (may be reversed, e.g. [bottom, top] for a y axis) */
  readonly range: readonly [number, number]
}

/** One tick: its value, a plain label, and for decade ticks the exponent (drawn as 10 with a superscript). @category model @since 0.1.0 */
export interface Tick {
  readonly value: number
  readonly label: string
  /** decade exponent k for a tick at 10^k on a log scale */
  readonly exp?: number
  /** minor ticks get a grid line but no label */
  readonly major: boolean
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A linear scale. @category constructors @since 0.1.0 */
export const linearScale = (domain: readonly [number, number], range: readonly [number, number]): Scale => ({ _tag: 'linear', domain, range })

/** A log10 scale; the domain must be positive (use `logDomain` to get one from data). @category constructors @since 0.1.0 */
export const logScale = (domain: readonly [number, number], range: readonly [number, number]): Scale => ({ _tag: 'log', domain, range })

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** 10^k exactly as written (`10 ** -7` is not always the literal 1e-7). @category utils @since 0.1.0 */
export const decade = (k: number): number => Number(`1e${k}`)

/** Whether a value can be placed on the scale (finite, and > 0 for log). @category utils @since 0.1.0 */
export const drawable = (s: Scale) => (v: number): boolean => Number.isFinite(v) && (s._tag === 'linear' || v > 0)

const unit = (s: Scale, v: number): number => {
  if (s._tag === 'log') {
    const a = Math.log10(s.domain[0])
    const b = Math.log10(s.domain[1])
    return b === a ? 0.5 : (Math.log10(v) - a) / (b - a)
  }
  const [a, b] = s.domain
  return b === a ? 0.5 : (v - a) / (b - a)
}

/** Pixel position of a value, clamped to the range; call only on `drawable` values. @category utils @since 0.1.0 */
export const project = (s: Scale) => (v: number): number => {
  const u = Math.min(1, Math.max(0, unit(s, v)))
  return s.range[0] + u * (s.range[1] - s.range[0])
}

/** The enclosing whole decades of the finite positive values, at least one decade wide. @category utils @since 0.1.0 */
export const logDomain = (values: ReadonlyArray<number>, fallback: readonly [number, number] = [1e-3, 1]): readonly [number, number] => {
  const ok = values.filter((v) => Number.isFinite(v) && v > 0)
  if (ok.length === 0) return fallback
  const lo = Math.floor(Math.log10(Math.min(...ok)) + 1e-9)
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...ok)) - 1e-9))
  return [decade(lo), decade(hi)]
}

const niceStep = (span: number, count: number): number => {
  const raw = span / Math.max(1, count)
  const mag = decade(Math.floor(Math.log10(raw)))
  const m = raw / mag
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * mag
}

/** A domain rounded out to nice steps around the finite values (optionally including 0). @category utils @since 0.1.0 */
export const linearDomain = (values: ReadonlyArray<number>, includeZero = false, count = 5): readonly [number, number] => {
  const ok = values.filter(Number.isFinite).concat(includeZero ? [0] : [])
  if (ok.length === 0) return [0, 1]
  let lo = Math.min(...ok)
  let hi = Math.max(...ok)
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2
    lo -= pad
    hi += pad
  }
  const step = niceStep(hi - lo, count)
  return [clean(Math.floor(lo / step) * step), clean(Math.ceil(hi / step) * step)]
}

const clean = (v: number): number => Number(v.toPrecision(12))

/** A short, deterministic label for a number ("0.25", "3.2e-5", "12300"); "∞"/"not finite" for the rest. @category utils @since 0.1.0 */
export const fmt = (v: number, digits = 3): string => {
  if (Number.isNaN(v)) return 'not finite'
  if (!Number.isFinite(v)) return v > 0 ? '+∞' : '−∞'
  if (v === 0) return '0'
  const a = Math.abs(v)
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(digits)))
  const [m = '', e = ''] = v.toExponential(digits - 1).split('e')
  return `${m.includes('.') ? m.replace(/\.?0+$/, '') : m}e${e.replace('+', '')}`
}

const linearTicks = (s: Scale, count: number): ReadonlyArray<Tick> => {
  const [a, b] = s.domain[0] <= s.domain[1] ? s.domain : [s.domain[1], s.domain[0]]
  if (b === a) return [{ value: a, label: fmt(a), major: true }]
  const step = niceStep(b - a, count)
  const out: Tick[] = []
  for (let i = Math.ceil(a / step - 1e-9); i * step <= b + step * 1e-9; i++) {
    const value = clean(i * step)
    out.push({ value, label: fmt(value, 6), major: true })
  }
  return out
}

const logTicks = (s: Scale, count: number): ReadonlyArray<Tick> => {
  const [lo, hi] = s.domain[0] <= s.domain[1] ? s.domain : [s.domain[1], s.domain[0]]
  const a = Math.floor(Math.log10(lo) + 1e-9)
  const b = Math.ceil(Math.log10(hi) - 1e-9)
  const out: Tick[] = []
  if (b - a <= 2) {
    // narrow range: 1-2-5 ticks with plain labels read better than two decades alone
    for (let k = a; k <= b; k++) {
      for (const m of [1, 2, 5]) {
        const value = clean(m * decade(k))
        if (value >= lo * (1 - 1e-9) && value <= hi * (1 + 1e-9)) out.push({ value, label: fmt(value), major: true })
      }
    }
    return out
  }
  const every = Math.max(1, Math.ceil((b - a) / Math.max(1, count)))
  for (let k = a; k <= b; k++) {
    const value = decade(k)
    if (value < lo * (1 - 1e-9) || value > hi * (1 + 1e-9)) continue
    out.push({ value, label: `1e${k}`, exp: k, major: k % every === 0 })
  }
  return out
}

/** Ticks for a scale: about `count` labelled ticks; on log scales every decade gets a grid line. @category utils @since 0.1.0 */
export const ticks = (s: Scale, count = 6): ReadonlyArray<Tick> => (s._tag === 'log' ? logTicks(s, count) : linearTicks(s, count))
