/**
 * The compile-time check of user layer kinds: their ops run once (forward,
 * then backward) on a layout where every buffer is followed by guard words
 * holding a canary, as the kernel tests put one after each output (XNNPACK).
 * After each op of a user's kind the guards are compared; a changed word is
 * an error value naming the layer and the buffer it wrote past, instead of a
 * silent write into another layer's memory on every later call (#9).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import * as t from 'io-ts'
 * import { Layer, Model, Ops } from 'gradtrace/core'
 * // y = 2x, whose forward op writes one float more than its output buffer holds
 * const Double = t.type({ kind: t.literal('double') })
 * const double = (extra: number): Layer.LeafKind<t.TypeOf<typeof Double>> => ({
 *   _tag: 'leaf', kind: 'double', codec: Double,
 *   outShape: (_, s) => E.right(s),
 *   params: () => [],
 *   emit: (_, ctx) => {
 *     const n = ctx.batch * ctx.inSize
 *     const y = ctx.buf('y', n), dy = ctx.grad('dy', n)
 *     return { y, dy, forward: [Ops.fill(y, n + extra, 0), Ops.axpy(y, ctx.x, n, 2)], backward: ctx.dx ? [Ops.axpy(ctx.dx, dy, n, 2)] : [] }
 *   },
 * })
 * const net = Layer.serial(Layer.dense(8), { kind: 'double' }, Layer.dense(2))
 * assert.ok(E.isRight(Model.compile(net, { input: [4], loss: 'mse', kinds: [double(0)] })))
 * const bad = Model.compile(net, { input: [4], loss: 'mse', kinds: [double(1)] })
 * assert.ok(E.isLeft(bad) && bad.left._tag === 'InvalidArgument' && bad.left.path === 'serial/1/double')
 * assert.match(bad.left.message, /wrote past the end of buffer/)
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import { type GradtraceError, invalidArgument } from '../core/Error'
import { size } from '../core/Tensor'
import type { Runtime } from '../wasm/Runtime'
import * as W from '../wasm/Workspace'
import type { Graph, Owner } from './Graph'
import { type Buf, type Env, type Op, runCtx } from './Program'

/** The canary: a quiet-NaN bit pattern no kernel computes by chance. */
const CANARY = 0x7fa5_c3e1
/** Guard words after a buffer: as many as the buffer holds (at least 16), so a write of up to twice its size is seen. */
const guardFloats = (b: Buf): number => Math.max(16, b.floats)

interface Guard {
  readonly buf: Buf
  /** first and last-plus-one word index of the guarded span (the alignment padding and the guard) */
  readonly from: number
  readonly to: number
}

/** Runs the graph's ops once on a guarded layout; an op of a user's kind writing past a buffer is an error value. @category utils */
export const guardProbe = (g: Graph, rt: Runtime): E.Either<GradtraceError, void> => {
  const n = g.buffers.length
  const guards = g.buffers.map((b, i): Buf => ({ id: n + i, name: `${b.name}.guard`, region: b.region, floats: guardFloats(b) }))
  const k = rt.kernels
  const lay = W.layout(g.buffers.flatMap((b, i) => [b, guards[i]!]), k.heap_base(), k.gemm_ws_bytes())
  if (E.isLeft(lay)) return lay
  const grown = W.ensure(k, lay.right.end)
  if (E.isLeft(grown)) return grown
  const L = lay.right
  const spans: ReadonlyArray<Guard> = g.buffers.map((b, i) => ({ buf: b, from: L.ptr[b.id]! / 4 + b.floats, to: L.ptr[n + i]! / 4 + guards[i]!.floats }))
  fill(rt, g, L, spans)
  const env: Env = { k, ptr: (b) => L.ptr[b.id]!, ws: L.ws, region: (r) => L.regions[r] }
  const ctx = runCtx(1, true, 1, 2)
  const u32 = new Uint32Array(k.memory.buffer) // the ops do not grow memory: one view serves the whole run
  const phase = (ops: ReadonlyArray<Op>, owners: ReadonlyArray<Owner>): GradtraceError | null => {
    for (let i = 0; i < ops.length; i++) {
      ops[i]!(env)(ctx)
      const who = owners[i]!
      const hit = who.user ? spans.find((s) => !intact(u32, s)) : undefined
      if (hit) return overrun(who, hit.buf)
    }
    return null
  }
  const bad = phase(g.forward, g.owners.forward) ?? seedGradient(rt, g, L) ?? phase(g.backward, g.owners.backward)
  return bad ? E.left(bad) : E.right(undefined)
}

const overrun = (who: Owner, b: Buf): GradtraceError => {
  const what = `layer kind "${who.kind}" wrote past the end of buffer "${b.name}" (${b.floats} floats) in a check run at compile`
  return invalidArgument(who.path, `${what}: its ops would overwrite other layers' memory; check the sizes its emit passes to the ops`)
}

/** Canary in every guarded span; small deterministic values in parameters and the input; zeros elsewhere. */
const fill = (rt: Runtime, g: Graph, L: W.Layout, spans: ReadonlyArray<Guard>): void => {
  const mem = rt.kernels.memory.buffer
  const u32 = new Uint32Array(mem)
  const f32 = new Float32Array(mem)
  for (const b of g.buffers) f32.fill(0, L.ptr[b.id]! / 4, L.ptr[b.id]! / 4 + b.floats)
  for (const s of spans) u32.fill(CANARY, s.from, s.to)
  const values = (b: Buf) => {
    const at = L.ptr[b.id]! / 4
    for (let i = 0; i < b.floats; i++) f32[at + i] = 0.1 * Math.sin(1 + i * 0.7)
  }
  values(g.input)
  for (const p of g.params) values(p.value)
}

/** dL/dy = 1/n at the output, as a loss would write it (no loss op runs in the check). */
const seedGradient = (rt: Runtime, g: Graph, L: W.Layout): null => {
  const dy = g.output.dy!
  const n = size(g.output.shape) * g.batch
  new Float32Array(rt.kernels.memory.buffer).fill(1 / n, L.ptr[dy.id]! / 4, L.ptr[dy.id]! / 4 + dy.floats)
  return null
}

const intact = (u32: Uint32Array, s: Guard): boolean => {
  for (let i = s.from; i < s.to; i++) if (u32[i] !== CANARY) return false
  return true
}
