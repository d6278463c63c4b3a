/**
 * Optimizers as Optax-style gradient transformations, described as data so
 * checkpoints can hold them. Each transformation maps updates to updates
 * in place (the first sees the gradients); `chain` runs several in order;
 * the last one's output is added to the parameters. Each keeps its state per
 * parameter in `slots()` buffers of the parameter's size, updated in Wasm.
 *
 * @example
 * import { adam, chain, clipByGlobalNorm } from './Transform'
 * import { cosine } from './schedule'
 * const opt = chain(clipByGlobalNorm(1), adam(cosine(1e-3, 10_000)))
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { type GradtraceError, invalidArgument } from '../core/Error'
import type { Buf, Op } from '../plan/Program'
import { at, invalid, type Schedule, ScheduleCodec } from './schedule'

/** @category model */
export type GradientTransformation =
  | { readonly kind: 'sgd'; readonly lr: Schedule }
  | { readonly kind: 'momentum'; readonly lr: Schedule; readonly mu: number; readonly nesterov: boolean }
  | { readonly kind: 'rmsprop'; readonly lr: Schedule; readonly rho: number; readonly eps: number }
  | { readonly kind: 'adam'; readonly lr: Schedule; readonly b1: number; readonly b2: number; readonly eps: number; readonly wd: number }
  | { readonly kind: 'clipByGlobalNorm'; readonly max: number }
  | { readonly kind: 'clipByValue'; readonly max: number }
  | { readonly kind: 'chain'; readonly items: ReadonlyArray<GradientTransformation> }

/** @category codecs */
export const GradientTransformationCodec: t.Type<GradientTransformation, unknown> = t.recursion<GradientTransformation, unknown>('GradientTransformation', () =>
  (t.union([
    t.type({ kind: t.literal('sgd'), lr: ScheduleCodec }),
    t.type({ kind: t.literal('momentum'), lr: ScheduleCodec, mu: t.number, nesterov: t.boolean }),
    t.type({ kind: t.literal('rmsprop'), lr: ScheduleCodec, rho: t.number, eps: t.number }),
    t.type({ kind: t.literal('adam'), lr: ScheduleCodec, b1: t.number, b2: t.number, eps: t.number, wd: t.number }),
    t.type({ kind: t.literal('clipByGlobalNorm'), max: t.number }),
    t.type({ kind: t.literal('clipByValue'), max: t.number }),
    t.type({ kind: t.literal('chain'), items: t.array(GradientTransformationCodec) }),
  ]) as unknown as t.Type<GradientTransformation, unknown>),
)

// constructors ---------------------------------------------------------------

/** Plain SGD: u = -lr g. @category optimizers */
export const sgd = (lr: Schedule): GradientTransformation => ({ kind: 'sgd', lr })
/** Heavy-ball momentum (PyTorch's form: v = mu v + g, u = -lr v). @category optimizers */
export const momentum = (lr: Schedule, mu = 0.9): GradientTransformation => ({ kind: 'momentum', lr, mu, nesterov: false })
/** Nesterov momentum (PyTorch's form: u = -lr (g + mu v)). @category optimizers */
export const nesterov = (lr: Schedule, mu = 0.9): GradientTransformation => ({ kind: 'momentum', lr, mu, nesterov: true })
/** RMSProp (Tieleman & Hinton 2012): s = rho s + (1-rho) g^2, u = -lr g / (sqrt(s) + eps). @category optimizers */
export const rmsprop = (lr: Schedule, rho = 0.9, eps = 1e-8): GradientTransformation => ({ kind: 'rmsprop', lr, rho, eps })
/** Adam (Kingma & Ba 2015). @category optimizers */
export const adam = (lr: Schedule, b1 = 0.9, b2 = 0.999, eps = 1e-8): GradientTransformation => ({ kind: 'adam', lr, b1, b2, eps, wd: 0 })
/** AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay. @category optimizers */
export const adamw = (lr: Schedule, wd = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8): GradientTransformation => ({ kind: 'adam', lr, b1, b2, eps, wd })
/** Scales all updates so their global L2 norm is at most `max` (Pascanu et al. 2013); the trace records the norm before and after. @category optimizers */
export const clipByGlobalNorm = (max: number): GradientTransformation => ({ kind: 'clipByGlobalNorm', max })
/** Clips every update to [-max, max]. @category optimizers */
export const clipByValue = (max: number): GradientTransformation => ({ kind: 'clipByValue', max })
/** Runs transformations in order. `chain()` is the identity. @category optimizers */
export const chain = (...items: ReadonlyArray<GradientTransformation>): GradientTransformation => ({ kind: 'chain', items: items.flatMap((i) => (i.kind === 'chain' ? i.items : [i])) })

// interpretation ---------------------------------------------------------------

/** The transformations in order, chains flattened. @category utils */
export const flatten = (g: GradientTransformation): ReadonlyArray<GradientTransformation> => (g.kind === 'chain' ? g.items.flatMap(flatten) : [g])

/** State buffers per parameter. @category utils */
export const slots = (g: GradientTransformation): number =>
  flatten(g).reduce((s, x) => s + (x.kind === 'momentum' || x.kind === 'rmsprop' ? 1 : x.kind === 'adam' ? 2 : 0), 0)

/** The learning rate of the last transformation with one, at a step (for the trace). @category utils */
export const learningRate = (g: GradientTransformation, step: number): number | undefined => {
  const withLr = flatten(g).filter((x): x is Extract<GradientTransformation, { lr: Schedule }> => 'lr' in x)
  const last = withLr[withLr.length - 1]
  return last ? at(last.lr, step) : undefined
}

/** The first thing wrong with a transformation's settings, as an error value, or null. @category utils */
export const validate = (g: GradientTransformation, path = 'optimizer'): GradtraceError | null => {
  const items = flatten(g)
  for (let i = 0; i < items.length; i++) {
    const x = items[i]!
    const p = `${path}[${i}].${x.kind}`
    const bad =
      ('lr' in x ? invalid(x.lr) : null) ??
      (x.kind === 'momentum' && !(x.mu >= 0 && x.mu < 1) ? `mu must be in [0, 1), got ${x.mu}` : null) ??
      (x.kind === 'rmsprop' && !(x.rho >= 0 && x.rho < 1 && x.eps > 0) ? `rho must be in [0, 1) and eps > 0` : null) ??
      (x.kind === 'adam' && !(x.b1 >= 0 && x.b1 < 1 && x.b2 >= 0 && x.b2 < 1 && x.eps > 0 && x.wd >= 0) ? `b1, b2 must be in [0, 1), eps > 0, wd >= 0` : null) ??
      ((x.kind === 'clipByGlobalNorm' || x.kind === 'clipByValue') && !(Number.isFinite(x.max) && x.max > 0) ? `max must be a positive finite number, got ${x.max}` : null)
    if (bad) return invalidArgument(p, bad)
  }
  return null
}

/** One parameter as the optimizer sees it: its value, the update buffer (holding the gradient at first) and its state slots. @category model */
export interface ParamGroup {
  readonly p: Buf
  readonly u: Buf
  readonly n: number
  readonly state: ReadonlyArray<Buf>
}

/** The ops that apply `g` to every group, in place on the update buffers. @category utils */
export const emit = (g: GradientTransformation, groups: ReadonlyArray<ParamGroup>): ReadonlyArray<Op> => {
  const ops: Op[] = []
  let slot = 0
  for (const x of flatten(g)) {
    const first = slot
    switch (x.kind) {
      case 'sgd':
        ops.push(scaleOp(x.lr, groups))
        break
      case 'momentum':
        ops.push(kernelOp(groups, (env, gr) => {
          const u = env.ptr(gr.u), v = env.ptr(gr.state[first]!), n = gr.n, K = env.k, nest = x.nesterov ? 1 : 0
          return (lr) => K.momentum_f32_simd(u, v, u, n, lr, x.mu, nest)
        }, x.lr))
        slot += 1
        break
      case 'rmsprop':
        ops.push(kernelOp(groups, (env, gr) => {
          const u = env.ptr(gr.u), s = env.ptr(gr.state[first]!), n = gr.n, K = env.k
          return (lr) => K.rmsprop_f32_simd(u, s, u, n, lr, x.rho, x.eps)
        }, x.lr))
        slot += 1
        break
      case 'adam':
        ops.push((env) => {
          const fns = groups.map((gr) => {
            const u = env.ptr(gr.u), m = env.ptr(gr.state[first]!), v = env.ptr(gr.state[first + 1]!), p = env.ptr(gr.p), n = gr.n, K = env.k
            return (s: AdamScalars) => K.adam_f32_simd(u, m, v, u, p, n, s.omb1, s.omb2, s.step, s.sbc2, x.eps, s.decay)
          })
          return (ctx) => {
            const lr = at(x.lr, ctx.step)
            ctx.lr = lr
            const s = adamScalars(x, lr, ctx.step)
            for (const f of fns) f(s)
          }
        })
        slot += 2
        break
      case 'clipByGlobalNorm':
        ops.push(clipGlobalOp(x.max, groups))
        break
      case 'clipByValue':
        ops.push((env) => {
          const fns = groups.map((gr) => {
            const u = env.ptr(gr.u), n = gr.n, K = env.k
            return () => K.clip_f32_simd(u, u, n, -x.max, x.max)
          })
          return () => fns.forEach((f) => f())
        })
        break
      case 'chain':
        break // flattened away
    }
  }
  return ops
}

/** The scalars of `adam_f32_*` at a step: each formed in f64, then rounded to f32 once. @category utils */
export interface AdamScalars {
  readonly omb1: number
  readonly omb2: number
  /** -lr / bc1 */
  readonly step: number
  /** sqrt(bc2) */
  readonly sbc2: number
  /** -lr wd (0: Adam) */
  readonly decay: number
}

/**
 * The kernel's scalars for Adam at 1-based step t with rate lr. The moments decay
 * by 1 - omb1 and 1 - omb2 with omb = f32(1 - b), and the bias corrections use
 * those same rates (bc = 1 - (1 - omb)^t in f64), so the bias-corrected moments
 * are exact averages: rounding 1 - b2 in f32 while correcting with the exact b2
 * made every update 6.4e-6 (relative) larger than PyTorch's (#9).
 * @category utils
 */
export const adamScalars = (x: { readonly b1: number; readonly b2: number; readonly wd: number }, lr: number, t: number): AdamScalars => {
  const omb1 = Math.fround(1 - x.b1), omb2 = Math.fround(1 - x.b2)
  const bc1 = 1 - Math.pow(1 - omb1, t), bc2 = 1 - Math.pow(1 - omb2, t)
  return { omb1, omb2, step: Math.fround(-lr / bc1), sbc2: Math.fround(Math.sqrt(bc2)), decay: Math.fround(-lr * x.wd) }
}

type Env = Parameters<Op>[0]

const kernelOp = (groups: ReadonlyArray<ParamGroup>, make: (env: Env, g: ParamGroup) => (lr: number) => void, lr: Schedule): Op => (env) => {
  const fns = groups.map((g) => make(env, g))
  return (ctx) => {
    const rate = at(lr, ctx.step)
    ctx.lr = rate
    for (const f of fns) f(rate)
  }
}

const scaleOp = (lr: Schedule, groups: ReadonlyArray<ParamGroup>): Op =>
  kernelOp(groups, (env, g) => {
    const u = env.ptr(g.u), n = g.n, K = env.k
    return (rate) => K.scale_f32_simd(u, u, n, -rate)
  }, lr)

const clipGlobalOp = (max: number, groups: ReadonlyArray<ParamGroup>): Op => (env) => {
  const ptrs = groups.map((g) => [env.ptr(g.u), g.n] as const)
  const K = env.k
  return (ctx) => {
    let s = 0
    for (const [u, n] of ptrs) s += K.sumsq_f32_simd(u, n)
    const norm = Math.sqrt(s)
    if (norm > max) {
      const f = max / norm
      for (const [u, n] of ptrs) K.scale_f32_simd(u, u, n, f)
      ctx.clippedSumSq = max * max
    }
  }
}
