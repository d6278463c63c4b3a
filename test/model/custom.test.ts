// A user-defined layer kind through the same public interface the built-in
// kinds use (LeafKind + Ops), passed to compile in `kinds`: y = a * x + c with
// learned scalars a and c. Its gradients are checked against central finite
// differences of a float64 reference, and a spec using it decodes by name.
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { Codec, Key, Layer, Model, Ops } from '../../src/entries/index'

const AffineSpec = t.type({ kind: t.literal('scalarAffine') })
type AffineSpec = t.TypeOf<typeof AffineSpec>

// y(B, n) = a * x + c: forward with kernels, backward accumulating into da, dc, dx.
const scalarAffine: Layer.LeafKind<AffineSpec> = {
  _tag: 'leaf',
  kind: 'scalarAffine',
  codec: AffineSpec,
  outShape: (_, s) => E.right(s),
  params: () => [
    { name: 'a', shape: [1], init: Layer.init.constant(1.5) },
    { name: 'c', shape: [1], init: Layer.init.constant(-0.25) },
  ],
  emit: (_, ctx) => {
    const n = ctx.batch * ctx.inSize
    const [a, c] = ctx.params
    const y = ctx.buf('y', n)
    const dy = ctx.grad('dy', n)
    const prod = ctx.buf('xdy', n)
    // y = x . a as a (n,1)x(1,1) GEMM, then + c broadcast as a bias over n rows of 1
    const forward = [Ops.gemmNN(y, ctx.x, a!.value, n, 1, 1, false), Ops.biasAdd(y, y, c!.value, n, 1)]
    const backward = [
      Ops.mul(prod, ctx.x, dy, n),
      Ops.colSumAcc(a!.grad, prod, n, 1), // da += sum x dy
      Ops.colSumAcc(c!.grad, dy, n, 1), // dc += sum dy
      ...(ctx.dx ? [Ops.gemmNN(ctx.dx, dy, a!.value, n, 1, 1, true)] : []), // dx += dy a
    ]
    return { y, dy, forward, backward }
  },
}

const net = Layer.serial(Layer.dense(3, { activation: 'tanh' }), { kind: 'scalarAffine' } as AffineSpec, Layer.dense(2))

describe('user-defined layer kinds', () => {
  it('compile rejects the unknown kind without it and accepts it in `kinds`', () => {
    expect(Model.compile(net, { input: [4], loss: 'mse' })).toMatchObject({ left: { _tag: 'DecodeError', path: 'serial/1/scalarAffine.kind' } })
    expect(E.isRight(Model.compile(net, { input: [4], loss: 'mse', kinds: [scalarAffine] }))).toBe(true)
    expect(E.isRight(Codec.decodeSpec(JSON.parse(JSON.stringify(net)), [scalarAffine]))).toBe(true)
  })

  it('gradients match central finite differences of a float64 reference', () => {
    const m = Model.compile(net, { input: [4], loss: 'mse', kinds: [scalarAffine] })
    if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
    const params = m.right.init(Key.key(3))
    expect(params.map((p) => p.path)).toContain('serial/1/scalarAffine/a')
    const B = 3
    const x = Float32Array.from({ length: B * 4 }, (_, i) => Math.sin(1.3 * i))
    const y = Float32Array.from({ length: B * 2 }, (_, i) => Math.cos(0.7 * i))
    const g = m.right.valueAndGrad(params, { x: { shape: [B, 4], data: x }, y: { shape: [B, 2], data: y } })
    if (E.isLeft(g)) throw new Error(JSON.stringify(g.left))
    const f64 = params.map((p) => Float64Array.from(p.data))
    const loss = (ps: ReadonlyArray<Float64Array>): number => {
      const [W1, b1, a, c, W2, b2] = ps as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]
      let s = 0
      for (let r = 0; r < B; r++) {
        const h = Array.from({ length: 3 }, (_, j) => a[0]! * Math.tanh(b1[j]! + [0, 1, 2, 3].reduce((acc, i) => acc + x[r * 4 + i]! * W1[i * 3 + j]!, 0)) + c[0]!)
        for (let k = 0; k < 2; k++) {
          const o = b2[k]! + h.reduce((acc, v, j) => acc + v * W2[j * 2 + k]!, 0)
          s += (o - y[r * 2 + k]!) ** 2
        }
      }
      return s / (B * 2)
    }
    expect(g.right.loss).toBeCloseTo(loss(f64), 5)
    const h = 1e-6
    f64.forEach((p, ti) =>
      p.forEach((_, i) => {
        const up = f64.map((q) => q.slice()), dn = f64.map((q) => q.slice())
        up[ti]![i] = up[ti]![i]! + h
        dn[ti]![i] = dn[ti]![i]! - h
        const fd = (loss(up) - loss(dn)) / (2 * h)
        expect(Math.abs(g.right.grads[ti]!.data[i]! - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)))
      }),
    )
    expect(g.right.trace.layers.map((l) => l.kind)).toContain('scalarAffine')
  })

  it('a network too large for a 32-bit Wasm memory is an error value at compile, not a trap', () => {
    const huge = Model.compile(Layer.serial(Layer.dense(200_000), Layer.dense(10)), { input: [10_000], loss: 'mse' })
    expect(huge).toMatchObject({ left: { _tag: 'OutOfMemory' } })
  })
})
