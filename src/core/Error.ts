/**
 * Errors are values: every fallible operation in gradtrace returns
 * `Either<GradtraceError, A>`. Each variant is tagged and carries enough to
 * say what was wrong and where (a layer path, a field path, a file).
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { Layer, Model } from 'gradtrace/core'
 * import { show } from './Error'
 * // a residual block must give back the width it was given: 4 is not 8
 * const model = Model.compile(Layer.serial(Layer.dense(8), Layer.residual(Layer.dense(4))), { input: [4], loss: 'mse' })
 * assert.ok(E.isLeft(model) && model.left._tag === 'ShapeMismatch')
 * assert.deepStrictEqual([model.left.path, model.left.expected, model.left.actual], ['serial/1/residual/sum', [4], [8]])
 * assert.strictEqual(show(model.left), 'serial/1/residual/sum: summed shapes: expected [4], got [8]')
 *
 * @since 0.1.0
 */

/** @category model */
export type GradtraceError =
  | { readonly _tag: 'ShapeMismatch'; readonly path: string; readonly what: string; readonly expected: ReadonlyArray<number>; readonly actual: ReadonlyArray<number> }
  | { readonly _tag: 'InvalidArgument'; readonly path: string; readonly message: string }
  | { readonly _tag: 'DecodeError'; readonly path: string; readonly message: string }
  | { readonly _tag: 'NonFinite'; readonly path: string; readonly count: number }
  | { readonly _tag: 'OutOfMemory'; readonly requestedBytes: number; readonly limitBytes: number }
  | { readonly _tag: 'LoadError'; readonly message: string }

/** @category constructors */
export const shapeMismatch = (path: string, expected: ReadonlyArray<number>, actual: ReadonlyArray<number>, what = 'shape'): GradtraceError =>
  ({ _tag: 'ShapeMismatch', path, what, expected: [...expected], actual: [...actual] })

/** @category constructors */
export const invalidArgument = (path: string, message: string): GradtraceError => ({ _tag: 'InvalidArgument', path, message })

/** @category constructors */
export const decodeError = (path: string, message: string): GradtraceError => ({ _tag: 'DecodeError', path, message })

/** @category constructors */
export const nonFinite = (path: string, count: number): GradtraceError => ({ _tag: 'NonFinite', path, count })

/** @category constructors */
export const outOfMemory = (requestedBytes: number, limitBytes: number): GradtraceError => ({ _tag: 'OutOfMemory', requestedBytes, limitBytes })

/** @category constructors */
export const loadError = (message: string): GradtraceError => ({ _tag: 'LoadError', message })

/** One line a person can read. @category utils */
export const show = (e: GradtraceError): string => {
  switch (e._tag) {
    case 'ShapeMismatch':
      return `${e.path}: ${e.what}: expected [${e.expected.join(', ')}], got [${e.actual.join(', ')}]`
    case 'InvalidArgument':
      return `${e.path}: ${e.message}`
    case 'DecodeError':
      return `${e.path}: ${e.message}`
    case 'NonFinite':
      return `${e.path}: ${e.count} non-finite value(s) (NaN or Infinity)`
    case 'OutOfMemory':
      return `needs ${(e.requestedBytes / 2 ** 20).toFixed(1)} MiB of Wasm memory, more than the ${(e.limitBytes / 2 ** 20).toFixed(0)} MiB a 32-bit Wasm memory can hold`
    case 'LoadError':
      return `cannot load the gradtrace kernels: ${e.message}`
  }
}
