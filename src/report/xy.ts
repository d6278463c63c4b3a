/**
 * One x–y panel: axes, grid, reference lines, series drawn as lines with
 * gaps, markers with hover tooltips, and visible marks for values a log axis
 * cannot show (zeros at the floor, non-finite values at the top). The chart
 * functions in `charts.ts` stack panels and add a title and a legend.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { panel } from './xy'
 * const points = [1, 0, NaN].map((y, x) => ({ x, y, tip: `step ${x}: ${y}` }))
 * const spec = { series: [{ label: 'loss', style: 0, points }], height: 200, markers: true }
 * const p = panel({ ...spec, x: { scale: 'linear', label: 'step' }, y: { scale: 'log', label: 'loss' } }, 640, 40)
 * // a log axis cannot show 0 or NaN: the panel marks them, and tells the chart to say so in a footnote
 * assert.ok(p.zeros && p.nonFinite)
 * assert.ok(p.height > 200) // the plot, plus its x axis
 *
 * @since 0.1.0
 */
import { ink, seriesStyle } from './palette'
import type { Scale } from './scale'
import { drawable, linearDomain, linearScale, logDomain, logScale, project, ticks } from './scale'
import type { Box } from './svg'
import { SIZE, el, escapeXml, marker, polyline, tickWidth, tip, xAxis, xAxisHeight, yAxis } from './svg'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A point with its tooltip text. @category model @since 0.1.0 */
export interface XYPoint {
  readonly x: number
  readonly y: number
  readonly tip: string
}

/** A series; `style` indexes the palette so a label keeps its look across panels. @category model @since 0.1.0 */
export interface XYSeries {
  readonly label: string
  readonly style: number
  readonly points: ReadonlyArray<XYPoint>
}

/** An axis: scale kind, title (with unit), optional fixed domain, optional category labels (x only). @category model @since 0.1.0 */
export interface AxisSpec {
  readonly scale: 'linear' | 'log'
  readonly label: string
  readonly domain?: readonly [number, number]
  readonly categories?: ReadonlyArray<string>
  readonly includeZero?: boolean
}

/** A labelled horizontal reference line (e.g. "chance ln 10"). @category model @since 0.1.0 */
export interface RefLine {
  readonly y: number
  readonly label: string
}

/** Everything one panel draws. @category model @since 0.1.0 */
export interface PanelSpec {
  readonly title?: string
  readonly series: ReadonlyArray<XYSeries>
  readonly x: AxisSpec
  readonly y: AxisSpec
  readonly refs?: ReadonlyArray<RefLine>
  readonly height: number
  readonly markers: boolean
}

/** A drawn panel: markup, the height it used, and which gap marks appear (for the footnote). @category model @since 0.1.0 */
export interface Panel {
  readonly svg: string
  readonly height: number
  readonly zeros: boolean
  readonly nonFinite: boolean
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

/** The y domain a panel would use (exported so stacked panels can share one). @category utils @since 0.1.0 */
export const yDomain = (spec: Pick<PanelSpec, 'series' | 'y' | 'refs'>): readonly [number, number] => {
  if (spec.y.domain) return spec.y.domain
  const ys = spec.series.flatMap((s) => s.points.map((p) => p.y)).concat((spec.refs ?? []).map((r) => r.y))
  return spec.y.scale === 'log' ? logDomain(ys) : linearDomain(ys, spec.y.includeZero ?? false)
}

const xDomain = (spec: PanelSpec): readonly [number, number] => {
  if (spec.x.domain) return spec.x.domain
  if (spec.x.categories) return [-0.4, Math.max(0, spec.x.categories.length - 1) + 0.4]
  const xs = spec.series.flatMap((s) => s.points.map((p) => p.x))
  if (spec.x.scale === 'log') return logDomain(xs)
  const ok = xs.filter(Number.isFinite)
  return ok.length > 1 && Math.min(...ok) < Math.max(...ok) ? [Math.min(...ok), Math.max(...ok)] : linearDomain(ok)
}

const mk = (kind: 'linear' | 'log', d: readonly [number, number], r: readonly [number, number]): Scale => (kind === 'log' ? logScale(d, r) : linearScale(d, r))

/** The footnote explaining gap marks, or '' when there are none. @category utils @since 0.1.0 */
export const gapNote = (zeros: boolean, nonFinite: boolean): string =>
  [zeros ? '▼ at the floor: value 0 or below (not on a log axis)' : '', nonFinite ? '× at the top: not finite (NaN or ∞)' : '']
    .filter((s) => s !== '')
    .join(' · ') + (zeros || nonFinite ? '. Lines break at these points.' : '')

const refLine = (r: RefLine, sy: Scale, box: Box): string => {
  if (!drawable(sy)(r.y)) return ''
  const y = project(sy)(r.y)
  return el(
    'g', { class: 'ref' },
    el('line', { x1: box.x0, x2: box.x1, y1: y, y2: y, stroke: ink.ref, 'stroke-width': 1.3, 'stroke-dasharray': '5 4' }),
    el('text', { x: box.x1 - 6, y: y - 6, 'text-anchor': 'end', fill: ink.ref, 'font-size': SIZE.note, stroke: '#ffffff', 'stroke-width': 4, 'paint-order': 'stroke' }, escapeXml(r.label)),
  )
}

const seriesMarks = (s: XYSeries, sx: Scale, sy: Scale, box: Box, markers: boolean): { svg: string; zeros: boolean; nonFinite: boolean } => {
  const st = seriesStyle(s.style)
  const px = project(sx)
  const py = project(sy)
  const ok = (p: XYPoint): boolean => drawable(sx)(p.x) && drawable(sy)(p.y)
  const pts = s.points.map((p) => (ok(p) ? ([px(p.x), py(p.y)] as const) : null))
  const bad = s.points.filter((p) => drawable(sx)(p.x) && !drawable(sy)(p.y))
  const zero = bad.filter((p) => Number.isFinite(p.y))
  const inf = bad.filter((p) => !Number.isFinite(p.y))
  const dots = markers ? s.points.filter(ok).map((p) => marker(st.marker, px(p.x), py(p.y), st.color, 4, tip(p.tip))) : []
  const gaps = [
    ...zero.map((p) => marker('triangleDown', px(p.x), box.y1 - 7, st.color, 5, tip(`${p.tip} — not shown on a log axis`))),
    ...inf.map((p) => marker('cross', px(p.x), box.y0 + 7, st.color, 5, tip(p.tip))),
  ]
  return {
    svg: el('g', { class: 'series', 'data-label': s.label }, tip(s.label), polyline(pts, st, 2.2), ...dots, ...gaps),
    zeros: zero.length > 0,
    nonFinite: inf.length > 0,
  }
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Draw a panel `width` wide with its top at `top`. @category constructors @since 0.1.0 */
export const panel = (spec: PanelSpec, width: number, top: number): Panel => {
  const yd = yDomain(spec)
  const probe = mk(spec.y.scale, yd, [1, 0])
  const tw = Math.max(24, ...ticks(probe, 6).filter((t) => t.major).map(tickWidth))
  const titleH = spec.title ? 26 : 0
  const x0 = tw + 44
  const x1 = width - 20
  const cats = spec.x.categories
  const bottom = cats ? xAxisHeight(cats, cats.length, x1 - x0) : 48
  const box: Box = { x0, x1, y0: top + titleH + 8, y1: top + titleH + 8 + spec.height }
  const sx = mk(spec.x.scale, xDomain(spec), [box.x0, box.x1])
  const sy = mk(spec.y.scale, yd, [box.y1, box.y0])
  const marks = spec.series.map((s) => seriesMarks(s, sx, sy, box, spec.markers))
  const svg = el(
    'g', { class: 'panel' },
    spec.title ? el('text', { x: x0, y: top + 18, 'font-size': SIZE.label, 'font-weight': 600 }, escapeXml(spec.title)) : '',
    yAxis(sy, box, spec.y.label),
    xAxis(sx, box, spec.x.label, cats),
    ...(spec.refs ?? []).map((r) => refLine(r, sy, box)),
    ...marks.map((m) => m.svg),
  )
  return { svg, height: titleH + 8 + spec.height + bottom, zeros: marks.some((m) => m.zeros), nonFinite: marks.some((m) => m.nonFinite) }
}
