/**
 * The trace of a 2-D recurrent layer (#13): the gates' statistics ops (one
 * sums record per direction and anti-diagonal) and the reading of the
 * per-position records into a `GridTrace` (heat maps of ||dL/dh(i, j)|| per
 * direction, in image coordinates) and a `TimeTrace` over anti-diagonals
 * (the grid read as time: entry d is the RMS of the norms at the positions d
 * steps from the scans' start, over every direction), which `diagnose` and
 * `decadesPer10Steps` read as they read a recurrent layer's time steps.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { byDiagonal } from './gridTrace'
 * // a 2 x 2 grid, one direction: positions (0,0), (0,1), (1,0), (1,1) in wavefront order, norms 1, 3, 4, 2
 * assert.deepStrictEqual(byDiagonal(2, 2, 1, [1, 1, 7, 2]), [1, 5, 2]) // the middle diagonal: sqrt((1^2 + 7^2) / 2)
 *
 * @since 0.4.0
 */
import type { GridTrace, TensorStats, TimeTrace } from '../trace/Trace'
import type { GridProbes } from './Graph'
import { positions, waves } from './grid'
import type { Alloc, Buf, Op } from './Program'
import { sumsAt } from './statOps'

/** The gate statistics buffers of a grid probe: 16 floats (8 f64) per (direction, diagonal). @category model */
export interface GridStats {
  readonly probe: GridProbes
  readonly gates: ReadonlyArray<{ readonly name: string; readonly buf: Buf }>
}

/** Plans the gate statistics of a grid probe. @category constructors */
export const gridStats = (alloc: Alloc, path: string, g: GridProbes, list: Op[]): GridStats => ({
  probe: g,
  gates: g.gates.map((gate) => {
    const out = alloc.buf(`stats/${path}/gate.${gate.name}[d]`, 'stats', 16 * gate.regions.length)
    gate.regions.forEach((r, k) => list.push(sumsAt(out, k, gate.buf, r.offset, r.n)))
    return { name: gate.name, buf: out }
  }),
})

/**
 * Per-slot norms (direction-major, wavefront order) to one figure per anti-diagonal: the root mean square of the
 * positions' norms over the diagonal and every direction, so that a diagonal's length (1 at the corners, up to
 * min(I, J) between) does not read as growth or decay. @category utils
 */
export const byDiagonal = (I: number, J: number, nDir: number, norms: ReadonlyArray<number>): ReadonlyArray<number> =>
  waves(I, J).map((w) => {
    // one position and one direction: its norm as measured (a 1 x T grid reads as the 1-D layer, bit for bit)
    if (w.n === 1 && nDir === 1) return norms[w.off] ?? 0
    let s = 0
    for (let k = 0; k < nDir; k++) for (let p = w.off; p < w.off + w.n; p++) s += (norms[k * I * J + p] ?? 0) ** 2
    return Math.sqrt(s / (w.n * nDir))
  })

/** Per-slot values to one rows x cols map per direction, in image coordinates (undoing each scan's flips). @category utils */
export const toMaps = (g: GridProbes, values: ReadonlyArray<number>): ReadonlyArray<ReadonlyArray<number>> => {
  const { I, J } = g, pos = positions(I, J)
  return g.directions.map((dir, k) => {
    const map = new Array<number>(I * J).fill(0)
    pos.forEach(([i, j], p) => {
      const ii = dir.flip & 1 ? I - 1 - i : i, jj = dir.flip & 2 ? J - 1 - j : j
      map[ii * J + jj] = values[k * I * J + p] ?? 0
    })
    return map
  })
}

/** The statistics reader: the TensorStats of slot `slot` of a stats buffer. */
export type ReadStats = (b: Buf, slot: number) => TensorStats

/** Reads a grid layer's per-position records (`dh`, `h`, `dc` of its time probe) and gate records. @category utils */
export const gridTrace = (gs: GridStats, t: { readonly T: number; readonly dh: Buf; readonly h: Buf; readonly dc: Buf | null }, read: ReadStats) => {
  const { I, J, directions } = gs.probe, nDir = directions.length
  const norms = (b: Buf) => Array.from({ length: t.T }, (_, k) => read(b, k).l2)
  const dh = norms(t.dh), h = norms(t.h), dc = t.dc ? norms(t.dc) : null
  const ws = waves(I, J)
  // gate means per (direction, diagonal), and over every direction per diagonal (weighted by count)
  const gateSeries = gs.gates.map((g) => {
    const perDir = directions.map((_, k) => ws.map((_w, d) => read(g.buf, k * ws.length + d).mean))
    const all = ws.map((_w, d) => {
      const st = directions.map((_, k) => read(g.buf, k * ws.length + d))
      const n = st.reduce((s, x) => s + x.n, 0)
      return n > 0 ? st.reduce((s, x) => s + x.mean * x.n, 0) / n : 0
    })
    return { name: g.name, perDir, all }
  })
  const gates = gateSeries.length > 0 ? { gates: Object.fromEntries(gateSeries.map((g) => [g.name, g.all])) } : {}
  const diag = (v: ReadonlyArray<number>) => byDiagonal(I, J, nDir, v)
  const time: TimeTrace = { gradH: diag(dh), stateNorm: diag(h), ...(dc ? { gradC: diag(dc) } : {}), ...gates }
  const grid: GridTrace = {
    rows: I,
    cols: J,
    directions: directions.map((d) => d.name),
    gradH: toMaps(gs.probe, dh),
    ...(dc ? { gradC: toMaps(gs.probe, dc) } : {}),
    ...(gateSeries.length > 0 ? { gates: Object.fromEntries(gateSeries.map((g) => [g.name, g.perDir])) } : {}),
  }
  return { time, grid }
}
