/**
 * Baking: a plan laid out in a runtime's memory, its ops turned into thunks
 * with the pointers captured. Baking grows the memory to the plan's size
 * first (growing detaches views, so none is made before); a baked plan runs
 * many times (./run.ts). Nothing here is cached: whoever bakes keeps the
 * result as long as it wants it (a model keeps a bounded number,
 * src/model/plans.ts).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { loadSync } from '../wasm/Runtime'
 * import { assemble } from './assemble'
 * import { bake } from './bake'
 * import * as Ops from './ops'
 * import { allocator } from './Program'
 * const alloc = allocator()
 * const x = alloc.buf('input', 'input', 4), y = alloc.buf('y', 'act', 4)
 * const output = { _tag: 'port' as const, shape: [4], y, dy: null }
 * const graph = {
 *   batch: 1, buffers: alloc.buffers, input: x, output, params: [], probes: [],
 *   forward: [Ops.scale(y, x, 4, 2)], backward: [], owners: { forward: [], backward: [] },
 * }
 * const rt = loadSync()
 * assert.ok(E.isRight(rt))
 * const baked = bake(assemble(graph, { mode: 'apply' }), rt.right)
 * assert.ok(E.isRight(baked) && baked.right.main.length === 1) // one thunk: y = 2x
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import type { Plan, PlanSpec } from './assemble'
import type { Buf, Env, Op, RunCtx } from './Program'

/** A thunk: one op with its pointers, run once per call. @category model */
export type Thunk = (ctx: RunCtx) => void

/** A plan laid out on a runtime, ready to run. @category model */
export interface Baked<S extends PlanSpec = PlanSpec> {
  readonly plan: Plan<S>
  readonly runtime: Runtime
  readonly layout: W.Layout
  /** the byte address of a buffer */
  readonly ptr: (b: Buf) => number
  readonly check: ReadonlyArray<Thunk>
  readonly main: ReadonlyArray<Thunk>
}

/** Lays a plan out from the runtime's heap base and bakes its ops; a plan too large for a 32-bit memory is an error value. @category constructors */
export const bake = <S extends PlanSpec>(plan: Plan<S>, runtime: Runtime): E.Either<GradtraceError, Baked<S>> => {
  const k = runtime.kernels
  const lay = W.layout(plan.buffers, k.heap_base(), k.gemm_ws_bytes())
  if (E.isLeft(lay)) return lay
  const grown = W.ensure(k, lay.right.end)
  if (E.isLeft(grown)) return grown
  const L = lay.right
  const ptr = (b: Buf): number => L.ptr[b.id] ?? 0 // every buffer of the plan was laid out
  const env: Env = { k, ptr, ws: L.ws, region: (r) => L.regions[r] }
  const thunks = (ops: ReadonlyArray<Op>) => ops.map((op) => op(env))
  return E.right({ plan, runtime, layout: L, ptr, check: thunks(plan.phases.check), main: thunks(plan.phases.main) })
}
