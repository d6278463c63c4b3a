/**
 * Every field of the trace against a float64 reference (#9): dL/dy, dL/dz,
 * dL/dx and the activation statistics of every layer entry, each parameter's
 * gradient statistics, norm and update-to-parameter ratio (SGD, Adam, AdamW,
 * clipping), per time step ||dL/dh_t||, ||dL/dc_t||, ||h_t|| and the gate
 * means, on random small networks of every kind (fast-check, fixed seed:
 * test/setup.ts). The reference (test/gradcheck/traceReference.ts) runs the
 * network on a scalar f64 tape written from the layer formulas; its gradients
 * are first checked against central differences of its own forward, and its
 * loss against the independent reference forwards (test/gradcheck/reference.ts,
 * test/recurrent/reference.ts). Relative tolerance 1e-4 (f32 kernels).
 * Samples with a unit within 1e-4 of a kink (ReLU's 0) are skipped (f32 and
 * f64 may put it on different sides) and counted.
 *
 * Mutation proof (#9 part 4, run 2026-12-05 on the trace reading of
 * src/plan/tracePlan.ts at c6b5646 and again on its successor
 * src/plan/traceRead.ts): each change below, made alone, fails this file,
 * each time through the comparison of the field it broke.
 * - dL/dz read as dL/dy; dL/dx read as dL/dy; a parameter's dL/dW read from
 *   the next parameter: 11 of 14 tests (valueAndGrad of dense stacks, of every
 *   fused activation and of recurrent nets; the 8 training-step tests).
 * - the update ratio times 7, and times 1.01: the 8 training-step tests.
 * - dL/dh_t swapped between steps 0 and 1, or the last two, or rotated by
 *   one; dL/dc_t swapped likewise: the recurrent valueAndGrad test and the
 *   3 recurrent training tests.
 * (The coverage test fails too when a property stops early; it is not what
 * catches them.)
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import * as Key from '../../src/core/Key'
import type { Params } from '../../src/core/Params'
import * as Layer from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import * as Optim from '../../src/optim/index'
import type { GradientTransformation } from '../../src/optim/Transform'
import type { Batch, Model } from '../../src/model/compile'
import type { StepTrace } from '../../src/trace/Trace'
import * as Train from '../../src/train/index'
import { compileOrThrow, randomBatch, randomParams, rng, type TargetKind } from '../gradcheck/check'
import { ACTS, type ActName, type LossName, lossOf, type Targets } from '../gradcheck/reference'
import { compareTrace, refUpdate } from '../gradcheck/traceCompare'
import { traceReference } from '../gradcheck/traceReference'

const KINK = 1e-4
const tally = { samples: 0, skipped: 0 }

interface Case {
  readonly model: Model
  readonly params: Params
  readonly batch: Batch
  readonly B: number
  readonly targets: Targets
  readonly x64: Float64Array
}

/** A case: random parameters (gain 1.2) and batch; with `mask`, the input's last feature holds 0/1 with sequence lengths 1..T. */
const makeCase = (spec: LayerSpec, input: ReadonlyArray<number>, loss: LossName, B: number, seed: number, mask = false): Case => {
  const model = compileOrThrow(spec, input, loss)
  const r = rng(seed)
  const params = randomParams(model, r, 1.2)
  const kind: TargetKind = loss === 'softmaxCrossEntropy' ? (seed % 2 === 0 ? 'labels' : 'soft') : 'dense'
  const b = randomBatch(model, r, B, kind)
  if (mask) {
    const [T = 1, Fin = 1] = input
    const x = b.batch.x.data as Float32Array
    for (let i = 0; i < B; i++) {
      const len = 1 + r.int(T)
      for (let t = 0; t < T; t++) x[(i * T + t) * Fin + Fin - 1] = t < len ? 1 : 0
    }
    b.x64.set(x)
  }
  return { model, params, B, batch: b.batch, targets: b.targets, x64: b.x64 }
}

const theta = (ps: Params): ReadonlyArray<Float64Array> => ps.map((p) => Float64Array.from(p.data))
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}

/** Compares the trace of valueAndGrad (dropout key given) with the reference; false when skipped near a kink. */
const checkGrad = (c: Case, seed: number): boolean => {
  const key = Key.key(seed)
  const ref = traceReference(c.model.spec, c.model.input, c.B, c.x64, theta(c.params), c.model.loss, c.targets, [key.k0, key.k1])
  tally.samples++
  if (ref.kinkDist.some((d) => d < KINK)) {
    tally.skipped++
    return false
  }
  const vg = right(c.model.valueAndGrad(c.params, c.batch, { key, trace: 'norms' }))
  const fails = compareTrace(vg.trace, ref)
  if (fails.length > 0) throw new Error(`${fails.length} mismatch(es):\n  ${fails.slice(0, 10).join('\n  ')}\nspec ${JSON.stringify(c.model.spec)}`)
  return true
}

/** Two training steps with `opt`; the trace of each (update ratios included) against the reference from the state the step starts in. */
const checkTrain = (c: Case, opt: GradientTransformation, seed: number): void => {
  let s = Train.fromParams(c.model, opt, c.params, Key.key(seed))
  for (let k = 0; k < 2; k++) {
    const ref = traceReference(c.model.spec, c.model.input, c.B, c.x64, theta(s.params), c.model.loss, c.targets)
    tally.samples++
    if (ref.kinkDist.some((d) => d < KINK)) {
      tally.skipped++
      return
    }
    const g = ref.params.map((p) => Float64Array.from(p.nodes, (n) => n.g))
    const update = refUpdate(opt, theta(s.params), g, s.opt.map((slots) => slots.map((x) => Float64Array.from(x))), s.step + 1)
    const [next, trace] = right(Train.step(c.model, opt, { trace: 'norms' })(s, c.batch)) as readonly [Train.TrainState, StepTrace]
    const fails = compareTrace(trace, ref, { update })
    if (fails.length > 0) throw new Error(`step ${k + 1}: ${fails.length} mismatch(es):\n  ${fails.slice(0, 10).join('\n  ')}\nspec ${JSON.stringify(c.model.spec)}`)
    s = next
  }
}

// random networks ----------------------------------------------------------------

const seed = fc.integer({ min: 0, max: 0x7fffffff })
const width = fc.integer({ min: 1, max: 7 })
const batch = fc.integer({ min: 1, max: 4 })
const act = fc.constantFrom<ActName>(...ACTS)
const loss = fc.constantFrom<LossName>('softmaxCrossEntropy', 'mse', 'binaryCrossEntropy')

type Block = { readonly t: 'dense' | 'act' | 'residual' | 'shortcut' | 'sum' | 'concat' | 'layerNorm' | 'dropout' | 'identity' | 'plain'; readonly w: number; readonly fn: ActName }
const block = fc.record({ t: fc.constantFrom<Block['t']>('dense', 'act', 'residual', 'shortcut', 'sum', 'concat', 'layerNorm', 'dropout', 'identity', 'plain'), w: width, fn: act })

/** A stack of blocks on input width I, ending in dense(3). */
const stack = (I: number, blocks: ReadonlyArray<Block>): LayerSpec => {
  let w = I
  const layers = blocks.map((b): LayerSpec => {
    switch (b.t) {
      case 'dense':
        w = b.w
        return Layer.dense(b.w, { activation: b.fn })
      case 'plain':
        w = b.w
        return Layer.dense(b.w)
      case 'act':
        return Layer.activation(b.fn)
      case 'residual':
        return Layer.residual(Layer.serial(Layer.dense(b.w, { activation: b.fn }), Layer.dense(w)))
      case 'shortcut':
        w = b.w
        return Layer.residual(Layer.dense(b.w, { activation: b.fn }), Layer.dense(b.w))
      case 'sum':
        return Layer.serial(Layer.fanOut(2), Layer.parallel(Layer.dense(w, { activation: b.fn }), Layer.identity), Layer.fanInSum)
      case 'concat':
        w = 2 * b.w
        return Layer.serial(Layer.fanOut(2), Layer.parallel(Layer.dense(b.w, { activation: b.fn }), Layer.dense(b.w)), Layer.fanInConcat)
      case 'layerNorm':
        // over 1 or 2 features layerNorm's output is (almost) constant and its dL/dx is a rounding residue of eps: widen first
        if (w >= 3) return Layer.layerNorm()
        w = b.w + 2
        return Layer.serial(Layer.dense(w), Layer.layerNorm())
      case 'dropout':
        return Layer.dropout(0.3)
      case 'identity':
        return Layer.identity
    }
  })
  return Layer.serial(...layers, Layer.dense(3))
}

type CellKind = 'rnn tanh' | 'rnn sigmoid' | 'rnn relu' | 'lstm' | 'lstm 1997' | 'lstm peepholes' | 'lstm 1997 peepholes' | 'gru'
const cellKind = fc.constantFrom<CellKind>('rnn tanh', 'rnn sigmoid', 'rnn relu', 'lstm', 'lstm 1997', 'lstm peepholes', 'lstm 1997 peepholes', 'gru')
const cell = (k: CellKind, H: number, o: { returnSequences?: boolean; mask?: boolean; truncate?: number }): LayerSpec =>
  k.startsWith('rnn')
    ? Layer.rnn(H, { activation: k.slice(4) as 'tanh' | 'sigmoid' | 'relu', ...o })
    : k === 'gru'
      ? Layer.gru(H, o)
      : Layer.lstm(H, { forgetGate: !k.includes('1997'), peepholes: k.includes('peepholes'), ...o })

const seqNet = fc.record({
  kind: cellKind,
  second: fc.option(cellKind, { nil: undefined }),
  T: fc.integer({ min: 1, max: 6 }),
  F: fc.integer({ min: 1, max: 3 }),
  H: fc.integer({ min: 1, max: 5 }),
  mask: fc.boolean(),
  seqOut: fc.boolean(),
  truncate: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
  before: fc.boolean(),
})
type SeqNet = typeof seqNet extends fc.Arbitrary<infer A> ? A : never

/** [dense(tanh) over time ->] cell [-> cell] -> dense(2); a mask only where the cell reads the network input. */
const seqSpec = (n: SeqNet): { spec: LayerSpec; input: ReadonlyArray<number>; mask: boolean } => {
  const mask = n.mask && !n.before
  const trunc = n.truncate !== undefined ? { truncate: n.truncate } : {}
  const first = cell(n.kind, n.H, { returnSequences: n.seqOut || n.second !== undefined, mask, ...trunc })
  const layers = [...(n.before ? [Layer.dense(n.F + 1, { activation: 'tanh' })] : []), first, ...(n.second ? [cell(n.second, n.H + 1, { returnSequences: n.seqOut, ...trunc })] : []), Layer.dense(2)]
  return { spec: Layer.serial(...layers), input: [n.T, n.F + (mask ? 1 : 0)], mask }
}

// the reference itself ----------------------------------------------------------------

describe('the f64 trace reference', () => {
  /** central differences of the reference's own loss against its tape gradients, relative 1e-6 */
  const fd = (c: Case): ReadonlyArray<string> => {
    const th = theta(c.params).map((t) => t.slice())
    const f = () => traceReference(c.model.spec, c.model.input, c.B, c.x64, th, c.model.loss, c.targets)
    const base = f()
    if (base.kinkDist.some((d) => d < 1e-3)) return []
    const r = rng(th.length)
    const out: string[] = []
    th.forEach((t, pi) => {
      const g = Float64Array.from(base.params[pi]!.nodes, (n) => n.g)
      const scale = Math.max(...Array.from(g, Math.abs))
      for (let k = 0; k < Math.min(t.length, 12); k++) {
        const j = t.length <= 12 ? k : r.int(t.length)
        const x0 = t[j]!
        t[j] = x0 + 1e-6
        const lp = f().loss
        t[j] = x0 - 1e-6
        const lm = f().loss
        t[j] = x0
        const d = (lp - lm) / 2e-6
        // + 1e-8: the f64 loss rounds at ~1e-16, which central differences with h = 1e-6 turn into ~1e-9
        if (!(Math.abs(d - g[j]!) <= 1e-6 * Math.max(Math.abs(d), 1e-2 * scale) + 1e-8)) out.push(`${base.params[pi]!.path}[${j}]: tape ${g[j]} vs fd ${d}`)
      }
    })
    return out
  }

  it('gradients match central differences of its forward (dense stacks, residual, layerNorm, fan-in/out)', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(block, { minLength: 1, maxLength: 3 }), loss, (s, B, I, blocks, l) => {
        const c = makeCase(stack(I, blocks.map((b) => (b.t === 'dropout' ? { ...b, t: 'identity' } : b))), [I], l, B, s)
        expect(fd(c)).toEqual([])
        // its loss is the independent reference forward's
        const ind = lossOf(c.model.spec, c.model.input, l, B, c.x64, c.targets, theta(c.params)).loss
        expect(Math.abs(traceReference(c.model.spec, c.model.input, B, c.x64, theta(c.params), l, c.targets).loss - ind)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(ind)))
      }),
      { numRuns: 20 },
    )
  })

  it('gradients match central differences of its forward (rnn, lstm, gru; masks, truncation, stacked)', () => {
    fc.assert(
      fc.property(seed, seqNet, (s, n) => {
        const { spec, input, mask } = seqSpec(n)
        // truncation is a cut in the gradient, not in the forward: central differences see full BPTT
        if (n.truncate !== undefined) return
        expect(fd(makeCase(spec, input, 'mse', 2, s, mask))).toEqual([])
      }),
      { numRuns: 20 },
    )
  })
})

// the trace against it -----------------------------------------------------------------

describe('trace of valueAndGrad against the f64 reference', () => {
  it('dense stacks with every activation, fused and as layers, residual blocks, fan-in/out, layerNorm, dropout', () => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(block, { minLength: 1, maxLength: 4 }), loss, (s, B, I, blocks, l) => {
        checkGrad(makeCase(stack(I, blocks), [I], l, B, s), s)
      }),
      { numRuns: 60 },
    )
  })

  it('every activation fused in dense, on its own', () => {
    for (const fn of ACTS) for (let s = 0; s < 3; s++) checkGrad(makeCase(Layer.serial(Layer.dense(6, { activation: fn }), Layer.dense(3, { activation: fn }), Layer.dense(2)), [4], 'mse', 3, 100 * s + fn.length), s)
  })

  it('rnn, lstm (4 variants), gru: per-step dL/dh_t, dL/dc_t, states and gates; masks, truncation, stacks, every state out', () => {
    fc.assert(
      fc.property(seed, seqNet, batch, fc.constantFrom<LossName>('mse', 'softmaxCrossEntropy'), (s, n, B, l) => {
        const { spec, input, mask } = seqSpec(n)
        checkGrad(makeCase(spec, input, l, B, s, mask), s)
      }),
      { numRuns: 60 },
    )
  })
})

describe('trace of training steps against the f64 reference (update-to-parameter ratio)', () => {
  const opts: ReadonlyArray<readonly [string, GradientTransformation]> = [
    ['sgd', Optim.sgd(0.05)],
    ['adam', Optim.adam(1e-3)],
    ['adamw', Optim.adamw(3e-3, 0.1)],
    ['clip + adam', Optim.chain(Optim.clipByGlobalNorm(0.05), Optim.adam(1e-2, 0.8, 0.99))],
    ['clip + sgd', Optim.chain(Optim.clipByGlobalNorm(0.05), Optim.sgd(0.1))],
  ]
  it.each(opts)('%s, dense stacks', (_, opt) => {
    fc.assert(
      fc.property(seed, batch, width, fc.array(block, { minLength: 1, maxLength: 3 }), loss, (s, B, I, blocks, l) => {
        checkTrain(makeCase(stack(I, blocks.map((b) => (b.t === 'dropout' ? { ...b, t: 'layerNorm' } : b))), [I], l, B, s), opt, s)
      }),
      { numRuns: 12 },
    )
  })
  it.each(opts.slice(0, 3))('%s, recurrent nets', (_, opt) => {
    fc.assert(
      fc.property(seed, seqNet, batch, (s, n, B) => {
        const { spec, input, mask } = seqSpec(n)
        checkTrain(makeCase(spec, input, 'mse', B, s, mask), opt, s)
      }),
      { numRuns: 10 },
    )
  })
})

describe('coverage', () => {
  it('few samples were skipped near kinks', () => {
    expect(tally.samples).toBeGreaterThan(300)
    expect(tally.skipped).toBeLessThan(0.05 * tally.samples)
  })
})
