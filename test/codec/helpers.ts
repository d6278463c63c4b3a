// Test helpers for the codec tests: the Left of an Either, as an error with a path.
import * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../../src/core/Error'

export type PathError = Extract<GradtraceError, { readonly path: string }>

export const left = <A>(r: E.Either<GradtraceError, A>): PathError => {
  if (E.isRight(r)) throw new Error(`expected a Left, got ${JSON.stringify(r.right).slice(0, 300)}`)
  if (!('path' in r.left)) throw new Error(`expected an error with a path, got ${JSON.stringify(r.left)}`)
  return r.left
}

export const right = <A>(r: E.Either<GradtraceError, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a Right, got ${JSON.stringify(r.left)}`)
  return r.right
}
