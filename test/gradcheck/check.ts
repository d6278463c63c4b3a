/**
 * The gradient-check harness: seeded random parameters and batches, central
 * finite differences of the float64 reference (h = 1e-6, at most 64 random
 * coordinates per parameter tensor, skipping coordinates that move a unit
 * lying within 1e-3 of a kink), compared with the Wasm f32 gradient of
 * `model.valueAndGrad`; and the Wasm forward (`model.apply`, the loss of
 * `valueAndGrad`) compared with the float64 reference forward.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as Key from '../../src/core/Key'
import type { Params } from '../../src/core/Params'
import type { LayerSpec } from '../../src/layer/Layer'
import * as Model from '../../src/model/compile'
import { type LossName, lossOf, type Targets } from './reference'

// seeded numbers ---------------------------------------------------------------

/** mulberry32 with Box-Muller normals: a small seeded generator for test data. */
export const rng = (seed: number) => {
  let a = seed >>> 0
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())
  const int = (n: number): number => Math.floor(u() * n)
  return { u, normal, int }
}
export type Rng = ReturnType<typeof rng>

// data -------------------------------------------------------------------------

export type TargetKind = 'labels' | 'soft' | 'dense'

export interface Case {
  readonly model: Model.Model
  readonly params: Params
  readonly batch: Model.Batch
  readonly B: number
  readonly targets: Targets
  readonly x64: Float64Array
}

export const compileOrThrow = (spec: LayerSpec, input: ReadonlyArray<number>, loss: LossName, trace: 'off' | 'norms' | 'full' = 'off'): Model.Model => {
  const m = Model.compile(spec, { input, loss, trace })
  if (E.isLeft(m)) throw new Error(`compile failed: ${JSON.stringify(m.left)}`)
  return m.right
}

/** Weights N(0, gain^2 / fan_in), biases N(0, 0.5^2), as f32. */
export const randomParams = (model: Model.Model, r: Rng, gain = 1): Params =>
  model.params.map((p) => {
    const n = p.shape.reduce((a, b) => a * b, 1)
    const std = p.shape.length >= 2 ? gain / Math.sqrt(p.shape[0]!) : 0.5
    return { path: p.path, shape: p.shape, data: Float32Array.from({ length: n }, () => std * r.normal()) }
  })

/** A batch of B examples: x ~ N(0, 1); targets of the given kind. */
export const randomBatch = (model: Model.Model, r: Rng, B: number, kind: TargetKind): { batch: Model.Batch; targets: Targets; x64: Float64Array } => {
  const nx = B * model.input.reduce((a, b) => a * b, 1)
  const x = Float32Array.from({ length: nx }, () => r.normal())
  const C = model.output[model.output.length - 1] ?? 1
  const ny = B * model.output.reduce((a, b) => a * b, 1)
  const rows = ny / C
  const x64 = Float64Array.from(x)
  if (kind === 'labels') {
    const labels = Int32Array.from({ length: rows }, () => r.int(C))
    return { batch: { x: { shape: [B, ...model.input], data: x }, y: labels }, targets: { kind: 'labels', labels }, x64 }
  }
  const y = new Float32Array(ny)
  if (kind === 'soft') {
    for (let i = 0; i < rows; i++) {
      const e = Array.from({ length: C }, () => Math.exp(r.normal()))
      const s = e.reduce((a, b) => a + b, 0)
      e.forEach((v, j) => (y[i * C + j] = v / s))
    }
  } else if (model.loss === 'binaryCrossEntropy') y.forEach((_, i) => (y[i] = r.u()))
  else y.forEach((_, i) => (y[i] = r.normal()))
  return { batch: { x: { shape: [B, ...model.input], data: x }, y: { shape: [B, ...model.output], data: y } }, targets: { kind: 'dense', data: Float64Array.from(y) }, x64 }
}

export const makeCase = (spec: LayerSpec, input: ReadonlyArray<number>, loss: LossName, kind: TargetKind, B: number, seed: number, gain = 1): Case => {
  const model = compileOrThrow(spec, input, loss)
  const r = rng(seed)
  const params = randomParams(model, r, gain)
  return { model, params, B, ...randomBatch(model, r, B, kind) }
}

// checks -----------------------------------------------------------------------

export interface CheckOptions {
  /** dropout key of the training call (valueAndGrad's key) */
  readonly key?: Key.Key
  /** max coordinates per tensor (default 64) */
  readonly coords?: number
  /** relative tolerance of gradients (default 1e-3) and forward values (default 1e-5) */
  readonly gradTol?: number
  readonly fwdTol?: number
  /** central differences (default) or the 4-point stencil on every coordinate */
  readonly stencil?: 'central' | 'fourPoint'
  readonly h?: number
}

export interface CheckResult {
  /** 'skipped' when a unit lies within 1e-5 of a kink at the base point (f32 and f64 may disagree on its side) */
  readonly status: 'ok' | 'skipped'
  readonly checked: number
  readonly skippedCoords: number
  readonly failures: ReadonlyArray<string>
}

const KINK_NEAR = 1e-3
const KINK_GUARD = 1e-5

const pick = (n: number, k: number, r: Rng): ReadonlyArray<number> => {
  if (n <= k) return Array.from({ length: n }, (_, i) => i)
  const s = new Set<number>()
  while (s.size < k) s.add(r.int(n))
  return [...s].sort((a, b) => a - b)
}

/** Checks forward values and gradients of a case; returns failures as readable lines. */
export const check = (c: Case, seed: number, o: CheckOptions = {}): CheckResult => {
  const { model } = c
  const theta = c.params.map((p) => Float64Array.from(p.data))
  const refOpts = o.key ? { dropoutKey: [o.key.k0, o.key.k1] as const } : {}
  const f = (ps: ReadonlyArray<Float64Array>) => lossOf(model.spec, model.input, model.loss, c.B, c.x64, c.targets, ps, refOpts)
  const base = f(theta)
  const failures: string[] = []
  const paths = model.params.map((p) => p.path)
  if (base.fwd.paths.join() !== paths.join()) failures.push(`parameter order: reference ${base.fwd.paths.join()} vs model ${paths.join()}`)
  if (base.fwd.kinks.dist.some((d) => d < KINK_GUARD)) return { status: 'skipped', checked: 0, skippedCoords: 0, failures }

  // (b) forward: apply (inference, no dropout) and the loss of the training call
  const fwdTol = o.fwdTol ?? 1e-5
  const applied = model.apply(c.params, c.batch.x)
  if (E.isLeft(applied)) failures.push(`apply: ${JSON.stringify(applied.left)}`)
  else {
    const ref = o.key ? lossOf(model.spec, model.input, model.loss, c.B, c.x64, c.targets, theta).fwd.y : base.fwd.y
    if (applied.right.shape.join() !== [c.B, ...ref.shape].join()) failures.push(`apply shape ${applied.right.shape} vs [${c.B}, ${ref.shape}]`)
    const scale = ref.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    ref.data.forEach((v, i) => {
      const a = applied.right.data[i]!
      if (!(Math.abs(a - v) <= fwdTol * (Math.abs(v) + scale) + 1e-7)) failures.push(`forward y[${i}]: wasm ${a} vs f64 ${v}`)
    })
  }
  const vg = model.valueAndGrad(c.params, c.batch, o.key ? { key: o.key, trace: 'off' } : { trace: 'off' })
  if (E.isLeft(vg)) return { status: 'ok', checked: 0, skippedCoords: 0, failures: [...failures, `valueAndGrad: ${JSON.stringify(vg.left)}`] }
  if (!(Math.abs(vg.right.loss - base.loss) <= fwdTol * Math.abs(base.loss) + 1e-6)) failures.push(`loss: wasm ${vg.right.loss} vs f64 ${base.loss}`)

  // (a) gradients: finite differences of the f64 reference against the Wasm gradient
  const h = o.h ?? (o.stencil === 'fourPoint' ? 1e-3 : 1e-6)
  const tol = o.gradTol ?? 1e-3
  const r = rng(seed ^ 0x9e3779b9)
  let checked = 0, skippedCoords = 0
  theta.forEach((t, pi) => {
    const g = vg.right.grads[pi]!.data
    const coords = o.stencil === 'fourPoint' ? pick(t.length, Infinity, r) : pick(t.length, o.coords ?? 64, r)
    const fds: Array<readonly [number, number]> = []
    for (const ci of coords) {
      const x0 = t[ci]!
      const at = (d: number) => {
        t[ci] = x0 + d
        const v = f(theta)
        t[ci] = x0
        return v
      }
      const p1 = at(h), m1 = at(-h)
      // a unit near a kink whose pre-activation this coordinate moves: the derivative is not defined there
      const moved = base.fwd.kinks.dist.some((d, k) => d < KINK_NEAR && p1.fwd.kinks.z[k] !== m1.fwd.kinks.z[k])
      if (moved) {
        skippedCoords++
        continue
      }
      const fd = o.stencil === 'fourPoint' ? (-at(2 * h).loss + 8 * p1.loss - 8 * m1.loss + at(-2 * h).loss) / (12 * h) : (p1.loss - m1.loss) / (2 * h)
      fds.push([ci, fd])
    }
    const scale = Math.max(...fds.map(([, fd]) => Math.abs(fd)), ...Array.from(g, Math.abs))
    for (const [ci, fd] of fds) {
      checked++
      const w = g[ci]!
      // + 2e-8: the f32 loss gradient near a fitted target (sigmoid(z) - t, softmax - onehot)
      // cancels, leaving an absolute error of about eps_f32 / n that later layers carry
      if (!(Math.abs(w - fd) <= tol * Math.max(Math.abs(fd), 1e-2 * scale) + 2e-8))
        failures.push(`${paths[pi]}[${ci}]: wasm ${w} vs fd ${fd} (rel ${(Math.abs(w - fd) / Math.max(Math.abs(fd), 1e-12)).toExponential(2)}, tensor scale ${scale.toExponential(2)})`)
    }
  })
  return { status: 'ok', checked, skippedCoords, failures }
}

/** Throws with the first failures (fast-check then prints the seed and the counterexample). */
export const assertCheck = (c: Case, seed: number, o: CheckOptions = {}): CheckResult => {
  const res = check(c, seed, o)
  if (res.failures.length > 0) throw new Error(`${res.failures.length} mismatch(es):\n  ${res.failures.slice(0, 8).join('\n  ')}\nspec ${JSON.stringify(c.model.spec)}`)
  return res
}
