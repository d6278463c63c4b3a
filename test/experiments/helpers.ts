// Shared checks of an experiment's result: its SVGs are non-empty,
// well-formed and free of NaN coordinates, its table is rectangular, and its
// traces stay small.
import { expect } from 'vitest'
import type { ExperimentResult } from '../../src/experiments/Experiment'
import { numericAttrs, wellFormed } from '../report/xml'

export const checkShape = (r: ExperimentResult, o: { readonly id: string; readonly svgs: number; readonly rows: number; readonly runs: number }): void => {
  expect(r.id).toBe(o.id)
  expect(r.title.length).toBeGreaterThan(10)
  expect(r.svgs).toHaveLength(o.svgs)
  for (const svg of r.svgs) {
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg.length).toBeGreaterThan(2000)
    expect(wellFormed(svg)).toBeNull()
    for (const a of numericAttrs(svg)) expect(a).not.toMatch(/NaN|Infinity/)
  }
  expect(r.table.rows).toHaveLength(o.rows)
  for (const row of r.table.rows) expect(row).toHaveLength(r.table.head.length)
  expect(r.runs).toHaveLength(o.runs)
  for (const run of r.runs) {
    expect(run.traces.length).toBeGreaterThan(1)
    expect(run.traces.length).toBeLessThanOrEqual(60)
    const steps = run.traces.map((t) => t.step)
    expect(steps).toEqual([...steps].sort((a, b) => a - b))
    expect(steps[0]).toBe(0)
  }
  expect(r.paragraph.length).toBeGreaterThan(200)
  expect(JSON.stringify(r).length).toBeLessThan(3_000_000)
}

/** A table cell as a number ('2.63e+3', '12.1', '89.2%'). */
export const num = (cell: string | undefined): number => Number.parseFloat(String(cell).replace('%', ''))

/** The row whose first cells are `keys`. */
export const rowOf = (r: ExperimentResult, ...keys: ReadonlyArray<string>): ReadonlyArray<string> => {
  const row = r.table.rows.find((x) => keys.every((k, i) => x[i] === k))
  if (!row) throw new Error(`no row ${keys.join(' / ')} in ${JSON.stringify(r.table.rows.map((x) => x.slice(0, keys.length)))}`)
  return row
}
