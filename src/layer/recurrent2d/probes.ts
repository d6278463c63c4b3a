/**
 * What the trace reads in a 2-D recurrent layer (#13): dL/dh, h (and dL/dc)
 * per (direction, position) as a `time` probe over nDir * P slots in
 * wavefront order, the grid that lays those slots out, and the gates' means
 * per (direction, anti-diagonal): every position of a diagonal is as far from
 * the readout corner (Manhattan distance I + J - 2 - d).
 *
 * @example
 * import * as assert from 'node:assert'
 * import { gateRegions } from './probes'
 * // a 2 x 3 grid, B = 1, H = 2, one gate of 5: diagonals of 1, 2, 2, 1 positions
 * assert.deepStrictEqual(gateRegions(2, 3, 1, 2, 5, 1, 0).map((r) => r.n), [2, 4, 4, 2])
 *
 * @since 0.4.0
 */
import { waves } from '../../plan/grid'
import type { Buf } from '../../plan/Program'
import type { Probes } from '../Layer'
import { directionsOf, type GridIO, type GridSpec } from './common'

/** A run of floats in a buffer. @category model */
export interface Region {
  readonly offset: number
  readonly n: number
}

/** Gate g's region in each diagonal of every direction, for a gate buffer (nDir, per diagonal (nG, n*B, H)). @category utils */
export const gateRegions = (I: number, J: number, B: number, H: number, nG: number, nDir: number, g: number): ReadonlyArray<Region> => {
  const row = B * H, dir = I * J * nG * row
  return Array.from({ length: nDir }, (_, k) => waves(I, J).map((w) => ({ offset: k * dir + w.off * nG * row + g * w.n * row, n: w.n * row }))).flat()
}

/** The probes of a 2-D layer: `dC` the cells' dL/dc (MD-LSTM) or null, `gates` its gate buffer with the gate names. @category utils */
export const gridProbes = (spec: GridSpec, io: GridIO, dC: Buf | null, gates: ReadonlyArray<{ readonly name: string; readonly buf: Buf }>): Probes => {
  const { I, J, B, H, P, nDir } = io, step = B * H
  const slice = (buf: Buf) => ({ buf, stepFloats: step, offset: 0, n: step })
  return {
    time: { T: nDir * P, dh: slice(io.dH), h: slice(io.S), ...(dC ? { dc: slice(dC) } : {}) },
    grid: {
      I,
      J,
      directions: directionsOf(spec),
      gates: gates.map((g, k) => ({ name: g.name, buf: g.buf, regions: gateRegions(I, J, B, H, gates.length, nDir, k) })),
    },
  }
}
