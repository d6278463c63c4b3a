/**
 * Colours for the report. Lines use the Okabe–Ito palette (distinguishable
 * with the common colour-vision deficiencies) and, as a second channel, a dash
 * pattern and a marker shape, so series stay apart in greyscale print too.
 * Heatmaps use viridis (perceptually uniform, sequential), interpolated from
 * 11 stops of matplotlib's table.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { okabeIto, seriesStyle, viridis } from './palette'
 * assert.deepStrictEqual(seriesStyle(0), { color: '#0072B2', dash: '', marker: 'circle' })
 * const next = seriesStyle(okabeIto.length) // past the seven colours a series still differs, by its dash and marker
 * assert.ok(next.color === seriesStyle(0).color && next.dash !== '' && next.marker !== 'circle')
 * assert.deepStrictEqual([viridis(0), viridis(1)], ['#440154', '#fde725'])
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Marker shapes, the third channel after colour and dash. @category model @since 0.1.0 */
export type Marker = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangleDown' | 'cross'

/** How one series is drawn. @category model @since 0.1.0 */
export interface SeriesStyle {
  readonly color: string
  /** SVG stroke-dasharray ('' for solid) */
  readonly dash: string
  readonly marker: Marker
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * Okabe–Ito colours in the order used for series. Yellow (#F0E442) is left out:
 * it is unreadable as a thin line on white.
 *
 * @category constants
 * @since 0.1.0
 */
export const okabeIto: ReadonlyArray<string> = Object.freeze(['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'])

/** Dash patterns; 5 is coprime with the 7 colours, so the first 35 series all differ. @category constants @since 0.1.0 */
export const dashes: ReadonlyArray<string> = ['', '7 3', '2 3', '9 3 2 3', '4 2']

/** Marker shapes in order. @category constants @since 0.1.0 */
export const markers: ReadonlyArray<Marker> = ['circle', 'square', 'triangle', 'diamond', 'triangleDown', 'cross']

/** Neutral inks: text, axes, grid, reference lines. @category constants @since 0.1.0 */
export const ink = { text: '#1a1a1a', muted: '#555555', axis: '#333333', grid: '#e3e3e3', ref: '#6b6b6b' } as const

/** Severity colours (always paired with a written label, never colour alone). @category constants @since 0.1.0 */
export const severity = { info: '#0072B2', warn: '#B86E00', error: '#C0392B' } as const

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const at = <A>(xs: ReadonlyArray<A>, i: number): A => xs[((i % xs.length) + xs.length) % xs.length] as A

/** Style of the i-th series. @category utils @since 0.1.0 */
export const seriesStyle = (i: number): SeriesStyle => ({ color: at(okabeIto, i), dash: at(dashes, i), marker: at(markers, i) })

/**
 * A style index with the colour of `i` but another dash and marker (k = 1, 2, …):
 * i + 7k keeps the colour (7 colours) and moves dash and marker (5 and 6 of them),
 * e.g. a control run drawn in its cell's colour.
 *
 * @category utils
 * @since 0.1.0
 */
export const sameColour = (i: number, k = 1): number => i + k * okabeIto.length

const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [0x44, 0x01, 0x54], [0x48, 0x24, 0x75], [0x41, 0x44, 0x87], [0x35, 0x5f, 0x8d], [0x2a, 0x78, 0x8e], [0x21, 0x91, 0x8c],
  [0x22, 0xa8, 0x84], [0x44, 0xbf, 0x70], [0x7a, 0xd1, 0x51], [0xbd, 0xdf, 0x26], [0xfd, 0xe7, 0x25],
]

const hex2 = (v: number): string => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0')

/** Viridis colour at t in [0, 1] (clamped; non-finite t gives the low end). @category utils @since 0.1.0 */
export const viridis = (t: number): string => {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0
  const x = u * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x))
  const f = x - i
  const a = VIRIDIS[i] as readonly [number, number, number]
  const b = VIRIDIS[i + 1] as readonly [number, number, number]
  return `#${hex2(a[0] + f * (b[0] - a[0]))}${hex2(a[1] + f * (b[1] - a[1]))}${hex2(a[2] + f * (b[2] - a[2]))}`
}
