/**
 * Checkpoints: random small models, optimizers and training states round-trip
 * with bit-identical parameters and optimizer state; every kind of corruption
 * or mismatch is a Left naming the field.
 */
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32F32 } from '../../src/codec/crc32'
import { Checkpoint, decodeCheckpoint, decodeF32, encodeBase64, encodeCheckpoint, encodeF32 } from '../../src/codec/index'
import { key } from '../../src/core/Key'
import * as Params from '../../src/core/Params'
import type { ReadonlyFloat32Array } from '../../src/core/Tensor'
import * as L from '../../src/model/layers'
import type { LayerSpec } from '../../src/layer/Layer'
import { cosine } from '../../src/optim/schedule'
import * as Opt from '../../src/optim/Transform'
import * as Model from '../../src/model/compile'
import { init, step, type TrainState } from '../../src/train/step'
import { left, right } from './helpers'

const bits = (a: ReadonlyFloat32Array): ReadonlyArray<number> => [...new Uint32Array((a as Float32Array).buffer, (a as Float32Array).byteOffset, a.length)]

const compile = (net: LayerSpec, input: ReadonlyArray<number>, loss: Model.CompileOptions['loss'] = 'softmaxCrossEntropy'): Model.Model => right(Model.compile(net, { input, loss }))

/** `steps` training steps on a fixed batch drawn from `seed`. */
const train = (model: Model.Model, opt: Opt.GradientTransformation, seed: number, steps: number): TrainState => {
  const B = 3, I = model.input[0]!, C = model.output[0]!
  const x = Float32Array.from({ length: B * I }, (_, i) => Math.sin(seed + i * 1.7))
  const y = Int32Array.from({ length: B }, (_, i) => (seed + i) % C)
  let s = right(init(model, opt, key(seed)))
  for (let i = 0; i < steps; i++) s = right(step(model, opt)(s, { x: { shape: [B, I], data: x }, y }))[0]
  return s
}

const optimizers: ReadonlyArray<Opt.GradientTransformation> = [
  Opt.sgd(0.1),
  Opt.momentum(0.05),
  Opt.nesterov(0.05),
  Opt.rmsprop(0.01),
  Opt.adam(1e-2),
  Opt.adamw(1e-2, 0.1),
  Opt.chain(Opt.clipByGlobalNorm(1), Opt.adam(cosine(1e-2, 100))),
  Opt.chain(Opt.clipByValue(0.5), Opt.momentum(0.1), Opt.rmsprop(0.01)),
]

const expectSameState = (a: TrainState, b: TrainState): void => {
  expect(b.step).toBe(a.step)
  expect(b.key).toEqual(a.key)
  expect(b.params.map((p) => [p.path, p.shape])).toEqual(a.params.map((p) => [p.path, p.shape]))
  b.params.forEach((p, i) => expect(bits(p.data)).toEqual(bits(a.params[i]!.data)))
  expect(b.opt.map((slots) => slots.map(bits))).toEqual(a.opt.map((slots) => slots.map(bits)))
}

// ---------------------------------------------------------------- round trip

describe('round trip', () => {
  it('restores bit-identical params and optimizer state, the key, the step, spec and optimizer', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom('tanh', 'relu', 'sigmoid', 'gelu' as const),
        fc.constantFrom(...optimizers),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        (I, H, C, act, opt, steps, seed) => {
          const model = compile(L.serial(L.dense(H, { activation: act }), L.residual(L.dense(H, { activation: 'tanh' })), L.dense(C, { useBias: seed % 2 === 0 })), [I])
          const s = train(model, opt, seed, steps)
          const back = right(decodeCheckpoint(encodeCheckpoint(model, opt, s), model, opt))
          expectSameState(s, back.state)
          expect(back.spec).toEqual(model.spec)
          expect(back.input).toEqual(model.input)
          expect(back.loss).toBe(model.loss)
          expect(back.optimizer).toEqual(opt)
          expect(Params.hash(back.state.params)).toBe(Params.hash(s.params))
        },
      ),
      { numRuns: 25 },
    )
  })

  it('keeps -0 and subnormals in parameters, bit for bit', () => {
    const model = compile(L.serial(L.dense(4), L.dense(2)), [3])
    const s = train(model, Opt.adam(1e-3), 1, 1)
    const odd = Params.modify('serial/0/dense/W', (d) => {
      const w = new Uint32Array(d.buffer)
      ;[0x80000000, 0x00000001, 0x807fffff, 0x00000000].forEach((b, i) => (w[i] = b))
      return d
    })(s.params)
    const back = right(decodeCheckpoint(encodeCheckpoint(model, Opt.adam(1e-3), { ...s, params: odd }), model))
    expectSameState({ ...s, params: odd }, back.state)
  })

  it('refuses NaN and ±Infinity in parameters or optimizer state (#9), naming the array and the element', () => {
    const model = compile(L.serial(L.dense(4), L.dense(2)), [3])
    const s = train(model, Opt.adam(1e-3), 1, 1)
    for (const [bits, shown] of [[0x7fc00001, 'NaN'], [0x7f800000, 'Infinity'], [0xff800000, '-Infinity']] as const) {
      const params = Params.modify('serial/1/dense/W', (d) => (new Uint32Array(d.buffer)[5] = bits, d))(s.params)
      expect(left(decodeCheckpoint(encodeCheckpoint(model, Opt.adam(1e-3), { ...s, params }), model))).toEqual({
        _tag: 'DecodeError',
        path: 'params[2].data',
        message: `element 5 is ${shown}: a checkpoint must hold finite values (training cannot resume from it)`,
      })
    }
    const m = Float32Array.from(s.opt[1]![0]!)
    m[2] = NaN
    const opt = s.opt.map((slots, i) => (i === 1 ? [m, slots[1]!] : slots))
    expect(left(decodeCheckpoint(encodeCheckpoint(model, Opt.adam(1e-3), { ...s, opt })))).toMatchObject({ path: 'opt[1][0]', message: expect.stringMatching(/^element 2 is NaN/) })
  })

  it('resumes training exactly: k steps, save, load, n more steps equals k + n steps', () => {
    const model = compile(L.serial(L.dense(8, { activation: 'tanh' }), L.dropout(0.25), L.dense(3)), [5])
    const opt = Opt.chain(Opt.clipByGlobalNorm(1), Opt.adam(1e-2))
    const batch = { x: { shape: [4, 5], data: Float32Array.from({ length: 20 }, (_, i) => Math.cos(i)) }, y: new Int32Array([0, 1, 2, 1]) }
    const run = (s0: TrainState, n: number): TrainState => {
      let s = s0
      for (let i = 0; i < n; i++) s = right(step(model, opt)(s, batch))[0]
      return s
    }
    const s0 = right(init(model, opt, key(7)))
    const straight = run(s0, 6)
    const resumed = run(right(decodeCheckpoint(encodeCheckpoint(model, opt, run(s0, 3)), model, opt)).state, 3)
    expectSameState(straight, resumed)
  })

  it('the codec alone decodes and re-encodes to the same JSON', () => {
    const model = compile(L.serial(L.dense(3), L.dense(2)), [2])
    const text = encodeCheckpoint(model, Opt.momentum(0.1), train(model, Opt.momentum(0.1), 3, 2))
    expect(JSON.stringify(Checkpoint.encode(right(E.mapLeft(() => ({ _tag: 'LoadError', message: '' }) as const)(Checkpoint.decode(JSON.parse(text))))))).toBe(text)
  })
})

// --------------------------------------------------------------- corruption

describe('a corrupted or mismatched checkpoint is a Left naming the field', () => {
  // params: 0 W [64, 64], 1 b [64], 2 W [64, 64] (no bias), 3 W [64, 64], 4 b [64]
  const model = compile(L.serial(L.dense(64, { activation: 'relu' }), L.dense(64, { useBias: false }), L.dense(64)), [64], 'mse')
  const opt = Opt.adam(1e-3)
  const state = right(init(model, opt, key(0)))
  const good = (): Record<string, unknown> & { params: Array<Record<string, unknown>>; opt: Array<Array<string>>; key: Record<string, unknown> } => JSON.parse(encodeCheckpoint(model, opt, state))
  const err = (ck: unknown, m: Model.Model | undefined = model, o?: Opt.GradientTransformation) => left(decodeCheckpoint(JSON.stringify(ck), m, o))
  /** The checksums recomputed after an edit: a checkpoint that is consistent in itself but does not fit the model. */
  const resum = <C extends ReturnType<typeof good>>(ck: C): C => {
    const f32 = (b64: string) => right(E.mapLeft((m: string) => ({ _tag: 'LoadError', message: m }) as const)(decodeF32(b64)))
    return { ...ck, crc32: { params: ck.params.map((p) => crc32F32(f32(p.data as string))), opt: ck.opt.map((slots) => slots.map((a) => crc32F32(f32(a)))) } }
  }

  it('the untouched checkpoint decodes', () => {
    expect(E.isRight(decodeCheckpoint(JSON.stringify(good()), model, opt))).toBe(true)
  })

  it('bad base64', () => {
    const ck = good()
    ck.params[2]!.data = (ck.params[2]!.data as string).replace(/^..../, 'AA*A')
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'params[2].data', message: 'invalid base64: character 2 is "*"' })
  })

  it('base64 whose bytes are not whole floats', () => {
    const ck = good()
    ck.params[1]!.data = encodeBase64(new Uint8Array(255))
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'params[1].data', message: '255 bytes is not a whole number of float32s (a multiple of 4)' })
  })

  it('data length not matching the shape', () => {
    const ck = good()
    ck.params[3]!.data = encodeF32(new Float32Array(4095))
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'params[3].data', message: 'expected 4096 floats (shape [64, 64]), got 4095' })
  })

  it('a param path differing from the model', () => {
    const ck = good()
    ck.params[1]!.path = 'serial/0/dense/W'
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'params[1].path', message: 'expected serial/0/dense/b, got serial/0/dense/W' })
  })

  it('a param shape differing from the model (with data to match it)', () => {
    const ck = good()
    ck.params[4] = { path: 'serial/2/dense/b', shape: [32], data: encodeF32(new Float32Array(32)) }
    ck.opt[4] = [encodeF32(new Float32Array(32)), encodeF32(new Float32Array(32))]
    expect(err(resum(ck))).toEqual({ _tag: 'DecodeError', path: 'params[4].shape', message: 'expected [64] (serial/2/dense/b), got [32]' })
  })

  it('a different number of params than the model', () => {
    const ck = good()
    ck.params.pop()
    ck.opt.pop()
    expect(err(resum(ck))).toEqual({ _tag: 'DecodeError', path: 'params', message: "expected 5 parameters (the model's), got 4" })
  })

  it('a bad shape', () => {
    const ck = good()
    ck.params[0]!.shape = [64, -64]
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'params[0].shape[1]', message: 'expected a positive integer, got -64' })
  })

  it('unknown format or version', () => {
    expect(err({ ...good(), format: 'gradtrace-traces' })).toEqual({ _tag: 'DecodeError', path: 'format', message: 'expected "gradtrace-checkpoint", got "gradtrace-traces"' })
    expect(err({ ...good(), version: 3 })).toEqual({ _tag: 'DecodeError', path: 'version', message: 'expected (2 | 1), got 3' })
    expect(err({ ...good(), format: undefined })).toMatchObject({ path: 'format', message: expect.stringMatching(/got nothing \(the field is missing\)$/) })
  })

  it('missing fields', () => {
    for (const f of ['spec', 'input', 'loss', 'params', 'optimizer', 'opt', 'key', 'step']) {
      const ck = good()
      delete ck[f]
      expect(err(ck)).toMatchObject({ _tag: 'DecodeError', path: f, message: expect.stringMatching(/got nothing \(the field is missing\)$/) })
    }
    const ck = good()
    delete ck.key.k1
    expect(err(ck)).toEqual({ _tag: 'DecodeError', path: 'key.k1', message: 'expected a u32 (an integer in [0, 2^32)), got nothing (the field is missing)' })
    const p = good()
    delete p.params[2]!.data
    expect(err(p)).toMatchObject({ path: 'params[2].data' })
  })

  it('step not a non-negative integer', () => {
    for (const s of [-1, 1.5, 'ten', null, 2 ** 53]) expect(err({ ...good(), step: s })).toMatchObject({ _tag: 'DecodeError', path: 'step', message: expect.stringMatching(/^expected a non-negative integer, got /) })
  })

  it('key words not u32', () => {
    for (const w of [-1, 2 ** 32, 0.5, '7']) {
      const ck = good()
      ck.key.k0 = w
      expect(err(ck)).toMatchObject({ _tag: 'DecodeError', path: 'key.k0', message: expect.stringMatching(/^expected a u32 \(an integer in \[0, 2\^32\)\), got /) })
    }
  })

  it('optimizer state that does not fit the params or the optimizer', () => {
    const few = good()
    few.opt.pop()
    expect(err(few)).toEqual({ _tag: 'DecodeError', path: 'opt', message: 'expected 5 entries (one per parameter), got 4' })
    const slots = good()
    slots.opt[1]!.pop()
    expect(err(slots)).toEqual({ _tag: 'DecodeError', path: 'opt[1]', message: 'expected 2 state arrays (adam m, adam v), got 1' })
    const short = good()
    short.opt[1]![1] = encodeF32(new Float32Array(63))
    expect(err(short)).toEqual({ _tag: 'DecodeError', path: 'opt[1][1]', message: 'expected 64 floats (shape [64]), got 63' })
    const bad = good()
    bad.opt[0]![0] = '!!!!'
    expect(err(bad)).toMatchObject({ path: 'opt[0][0]', message: 'invalid base64: character 0 is "!"' })
  })

  it('a given optimizer that keeps its state differently', () => {
    expect(err(good(), model, Opt.chain(Opt.momentum(0.1), Opt.momentum(0.1)))).toEqual({
      _tag: 'DecodeError',
      path: 'optimizer',
      message: "the given optimizer keeps state [momentum v, momentum v], the checkpoint's optimizer kept [adam m, adam v]",
    })
    expect(E.isRight(decodeCheckpoint(JSON.stringify(good()), model, Opt.adam(cosine(1e-4, 10))))).toBe(true) // other settings may differ
  })

  it('a bad optimizer field or setting', () => {
    expect(err({ ...good(), optimizer: { kind: 'adam', lr: 0.1, b1: 'x', b2: 0.9, eps: 1e-8, wd: 0 } })).toEqual({ _tag: 'DecodeError', path: 'optimizer.b1', message: 'expected number, got "x"' })
    expect(err({ ...good(), optimizer: { kind: 'lion' } })).toMatchObject({ path: 'optimizer.kind', message: expect.stringMatching(/^unknown kind "lion"; expected one of "sgd", /) })
    expect(err({ ...good(), optimizer: { kind: 'adam', lr: 0.1, b1: 1.5, b2: 0.9, eps: 1e-8, wd: 0 } })).toMatchObject({ _tag: 'InvalidArgument', path: 'optimizer[0].adam' })
  })

  it('input or loss differing from the model', () => {
    expect(err({ ...good(), input: [32] })).toEqual({ _tag: 'DecodeError', path: 'input', message: "expected [64] (the model's), got [32]" })
    expect(err({ ...good(), loss: 'binaryCrossEntropy' })).toEqual({ _tag: 'DecodeError', path: 'loss', message: 'expected "mse" (the model\'s), got "binaryCrossEntropy"' })
    expect(err({ ...good(), loss: 'hinge' })).toMatchObject({ path: 'loss' })
  })

  it('a bad spec, named by layer path', () => {
    expect(err({ ...good(), spec: L.serial(L.dense(64), { kind: 'dense', units: 'x' } as LayerSpec) })).toEqual({
      _tag: 'DecodeError',
      path: 'spec.serial/1/dense.units',
      message: 'expected number, got "x"',
    })
  })

  it('text that is not JSON, or not an object', () => {
    expect(left(decodeCheckpoint('{"format": "gradtrace-checkpoint",'))).toMatchObject({ path: 'json' })
    expect(left(decodeCheckpoint(42))).toEqual({ _tag: 'DecodeError', path: 'value', message: 'expected Checkpoint, got 42' })
  })

  it('without a model, only the checkpoint itself is checked', () => {
    const ck = good()
    ck.params[1]!.path = 'elsewhere'
    expect(E.isRight(decodeCheckpoint(JSON.stringify(ck)))).toBe(true)
  })

  // ------------------------------------------------------------ #9: checksums

  /** A base64 string with the character at `i` changed to another that still decodes to different bytes. */
  const flipChar = (b64: string, i: number): string => b64.slice(0, i) + (b64[i] === 'A' ? 'B' : 'A') + b64.slice(i + 1)
  /** Floats `i` and `j` of base64 data swapped. */
  const swap = (b64: string, i: number, j: number): string => {
    const a = Float32Array.from(right(E.mapLeft((m: string) => ({ _tag: 'LoadError', message: m }) as const)(decodeF32(b64))))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
    return encodeF32(a)
  }

  it('one changed base64 character in a parameter is a checksum mismatch naming it', () => {
    for (const [pi, ci] of [[0, 0], [2, 1000], [4, 40]] as const) {
      const ck = good()
      ck.params[pi]!.data = flipChar(ck.params[pi]!.data as string, ci)
      expect(err(ck, undefined)).toMatchObject({ _tag: 'DecodeError', path: `params[${pi}].data`, message: expect.stringMatching(/^checksum mismatch: the data's CRC-32 is [0-9a-f]{8}, the checkpoint says [0-9a-f]{8}/) })
    }
  })

  it('two swapped floats, in a parameter or in the optimizer state, are a checksum mismatch naming the array', () => {
    const p = good()
    p.params[3]!.data = swap(p.params[3]!.data as string, 17, 4000)
    expect(err(p, undefined)).toMatchObject({ path: 'params[3].data', message: expect.stringMatching(/^checksum mismatch/) })
    const trained = JSON.parse(encodeCheckpoint(model, opt, right(step(model, opt)(state, { x: { shape: [2, 64], data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)) }, y: { shape: [2, 64], data: new Float32Array(128).fill(0.5) } }))[0]))
    trained.opt[1][1] = swap(trained.opt[1][1], 0, 63)
    expect(err(trained, undefined)).toMatchObject({ path: 'opt[1][1]', message: expect.stringMatching(/^checksum mismatch/) })
  })

  it('a non-canonical last base64 character (bits past the data) is refused', () => {
    const ck = good()
    const d = ck.params[1]!.data as string // 64 floats = 256 bytes: ends in "=="
    ck.params[1]!.data = d.slice(0, -3) + (d[d.length - 3] === 'A' ? 'B' : 'A') + '=='
    expect(err(ck, undefined)).toMatchObject({ path: 'params[1].data', message: expect.stringMatching(/^invalid base64: character \d+ has bits set beyond the data/) })
  })

  it('bad or missing checksums name the crc32 field', () => {
    const missing = good()
    delete missing.crc32
    expect(err(missing)).toMatchObject({ path: 'crc32', message: expect.stringMatching(/^missing: a version 2 checkpoint carries/) })
    const few = good() as ReturnType<typeof good> & { crc32: { params: string[] } }
    few.crc32.params.pop()
    expect(err(few)).toEqual({ _tag: 'DecodeError', path: 'crc32.params', message: 'expected 5 checksums (one per parameter), got 4' })
    const bad = good() as ReturnType<typeof good> & { crc32: { opt: string[][] } }
    bad.crc32.opt[2]![1] = 'xyz'
    expect(err(bad)).toMatchObject({ path: 'crc32.opt[2][1]', message: 'expected a CRC-32 (8 lowercase hex digits), got "xyz"' })
  })

  it('version 1 checkpoints (no checksums) still decode, with every other check', () => {
    const v1: ReturnType<typeof good> = { ...good(), version: 1 }
    delete v1.crc32
    expect(E.isRight(decodeCheckpoint(JSON.stringify(v1), model, opt))).toBe(true)
    v1.params[0]!.data = encodeF32(new Float32Array(4096).fill(NaN))
    expect(err(v1)).toMatchObject({ path: 'params[0].data', message: expect.stringMatching(/^element 0 is NaN/) })
  })

  it('an unknown field is named', () => {
    expect(err({ ...good(), stpe: 3 })).toMatchObject({ path: 'stpe', message: expect.stringMatching(/^unknown field \(did you mean "step"\?\)/) })
    expect(err({ ...good(), optimizer: { kind: 'adam', lr: 1e-3, beta1: 0.8 } })).toMatchObject({ path: 'optimizer.beta1', message: expect.stringMatching(/^unknown field; known fields: kind, lr, b1, b2, eps, wd$/) })
  })

  it('a model with the same parameter shapes but another spec is refused, naming the difference', () => {
    const other = compile(L.serial(L.dense(64, { activation: 'tanh' }), L.dense(64, { useBias: false }), L.dense(64)), [64], 'mse')
    expect(err(good(), other)).toEqual({ _tag: 'DecodeError', path: 'spec.layers[0].activation', message: 'expected "tanh" (the model\'s spec), got "relu"' })
    const dropout = compile(L.serial(L.dense(64, { activation: 'relu' }), L.dropout(0.5), L.dense(64, { useBias: false }), L.dense(64)), [64], 'mse')
    expect(err(good(), dropout)).toMatchObject({ path: 'params[2].path' }) // shapes and paths come first
  })

  it('an optimizer saved with only kind and lr decodes with the defaults', () => {
    const r = right(decodeCheckpoint(JSON.stringify({ ...good(), optimizer: { kind: 'adam', lr: 1e-3 } }), model, opt))
    expect(r.optimizer).toEqual(Opt.adam(1e-3))
  })
})
