/**
 * recurrent kernels: each SIMD kernel against its scalar twin, bit for bit,
 * at tail sizes H = 1 .. 9 (W = 4: one f32x4 per step) and a few larger ones,
 * with and without a mask, with and without the signal to step t-1, with a
 * canary after every output. Gradients through time are checked end to end
 * in test/recurrent/gradcheck.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { bench, randomF32 } from '../helpers/kernels'

const b = bench()
const k = b.k
const HS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33]
const BS = [1, 3]
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))
type Form = 'simd' | 'scalar'

/** Runs `run` for both forms on fresh copies of `ins`; returns the outputs of each. */
const twin = (ins: ReadonlyArray<Float32Array>, outs: ReadonlyArray<Float32Array>, run: (form: Form, p: number[], q: number[]) => void) => {
  const res: Float32Array[][] = []
  for (const form of ['simd', 'scalar'] as const) {
    b.reset()
    const p = ins.map((a) => b.put(a))
    const q = outs.map((a) => b.put(a))
    run(form, p, q)
    outs.forEach((a, i) => expect(b.canaryOk(q[i]!, a.length), `${form} canary ${i}`).toBe(true))
    ins.forEach((a, i) => expect(b.canaryOk(p[i]!, a.length)).toBe(true))
    res.push(q.map((ptr, i) => b.f32(ptr, outs[i]!.length)))
  }
  res[0]!.forEach((o, i) => expect(bits(o), `output ${i}`).toEqual(bits(res[1]![i]!)))
  return res[0]!
}
const mask = (B: number) => Float32Array.from({ length: B }, (_, i) => (i % 2 === 0 ? 1 : 0))

describe('rnn_cell', () => {
  for (const kind of [1, 2, 5])
    for (const B of BS)
      for (const H of HS)
        for (const masked of [false, true])
          it(`kind ${kind} B ${B} H ${H} mask ${masked}`, () => {
            const z = randomF32(B * H, H + kind, -3, 3), hp = randomF32(B * H, 7)
            const m = masked ? [mask(B)] : []
            twin([hp, ...m], [new Float32Array(B * H), z], (f, p, q) => k[`rnn_cell_f32_${f}`](q[0]!, q[1]!, p[0]!, masked ? p[1]! : 0, B, H, kind))
            const dh = randomF32(B * H, 3)
            for (const pass of [false, true])
              twin([z.map(Math.tanh), dh, ...m], [randomF32(B * H, 4), randomF32(B * H, 5)], (f, p, q) =>
                k[`rnn_cell_bwd_f32_${f}`](q[0]!, pass ? q[1]! : 0, p[0]!, p[1]!, masked ? p[2]! : 0, B, H, kind))
          })
})

describe('lstm_cell', () => {
  for (const forget of [1, 0])
    for (const peep of [false, true])
      for (const B of BS)
        for (const H of HS)
          it(`forget ${forget} peep ${peep} B ${B} H ${H}`, () => {
            const nG = forget ? 4 : 3, nP = forget ? 3 : 2
            const z = randomF32(B * nG * H, H, -3, 3), cp = randomF32(B * H, 2, -2, 2), hp = randomF32(B * H, 3)
            const P = randomF32(nP * H, 4)
            for (const masked of [false, true]) {
              const m = masked ? [mask(B)] : []
              const [a, c, , tc] = twin([z, cp, hp, P, ...m], [new Float32Array(nG * B * H), new Float32Array(B * H), new Float32Array(B * H), new Float32Array(B * H)], (f, p, q) =>
                k[`lstm_cell_f32_${f}`](q[0]!, q[1]!, q[2]!, q[3]!, p[0]!, p[1]!, p[2]!, peep ? p[3]! : 0, masked ? p[4]! : 0, B, H, forget))
              for (const pass of [false, true])
                twin([a!, c!, cp, tc!, randomF32(B * H, 9), P, ...m], [randomF32(B * nG * H, 5), randomF32(B * H, 6), randomF32(B * H, 7), randomF32(B * H, 8), randomF32(nP * H, 10)], (f, p, q) =>
                  k[`lstm_cell_bwd_f32_${f}`](q[0]!, q[1]!, pass ? q[2]! : 0, pass ? q[3]! : 0, peep ? q[4]! : 0, p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, peep ? p[5]! : 0, masked ? p[6]! : 0, B, H, forget))
            }
          })
})

describe('gru_cell', () => {
  for (const B of BS)
    for (const H of HS)
      for (const masked of [false, true])
        it(`B ${B} H ${H} mask ${masked}`, () => {
          const gx = randomF32(B * 3 * H, H, -3, 3), gh = randomF32(B * 3 * H, H + 1, -3, 3), hp = randomF32(B * H, 3)
          const m = masked ? [mask(B)] : []
          const [a] = twin([gx, gh, hp, ...m], [new Float32Array(3 * B * H), new Float32Array(B * H)], (f, p, q) => k[`gru_cell_f32_${f}`](q[0]!, q[1]!, p[0]!, p[1]!, p[2]!, masked ? p[3]! : 0, B, H))
          for (const pass of [false, true])
            twin([a!, gh, hp, randomF32(B * H, 4), ...m], [randomF32(B * 3 * H, 5), randomF32(B * 3 * H, 6), randomF32(B * H, 7)], (f, p, q) =>
              k[`gru_cell_bwd_f32_${f}`](q[0]!, q[1]!, pass ? q[2]! : 0, p[0]!, p[1]!, p[2]!, p[3]!, masked ? p[4]! : 0, B, H))
        })
})

describe('seq_transpose', () => {
  for (const [A, B, F, ldy, ldx] of [[1, 1, 1, 1, 1], [3, 2, 5, 5, 6], [4, 3, 9, 10, 9], [2, 5, 1, 3, 3], [5, 4, 8, 8, 8]] as const)
    for (const acc of [0, 1])
      it(`A ${A} B ${B} F ${F} ldy ${ldy} ldx ${ldx} acc ${acc}`, () => {
        const x = randomF32(A * B * ldx, A + F)
        const y0 = randomF32(B * A * ldy, 3)
        const [y] = twin([x], [y0], (f, p, q) => k[`seq_transpose_f32_${f}`](q[0]!, p[0]!, A, B, F, ldy, ldx, acc))
        for (let a = 0; a < A; a++)
          for (let bb = 0; bb < B; bb++)
            for (let f = 0; f < ldy; f++) {
              const want = f < F ? (acc ? Math.fround(y0[(bb * A + a) * ldy + f]! + x[(a * B + bb) * ldx + f]!) : x[(a * B + bb) * ldx + f]!) : y0[(bb * A + a) * ldy + f]!
              expect(y![(bb * A + a) * ldy + f]).toBe(want)
            }
      })
})
