/**
 * Heatmap of log10 norms: rows (layers, or time steps) by columns (training
 * steps), coloured with viridis, with a colour bar labelled in decades. Zeros
 * and non-finite cells get their own marks (grey; red hatching) and legend
 * entries, so they are never mistaken for small values.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { heatmap } from './heatmap'
 * import { viridis } from './palette'
 * const svg = heatmap({ rows: ['layer 1', 'layer 2'], cols: ['0', '10'], values: [[1e-6, 1e-5], [1e-2, 1e-1]] })
 * assert.ok(svg.startsWith('<svg'))
 * assert.ok(svg.includes(`fill="${viridis(0)}"`) && svg.includes(`fill="${viridis(1)}"`)) // the smallest cell and the largest
 *
 * @since 0.1.0
 */
import { ink, viridis } from './palette'
import { drawable, fmt, logDomain, logScale, project, ticks } from './scale'
import { SIZE, el, escapeXml, hashId, num, shorten, svgRoot, textWidth, tickText, tickWidth, tip } from './svg'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A matrix of positive values; `values[r][c]` belongs to row `rows[r]` and column `cols[c]`. @category model @since 0.1.0 */
export interface HeatmapData {
  readonly rows: ReadonlyArray<string>
  readonly cols: ReadonlyArray<string>
  readonly values: ReadonlyArray<ReadonlyArray<number>>
}

/** Options of `heatmap`. @category model @since 0.1.0 */
export interface HeatmapOptions {
  readonly title?: string
  readonly width?: number
  readonly xLabel?: string
  readonly yLabel?: string
  /** what a cell measures, e.g. '‖dL/dz‖'; the colour bar says it is on a log scale */
  readonly valueLabel?: string
  /** fixed colour domain (positive), e.g. to compare two heatmaps */
  readonly domain?: readonly [number, number]
  readonly cellHeight?: number
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const ZERO = '#cfcfcf'
const TIPS_UP_TO = 4000

// label every k-th row/column, k from 1, 2, 5, 10, 20, 50, … so labels never touch
const every = (labels: ReadonlyArray<string>, slot: number, minGap: number): number => {
  const need = (Math.max(0, ...labels.map((l) => textWidth(l))) + minGap) / Math.max(1e-9, slot)
  if (!(need > 1)) return 1
  for (let k = 1; ; k *= 10) for (const m of [1, 2, 5]) if (m * k >= need) return m * k
}

const swatch = (x: number, y: number, fill: string, label: string): string =>
  el('g', { class: 'swatch' }, el('rect', { x, y, width: 16, height: 12, fill, stroke: ink.axis, 'stroke-width': 0.6 }), el('text', { x: x + 22, y: y + 10.5, 'font-size': SIZE.note }, escapeXml(label)))

interface Layout {
  readonly id: string
  readonly x0: number
  readonly x1: number
  readonly y0: number
  readonly y1: number
  readonly cw: number
  readonly ch: number
}

const cellsSvg = (data: HeatmapData, L: Layout, dom: readonly [number, number]): string => {
  const color = logScale(dom, [0, 1])
  const ok = drawable(color)
  const tips = data.rows.length * data.cols.length <= TIPS_UP_TO
  const nr = data.rows.length
  const nc = data.cols.length
  const out: string[] = []
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const v = data.values[r]?.[c] ?? NaN
      const fill = ok(v) ? viridis(project(color)(v)) : Number.isFinite(v) ? ZERO : `url(#${L.id}-nf)`
      const t = tips ? [tip(`${data.rows[r]} · ${data.cols[c]}: ${fmt(v)}`)] : []
      // cells overlap by half a pixel so no hairline gaps show between them
      out.push(el('rect', { x: L.x0 + c * L.cw, y: L.y0 + r * L.ch, width: L.cw + (c < nc - 1 ? 0.5 : 0), height: L.ch + (r < nr - 1 ? 0.5 : 0), fill }, ...t))
    }
  }
  return el('g', { class: 'cells', 'shape-rendering': 'crispEdges' }, ...out)
}

const labelsSvg = (data: HeatmapData, L: Layout): string => {
  const rowStep = every([], L.ch, 18)
  const rows = data.rows.map((l, r) =>
    r % rowStep === 0 ? el('text', { x: L.x0 - 8, y: L.y0 + r * L.ch + L.ch / 2 + 4.5, 'text-anchor': 'end', fill: ink.muted }, tip(l), escapeXml(shorten(l, 28))) : '')
  const colStep = every(data.cols, L.cw, 14)
  const cols = data.cols.map((l, c) => {
    const x = L.x0 + (c + 0.5) * L.cw
    return c % colStep === 0
      ? el('g', { class: 'tick' }, el('line', { x1: x, x2: x, y1: L.y1, y2: L.y1 + 5, stroke: ink.axis }), el('text', { x, y: L.y1 + 19, 'text-anchor': 'middle', fill: ink.muted }, escapeXml(l)))
      : ''
  })
  return rows.join('') + cols.join('')
}

// colour bar: a vertical viridis gradient, high values at the top, ticked in decades
const colourBar = (L: Layout, dom: readonly [number, number], bh: number, title: string): string => {
  const bx = L.x1 + 16
  const bar = logScale(dom, [L.y0 + bh, L.y0])
  const ts = ticks(bar, Math.max(2, Math.floor(bh / 32))).filter((t) => t.major)
  const tx = bx + 16 + 8 + Math.max(0, ...ts.map(tickWidth)) + 16
  const cy = L.y0 + bh / 2
  return el('g', { class: 'colour-bar' },
    el('rect', { x: bx, y: L.y0, width: 16, height: bh, fill: `url(#${L.id}-cb)`, stroke: ink.axis, 'stroke-width': 0.6 }),
    ...ts.map((t) => {
      const y = project(bar)(t.value)
      return el('g', { class: 'tick', 'data-value': t.label },
        el('line', { x1: bx + 16, x2: bx + 21, y1: y, y2: y, stroke: ink.axis }),
        el('text', { x: bx + 24, y: y + 4.5, fill: ink.muted }, tickText(t)))
    }),
    el('text', { x: tx, y: cy, transform: `rotate(90 ${num(tx)} ${num(cy)})`, 'text-anchor': 'middle', 'font-size': SIZE.label }, escapeXml(title)))
}

const defsSvg = (id: string): string =>
  el('defs', {},
    el('linearGradient', { id: `${id}-cb`, x1: 0, x2: 0, y1: 0, y2: 1 }, ...Array.from({ length: 11 }, (_, i) => el('stop', { offset: `${i * 10}%`, 'stop-color': viridis(1 - i / 10) }))),
    el('pattern', { id: `${id}-nf`, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      el('rect', { width: 6, height: 6, fill: '#ffffff' }), el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#C0392B', 'stroke-width': 3 })))

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A heatmap of log10 values with a colour bar in decades; hover a cell for its value.
 *
 * @category charts
 * @since 0.1.0
 */
export const heatmap = (data: HeatmapData, opts: HeatmapOptions = {}): string => {
  const title = opts.title ?? 'Gradient norms by layer and step'
  const width = opts.width ?? 760
  const nr = data.rows.length
  const x0 = 46 + Math.max(30, ...data.rows.map((r) => textWidth(shorten(r, 28))))
  const ch = opts.cellHeight ?? Math.min(28, Math.max(14, 260 / Math.max(1, nr)))
  const L: Layout = { id: hashId(`${title}${JSON.stringify(data)}`), x0, x1: width - 112, y0: 44, y1: 44 + nr * ch, ch, cw: (width - 112 - x0) / Math.max(1, data.cols.length) }
  const all = data.values.flat()
  const dom = opts.domain ?? logDomain(all)
  const hasZero = all.some((v) => Number.isFinite(v) && v <= 0)
  const hasBad = all.some((v) => !Number.isFinite(v))
  const bh = Math.max(L.y1 - L.y0, 150)
  const below = Math.max(L.y1, L.y0 + bh) + 40
  const barTitle = `${opts.valueLabel ?? '‖g‖'} (log scale)`
  const ly = (L.y0 + L.y1) / 2
  const body = [
    defsSvg(L.id),
    el('text', { x: 16, y: 26, 'font-size': SIZE.title, 'font-weight': 700 }, escapeXml(title)),
    cellsSvg(data, L, dom),
    el('rect', { x: L.x0, y: L.y0, width: L.x1 - L.x0, height: L.y1 - L.y0, fill: 'none', stroke: ink.axis, 'stroke-width': 0.8 }),
    labelsSvg(data, L),
    el('text', { x: (L.x0 + L.x1) / 2, y: L.y1 + 40, 'text-anchor': 'middle', 'font-size': SIZE.label }, escapeXml(opts.xLabel ?? 'training step')),
    el('text', { x: 18, y: ly, transform: `rotate(-90 18 ${num(ly)})`, 'text-anchor': 'middle', 'font-size': SIZE.label }, escapeXml(opts.yLabel ?? 'layer')),
    colourBar(L, dom, bh, barTitle),
    hasZero ? swatch(L.x0, below + 8, ZERO, '0 (no value on a log scale)') : '',
    hasBad ? swatch(L.x0 + (hasZero ? 230 : 0), below + 8, `url(#${L.id}-nf)`, 'not finite (NaN or ∞)') : '',
  ].join('')
  const desc = `${title}: ${nr} rows (${opts.yLabel ?? 'layer'}) by ${data.cols.length} columns (${opts.xLabel ?? 'training step'}); colour is ${barTitle} from ${fmt(dom[0])} to ${fmt(dom[1])}.`
  return svgRoot({ width, height: below + (hasZero || hasBad ? 30 : 4), title, desc }, body)
}
