/**
 * SVG primitives for the report: escaped text, elements, a responsive root
 * with `<title>`/`<desc>`, axes with ticks and units (log axes are labelled
 * as such and ticked in decades), a legend that repeats colour, dash and
 * marker, and marker shapes. Strings in, strings out: no DOM, no fonts, no
 * scripts, so it runs in Node, browsers and Workers alike.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { el, escapeXml } from './svg'
 * assert.strictEqual(escapeXml('a < b & c'), 'a &lt; b &amp; c')
 * assert.strictEqual(el('text', { x: 1, y: 2 }, escapeXml('relu & He')), '<text x="1" y="2">relu &amp; He</text>')
 *
 * @since 0.1.0
 */
import type { Marker, SeriesStyle } from './palette'
import { ink } from './palette'
import type { Scale, Tick } from './scale'
import { project, ticks } from './scale'

// -------------------------------------------------------------------------------------
// text
// -------------------------------------------------------------------------------------

/** System font stack: nothing is downloaded. @category constants @since 0.1.0 */
export const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

/** Font sizes in viewBox units (1 unit = 1 CSS px at the default width). @category constants @since 0.1.0 */
export const SIZE = { title: 16, label: 14, tick: 13, note: 12.5 } as const

// characters XML 1.0 forbids (C0 controls, lone surrogates, U+FFFE/F) become U+FFFD
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const ENT: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escape text for XML/HTML content and attribute values. @category utils @since 0.1.0 */
export const escapeXml = (s: string): string => String(s).replace(INVALID, '\uFFFD').replace(/[&<>"']/g, (c) => ENT[c] ?? c)

/** Rough width of a label in px (0.58 em a character: a safe bound for sans-serif). @category utils @since 0.1.0 */
export const textWidth = (s: string, size: number = SIZE.tick): number => [...s].length * size * 0.58

/** Shorten a label to at most `max` characters with an ellipsis in the middle (paths keep both ends). @category utils @since 0.1.0 */
export const shorten = (s: string, max: number): string => {
  const cs = [...s]
  if (cs.length <= max) return s
  const head = Math.ceil((max - 1) / 2)
  return `${cs.slice(0, head).join('')}…${cs.slice(cs.length - (max - 1 - head)).join('')}`
}

/** A coordinate: rounded to 0.01, never "NaN" (non-finite becomes 0). @category utils @since 0.1.0 */
export const num = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100 + 0) : '0')

/** A short deterministic id from a string (FNV-1a), for ids that must be unique on a page. @category utils @since 0.1.0 */
export const hashId = (s: string): string => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return `gt${(h >>> 0).toString(36)}`
}

// -------------------------------------------------------------------------------------
// elements
// -------------------------------------------------------------------------------------

/** Attribute values: numbers are coordinates (see `num`), strings are escaped, undefined is skipped. @category model @since 0.1.0 */
export type Attrs = Readonly<Record<string, string | number | undefined>>

/** An element; children must already be markup (escape text with `escapeXml`). @category constructors @since 0.1.0 */
export const el = (name: string, attrs: Attrs, ...children: ReadonlyArray<string>): string => {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('')
  return children.length === 0 ? `<${name}${a}/>` : `<${name}${a}>${children.join('')}</${name}>`
}

/** Text with a hover tooltip (an SVG `<title>` child). @category constructors @since 0.1.0 */
export const tip = (s: string): string => el('title', {}, escapeXml(s))

/** The root element: viewBox sizing, accessible name and description, white background. @category constructors @since 0.1.0 */
export const svgRoot = (o: { readonly width: number; readonly height: number; readonly title: string; readonly desc: string }, body: string): string => {
  const id = hashId(`${o.title}\n${o.desc}\n${body}`)
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${num(o.width)} ${num(o.height)}`, width: o.width, height: o.height,
      role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, 'font-family': FONT, 'font-size': SIZE.tick, fill: ink.text, class: 'gt-chart',
    },
    el('title', { id: `${id}-t` }, escapeXml(o.title)),
    el('desc', { id: `${id}-d` }, escapeXml(o.desc)),
    el('rect', { width: o.width, height: o.height, fill: '#ffffff' }),
    body,
  )
}

// -------------------------------------------------------------------------------------
// axes
// -------------------------------------------------------------------------------------

/** Tick label content: decades as 10 with a superscript exponent, others as plain text. @category utils @since 0.1.0 */
export const tickText = (t: Tick): string =>
  t.exp === undefined ? escapeXml(t.label) : `10${el('tspan', { dy: '-0.55em', 'font-size': '0.75em' }, t.exp < 0 ? `−${-t.exp}` : String(t.exp))}`

/** Width of a tick label as drawn. @category utils @since 0.1.0 */
export const tickWidth = (t: Tick): number => (t.exp === undefined ? textWidth(t.label) : textWidth('10') + textWidth(String(t.exp), SIZE.tick * 0.75) + 2)

/** Axis label with " (log scale)" appended on log scales, so the reader is told. @category utils @since 0.1.0 */
export const axisTitle = (s: Scale, label: string): string => (s._tag === 'log' ? `${label} (log scale)` : label)

/** Plot rectangle in viewBox units. @category model @since 0.1.0 */
export interface Box {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/** A y axis on the left of `box`: grid lines, ticks, labels and the rotated axis title. @category constructors @since 0.1.0 */
export const yAxis = (s: Scale, box: Box, label: string, count = 6): string => {
  const ts = ticks(s, count)
  const py = project(s)
  const parts = ts.map((t) => {
    const y = py(t.value)
    return el(
      'g', { class: 'tick', 'data-value': t.label },
      el('line', { x1: box.x0, x2: box.x1, y1: y, y2: y, stroke: ink.grid, 'stroke-width': t.major ? 1 : 0.6 }),
      el('line', { x1: box.x0 - (t.major ? 5 : 3), x2: box.x0, y1: y, y2: y, stroke: ink.axis }),
      t.major ? el('text', { x: box.x0 - 8, y: y + 4.5, 'text-anchor': 'end', fill: ink.muted }, tickText(t)) : '',
    )
  })
  const w = Math.max(0, ...ts.filter((t) => t.major).map(tickWidth))
  const cx = box.x0 - w - 22
  const cy = (box.y0 + box.y1) / 2
  return el(
    'g', { class: 'axis y' }, ...parts,
    el('line', { x1: box.x0, x2: box.x0, y1: box.y0, y2: box.y1, stroke: ink.axis }),
    el('text', { x: cx, y: cy, transform: `rotate(-90 ${num(cx)} ${num(cy)})`, 'text-anchor': 'middle', 'font-size': SIZE.label }, escapeXml(axisTitle(s, label))),
  )
}

/** Height needed under the plot by `xAxis` with these tick labels. @category utils @since 0.1.0 */
export const xAxisHeight = (labels: ReadonlyArray<string>, slots: number, width: number): number => {
  const rot = xRotated(labels, slots, width)
  return rot ? Math.min(140, Math.max(...labels.map((l) => textWidth(l))) * 0.6) + 46 : 48
}

const xRotated = (labels: ReadonlyArray<string>, slots: number, width: number): boolean =>
  labels.length > 0 && Math.max(...labels.map((l) => textWidth(l))) + 8 > width / Math.max(1, slots)

/** An x axis under `box`, numeric (ticks from the scale) or categorical (`categories[i]` at value i). @category constructors @since 0.1.0 */
export const xAxis = (s: Scale, box: Box, label: string, categories?: ReadonlyArray<string>): string => {
  const px = project(s)
  const ts: ReadonlyArray<Tick> =
    categories === undefined ? ticks(s, Math.max(2, Math.floor((box.x1 - box.x0) / 90))) : categories.map((c, i) => ({ value: i, label: c, major: true }))
  const rot = categories !== undefined && xRotated(categories, categories.length, box.x1 - box.x0)
  const parts = ts.map((t) => {
    const x = px(t.value)
    const text = rot
      ? el('text', { x, y: box.y1 + 14, transform: `rotate(-35 ${num(x)} ${num(box.y1 + 14)})`, 'text-anchor': 'end', fill: ink.muted }, tickText(t))
      : el('text', { x, y: box.y1 + 19, 'text-anchor': 'middle', fill: ink.muted }, tickText(t))
    return el(
      'g', { class: 'tick', 'data-value': t.label },
      categories === undefined ? el('line', { x1: x, x2: x, y1: box.y0, y2: box.y1, stroke: ink.grid, 'stroke-width': t.major ? 1 : 0.6 }) : '',
      el('line', { x1: x, x2: x, y1: box.y1, y2: box.y1 + 5, stroke: ink.axis }),
      t.major ? text : '',
    )
  })
  const h = categories === undefined ? 48 : xAxisHeight(categories, categories.length, box.x1 - box.x0)
  return el(
    'g', { class: 'axis x' }, ...parts,
    el('line', { x1: box.x0, x2: box.x1, y1: box.y1, y2: box.y1, stroke: ink.axis }),
    el('text', { x: (box.x0 + box.x1) / 2, y: box.y1 + h - 6, 'text-anchor': 'middle', 'font-size': SIZE.label }, escapeXml(axisTitle(s, label))),
  )
}

// -------------------------------------------------------------------------------------
// marks
// -------------------------------------------------------------------------------------

/** A marker of the given shape centred on (x, y). @category constructors @since 0.1.0 */
export const marker = (m: Marker, x: number, y: number, color: string, r = 4, extra = ''): string => {
  const p = (d: string): string => el('path', { d, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, ...(extra ? [extra] : []))
  const [a, b, c, d] = [num(x - r), num(x + r), num(y - r), num(y + r)]
  switch (m) {
    case 'circle': return el('circle', { cx: x, cy: y, r, fill: color, stroke: '#ffffff', 'stroke-width': 1 }, ...(extra ? [extra] : []))
    case 'square': return p(`M${a} ${c}H${b}V${d}H${a}Z`)
    case 'triangle': return p(`M${num(x)} ${num(y - r * 1.2)}L${num(x + r * 1.1)} ${num(y + r * 0.8)}H${num(x - r * 1.1)}Z`)
    case 'triangleDown': return p(`M${num(x)} ${num(y + r * 1.2)}L${num(x + r * 1.1)} ${num(y - r * 0.8)}H${num(x - r * 1.1)}Z`)
    case 'diamond': return p(`M${num(x)} ${num(y - r * 1.3)}L${num(x + r * 1.1)} ${num(y)}L${num(x)} ${num(y + r * 1.3)}L${num(x - r * 1.1)} ${num(y)}Z`)
    case 'cross': return el('path', { d: `M${a} ${c}L${b} ${d}M${a} ${d}L${b} ${c}`, stroke: color, 'stroke-width': 2.2, fill: 'none' }, ...(extra ? [extra] : []))
  }
}

/** Polyline through points; `null` points break the line (gaps, never a NaN coordinate). @category constructors @since 0.1.0 */
export const polyline = (pts: ReadonlyArray<readonly [number, number] | null>, st: SeriesStyle, width = 2): string => {
  const runs: Array<Array<readonly [number, number]>> = [[]]
  for (const p of pts) {
    if (p === null) runs.push([])
    else runs[runs.length - 1]!.push(p)
  }
  return runs
    .filter((r) => r.length > 1)
    .map((r) => el('path', {
      d: r.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${num(x)} ${num(y)}`).join(''),
      fill: 'none', stroke: st.color, 'stroke-width': width, 'stroke-dasharray': st.dash || undefined, 'stroke-linejoin': 'round', 'stroke-linecap': st.dash ? 'butt' : 'round',
    }))
    .join('')
}

// -------------------------------------------------------------------------------------
// legend
// -------------------------------------------------------------------------------------

/** One legend entry. @category model @since 0.1.0 */
export interface LegendItem {
  readonly label: string
  readonly style: SeriesStyle
  readonly showMarker: boolean
}

const itemWidth = (it: LegendItem): number => 44 + textWidth(it.label, SIZE.label) + 22

/** Height of the legend laid out in rows within `width`. @category utils @since 0.1.0 */
export const legendHeight = (items: ReadonlyArray<LegendItem>, width: number): number => legendRows(items, width).length * 22

const legendRows = (items: ReadonlyArray<LegendItem>, width: number): ReadonlyArray<ReadonlyArray<LegendItem>> => {
  const rows: LegendItem[][] = []
  let used = Infinity
  for (const it of items) {
    const w = itemWidth(it)
    if (used + w > width) {
      rows.push([])
      used = 0
    }
    rows[rows.length - 1]!.push(it)
    used += w
  }
  return rows
}

/** A legend starting at (x, y), wrapping into rows within `width`; each entry shows colour, dash and marker. @category constructors @since 0.1.0 */
export const legend = (items: ReadonlyArray<LegendItem>, x: number, y: number, width: number): string =>
  el('g', { class: 'legend' }, ...legendRows(items, width).flatMap((row, r) => {
    let cx = x
    return row.map((it) => {
      const cy = y + r * 22 + 11
      const g = el(
        'g', { class: 'legend-item' },
        el('line', { x1: cx, x2: cx + 36, y1: cy, y2: cy, stroke: it.style.color, 'stroke-width': 2.5, 'stroke-dasharray': it.style.dash || undefined }),
        it.showMarker ? marker(it.style.marker, cx + 18, cy, it.style.color) : '',
        el('text', { x: cx + 44, y: cy + 5, 'font-size': SIZE.label }, escapeXml(it.label)),
      )
      cx += itemWidth(it)
      return g
    })
  }))
