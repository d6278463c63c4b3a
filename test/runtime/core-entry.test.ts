// The light entry `gradtrace/core` (no report, no codecs): resolves through
// package.json exports in ESM and CommonJS, trains, and gives the same loss as
// the full entry.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DIST, requireBuild } from './helpers'

type G = typeof import('../../src/entries/core')

const lossOf = (g: G): number => {
  const m = g.Model.compile(g.Layer.serial(g.Layer.dense(8, { activation: 'tanh' }), g.Layer.dense(3)), { input: [4], loss: 'softmaxCrossEntropy' })
  if (m._tag === 'Left') throw new Error(JSON.stringify(m.left))
  const opt = g.Optim.adam(0.01)
  const s = g.Train.init(m.right, opt, g.Key.key(7))
  if (s._tag === 'Left') throw new Error(JSON.stringify(s.left))
  const r = g.Train.step(m.right, opt)(s.right, { x: { shape: [2, 4], data: Float32Array.from([1, 2, 3, 4, -1, 0, 1, 2]) }, y: Int32Array.from([0, 2]) })
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  return r.right[1].loss
}

describe('gradtrace/core', () => {
  it('ESM and CommonJS builds train, with the loss of the full entry, and carry no report or codecs', async () => {
    requireBuild()
    const esm = (await import(pathToFileURL(join(DIST, 'core.js')).href)) as G & Record<string, unknown>
    const full = (await import(pathToFileURL(join(DIST, 'index.js')).href)) as G
    const cjs = createRequire(import.meta.url)(join(DIST, 'core.cjs')) as G & Record<string, unknown>
    expect(lossOf(esm)).toBe(lossOf(full))
    expect(lossOf(cjs)).toBe(lossOf(full))
    expect('Report' in esm || 'Codec' in esm).toBe(false)
  })
})
