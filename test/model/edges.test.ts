/**
 * The model's edges (#9 part 3): bad input never trains silently, errors are
 * values, nothing is lost. Each case asserts the error value (naming the field
 * or the layer path) and that nothing changed (state, parameters, the spec):
 * - a spec changed after `compile` (the model runs the spec it was compiled
 *   with, at every batch size; spec types are readonly);
 * - optimizer state made for another optimizer, or arrays of the wrong length;
 * - a new optimizer value every step (a schedule written by hand): the model
 *   keeps one training plan (`model.cached()`), and the steps are
 *   bit-identical to the scheduled run;
 * - nesting deeper than the limit and circular specs: a Left, not a RangeError;
 * - a user layer kind writing past its buffers: caught at compile, and models
 *   compiled before are unharmed;
 * - arrays a step returned, changed in place and handed back: read as they are;
 * - exported values (Layer.tanh, Layer.init.glorotUniform, palettes, tables):
 *   frozen, so changing them throws and later models are as before.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as Entry from '../../src/entries/index'

const { Key, Layer, Model, Ops, Optim, Params, Train } = Entry

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`unexpected Left: ${JSON.stringify(e.left)}`)
  return e.right
}
const left = <A>(e: E.Either<A, unknown>): A => {
  if (E.isRight(e)) throw new Error('expected a Left')
  return e.left
}
const compile = (spec: Entry.Layer.LayerSpec, input: ReadonlyArray<number> = [4], o: Partial<Entry.Model.CompileOptions> = {}) =>
  Model.compile(spec, { input, loss: 'softmaxCrossEntropy', ...o })

const xs = (B: number, f = 4) => ({ shape: [B, f], data: Float32Array.from({ length: B * f }, (_, i) => Math.sin(0.9 * i + 0.2)) })
const batch = (B: number, seed = 0) => ({ x: xs(B), y: Int32Array.from({ length: B }, (_, i) => (i + seed) % 3) })
const bits = (ps: Entry.Params.Params): ReadonlyArray<number> => ps.flatMap((p) => Array.from(new Uint32Array(Float32Array.from(p.data).buffer)))
const copyState = (s: Entry.Train.TrainState): Entry.Train.TrainState => ({
  ...s,
  params: s.params.map((p) => ({ ...p, data: p.data.slice() })),
  opt: s.opt.map((sl) => sl.map((a) => a.slice())),
})

// a spec changed after compile ----------------------------------------------------------

describe('a spec changed after compile changes nothing', () => {
  /** A plain, mutable spec as a user might build it by hand or parse from JSON. */
  const handMade = () => ({
    kind: 'serial',
    layers: [{ kind: 'dense', units: 8, activation: 'tanh', init: { kind: 'normal', std: 0.5 } }, { kind: 'dense', units: 3 }] as Array<Record<string, unknown>>,
  })

  it('the model runs the spec it was compiled with, at the batch sizes it had seen and at new ones', () => {
    const spec = handMade()
    const as = structuredClone(spec)
    const model = right(compile(spec))
    expect(spec).toEqual(as) // compile neither changed nor froze the caller's object
    expect(Object.isFrozen(spec) || Object.isFrozen(spec.layers[0])).toBe(false)
    const params = model.init(Key.key(1))
    const before = right(model.valueAndGrad(params, batch(4)))
    // the first layer widens to 16 (its W was (4, 8)), an activation changes, a layer is added
    spec.layers[0]!.units = 16
    spec.layers[0]!.activation = 'relu'
    ;(spec.layers[0]!.init as { std: number }).std = 5
    spec.layers.push({ kind: 'dense', units: 5 })
    const twin = right(compile(as)) // compiled from an untouched copy
    expect(model.spec).toEqual(as)
    expect(model.params).toEqual(twin.params)
    expect(bits(model.init(Key.key(2)))).toEqual(bits(twin.init(Key.key(2))))
    expect(model.valueAndGrad(params, batch(4))).toEqual(E.right(before))
    for (const B of [1, 7]) {
      // a batch size first seen after the change: its graph is built from the spec the model owns
      expect(model.valueAndGrad(params, batch(B))).toEqual(twin.valueAndGrad(params, batch(B)))
      expect(model.apply(params, xs(B))).toEqual(twin.apply(params, xs(B)))
    }
    const opt = Optim.adam(0.01)
    const s = right(Train.init(model, opt, Key.key(3)))
    const [a] = right(Train.step(model, opt)(s, batch(5)))
    const [b] = right(Train.step(twin, opt)(s, batch(5)))
    expect(bits(a.params)).toEqual(bits(b.params))
  })

  it("the model's spec is frozen all the way down: changing it throws", () => {
    const model = right(compile(handMade()))
    const spec = model.spec as unknown as ReturnType<typeof handMade>
    expect(() => spec.layers.push({ kind: 'dense', units: 2 })).toThrow(TypeError)
    expect(() => (spec.layers[0]!.units = 2)).toThrow(TypeError)
    expect(() => ((spec.layers[0]!.init as { std: number }).std = 2)).toThrow(TypeError)
    expect(model.spec).toEqual(handMade())
  })

  it('the list of user kinds handed to compile may change afterwards', () => {
    const kinds = [double(0)]
    const spec = Layer.serial(Layer.dense(6), { kind: 'double' }, Layer.dense(3))
    const model = right(compile(spec, [4], { kinds }))
    const twin = right(compile(spec, [4], { kinds: [double(0)] }))
    kinds.length = 0
    const params = model.init(Key.key(4))
    expect(model.valueAndGrad(params, batch(6))).toEqual(twin.valueAndGrad(params, batch(6)))
  })

  it('spec types are readonly (the @ts-expect-error lines are the test: typecheck fails when one stops being an error)', () => {
    const s = Layer.serial(Layer.dense(3, { init: Layer.init.normal(0.1) }), Layer.tanh, Layer.residual(Layer.dense(3)))
    const model = right(compile(s))
    const writes = [
      // @ts-expect-error the layers of a serial are a readonly array
      () => s.layers.push(Layer.tanh),
      // @ts-expect-error nor can one be replaced
      () => (s.layers[0] = Layer.tanh),
      // @ts-expect-error a spec's kind is readonly
      () => (s.kind = 'parallel'),
      // @ts-expect-error a layer's settings are readonly
      () => (Layer.dense(3).units = 4),
      // @ts-expect-error an initialiser's settings too
      () => (Layer.init.normal(0.1).std = 1),
      // @ts-expect-error a residual's block
      () => (Layer.residual(Layer.dense(3)).block = Layer.tanh),
      // @ts-expect-error a recurrent layer's settings
      () => (Layer.lstm(2).units = 3),
      // @ts-expect-error an activation's function
      () => (Layer.tanh.fn = 'relu'),
      // @ts-expect-error the model's spec
      () => (model.spec.kind = 'dense'),
      // @ts-expect-error the parameter declarations of a model
      () => (model.params[0]!.shape[0] = 2),
    ]
    expect(writes.every((f) => typeof f === 'function')).toBe(true)
    expectTypeOf(model.spec).toEqualTypeOf<Entry.Layer.LayerSpec>()
  })
})

// optimizer state ------------------------------------------------------------------

describe('optimizer state is checked like parameters', () => {
  const model = right(compile(Layer.serial(Layer.dense(5, { activation: 'tanh' }), Layer.dense(3))))
  const refused = (opt: Entry.Optim.GradientTransformation, s: Entry.Train.TrainState) => {
    const held = structuredClone({ s, opt })
    const r = Train.step(model, opt)(s, batch(4))
    expect({ s, opt }).toEqual(held)
    return left(r)
  }

  it('state made for one optimizer, stepped with another: a Left naming the array (a TypeError before)', () => {
    const made = (o: Entry.Optim.GradientTransformation) => right(Train.init(model, o, Key.key(0)))
    const W = model.params[0]!.path
    const pairs = [
      [Optim.sgd(0.1), Optim.adam(0.01)],
      [Optim.momentum(0.1), Optim.adam(0.01)],
      [Optim.adam(0.01), Optim.rmsprop(0.01)],
      [Optim.adam(0.01), Optim.sgd(0.1)],
      [Optim.chain(Optim.clipByGlobalNorm(1), Optim.momentum(0.1)), Optim.chain(Optim.momentum(0.1), Optim.adam(0.01))],
    ] as const
    for (const [from, to] of pairs) {
      expect(refused(to, made(from))).toMatchObject({ _tag: 'InvalidArgument', path: `state.opt[0] (${W})`, message: expect.stringMatching(/another optimizer/) })
    }
  })

  it('state arrays of length 1 (read stale memory before), too long, or not Float32Arrays: a Left naming parameter and slot', () => {
    const opt = Optim.adam(0.01)
    const s = right(Train.init(model, opt, Key.key(0)))
    const n = (i: number) => s.opt[i]![0]!.length
    const at = (i: number, j: number) => `state.opt[${i}] (${model.params[i]!.path})[${j}]`
    const withSlot = (i: number, j: number, v: unknown): Entry.Train.TrainState => ({
      ...s,
      opt: s.opt.map((sl, k) => (k === i ? sl.map((a, l) => (l === j ? (v as Float32Array) : a)) : sl)),
    })
    expect(refused(opt, withSlot(0, 1, new Float32Array(1)))).toEqual({ _tag: 'ShapeMismatch', path: at(0, 1), what: 'optimizer state length', expected: [n(0)], actual: [1] })
    expect(refused(opt, withSlot(3, 0, new Float32Array(n(3) + 1)))).toMatchObject({ _tag: 'ShapeMismatch', path: at(3, 0), expected: [n(3)], actual: [n(3) + 1] })
    expect(refused(opt, withSlot(2, 0, Array.from({ length: n(2) }, () => 0)))).toMatchObject({ _tag: 'InvalidArgument', path: at(2, 0) })
    expect(refused(opt, withSlot(1, 1, new Float64Array(n(1))))).toMatchObject({ _tag: 'InvalidArgument', path: at(1, 1) })
    expect(refused(opt, { ...s, opt: s.opt.slice(0, 2) })).toMatchObject({ _tag: 'InvalidArgument', path: 'state.opt' })
  })

  it('refused calls leave no trace: the next good step gives the bits it gives without them', () => {
    const opt = Optim.adam(0.01)
    const s = right(Train.init(model, opt, Key.key(7)))
    const clean = right(Train.step(model, opt)(s, batch(4)))[0]
    refused(Optim.rmsprop(0.5), s)
    refused(opt, { ...s, opt: s.opt.map((sl) => sl.map(() => new Float32Array(1))) })
    const after = right(Train.step(model, opt)(s, batch(4)))[0]
    expect(bits(after.params)).toEqual(bits(clean.params))
    expect(after.opt).toEqual(clean.opt)
  })
})

// a hand-written schedule ------------------------------------------------------------------

describe('a new optimizer value every step (a schedule written by hand)', () => {
  const STEPS = 3000

  it(`${STEPS} steps: one training plan however the settings change, and the bits of the scheduled run`, () => {
    const model = right(compile(Layer.serial(Layer.dense(6, { activation: 'tanh' }), Layer.dense(3)), [4], { trace: 'off' }))
    const schedule = Optim.warmup(0.05, 100, Optim.cosine(0.05, STEPS))
    const make = (lr: Entry.Optim.Schedule) => Optim.chain(Optim.clipByGlobalNorm(1), Optim.adam(lr))
    const scheduled = make(schedule)
    const s0 = right(Train.init(model, scheduled, Key.key(11)))
    expect(model.cached().plans).toBe(0)
    let a = s0, b = s0
    const steady = Train.step(model, scheduled)
    const counts = new Set<string>()
    for (let i = 0; i < STEPS; i++) {
      const data = batch(4, i)
      a = right(steady(a, data))[0]
      const byHand = make(Optim.rateAt(schedule, b.step + 1)) // a new value every step
      const [next, trace] = right(Train.step(model, byHand)(b, data))
      expect(trace.lr).toBe(Optim.rateAt(schedule, i + 1))
      b = next
      counts.add(JSON.stringify(model.cached()))
    }
    // one training plan for this batch size and trace level, shared by the scheduled and the hand-written settings, from the first step on
    expect(counts.size).toBe(1)
    expect(model.cached().plans).toBe(1)
    expect(bits(b.params)).toEqual(bits(a.params))
    b.opt.forEach((sl, i) => sl.forEach((v, j) => expect(Array.from(v)).toEqual(Array.from(a.opt[i]![j]!))))
  })
})

// nesting and cycles --------------------------------------------------------------------

describe('deep and circular specs are Left values at compile, not a RangeError', () => {
  const nest = (n: number, wrap: (s: Entry.Layer.LayerSpec) => Entry.Layer.LayerSpec): Entry.Layer.LayerSpec => {
    let s: Entry.Layer.LayerSpec = Layer.dense(3)
    for (let i = 0; i < n; i++) s = wrap(s)
    return s
  }
  const wraps: ReadonlyArray<readonly [string, (s: Entry.Layer.LayerSpec) => Entry.Layer.LayerSpec]> = [
    ['serial', (s) => Layer.serial(s)],
    ['residual', (s) => Layer.residual(s)],
    ['serial of two', (s) => Layer.serial(Layer.tanh, s)],
  ]

  it.each(wraps)('%s nested 1,400 to 200,000 deep', (_, wrap) => {
    for (const n of [1400, 3000, 200_000]) {
      const spec = nest(n, wrap)
      let r: ReturnType<typeof compile> | undefined
      expect(() => (r = compile(spec, [3]))).not.toThrow()
      const e = left(r!)
      expect(e).toMatchObject({ _tag: 'DecodeError', message: expect.stringMatching(/nested deeper than/) })
      expect((e as { path: string }).path.length).toBeLessThan(200) // the path keeps its first and last levels
      expect(Object.isFrozen(spec)).toBe(false)
    }
  })

  it('nesting below the limit compiles, and trains', () => {
    const model = right(compile(Layer.serial(nest(300, (s) => Layer.serial(s)), Layer.dense(3)), [4]))
    const opt = Optim.sgd(0.1)
    expect(E.isRight(Train.step(model, opt)(right(Train.init(model, opt, Key.key(0))), batch(2)))).toBe(true)
  })

  it('a spec that contains itself, directly or through a field: a Left naming where', () => {
    const loop: { kind: 'serial'; layers: Array<Entry.Layer.LayerSpec> } = { kind: 'serial', layers: [Layer.dense(4)] }
    loop.layers.push(Layer.residual(loop))
    const held = structuredClone(loop)
    expect(left(compile(loop))).toMatchObject({ _tag: 'DecodeError', path: 'spec.layers[1].block', message: expect.stringMatching(/circular/) })
    expect(loop).toEqual(held)
    const self: Record<string, unknown> = { kind: 'dense', units: 3 }
    self.init = { kind: 'normal', std: 0.1, of: self }
    expect(left(compile(Layer.serial(Layer.dense(4), self as unknown as Entry.Layer.LayerSpec)))).toMatchObject({ _tag: 'DecodeError', path: 'spec.layers[1].init.of' })
  })

  it('a layer used twice is not a cycle', () => {
    const block = Layer.serial(Layer.dense(4), Layer.tanh)
    expect(E.isRight(compile(Layer.serial(block, block, Layer.residual(block), Layer.dense(3))))).toBe(true)
  })
})

// user layer kinds writing past their buffers -------------------------------------------------------

const Double = t.type({ kind: t.literal('double') })
/** y = 2x; `over` makes one of its ops write `over` floats past a buffer: 'y' (forward), 'dx' or a parameter's gradient 'da' (backward). */
function double(extra: number, where: 'y' | 'dx' | 'da' = 'y'): Entry.Layer.LeafKind<t.TypeOf<typeof Double>> {
  return {
    _tag: 'leaf',
    kind: 'double',
    codec: Double,
    outShape: (_, s) => E.right(s),
    params: () => [{ name: 'a', shape: [1], init: Layer.init.zeros }],
    emit: (_, ctx) => {
      const n = ctx.batch * ctx.inSize
      const y = ctx.buf('y', n), dy = ctx.grad('dy', n)
      const da = ctx.params[0]!.grad
      const over = (w: typeof where) => (where === w ? extra : 0)
      return {
        y,
        dy,
        forward: [Ops.fill(y, n + over('y'), 0), Ops.axpy(y, ctx.x, n, 2)],
        backward: [Ops.fill(da, 1 + over('da'), 0), ...(ctx.dx ? [Ops.axpy(ctx.dx, dy, n + over('dx'), 2)] : [])],
      }
    },
  }
}

describe('a user layer kind that writes past its buffers is caught at compile', () => {
  const spec = Layer.serial(Layer.dense(6, { activation: 'tanh' }), { kind: 'double' }, Layer.dense(3))

  it.each([
    ['its output (forward)', 'y', 1],
    ['its output, by a whole buffer', 'y', 24],
    ['dL/dx (backward)', 'dx', 1],
    ["a parameter's gradient (backward)", 'da', 1],
  ] as const)('past %s', (_, where, extra) => {
    const held = structuredClone(spec)
    const e = left(compile(spec, [4], { kinds: [double(extra, where)] }))
    expect(e).toMatchObject({ _tag: 'InvalidArgument', path: 'serial/1/double', message: expect.stringMatching(/layer kind "double" wrote past the end of buffer/) })
    expect(spec).toEqual(held)
  })

  it('the same kind writing within its buffers compiles; models compiled before are unharmed by the check run', () => {
    const before = right(compile(Layer.serial(Layer.dense(5, { activation: 'relu' }), Layer.dense(3))))
    const p = before.init(Key.key(5))
    const want = right(before.valueAndGrad(p, batch(3)))
    expect(E.isLeft(compile(spec, [4], { kinds: [double(2)] }))).toBe(true)
    expect(before.valueAndGrad(p, batch(3))).toEqual(E.right(want))
    const good = right(compile(spec, [4], { kinds: [double(0)] }))
    expect(good.params.map((q) => q.path)).toContain('serial/1/double/a')
    expect(before.valueAndGrad(p, batch(3))).toEqual(E.right(want))
  })
})

// arrays changed in place ------------------------------------------------------------------

describe('an array a step returned, changed in place and handed back, is read as it is now', () => {
  const model = right(compile(Layer.serial(Layer.dense(5, { activation: 'tanh' }), Layer.dense(3))))
  const opt = Optim.adam(0.02)
  const step = Train.step(model, opt)

  it('parameters and optimizer state changed in place: the next step reads the changed values (a fresh copy gives the same bits)', () => {
    const s1 = right(step(right(Train.init(model, opt, Key.key(2))), batch(4)))[0]
    const untouched = copyState(s1)
    const W = s1.params[0]!.data as Float32Array
    W[3] = W[3]! + 0.5
    ;(s1.params[3]!.data as Float32Array).fill(0.25)
    ;(s1.opt[2]![1] as Float32Array)[0] = 4
    const changed = copyState(s1)
    const [viaSame] = right(step(s1, batch(4, 1)))
    const [viaCopy] = right(step(changed, batch(4, 1)))
    const [viaOld] = right(step(untouched, batch(4, 1)))
    expect(bits(viaSame.params)).toEqual(bits(viaCopy.params))
    expect(viaSame.opt).toEqual(viaCopy.opt)
    expect(bits(viaSame.params)).not.toEqual(bits(viaOld.params))
  })

  it('whatever ran in between (other models, other batch sizes, the same state twice)', () => {
    const other = right(compile(Layer.serial(Layer.dense(9, { activation: 'relu' }), Layer.dense(3))))
    const op = other.init(Key.key(1))
    const s1 = right(step(right(Train.init(model, opt, Key.key(3))), batch(4)))[0]
    right(step(s1, batch(4, 2)))
    right(other.valueAndGrad(op, batch(6)))
    right(step(s1, batch(2, 3)))
    ;(s1.params[1]!.data as Float32Array).fill(-1, 0, 1)
    const [a] = right(step(s1, batch(4, 1)))
    const [b] = right(step(copyState(s1), batch(4, 1)))
    expect(bits(a.params)).toEqual(bits(b.params))
  })

  it('apply and valueAndGrad read parameters changed in place since the last call', () => {
    const p = model.init(Key.key(6))
    const y0 = right(model.apply(p, xs(3)))
    const g0 = right(model.valueAndGrad(p, batch(3)))
    ;(p[2]!.data as Float32Array).fill(2, 1, 2)
    const copy = p.map((q) => ({ ...q, data: q.data.slice() }))
    expect(model.apply(p, xs(3))).toEqual(model.apply(copy, xs(3)))
    expect(model.valueAndGrad(p, batch(3))).toEqual(model.valueAndGrad(copy, batch(3)))
    expect(right(model.apply(p, xs(3))).data).not.toEqual(y0.data)
    expect(right(model.valueAndGrad(p, batch(3))).loss).not.toBe(g0.loss)
  })
})

// exported values ------------------------------------------------------------------------

describe('exported values are frozen', () => {
  const tag = (v: unknown) => Object.prototype.toString.call(v)
  /** Where a value is not frozen (typed arrays cannot be; io-ts codecs and functions are code, not data), or null. */
  const unfrozen = (v: unknown, path: string, seen: Set<unknown>): string | null => {
    if (typeof v !== 'object' || v === null || seen.has(v) || ArrayBuffer.isView(v) || v instanceof t.Type) return null
    seen.add(v)
    if (!Object.isFrozen(v)) return path
    for (const k of Reflect.ownKeys(v)) {
      const at = unfrozen((v as Record<PropertyKey, unknown>)[k], `${path}.${String(k)}`, seen)
      if (at) return at
    }
    return null
  }
  /** Every exported value that is data, through namespaces. */
  const values = (ns: object, path: string): ReadonlyArray<readonly [string, unknown]> =>
    Object.entries(ns).flatMap(([k, v]): ReadonlyArray<readonly [string, unknown]> =>
      typeof v !== 'object' || v === null || v instanceof t.Type ? [] : tag(v) === '[object Module]' ? values(v, `${path}.${k}`) : [[`${path}.${k}`, v]],
    )

  it('every exported value that is data, in every namespace of the package, is deeply frozen', () => {
    const all = values(Entry, 'gradtrace')
    expect(all.map(([p]) => p)).toEqual(expect.arrayContaining(['gradtrace.Layer.tanh', 'gradtrace.Layer.init.glorotUniform', 'gradtrace.Layer.builtins']))
    const seen = new Set<unknown>()
    expect(all.map(([p, v]) => unfrozen(v, p, seen)).filter((p) => p !== null)).toEqual([])
  })

  it('changing Layer.tanh or Layer.init.glorotUniform throws (strict mode), and later models are as before', () => {
    const net = () => Layer.serial(Layer.dense(6, { init: Layer.init.glorotUniform }), Layer.tanh, Layer.dense(3))
    const before = right(compile(net()))
    expect(() => ((Layer.tanh as { fn: string }).fn = 'relu')).toThrow(TypeError)
    expect(() => ((Layer.init.glorotUniform as { kind: string }).kind = 'zeros')).toThrow(TypeError)
    expect(() => ((Layer.builtins as Array<unknown>).length = 0)).toThrow(TypeError)
    expect(() => ((Layer.builtins[0] as { kind: string }).kind = 'conv')).toThrow(TypeError)
    const after = right(compile(net()))
    expect(after.spec).toEqual(before.spec)
    const p = before.init(Key.key(8))
    expect(bits(after.init(Key.key(8)))).toEqual(bits(p))
    expect(after.valueAndGrad(p, batch(3))).toEqual(before.valueAndGrad(p, batch(3)))
    expect(Params.hash(p)).toBe(Params.hash(after.init(Key.key(8))))
  })
})
