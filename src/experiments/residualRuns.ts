/**
 * The runs of experiment E15 (the residual section of the demo): plain and
 * residual MLPs of width 64 with 10, 30 and 50 dense layers in their body,
 * each trained by `Train.fit` with traces of a fixed probe batch, measured
 * into rows. The architecture and its initialisation are described in
 * ./residual.ts.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { blockNet, blockProfile, residualQuick, spread } from './residualRuns'
 * const count = (net: unknown) => JSON.stringify(net).match(/"kind":"dense"/g)!.length
 * assert.strictEqual(count(blockNet('plain', 30)), count(blockNet('residual', 30))) // the same dense layers, with or without shortcuts
 * assert.strictEqual(count(blockNet('residual', 30)), 32) // stem, 15 blocks of two, read-out
 * assert.strictEqual(spread([2, 1, 4]), 4)
 * assert.deepStrictEqual(residualQuick.depths, [10, 50])
 * assert.strictEqual(typeof blockProfile, 'function')
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Key from '../core/Key'
import * as Layer from '../model/layers'
import type * as Trace from '../trace/index'
import { digitsData, tick } from './common'
import { trainDigitsNet } from './digitsRun'
import type { RunOptions } from './Experiment'

/** @category model */
export type Arch = 'plain' | 'residual'

/** @category model */
export interface ResidualOptions {
  /** dense layers in the body (twice the number of blocks) */
  readonly depths: ReadonlyArray<number>
  readonly width: number
  readonly lr: number
  readonly steps: number
  readonly batchSize: number
  readonly probe: number
  readonly records: number
  /** traces per run kept in the result (evenly thinned, first and last kept) */
  readonly keep: number
  readonly onProgress?: RunOptions['onProgress']
}

/**
 * Full mode: 10, 30, 50 layers, lr 0.002, 300 steps of batch 64. The rate is
 * the largest of {0.01, 0.005, 0.002} at which none of the six nets diverged
 * in 400-step calibration runs (at 0.01 plain-30 and residual-50 diverge, at
 * 0.005 plain-50 does, at step 321).
 * @category utils
 */
export const residualFull: ResidualOptions = { depths: [10, 30, 50], width: 64, lr: 0.002, steps: 300, batchSize: 64, probe: 200, records: 30, keep: 5 }
/** Quick mode: 10 and 50 layers, 80 steps. @category utils */
export const residualQuick: ResidualOptions = { ...residualFull, depths: [10, 50], steps: 80, probe: 128, records: 10 }

/** The network: stem, depth/2 blocks (plain or residual), head. @category utils */
export const blockNet = (arch: Arch, depth: number, width = 64): Layer.LayerSpec => {
  const blocks = Math.max(1, Math.round(depth / 2))
  const last = arch === 'plain' ? Layer.init.normal(1 / Math.sqrt(width)) : Layer.init.normal(1 / Math.sqrt(width * blocks))
  const relu = () => Layer.dense(width, { activation: 'relu', init: Layer.init.heNormal })
  const block = (): Layer.LayerSpec => {
    const f = Layer.serial(relu(), Layer.dense(width, { init: last }))
    return arch === 'residual' ? Layer.residual(f) : f
  }
  return Layer.serial(relu(), ...Array.from({ length: blocks }, block), Layer.dense(10, { init: Layer.init.glorotUniform }))
}

/**
 * ‖dL/dx‖ at the input of each block, input first: for a residual net the
 * `residual` trace entries' gradIn; for a plain net the gradIn of each block's
 * first dense layer (the dense layers after the stem, taken two by two).
 *
 * @category utils
 */
export const blockProfile = (t: Trace.StepTrace, arch: Arch): ReadonlyArray<number> => {
  if (arch === 'residual') return t.layers.filter((l) => l.kind === 'residual').map((l) => l.gradIn?.l2 ?? NaN)
  const ds = t.layers.filter((l) => l.kind === 'dense')
  return ds.slice(1, ds.length - 1).filter((_, i) => i % 2 === 0).map((l) => l.gradIn?.l2 ?? NaN)
}

/** max / min of a profile (1 = flat). @category utils */
export const spread = (xs: ReadonlyArray<number>): number => Math.max(...xs) / Math.min(...xs)

/** Measurements of one network. @category model */
export interface ResidualRow {
  readonly arch: Arch
  readonly depth: number
  readonly label: string
  readonly profileInit: ReadonlyArray<number>
  readonly profileEnd: ReadonlyArray<number>
  /** the largest max/min of the profile over the recorded steps */
  readonly spreadMax: number
  /** loss and accuracy on the whole training part after the budget */
  readonly trainLoss: number
  readonly trainAccuracy: number
  readonly testAccuracy: number
  readonly diverged: number | null
  readonly traces: ReadonlyArray<Trace.StepTrace>
  readonly seconds: number
}

type Digits = ReturnType<typeof digitsData>

/** One net trained and measured. */
const residualRow = async (arch: Arch, depth: number, o: ResidualOptions, d: Digits): Promise<E.Either<Err.GradtraceError, ResidualRow>> => {
  const t0 = Date.now()
  const r = await trainDigitsNet(blockNet(arch, depth, o.width), Key.foldIn(Key.key(2016), depth), o, d)
  if (E.isLeft(r)) return r
  const { outcome, train: tr, test: te } = r.right
  const ts = outcome.traces
  const full = ts.filter((t) => t.layers.length > 0) // all but the trace of a step that stopped the run
  return E.right({
    arch,
    depth,
    label: `${arch}, ${depth} layers`,
    profileInit: blockProfile(ts[0]!, arch),
    profileEnd: blockProfile(full[full.length - 1]!, arch),
    spreadMax: Math.max(...full.filter((t) => t.nonFinite === 0).map((t) => spread(blockProfile(t, arch)))),
    trainLoss: outcome.firstNonFinite === null ? tr.loss : NaN,
    trainAccuracy: tr.accuracy,
    testAccuracy: te.accuracy,
    diverged: outcome.firstNonFinite,
    traces: ts,
    seconds: (Date.now() - t0) / 1000,
  })
}

/** Trains plain and residual nets at every depth. @category utils */
export const runResidual = async (o: ResidualOptions): Promise<E.Either<Err.GradtraceError, ReadonlyArray<ResidualRow>>> => {
  const d = digitsData()
  const rows: ResidualRow[] = []
  const total = 2 * o.depths.length
  for (const depth of o.depths)
    for (const arch of ['plain', 'residual'] as const) {
      const r = await residualRow(arch, depth, o, d)
      if (E.isLeft(r)) return r
      rows.push(r.right)
      o.onProgress?.(rows.length / total, r.right.label)
      await tick()
    }
  return E.right(rows)
}

