/**
 * The default runtime: the one piece of process-wide state in gradtrace,
 * named here. A model compiled without `runtime` runs on it. It is the
 * portable build, compiled and instantiated on first use (never at import
 * time), and then shared by every such model for the life of the process:
 * at most one exists. Its Wasm memory grows to the largest workspace any plan
 * run on it has needed and never shrinks (a Wasm memory cannot), so it is
 * bounded by the largest model, not by how many models have run
 * (test/model/hidden.test.ts). A program that wants its memory back, or
 * models kept apart, loads runtimes of its own (`Wasm.loadSync()`) and passes
 * them to `compile`.
 *
 * @example
 * import * as assert from 'node:assert'
 * import * as E from 'fp-ts/lib/Either.js'
 * import { defaultRuntime } from './runtime'
 * const a = defaultRuntime(), b = defaultRuntime()
 * assert.ok(E.isRight(a) && E.isRight(b) && a.right === b.right) // one, shared
 *
 * @since 0.1.0
 */
import type * as E from 'fp-ts/lib/Either.js'
import type { GradtraceError } from '../core/Error'
import { loadSync, type Runtime } from '../wasm/Runtime'

let shared: E.Either<GradtraceError, Runtime> | undefined

/** The shared default runtime, loaded on first call; every later call returns the same one. @category utils */
export const defaultRuntime = (): E.Either<GradtraceError, Runtime> => (shared ??= loadSync())
