/**
 * The 2-D layers' kernels (assembly/mdlstm/): each SIMD kernel against its
 * scalar twin, bit for bit, at tail sizes H = 1 .. 9 (W = 4) and a few larger,
 * with a canary after every output; the MD-LSTM cell with zero c1 against the
 * 1-D LSTM cell (forget gate) bit for bit (the 1 x T identity rests on it);
 * the grid gather against a JS index map and the scatter as its adjoint.
 */
import { describe, expect, it } from 'vitest'
import { positions } from '../../src/plan/grid'
import { bench, randomF32 } from '../helpers/kernels'

const b = bench()
const k = b.k
const HS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 33]
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))
type Form = 'simd' | 'scalar'

const twin = (ins: ReadonlyArray<Float32Array>, outs: ReadonlyArray<Float32Array>, run: (form: Form, p: number[], q: number[]) => void) => {
  const res: Float32Array[][] = []
  for (const form of ['simd', 'scalar'] as const) {
    b.reset()
    const p = ins.map((a) => b.put(a))
    const q = outs.map((a) => b.put(a))
    run(form, p, q)
    outs.forEach((a, i) => expect(b.canaryOk(q[i]!, a.length), `${form} canary ${i}`).toBe(true))
    res.push(q.map((ptr, i) => b.f32(ptr, outs[i]!.length)))
  }
  res[0]!.forEach((o, i) => expect(bits(o), `output ${i}`).toEqual(bits(res[1]![i]!)))
  return res[0]!
}

describe('mdlstm_cell', () => {
  for (const B of [1, 3])
    for (const H of HS)
      it(`B ${B} H ${H}: twins agree, and with c1 = 0 it is the LSTM cell`, () => {
        const n = B * H, z = randomF32(5 * n, H, -3, 3), c1 = randomF32(n, 2, -2, 2), c2 = randomF32(n, 3, -2, 2)
        const [a, c, h, tc] = twin([z, c1, c2], [new Float32Array(5 * n), new Float32Array(n), new Float32Array(n), new Float32Array(n)], (f, p, q) =>
          k[`mdlstm_cell_f32_${f}`](q[0]!, q[1]!, q[2]!, q[3]!, p[0]!, p[1]!, p[2]!, B, H))
        const dh = randomF32(n, 5), dc = randomF32(n, 6)
        for (const pass of [false, true])
          twin([a!, c1, c2, tc!, dh], [randomF32(5 * n, 7), dc.slice(), randomF32(n, 8), randomF32(n, 9)], (f, p, q) =>
            k[`mdlstm_cell_bwd_f32_${f}`](q[0]!, q[1]!, pass ? q[2]! : 0, pass ? q[3]! : 0, p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, B, H))
        // the LSTM's z rows are the first four gate blocks of each MD-LSTM row
        const z4 = Float32Array.from({ length: 4 * n }, (_, i) => z[Math.floor(i / (4 * H)) * 5 * H + (i % (4 * H))]!)
        const zero = new Float32Array(n)
        const md = twin([z, zero, c2], [new Float32Array(5 * n), new Float32Array(n), new Float32Array(n), new Float32Array(n)], (f, p, q) =>
          k[`mdlstm_cell_f32_${f}`](q[0]!, q[1]!, q[2]!, q[3]!, p[0]!, p[1]!, p[2]!, B, H))
        const one = twin([z4, c2, c2], [new Float32Array(4 * n), new Float32Array(n), new Float32Array(n), new Float32Array(n)], (f, p, q) =>
          k[`lstm_cell_f32_${f}`](q[0]!, q[1]!, q[2]!, q[3]!, p[0]!, p[1]!, p[2]!, 0, 0, B, H, 1))
        expect(bits(md[1]!), 'c').toEqual(bits(one[1]!))
        expect(bits(md[2]!), 'h').toEqual(bits(one[2]!))
        expect(bits(md[0]!.slice(0, 4 * n)), 'gates i, f, g, o').toEqual(bits(one[0]!))
      })
})

describe('grid_gather / grid_scatter', () => {
  const cases = [[1, 1, 1, 1, 1, 1], [2, 3, 1, 1, 1, 3], [3, 2, 2, 2, 1, 1], [4, 4, 3, 1, 2, 5], [1, 5, 7, 2, 2, 2], [3, 3, 9, 1, 1, 4]] as const
  for (const [I, J, F, bi, bj, B] of cases)
    for (const flip of [0, 1, 2, 3])
      it(`I ${I} J ${J} F ${F} block ${bi}x${bj} B ${B} flip ${flip}`, () => {
        const ldx = F + 1, R = I * bi, C = J * bj, Fb = bi * bj * F, P = I * J
        const x = randomF32(B * R * C * ldx, I + J + F)
        const [y] = twin([x], [new Float32Array(P * B * Fb)], (f, p, q) => k[`grid_gather_f32_${f}`](q[0]!, p[0]!, B, I, J, F, bi, bj, ldx, flip, 0))
        const want = new Float32Array(P * B * Fb)
        positions(I, J).forEach(([i, j], p) => {
          const ii = flip & 1 ? I - 1 - i : i, jj = flip & 2 ? J - 1 - j : j
          for (let bb = 0; bb < B; bb++)
            for (let r = 0; r < bi; r++)
              for (let s = 0; s < bj; s++)
                for (let f = 0; f < F; f++) want[(p * B + bb) * Fb + (r * bj + s) * F + f] = x[((bb * R + ii * bi + r) * C + jj * bj + s) * ldx + f]!
        })
        expect(bits(y!)).toEqual(bits(want))
        // scatter is the adjoint, a permutation back: each of the P*B*Fb values lands in its pixel once
        const w = randomF32(P * B * Fb, 11)
        const [back] = twin([w], [x.slice()], (f, p, q) => k[`grid_scatter_f32_${f}`](q[0]!, p[0]!, B, I, J, F, bi, bj, ldx, flip, 0))
        const [again] = twin([back!], [new Float32Array(P * B * Fb)], (f, p, q) => k[`grid_gather_f32_${f}`](q[0]!, p[0]!, B, I, J, F, bi, bj, ldx, flip, 0))
        expect(bits(again!)).toEqual(bits(w)) // every row written once and read back
        const pad = Array.from({ length: B * R * C }, (_, px) => back![px * ldx + F]!)
        expect(pad).toEqual(Array.from({ length: B * R * C }, (_, px) => x[px * ldx + F]!)) // the column past F untouched
        const [sum] = twin([w], [x.slice()], (f, p, q) => k[`grid_scatter_f32_${f}`](q[0]!, p[0]!, B, I, J, F, bi, bj, ldx, flip, 1))
        // acc 1: each pixel read once, so x + its row, in f32
        expect(bits(sum!)).toEqual(bits(Float32Array.from(x, (v, i) => (i % ldx === F ? v : v + back![i]!))))
      })
})
