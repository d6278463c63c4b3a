/**
 * Charts for gradient traces, each a self-contained SVG string: gradient flow
 * (per-layer norm on a log axis, one line per configuration), decay of
 * ‖dL/dh_t‖ over time for recurrent nets, loss curves with reference lines,
 * horizontal bar charts for small tables, and (re-exported) the heatmap.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { gradientFlowChart } from './charts'
 * const svg = gradientFlowChart([
 *   { label: 'sigmoid + uniform', layers: ['1', '2', '3'], values: [1e-6, 1e-3, 1] },
 *   { label: 'relu + He', layers: ['1', '2', '3'], values: [0.5, 0.7, 1] },
 * ], { title: 'Gradient flow' })
 * assert.ok(svg.startsWith('<svg'))
 * // for screen readers: a title, and a description naming the scale and the series
 * assert.match(svg, /<title[^>]*>Gradient flow<\/title>/)
 * assert.match(svg, /<desc[^>]*>[^<]*on a log scale[^<]*Series: sigmoid \+ uniform; relu \+ He\.<\/desc>/)
 *
 * @since 0.1.0
 */
import { ink, seriesStyle } from './palette'
import { drawable, fmt, linearDomain, linearScale, logDomain, logScale, project } from './scale'
import type { LegendItem } from './svg'
import { SIZE, el, escapeXml, legend, legendHeight, shorten, svgRoot, textWidth, tip, xAxis } from './svg'
import type { AxisSpec, Panel, PanelSpec, RefLine, XYSeries } from './xy'
import { gapNote, panel, yDomain } from './xy'

export { heatmap } from './heatmap'
export type { HeatmapData, HeatmapOptions } from './heatmap'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Per-layer values of one configuration, from input (index 0) to output. @category model @since 0.1.0 */
export interface FlowSeries {
  readonly label: string
  /** the layer of each value: the x position is the layer's place among all the series' layers, not the value's index */
  readonly layers: ReadonlyArray<string>
  /** a norm per layer; 0 and non-finite values are drawn as marked gaps */
  readonly values: ReadonlyArray<number>
  /** palette index, so one thing keeps its colour through a section's charts (default: by order of the labels) */
  readonly style?: number
}

/** Per-time-step values (index = t) of one recurrent cell. @category model @since 0.1.0 */
export interface DecaySeries {
  readonly label: string
  readonly values: ReadonlyArray<number>
  /** palette index (default: by order of the labels) */
  readonly style?: number
}

/** Points of one curve. @category model @since 0.1.0 */
export interface LineSeries {
  readonly label: string
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>
  /** palette index (default: by order of the labels) */
  readonly style?: number
}

/** One bar. @category model @since 0.1.0 */
export interface Bar {
  readonly label: string
  readonly value: number
}

/** Options shared by every chart. @category model @since 0.1.0 */
export interface ChartOptions {
  readonly title?: string
  /** viewBox width in px (default 760); the SVG scales down to its container */
  readonly width?: number
  /** plot height of one panel in px (default 300) */
  readonly height?: number
}

/** Options of `gradientFlowChart`. @category model @since 0.1.0 */
export interface FlowOptions extends ChartOptions {
  readonly yLabel?: string
  readonly panelTitle?: string
  /** a second panel below with the same y scale, e.g. dL/dW beside dL/dz; its y-axis title is its own */
  readonly compare?: { readonly title: string; readonly series: ReadonlyArray<FlowSeries>; readonly yLabel: string }
}

/** Options of `barChart`. @category model @since 0.1.0 */
export interface BarOptions extends ChartOptions {
  /** the title of the value axis (default 'value') */
  readonly valueLabel?: string
  readonly scale?: 'linear' | 'log'
  /** how a value is written at the end of its bar */
  readonly format?: (v: number) => string
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const W = 760
const H = 300
const MARKERS_UP_TO = 40

/** What a series shows in the legend: its label, and its palette index if it keeps one. */
interface Styled {
  readonly label: string
  readonly style?: number
}

/** A series' palette index: its own `style`, else its label's place among the labels. */
const styleIndex = (series: ReadonlyArray<Styled>): ((s: Styled) => number) => {
  const order = [...new Set(series.map((s) => s.label))]
  return (s) => s.style ?? order.indexOf(s.label)
}

/** One legend entry per label, drawn as its first series. */
const legendItems = <S extends Styled>(series: ReadonlyArray<S>, style: (s: S) => number, showMarker: boolean): ReadonlyArray<LegendItem> =>
  series.filter((s, i) => series.findIndex((t) => t.label === s.label) === i).map((s) => ({ label: s.label, style: seriesStyle(style(s)), showMarker }))

/**
 * The layer axis of a flow chart: every series' layers merged into one
 * input-to-output order (a layer only some series have goes right after the
 * layer before it in that series), so a value sits at its layer's label even
 * when series hold different layers (dL/dW skips layers without weights).
 */
export const layerAxis = (series: ReadonlyArray<Pick<FlowSeries, 'layers'>>): ReadonlyArray<string> => {
  const order: string[] = []
  for (const s of series) {
    let at = 0
    for (const l of s.layers) {
      const i = order.indexOf(l)
      if (i >= 0) at = i + 1
      else order.splice(at++, 0, l)
    }
  }
  return order
}

const describe = (title: string, items: ReadonlyArray<LegendItem>, y: AxisSpec, x: AxisSpec): string =>
  `${title}. ${y.label}${y.scale === 'log' ? ' on a log scale' : ''} against ${x.label}. Series: ${items.map((i) => i.label).join('; ') || 'none'}.`

/** Stack panels under a title, then the gap footnote and the legend. @category utils @since 0.1.0 */
const compose = (title: string, width: number, specs: ReadonlyArray<PanelSpec>, items: ReadonlyArray<LegendItem>): string => {
  const parts: string[] = [el('text', { x: 16, y: 26, 'font-size': SIZE.title, 'font-weight': 700 }, escapeXml(title))]
  let top = 36
  const drawn: Panel[] = []
  for (const s of specs) {
    const p = panel(s, width, top)
    drawn.push(p)
    parts.push(p.svg)
    top += p.height + 6
  }
  const note = gapNote(drawn.some((p) => p.zeros), drawn.some((p) => p.nonFinite))
  if (note) {
    parts.push(el('text', { x: 16, y: top + 10, 'font-size': SIZE.note, fill: ink.muted, class: 'gap-note' }, escapeXml(note)))
    top += 20
  }
  if (items.length > 0) {
    parts.push(legend(items, 16, top + 2, width - 32))
    top += legendHeight(items, width - 32) + 6
  }
  const first = specs[0]
  return svgRoot({ width, height: top + 10, title, desc: first ? describe(title, items, first.y, first.x) : title }, parts.join(''))
}

// -------------------------------------------------------------------------------------
// charts
// -------------------------------------------------------------------------------------

/**
 * Gradient flow: one line per configuration of a per-layer norm on a log axis,
 * input on the left, output on the right. A line falling to the left by many
 * decades is a vanishing gradient; rising to the left, exploding.
 *
 * @category charts
 * @since 0.1.0
 */
export const gradientFlowChart = (series: ReadonlyArray<FlowSeries>, opts: FlowOptions = {}): string => {
  const all = series.concat(opts.compare?.series ?? [])
  const style = styleIndex(all)
  const layers = layerAxis(all)
  const toXY = (s: FlowSeries): XYSeries => {
    const last = s.values[s.values.length - 1] ?? NaN
    return {
      label: s.label, style: style(s),
      points: s.values.map((v, i) => ({
        x: layers.indexOf(s.layers[i] ?? ''), y: v,
        tip: `${s.label} · ${s.layers[i] ?? i}: ${fmt(v)}${v > 0 && last > 0 && Number.isFinite(v / last) ? ` (${fmt(v / last)}× the last layer)` : ''}`,
      })).filter((p) => p.x >= 0),
    }
  }
  const x: AxisSpec = { scale: 'linear', label: 'layer, input → output', categories: layers.map((l) => shorten(l, 22)) }
  const base = { x, height: opts.height ?? H, markers: true }
  const yLabel = opts.yLabel ?? 'gradient norm ‖dL/dz‖'
  const title = opts.compare ? (opts.panelTitle ?? yLabel) : opts.panelTitle
  const main: PanelSpec = { ...base, title, series: series.map(toXY), y: { scale: 'log', label: yLabel } }
  const second: PanelSpec | null = opts.compare
    ? { ...base, title: opts.compare.title, series: opts.compare.series.map(toXY), y: { scale: 'log', label: opts.compare.yLabel } }
    : null
  const shared = logDomain([...yDomain(main), ...(second ? yDomain(second) : [])])
  const specs = second ? [{ ...main, y: { ...main.y, domain: shared } }, { ...second, y: { ...second.y, domain: shared } }] : [main]
  return compose(opts.title ?? 'Gradient flow by layer', opts.width ?? W, specs, legendItems(all, style, true))
}

/**
 * Decay of the error signal back through time: ‖dL/dh_t‖ divided by its value
 * at the last step (set `relative: false` for raw norms), on a log axis, one
 * line per cell type. A straight falling line is exponential decay.
 *
 * @category charts
 * @since 0.1.0
 */
export const decayChart = (series: ReadonlyArray<DecaySeries>, opts: ChartOptions & { readonly relative?: boolean; readonly yLabel?: string } = {}): string => {
  const rel = opts.relative ?? true
  const style = styleIndex(series)
  const xy = series.map((s): XYSeries => {
    const ref = [...s.values].reverse().find((v) => Number.isFinite(v) && v > 0) ?? NaN
    return {
      label: s.label, style: style(s),
      points: s.values.map((v, t) => {
        const y = rel ? v / ref : v
        return { x: t, y: v === 0 ? 0 : y, tip: `${s.label} · t = ${t}: ${fmt(y)}${rel ? ' of the last step' : ''}` }
      }),
    }
  })
  const many = series.some((s) => s.values.length > MARKERS_UP_TO)
  const spec: PanelSpec = {
    series: xy, height: opts.height ?? H, markers: !many,
    x: { scale: 'linear', label: 'time step t' },
    y: { scale: 'log', label: opts.yLabel ?? (rel ? '‖dL/dh_t‖ ÷ ‖dL/dh_T‖' : '‖dL/dh_t‖') },
  }
  return compose(opts.title ?? 'Error signal back through time', opts.width ?? W, [spec], legendItems(series, style, !many))
}

/**
 * Curves such as loss against step, on a linear or log y axis, with optional
 * labelled horizontal reference lines ("chance ln 10").
 *
 * @category charts
 * @since 0.1.0
 */
export const lineChart = (
  series: ReadonlyArray<LineSeries>,
  opts: ChartOptions & { readonly xLabel?: string; readonly yLabel?: string; readonly yScale?: 'linear' | 'log'; readonly refs?: ReadonlyArray<RefLine> } = {},
): string => {
  const style = styleIndex(series)
  const many = series.some((s) => s.points.length > MARKERS_UP_TO)
  const xLabel = opts.xLabel ?? 'step'
  const xy = series.map((s): XYSeries => ({
    label: s.label, style: style(s),
    points: s.points.map((p) => ({ x: p.x, y: p.y, tip: `${s.label} · ${xLabel} ${fmt(p.x)}: ${fmt(p.y)}` })),
  }))
  const spec: PanelSpec = {
    series: xy, height: opts.height ?? H, markers: !many, refs: opts.refs ?? [],
    x: { scale: 'linear', label: xLabel },
    y: { scale: opts.yScale ?? 'linear', label: opts.yLabel ?? 'loss', includeZero: (opts.yScale ?? 'linear') === 'linear' },
  }
  return compose(opts.title ?? 'Loss', opts.width ?? W, [spec], legendItems(series, style, !many))
}

/**
 * Horizontal bars for a small table (e.g. final test error per configuration),
 * each with its value written at the end of the bar.
 *
 * @category charts
 * @since 0.1.0
 */
export const barChart = (bars: ReadonlyArray<Bar>, opts: BarOptions = {}): string => {
  const width = opts.width ?? W
  const f = opts.format ?? fmt
  const labels = bars.map((b) => shorten(b.label, 36))
  const x0 = 24 + Math.max(40, ...labels.map((l) => textWidth(l, SIZE.label)))
  const valW = Math.max(...bars.map((b) => textWidth(f(b.value))), 30) + 12
  const log = opts.scale === 'log'
  const d = log ? logDomain(bars.map((b) => b.value)) : linearDomain(bars.map((b) => b.value), true)
  const box = { x0, x1: width - 20 - valW, y0: 44, y1: 44 + Math.max(1, bars.length) * 30 }
  const sx = (log ? logScale : linearScale)(d, [box.x0, box.x1])
  const px = project(sx)
  const ok = drawable(sx)
  const rows = bars.map((b, i) => {
    const y = box.y0 + i * 30 + 5
    const end = ok(b.value) ? px(b.value) : box.x0
    const base = log ? box.x0 : px(Math.max(d[0], Math.min(d[1], 0)))
    return el(
      'g', { class: 'bar' }, tip(`${b.label}: ${f(b.value)}`),
      el('text', { x: box.x0 - 10, y: y + 15, 'text-anchor': 'end', 'font-size': SIZE.label }, escapeXml(labels[i] ?? '')),
      ok(b.value) ? el('rect', { x: Math.min(base, end), y, width: Math.abs(end - base), height: 20, fill: seriesStyle(0).color }) : '',
      el('text', { x: Math.max(base, end) + 6, y: y + 15, fill: ink.text }, escapeXml(ok(b.value) ? f(b.value) : `${f(b.value)}`)),
    )
  })
  const axis = xAxis(sx, box, opts.valueLabel ?? 'value')
  const body = [el('text', { x: 16, y: 26, 'font-size': SIZE.title, 'font-weight': 700 }, escapeXml(opts.title ?? 'Comparison')), axis, ...rows].join('')
  const title = opts.title ?? 'Comparison'
  return svgRoot({ width, height: box.y1 + 58, title, desc: `${title}. ${bars.map((b) => `${b.label}: ${f(b.value)}`).join('; ')}.` }, body)
}
