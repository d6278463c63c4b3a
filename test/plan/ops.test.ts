/**
 * Ops composed from kernels, run through a plan: sign (two exact scalings and
 * a clip), for every tail length of the kernels behind it, against
 * Math.sign on values down to the smallest subnormal and up to the largest
 * float32; and settings read at each call (one baked plan, two values).
 */
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { assemble } from '../../src/plan/assemble'
import { bake } from '../../src/plan/bake'
import type { Graph } from '../../src/plan/Graph'
import * as Ops from '../../src/plan/ops'
import { copyIn, readRegion } from '../../src/plan/copies'
import { allocator, type Op, runCtx, setting } from '../../src/plan/Program'
import { apply } from '../../src/plan/run'
import { loadSync } from '../../src/wasm/Runtime'

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const rt = right(loadSync())

/** y = f(x) for n floats, as an inference plan. */
const planOf = (n: number, f: (y: ReturnType<ReturnType<typeof allocator>['buf']>, x: ReturnType<ReturnType<typeof allocator>['buf']>) => ReadonlyArray<Op>) => {
  const alloc = allocator()
  const x = alloc.buf('input', 'input', n), y = alloc.buf('y', 'act', n + 4)
  const graph: Graph = { batch: 1, buffers: alloc.buffers, input: x, output: { _tag: 'port', shape: [n], y, dy: null }, params: [], forward: f(y, x), backward: [], owners: { forward: [], backward: [] }, probes: [] }
  return right(bake(assemble(graph, { mode: 'apply' }), rt))
}

const SPECIAL = [0, -0, 1.401298464324817e-45, -1.401298464324817e-45, 1.1754942e-38, -3.4028234663852886e38, 3.4028234663852886e38, 0.5, -2, 1e-30, -7.5e-41]

describe('Ops.sign', () => {
  it('is Math.sign (with -0 kept) for every length 1..19, tails included, and writes nothing past n', () => {
    for (let n = 1; n <= 19; n++) {
      const x = Float32Array.from({ length: n }, (_, i) => SPECIAL[(i * 7) % SPECIAL.length]!)
      const y = right(apply(planOf(n, (y, x) => [Ops.fill(y, n + 4, 9), Ops.sign(y, x, n)]), { x, params: [] }))
      expect(Array.from(y.subarray(0, n))).toEqual(Array.from(x, Math.sign))
      expect(Array.from(y.subarray(0, n), (v) => Object.is(v, -0))).toEqual(Array.from(x, (v) => Object.is(v, -0)))
      expect(Array.from(y.subarray(n))).toEqual([9, 9, 9, 9]) // the canary after the output
    }
  })
})

describe('settings', () => {
  it('an op reads its scalar from the call: one baked plan, the value of each call (NaN when the call has none)', () => {
    const b = planOf(5, (y, x) => [Ops.copy(y, x, 5), Ops.scale(y, y, 5, setting(0, 1))])
    const x = Float32Array.from([1, -2, 3, 0.5, 4])
    const runWith = (settings: ReadonlyArray<ReadonlyArray<number>>) => {
      copyIn(b, { x, params: [] })
      const ctx = runCtx(1, false, 0, 0, settings)
      for (const f of b.main) f(ctx)
      return Array.from(readRegion(b, 'act')(b.plan.graph.output.y, 5))
    }
    expect(runWith([[7, 3]])).toEqual([3, -6, 9, 1.5, 12])
    expect(runWith([[7, -0.5]])).toEqual([-0.5, 1, -1.5, -0.25, -2])
    expect(runWith([]).every(Number.isNaN)).toBe(true)
  })
})
