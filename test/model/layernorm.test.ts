// layerNorm as a layer: its gradients (through gamma, beta and the input)
// against central finite differences of a float64 reference, on random
// batches, and bad settings as error values.
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { Key, Layer, Model } from '../../src/entries/index'

const ref = (ps: ReadonlyArray<Float64Array>, x: Float32Array, y: Float32Array, B: number, I: number, H: number, O: number): number => {
  const [W1, b1, g, be, W2, b2] = ps as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]
  let loss = 0
  for (let r = 0; r < B; r++) {
    const z = Array.from({ length: H }, (_, j) => b1[j]! + Array.from({ length: I }, (_, i) => x[r * I + i]! * W1[i * H + j]!).reduce((a, v) => a + v, 0))
    const mean = z.reduce((a, v) => a + v, 0) / H
    const rstd = 1 / Math.sqrt(z.reduce((a, v) => a + (v - mean) ** 2, 0) / H + 1e-5)
    const h = z.map((v, j) => (v - mean) * rstd * g[j]! + be[j]!)
    for (let k = 0; k < O; k++) loss += (b2[k]! + h.reduce((a, v, j) => a + v * W2[j * O + k]!, 0) - y[r * O + k]!) ** 2
  }
  return loss / (B * O)
}

describe('layerNorm', () => {
  it('gradients match central finite differences of a float64 reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 9 }), fc.nat(1000), (B, I, H, seed) => {
        const O = 2
        const m = Model.compile(Layer.serial(Layer.dense(H), Layer.layerNorm(), Layer.dense(O)), { input: [I], loss: 'mse' })
        if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
        // gamma and beta away from their 1 / 0 start, so their gradients matter
        const params = m.right.init(Key.key(seed)).map((p) => (p.path.endsWith('gamma') || p.path.endsWith('beta') ? { ...p, data: Float32Array.from(p.data, (v, i) => v + 0.3 * Math.sin(seed + i)) } : p))
        const x = Float32Array.from({ length: B * I }, (_, i) => Math.sin(seed + 1.7 * i))
        const y = Float32Array.from({ length: B * O }, (_, i) => Math.cos(seed + 0.9 * i))
        const g = m.right.valueAndGrad(params, { x: { shape: [B, I], data: x }, y: { shape: [B, O], data: y } })
        if (E.isLeft(g)) throw new Error(JSON.stringify(g.left))
        const f64 = params.map((p) => Float64Array.from(p.data))
        expect(Math.abs(g.right.loss - ref(f64, x, y, B, I, H, O))).toBeLessThan(1e-5 * (1 + g.right.loss))
        const h = 1e-6
        f64.forEach((p, ti) => {
          const scale = Math.max(...Array.from(g.right.grads[ti]!.data, Math.abs))
          p.forEach((_, i) => {
            const up = f64.map((q) => q.slice()), dn = f64.map((q) => q.slice())
            up[ti]![i] = up[ti]![i]! + h
            dn[ti]![i] = dn[ti]![i]! - h
            const fd = (ref(up, x, y, B, I, H, O) - ref(dn, x, y, B, I, H, O)) / (2 * h)
            expect(Math.abs(g.right.grads[ti]!.data[i]! - fd)).toBeLessThanOrEqual(2e-3 * Math.max(Math.abs(fd), 1e-2 * scale) + 2e-7)
          })
        })
      }),
      { numRuns: 25 },
    )
  })
  it('as the first layer (no dx below it), and eps must be positive', () => {
    const m = Model.compile(Layer.serial(Layer.layerNorm(), Layer.dense(2)), { input: [5], loss: 'mse' })
    expect(E.isRight(m)).toBe(true)
    if (E.isRight(m)) expect(E.isRight(m.right.valueAndGrad(m.right.init(Key.key(1)), { x: { shape: [2, 5], data: Float32Array.from({ length: 10 }, (_, i) => i) }, y: { shape: [2, 2], data: new Float32Array(4) } }))).toBe(true)
    expect(Model.compile(Layer.serial(Layer.dense(3), Layer.layerNorm(0)), { input: [2], loss: 'mse' })).toMatchObject({ left: { _tag: 'InvalidArgument', path: 'serial/1/layerNorm.eps' } })
  })
})
