/**
 * Repair (issue 15, item 3): from a case and what `diagnose` found in it, a
 * pure function proposes remedies as new specs and optimizers — He init with
 * ReLU, a gated cell, clipping, the default (Glorot / orthogonal) init,
 * normalisation of the input, zero biases and a leaky ReLU, a learning rate
 * decades lower or higher, stopping at the lowest held-out loss — and
 * `repairCase` retrains them, at most `budget` of them, until one no longer
 * shows the problem and reaches the held-out loss the healthy controls reach.
 *
 * @example
 * import * as assert from 'node:assert'
 * import { suite } from './cases'
 * import { proposeRemedies } from './repair'
 * const deep = suite.find((c) => c.name === 'sigmoid-10-classic')!
 * const [first] = proposeRemedies(deep, { found: ['vanishing'], bestStep: 120 })
 * assert.strictEqual(first!.label, 'ReLU with He initialisation')
 * assert.ok(JSON.stringify(first!.net).includes('"activation":"relu"') && !JSON.stringify(first!.net).includes('sigmoid'))
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js'
import type * as Err from '../core/Error'
import * as Layer from '../model/layers'
import * as Optim from '../optim/index'
import type { GradientTransformation } from '../optim/Transform'
import type { CaseData, SuiteCase } from './cases'
import { type CaseRun, runCase } from './run'

/** A remedy: the case retrained with another net, optimizer or step count. @category model */
export interface Remedy {
  readonly label: string
  readonly net: Layer.LayerSpec
  readonly optimizer: GradientTransformation
  readonly steps: number
}

type Node = { readonly kind: string; readonly [k: string]: unknown }

/** Maps every leaf of a spec (serial and residual walked through). */
const mapLeaves = (s: Layer.LayerSpec, f: (leaf: Node) => Node): Layer.LayerSpec => {
  const n = s as unknown as Node
  if (n.kind === 'serial') return { ...n, layers: (n['layers'] as ReadonlyArray<Layer.LayerSpec>).map((x) => mapLeaves(x, f)) } as Layer.LayerSpec
  if (n.kind === 'residual') {
    const shortcut = n['shortcut'] as Layer.LayerSpec | undefined
    return { ...n, block: mapLeaves(n['block'] as Layer.LayerSpec, f), ...(shortcut ? { shortcut: mapLeaves(shortcut, f) } : {}) } as Layer.LayerSpec
  }
  return f(n) as unknown as Layer.LayerSpec
}

const without = (n: Node, keys: ReadonlyArray<string>): Node => Object.fromEntries(Object.entries(n).filter(([k]) => !keys.includes(k))) as Node
const saturating = (a: unknown): boolean => a === 'sigmoid' || a === 'tanh'

/** Dense layers with a saturating activation: ReLU with He initialisation. */
const heRelu = (s: Layer.LayerSpec) =>
  mapLeaves(s, (n) => (n.kind === 'dense' && saturating(n['activation']) ? { ...without(n, ['init']), activation: 'relu', init: Layer.init.heNormal } : n))
/** The default initialisation (Glorot input weights, orthogonal(1) recurrent weights, zero biases). */
const defaultInit = (s: Layer.LayerSpec) =>
  mapLeaves(s, (n) => (n.kind === 'dense' || n.kind === 'rnn' ? without(n, ['init', 'recurrentInit', 'biasInit']) : n))
/** A plain RNN as an LSTM of as many units (its sequence options kept). */
const gated = (s: Layer.LayerSpec) =>
  mapLeaves(s, (n) => (n.kind === 'rnn' ? { ...without(n, ['activation', 'init', 'recurrentInit', 'biasInit']), kind: 'lstm' } : n))
/** Zero biases, and ReLU units that keep a gradient when negative (a recurrent ReLU becomes tanh). */
const revive = (s: Layer.LayerSpec) =>
  mapLeaves(s, (n) => {
    const m = without(n, ['biasInit'])
    if (n['activation'] !== 'relu') return m
    return n.kind === 'rnn' ? { ...without(m, ['activation', 'init', 'recurrentInit']), activation: 'tanh' } : { ...m, activation: 'leakyRelu', alpha: 0.1 }
  })
/** Normalises the input features (layerNorm in front of the net). */
const normaliseInput = (s: Layer.LayerSpec) => Layer.serial(Layer.layerNorm(), s)

/** The optimizer with every constant learning rate times k. */
const scaleLr = (o: GradientTransformation, k: number): GradientTransformation => {
  const n = o as unknown as Node
  const items = n['items'] as ReadonlyArray<GradientTransformation> | undefined
  if (n.kind === 'chain' && items) return { ...n, items: items.map((x) => scaleLr(x, k)) } as unknown as GradientTransformation
  return typeof n['lr'] === 'number' ? ({ ...n, lr: (n['lr'] as number) * k } as unknown as GradientTransformation) : o
}
const clipped = (o: GradientTransformation): GradientTransformation =>
  JSON.stringify(o).includes('clipByGlobalNorm') ? o : Optim.chain(Optim.clipByGlobalNorm(1), o)

/** What the run showed: its findings' kinds, and the step of its lowest held-out loss. @category model */
export interface Seen {
  readonly found: ReadonlyArray<string>
  readonly bestStep: number
}

type Make = (c: SuiteCase, seen: Seen) => Remedy
const make =
  (label: string, f: Partial<{ net: (s: Layer.LayerSpec) => Layer.LayerSpec; opt: (o: GradientTransformation) => GradientTransformation }>): Make =>
  (c) => ({ label, net: f.net ? f.net(c.net) : c.net, optimizer: f.opt ? f.opt(c.optimizer) : c.optimizer, steps: c.steps })

/** Remedies by problem, the likeliest first. */
const byProblem: Readonly<Record<string, ReadonlyArray<Make>>> = {
  nonFinite: [
    make('clipping, learning rate / 10', { opt: (o) => clipped(scaleLr(o, 0.1)) }),
    make('learning rate / 10⁴', { opt: (o) => scaleLr(o, 1e-4) }),
    make('Adam at 1e-3 with clipping', { opt: () => clipped(Optim.adam(1e-3)) }),
  ],
  exploding: [
    make('default initialisation and clipping', { net: defaultInit, opt: clipped }),
    make('default initialisation, Adam at 1e-3 with clipping', { net: defaultInit, opt: () => clipped(Optim.adam(1e-3)) }),
    make('clipping, learning rate / 10', { opt: (o) => clipped(scaleLr(o, 0.1)) }),
  ],
  vanishing: [make('ReLU with He initialisation', { net: heRelu }), make('a gated cell (LSTM)', { net: gated })],
  dead: [make('zero biases and leaky ReLU, learning rate / 3', { net: revive, opt: (o) => scaleLr(o, 1 / 3) })],
  saturation: [
    make('default initialisation, input normalised', { net: (s) => normaliseInput(defaultInit(s)) }),
    make('ReLU with He initialisation', { net: heRelu }),
  ],
  stalled: [make('learning rate × 10⁴', { opt: (o) => scaleLr(o, 1e4) }), make('Adam at 3e-3', { opt: () => Optim.adam(3e-3) })],
  oscillating: [make('learning rate / 10', { opt: (o) => scaleLr(o, 0.1) }), make('learning rate / 30', { opt: (o) => scaleLr(o, 1 / 30) })],
  overfitting: [(c, seen) => ({ label: `stop at step ${seen.bestStep}, the lowest held-out loss`, net: c.net, optimizer: c.optimizer, steps: seen.bestStep })],
}
const order = ['nonFinite', 'exploding', 'vanishing', 'dead', 'saturation', 'stalled', 'oscillating', 'overfitting']

const key = (r: Remedy): string => JSON.stringify([r.net, r.optimizer, r.steps])

/**
 * Remedies for what a run showed, the first finding's first; none that changes nothing (a gated cell for a net
 * without a plain RNN), none twice. Pure: the case is not changed. @category utils
 */
export const proposeRemedies = (c: SuiteCase, seen: Seen): ReadonlyArray<Remedy> => {
  const same = key({ label: '', net: c.net, optimizer: c.optimizer, steps: c.steps })
  const all = order.filter((p) => seen.found.includes(p)).flatMap((p) => byProblem[p]!.map((m) => m(c, seen)))
  return all.filter((r, i) => key(r) !== same && all.findIndex((x) => key(x) === key(r)) === i)
}

/** The held-out loss the healthy controls reach on a kind of data (the worst of them), by `dataKey`. @category utils */
export const dataKey = (d: CaseData): string => (d.kind === 'adding' ? 'adding' : d.asSequence ? 'digits as sequences' : 'digits')

/** One repair: the run before, each remedy tried and its run, and whether one repaired it. @category model */
export interface Repair {
  readonly name: string
  readonly before: CaseRun
  readonly tried: ReadonlyArray<{ readonly remedy: Remedy; readonly after: CaseRun; readonly repaired: boolean }>
  readonly repaired: boolean
}

/** Whether a run no longer shows its case's problems (nor non-finite values) and reaches the reference held-out loss. */
const fixed = (c: SuiteCase, r: CaseRun, reference: number): boolean =>
  c.expect.every((p) => !r.found.includes(p)) && !r.found.includes('nonFinite') && (r.measures['heldOutLast'] ?? Infinity) <= reference

/** Retrains up to `budget` remedies of a failing run, stopping at the first that repairs it. @category utils */
export const repairCase = async (c: SuiteCase, before: CaseRun, reference: number, budget = 3): Promise<E.Either<Err.GradtraceError, Repair>> => {
  const tried: Array<Repair['tried'][number]> = []
  for (const remedy of proposeRemedies(c, { found: before.found, bestStep: before.measures['heldOutBestStep'] ?? c.steps }).slice(0, budget)) {
    const after = await runCase({ ...c, name: `${c.name} + ${remedy.label}`, net: remedy.net, optimizer: remedy.optimizer, steps: remedy.steps })
    if (E.isLeft(after)) return after
    const ok = fixed(c, after.right, reference)
    tried.push({ remedy, after: after.right, repaired: ok })
    if (ok) break
  }
  return E.right({ name: c.name, before, tried, repaired: tried.some((t) => t.repaired) })
}
