/**
 * The report page and its terminal twin. `reportHtml` builds one
 * self-contained HTML file (inline CSS and SVG, no scripts, no fonts, no
 * network): a header, a table of contents, the findings at a glance, then one
 * section per picture with a plain-words paragraph, its chart(s), an optional
 * table and findings with remedies. `textTable` aligns a table for a terminal.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { reportHtml, textTable } from './html'
 * const page = reportHtml({ title: 'Run 1', sections: [{ id: 'flow', title: 'Gradient flow', paragraph: 'Per-layer norms.' }] })
 * assert.ok(page.startsWith('<!doctype html>') && page.includes('id="flow"'))
 * assert.ok(!/<script|<link|@import/.test(page)) // one file: nothing to fetch, nothing to run
 * assert.strictEqual(textTable(['config', 'error'], [['relu + He', 0.021]]), 'config     error\n---------  -----\nrelu + He  0.021')
 *
 * @since 0.1.0
 */
import { fmt } from './scale'
import { escapeXml as esc } from './svg'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** How serious a finding is. @category model @since 0.1.0 */
export type Severity = 'info' | 'warn' | 'error'

/** A plain-language finding: what, the numbers that show it, and what to do. @category model @since 0.1.0 */
export interface Finding {
  readonly severity: Severity
  readonly title: string
  readonly evidence: string
  readonly remedy: string
}

/** A small table; numbers are formatted and right-aligned. @category model @since 0.1.0 */
export interface Table {
  readonly head: ReadonlyArray<string>
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>
}

/**
 * One section: a picture (or several) with one paragraph saying what it shows.
 * `svg` must be markup from this module's chart functions (it is inserted as is).
 *
 * @category model
 * @since 0.1.0
 */
export interface Section {
  readonly id: string
  readonly title: string
  readonly paragraph: string
  readonly svg?: string | ReadonlyArray<string>
  readonly table?: Table
  readonly findings?: ReadonlyArray<Finding>
}

/** A whole report; `meta` appears as a key–value list under the title (insertion order). @category model @since 0.1.0 */
export interface Report {
  readonly title: string
  readonly subtitle?: string
  readonly sections: ReadonlyArray<Section>
  readonly meta?: Readonly<Record<string, string | number>>
}

// -------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------

const SEV: Readonly<Record<Severity, string>> = { error: 'Problem', warn: 'Warning', info: 'Note' }

/** A valid, readable HTML id from any string ('Gradient flow!' → 'gradient-flow'). @category utils @since 0.1.0 */
export const slug = (s: string): string => s.trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'section'

const ids = (sections: ReadonlyArray<Section>): ReadonlyArray<string> => {
  const seen = new Map<string, number>()
  return sections.map((s) => {
    const base = slug(s.id)
    const n = (seen.get(base) ?? 0) + 1
    seen.set(base, n)
    return n === 1 ? base : `${base}-${n}`
  })
}

const cell = (v: string | number): string => (typeof v === 'number' ? fmt(v) : v)

const numeric = (rows: Table['rows'], c: number): boolean =>
  rows.length > 0 && rows.every((r) => r[c] === undefined || r[c] === '' || typeof r[c] === 'number' || /^[-+−]?[\d.,]+(e[-+]?\d+)?\s*%?$/i.test(String(r[c])))

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0 auto;max-width:60rem;padding:2rem 1.5rem 4rem;font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1a1a1a;background:#fff}
h1{font-size:2rem;line-height:1.2;margin:0 0 .25rem}
h2{font-size:1.4rem;line-height:1.25;margin:2.5rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
a{color:#0061a0}
.subtitle{font-size:1.15rem;color:#4a4a4a;margin:0 0 1rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0 0 1.5rem;font-size:.9rem;color:#444}
dl.meta dt{font-weight:600}dl.meta dd{margin:0;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
nav.toc{background:#f6f7f9;border:1px solid #e2e5ea;border-radius:6px;padding:.8rem 1.2rem;margin:1rem 0}
nav.toc h2{font-size:1rem;margin:0 0 .3rem;border:0;padding:0}
nav.toc ol{margin:0;padding-left:1.4rem}nav.toc li{margin:.15rem 0}
.count{font-size:.8rem;color:#555;margin-left:.4rem}
p{max-width:44rem}
figure{margin:1rem 0;overflow-x:auto}
figure svg{display:block;width:100%;min-width:560px;max-width:760px;height:auto}
.finding{border-left:5px solid;border-radius:0 6px 6px 0;padding:.6rem 1rem;margin:.8rem 0;max-width:46rem}
.finding.error{border-color:#C0392B;background:#fcf1f0}
.finding.warn{border-color:#B86E00;background:#fdf5e9}
.finding.info{border-color:#0072B2;background:#eef5fb}
.finding h3{margin:0 0 .3rem;font-size:1rem}
.finding p{margin:.25rem 0}
.sev{display:inline-block;font-size:.72rem;font-weight:700;letter-spacing:.06em;text-transform:uppercase;padding:.05rem .45rem;border-radius:3px;color:#fff;margin-right:.5rem;vertical-align:.1em}
.sev.error{background:#C0392B}.sev.warn{background:#8a5200}.sev.info{background:#005a8c}
.label{font-weight:600}
ul.glance{list-style:none;padding:0;margin:.5rem 0}ul.glance li{margin:.35rem 0}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums;font-size:.95rem}
th,td{padding:.3rem .8rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{border-bottom:2px solid #bbb;font-weight:600}
td.num,th.num{text-align:right}
footer{margin-top:3rem;font-size:.85rem;color:#666}
@media print{body{max-width:none;padding:0;font-size:11pt}figure{overflow:visible}figure svg{min-width:0}a{color:inherit;text-decoration:none}figure,.finding,table,nav.toc{break-inside:avoid}h2{break-after:avoid}}
`

const tableHtml = (t: Table): string => {
  const num = t.head.map((_, c) => numeric(t.rows, c))
  const th = t.head.map((h, c) => `<th scope="col"${num[c] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
  const rows = t.rows.map((r) => `<tr>${t.head.map((_, c) => `<td${num[c] ? ' class="num"' : ''}>${esc(cell(r[c] ?? ''))}</td>`).join('')}</tr>`)
  return `<table><thead><tr>${th}</tr></thead><tbody>${rows.join('')}</tbody></table>`
}

const findingHtml = (f: Finding): string =>
  `<div class="finding ${f.severity}" role="note"><h3><span class="sev ${f.severity}">${SEV[f.severity]}</span>${esc(f.title)}</h3>` +
  `<p><span class="label">Evidence:</span> ${esc(f.evidence)}</p><p><span class="label">Remedy:</span> ${esc(f.remedy)}</p></div>`

const sectionHtml = (s: Section, id: string): string => {
  const svgs = s.svg === undefined ? [] : typeof s.svg === 'string' ? [s.svg] : s.svg
  return [
    `<section id="${esc(id)}"><h2>${esc(s.title)}</h2><p>${esc(s.paragraph)}</p>`,
    ...svgs.map((x) => `<figure>${x}</figure>`),
    s.table ? tableHtml(s.table) : '',
    ...(s.findings ?? []).map(findingHtml),
    '</section>',
  ].join('\n')
}

const order: ReadonlyArray<Severity> = ['error', 'warn', 'info']

const glance = (sections: ReadonlyArray<Section>, sids: ReadonlyArray<string>): string => {
  const all = sections.flatMap((s, i) => (s.findings ?? []).map((f) => ({ f, id: sids[i] ?? '', where: s.title })))
  if (all.length === 0) return ''
  const sorted = order.flatMap((sev) => all.filter((x) => x.f.severity === sev))
  const items = sorted.map((x) => `<li><span class="sev ${x.f.severity}">${SEV[x.f.severity]}</span>${esc(x.f.title)} — <a href="#${esc(x.id)}">${esc(x.where)}</a></li>`)
  return `<section id="findings-at-a-glance"><h2>Findings at a glance</h2><ul class="glance">${items.join('')}</ul></section>`
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * One self-contained HTML page for a report: deterministic (same input, same string).
 *
 * @category constructors
 * @since 0.1.0
 */
export const reportHtml = (r: Report): string => {
  const sids = ids(r.sections)
  const meta = Object.entries(r.meta ?? {})
  const toc = r.sections.map((s, i) => {
    const n = (s.findings ?? []).filter((f) => f.severity !== 'info').length
    return `<li><a href="#${esc(sids[i] ?? '')}">${esc(s.title)}</a>${n > 0 ? `<span class="count">(${n} to look at)</span>` : ''}</li>`
  })
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(r.title)}</title><style>${CSS}</style></head><body>`,
    `<header><h1>${esc(r.title)}</h1>${r.subtitle ? `<p class="subtitle">${esc(r.subtitle)}</p>` : ''}`,
    meta.length > 0 ? `<dl class="meta">${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(cell(v))}</dd>`).join('')}</dl>` : '',
    '</header>',
    `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>${toc.join('')}</ol></nav>`,
    `<main>${glance(r.sections, sids)}`,
    ...r.sections.map((s, i) => sectionHtml(s, sids[i] ?? '')),
    '</main><footer>Made with gradtrace. This page is self-contained: no scripts, fonts or network.</footer></body></html>',
  ].join('\n')
}

/**
 * A table aligned for a terminal: numbers formatted and right-aligned, a dashed rule under the header.
 *
 * @category constructors
 * @since 0.1.0
 */
export const textTable = (head: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number>>): string => {
  const body = rows.map((r) => head.map((_, c) => cell(r[c] ?? '')))
  const len = (s: string): number => [...s].length
  const w = head.map((h, c) => Math.max(len(h), ...body.map((r) => len(r[c] ?? ''))))
  const num = head.map((_, c) => numeric(rows, c))
  const pad = (s: string, c: number): string => {
    const fill = ' '.repeat(Math.max(0, (w[c] ?? 0) - len(s)))
    return num[c] ? fill + s : s + fill
  }
  const line = (cells: ReadonlyArray<string>): string => cells.map(pad).join('  ').replace(/\s+$/, '')
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n')
}

/**
 * Findings as plain text for a terminal, most severe first.
 *
 * @category constructors
 * @since 0.1.0
 */
export const findingsText = (fs: ReadonlyArray<Finding>): string =>
  order
    .flatMap((sev) => fs.filter((f) => f.severity === sev))
    .map((f) => `[${SEV[f.severity]}] ${f.title}\n  evidence: ${f.evidence}\n  remedy:   ${f.remedy}`)
    .join('\n')
